//! Where the page's analysis runs. The page never runs the engine's parsers on its own
//! thread: it talks to the analysis worker ([`WorkerEngine`]), which keeps the model between
//! runs. Page and worker are one wasm module: the worker is started with the module the
//! page already compiled, so it is downloaded and compiled once.
//! [`InlineEngine`] runs the engine on the calling thread; browser tests use it, since
//! wasm-bindgen-test serves no worker script. Both keep their state in a
//! [`Session`]: sharing, exporting and opening a permalink run there too, off the page's
//! thread, on the report the engine last made (or opened).

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::dom::Budget;
use super::files::copy_out;
use super::session::Session;
use crate::engine::metrics::Metric;
use crate::engine::report::ExportFormat;
use crate::engine::{Options, Report, SourceFile};
use crate::view::fix::Patch;
use crate::view::share::{
    export_slug, settings_from, Banner, Download, OpenedReview, ShareOffer, BANNER_TITLE,
};

/// Called once with the answer, or with a message saying why there is none.
pub type Reply<T> = Box<dyn FnOnce(Result<T, String>)>;
/// Called once with the new report.
pub type Done = Reply<Report>;
/// Reads the worker's response object (or `{error}` when the worker failed).
type Handler = Box<dyn FnOnce(JsValue)>;

pub trait Engine {
    /// Reads and reviews `sources`; the engine keeps the model for [`Engine::reanalyse`].
    fn load(&self, sources: Arc<Vec<SourceFile>>, options: &Options, done: Done);
    /// Re-runs the rules on the kept model with new options (an override, a suppression).
    fn reanalyse(&self, options: &Options, done: Done);
    /// Sets the baseline (a baseline file's text; empty clears it) and re-runs the review on
    /// screen, if any, with it: `None` when nothing is loaded.
    fn baseline(&self, text: &str, done: Reply<Option<Report>>);
    /// Decodes a permalink (`#v1.…`); its report becomes the one shared and exported.
    fn open(&self, link: &str, done: Reply<OpenedReview>);
    /// The permalinks for the report on screen; `base` is the page's URL.
    fn share(&self, base: &str, done: Reply<ShareOffer>);
    /// The report on screen, in `format`.
    fn export(&self, format: ExportFormat, done: Reply<Download>);
    /// The fixes of the findings `keys` names, applied to the loaded input, as a patch.
    fn patch(&self, keys: Vec<String>, done: Reply<Patch>);
}

/// Requests waiting for the worker to be ready, each with the buffers it hands over
/// (transferred, not copied); `None` once it is.
type Queue = Rc<RefCell<Option<Vec<(Object, Array)>>>>;

/// The engine in a dedicated worker (`planlens::worker`).
pub struct WorkerEngine {
    channel: Rc<Channel>,
}

/// The worker and the requests waiting for its answers.
struct Channel {
    worker: Result<Worker, String>,
    pending: Rc<RefCell<HashMap<u32, Handler>>>,
    /// Requests made before the worker said it is ready; `None` once it has.
    queued: Queue,
    next_id: RefCell<u32>,
}

impl WorkerEngine {
    pub fn new() -> WorkerEngine {
        let pending: Rc<RefCell<HashMap<u32, Handler>>> = Rc::default();
        let queued: Queue = Rc::new(RefCell::new(Some(Vec::new())));
        let worker = start_worker();
        if let Ok(w) = &worker {
            let answered = pending.clone();
            let waiting = queued.clone();
            let to_worker = w.clone();
            let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                let data = ev.data();
                if get(&data, "ready").is_truthy() {
                    for (request, transfer) in waiting.borrow_mut().take().unwrap_or_default() {
                        let _ = to_worker.post_message_with_transfer(&request, &transfer);
                    }
                    return;
                }
                let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u32;
                let Some(handle) = answered.borrow_mut().remove(&id) else {
                    return;
                };
                handle(data);
            });
            w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            // A worker that fails (script missing, out of memory) fails every waiting run.
            let failed = pending.clone();
            let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |ev: ErrorEvent| {
                let message = format!("the analysis worker stopped: {}", ev.message());
                let waiting: Vec<Handler> = failed.borrow_mut().drain().map(|(_, d)| d).collect();
                for handle in waiting {
                    handle(failure(&message));
                }
            });
            w.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
        }
        WorkerEngine {
            channel: Rc::new(Channel {
                worker,
                pending,
                queued,
                next_id: RefCell::new(0),
            }),
        }
    }
}

impl Channel {
    /// Sends a request whose answer is a report; `transfer` holds the buffers it hands over.
    fn report(&self, request: Object, transfer: Array, done: Done) {
        self.send_transferring(
            request,
            transfer,
            Box::new(move |data| {
                leptos::task::spawn_local(async move {
                    done(read_report(&data).await);
                })
            }),
        );
    }

    /// Sends a request whose answer `read` turns into a `T` (plain fields, no JSON: the
    /// page links no reader for these types).
    fn ask<T: 'static>(&self, request: Object, read: fn(&JsValue) -> Option<T>, done: Reply<T>) {
        self.send(
            request,
            Box::new(move |data| done(read(&data).ok_or_else(|| error_of(&data)))),
        );
    }

    fn send(&self, request: Object, handle: Handler) {
        self.send_transferring(request, Array::new(), handle)
    }

    /// Sends a request; the buffers in `transfer` move to the worker instead of being copied
    /// (a 30 MB plan is read into one and handed over as is).
    fn send_transferring(&self, request: Object, transfer: Array, handle: Handler) {
        let worker = match &self.worker {
            Ok(w) => w,
            Err(e) => {
                return handle(failure(&format!(
                    "the analysis worker could not start: {e}"
                )))
            }
        };
        let id = {
            let mut next = self.next_id.borrow_mut();
            *next += 1;
            *next
        };
        let _ = Reflect::set(&request, &"id".into(), &id.into());
        self.pending.borrow_mut().insert(id, handle);
        if let Some(queue) = self.queued.borrow_mut().as_mut() {
            queue.push((request, transfer));
            return;
        }
        if let Err(e) = worker.post_message_with_transfer(&request, &transfer) {
            let handle = self.pending.borrow_mut().remove(&id);
            if let Some(handle) = handle {
                handle(failure(&format!(
                    "the input could not be handed to the worker: {}",
                    describe(&e)
                )));
            }
        }
    }
}

/// Starts `worker.js` as a module worker and hands it this page's compiled wasm module,
/// which it instantiates (see `src/bin/web.rs`).
fn start_worker() -> Result<Worker, String> {
    let options = web_sys::WorkerOptions::new();
    options.set_type(web_sys::WorkerType::Module);
    let worker =
        Worker::new_with_options(crate::worker::SCRIPT, &options).map_err(|e| describe(&e))?;
    let start = Object::new();
    let _ = Reflect::set(&start, &"module".into(), &wasm_bindgen::module());
    worker.post_message(&start).map_err(|e| describe(&e))?;
    Ok(worker)
}

impl Default for WorkerEngine {
    fn default() -> Self {
        WorkerEngine::new()
    }
}

impl Engine for WorkerEngine {
    fn load(&self, sources: Arc<Vec<SourceFile>>, options: &Options, done: Done) {
        let request = request("load", options);
        let channel = self.channel.clone();
        // The bytes go to the worker as new JS arrays, copied a slice per task (a 150 MB
        // plan in one copy held the main thread for 60 ms), then transferred, not copied.
        leptos::task::spawn_local(async move {
            let paths = Array::new();
            let data = Array::new();
            let transfer = Array::new();
            let mut budget = Budget::new();
            for s in sources.iter() {
                paths.push(&s.path.as_str().into());
                let bytes = copy_out(&s.bytes, &mut budget).await;
                transfer.push(&bytes.buffer());
                data.push(&bytes);
            }
            let _ = Reflect::set(&request, &"paths".into(), &paths);
            let _ = Reflect::set(&request, &"data".into(), &data);
            channel.report(request, transfer, done);
        });
    }

    fn reanalyse(&self, options: &Options, done: Done) {
        self.channel
            .report(request("reanalyse", options), Array::new(), done);
    }

    fn baseline(&self, text: &str, done: Reply<Option<Report>>) {
        self.channel.send(
            plain("baseline", "text", text),
            Box::new(move |data| {
                leptos::task::spawn_local(async move {
                    let answer = if get(&data, "report").is_string() {
                        read_report(&data).await.map(Some)
                    } else if get(&data, "error").is_string() {
                        Err(error_of(&data))
                    } else {
                        Ok(None)
                    };
                    done(answer);
                })
            }),
        );
    }

    fn open(&self, link: &str, done: Reply<OpenedReview>) {
        self.channel.send(
            plain("open", "link", link),
            Box::new(move |data| {
                leptos::task::spawn_local(async move {
                    done(read_opened(&data).await);
                })
            }),
        );
    }

    fn share(&self, base: &str, done: Reply<ShareOffer>) {
        let read = |data: &JsValue| {
            Some(ShareOffer {
                report_only: get(data, "report_only").as_string()?,
                with_input: get(data, "with_input").as_string(),
                input_note: get(data, "input_note").as_string(),
            })
        };
        self.channel.ask(plain("share", "base", base), read, done);
    }

    fn export(&self, format: ExportFormat, done: Reply<Download>) {
        let read = |data: &JsValue| {
            Some(Download {
                file_name: get(data, "file_name").as_string()?,
                mime: get(data, "mime").as_string()?,
                text: get(data, "text").as_string()?,
            })
        };
        self.channel
            .ask(plain("export", "format", export_slug(format)), read, done);
    }

    fn patch(&self, keys: Vec<String>, done: Reply<Patch>) {
        let request = Object::new();
        let _ = Reflect::set(&request, &"op".into(), &"patch".into());
        let list: Array = keys.iter().map(|k| JsValue::from(k.as_str())).collect();
        let _ = Reflect::set(&request, &"keys".into(), &list);
        let read = |data: &JsValue| {
            Some(Patch {
                file_name: get(data, "file_name").as_string()?,
                mime: get(data, "mime").as_string()?,
                text: get(data, "text").as_string()?,
                applied: get(data, "applied").as_f64()? as usize,
                remaining: get(data, "remaining").as_f64()? as usize,
            })
        };
        self.channel.ask(request, read, done);
    }
}

/// Reads a worker response: the report skeleton, then its lists in chunks, yielding between
/// them so no single main-thread task reads megabytes of JSON.
async fn read_report(data: &JsValue) -> Result<Report, String> {
    let Some(skeleton) = get(data, "report").as_string() else {
        return Err(error_of(data));
    };
    let mut report: Report = serde_json::from_str(&skeleton).map_err(unreadable)?;
    // Parts are read back to back until the task has run its budget (a yield after every
    // part cost a 10k plan 180 ms of waiting: see `Budget`).
    let mut budget = Budget::new();
    for part in Array::from(&get(data, "parts")).iter() {
        budget.tick().await;
        let part = Array::from(&part);
        let bytes = part
            .get(1)
            .dyn_into::<Uint8Array>()
            .map_or_else(|_| Vec::new(), |b| b.to_vec());
        let json = std::str::from_utf8(&bytes)
            .map_err(|e| format!("the worker's report is not UTF-8: {e}"))?;
        match part.get(0).as_string().as_deref() {
            Some("findings") => extend(&mut report.findings, json)?,
            Some("resources") => extend(&mut report.resources, json)?,
            Some("stores") => extend(&mut report.stores, json)?,
            Some("keys") => extend(&mut report.keys, json)?,
            Some("access") => extend(&mut report.access, json)?,
            Some("metrics") => report
                .metrics
                .extend(serde_json::from_str::<Vec<(String, Metric)>>(json).map_err(unreadable)?),
            other => return Err(format!("the worker sent an unknown part {other:?}")),
        }
    }
    Ok(report)
}

fn unreadable(e: serde_json::Error) -> String {
    format!("the worker's report could not be read: {e}")
}

/// Appends one chunk of a report list (the counterpart of `worker::push_parts`).
fn extend<T: serde::de::DeserializeOwned>(list: &mut Vec<T>, json: &str) -> Result<(), String> {
    list.extend(serde_json::from_str::<Vec<T>>(json).map_err(unreadable)?);
    Ok(())
}

/// An opened permalink (see `worker::opened`): the review as [`read_report`] reads it,
/// with the banner, the settings the views show and the input it was made from.
async fn read_opened(data: &JsValue) -> Result<OpenedReview, String> {
    let report = read_report(data).await?;
    let rows = |name: &str| -> Vec<Vec<JsValue>> {
        Array::from(&get(data, name))
            .iter()
            .map(|row| Array::from(&row).to_vec())
            .collect()
    };
    let text = |v: Option<&JsValue>| v.and_then(JsValue::as_string).unwrap_or_default();
    let pairs = |name: &str| -> Vec<[String; 2]> {
        rows(name)
            .iter()
            .map(|r| [text(r.first()), text(r.get(1))])
            .collect()
    };
    let banner = Banner {
        title: BANNER_TITLE,
        made_by: get(data, "made_by").as_string().unwrap_or_default(),
        digests: rows("digests")
            .iter()
            .map(|r| (text(r.first()), text(r.get(1)), text(r.get(2))))
            .collect(),
        notes: Array::from(&get(data, "notes"))
            .iter()
            .filter_map(|n| n.as_string())
            .collect(),
    };
    let sources = rows("sources")
        .into_iter()
        .map(|r| {
            let bytes = r
                .get(1)
                .and_then(|b| b.dyn_ref::<Uint8Array>().map(|a| a.to_vec()));
            SourceFile::new(text(r.first()), bytes.unwrap_or_default())
        })
        .collect();
    Ok(OpenedReview {
        banner,
        sources,
        report,
        config: settings_from(&pairs("minimums"), &pairs("overrides")),
    })
}

fn request(op: &str, options: &Options) -> Object {
    let options = serde_json::to_string(options).unwrap_or_default();
    plain(op, "options", &options)
}

/// `{op, <field>: value}`.
fn plain(op: &str, field: &str, value: &str) -> Object {
    let request = Object::new();
    let _ = Reflect::set(&request, &"op".into(), &op.into());
    let _ = Reflect::set(&request, &field.into(), &value.into());
    request
}

/// A response saying why there is no answer.
fn failure(message: &str) -> JsValue {
    let response = Object::new();
    let _ = Reflect::set(&response, &"error".into(), &message.into());
    response.into()
}

fn error_of(data: &JsValue) -> String {
    get(data, "error")
        .as_string()
        .unwrap_or_else(|| "the analysis worker gave no answer".into())
}

fn get(obj: &JsValue, key: &str) -> JsValue {
    Reflect::get(obj, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn describe(e: &JsValue) -> String {
    e.as_string()
        .or_else(|| {
            Reflect::get(e, &"message".into())
                .ok()
                .and_then(|m| m.as_string())
        })
        .unwrap_or_else(|| format!("{e:?}"))
}

/// The engine on the calling thread.
#[derive(Default)]
pub struct InlineEngine {
    session: RefCell<Session>,
}

// Each call ends its borrow before `done` runs: `done` may ask the engine again.
impl Engine for InlineEngine {
    fn load(&self, sources: Arc<Vec<SourceFile>>, options: &Options, done: Done) {
        let report = self
            .session
            .borrow_mut()
            .load(sources.to_vec(), options)
            .clone();
        done(Ok(report));
    }

    fn reanalyse(&self, options: &Options, done: Done) {
        let report = self.session.borrow_mut().reanalyse(options).cloned();
        done(report);
    }

    fn baseline(&self, text: &str, done: Reply<Option<Report>>) {
        let answer = if text.trim().is_empty() {
            Ok(None)
        } else {
            crate::engine::report::Baseline::from_json(text)
                .map(Some)
                .map_err(|e| format!("the baseline file: {e}"))
        };
        let answer = answer.and_then(|b| {
            self.session
                .borrow_mut()
                .set_baseline(b)
                .map(|r| r.cloned())
        });
        done(answer);
    }

    fn open(&self, link: &str, done: Reply<OpenedReview>) {
        let opened = self.session.borrow_mut().open(link);
        done(opened);
    }

    fn share(&self, base: &str, done: Reply<ShareOffer>) {
        let offer = self.session.borrow().share(base);
        done(offer);
    }

    fn export(&self, format: ExportFormat, done: Reply<Download>) {
        let download = self.session.borrow().export(format);
        done(download);
    }

    fn patch(&self, keys: Vec<String>, done: Reply<Patch>) {
        let patch = self.session.borrow().patch(keys);
        done(patch);
    }
}
