//! The diagnosis as a Web Worker: the page stays responsive while a 150 MB export is read and
//! diagnosed, and the page can stop (terminate) the worker at any time to cancel, or to give a
//! large input's memory back (WebAssembly memory never shrinks otherwise).
//!
//! `protocol` holds the messages (the page depends on this crate for them only); `engine`
//! answers them, with `arriving` putting an input's slices together; `main.rs` is the worker's
//! entry point in the browser.

#![forbid(unsafe_code)]

mod arriving;
pub mod engine;
pub mod protocol;
