//! The worker's entry point: each message from the page is a numbered [`Request`] in postcard
//! bytes (and, for a slice, a transferred `ArrayBuffer`); each answer is a [`Response`] with the
//! number of the request it answers, likewise.

#![forbid(unsafe_code)]

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: rlsf::GlobalTlsf = rlsf::GlobalTlsf::new();

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
    use worker::engine::{Engine, WarmUp};
    use worker::protocol::{Request, Seq};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    // A panic ends the worker (wasm aborts), but first the page hears what happened, so it can
    // mark the input and go on with the others in a new worker.
    let told = scope.clone();
    std::panic::set_hook(Box::new(move |info| {
        console_error_panic_hook::hook(info);
        post(&told, 0, &worker::protocol::Response::Crashed(info.to_string()));
    }));
    let engine = Rc::new(RefCell::new(Engine::default()));
    let warming = Rc::new(RefCell::new(Some(WarmUp::default())));
    let reply = scope.clone();
    let stop_warming = Rc::clone(&warming);
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let message: js_sys::Array = event.data().unchecked_into();
        let Ok(header) = message.get(0).dyn_into::<js_sys::Uint8Array>() else { return };
        let (seq, request) = match postcard::from_bytes::<(Seq, Request)>(&header.to_vec()) {
            Ok(message) => message,
            Err(e) => {
                // Said, not dropped: the page would wait for an answer for ever.
                let why = format!("the engine could not read the page's request: {e}");
                post(&reply, 0, &worker::protocol::Response::Crashed(why));
                return;
            }
        };
        // A person's input warms what it runs: the warm-up ends where one begins.
        if matches!(request, Request::Begin { .. }) {
            stop_warming.borrow_mut().take();
        }
        let bytes = message.get(1).dyn_into::<js_sys::ArrayBuffer>().ok().map(|b| js_sys::Uint8Array::new(&b).to_vec());
        engine.borrow_mut().handle(request, bytes, &mut |response| post(&reply, seq, &response));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&scope, 0, &worker::protocol::Response::Ready);
    // Read the knowledge base, compile its patterns and run the engine once now, while the
    // person is still choosing what to give: the first diagnosis does not wait for any of it.
    // An input at a time, each a task of its own: the page's requests are answered between
    // them, and an input given meanwhile waits for one warm-up input, not for all of them.
    warm_up_next(scope, warming);
}

/// Runs the warm-up's next input in a task of its own, then schedules the one after it, until
/// all are run or a person's input ended the warm-up.
#[cfg(target_arch = "wasm32")]
fn warm_up_next(
    scope: web_sys::DedicatedWorkerGlobalScope,
    warming: std::rc::Rc<std::cell::RefCell<Option<worker::engine::WarmUp>>>,
) {
    use wasm_bindgen::JsCast;
    let again = scope.clone();
    let next = wasm_bindgen::closure::Closure::once_into_js(move || {
        let more = warming.borrow_mut().as_mut().is_some_and(worker::engine::WarmUp::step);
        if more {
            warm_up_next(again, warming);
        } else {
            warming.borrow_mut().take();
        }
    });
    let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(next.unchecked_ref(), 0);
}

/// Sends a response to request `seq` as postcard bytes, transferred (not copied) to the page.
#[cfg(target_arch = "wasm32")]
fn post(
    scope: &web_sys::DedicatedWorkerGlobalScope,
    seq: worker::protocol::Seq,
    response: &worker::protocol::Response,
) {
    if let Ok(bytes) = postcard::to_allocvec(&(seq, response)) {
        let array = js_sys::Uint8Array::from(bytes.as_slice());
        let _ = scope.post_message_with_transfer(&array, &js_sys::Array::of1(&array.buffer()));
    }
}

/// Natively the worker is a library (its engine is tested with `cargo test`).
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
