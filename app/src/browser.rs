//! Browser glue: clipboard, reading dropped or chosen files. Failures are values, not panics.

use js_sys::Uint8Array;
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

/// Reads files as bytes (so UTF-16 logs are decoded by the diagnosis crate, as in the CLI).
pub async fn read_files(files: Vec<File>) -> Vec<(String, Result<Vec<u8>, String>)> {
    let mut out = Vec::new();
    for file in files {
        out.push((file.name(), read_file(&file).await));
    }
    out
}

async fn read_file(file: &File) -> Result<Vec<u8>, String> {
    let buffer = JsFuture::from(file.array_buffer()).await.map_err(|e| format!("{e:?}"))?;
    Ok(Uint8Array::new(&buffer).to_vec())
}
