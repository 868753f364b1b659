//! The worker's entry point: each message from the page is a JSON [`Request`] (and, for a slice,
//! a transferred `ArrayBuffer`); each answer is a JSON [`Response`].

#[cfg(target_arch = "wasm32")]
fn main() {
    use std::cell::RefCell;
    use std::rc::Rc;

    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};
    use worker::engine::Engine;
    use worker::protocol::Request;

    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let engine = Rc::new(RefCell::new(Engine::default()));
    let reply = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let message: js_sys::Array = event.data().unchecked_into();
        let Some(json) = message.get(0).as_string() else { return };
        let Ok(request) = serde_json::from_str::<Request>(&json) else { return };
        let bytes = message.get(1).dyn_into::<js_sys::ArrayBuffer>().ok().map(|b| js_sys::Uint8Array::new(&b).to_vec());
        engine.borrow_mut().handle(request, bytes, &mut |response| {
            if let Ok(text) = serde_json::to_string(&response) {
                let _ = reply.post_message(&JsValue::from_str(&text));
            }
        });
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    if let Ok(ready) = serde_json::to_string(&worker::protocol::Response::Ready) {
        let _ = scope.post_message(&JsValue::from_str(&ready));
    }
}

/// Natively the worker is a library (its engine is tested with `cargo test`).
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
