//! The results area: the verdict and input errors, then the tabbed review views.

use leptos::prelude::*;

use super::tabs::{Tab, TabBar};
use super::{categories, findings, hierarchy, overview, resources, share, AppState};
use crate::view;

#[component]
pub fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    let has_report = move || state.analysed.with(|a| a.is_some());
    view! {
        <section class="results" data-testid="results">
            <Show
                when=has_report
                fallback=|| view! {
                    <p class="empty">"Load the example, paste a plan, or drop files to see a review."</p>
                }
            >
                <Head />
                <share::ReportActions />
                <TabBar />
                {move || {
                    let t = state.ui.tab.get();
                    let body = match t {
                        Tab::Overview => view! { <overview::Overview /> }.into_any(),
                        Tab::Findings => view! { <findings::Findings /> }.into_any(),
                        Tab::Categories => view! { <categories::Categories /> }.into_any(),
                        Tab::Hierarchy => view! { <hierarchy::Hierarchy /> }.into_any(),
                        Tab::Resources => view! { <resources::Resources /> }.into_any(),
                    };
                    // Every tab's aria-controls names a panel; only the selected one is
                    // rendered (a plan with thousands of resources would make five views
                    // slow to keep up to date), the others stay empty and hidden.
                    let idle = Tab::ALL
                        .into_iter()
                        .filter(|o| *o != t)
                        .map(|o| view! {
                            <div
                                role="tabpanel"
                                hidden
                                id=format!("panel-{}", o.slug())
                                aria-labelledby=format!("tab-{}", o.slug())
                            ></div>
                        })
                        .collect_view();
                    view! {
                        <div
                            class="panel"
                            role="tabpanel"
                            tabindex="0"
                            id=format!("panel-{}", t.slug())
                            aria-labelledby=format!("tab-{}", t.slug())
                            data-testid=format!("panel-{}", t.slug())
                        >
                            // The panels' sections are h3: this keeps the outline whole.
                            <h2 class="visually-hidden">{t.label()}</h2>
                            {body}
                        </div>
                        {idle}
                    }
                }}
            </Show>
        </section>
    }
}

/// The verdict and the input errors: shown above every tab, since an error makes every
/// view incomplete.
#[component]
fn Head() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let a = state.analysed.get()?;
        let summary = view::summary(&a.report);
        let errors = view::error_rows(&a.report);
        let unread = a.report.input.unread_items();
        // A report carried by a permalink was not made here.
        let timing = if a.sources.is_empty() && state.read_only.with(Option::is_some) {
            "as carried by the permalink".to_string()
        } else {
            format!("reviewed in {:.0} ms", a.millis.max(1.0))
        };
        Some(view! {
            <div class="head" aria-live="polite">
                <div data-testid="verdict" class=summary.class>
                    <span>{summary.text}</span>
                    <span class="timing" data-testid="timing">{timing}</span>
                </div>
                <ul class="unread" data-testid="unread">
                    {unread
                        .into_iter()
                        .map(|u| view! { <li>{crate::view::shown(&u).into_owned()}</li> })
                        .collect_view()}
                </ul>
                <ul class="errors" data-testid="errors">
                    {errors
                        .into_iter()
                        .map(|e| view! {
                            <li class="error">
                                <code>{e.location}</code>" "{e.message}
                                {e.excerpt.map(|x| view! { <pre>{x}</pre> })}
                            </li>
                        })
                        .collect_view()}
                </ul>
            </div>
        })
    }
}
