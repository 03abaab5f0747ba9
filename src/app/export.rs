//! Downloads of the review on screen: SARIF, JSON, Markdown and CSV, each made by
//! `report::export` (the CLI's `--format`) in the worker and saved through a `blob:` URL,
//! so nothing leaves the page.

use leptos::prelude::*;

use super::{dom, AppState};
use crate::view::share::{export_label, export_slug, EXPORTS};

#[component]
pub fn ExportButtons() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = RwSignal::new(String::new());
    view! {
        <div class="exports" role="group" aria-labelledby="exports-label">
            <span id="exports-label" class="exports-label">"Download report:"</span>
            {EXPORTS
                .into_iter()
                .map(|format| {
                    let label = export_label(format);
                    view! {
                        <button
                            class="small"
                            data-testid=format!("export-{}", export_slug(format))
                            on:click=move |_| {
                                status.set(String::new());
                                state.export(format, Box::new(move |result| {
                                    let outcome = result.and_then(|d| {
                                        dom::download(&d.file_name, &d.mime, &d.text)
                                            .map_err(|_| "the browser refused the download".to_string())
                                    });
                                    if let Err(e) = outcome {
                                        status.set(format!("{label} not downloaded: {e}."));
                                    }
                                }));
                            }
                        >
                            {label}
                        </button>
                    }
                })
                .collect_view()}
            <span class="bad-text small" role="status" data-testid="export-status">{move || status.get()}</span>
        </div>
    }
}
