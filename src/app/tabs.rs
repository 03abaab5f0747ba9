//! The review's tabs (WAI-ARIA tabs pattern: arrow keys, Home and End move between tabs;
//! only the selected tab is in the Tab order).

use leptos::prelude::*;

use super::{dom, AppState};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Overview,
    Findings,
    Categories,
    Hierarchy,
    Resources,
}

impl Tab {
    pub const ALL: [Tab; 5] = [
        Tab::Overview,
        Tab::Findings,
        Tab::Categories,
        Tab::Hierarchy,
        Tab::Resources,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            Tab::Overview => "overview",
            Tab::Findings => "findings",
            Tab::Categories => "categories",
            Tab::Hierarchy => "hierarchy",
            Tab::Resources => "resources",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Overview => "Overview",
            Tab::Findings => "Findings",
            Tab::Categories => "Data categories",
            Tab::Hierarchy => "Key hierarchy",
            Tab::Resources => "Resources",
        }
    }

    fn step(self, by: isize) -> Tab {
        let i = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0) as isize;
        let n = Tab::ALL.len() as isize;
        Tab::ALL[(i + by).rem_euclid(n) as usize]
    }
}

#[component]
pub fn TabBar() -> impl IntoView {
    let state = expect_context::<AppState>();
    let tab = state.ui.tab;
    let badge = move |t: Tab| -> Option<String> {
        let a = state.analysed.get()?;
        let n = match t {
            Tab::Findings => a.report.findings.iter().filter(|f| f.counts()).count(),
            Tab::Categories => a.report.stores.len(),
            Tab::Hierarchy => a.report.keys.len(),
            Tab::Resources => a.report.resources.len(),
            Tab::Overview => return None,
        };
        Some(n.to_string())
    };
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let next = match ev.key().as_str() {
            "ArrowRight" => tab.get_untracked().step(1),
            "ArrowLeft" => tab.get_untracked().step(-1),
            "Home" => Tab::ALL[0],
            "End" => Tab::ALL[Tab::ALL.len() - 1],
            _ => return,
        };
        ev.prevent_default();
        tab.set(next);
        dom::focus_later(format!("#tab-{}", next.slug()));
    };
    view! {
        <div class="tabs" role="tablist" aria-label="Review views" on:keydown=on_key>
            {Tab::ALL
                .into_iter()
                .map(|t| {
                    view! {
                        <button
                            role="tab"
                            id=format!("tab-{}", t.slug())
                            data-testid=format!("tab-{}", t.slug())
                            aria-controls=format!("panel-{}", t.slug())
                            aria-selected=move || (tab.get() == t).to_string()
                            tabindex=move || if tab.get() == t { "0" } else { "-1" }
                            class:active=move || tab.get() == t
                            on:click=move |_| tab.set(t)
                        >
                            {t.label()}
                            {move || badge(t).map(|n| view! { <span class="badge">{n}</span> })}
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}
