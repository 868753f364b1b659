//! The diagnosis worker, from the page's side: started on demand, fed requests and the slices of
//! an input's blob (transferred, never copied into a string), answered asynchronously, and
//! terminated to cancel or to give memory back. gloo-worker cannot terminate a busy worker,
//! which cancelling needs, so this is the small part of it the page uses, on web-sys.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, MessageEvent};
use worker::protocol::{Request, Response, Seq};

thread_local! {
    /// The last request's number, over every worker of the page (a reply is matched to its
    /// request by it, also after a restart).
    static LAST_SEQ: Cell<Seq> = const { Cell::new(0) };
}

/// Where trunk puts the worker's loader (relative, so the page works under any path).
const LOADER: &str = "./worker_loader.js";

/// An input is read and sent in slices of this size: each step is a short task for the page.
const SLICE_BYTES: f64 = 8.0 * 1024.0 * 1024.0;

pub struct EngineWorker {
    worker: web_sys::Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
    /// False once terminated: a feed still running stops at its next slice.
    alive: Rc<Cell<bool>>,
    held: Held,
}

/// Messages (and what they transfer) held until the worker says it is ready; `None` once it has.
type Held = Rc<RefCell<Option<Vec<(JsValue, Option<JsValue>)>>>>;

impl EngineWorker {
    /// Starts a worker whose answers go to `on_response`.
    pub fn spawn(on_response: impl Fn(Seq, Response) + 'static) -> Option<EngineWorker> {
        let on_response = Rc::new(on_response);
        let on_crash = {
            let on_response = on_response.clone();
            move |message: String| on_response(0, Response::Crashed(message))
        };
        // A single-file build names the worker it made from its own bytes (a blob URL).
        let inlined =
            js_sys::Reflect::get(&js_sys::global(), &"SSM_DOCTOR_WORKER".into()).ok().and_then(|v| v.as_string());
        let worker = web_sys::Worker::new(inlined.as_deref().unwrap_or(LOADER)).ok()?;
        let held: Held = Rc::new(RefCell::new(Some(Vec::new())));
        let (port, queue) = (worker.clone(), held.clone());
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let Ok(bytes) = event.data().dyn_into::<js_sys::Uint8Array>() else { return };
            // An answer this page cannot read (a page and an engine from two builds) is said, as a
            // crash, never dropped: a dropped report leaves the page busy for ever. Postcard's
            // own words for it would add its error texts to the first visit and say no more.
            let (seq, response) = postcard::from_bytes::<(Seq, Response)>(&bytes.to_vec()).unwrap_or_else(|_| {
                let why = "the page could not read the engine's answer: are the page and the engine from one build?";
                (0, Response::Crashed(why.to_string()))
            });
            if response == Response::Ready {
                for (message, transfer) in queue.borrow_mut().take().unwrap_or_default() {
                    post(&port, &message, transfer.as_ref());
                }
            } else {
                on_response(seq, response);
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // A worker that dies without a word (out of memory, a trap) is a crash too.
        let on_error = Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |event: web_sys::ErrorEvent| {
            on_crash(event.message());
        });
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(EngineWorker {
            worker,
            _on_message: on_message,
            _on_error: on_error,
            alive: Rc::new(Cell::new(true)),
            held,
        })
    }

    /// Sends a request; returns its number, which its replies carry.
    pub fn send(&self, request: &Request) -> Seq {
        let seq = LAST_SEQ.with(|last| {
            last.set(last.get().wrapping_add(1).max(1));
            last.get()
        });
        if let Ok(bytes) = postcard::to_allocvec(&(seq, request)) {
            let header = js_sys::Uint8Array::from(bytes.as_slice());
            self.post(js_sys::Array::of1(&header).into(), None);
        }
        seq
    }

    fn send_slice(&self, request: &Request, buffer: &js_sys::ArrayBuffer) {
        if let Ok(bytes) = postcard::to_allocvec(&(0, request)) {
            let header = js_sys::Uint8Array::from(bytes.as_slice());
            let message = js_sys::Array::of2(&header, buffer);
            self.post(message.into(), Some(js_sys::Array::of1(buffer).into()));
        }
    }

    fn post(&self, message: JsValue, transfer: Option<JsValue>) {
        match self.held.borrow_mut().as_mut() {
            Some(held) => held.push((message, transfer)),
            None => post(&self.worker, &message, transfer.as_ref()),
        }
    }

    /// Sends `buffer` as input `id`, whole and at once (transferred: empty here afterwards).
    pub fn feed_bytes(&self, id: u32, name: String, answer: Option<String>, buffer: &js_sys::ArrayBuffer) {
        let size = u64::from(buffer.byte_length());
        let _ = self.send(&Request::Begin { id, name, size, answer });
        self.send_slice(&Request::Slice { id }, buffer);
        let _ = self.send(&Request::End { id });
    }

    /// Reads `blob` slice by slice and sends it as input `id`; `progress(sent, total)` after each
    /// slice. Returns false when the worker was terminated meanwhile.
    pub async fn feed(
        self: Rc<Self>,
        id: u32,
        name: String,
        answer: Option<String>,
        blob: Blob,
        progress: impl Fn(f64, f64),
    ) -> bool {
        let total = blob.size();
        let _ = self.send(&Request::Begin { id, name: name.clone(), size: total as u64, answer });
        let mut start = 0.0;
        while start < total {
            let end = (start + SLICE_BYTES).min(total);
            let read = match blob.slice_with_f64_and_f64(start, end) {
                Ok(slice) => JsFuture::from(slice.array_buffer()).await,
                Err(e) => Err(e),
            };
            if !self.alive.get() {
                return false;
            }
            let buffer = match read {
                Ok(buffer) => buffer,
                Err(error) => {
                    // The file went away or may not be read: the report says so.
                    let why = error.as_string().or_else(|| js_sys::Error::from(error).message().as_string());
                    let _ = self.send(&Request::Unreadable { id, name, why: why.unwrap_or_default() });
                    return false;
                }
            };
            self.send_slice(&Request::Slice { id }, buffer.unchecked_ref());
            start = end;
            progress(start, total);
        }
        let _ = self.send(&Request::End { id });
        true
    }
}

fn post(worker: &web_sys::Worker, message: &JsValue, transfer: Option<&JsValue>) {
    let _ = match transfer {
        Some(transfer) => worker.post_message_with_transfer(message, transfer),
        None => worker.post_message(message),
    };
}

impl EngineWorker {
    /// Stops the worker now, whatever it is doing; its memory goes back to the system.
    pub fn terminate(&self) {
        self.alive.set(false);
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

impl Drop for EngineWorker {
    fn drop(&mut self) {
        self.terminate();
    }
}
