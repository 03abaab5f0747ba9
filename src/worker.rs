//! The analysis worker (wasm32 only): runs the engine off the page's main thread, so a
//! 50k-resource plan never freezes the page. It keeps the last loaded model, so a category
//! override or a suppression re-runs the rules without re-reading the input, and the report
//! on screen, which it shares and exports ([`Session`]).
//!
//! Protocol (plain JS objects over `postMessage`):
//! - request `{id, op: "load", options, paths: string[], data: Uint8Array[]}` or
//!   `{id, op: "reanalyse", options}`, where `options` is [`Options`] as JSON;
//! - response `{id, report, parts}`: the [`Report`] as JSON without its long lists, and
//!   `parts`, `[name, json]` pairs carrying those lists (`findings`, `resources`, `stores`,
//!   `keys`) in chunks of [`CHUNK`] items, so the page can read them a chunk per task
//!   without a long main-thread task; or `{id, error}`;
//! - `{id, op: "open", link}` (a permalink), `{id, op: "share", base}` (the page's URL) and
//!   `{id, op: "export", format}` (`json`, `sarif`, `markdown`, `csv`): response
//!   `{id, reply}` with [`Opened`](crate::view::share::Opened),
//!   [`ShareOffer`](crate::view::share::ShareOffer) or
//!   [`Download`](crate::view::share::Download) as JSON, or `{id, error}`;
//! - `{ready: true}` once, when the worker can take requests.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::app::session::Session;
use crate::engine::{Options, Report, SourceFile};
use crate::view::share::parse_export;

/// The worker's script, relative to the page (Trunk's loader shim for the `worker` bin).
pub const SCRIPT: &str = "./worker_loader.js";

/// Items per part: about 50 ms of JSON reading on the page for findings, the biggest kind.
pub const CHUNK: usize = 500;

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// Installs the message handler; the worker bin's `main` calls it.
pub fn start() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
        let request = ev.data();
        let id = get(&request, "id");
        let response = Object::new();
        let _ = Reflect::set(&response, &"id".into(), &id);
        match handle(&request) {
            Ok(Answer::Report(report, parts)) => {
                let _ = Reflect::set(&response, &"report".into(), &report.into());
                let _ = Reflect::set(&response, &"parts".into(), &parts);
            }
            Ok(Answer::Reply(json)) => {
                let _ = Reflect::set(&response, &"reply".into(), &json.into());
            }
            Err(error) => {
                let _ = Reflect::set(&response, &"error".into(), &error.into());
            }
        }
        let _ = reply_to.post_message(&response);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive while the wasm is still instantiating have no handler and are
    // dropped, so the page waits for this before it sends anything.
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope.post_message(&ready);
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// What a request gets back.
enum Answer {
    /// A report's skeleton and parts (see [`split`]).
    Report(String, Array),
    /// Any other answer, as JSON.
    Reply(String),
}

/// Runs one request.
fn handle(request: &JsValue) -> Result<Answer, String> {
    let options: Options = match get(request, "options").as_string() {
        Some(json) => serde_json::from_str(&json).map_err(|e| format!("bad options: {e}"))?,
        None => Options::default(),
    };
    let text = |field: &str| get(request, field).as_string().unwrap_or_default();
    let (report, parts) = match get(request, "op").as_string().as_deref() {
        Some("load") => {
            let paths = Array::from(&get(request, "paths"));
            let data = Array::from(&get(request, "data"));
            let sources: Vec<SourceFile> = paths
                .iter()
                .zip(data.iter())
                .map(|(p, d)| {
                    let bytes = d
                        .dyn_into::<Uint8Array>()
                        .map(|a| a.to_vec())
                        .unwrap_or_default();
                    SourceFile::new(p.as_string().unwrap_or_default(), bytes)
                })
                .collect();
            SESSION.with(|s| split(s.borrow_mut().load(&sources, &options)))?
        }
        Some("reanalyse") => SESSION.with(|s| split(s.borrow_mut().reanalyse(&options)?))?,
        Some("open") => return reply(&SESSION.with(|s| s.borrow_mut().open(&text("link")))?),
        Some("share") => return reply(&SESSION.with(|s| s.borrow().share(&text("base")))?),
        Some("export") => {
            let format = parse_export(&text("format"))
                .ok_or_else(|| format!("unknown export format {:?}", text("format")))?;
            return reply(&SESSION.with(|s| s.borrow().export(format))?);
        }
        other => return Err(format!("unknown request {other:?}")),
    };
    Ok(Answer::Report(report, parts))
}

fn reply<T: serde::Serialize>(value: &T) -> Result<Answer, String> {
    serde_json::to_string(value)
        .map(Answer::Reply)
        .map_err(|e| e.to_string())
}

/// The report as JSON without its long lists, and the lists in chunks.
fn split(report: &Report) -> Result<(String, Array), String> {
    let parts = Array::new();
    push_parts(&parts, "findings", &report.findings)?;
    push_parts(&parts, "resources", &report.resources)?;
    push_parts(&parts, "stores", &report.stores)?;
    push_parts(&parts, "keys", &report.keys)?;
    // The session keeps the report (to share and export it): the skeleton is a copy
    // without the lists rather than the report taken apart.
    let skeleton = Report {
        tool: report.tool.clone(),
        input: report.input.clone(),
        findings: Vec::new(),
        resources: Vec::new(),
        stores: Vec::new(),
        keys: Vec::new(),
        providers: report.providers.clone(),
        missing_keys: report.missing_keys.clone(),
        metrics: report.metrics.clone(),
    };
    let skeleton = serde_json::to_string(&skeleton).map_err(|e| e.to_string())?;
    Ok((skeleton, parts))
}

fn push_parts<T: serde::Serialize>(parts: &Array, name: &str, items: &[T]) -> Result<(), String> {
    for chunk in items.chunks(CHUNK) {
        let json = serde_json::to_string(chunk).map_err(|e| e.to_string())?;
        parts.push(&Array::of2(&name.into(), &json.into()));
    }
    Ok(())
}
