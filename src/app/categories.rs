//! Data categories: the matrix (category × minimum, recommendation, stores, levels, keys,
//! compliant/total), and the stores behind a selected cell with a category select each.

use leptos::prelude::*;

use super::AppState;
use crate::engine::category::Level;
use crate::engine::stores::DataStore;
use crate::engine::Report;
use crate::view::findings::Focus;
use crate::view::matrix::{
    cell_label, cell_stores, matrix, override_options, store_name, Column, MatrixRow, RowKey,
};
use crate::view::shown;
use crate::view::{key_label, source_label};

/// Store rows rendered before "Show all": each has a select, which is what costs.
const PAGE: usize = 150;
/// Findings listed under the stores; the Findings tab has them all.
const MINI: usize = 30;

#[component]
pub fn Categories() -> impl IntoView {
    let state = expect_context::<AppState>();
    let cell = state.ui.cell;
    move || {
        let a = state.analysed.get()?;
        let config = state.options.with(|o| o.config.clone());
        let rows = matrix(&a.report, &config);
        let selected = cell.get();
        let (heading, stores): (String, Vec<DataStore>) = match selected {
            Some((row, col)) => (
                cell_label(row, col),
                cell_stores(&a.report, &config, row, col)
                    .into_iter()
                    .cloned()
                    .collect(),
            ),
            None => {
                let mut all = a.report.stores.clone();
                crate::engine::sort::by(&mut all, |x, y| x.address.cmp(&y.address));
                (format!("All data stores ({})", all.len()), all)
            }
        };
        let report = a.report.clone();
        Some(view! {
            <p class="intro">
                "Each data store is held to its category's minimum from the seed (unclassified stores to the operational one). "
                "Select a count to see the stores and findings behind it; change a store's category with its select — every view follows."
            </p>
            {state.read_only.with(Option::is_some).then(|| view! {
                <p class="read-only-note" id="read-only-overrides">{crate::view::share::READ_ONLY_NOTE}</p>
            })}
            <div class="table-scroll" tabindex="0" role="region" aria-label="Data categories matrix">
                <table class="matrix" data-testid="matrix">
                    <thead>
                        <tr>
                            <th scope="col">"Category"</th>
                            <th scope="col">"Minimum"</th>
                            <th scope="col">"Recommendation"</th>
                            <th scope="col">"Stores"</th>
                            <th scope="col">"Levels"</th>
                            <th scope="col">"Keys used"</th>
                            <th scope="col">"Who can decrypt"</th>
                            <th scope="col">"Compliant"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {rows.into_iter().map(|r| {
                            let decryptors = match r.key {
                                RowKey::Category(c) => crate::view::access::decryptors(&a.report, c),
                                RowKey::Unclassified => Vec::new(),
                            };
                            view! { <MatrixLine row=r decryptors=decryptors /> }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            <section class="drill" data-testid="drill" aria-live="polite">
                <div class="drill-head">
                    <h3 data-testid="drill-heading">{heading}</h3>
                    {selected.is_some().then(|| view! {
                        <button class="link" data-testid="drill-clear" on:click=move |_| cell.set(None)>"show all stores"</button>
                    })}
                </div>
                <StoreTable stores=stores report=report />
            </section>
        })
    }
}

#[component]
fn MatrixLine(row: MatrixRow, decryptors: Vec<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let key = row.key;
    let button = move |column: Column, label: String, class: &'static str, testid: String| {
        let active = move || state.ui.cell.get() == Some((key, column));
        view! {
            <button
                class=format!("cell {class}")
                class:active=active
                aria-pressed=move || active().to_string()
                data-testid=testid
                on:click=move |_| {
                    state.ui.cell.set(Some((key, column)));
                    super::dom::focus_later("[data-testid=drill-heading]".into());
                }
            >
                {label}
            </button>
        }
    };
    let slug = key.slug();
    let empty = row.total == 0;
    let bad = row.compliant < row.total;
    let unclassified = key == RowKey::Unclassified;
    let compliance = format!("{} / {}", row.compliant, row.total);
    let pct = (row.compliant * 100).checked_div(row.total).unwrap_or(100);
    view! {
        <tr data-row=slug class:empty=empty class:bad=bad data-testid=format!("matrix-row-{slug}")>
            <th scope="row">
                <div class="cat-label">{key.label()}</div>
                <div class="cat-meta">
                    <code>{slug}</code>
                    {match (row.key_alias, unclassified) {
                        (_, true) => view! { <span>" held to operational"</span> }.into_any(),
                        (Some(a), _) => view! { <span>" · key "<code>{shown(a).into_owned()}</code></span> }.into_any(),
                        (None, _) => view! { <span>" · no key needed"</span> }.into_any(),
                    }}
                </div>
            </th>
            <td>{row.minimum_text}{(row.minimum != key.held_to().minimum()).then(|| view! { <span class="tag">"stricter by config"</span> })}</td>
            <td>{row.recommendation_text}</td>
            <td class="num">{button(Column::Stores, row.total.to_string(), "count", format!("cell-{slug}-stores"))}</td>
            <td class="levels">
                {row.levels.iter().map(|(l, n)| {
                    button(Column::Level(*l), format!("{} {n}", level_short(*l)), level_class(*l), format!("cell-{slug}-level-{}", l.as_str()))
                }).collect_view()}
            </td>
            <td class="keys">
                {(!row.keys.is_empty()).then(|| button(Column::Keys, row.keys.join("\n"), "keys", format!("cell-{slug}-keys")))}
            </td>
            <td class="decryptors" data-testid=format!("cell-{slug}-decryptors")>
                {if decryptors.is_empty() {
                    view! { <span class="muted">"—"</span> }.into_any()
                } else {
                    let all = decryptors.iter().map(|d| shown(d).into_owned()).collect::<Vec<_>>().join("\n");
                    view! { <span title=all>{crate::view::preview(&decryptors.iter().map(|d| shown(d).into_owned()).collect::<Vec<_>>(), 3)}</span> }.into_any()
                }}
            </td>
            <td class="compliance">
                {if empty {
                    view! { <span class="muted">"—"</span> }.into_any()
                } else {
                    view! {
                        <div class="compliance-cell">
                            {button(Column::Compliant, compliance, if bad { "count bad" } else { "count ok" }, format!("cell-{slug}-compliant"))}
                            <span class="minibar" aria-hidden="true"><span style:width=format!("{pct}%")></span></span>
                            {bad.then(|| button(Column::NonCompliant, format!("{} below", row.total - row.compliant), "count bad", format!("cell-{slug}-below")))}
                        </div>
                    }.into_any()
                }}
            </td>
        </tr>
    }
}

pub fn level_short(l: Level) -> &'static str {
    match l {
        Level::None => "none",
        Level::ProviderOwned => "provider-owned",
        Level::AwsManaged => "AWS-managed",
        Level::Cmk => "CMK",
        Level::CmkRecommended => "CMK+",
    }
}

pub fn level_class(l: Level) -> &'static str {
    match l {
        Level::None => "level level-none",
        Level::ProviderOwned => "level level-provider",
        Level::AwsManaged => "level level-aws",
        Level::Cmk => "level level-cmk",
        Level::CmkRecommended => "level level-cmkplus",
    }
}

#[component]
fn StoreTable(stores: Vec<DataStore>, report: std::sync::Arc<Report>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let config = state.options.with_untracked(|o| o.config.clone());
    let addresses: Vec<String> = stores.iter().map(|s| s.address.clone()).collect();
    let set: std::collections::HashSet<&str> = addresses.iter().map(String::as_str).collect();
    let findings: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.address.as_deref().is_some_and(|a| set.contains(a)))
        .cloned()
        .collect();
    let n_findings = findings.iter().filter(|f| f.counts()).count();
    let mut per_store: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for f in findings.iter().filter(|f| f.counts()) {
        if let Some(a) = &f.address {
            *per_store.entry(a.clone()).or_default() += 1;
        }
    }
    let shown_findings = findings.len().min(MINI);
    let focus_label = state
        .ui
        .cell
        .get_untracked()
        .map(|(r, c)| cell_label(r, c))
        .unwrap_or_else(|| "all data stores".into());
    let focus_addresses = addresses.clone();
    let total = stores.len();
    let show_all = RwSignal::new(false);
    if stores.is_empty() {
        return view! { <p class="muted" data-testid="drill-empty">"No data stores here."</p> }
            .into_any();
    }
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Data stores">
            <table class="stores" data-testid="stores">
                <thead>
                    <tr>
                        <th>"Store"</th>
                        <th>"Service"</th>
                        <th>"Category"</th>
                        <th>"Level"</th>
                        <th>"Key"</th>
                        <th>"Minimum"</th>
                        <th>"Findings"</th>
                    </tr>
                </thead>
                <tbody>
                    {move || stores.iter().take(if show_all.get() { usize::MAX } else { PAGE }).map(|s| {
                        let held = s.category.unwrap_or(crate::engine::category::Category::Operational);
                        let meets = s.level >= config.minimum(held);
                        let key = s.key.as_deref().map(|id| {
                            report.keys.iter().find(|k| k.id == id).map(key_label).unwrap_or_else(|| id.to_string())
                        }).unwrap_or_else(|| "none".into());
                        let key = shown(&key).into_owned();
                        let count = per_store.get(s.address.as_str()).copied().unwrap_or(0);
                        let name = shown(&store_name(s)).into_owned();
                        view! {
                            <tr data-store=s.address.clone()>
                                <td class="address"><code>{name}</code></td>
                                <td>{s.service.clone()}</td>
                                <td><CategorySelect store=s.clone() /></td>
                                <td><span class=level_class(s.level)>{level_short(s.level)}</span></td>
                                <td><code class="key">{key}</code></td>
                                <td>{if meets {
                                    view! { <span class="ok-text">"meets"</span> }.into_any()
                                } else {
                                    view! { <span class="bad-text">{format!("below {}", config.minimum(held).as_str())}</span> }.into_any()
                                }}</td>
                                <td class="num">{count}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        {move || (!show_all.get() && total > PAGE).then(|| view! {
            <p class="more-row">
                <button on:click=move |_| show_all.set(true)>{format!("Show all {total} stores")}</button>
            </p>
        })}
        <div class="drill-findings">
            <h4>{format!("Findings on these stores ({n_findings})")}</h4>
            {(!findings.is_empty()).then(|| view! {
                <ul class="mini-findings">
                    {findings.iter().take(MINI).map(|f| view! {
                        <li class:suppressed=f.suppressed.is_some()>
                            <span class=format!("sev sev-{}", f.severity)>{f.severity.as_str()}</span>" "
                            <code>{f.rule.clone()}</code>" "
                            {shown(&f.message).into_owned()}
                        </li>
                    }).collect_view()}
                </ul>
                {(findings.len() > shown_findings).then(|| view! {
                    <p class="muted small">{format!("and {} more", findings.len() - shown_findings)}</p>
                })}
                <button
                    data-testid="drill-open-findings"
                    on:click=move |_| state.show_findings(Focus::new(focus_label.clone(), focus_addresses.clone()))
                >"Open in Findings →"</button>
            })}
        </div>
    }
    .into_any()
}

#[component]
fn CategorySelect(store: DataStore) -> impl IntoView {
    let state = expect_context::<AppState>();
    // Read-only (a review opened from a permalink) changes only with the review itself.
    let read_only = state.read_only.with_untracked(Option::is_some);
    let address = store.address.clone();
    let current = state
        .options
        .with_untracked(|o| {
            o.config
                .overrides
                .get(&address)
                .map(|c| c.as_str().to_string())
        })
        .unwrap_or_default();
    let label = format!("Category of {}", store.address);
    let auto = match (store.category_source, store.category) {
        (crate::engine::category::CategorySource::Override, _) => "automatic".to_string(),
        (_, Some(c)) => format!("automatic: {c}"),
        (_, None) => "automatic: unclassified".to_string(),
    };
    let evidence = store.category_evidence.clone().unwrap_or_default();
    let source = source_label(store.category_source);
    view! {
        <span class="category-cell">
            <select
                aria-label=label
                disabled=read_only
                aria-describedby=read_only.then_some("read-only-overrides")
                data-testid="override"
                data-address=store.address.clone()
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    state.set_override(&address, &v);
                }
            >
                {override_options().into_iter().map(|(v, l)| {
                    let sel = v == current;
                    let text = if v.is_empty() { auto.clone() } else { l };
                    view! { <option value=v selected=sel>{text}</option> }
                }).collect_view()}
            </select>
            <span class=format!("cat-source source-{}", source.replace(' ', "-")) title=evidence data-testid="category-source">{source}</span>
        </span>
    }
}
