//! Browser glue, and the only module that touches browser APIs: clipboard, files, storage, the
//! document's attributes, the clock. Failures are values, not panics.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{File, FileList, HtmlTextAreaElement};

/// Copies `text`. Uses the async Clipboard API when the page may (secure context), otherwise
/// falls back to a hidden textarea and `execCommand("copy")`, which works on plain http too.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    if window.is_secure_context() {
        let clipboard = window.navigator().clipboard();
        if JsFuture::from(clipboard.write_text(text)).await.is_ok() {
            return true;
        }
    }
    copy_with_textarea(text)
}

fn copy_with_textarea(text: &str) -> bool {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return false };
    let Ok(element) = document.create_element("textarea") else { return false };
    let Ok(area) = element.dyn_into::<HtmlTextAreaElement>() else { return false };
    area.set_value(text);
    // Off-screen rather than display:none, which cannot be selected; a class, because the
    // page's CSP forbids inline styles.
    let _ = area.set_attribute("class", "offscreen");
    let _ = area.set_attribute("aria-hidden", "true");
    let Some(body) = document.body() else { return false };
    if body.append_child(&area).is_err() {
        return false;
    }
    area.select();
    let ok = document.dyn_ref::<web_sys::HtmlDocument>().and_then(|d| d.exec_command("copy").ok()).unwrap_or(false);
    let _ = body.remove_child(&area);
    ok
}

/// The files of a list, taken out now: a `FileList` is live, and clearing the input (so the
/// same file can be chosen again) empties it before an async read would get to it.
pub fn files_of(list: &FileList) -> Vec<File> {
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// A value kept in local storage (not fatal when refused: private windows may refuse it). The
/// raw strings, not gloo's JSON-encoded values: the page's bundle carries no JSON reader.
pub fn stored(key: &str) -> Option<String> {
    LocalStorage::raw().get_item(key).ok().flatten()
}

pub fn store(key: &str, value: &str) {
    let _ = LocalStorage::raw().set_item(key, value);
}

/// Sets (or, for `None`, removes) an attribute of the `<html>` element, which the CSS and
/// assistive technology read (`data-theme`, `lang`).
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = gloo_utils::document().document_element() else { return };
    let _ = match value {
        Some(value) => root.set_attribute(name, value),
        None => root.remove_attribute(name),
    };
}

pub fn set_title(title: &str) {
    gloo_utils::document().set_title(title);
}

/// The browser's preferred language (`zh-CN`, `en-US`), if it says.
pub fn preferred_language() -> Option<String> {
    gloo_utils::window().navigator().language()
}

/// The URL fragment, without its `#`.
pub fn fragment() -> String {
    gloo_utils::window().location().hash().unwrap_or_default().trim_start_matches('#').to_string()
}

/// Sets the URL fragment (a new history entry, so Back returns to the previous one).
pub fn set_fragment(fragment: &str) {
    let _ = gloo_utils::window().location().set_hash(fragment);
}

/// Seconds since the Unix epoch.
pub fn now() -> f64 {
    js_sys::Date::now() / 1000.0
}

#[wasm_bindgen::prelude::wasm_bindgen]
extern "C" {
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    /// Takes the JavaScript string as it is: web-sys's `encode_with_input` takes a `&str`, which
    /// would copy a megabyte into the page's memory and out again.
    #[wasm_bindgen(method)]
    fn encode(this: &TextEncoder, text: &wasm_bindgen::JsValue) -> js_sys::Uint8Array;
}

/// A text's UTF-8 bytes, made in JavaScript (a 150 MB paste is not copied into the page's
/// memory): what the engine reads, ready to transfer to it.
pub fn utf8_of(text: &wasm_bindgen::JsValue) -> js_sys::Uint8Array {
    TextEncoder::new().encode(text)
}

/// A blob holding a copy of `bytes`, kept to feed a restarted worker (made from the bytes: from
/// the text, the browser would encode it again, 7 ms a megabyte).
pub fn blob_of_bytes(bytes: &js_sys::Uint8Array) -> Option<web_sys::Blob> {
    web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(bytes)).ok()
}

/// The text a paste carries, left in JavaScript (a megabyte is not copied into the page's
/// memory and back).
pub fn pasted_text(event: &web_sys::Event) -> Option<wasm_bindgen::JsValue> {
    use js_sys::Reflect;
    // No clipboard data: reading `getData` of null fails, and so does this.
    let data = Reflect::get(event, &"clipboardData".into()).ok()?;
    let get = Reflect::get(&data, &"getData".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    get.call1(&data, &"text".into()).ok()
}

/// The text of a textarea, left in JavaScript.
pub fn text_of(area: &HtmlTextAreaElement) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(area, &"value".into()).unwrap_or_default()
}

/// A file served beside the page, as a blob (None when it cannot be fetched).
pub async fn fetch_blob(url: &str) -> Option<web_sys::Blob> {
    let response: web_sys::Response =
        JsFuture::from(gloo_utils::window().fetch_with_str(url)).await.ok()?.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    JsFuture::from(response.blob().ok()?).await.ok()?.dyn_into().ok()
}

pub mod worker;

/// The page's address without its fragment (a share link adds its own).
pub fn address() -> String {
    let location = gloo_utils::window().location();
    let href = location.href().unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Offers `text` as a file to save, made in the page (no request: a blob URL, revoked after).
pub fn download(name: &str, text: &str, mime: &str) -> bool {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&text.into()), &options) else {
        return false;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else { return false };
    let document = gloo_utils::document();
    let Some(anchor) = document.create_element("a").ok().and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    else {
        return false;
    };
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    true
}

pub fn print() {
    let _ = gloo_utils::window().print();
}

/// The tab's session storage, as raw strings. `Err` says why a value was refused (over quota,
/// or storage turned off), so the page can tell the person.
pub mod session {
    use gloo_storage::{SessionStorage, Storage};

    pub fn get(key: &str) -> Option<String> {
        SessionStorage::raw().get_item(key).ok().flatten()
    }

    pub fn set(key: &str, value: &str) -> Result<(), ()> {
        SessionStorage::raw().set_item(key, value).map_err(|_| ())
    }

    pub fn remove(key: &str) {
        let _ = SessionStorage::raw().remove_item(key);
    }
}

/// The text of a blob (an input kept in the tab).
pub async fn text_of_blob(blob: &web_sys::Blob) -> Option<String> {
    JsFuture::from(blob.text()).await.ok()?.as_string()
}

/// Brings an element into view when its top is not on screen (on a phone the verdict is below
/// the paste box; on a desktop it is already in view and nothing moves).
pub fn reveal(element: &web_sys::Element) {
    let top = element.get_bounding_client_rect().top();
    let height = gloo_utils::window().inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
    if top < 0.0 || top > height * 0.6 {
        element.scroll_into_view_with_bool(true);
    }
}

/// Whether the window is wide enough for the full toolbar (the CSS's desktop breakpoint).
pub fn is_wide() -> bool {
    gloo_utils::window().inner_width().ok().and_then(|w| w.as_f64()).is_some_and(|w| w >= 960.0)
}

/// Brings a node's card into view, on the next frame (once it is written into the page): the
/// fleet's node table opens a node far above its card.
pub fn reveal_node_card(node: &str) {
    let quoted = node.replace('\\', "\\\\").replace('"', "\\\"");
    let selector = format!("[data-testid=\"node-card\"][data-node=\"{quoted}\"]");
    leptos::prelude::request_animation_frame(move || {
        if let Ok(Some(card)) = gloo_utils::document().query_selector(&selector) {
            card.scroll_into_view();
        }
    });
}

/// Opens a folded panel (a `<details>` by its test id) and brings it into view: the share panel
/// sits below the whole diagnosis.
pub fn open_panel(testid: &str) {
    let selector = format!("details[data-testid=\"{testid}\"]");
    if let Ok(Some(panel)) = gloo_utils::document().query_selector(&selector) {
        if let Ok(details) = panel.clone().dyn_into::<web_sys::HtmlDetailsElement>() {
            details.set_open(true);
        }
        panel.scroll_into_view();
    }
}

/// Sets `done` once the next frame is painted (a timer queued from an animation frame runs once
/// that frame is on screen). A signal, not a closure: one copy of the browser glue for every use.
pub fn after_first_paint(done: leptos::prelude::RwSignal<bool>) {
    use leptos::prelude::Set;
    leptos::prelude::request_animation_frame(move || {
        leptos::prelude::set_timeout(move || done.set(true), std::time::Duration::ZERO)
    });
}

/// Runs `task` once the page idles after its first paint (`requestIdleCallback`; a second later
/// where there is none), unless the person's browser asks to save data (`Save-Data`): then it
/// waits for the person, as before.
pub fn when_idle(task: impl Fn() + Copy + 'static) {
    use js_sys::Reflect;
    let saves_data = Reflect::get(&gloo_utils::window().navigator(), &"connection".into())
        .and_then(|connection| Reflect::get(&connection, &"saveData".into()))
        .is_ok_and(|on| on.is_truthy());
    if !saves_data && leptos::prelude::request_idle_callback_with_handle(task).is_err() {
        leptos::prelude::set_timeout(task, std::time::Duration::from_secs(1));
    }
}
