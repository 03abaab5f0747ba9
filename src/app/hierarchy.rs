//! Key hierarchy: the SVG drawing of `view::hierarchy::layout`, the selected key's blast
//! radius, the legend explaining envelope encryption, and "Download SVG".

use leptos::prelude::*;

use super::{dom, AppState};
use crate::view::access::{exposed_stores, key_principals, reach};
use crate::view::hierarchy::{
    blast_radius, layout, principal_node_id, summary, Layout, Node, NodeKind, Toggled,
    COLLAPSE_OVER,
};
use crate::view::shown;
use crate::view::svg;

#[component]
pub fn Hierarchy() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = state.ui.selected_key;
    let toggled = state.ui.toggled;
    let drawn = Memo::new(move |_| {
        let t = toggled.get();
        state
            .analysed
            .with(|a| a.as_ref().map(|a| layout(&a.report, &t)))
            .unwrap_or_default()
    });
    let download_error = RwSignal::new(String::new());
    let on_download = move |_| {
        let doc = svg::document(
            &drawn.get_untracked(),
            "planlens · KMS key hierarchy",
            selected.get_untracked().as_deref(),
        );
        match dom::download("planlens-key-hierarchy.svg", "image/svg+xml", &doc) {
            Ok(()) => download_error.set(String::new()),
            Err(_) => download_error.set("The browser refused the download.".into()),
        }
    };
    let set_all = move |expand: bool| {
        let ids: Toggled = drawn.with_untracked(|l| {
            l.nodes
                .iter()
                .filter(|n| n.kind == NodeKind::Group && ((n.count > COLLAPSE_OVER) == expand))
                .map(|n| n.id.clone())
                .collect()
        });
        toggled.set(ids);
    };
    view! {
        {move || state.analysed.get().map(|a| {
            let s = summary(&a.report);
            let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
            view! {
                <p class="hier-summary" data-testid="hierarchy-summary">
                    <span>{plural(s.cmks, "CMK", "CMKs")}</span>
                    <span>{format!("{} AWS-managed", s.aws_managed)}</span>
                    <span>{format!("{} provider-owned", s.provider_owned)}</span>
                    {(s.unencrypted_stores > 0).then(|| view! { <span class="bad-text">{plural(s.unencrypted_stores, "store not encrypted", "stores not encrypted")}</span> })}
                    {(!s.shared.is_empty()).then(|| view! { <span class="warn-text">{format!("{} shared across categories: {}", plural(s.shared.len(), "key", "keys"), crate::view::preview(&s.shared, 4))}</span> })}
                    {(!s.missing.is_empty()).then(|| view! { <span class="bad-text">{format!("missing: {}", crate::view::preview(&s.missing, 6))}</span> })}
                </p>
            }
        })}
        <div class="toolbar">
            <button data-testid="download-svg" on:click=on_download>"Download SVG"</button>
            <button on:click=move |_| set_all(true)>"Expand all"</button>
            <button on:click=move |_| set_all(false)>"Collapse all"</button>
            <span class="muted small">"Select a key (click, or Tab to it and press Enter) to see its blast radius and who can use it; select a principal to see every store it can decrypt. Groups of more than "{COLLAPSE_OVER}" stores start collapsed."</span>
            <span class="bad-text" role="status">{move || download_error.get()}</span>
        </div>
        <div class="hier-grid">
            <div class="drawing" data-testid="hierarchy">
                {move || drawing(drawn.get(), state)}
            </div>
            <BlastPanel />
        </div>
        <Legend />
    }
}

fn drawing(l: Layout, state: AppState) -> impl IntoView {
    if l.nodes.is_empty() {
        return view! { <p class="muted">"No keys or data stores in this input."</p> }.into_any();
    }
    let selected = state.ui.selected_key;
    let reached = reached(state);
    let (w, h) = (l.width, l.height);
    // Each principal node's keys, from its edges: selecting a key lights who can use it.
    let mut uses: std::collections::HashMap<usize, Vec<String>> = std::collections::HashMap::new();
    for e in &l.edges {
        if l.nodes[e.from].kind == NodeKind::Principal {
            if let Some(k) = &e.key {
                uses.entry(e.from).or_default().push(k.clone());
            }
        }
    }
    let principal = state.ui.selected_principal;
    let edges = l
        .edges
        .iter()
        .map(|e| {
            let key = e.key.clone();
            let from = l.nodes[e.from].clone();
            let class = move || {
                let sel = selected.get();
                let mut c = String::from("edge");
                let from_principal = from.kind == NodeKind::Principal;
                let own = from_principal
                    && principal
                        .get()
                        .is_some_and(|p| from.id == principal_node_id(&p));
                match reached.get() {
                    Some(r)
                        if (own || !from_principal)
                            && key.as_ref().is_some_and(|k| r.contains(k)) =>
                    {
                        c.push_str(" hot")
                    }
                    Some(_) => c.push_str(" dim"),
                    None if is_hot(&key, &sel) => c.push_str(" hot"),
                    None if sel.is_some() => c.push_str(" dim"),
                    None => {}
                }
                c
            };
            let dashed = e.dashed;
            view! { <path d=e.path.clone() class=class class:dashed=dashed /> }
        })
        .collect_view();
    let nodes = l
        .nodes
        .into_iter()
        .enumerate()
        .map(|(i, n)| {
            let keys = uses.remove(&i).unwrap_or_default();
            view! { <NodeView node=n uses=keys /> }
        })
        .collect_view();
    view! {
        <svg
            class="hier-svg"
            viewBox=format!("0 0 {w} {h}")
            width=w.to_string()
            height=h.to_string()
            role="group"
            aria-label="KMS key hierarchy: providers, keys, and the data stores they protect"
        >
            <g class="edges">{edges}</g>
            <g class="nodes">{nodes}</g>
        </svg>
    }
    .into_any()
}

/// The node ids the selected principal reaches, when one is selected.
fn reached(state: AppState) -> Memo<Option<std::collections::BTreeSet<String>>> {
    let principal = state.ui.selected_principal;
    Memo::new(move |_| {
        let p = principal.get()?;
        state
            .analysed
            .with(|a| a.as_ref().map(|a| reach(&a.report, &p)))
    })
}

/// Whether an edge or node belongs to the selected key.
fn is_hot(key: &Option<String>, selected: &Option<String>) -> bool {
    selected.is_some() && key == selected
}

#[component]
fn NodeView(node: Node, #[prop(optional)] uses: Vec<String>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = state.ui.selected_key;
    let toggled = state.ui.toggled;
    let kind = node.kind;
    let id = node.id.clone();
    let key = node.key.clone();
    let focusable = kind.is_key()
        || matches!(
            kind,
            NodeKind::Group | NodeKind::Store | NodeKind::Principal
        );
    let principal = state.ui.selected_principal;
    let is_principal = kind == NodeKind::Principal;
    let key_for_class = key.clone();
    let reached = reached(state);
    let id_for_class = id.clone();
    let class = move || {
        let sel = selected.get();
        let mut c = format!("node {}", kind.class());
        if node.shared {
            c.push_str(" shared");
        }
        if node.warn {
            c.push_str(" warn");
        }
        if let Some(r) = reached.get() {
            let me = principal
                .get()
                .is_some_and(|p| principal_node_id(&p) == id_for_class);
            c.push_str(if me {
                " hot selected"
            } else if r.contains(&id_for_class) {
                " hot reach"
            } else {
                " dim"
            });
        } else if is_principal && sel.as_ref().is_some_and(|k| uses.contains(k)) {
            c.push_str(" hot");
        } else if is_hot(&key_for_class, &sel) {
            c.push_str(" hot");
            if kind.is_key() {
                c.push_str(" selected");
            }
        } else if sel.is_some() {
            c.push_str(" dim");
        }
        c
    };
    let activate = {
        let id = id.clone();
        let key = key.clone();
        move || match kind {
            NodeKind::Principal if id.starts_with("principals:") => {
                toggled.update(|t| {
                    if !t.remove(&id) {
                        t.insert(id.clone());
                    }
                });
                dom::focus_later(format!("[data-node-id=\"{}\"]", dom::attr_value(&id)));
            }
            NodeKind::Principal => {
                let p = id.trim_start_matches("principal:").to_string();
                let same = principal.get_untracked().as_deref() == Some(p.as_str());
                selected.set(None);
                principal.set((!same).then_some(p));
            }
            NodeKind::Group => {
                toggled.update(|t| {
                    if !t.remove(&id) {
                        t.insert(id.clone());
                    }
                });
                dom::focus_later(format!("[data-node-id=\"{}\"]", dom::attr_value(&id)));
            }
            _ if kind.is_key() => {
                let same = selected.get_untracked().as_deref() == Some(id.as_str());
                state.ui.selected_principal.set(None);
                selected.set((!same).then(|| id.clone()));
            }
            NodeKind::Store => {
                state.ui.selected_principal.set(None);
                selected.set(key.clone());
            }
            _ => {}
        }
    };
    let activate2 = activate.clone();
    // The accessible name holds the text as drawn (cut to fit the box) before the full
    // text, so the name contains the visible label (WCAG 2.5.3: a speech user says what
    // they see) and a screen reader still hears everything.
    let drawn = std::iter::once(node.title.as_str())
        .chain(node.lines.iter().map(String::as_str))
        .collect::<Vec<_>>()
        // A space, as the drawn lines read: with a comma the name no longer contains the
        // visible text word for word (axe label-content-name-mismatch).
        .join(" ");
    let full = node.full.replace('\n', " ");
    let label = if full.starts_with(&drawn) {
        full
    } else {
        format!("{drawn}; in full: {full}")
    };
    let tooltip = node.full.clone();
    let (x, y, w, h) = (node.x, node.y, node.w, node.h);
    let title_x = x + 10;
    let lines = node
        .lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let warn = line.contains("OFF") || line.contains("wildcard") || line.contains("over-broad");
            // The space between the texts keeps the words apart where tools read the node's
            // text (axe joins adjacent <text> elements without one); SVG does not draw it.
            view! {
                " "
                <text x=title_x.to_string() y=(y + 34 + 16 * i as i32).to_string() class="sub" class:warn-line=warn>{line.clone()}</text>
            }
        })
        .collect_view();
    let kind_node = is_principal && id.starts_with("principals:");
    let expanded = (kind == NodeKind::Group || kind_node).then(|| (!node.collapsed).to_string());
    let pressed = (kind.is_key() || (is_principal && !kind_node)).then(|| {
        let id = id.clone();
        move || {
            let on = if is_principal {
                principal.get().is_some_and(|p| principal_node_id(&p) == id)
            } else {
                selected.get().as_deref() == Some(id.as_str())
            };
            on.to_string()
        }
    });
    // The tooltip sits on a wrapper, not in the button: a `<title>` inside it would count as
    // the button's text, which then no longer matches its accessible name (WCAG 2.5.3).
    view! {
        <g>
        <title>{tooltip}</title>
        <g
            class=class
            data-node-id=id.clone()
            data-kind=kind.class()
            tabindex=focusable.then_some("0")
            role=focusable.then_some("button")
            aria-label=label
            aria-expanded=expanded
            aria-pressed=pressed
            on:click=move |_| activate()
            on:keydown=move |ev: web_sys::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    activate2();
                }
            }
        >
            {node.shared.then(|| view! {
                <rect class="shared-ring" x=(x - 4).to_string() y=(y - 4).to_string() width=(w + 8).to_string() height=(h + 8).to_string() rx="10" />
            })}
            <rect class="box" x=x.to_string() y=y.to_string() width=w.to_string() height=h.to_string() rx="7" />
            <text x=title_x.to_string() y=(y + 18).to_string() class="title">{node.title.clone()}</text>
            {lines}
            {(kind == NodeKind::Group || kind_node).then(|| view! {
                <text x=(x + w - 18).to_string() y=(y + 18).to_string() class="chev" aria-hidden="true">{if node.collapsed { "+" } else { "−" }}</text>
            })}
        </g>
        </g>
    }
}

#[component]
fn BlastPanel() -> impl IntoView {
    let state = expect_context::<AppState>();
    let selected = state.ui.selected_key;
    view! {
        <aside class="blast" data-testid="blast-radius" aria-live="polite">
            {move || {
                let a = state.analysed.get()?;
                if let Some(p) = state.ui.selected_principal.get() {
                    return Some(principal_panel(&a.report, &p, state).into_any());
                }
                let Some(id) = selected.get() else {
                    return Some(view! {
                        <h3>"Blast radius"</h3>
                        <p class="muted">"Select a key in the drawing to see what deleting it would make undecryptable."</p>
                    }.into_any());
                };
                let b = blast_radius(&a.report, &id)?;
                let n = b.stores.len();
                let headline = if b.deletable {
                    format!("Deleting {} would make {n} store{} undecryptable", b.label, if n == 1 { "" } else { "s" })
                } else if id.starts_with("unencrypted:") {
                    format!("{n} store{} with no encryption at rest", if n == 1 { "" } else { "s" })
                } else {
                    format!("{} protects {n} store{}", b.label, if n == 1 { "" } else { "s" })
                };
                let note = if b.deletable {
                    "Deleting a CMK erases every data key wrapped by it: the data beneath is gone for good (cryptographic erasure). KMS enforces a 7–30 day waiting period; disabling the key first shows what breaks."
                } else if id.starts_with("unencrypted:") {
                    "Nothing to erase, and nothing protecting the data at rest either."
                } else {
                    "You can't delete or govern this key: AWS manages it. Moving these stores to a CMK gives you the key policy, the audit trail and the ability to erase."
                };
                let stores = b.stores.clone();
                let principals = key_principals(&a.report, &id);
                let is_cmk = a.report.keys.iter().any(|k| k.id == id && k.address.is_some());
                Some(view! {
                    <h3 data-testid="blast-headline">{headline}</h3>
                    {b.shared.then(|| view! {
                        <p class="warn-text">{format!("Shared across categories: {}. One key per category limits what a single deletion or a leaked grant reaches.", b.categories.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "))}</p>
                    })}
                    <p class="muted small">{note}</p>
                    <ul class="blast-list" data-testid="blast-stores">
                        {stores.into_iter().map(|(addr, svc, cat, level)| view! {
                            <li>
                                <code>{shown(&addr).into_owned()}</code>
                                <span class="meta">{format!("{svc} · {} · {}", cat.map(|c| c.as_str()).unwrap_or("unclassified"), level.as_str())}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                    {is_cmk.then(|| view! {
                        <h4>"Who can use this key"</h4>
                        {principals.is_empty().then(|| view! {
                            <p class="muted small">"No principal could be read from this key's policy, identity policies or grants (see access_gaps in the JSON export)."</p>
                        })}
                        <ul class="blast-list" data-testid="key-principals">
                            {principals.into_iter().map(|p| view! {
                                <li data-principal=p.principal.clone()>
                                    <code>{shown(&p.principal).into_owned()}</code>
                                    <span class="meta">{format!("{} · can {}{}", p.kind.as_str(), p.can, if p.conditional { " · conditional" } else { "" })}</span>
                                    {p.via.into_iter().map(|v| view! { <span class="meta">{shown(&v).into_owned()}</span> }).collect_view()}
                                </li>
                            }).collect_view()}
                        </ul>
                    })}
                    <button class="link" on:click=move |_| selected.set(None)>"Clear selection"</button>
                }.into_any())
            }}
        </aside>
    }
}

/// What a leaked credential of the selected principal exposes.
fn principal_panel(report: &crate::engine::Report, p: &str, state: AppState) -> impl IntoView {
    let stores = exposed_stores(report, p);
    let n = stores.len();
    let headline = format!(
        "{} can decrypt {n} store{}",
        shown(p),
        if n == 1 { "" } else { "s" }
    );
    let keys: Vec<String> = {
        let mut k: Vec<String> = stores.iter().map(|(_, _, k)| k.clone()).collect();
        crate::engine::sort::ord(&mut k);
        k.dedup();
        k
    };
    view! {
        <h3 data-testid="principal-headline">{headline}</h3>
        <p class="muted small">"What a leaked credential of this principal exposes: every store under a key it holds kms:Decrypt on. Conditions are not decided here; the JSON export shows them verbatim."</p>
        {(!keys.is_empty()).then(|| view! { <p class="small">{format!("through {}", keys.join(", "))}</p> })}
        <ul class="blast-list" data-testid="principal-stores">
            {stores.into_iter().map(|(s, c, _)| view! {
                <li>
                    <code>{shown(&s).into_owned()}</code>
                    <span class="meta">{c.map(|c| c.as_str()).unwrap_or("unclassified")}</span>
                </li>
            }).collect_view()}
        </ul>
        <button class="link" on:click=move |_| state.ui.selected_principal.set(None)>"Clear selection"</button>
    }
}

#[component]
fn Legend() -> impl IntoView {
    let items: [(&str, &str); 9] = [
        (
            "principal",
            "who can use a key (role, user, group, service, account), from its key policy, IAM policies and grants: select one to see every store it can decrypt",
        ),
        (
            "provider",
            "AWS provider: account and region, with its EBS default",
        ),
        (
            "cmk",
            "customer-managed key (CMK): yours to rotate, govern and delete",
        ),
        (
            "cmk unverified",
            "CMK defined outside this input (unverified)",
        ),
        (
            "aws-managed",
            "AWS-managed key (alias/aws/*): in your account, not yours to govern",
        ),
        (
            "provider-owned",
            "provider-owned key (SSE-S3, AWS-owned): not in your account",
        ),
        ("unencrypted", "not encrypted at rest"),
        (
            "missing",
            "a category key the seed's hierarchy calls for, missing",
        ),
        ("shared", "a key shared across data categories"),
    ];
    view! {
        <section class="legend" data-testid="legend">
            <div class="legend-keys">
                <h3>"Legend"</h3>
                <ul>
                    {items.into_iter().map(|(class, text)| view! {
                        <li><span class=format!("swatch {class}") aria-hidden="true"></span>{text}</li>
                    }).collect_view()}
                </ul>
            </div>
            <div class="envelope">
                <h3>"Envelope encryption"</h3>
                <ol>
                    {svg::ENVELOPE.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}
                </ol>
                <p class="muted small">
                    "The seed says rotation re-encrypts the data keys. AWS KMS keeps every earlier key material "
                    "and uses the new one for new data keys only, so rotation re-encrypts nothing; deletion still erases everything beneath."
                </p>
            </div>
        </section>
    }
}
