//! The results area: input errors, the verdict, findings and the resource inventory.

use leptos::prelude::*;

use super::AppState;
use crate::view;

#[component]
pub fn Results() -> impl IntoView {
    let state = expect_context::<AppState>();
    view! {
        <section class="results" aria-live="polite" data-testid="results">
            {move || match state.analysed.get() {
                None => view! {
                    <p class="empty">"Load the example, paste a plan, or drop files to see a review."</p>
                }
                .into_any(),
                Some(a) => {
                    let report = a.report.clone();
                    let errors = view::error_rows(&report);
                    let summary = view::summary(&report);
                    let findings = view::finding_rows(&report);
                    let inventory = view::inventory_rows(&report);
                    view! {
                        <div data-testid="verdict" class=summary.class>
                            {summary.text}
                        </div>
                        <ul class="errors" data-testid="errors">
                            {errors
                                .into_iter()
                                .map(|e| view! { <li class="error"><code>{e.location}</code>" "{e.message}{e.excerpt.map(|x| view! { <pre>{x}</pre> })}</li> })
                                .collect_view()}
                        </ul>
                        <h2>"Findings"</h2>
                        <table class="findings" data-testid="findings">
                            <thead><tr><th>"Severity"</th><th>"Rule"</th><th>"Resource"</th><th>"Message"</th><th>"Where"</th></tr></thead>
                            <tbody>
                                {findings
                                    .into_iter()
                                    .map(|f| { let rule = f.rule.clone(); view! {
                                        <tr data-rule=rule>
                                            <td><span class=format!("sev sev-{}", f.severity)>{f.severity}</span></td>
                                            <td><code>{f.rule}</code></td>
                                            <td><code>{f.address}</code></td>
                                            <td>{f.message}</td>
                                            <td><code>{f.location}</code></td>
                                        </tr>
                                    }})
                                    .collect_view()}
                            </tbody>
                        </table>
                        <h2>"Resources"</h2>
                        <table class="inventory" data-testid="inventory">
                            <thead><tr><th>"Address"</th><th>"Type"</th><th>"Provider"</th><th>"Action"</th><th>"Source"</th></tr></thead>
                            <tbody>
                                {inventory
                                    .into_iter()
                                    .map(|r| view! {
                                        <tr>
                                            <td><code>{r.address}</code></td>
                                            <td>{r.rtype}</td>
                                            <td>{r.provider}</td>
                                            <td>{r.action}</td>
                                            <td><code>{r.location}</code></td>
                                        </tr>
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
