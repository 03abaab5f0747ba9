//! Where the page's analysis runs. The page itself never links the engine's parsers: it
//! talks to the analysis worker ([`WorkerEngine`]), which keeps the model between runs.
//! [`InlineEngine`] runs the engine on the calling thread; browser tests use it, since
//! wasm-bindgen-test serves no worker script.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::engine::model::Model;
use crate::engine::{self, Options, Report, SourceFile};

/// Called once with the new report, or with a message saying why there is none.
pub type Done = Box<dyn FnOnce(Result<Report, String>)>;

pub trait Engine {
    /// Reads and reviews `sources`; the engine keeps the model for [`Engine::reanalyse`].
    fn load(&self, sources: &[SourceFile], options: &Options, done: Done);
    /// Re-runs the rules on the kept model with new options (an override, a suppression).
    fn reanalyse(&self, options: &Options, done: Done);
}

/// The engine in a dedicated worker (`planlens::worker`).
pub struct WorkerEngine {
    worker: Result<Worker, String>,
    pending: Rc<RefCell<HashMap<u32, Done>>>,
    /// Requests made before the worker said it is ready; `None` once it has.
    queued: Rc<RefCell<Option<Vec<Object>>>>,
    next_id: RefCell<u32>,
}

impl WorkerEngine {
    pub fn new() -> WorkerEngine {
        let pending: Rc<RefCell<HashMap<u32, Done>>> = Rc::default();
        let queued = Rc::new(RefCell::new(Some(Vec::<Object>::new())));
        let worker = Worker::new(crate::worker::SCRIPT).map_err(|e| describe(&e));
        if let Ok(w) = &worker {
            let answered = pending.clone();
            let waiting = queued.clone();
            let to_worker = w.clone();
            let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |ev: MessageEvent| {
                let data = ev.data();
                if get(&data, "ready").is_truthy() {
                    for request in waiting.borrow_mut().take().unwrap_or_default() {
                        let _ = to_worker.post_message(&request);
                    }
                    return;
                }
                let id = get(&data, "id").as_f64().unwrap_or(-1.0) as u32;
                let Some(done) = answered.borrow_mut().remove(&id) else {
                    return;
                };
                leptos::task::spawn_local(async move {
                    done(read_report(&data).await);
                });
            });
            w.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
            // A worker that fails (script missing, out of memory) fails every waiting run.
            let failed = pending.clone();
            let on_error = Closure::<dyn Fn(ErrorEvent)>::new(move |ev: ErrorEvent| {
                let message = format!("the analysis worker stopped: {}", ev.message());
                let waiting: Vec<Done> = failed.borrow_mut().drain().map(|(_, d)| d).collect();
                for done in waiting {
                    done(Err(message.clone()));
                }
            });
            w.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
        }
        WorkerEngine {
            worker,
            pending,
            queued,
            next_id: RefCell::new(0),
        }
    }

    fn send(&self, request: Object, done: Done) {
        let worker = match &self.worker {
            Ok(w) => w,
            Err(e) => return done(Err(format!("the analysis worker could not start: {e}"))),
        };
        let id = {
            let mut next = self.next_id.borrow_mut();
            *next += 1;
            *next
        };
        let _ = Reflect::set(&request, &"id".into(), &id.into());
        self.pending.borrow_mut().insert(id, done);
        if let Some(queue) = self.queued.borrow_mut().as_mut() {
            queue.push(request);
            return;
        }
        if let Err(e) = worker.post_message(&request) {
            if let Some(done) = self.pending.borrow_mut().remove(&id) {
                done(Err(format!(
                    "the input could not be handed to the worker: {}",
                    describe(&e)
                )));
            }
        }
    }
}

impl Default for WorkerEngine {
    fn default() -> Self {
        WorkerEngine::new()
    }
}

impl Engine for WorkerEngine {
    fn load(&self, sources: &[SourceFile], options: &Options, done: Done) {
        let request = request("load", options);
        let paths = Array::new();
        let data = Array::new();
        for s in sources {
            paths.push(&s.path.as_str().into());
            data.push(&Uint8Array::from(s.bytes.as_slice()));
        }
        let _ = Reflect::set(&request, &"paths".into(), &paths);
        let _ = Reflect::set(&request, &"data".into(), &data);
        self.send(request, done);
    }

    fn reanalyse(&self, options: &Options, done: Done) {
        self.send(request("reanalyse", options), done);
    }
}

/// Reads a worker response: the report skeleton, then its lists a chunk per task, so no
/// single main-thread task reads megabytes of JSON.
async fn read_report(data: &JsValue) -> Result<Report, String> {
    let Some(skeleton) = get(data, "report").as_string() else {
        return Err(get(data, "error")
            .as_string()
            .unwrap_or_else(|| "the analysis worker gave no answer".into()));
    };
    let unreadable = |e: serde_json::Error| format!("the worker's report could not be read: {e}");
    let mut report: Report = serde_json::from_str(&skeleton).map_err(unreadable)?;
    for part in Array::from(&get(data, "parts")).iter() {
        super::dom::sleep(0).await;
        let part = Array::from(&part);
        let json = part.get(1).as_string().unwrap_or_default();
        match part.get(0).as_string().as_deref() {
            Some("findings") => report
                .findings
                .extend(serde_json::from_str::<Vec<_>>(&json).map_err(unreadable)?),
            Some("resources") => report
                .resources
                .extend(serde_json::from_str::<Vec<_>>(&json).map_err(unreadable)?),
            Some("stores") => report
                .stores
                .extend(serde_json::from_str::<Vec<_>>(&json).map_err(unreadable)?),
            Some("keys") => report
                .keys
                .extend(serde_json::from_str::<Vec<_>>(&json).map_err(unreadable)?),
            other => return Err(format!("the worker sent an unknown part {other:?}")),
        }
    }
    Ok(report)
}

fn request(op: &str, options: &Options) -> Object {
    let request = Object::new();
    let _ = Reflect::set(&request, &"op".into(), &op.into());
    let options = serde_json::to_string(options).unwrap_or_default();
    let _ = Reflect::set(&request, &"options".into(), &options.into());
    request
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
    model: RefCell<Option<Model>>,
}

impl Engine for InlineEngine {
    fn load(&self, sources: &[SourceFile], options: &Options, done: Done) {
        let model = engine::input::load(sources);
        let report = engine::analyse(&model, options);
        *self.model.borrow_mut() = Some(model);
        done(Ok(report));
    }

    fn reanalyse(&self, options: &Options, done: Done) {
        let report = match self.model.borrow().as_ref() {
            Some(model) => Ok(engine::analyse(model, options)),
            None => Err("nothing loaded to re-analyse".to_string()),
        };
        done(report);
    }
}
