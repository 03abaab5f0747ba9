//! The page (wasm32 only): thin Leptos components over plain state. The logic they show
//! (sorting, filtering, matrix rows, layout) lives in `crate::view`, tested natively.

mod categories;
mod dom;
mod files;
mod findings;
mod hierarchy;
mod input;
mod overview;
mod resources;
mod results;
mod tabs;

use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::config::Suppression;
use crate::engine::model::Model;
use crate::engine::{self, Options, Report, SourceFile};
use crate::view::findings::{FindingFilter, Focus, Sort};
use crate::view::hierarchy::Toggled;
use crate::view::matrix::{Column, RowKey};

pub use tabs::Tab;

/// What the page is showing and what it was made from.
#[derive(Clone)]
pub struct Analysed {
    pub sources: Arc<Vec<SourceFile>>,
    pub model: Arc<Model>,
    pub report: Arc<Report>,
    /// Wall-clock milliseconds of the last engine run (load + analyse, or re-analyse).
    pub millis: f64,
}

/// State shared by the components, provided as context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The paste box: never cleared by an error or a new analysis.
    pub pasted: RwSignal<String>,
    pub options: RwSignal<Options>,
    pub analysed: RwSignal<Option<Analysed>>,
    /// "Reading 3 files…" while input is read and analysed.
    pub busy: RwSignal<Option<String>>,
    pub ui: Ui,
}

/// What the user has chosen to look at; it survives re-analysis (an override or a
/// suppression re-runs the engine and everything stays where it was).
#[derive(Clone, Copy)]
pub struct Ui {
    pub tab: RwSignal<Tab>,
    pub filter: RwSignal<FindingFilter>,
    pub sort: RwSignal<Sort>,
    /// Ids (`FindingRow::id`) of the opened findings.
    pub open: RwSignal<BTreeSet<String>>,
    pub resource_focus: RwSignal<Option<Focus>>,
    pub selected_key: RwSignal<Option<String>>,
    pub toggled: RwSignal<Toggled>,
    pub cell: RwSignal<Option<(RowKey, Column)>>,
}

impl AppState {
    fn new() -> AppState {
        AppState {
            pasted: RwSignal::new(String::new()),
            options: RwSignal::new(Options::default()),
            analysed: RwSignal::new(None),
            busy: RwSignal::new(None),
            ui: Ui {
                tab: RwSignal::new(Tab::Overview),
                filter: RwSignal::new(FindingFilter::default()),
                sort: RwSignal::new(Sort::default()),
                open: RwSignal::new(BTreeSet::new()),
                resource_focus: RwSignal::new(None),
                selected_key: RwSignal::new(None),
                toggled: RwSignal::new(Toggled::new()),
                cell: RwSignal::new(None),
            },
        }
    }

    /// Loads and reviews `sources`, replacing what is shown. The status line renders before
    /// the engine runs; moving the engine into a Web Worker only changes `run_engine`.
    pub fn analyse(&self, sources: Vec<SourceFile>) {
        let state = *self;
        let files = sources.len();
        state.busy.set(Some(format!(
            "Analysing {files} file{}…",
            if files == 1 { "" } else { "s" }
        )));
        spawn_local(async move {
            dom::yield_to_browser().await;
            let options = state.options.get_untracked();
            let started = js_sys::Date::now();
            let (model, report) = run_engine(&sources, &options);
            let millis = js_sys::Date::now() - started;
            // A new input starts a new review: choices tied to the old one go.
            state.ui.open.set(BTreeSet::new());
            state.ui.selected_key.set(None);
            state.ui.cell.set(None);
            state.ui.filter.update(|f| f.focus = None);
            state.ui.resource_focus.set(None);
            state.analysed.set(Some(Analysed {
                sources: Arc::new(sources),
                model: Arc::new(model),
                report: Arc::new(report),
                millis,
            }));
            state.busy.set(None);
        });
    }

    /// Re-runs the rules on the kept model with the current options (no re-parse): after an
    /// override or a suppression.
    pub fn reanalyse(&self) {
        let Some(current) = self.analysed.get_untracked() else {
            return;
        };
        let options = self.options.get_untracked();
        let started = js_sys::Date::now();
        let report = engine::analyse(&current.model, &options);
        let millis = js_sys::Date::now() - started;
        self.analysed.set(Some(Analysed {
            report: Arc::new(report),
            millis,
            ..current
        }));
    }

    /// Suppresses one finding (rule + address) with a reason, from the page.
    pub fn suppress(&self, rule: String, address: Option<String>, reason: String) {
        self.options.update(|o| {
            o.config.suppressions.push(Suppression {
                rule,
                address,
                reason,
            })
        });
        self.reanalyse();
    }

    /// Removes the page's (or config's) suppressions matching a finding.
    pub fn unsuppress(&self, rule: &str, address: Option<&str>) {
        self.options.update(|o| {
            o.config.suppressions.retain(|s| {
                !(s.rule.eq_ignore_ascii_case(rule)
                    && (s.address.is_none() || s.address.as_deref() == address))
            })
        });
        self.reanalyse();
    }

    /// Overrides a store's category (`""` returns it to automatic) and re-runs at once.
    pub fn set_override(&self, address: &str, value: &str) {
        self.options
            .update(|o| crate::view::matrix::set_override(&mut o.config, address, value));
        self.reanalyse();
    }

    /// Opens the findings narrowed to a set of addresses.
    pub fn show_findings(&self, focus: Focus) {
        self.ui.filter.set(FindingFilter {
            focus: Some(focus),
            ..FindingFilter::default()
        });
        self.ui.tab.set(Tab::Findings);
    }

    pub fn show_resources(&self, focus: Focus) {
        self.ui.resource_focus.set(Some(focus));
        self.ui.tab.set(Tab::Resources);
    }
}

/// Reads the files into a model and reviews it: the one place the engine runs on input.
fn run_engine(sources: &[SourceFile], options: &Options) -> (Model, Report) {
    let model = engine::input::load(sources);
    let report = engine::analyse(&model, options);
    (model, report)
}

#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    // `#example` opens the page with the built-in example loaded (`make serve` links to it).
    let hash = window().location().hash().unwrap_or_default();
    if hash == "#example" {
        state.analyse(vec![SourceFile::new(
            crate::example::NAME,
            crate::example::PLAN.as_bytes(),
        )]);
    }
    view! {
        <header class="site-header">
            <div class="brand">
                <span class="logo" aria-hidden="true">"◈"</span>
                <div>
                    <h1>"planlens"</h1>
                    <p class="tagline">
                        "Reviews Terraform against your AWS encryption strategy: data categories, KMS keys, TLS."
                    </p>
                </div>
            </div>
            <p class="privacy" data-testid="privacy">
                <svg class="lock" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true">
                    <path fill="currentColor" fill-rule="evenodd" d="M4 7V5a4 4 0 0 1 8 0v2h1.5v8h-11V7H4zm2 0h4V5a2 2 0 0 0-4 0v2z" />
                </svg>
                "Runs entirely in your browser. Nothing you load is uploaded or sent anywhere."
            </p>
        </header>
        <main>
            <input::InputPanel />
            <results::Results />
        </main>
        <footer class="site-footer">
            {format!("planlens {} · rules run locally in WebAssembly", engine::report::VERSION)}
        </footer>
    }
}
