//! Resources: the inventory, narrowed by a focus (a metric's shortfall) or a search.

use leptos::prelude::*;

use super::AppState;
use crate::view::resources::{filter, inventory_rows};
use crate::view::shown as visible;

/// Rows rendered before "Show all".
const PAGE: usize = 400;

#[component]
pub fn Resources() -> impl IntoView {
    let state = expect_context::<AppState>();
    let focus = state.ui.resource_focus;
    let text = RwSignal::new(String::new());
    let show_all = RwSignal::new(false);
    let rows = Memo::new(move |_| {
        state.analysed.with(|a| {
            a.as_ref()
                .map(|a| inventory_rows(&a.report))
                .unwrap_or_default()
        })
    });
    view! {
        <div class="filters">
            <div class="selects">
                <label class="search">
                    <span class="visually-hidden">"Search address or type"</span>
                    <input
                        type="search"
                        placeholder="Search address or type…"
                        data-testid="resource-search"
                        prop:value=move || text.get()
                        on:input=move |ev| text.set(event_target_value(&ev))
                    />
                </label>
            </div>
            {move || focus.get().map(|f| view! {
                <p class="focus" data-testid="resource-focus">
                    "Narrowed to "<strong>{f.label.clone()}</strong>
                    {format!(" ({} address{})", f.addresses.len(), if f.addresses.len() == 1 { "" } else { "es" })}
                    <button class="link" on:click=move |_| focus.set(None)>"show all"</button>
                </p>
            })}
        </div>
        {move || {
            let plain = rows.get();
            let f = focus.get();
            let idx = filter(&plain, f.as_ref(), &text.get());
            let shown = idx.len();
            // Focus entries that are not resources (a provider for the EBS metric) are named.
            let others: Vec<String> = f
                .map(|f| {
                    f.addresses
                        .into_iter()
                        .filter(|a| !plain.iter().any(|r| &r.address == a))
                        .collect()
                })
                .unwrap_or_default();
            view! {
                <p class="counts" data-testid="resource-counts">{format!("{} of {} resources", idx.len(), plain.len())}</p>
                {(!others.is_empty()).then(|| view! {
                    <p class="muted">"Also: providers "{others.into_iter().map(|o| view! { <code>{o}</code>" " }).collect_view()}</p>
                })}
                <div class="table-scroll" tabindex="0" role="region" aria-label="Resources">
                    <table class="inventory" data-testid="inventory">
                        <thead><tr><th>"Address"</th><th>"Type"</th><th>"Provider"</th><th>"Action"</th><th>"Category"</th><th>"Level"</th><th>"Findings"</th><th>"Source"</th></tr></thead>
                        <tbody>
                            {idx.iter().copied().take(if show_all.get() { usize::MAX } else { PAGE }).map(|i| {
                                let r = &plain[i];
                                view! {
                                    <tr>
                                        <td class="address"><code>{visible(&r.address).into_owned()}</code></td>
                                        <td>{r.rtype.clone()}</td>
                                        <td>{r.provider.clone()}</td>
                                        <td><span class=format!("action action-{}", r.action)>{r.action.clone()}</span></td>
                                        <td>{r.category.clone()}</td>
                                        <td>{r.level.clone()}</td>
                                        <td class="num">{(r.findings > 0).then_some(r.findings)}</td>
                                        <td class="where"><code>{visible(&r.location).into_owned()}</code></td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(!show_all.get() && shown > PAGE).then(|| view! {
                    <p class="more-row">
                        <button on:click=move |_| show_all.set(true)>{format!("Show all {shown} resources")}</button>
                    </p>
                })}
            }
        }}
    }
}
