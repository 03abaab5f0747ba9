//! The page (wasm32 only): thin Leptos components over plain state. The logic they show
//! (sorting, filtering, matrix rows, layout) lives in `crate::view`, tested natively.

mod categories;
pub mod dom;
pub mod engine;
mod export;
pub mod files;
mod findings;
mod hierarchy;
mod input;
mod overview;
mod resources;
mod results;
pub mod session;
mod share;
mod tabs;

use std::collections::BTreeSet;
use std::rc::Rc;
use std::sync::{Arc, OnceLock};

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::engine::config::Suppression;
use crate::engine::model::InputFile;
use crate::engine::report::ExportFormat;
use crate::engine::{Options, Report, SourceFile};
use crate::view::findings::{FindingFilter, Focus, Sort};
use crate::view::hierarchy::Toggled;
use crate::view::matrix::{Column, RowKey};
use crate::view::share::{is_permalink, Banner, Download, ShareOffer};

pub use tabs::Tab;

/// What the page is showing and what it was made from.
#[derive(Clone)]
pub struct Analysed {
    pub sources: Arc<Vec<SourceFile>>,
    /// The inputs as text for source excerpts, decoded when first needed (the model lives
    /// with the engine).
    files: Arc<OnceLock<Vec<InputFile>>>,
    pub report: Arc<Report>,
    /// Wall-clock milliseconds of the last engine run (load + analyse, or re-analyse).
    pub millis: f64,
}

impl Analysed {
    /// The inputs as text (decoded on first use).
    pub fn files(&self) -> &[InputFile] {
        self.files.get_or_init(|| texts(&self.sources))
    }
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
    /// Why the last analysis produced no report (the worker failed); input errors are in
    /// the report instead.
    pub failure: RwSignal<Option<String>>,
    /// Set while the review on screen was opened from a permalink: it is shown read-only
    /// (no suppressing, no overrides) until the user starts a new review.
    pub read_only: RwSignal<Option<Banner>>,
    /// Why the permalink in the address could not be opened (the codec's words).
    pub link_error: RwSignal<Option<String>>,
    /// The name of the baseline file the findings are compared with, once it is read.
    pub baseline: RwSignal<Option<String>>,
    pub ui: Ui,
    engine: StoredValue<Rc<dyn engine::Engine>, LocalStorage>,
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
    /// The principal selected in the hierarchy's "who can decrypt" list.
    pub selected_principal: RwSignal<Option<String>>,
    pub toggled: RwSignal<Toggled>,
    pub cell: RwSignal<Option<(RowKey, Column)>>,
    /// Which fixes go into the downloaded patch, where the user changed the default.
    pub fix_choices: RwSignal<crate::view::fix::Choices>,
}

impl AppState {
    /// State whose analyses run on `engine` (the page: [`engine::WorkerEngine`]).
    pub fn new(engine: Rc<dyn engine::Engine>) -> AppState {
        AppState {
            pasted: RwSignal::new(String::new()),
            options: RwSignal::new(Options::default()),
            analysed: RwSignal::new(None),
            busy: RwSignal::new(None),
            failure: RwSignal::new(None),
            read_only: RwSignal::new(None),
            link_error: RwSignal::new(None),
            baseline: RwSignal::new(None),
            engine: StoredValue::new_local(engine),
            ui: Ui {
                tab: RwSignal::new(Tab::Overview),
                filter: RwSignal::new(FindingFilter::default()),
                sort: RwSignal::new(Sort::default()),
                open: RwSignal::new(BTreeSet::new()),
                resource_focus: RwSignal::new(None),
                selected_key: RwSignal::new(None),
                selected_principal: RwSignal::new(None),
                toggled: RwSignal::new(Toggled::new()),
                cell: RwSignal::new(None),
                fix_choices: RwSignal::new(Default::default()),
            },
        }
    }

    /// Loads and reviews `sources`, replacing what is shown. The status line renders before
    /// the engine runs. New input starts a new review: a review opened from a permalink
    /// ends here.
    pub fn analyse(&self, sources: Vec<SourceFile>) {
        if self.read_only.with_untracked(Option::is_some) {
            self.leave_read_only();
        }
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
            let sources = Arc::new(sources);
            let kept = sources.clone();
            state.engine.get_value().load(
                sources,
                &options,
                Box::new(move |result| {
                    let millis = js_sys::Date::now() - started;
                    state.busy.set(None);
                    let report = match result {
                        Ok(report) => report,
                        Err(e) => return state.failure.set(Some(e)),
                    };
                    state.failure.set(None);
                    state.reset_choices();
                    state.analysed.set(Some(Analysed {
                        sources: kept,
                        files: Arc::default(),
                        report: Arc::new(report),
                        millis,
                    }));
                }),
            );
        });
    }

    /// Re-runs the rules on the kept model with the current options (no re-parse): after an
    /// override or a suppression.
    pub fn reanalyse(&self) {
        let state = *self;
        if state.analysed.get_untracked().is_none() {
            return;
        }
        let options = state.options.get_untracked();
        let started = js_sys::Date::now();
        state.engine.get_value().reanalyse(
            &options,
            Box::new(move |result| match result {
                Ok(report) => {
                    let millis = js_sys::Date::now() - started;
                    state.analysed.update(|a| {
                        if let Some(a) = a {
                            a.report = Arc::new(report);
                            a.millis = millis;
                        }
                    });
                }
                Err(e) => state.failure.set(Some(e)),
            }),
        );
    }

    /// A new input starts a new review: choices tied to the old one go.
    fn reset_choices(&self) {
        self.ui.open.set(BTreeSet::new());
        self.ui.selected_key.set(None);
        self.ui.selected_principal.set(None);
        self.ui.cell.set(None);
        self.ui.filter.update(|f| f.focus = None);
        self.ui.resource_focus.set(None);
        self.ui.fix_choices.set(Default::default());
    }

    /// Opens a permalink (`#v1.…`): the engine decodes it and, when it carries its input
    /// with matching hashes, reviews that input again with the link's settings; otherwise
    /// the link's report is shown as made. Either way read-only. A link that fails leaves
    /// the page as it was and says why.
    pub fn open_link(&self, link: String) {
        let state = *self;
        state.link_error.set(None);
        state.busy.set(Some("Opening the permalink…".into()));
        spawn_local(async move {
            dom::yield_to_browser().await;
            let started = js_sys::Date::now();
            state.engine.get_value().open(
                &link,
                Box::new(move |result| {
                    state.busy.set(None);
                    let review = match result {
                        Ok(review) => review,
                        Err(e) => return state.link_error.set(Some(e)),
                    };
                    state.options.set(Options {
                        config: review.config,
                        now: None,
                    });
                    state.failure.set(None);
                    state.reset_choices();
                    state.read_only.set(Some(review.banner));
                    state.analysed.set(Some(Analysed {
                        sources: Arc::new(review.sources),
                        files: Arc::default(),
                        report: Arc::new(review.report),
                        millis: js_sys::Date::now() - started,
                    }));
                }),
            );
        });
    }

    /// Compares the findings with a baseline file (`planlens check --write-baseline`):
    /// the ones it holds are marked and not counted. `None` clears it. A file that is not a
    /// baseline leaves the review as it was and says why.
    pub fn set_baseline(&self, file: Option<(String, String)>) {
        let state = *self;
        let (name, text) = file.unzip();
        state.engine.get_value().baseline(
            text.as_deref().unwrap_or(""),
            Box::new(move |result| match result {
                Ok(report) => {
                    state.failure.set(None);
                    state.baseline.set(name);
                    if let Some(report) = report {
                        state.analysed.update(|a| {
                            if let Some(a) = a {
                                a.report = Arc::new(report);
                            }
                        });
                    }
                }
                Err(e) => state.failure.set(Some(e)),
            }),
        );
    }

    /// Leaves a review opened from a permalink for an empty, editable page.
    pub fn new_review(&self) {
        self.leave_read_only();
        self.analysed.set(None);
        self.failure.set(None);
        self.reset_choices();
        dom::focus_later("#paste".into());
    }

    /// Drops the link's settings and the link itself from the address, so a reload does
    /// not open it again.
    fn leave_read_only(&self) {
        self.read_only.set(None);
        self.options.set(Options::default());
        share::drop_fragment();
    }

    pub fn dismiss_link_error(&self) {
        self.link_error.set(None);
        share::drop_fragment();
    }

    /// The permalinks for the review on screen, based on this page's address.
    pub fn share(&self, done: engine::Reply<ShareOffer>) {
        let base = window().location().href().unwrap_or_default();
        self.engine.get_value().share(&base, done);
    }

    /// The review on screen as a file, made by `report::export`.
    pub fn export(&self, format: ExportFormat, done: engine::Reply<Download>) {
        self.engine.get_value().export(format, done);
    }

    /// The chosen fixes applied to the loaded input, as a patch.
    pub fn patch(&self, keys: Vec<String>, done: engine::Reply<crate::view::fix::Patch>) {
        self.engine.get_value().patch(keys, done);
    }

    /// Suppresses one finding (rule + address) with a reason, from the page.
    pub fn suppress(&self, rule: String, address: Option<String>, reason: String) {
        if self.read_only.with_untracked(Option::is_some) {
            return;
        }
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
        if self.read_only.with_untracked(Option::is_some) {
            return;
        }
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
        if self.read_only.with_untracked(Option::is_some) {
            return;
        }
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

/// The inputs as text for source excerpts; an undecodable file has no excerpt.
fn texts(sources: &[SourceFile]) -> Vec<InputFile> {
    sources
        .iter()
        .filter_map(|s| {
            let text = crate::engine::input::decode_text(&s.bytes).ok()?;
            Some(InputFile::new(s.path.clone(), None, String::new(), text))
        })
        .collect()
}

#[component]
pub fn App() -> impl IntoView {
    // Tests provide their own state (with the engine inline); the page runs it in a worker.
    let state = use_context::<AppState>().unwrap_or_else(|| {
        let state = AppState::new(Rc::new(engine::WorkerEngine::new()));
        provide_context(state);
        state
    });
    // `#example` opens the page with the built-in example loaded (`make serve` links to it).
    // `#v1.…` opens a permalink (read-only).
    let open_fragment = move || {
        let hash = window().location().hash().unwrap_or_default();
        if hash == "#example" {
            state.analyse(vec![SourceFile::new(
                crate::example::NAME,
                crate::example::PLAN.as_bytes(),
            )]);
        } else if is_permalink(&hash) {
            state.open_link(hash);
        }
    };
    open_fragment();
    // A link pasted into the address bar of the open page changes only the fragment.
    let _ = window_event_listener(leptos::ev::hashchange, move |_| open_fragment());
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
            <share::LinkError />
            <share::PermalinkBanner />
            <input::InputPanel />
            <results::Results />
        </main>
        <footer class="site-footer">
            {format!("planlens {} · rules run locally in WebAssembly", crate::engine::report::VERSION)}
        </footer>
    }
}
