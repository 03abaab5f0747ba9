//! Findings: a sortable, filterable table; each row opens to the explanation, evidence,
//! source lines, the fix (for `.tf` input a diff of the user's own lines, else the rule's
//! snippet with Copy), peers' ids and the suppression controls. Findings with a fix have
//! a checkbox: the chosen fixes download as one patch.

use leptos::prelude::*;

use super::{dom, AppState};
use crate::engine::category::Category;
use crate::engine::rules::{Finding, Severity};
use crate::view::detail::{self, Segment};
use crate::view::findings::{
    apply, counts, facets, finding_rows, CategoryFilter, FindingFilter, FindingRow, Newness,
    SortKey,
};
use crate::view::fix::{self as fixes, DiffKind, DiffLine};
use crate::view::shown;

/// Rows rendered before "Show all": keeps a plan with thousands of findings responsive.
const PAGE: usize = 200;

#[component]
pub fn Findings() -> impl IntoView {
    let state = expect_context::<AppState>();
    let rows = Memo::new(move |_| {
        state.analysed.with(|a| {
            a.as_ref()
                .map(|a| finding_rows(&a.report))
                .unwrap_or_default()
        })
    });
    let show_all = RwSignal::new(false);
    // The Patch column is there when some finding has a fix (never for a plan).
    let patchable = Memo::new(move |_| rows.with(|r| r.iter().any(|r| r.fix.is_some())));
    view! {
        <Filters rows=rows />
        {move || {
            let filter = state.ui.filter.get();
            let c = rows.with(|r| counts(r, &filter));
            let text = if c.shown == c.total {
                format!("{} finding{}", c.total, if c.total == 1 { "" } else { "s" })
            } else {
                format!("Showing {} of {} findings", c.shown, c.total)
            };
            view! {
                <p class="counts" data-testid="finding-counts" aria-live="polite">
                    {text}
                    {(c.suppressed > 0).then(|| format!(" · {} suppressed", c.suppressed))}
                    {(c.new > 0).then(|| format!(" · {} new in this plan", c.new))}
                </p>
            }
        }}
        <PatchBar />
        <table class="findings" data-testid="findings">
            <thead>
                <tr>
                    <th class="disclosure"><span class="visually-hidden">"Details"</span></th>
                    <SortHeader key=SortKey::Severity />
                    <SortHeader key=SortKey::Rule />
                    <SortHeader key=SortKey::Resource />
                    <SortHeader key=SortKey::Category />
                    <th>"Message"</th>
                    <SortHeader key=SortKey::File />
                    {move || patchable.get().then(|| view! { <th class="patch-col">"Patch"</th> })}
                </tr>
            </thead>
            {move || {
                let filter = state.ui.filter.get();
                let sort = state.ui.sort.get();
                let all = rows.get();
                let patch = patchable.get();
                let cols = if patch { "8" } else { "7" };
                let order = apply(&all, &filter, sort);
                let total = order.len();
                let limit = if show_all.get() { total } else { total.min(PAGE) };
                let body = order
                    .into_iter()
                    .take(limit)
                    .map(|i| view! { <Row row=all[i].clone() patchable=patch /> })
                    .collect_view();
                let empty = (total == 0).then(|| view! {
                    <tbody><tr><td colspan=cols class="empty-row">
                        {if all.is_empty() { "No findings." } else { "No findings match these filters." }}
                    </td></tr></tbody>
                });
                let more = (limit < total).then(|| view! {
                    <tbody><tr><td colspan=cols class="more-row">
                        <button on:click=move |_| show_all.set(true)>
                            {format!("Show all {total} findings")}
                        </button>
                    </td></tr></tbody>
                });
                view! { {body}{empty}{more} }
            }}
        </table>
    }
}

#[component]
fn SortHeader(key: SortKey) -> impl IntoView {
    let state = expect_context::<AppState>();
    let sort = state.ui.sort;
    let aria = move || {
        let s = sort.get();
        if s.key != key {
            "none"
        } else if s.descending {
            "descending"
        } else {
            "ascending"
        }
    };
    let arrow = move || {
        let s = sort.get();
        match (s.key == key, s.descending) {
            (false, _) => "↕",
            (true, true) => "↓",
            (true, false) => "↑",
        }
    };
    view! {
        <th aria-sort=aria>
            <button
                class="sort"
                data-testid=format!("sort-{}", key.label().to_lowercase())
                on:click=move |_| sort.update(|s| *s = s.toggled(key))
            >
                {key.label()}
                <span class="arrow" aria-hidden="true">{arrow}</span>
            </button>
        </th>
    }
}

#[component]
fn Filters(rows: Memo<Vec<FindingRow>>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let filter = state.ui.filter;
    let facets = Memo::new(move |_| rows.with(|r| facets(r)));
    let chip = move |sev: Severity| {
        let on = move || filter.with(|f| f.severities.contains(&sev));
        let n = move || rows.with(|r| counts(r, &filter.get()).by_severity[&sev]);
        view! {
            <button
                class=format!("chip sev-chip sev-border-{sev}")
                class:on=on
                aria-pressed=move || on().to_string()
                data-testid=format!("filter-sev-{sev}")
                on:click=move |_| filter.update(|f| {
                    if !f.severities.remove(&sev) {
                        f.severities.insert(sev);
                    }
                })
            >
                <span class=format!("dot sev-{sev}") aria-hidden="true"></span>
                {sev.as_str()}
                <span class="n">{n}</span>
            </button>
        }
    };
    view! {
        <div class="filters" role="group" aria-label="Filter findings">
            <div class="chips" role="group" aria-label="Severity">
                {Severity::ALL.into_iter().map(chip).collect_view()}
            </div>
            <div class="selects">
                <label>
                    "Rule"
                    <select
                        data-testid="filter-rule"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.rule = (!v.is_empty()).then_some(v));
                        }
                        prop:value=move || filter.with(|f| f.rule.clone().unwrap_or_default())
                    >
                        <option value="">"all rules"</option>
                        {move || facets.get().rules.into_iter().map(|(id, name, n)| {
                            let v = id.clone();
                            view! { <option value=v selected=move || filter.with(|f| f.rule.as_deref() == Some(id.as_str()))>{format!("{id} {name} ({n})")}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>
                    "Category"
                    <select
                        data-testid="filter-category"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.category = parse_category_filter(&v));
                        }
                        prop:value=move || filter.with(|f| category_filter_value(f.category))
                    >
                        <option value="">"all categories"</option>
                        {move || {
                            let fc = facets.get();
                            let cur = filter.with(|f| category_filter_value(f.category));
                            let mut opts: Vec<(String, String)> = fc.categories.iter().map(|c| (c.as_str().to_string(), c.as_str().to_string())).collect();
                            if fc.has_uncategorised {
                                opts.push(("-".into(), "no category".into()));
                            }
                            opts.into_iter().map(|(v, l)| {
                                let sel = v == cur;
                                view! { <option value=v selected=sel>{l}</option> }
                            }).collect_view()
                        }}
                    </select>
                </label>
                <label>
                    "Service"
                    <select
                        data-testid="filter-service"
                        on:change=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.service = (!v.is_empty()).then_some(v));
                        }
                        prop:value=move || filter.with(|f| f.service.clone().unwrap_or_default())
                    >
                        <option value="">"all services"</option>
                        {move || facets.get().services.into_iter().map(|s| {
                            let sel = filter.with(|f| f.service.as_deref() == Some(s.as_str()));
                            view! { <option value=s.clone() selected=sel>{s.clone()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                {move || facets.get().has_newness.then(|| view! {
                    <label>
                        "Plan"
                        <select
                            data-testid="filter-newness"
                            on:change=move |ev| {
                                let v = event_target_value(&ev);
                                filter.update(|f| f.newness = match v.as_str() {
                                    "new" => Newness::New,
                                    "existing" => Newness::Existing,
                                    _ => Newness::All,
                                });
                            }
                            prop:value=move || filter.with(|f| match f.newness {
                                Newness::All => "",
                                Newness::New => "new",
                                Newness::Existing => "existing",
                            }.to_string())
                        >
                            <option value="">"new and pre-existing"</option>
                            <option value="new">"introduced by this plan"</option>
                            <option value="existing">"already there"</option>
                        </select>
                    </label>
                })}
                <label class="check">
                    <input
                        type="checkbox"
                        data-testid="filter-suppressed"
                        prop:checked=move || filter.with(|f| f.show_suppressed)
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            filter.update(|f| f.show_suppressed = on);
                        }
                    />
                    "show suppressed"
                </label>
                <label class="search">
                    <span class="visually-hidden">"Search address or message"</span>
                    <input
                        type="search"
                        placeholder="Search address or message…"
                        data-testid="filter-text"
                        prop:value=move || filter.with(|f| f.text.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            filter.update(|f| f.text = v);
                        }
                    />
                </label>
                {move || filter.with(|f| f.is_active()).then(|| view! {
                    <button class="link" data-testid="filter-clear" on:click=move |_| filter.set(FindingFilter::default())>
                        "Clear filters"
                    </button>
                })}
            </div>
            {move || filter.with(|f| f.focus.clone()).map(|focus| view! {
                <p class="focus" data-testid="finding-focus">
                    "Narrowed to "<strong>{focus.label.clone()}</strong>
                    {format!(" ({} address{})", focus.addresses.len(), if focus.addresses.len() == 1 { "" } else { "es" })}
                    <button class="link" on:click=move |_| filter.update(|f| f.focus = None)>"show all"</button>
                </p>
            })}
        </div>
    }
}

fn category_filter_value(c: Option<CategoryFilter>) -> String {
    match c {
        None => String::new(),
        Some(CategoryFilter::None) => "-".into(),
        Some(CategoryFilter::Is(c)) => c.as_str().into(),
    }
}

fn parse_category_filter(v: &str) -> Option<CategoryFilter> {
    match v {
        "" => None,
        "-" => Some(CategoryFilter::None),
        v => Category::ALL
            .into_iter()
            .find(|c| c.as_str() == v)
            .map(CategoryFilter::Is),
    }
}

#[component]
fn Row(row: FindingRow, patchable: bool) -> impl IntoView {
    let state = expect_context::<AppState>();
    let id = row.id.clone();
    let open = {
        let id = id.clone();
        Memo::new(move |_| state.ui.open.with(|s| s.contains(&id)))
    };
    let toggle = {
        let id = id.clone();
        move || {
            state.ui.open.update(|s| {
                if !s.remove(&id) {
                    s.insert(id.clone());
                }
            })
        }
    };
    let toggle2 = toggle.clone();
    let detail_id = format!("finding-detail-{}", row.index);
    let suppressed = row.suppressed.is_some();
    let baselined = row
        .suppressed
        .as_ref()
        .is_some_and(|s| s.by == crate::engine::report::baseline::BY_BASELINE);
    let introduced = row.introduced;
    let category = row
        .category
        .map(|c| c.as_str().to_string())
        .unwrap_or_else(|| "—".into());
    let category_source = row.category_source;
    let category_evidence = row.category_evidence.clone();
    let index = row.index;
    let detail_id2 = detail_id.clone();
    let fix_safety = row.fix;
    let fix_key = row.key.clone();
    let rule_id = row.rule.clone();
    let address_text = shown(&row.address).into_owned();
    view! {
        <tbody class="finding" class:suppressed=suppressed class:open=move || open.get() data-rule=row.rule.clone() data-testid="finding">
            <tr class="summary-row" on:click=move |_| toggle2()>
                <td class="disclosure">
                    <button
                        class="disclose"
                        aria-expanded=move || open.get().to_string()
                        aria-controls=detail_id.clone()
                        aria-label=format!("Details of {} on {}", row.rule, row.address)
                        data-testid="finding-toggle"
                        on:click=move |ev| {
                            ev.stop_propagation();
                            toggle();
                        }
                    >
                        <span aria-hidden="true">{move || if open.get() { "▾" } else { "▸" }}</span>
                    </button>
                </td>
                <td><span class=format!("sev sev-{}", row.severity)>{row.severity.as_str()}</span></td>
                <td class="rule"><code title=row.name.clone()>{row.rule.clone()}</code></td>
                <td class="address"><code>{shown(&row.address).into_owned()}</code></td>
                <td class="category">
                    {category}
                    {category_source.map(|src| view! { <span class="cat-from" title=category_evidence>{src}</span> })}
                </td>
                <td class="message">
                    {shown(&row.message).into_owned()}
                    {(introduced == Some(true)).then(|| view! { <span class="tag new">"new"</span> })}
                    {suppressed.then(|| if baselined {
                        view! { <span class="tag muted" data-testid="baselined">"baselined"</span> }.into_any()
                    } else {
                        view! { <span class="tag muted">"suppressed"</span> }.into_any()
                    })}
                </td>
                <td class="where"><code>{shown(&row.location).into_owned()}</code></td>
                {patchable.then(|| view! {
                <td class="patch-col" on:click=|ev| ev.stop_propagation()>
                    {fix_safety.map(|safety| {
                        let key = fix_key.clone();
                        let key2 = fix_key.clone();
                        let chosen = move || state.ui.fix_choices.with(|c| fixes::chosen(c, &key, safety));
                        view! {
                            <label class="patch-pick">
                                <input
                                    type="checkbox"
                                    data-testid="fix-include"
                                    data-safety=safety.as_str()
                                    aria-label=format!("Include the {} fix of {} on {} in the patch", safety.as_str(), rule_id, address_text)
                                    prop:checked=chosen
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        state.ui.fix_choices.update(|c| {
                                            c.insert(key2.clone(), on);
                                        });
                                    }
                                />
                                <span class=format!("tag fix-{}", safety.as_str())>{safety.as_str()}</span>
                            </label>
                        }
                    })}
                </td>
                })}
            </tr>
            {move || open.get().then(|| {
                let detail_id = detail_id2.clone();
                view! {
                    <tr class="detail-row" id=detail_id>
                        <td colspan=if patchable { "8" } else { "7" }><Detail index=index /></td>
                    </tr>
                }
            })}
        </tbody>
    }
}

#[component]
fn Detail(index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let a = state.analysed.get()?;
        let f: Finding = a.report.findings.get(index)?.clone();
        let d = detail::detail(&f, a.files());
        Some(view! {
            <div class="detail" data-testid="finding-detail">
                <div class="col">
                {(!d.why.is_empty()).then(|| view! {
                    <section>
                        <h3>"Why it matters"</h3>
                        {doc_paragraphs(&d.why)}
                    </section>
                })}
                {(!d.seed_wrong.is_empty()).then(|| view! {
                    <section class="seed-wrong">
                        <h3>"Where the seed is wrong"</h3>
                        {doc_paragraphs(&d.seed_wrong)}
                    </section>
                })}
                </div>
                <div class="col">
                <section>
                    <h3>"Evidence"</h3>
                    <p>
                        {d.attribute.clone().map(|a| view! { <code>{shown(&a).into_owned()}</code>" = " })}
                        {match d.evidence.clone() {
                            Some(e) if e.contains('\n') => view! {
                                <pre class="evidence">{e.lines().map(shown).collect::<Vec<_>>().join("\n")}</pre>
                            }.into_any(),
                            Some(e) => view! { <code class="evidence">{shown(&e).into_owned()}</code> }.into_any(),
                            None => view! { <span class="muted">"(not set)"</span> }.into_any(),
                        }}
                    </p>
                    {d.decided_by.clone().map(|c| view! {
                        <p class="muted">"Decided by "<code>{shown(&c).into_owned()}</code></p>
                    })}
                    {(!d.related.is_empty()).then(|| view! {
                        <p>"Concerns: "
                            {d.related.iter().map(|r| view! { <code class="related">{shown(r).into_owned()}</code>" " }).collect_view()}
                        </p>
                    })}
                </section>
                <section>
                    <h3>"Source"</h3>
                    {d.pointer.clone().map(|p| view! {
                        <p>"JSON pointer "<code data-testid="finding-pointer">{p}</code></p>
                    })}
                    {match d.source.clone() {
                        Some(src) => view! {
                            <div class="source" data-testid="finding-source">
                                <div class="source-file">{shown(&src.file).into_owned()}</div>
                                <pre>
                                    {src.lines.into_iter().map(|l| view! {
                                        <span class="line" class:marked=l.marked>
                                            <span class="ln">{format!("{:>4} ", l.number)}</span>
                                            {shown(&l.text).into_owned()}
                                            "\n"
                                        </span>
                                    }).collect_view()}
                                </pre>
                            </div>
                        }.into_any(),
                        None => view! {
                            <p class="muted">{f.file.clone().map(|f| format!("{f} (no line known)")).unwrap_or_else(|| "No source location.".into())}</p>
                        }.into_any(),
                    }}
                </section>
                </div>
                {match f.fix.clone() {
                    Some(fix) => {
                        let lines = fixes::preview(&fix, a.files());
                        view! { <FixDiff fix=fix lines=lines /> }.into_any()
                    }
                    None => {
                        let plan_only = fixes::plan_only(&a.report);
                        (!d.fix.is_empty()).then(|| view! { <Fix fix=d.fix.clone() plan_only=plan_only /> }).into_any()
                    }
                }}
                {(!d.peers.is_empty()).then(|| view! {
                    <section>
                        <h3>"Same check elsewhere"</h3>
                        <ul class="peers" data-testid="finding-peers">
                            {d.peers.iter().map(|(tool, id)| view! { <li><span class="muted">{*tool}</span>" "<code>{*id}</code></li> }).collect_view()}
                        </ul>
                    </section>
                })}
                {(!d.references.is_empty()).then(|| view! {
                    <section>
                        <h3>"References"</h3>
                        <ul class="refs">
                            {d.references.iter().map(|(t, u)| view! {
                                <li><a href=u.clone() target="_blank" rel="noopener noreferrer">{t.clone()}</a></li>
                            }).collect_view()}
                        </ul>
                    </section>
                })}
                <Suppression finding=f.clone() index=index />
            </div>
        })
    }
}

fn doc_paragraphs(text: &str) -> impl IntoView {
    detail::paragraphs(text)
        .into_iter()
        .map(|p| {
            view! {
                <p>
                    {detail::segments(&p)
                        .into_iter()
                        .map(|s| match s {
                            Segment::Text(t) => view! { <span>{t}</span> }.into_any(),
                            Segment::Code(c) => view! { <code>{c}</code> }.into_any(),
                        })
                        .collect_view()}
                </p>
            }
        })
        .collect_view()
}

/// A finding's fix for `.tf` input: the badge, what it changes (and for an unsafe fix what
/// applying it does), the diff of the user's lines and what Terraform planned for it.
#[component]
fn FixDiff(fix: crate::engine::fix::Fix, lines: Option<Vec<DiffLine>>) -> impl IntoView {
    let safety = fix.safety.as_str();
    view! {
        <section class="fix fix-diff" data-testid="finding-fix-diff">
            <div class="fix-head">
                <h3>"Fix"</h3>
                <span class=format!("tag fix-{safety}") data-testid="fix-safety">{fixes::badge(fix.safety)}</span>
            </div>
            <p data-testid="fix-description">{shown(&fix.description).into_owned()}</p>
            {fix.consequence.as_ref().map(|c| view! {
                <p class="fix-consequence" data-testid="fix-consequence">
                    <strong>"What it will do: "</strong>{shown(c).into_owned()}
                </p>
            })}
            {match lines {
                Some(lines) => view! { <Diff lines=lines /> }.into_any(),
                None => view! {
                    <p class="muted">"The files this fix edits are not loaded, so there is no diff to show."</p>
                }.into_any(),
            }}
            <p class="muted fix-plan" data-testid="fix-plan">
                "Terraform planned this change as: "<code>{shown(&fix.plan).into_owned()}</code>
            </p>
        </section>
    }
}

/// A unified diff as numbered lines (old and new line numbers), a header per file.
#[component]
fn Diff(lines: Vec<DiffLine>) -> impl IntoView {
    let num = |n: Option<u32>| {
        n.map(|n| format!("{n:>4}"))
            .unwrap_or_else(|| "    ".into())
    };
    view! {
        <div class="diff source" data-testid="fix-diff">
            <pre>
                {lines.into_iter().map(|l| {
                    let kind = l.kind;
                    let numbers = (kind != DiffKind::File).then(|| format!("{} {} ", num(l.old), num(l.new)));
                    view! {
                        <span class=format!("line {}", kind.class())>
                            {numbers.map(|n| view! { <span class="ln">{n}</span> })}
                            {(kind != DiffKind::File).then(|| view! { <span class="sign">{kind.sign()}</span> })}
                            {shown(&l.text).into_owned()}
                            "\n"
                        </span>
                    }
                }).collect_view()}
            </pre>
        </div>
    }
}

/// The patch of the chosen fixes: how many are chosen, the download, what it did.
#[component]
fn PatchBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let status = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let counts = Memo::new(move |_| {
        state.analysed.with(|a| {
            a.as_ref()
                .filter(|a| !a.sources.is_empty())
                .map(|a| state.ui.fix_choices.with(|c| fixes::selected(&a.report, c)))
        })
    });
    let download = move |_| {
        let Some((keys, _)) = counts.get_untracked() else {
            return;
        };
        busy.set(true);
        status.set(String::new());
        state.patch(
            keys,
            Box::new(move |result| {
                busy.set(false);
                let outcome = result.and_then(|p| {
                    if !p.text.is_empty() {
                        dom::download(&p.file_name, &p.mime, &p.text)
                            .map_err(|_| "the browser refused the download".to_string())?;
                    }
                    Ok(p)
                });
                match outcome {
                    Ok(p) => {
                        error.set(false);
                        status.set(fixes::patch_status(&p));
                    }
                    Err(e) => {
                        error.set(true);
                        status.set(format!("Patch not downloaded: {e}."));
                    }
                }
            }),
        );
    };
    move || {
        let (keys, total) = counts.get()?;
        (total > 0).then(|| {
            let n = keys.len();
            view! {
                <div class="patch-bar" role="group" aria-label="Patch">
                    <button
                        class="primary small"
                        data-testid="download-patch"
                        disabled=move || n == 0 || busy.get()
                        on:click=download
                    >
                        "Download patch"
                    </button>
                    <span data-testid="patch-selection">{fixes::selection_label(n, total)}</span>
                    <span class="muted patch-hint">"Safe fixes are chosen; tick an unsafe one to add it."</span>
                    <span
                        role="status"
                        data-testid="patch-status"
                        class:bad-text=move || error.get()
                    >
                        {move || status.get()}
                    </span>
                </div>
            }
        })
    }
}

#[component]
fn Fix(fix: String, plan_only: bool) -> impl IntoView {
    let status = RwSignal::new(String::new());
    let text = fix.clone();
    let on_copy = move |_| {
        let text = text.clone();
        leptos::task::spawn_local(async move {
            match dom::copy(&text).await {
                Ok(()) => status.set("Copied.".into()),
                Err(()) => {
                    status.set("The browser refused; select the snippet and copy it.".into())
                }
            }
        });
    };
    view! {
        <section class="fix">
            <div class="fix-head">
                <h3>"Fix"</h3>
                <button class="small" data-testid="copy-fix" on:click=on_copy>"Copy"</button>
                <span class="muted" role="status" data-testid="copy-status">{move || status.get()}</span>
            </div>
            <pre data-testid="finding-fix">{fix}</pre>
            {plan_only.then(|| view! {
                <p class="muted" data-testid="fix-needs-tf">{fixes::PLAN_ONLY_NOTE}</p>
            })}
        </section>
    }
}

#[component]
fn Suppression(finding: Finding, index: usize) -> impl IntoView {
    let state = expect_context::<AppState>();
    // A review opened from a permalink is read-only. The flag changes only with the review
    // itself, which renders this again.
    let read_only = state.read_only.with_untracked(Option::is_some);
    let note = read_only.then(|| format!("read-only-note-{index}"));
    let note_view = note.clone().map(|id| {
        view! { <p class="read-only-note" id=id>{crate::view::share::READ_ONLY_NOTE}</p> }
    });
    let editing = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let rule = finding.rule.clone();
    let address = finding.address.clone();
    match finding.suppressed.clone() {
        Some(s) => {
            let from_list = s.by == "list" || s.by.is_empty();
            let how = if s.by == crate::engine::report::baseline::BY_BASELINE {
                "by the baseline file".to_string()
            } else if from_list {
                "by the suppression list".to_string()
            } else {
                format!("by a {} comment in the source", s.by)
            };
            view! {
                <section class="suppression suppressed-note" data-testid="suppressed-note">
                    <p>
                        <strong>"Suppressed"</strong>" "{how}": "<q>{s.reason}</q>
                    </p>
                    {from_list.then(|| view! {
                        <button
                            data-testid="unsuppress"
                            disabled=read_only
                            aria-describedby=note
                            on:click=move |_| state.unsuppress(&rule, address.as_deref())
                        >"Unsuppress"</button>
                    })}
                    {note_view}
                </section>
            }
            .into_any()
        }
        None => view! {
            <section class="suppression">
                {move || if editing.get() {
                    let rule = rule.clone();
                    let address = address.clone();
                    view! {
                        <form
                            class="suppress-form"
                            on:submit=move |ev| {
                                ev.prevent_default();
                                let r = reason.get_untracked().trim().to_string();
                                if r.is_empty() {
                                    return;
                                }
                                state.suppress(rule.clone(), address.clone(), r);
                            }
                        >
                            <label>
                                "Reason (kept with the finding, carried in exports)"
                                <input
                                    type="text"
                                    required
                                    data-testid="suppress-reason"
                                    prop:value=move || reason.get()
                                    on:input=move |ev| reason.set(event_target_value(&ev))
                                />
                            </label>
                            <button type="submit" class="primary" data-testid="suppress-confirm">"Suppress"</button>
                            <button type="button" on:click=move |_| editing.set(false)>"Cancel"</button>
                        </form>
                    }.into_any()
                } else {
                    view! {
                        <button
                            data-testid="suppress"
                            disabled=read_only
                            aria-describedby=note.clone()
                            on:click=move |_| editing.set(true)
                        >"Suppress…"</button>
                    }.into_any()
                }}
                {note_view}
            </section>
        }
        .into_any(),
    }
}
