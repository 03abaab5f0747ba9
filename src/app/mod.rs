//! The page (wasm32 only): thin Leptos components over plain state. The logic they show
//! (sorting, filtering, matrix rows, layout) lives in `crate::view`, tested natively.

mod files;
mod input;
mod results;

use std::sync::Arc;

use leptos::prelude::*;

use crate::engine::model::Model;
use crate::engine::{self, Options, Report, SourceFile};

/// What the page is showing and what it was made from.
#[derive(Clone)]
pub struct Analysed {
    pub sources: Arc<Vec<SourceFile>>,
    pub model: Arc<Model>,
    pub report: Arc<Report>,
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
}

impl AppState {
    fn new() -> AppState {
        AppState {
            pasted: RwSignal::new(String::new()),
            options: RwSignal::new(Options::default()),
            analysed: RwSignal::new(None),
            busy: RwSignal::new(None),
        }
    }

    /// Loads and reviews `sources`, replacing what is shown.
    pub fn analyse(&self, sources: Vec<SourceFile>) {
        let options = self.options.get_untracked();
        let model = engine::input::load(&sources);
        let report = engine::analyse(&model, &options);
        self.analysed.set(Some(Analysed {
            sources: Arc::new(sources),
            model: Arc::new(model),
            report: Arc::new(report),
        }));
        self.busy.set(None);
    }
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
                <span aria-hidden="true">"🔒 "</span>
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
