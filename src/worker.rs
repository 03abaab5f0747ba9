//! The analysis worker (wasm32 only): runs the engine off the page's main thread, so a
//! 50k-resource plan never freezes the page. It keeps the last loaded model, so a category
//! override or a suppression re-runs the rules without re-reading the input, and the report
//! on screen, which it shares and exports ([`Session`]).
//!
//! Protocol (plain JS objects over `postMessage`):
//! - first, from the page, `{module}`: the page's compiled `WebAssembly.Module`, which
//!   `worker.js` instantiates (page and worker are one wasm module, `src/bin/web.rs`);
//! - request `{id, op: "load", options, paths: string[], data: Uint8Array[]}` or
//!   `{id, op: "reanalyse", options}`, where `options` is [`Options`] as JSON;
//! - response `{id, report, parts}`: the [`Report`] as JSON without its long lists, and
//!   `parts`, `[name, json]` pairs (the JSON as UTF-8 bytes, transferred, not copied)
//!   carrying those lists (`findings`, `resources`, `stores`, `keys`, `access` in chunks of
//!   [`CHUNK`] items, `metrics` one per part), so the page reads them in short tasks; or
//!   `{id, error}`;
//! - `{id, op: "baseline", text}` (a baseline file's text; empty clears it): the review on
//!   screen again, as `{id, report, parts}`, or `{id}` when nothing is loaded; or `{id, error}`;
//! - `{id, op: "open", link}` (a permalink): the review it opens, re-run when the link
//!   carries its input, as `{id, report, parts}` plus the banner, settings and input (see
//!   [`opened`]); or `{id, error}`;
//! - `{id, op: "share", base}` (the page's URL): `{id, report_only, with_input?,
//!   input_note?}` ([`ShareOffer`](crate::view::share::ShareOffer));
//! - `{id, op: "export", format}` (`json`, `sarif`, `markdown`, `csv`): `{id, file_name,
//!   mime, text}` ([`Download`](crate::view::share::Download));
//! - `{id, op: "patch", keys: string[]}` (`fix::finding_key`s): the chosen fixes applied to
//!   the loaded files, `{id, file_name, mime, text, applied, remaining}`
//!   ([`Patch`](crate::view::fix::Patch)); or `{id, error}`;
//! - `{ready: true}` once, when the worker can take requests.
//!
//! The answers other than reports are plain fields, so the page links no JSON reader for
//! them.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::app::session::Session;
use crate::engine::{Options, Report, SourceFile};
use crate::view::share::{parse_export, shown_settings, OpenedReview};

/// The worker's script, relative to the page: a module that imports the site's wasm-bindgen
/// glue and instantiates the page's module (written by `src/web/postbuild.mjs`).
pub const SCRIPT: &str = "./worker.js";

/// Items per part: the page reads parts back to back in tasks of about 10 ms
/// (`app::dom::Budget`); a part of findings, the biggest kind, takes a few ms.
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
            Ok(Answer::Fields(fields)) => {
                let _ = js_sys::Object::assign(&response, &fields);
            }
            Err(error) => {
                let _ = Reflect::set(&response, &"error".into(), &error.into());
            }
        }
        let _ = reply_to.post_message_with_transfer(&response, &transferred(&response));
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    // Messages that arrive while the wasm is still instantiating have no handler and are
    // dropped, so the page waits for this before it sends anything.
    let ready = Object::new();
    let _ = Reflect::set(&ready, &"ready".into(), &true.into());
    let _ = scope.post_message(&ready);
    warm_up(scope, WARM_UP_RUNS);
}

/// Reviews of the built-in example the worker runs while it waits for the first request.
const WARM_UP_RUNS: usize = 40;

/// Reviews the built-in example `runs` times, one review per task, so the engine's hot
/// code is already compiled by the browser's optimising tier when the first real review
/// comes (a fresh tab otherwise runs it in the baseline tier: about 30% slower on a 10k
/// plan). A request that arrives meanwhile runs between two of these tasks.
fn warm_up(scope: DedicatedWorkerGlobalScope, runs: usize) {
    if runs == 0 {
        return;
    }
    let next = scope.clone();
    let task = Closure::once_into_js(move || {
        let files = [SourceFile::new(crate::example::NAME, crate::example::PLAN)];
        drop(crate::engine::check(&files, &Options::default()));
        warm_up(next, runs - 1);
    });
    let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(task.unchecked_ref(), 0);
}

/// The buffers of a response's report parts: moved to the page, not copied. (A 50k plan's
/// parts are about 50 MB of JSON; sent as strings, the page spent 50 ms unpacking them in one
/// task, and each crossing between wasm and JS re-encoded them.)
fn transferred(response: &Object) -> Array {
    let buffers = Array::new();
    if let Some(parts) = get(response, "parts").dyn_ref::<Array>() {
        for part in parts.iter() {
            if let Ok(bytes) = Array::from(&part).get(1).dyn_into::<Uint8Array>() {
                buffers.push(&bytes.buffer());
            }
        }
    }
    buffers
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

/// What a request gets back.
enum Answer {
    /// A report's skeleton and parts (see [`split`]).
    Report(String, Array),
    /// Any other answer, as plain fields.
    Fields(Object),
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
            SESSION.with(|s| split(s.borrow_mut().load(sources, &options)))?
        }
        Some("reanalyse") => SESSION.with(|s| split(s.borrow_mut().reanalyse(&options)?))?,
        Some("baseline") => {
            let text = text("text");
            let baseline = if text.trim().is_empty() {
                None
            } else {
                let b = crate::engine::report::Baseline::from_json(&text)
                    .map_err(|e| format!("the baseline file: {e}"))?;
                Some(b)
            };
            match SESSION.with(|s| s.borrow_mut().set_baseline(baseline).map(|r| r.map(split)))? {
                Some(split) => split?,
                None => return Ok(Answer::Fields(Object::new())),
            }
        }
        Some("open") => {
            let link = SESSION.with(|s| s.borrow_mut().open(&text("link")))?;
            return opened(&link).map(Answer::Fields);
        }
        Some("share") => {
            let o = SESSION.with(|s| s.borrow().share(&text("base")))?;
            return Ok(Answer::Fields(fields(&[
                ("report_only", Some(&o.report_only)),
                ("with_input", o.with_input.as_ref()),
                ("input_note", o.input_note.as_ref()),
            ])));
        }
        Some("export") => {
            let format = parse_export(&text("format"))
                .ok_or_else(|| format!("unknown export format {:?}", text("format")))?;
            let d = SESSION.with(|s| s.borrow().export(format))?;
            return Ok(Answer::Fields(fields(&[
                ("file_name", Some(&d.file_name)),
                ("mime", Some(&d.mime)),
                ("text", Some(&d.text)),
            ])));
        }
        Some("patch") => {
            let keys: Vec<String> = Array::from(&get(request, "keys"))
                .iter()
                .filter_map(|k| k.as_string())
                .collect();
            let p = SESSION.with(|s| s.borrow().patch(keys))?;
            let out = fields(&[
                ("file_name", Some(&p.file_name)),
                ("mime", Some(&p.mime)),
                ("text", Some(&p.text)),
            ]);
            let _ = Reflect::set(&out, &"applied".into(), &(p.applied as f64).into());
            let _ = Reflect::set(&out, &"remaining".into(), &(p.remaining as f64).into());
            return Ok(Answer::Fields(out));
        }
        other => return Err(format!("unknown request {other:?}")),
    };
    Ok(Answer::Report(report, parts))
}

/// `{name: value}` for each value that is there.
fn fields(values: &[(&str, Option<&String>)]) -> Object {
    let out = Object::new();
    for (name, value) in values {
        if let Some(v) = value {
            let _ = Reflect::set(&out, &(*name).into(), &v.as_str().into());
        }
    }
    out
}

/// An opened permalink for the page, as plain fields: the banner (`title`, `made_by`,
/// `digests` as `[path, short, sha256]`, `notes`), the settings the views show (`minimums`,
/// `overrides`, see [`shown_settings`]), the input when it was reviewed again (`sources`,
/// `[path, bytes]`) and the review (`report`, `parts`, as for a load).
fn opened(review: &OpenedReview) -> Result<Object, String> {
    let out = Object::new();
    let set = |name: &str, value: &JsValue| {
        let _ = Reflect::set(&out, &name.into(), value);
    };
    let strings = |rows: &mut dyn Iterator<Item = Vec<&str>>| {
        let list = Array::new();
        for row in rows {
            list.push(&row.into_iter().map(JsValue::from).collect::<Array>());
        }
        list
    };
    let b = &review.banner;
    set("made_by", &b.made_by.as_str().into());
    set(
        "digests",
        &strings(
            &mut b
                .digests
                .iter()
                .map(|(p, s, f)| vec![p.as_str(), s.as_str(), f.as_str()]),
        ),
    );
    set(
        "notes",
        &b.notes
            .iter()
            .map(|n| JsValue::from(n.as_str()))
            .collect::<Array>(),
    );
    let (minimums, overrides) = shown_settings(&review.config);
    set(
        "minimums",
        &strings(&mut minimums.iter().map(|[a, b]| vec![a.as_str(), b.as_str()])),
    );
    set(
        "overrides",
        &strings(&mut overrides.iter().map(|[a, b]| vec![a.as_str(), b.as_str()])),
    );
    let sources = Array::new();
    for s in &review.sources {
        sources.push(&Array::of2(
            &s.path.as_str().into(),
            &Uint8Array::from(s.bytes.as_slice()),
        ));
    }
    set("sources", &sources);
    let (skeleton, parts) = split(&review.report)?;
    set("report", &skeleton.into());
    set("parts", &parts);
    Ok(out)
}

/// The report as JSON without its long lists, and the lists in chunks.
fn split(report: &Report) -> Result<(String, Array), String> {
    let parts = Array::new();
    push_parts(&parts, "findings", &report.findings)?;
    push_parts(&parts, "resources", &report.resources)?;
    push_parts(&parts, "stores", &report.stores)?;
    push_parts(&parts, "keys", &report.keys)?;
    push_parts(&parts, "access", &report.access)?;
    // A metric lists every resource it counts (hundreds of KB each at 50k): one per part.
    for metric in &report.metrics {
        push_part(&parts, "metrics", &[metric])?;
    }
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
        metrics: Default::default(),
        baseline: report.baseline.clone(),
        access: Vec::new(),
        decryptors: report.decryptors.clone(),
        access_gaps: report.access_gaps.clone(),
    };
    let skeleton = serde_json::to_string(&skeleton).map_err(|e| e.to_string())?;
    Ok((skeleton, parts))
}

fn push_parts<T: serde::Serialize>(parts: &Array, name: &str, items: &[T]) -> Result<(), String> {
    for chunk in items.chunks(CHUNK) {
        push_part(parts, name, chunk)?;
    }
    Ok(())
}

/// One part: `[name, JSON as UTF-8 bytes]`.
fn push_part<T: serde::Serialize>(parts: &Array, name: &str, items: &[T]) -> Result<(), String> {
    let json = serde_json::to_string(items).map_err(|e| e.to_string())?;
    parts.push(&Array::of2(
        &name.into(),
        &Uint8Array::from(json.as_bytes()),
    ));
    Ok(())
}
