//! Sharing: the Share panel (the permalink with or without the input, its length, Copy),
//! the read-only banner of a review opened from a permalink, and the alert for a link that
//! could not be opened. The links are built by the engine's codec in the worker; the page
//! only shows them. The review travels in the fragment, which browsers never send.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{dom, export, AppState};
use web_sys::HtmlInputElement;

use crate::view::share::{panel_text, ShareOffer};

/// The toolbar above the review: Share and the downloads.
#[component]
pub fn ReportActions() -> impl IntoView {
    let open = RwSignal::new(false);
    view! {
        <div class="report-actions" data-testid="report-actions">
            <button
                data-testid="share-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls="share-panel"
                on:click=move |_| {
                    let now = !open.get_untracked();
                    open.set(now);
                    if now {
                        dom::focus_later("#share-link".into());
                    }
                }
            >
                "Share…"
            </button>
            <export::ExportButtons />
        </div>
        {move || open.get().then(|| view! { <SharePanel open=open /> })}
    }
}

/// The panel's markup is static (Leptos renders it as one template); the few things that
/// change are set by [`paint`] and its events are read on the panel. As a component with
/// a reactive attribute per field it cost 8.5 KB of the page's gzipped wasm budget.
#[component]
fn SharePanel(open: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let offer: StoredValue<Option<Result<ShareOffer, String>>> = StoredValue::new(None);
    // The user's answer to "include the input"; until they answer, it is on when it fits.
    let choice: StoredValue<Option<bool>> = StoredValue::new(None);
    let repaint = move || offer.with_value(|o| paint(o.as_ref(), choice.get_value()));
    // A newer report (an override re-ran the rules) makes a new link; an answer to an older
    // request is dropped.
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        state.analysed.track();
        let n = asked.get_value() + 1;
        asked.set_value(n);
        offer.set_value(None);
        repaint();
        state.share(Box::new(move |result| {
            if asked.get_value() == n {
                offer.set_value(Some(result));
                repaint();
            }
        }));
    });
    let on_click = move |ev: web_sys::MouseEvent| {
        let Some(button) = target(&ev).and_then(|t| t.closest("button").ok().flatten()) else {
            return;
        };
        match button.get_attribute("data-testid").as_deref() {
            Some("share-copy") => {
                let link = offer.with_value(|o| panel_text(o.as_ref(), choice.get_value()).link);
                if link.is_empty() {
                    return;
                }
                leptos::task::spawn_local(async move {
                    let said = match dom::copy(&link).await {
                        Ok(()) => "Copied.",
                        Err(()) => "The browser refused; select the link and copy it.",
                    };
                    set_text("share-copy-status", said);
                });
            }
            Some("share-close") => {
                open.set(false);
                // The panel (and the focused button) goes: focus returns to Share.
                dom::focus_later("[data-testid=share-toggle]".into());
            }
            _ => {}
        }
    };
    let on_change = move |ev: web_sys::Event| {
        if let Some(input) = target(&ev).and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            if input.id() == "share-with-input" {
                choice.set_value(Some(input.checked()));
                set_text("share-copy-status", "");
                repaint();
            }
        }
    };
    let on_focus = move |ev: web_sys::FocusEvent| {
        if let Some(input) = target(&ev).and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) {
            if input.id() == "share-link" {
                input.select();
            }
        }
    };
    view! {
        <section
            class="share-panel"
            id="share-panel"
            data-testid="share-panel"
            aria-labelledby="share-heading"
            on:click=on_click
            on:change=on_change
            on:focusin=on_focus
        >
            <div class="share-head">
                <h2 id="share-heading">"Share this review"</h2>
                <button class="link" data-testid="share-close">"Close"</button>
            </div>
            <p class="muted small">
                "The review travels in the link itself, after the #: browsers never send that part to a server, "
                "so opening the link uploads nothing. Whoever opens it sees the review read-only, with the input's SHA-256."
            </p>
            <div class="share-input">
                <input type="checkbox" id="share-with-input" data-testid="share-with-input" disabled aria-describedby="share-input-note" />
                <label for="share-with-input">
                    "Include the input, so whoever opens the link can run the review again"
                </label>
                <p class="muted small" id="share-input-note" data-testid="share-input-note"></p>
            </div>
            <label for="share-link" class="share-label">"Permalink"</label>
            <div class="share-row">
                <input type="text" id="share-link" readonly data-testid="share-link" aria-describedby="share-length" />
                <button class="primary" data-testid="share-copy">"Copy link"</button>
            </div>
            <p class="muted small" id="share-length" data-testid="share-length" role="status"></p>
            <p class="muted small" id="share-copy-status" role="status" data-testid="share-copy-status"></p>
        </section>
    }
}

/// Shows an offer (or its absence) in the panel's fields.
fn paint(offer: Option<&Result<ShareOffer, String>>, choice: Option<bool>) {
    let t = panel_text(offer, choice);
    if let Some(boxed) =
        element("share-with-input").and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
    {
        boxed.set_disabled(!t.can_include);
        boxed.set_checked(t.include);
    }
    if let Some(field) = element("share-link").and_then(|e| e.dyn_into::<HtmlInputElement>().ok()) {
        field.set_value(&t.link);
    }
    set_text("share-input-note", &t.input_note);
    set_text("share-length", &t.status);
}

fn element(id: &str) -> Option<web_sys::Element> {
    web_sys::window()?.document()?.get_element_by_id(id)
}

fn set_text(id: &str, text: &str) {
    if let Some(e) = element(id) {
        e.set_text_content(Some(text));
    }
}

fn target(ev: &web_sys::Event) -> Option<web_sys::Element> {
    ev.target()?.dyn_into().ok()
}

/// The banner of a review opened from a permalink: what made it, the input's digests, how
/// it was shown, and the way out of read-only mode.
#[component]
pub fn PermalinkBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let b = state.read_only.get()?;
        let has_files = !b.digests.is_empty();
        let digests = b
            .digests
            .into_iter()
            .map(|(path, short, full)| {
                view! {
                    " "<span class="digest-path">{path}</span>" "
                    <code title=full.clone() data-testid="permalink-digest" data-sha256=full>{short}</code>
                }
            })
            .collect_view();
        Some(view! {
            <section class="permalink-banner" data-testid="permalink-banner" aria-labelledby="permalink-banner-title">
                <p class="banner-line">
                    <strong id="permalink-banner-title">{b.title}</strong>
                    " · "{b.made_by}{has_files.then_some(" · input SHA-256")}{digests}
                </p>
                <ul class="banner-notes" data-testid="permalink-notes">
                    {b.notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                </ul>
                <button data-testid="new-review" on:click=move |_| state.new_review()>"Start a new review"</button>
            </section>
        })
    }
}

/// A permalink that could not be opened: the codec's words, and the page still works.
#[component]
pub fn LinkError() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        state.link_error.get().map(|e| {
            view! {
                <div class="permalink-error" role="alert" data-testid="permalink-error">
                    <p>
                        <strong>"This permalink could not be opened: "</strong>
                        <span data-testid="permalink-error-text">{e}</span>
                    </p>
                    <p class="small">"Nothing else is affected: load the example, paste a plan or drop files as usual."</p>
                    <button data-testid="dismiss-link-error" on:click=move |_| state.dismiss_link_error()>"Dismiss"</button>
                </div>
            }
        })
    }
}

/// Removes the fragment from the address without a reload or a `hashchange`, so a reload
/// does not open the permalink again.
pub fn drop_fragment() {
    let Some(w) = web_sys::window() else { return };
    let href = w.location().href().unwrap_or_default();
    let Some((bare, _)) = href.split_once('#') else {
        return;
    };
    // `history` through Reflect: the page needs no extra web-sys feature for one call.
    let history = js_sys::Reflect::get(&w, &"history".into()).ok();
    let replace = history
        .as_ref()
        .and_then(|h| js_sys::Reflect::get(h, &"replaceState".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Some(h), Some(replace)) = (history, replace) {
        let _ = replace.call3(&h, &wasm_bindgen::JsValue::NULL, &"".into(), &bare.into());
    }
}
