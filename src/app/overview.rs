//! Overview: the seed's five metrics, counts by severity, the input files read.

use leptos::prelude::*;

use super::AppState;
use crate::engine::rules::Severity;
use crate::view::findings::{FindingFilter, Focus};
use crate::view::overview::{
    file_rows, metric_cards, severity_counts, unjudged_line, unread_rows, MetricCard,
};
use crate::view::shown;

#[component]
pub fn Overview() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let a = state.analysed.get()?;
        let cards = metric_cards(&a.report);
        let counts = severity_counts(&a.report);
        let files = file_rows(&a.report);
        let unread = unread_rows(&a.report);
        let unjudged = unjudged_line(&a.report);
        Some(view! {
            <h2 class="section">"The seed's metrics"<span class="sub">" · target 100% each"</span></h2>
            <div class="metrics" data-testid="metrics">
                {cards.into_iter().map(|c| view! { <Card card=c /> }).collect_view()}
            </div>
            <h2 class="section">"Findings by severity"</h2>
            <div class="severity-counts" data-testid="severity-counts">
                {counts
                    .by_severity
                    .into_iter()
                    .map(|(sev, n)| {
                        view! {
                            <button
                                class=format!("count-card sev-border-{}", sev)
                                class:zero=n == 0
                                data-testid=format!("count-{}", sev)
                                on:click=move |_| show_severity(state, sev)
                            >
                                <span class="n">{n}</span>
                                " "
                                <span class=format!("sev sev-{}", sev)>{sev.as_str()}</span>
                                <span class="visually-hidden">" findings: show them"</span>
                            </button>
                        }
                    })
                    .collect_view()}
                <div class="count-notes">
                    <span>{format!("{} new in this plan", counts.new)}</span>
                    <span>{format!("{} suppressed", counts.suppressed)}</span>
                </div>
            </div>
            <h2 class="section">"Input read"</h2>
            <table class="files" data-testid="files">
                <thead><tr><th>"File"</th><th>"Read as"</th><th>"Resources"</th><th>"Problems"</th></tr></thead>
                <tbody>
                    {files
                        .into_iter()
                        .map(|f| {
                            let ok = f.errors.is_empty();
                            view! {
                                <tr>
                                    <td><code>{shown(&f.path).into_owned()}</code></td>
                                    <td>{f.kind}</td>
                                    <td class="num">{f.resources}</td>
                                    <td>
                                        {ok.then(|| view! { <span class="ok-text">"none"</span> })}
                                        <ul class="file-errors">
                                            {f.errors
                                                .into_iter()
                                                .map(|e| view! {
                                                    <li>
                                                        <code>{shown(&e.location).into_owned()}</code>" "{shown(&e.message).into_owned()}
                                                        {e.excerpt.map(|x| view! { <pre>{x}</pre> })}
                                                    </li>
                                                })
                                                .collect_view()}
                                        </ul>
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                    {unread
                        .into_iter()
                        .map(|m| view! {
                            <tr class="unread" data-testid="unread-module">
                                <td><code>{shown(&m.module).into_owned()}</code><br/><small>{shown(&m.source).into_owned()}</small></td>
                                <td>"module call"</td>
                                <td class="num">"not read"</td>
                                <td>
                                    <span class="warn-text">{shown(&m.reason).into_owned()}</span>
                                    <br/>
                                    <small>"To include it: "{shown(&m.how_to_include).into_owned()}</small>
                                </td>
                            </tr>
                        })
                        .collect_view()}
                </tbody>
            </table>
            {unjudged.map(|line| view! {
                <p class="unjudged" data-testid="unjudged">
                    "Not judged as data stores (see docs/stores.md): "<code>{shown(&line).into_owned()}</code>
                </p>
            })}
        })
    }
}

fn show_severity(state: AppState, sev: Severity) {
    state.ui.filter.set(FindingFilter {
        severities: [sev].into_iter().collect(),
        ..FindingFilter::default()
    });
    state.ui.tab.set(super::Tab::Findings);
}

#[component]
fn Card(card: MetricCard) -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = if card.empty {
        "empty"
    } else if card.met {
        "met"
    } else {
        "short"
    };
    let short = card.failing.len();
    let title = card.title;
    let failing = card.failing.clone();
    let failing2 = card.failing.clone();
    view! {
        <article class=format!("metric {status}") data-testid=format!("metric-{}", card.key)>
            <h3>{card.title}</h3>
            <p class="value">
                <span class="percent">{format!("{}%", card.percent)}</span>
                <span class="ratio">{format!("{} / {}", card.numerator, card.denominator)}</span>
            </p>
            <div
                class="bar"
                role="meter"
                aria-valuemin="0"
                aria-valuemax="100"
                aria-valuenow=card.percent.to_string()
                aria-label=format!("{}: {}% of target 100%", card.title, card.percent)
            >
                <span style:width=format!("{}%", card.percent)></span>
            </div>
            <p class="note">
                {if card.empty {
                    "Nothing to measure in this input.".to_string()
                } else if card.met {
                    "Target met.".to_string()
                } else {
                    format!("{short} fall{} short of the target:", if short == 1 { "s" } else { "" })
                }}
            </p>
            {(short > 0).then(|| view! {
                <p class="links">
                    <button
                        class="link"
                        data-testid=format!("metric-{}-findings", card.key)
                        on:click=move |_| state.show_findings(Focus::new(format!("{title}: falling short"), failing.clone()))
                    >"Findings →"</button>
                    <button
                        class="link"
                        data-testid=format!("metric-{}-resources", card.key)
                        on:click=move |_| state.show_resources(Focus::new(format!("{title}: falling short"), failing2.clone()))
                    >"Resources →"</button>
                </p>
            })}
        </article>
    }
}
