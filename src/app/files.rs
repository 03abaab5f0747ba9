//! Reading the browser's `File` objects (picker, folder picker, drop, dropped folders) into
//! engine source files.

use js_sys::Uint8Array;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::dom::Budget;
use crate::engine::input::MAX_DEPTH;
use crate::engine::SourceFile;
use crate::view::input::{skipped_dir, wanted};

/// A dropped folder is read up to this many files (a repository with vendored modules
/// is fine; a home directory dropped by mistake is not read whole).
pub const MAX_FOLDER_FILES: usize = 5000;

/// Reads every file of a picker or a drop. A file that can't be read becomes a source with
/// no bytes, which the engine reports as an error naming it.
pub async fn read_all(files: Vec<(String, web_sys::File)>) -> Vec<SourceFile> {
    let mut out = Vec::with_capacity(files.len());
    let mut budget = Budget::new();
    for (path, f) in files {
        let bytes = match JsFuture::from(f.array_buffer()).await {
            Ok(buf) => copy_in(&Uint8Array::new(&buf), &mut budget).await,
            Err(_) => Vec::new(),
        };
        out.push(SourceFile::new(path, bytes));
    }
    out
}

/// Bytes copied between JS and wasm memory per slice (see [`Budget`]): a 150 MB plan copied
/// in one go held the main thread for 70 ms.
pub const COPY_SLICE: usize = 4 << 20;

/// A JS byte array's bytes in wasm memory, copied a slice at a time.
pub async fn copy_in(src: &Uint8Array, budget: &mut Budget) -> Vec<u8> {
    let len = src.length() as usize;
    let mut out = Vec::with_capacity(len);
    while out.len() < len {
        let (at, end) = (out.len(), (out.len() + COPY_SLICE).min(len));
        out.resize(end, 0);
        src.subarray(at as u32, end as u32).copy_to(&mut out[at..]);
        budget.tick().await;
    }
    out
}

/// Bytes as a new JS byte array (to hand to the worker), copied a slice at a time.
pub async fn copy_out(src: &[u8], budget: &mut Budget) -> Uint8Array {
    let out = Uint8Array::new_with_length(src.len() as u32);
    for (i, slice) in src.chunks(COPY_SLICE).enumerate() {
        let at = (i * COPY_SLICE) as u32;
        out.subarray(at, at + slice.len() as u32).copy_from(slice);
        budget.tick().await;
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

/// The files of a `FileList` (picker or drop), with their relative paths. Files from a
/// picked folder are narrowed to the ones the engine reads (see `view::input::wanted`).
pub fn from_list(list: Option<web_sys::FileList>) -> Vec<(String, web_sys::File)> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|f| (relative_path(&f), f))
        .filter(|(path, _)| !path.contains('/') || wanted(path))
        .collect()
}

/// The `<input type=file>` behind an event.
pub fn input_of(ev: &web_sys::Event) -> Option<web_sys::HtmlInputElement> {
    ev.target()?.dyn_into().ok()
}

/// The entries of a drop, taken synchronously: the `DataTransfer` is emptied once the drop
/// handler returns. `None` when the browser has no entry API (then use `files`).
pub fn drop_entries(dt: &web_sys::DataTransfer) -> Option<Vec<web_sys::FileSystemEntry>> {
    let items = dt.items();
    let mut out = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => out.push(entry),
            _ => return None,
        }
    }
    Some(out)
}

/// Whether any entry of a drop is a folder.
pub fn has_folder(entries: &[web_sys::FileSystemEntry]) -> bool {
    entries.iter().any(|e| e.is_directory())
}

/// Walks dropped entries (files and folders) breadth-first, without recursion, and returns
/// the files the engine reads with their paths relative to the drop (`infra/main.tf`).
pub async fn walk(entries: Vec<web_sys::FileSystemEntry>) -> Vec<(String, web_sys::File)> {
    let mut queue: std::collections::VecDeque<(web_sys::FileSystemEntry, usize)> =
        entries.into_iter().map(|e| (e, 0)).collect();
    let mut out = Vec::new();
    while let Some((entry, depth)) = queue.pop_front() {
        if out.len() >= MAX_FOLDER_FILES {
            break;
        }
        let path = entry.full_path().trim_start_matches('/').to_string();
        if entry.is_directory() {
            if depth >= MAX_DEPTH || skipped_dir(&entry.name()) {
                continue;
            }
            let dir: web_sys::FileSystemDirectoryEntry = entry.unchecked_into();
            let reader = dir.create_reader();
            // readEntries returns the listing in batches until an empty one.
            loop {
                let batch = read_batch(&reader).await;
                if batch.is_empty() {
                    break;
                }
                queue.extend(batch.into_iter().map(|e| (e, depth + 1)));
            }
        } else if depth == 0 || wanted(&path) {
            let file_entry: web_sys::FileSystemFileEntry = entry.unchecked_into();
            if let Some(f) = entry_file(&file_entry).await {
                out.push((path, f));
            }
        }
    }
    out
}

async fn read_batch(reader: &web_sys::FileSystemDirectoryReader) -> Vec<web_sys::FileSystemEntry> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        let _ = reader.read_entries_with_callback_and_callback(&resolve, &reject);
    });
    match JsFuture::from(promise).await {
        Ok(v) => js_sys::Array::from(&v)
            .iter()
            .filter_map(|e| e.dyn_into().ok())
            .collect(),
        Err(_) => Vec::new(),
    }
}

async fn entry_file(entry: &web_sys::FileSystemFileEntry) -> Option<web_sys::File> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise).await.ok()?.dyn_into().ok()
}
