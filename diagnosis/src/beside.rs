//! Two pieces of work side by side: on two threads where there are threads (the command line),
//! one after the other in the browser's worker (wasm has none). A leaf.

/// Whether a second thread can run here at all.
pub(crate) const THREADS: bool = cfg!(not(target_family = "wasm"));

/// Runs `main` and `other`, on two threads when `split` (the work is large enough that a thread
/// saves more than it costs) and there are threads, else `main` then `other`. Both finish
/// before it returns.
pub(crate) fn beside(split: bool, main: impl FnOnce(), other: impl FnOnce() + Send) {
    #[cfg(not(target_family = "wasm"))]
    if split {
        std::thread::scope(|scope| {
            scope.spawn(other);
            main();
        });
        return;
    }
    let _ = split;
    main();
    other();
}
