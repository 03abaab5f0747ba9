//! Reading the browser's `File` objects into engine source files.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::engine::SourceFile;

/// Reads every file of a picker or a drop. A file that can't be read becomes a source with
/// no bytes, which the engine reports as an error naming it.
pub async fn read_all(files: Vec<web_sys::File>) -> Vec<SourceFile> {
    let mut out = Vec::with_capacity(files.len());
    for f in files {
        let path = relative_path(&f);
        let bytes = match JsFuture::from(f.array_buffer()).await {
            Ok(buf) => Uint8Array::new(&buf).to_vec(),
            Err(_) => Vec::new(),
        };
        out.push(SourceFile::new(path, bytes));
    }
    out
}

/// A picked folder's files carry `webkitRelativePath` (`infra/modules/kms/main.tf`); keep it
/// so module sources resolve, else use the plain name.
fn relative_path(f: &web_sys::File) -> String {
    js_sys::Reflect::get(f.as_ref(), &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| f.name())
}

/// The files of a `FileList` (picker or drop).
pub fn from_list(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

/// The `<input type=file>` behind an event.
pub fn input_of(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into().ok()
}
