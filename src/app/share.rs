//! Sharing: the Share panel (the permalink with or without the input, its length, Copy),
//! the read-only banner of a review opened from a permalink, and the alert for a link that
//! could not be opened. The links are built by the engine's codec in the worker; the page
//! only shows them. The review travels in the fragment, which browsers never send.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::{dom, export, AppState};
use crate::engine::report::VERSION;
use crate::view::share::{banner, length_text, unsuppressed, ShareOffer};

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
        <div id="share-panel" hidden=move || !open.get()>
            {move || open.get().then(|| view! { <SharePanel open=open /> })}
        </div>
    }
}

#[component]
fn SharePanel(open: RwSignal<bool>) -> impl IntoView {
    let state = expect_context::<AppState>();
    let offer: RwSignal<Option<Result<ShareOffer, String>>> = RwSignal::new(None);
    // The user's answer to "include the input"; until they answer, it is on when it fits.
    let choice: RwSignal<Option<bool>> = RwSignal::new(None);
    let copied = RwSignal::new(String::new());
    // A newer report (an override re-ran the rules) makes a new link; an answer to an older
    // request is dropped.
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        state.analysed.track();
        let n = asked.get_value() + 1;
        asked.set_value(n);
        offer.set(None);
        copied.set(String::new());
        state.share(Box::new(move |result| {
            if asked.get_value() == n {
                offer.set(Some(result));
            }
        }));
    });
    let fits = move || offer.with(|o| matches!(o, Some(Ok(o)) if o.with_input.is_some()));
    let include = move || fits() && choice.get().unwrap_or(true);
    let link = move || {
        offer.with(|o| match o {
            Some(Ok(o)) => o.link(include()).to_string(),
            _ => String::new(),
        })
    };
    let on_copy = move |_| {
        let text = link();
        if text.is_empty() {
            return;
        }
        leptos::task::spawn_local(async move {
            copied.set(match dom::copy(&text).await {
                Ok(()) => "Copied.".into(),
                Err(()) => "The browser refused; select the link and copy it.".into(),
            });
        });
    };
    view! {
        <section class="share-panel" data-testid="share-panel" aria-labelledby="share-heading">
            <div class="share-head">
                <h2 id="share-heading">"Share this review"</h2>
                <button class="link" data-testid="share-close" on:click=move |_| open.set(false)>"Close"</button>
            </div>
            <p class="muted small">
                "The review travels in the link itself, after the #: browsers never send that part to a server, "
                "so opening the link uploads nothing. Whoever opens it sees the review read-only, with the input's SHA-256."
            </p>
            {move || match offer.get() {
                None => view! { <p class="busy" role="status" data-testid="share-busy">"Building the link…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="failure" role="alert" data-testid="share-error">{e}</p> }.into_any(),
                Some(Ok(o)) => {
                    let with_len = o.with_input.as_deref().map(|l| length_text(l).0);
                    let note = o.input_note.clone();
                    view! {
                        <div class="share-input">
                            <input
                                type="checkbox"
                                id="share-with-input"
                                data-testid="share-with-input"
                                disabled=o.with_input.is_none()
                                prop:checked=include
                                aria-describedby="share-input-note"
                                on:change=move |ev| choice.set(Some(event_target_checked(&ev)))
                            />
                            <label for="share-with-input">
                                "Include the input, so whoever opens the link can run the review again"
                            </label>
                            <p class="muted small" id="share-input-note" data-testid="share-input-note">
                                {match (with_len, note) {
                                    (Some(len), _) => format!("With the input the link is {len}."),
                                    (None, Some(note)) => note,
                                    (None, None) => String::new(),
                                }}
                            </p>
                        </div>
                    }.into_any()
                }
            }}
            <div class="share-link">
                <label for="share-link">"Permalink"</label>
                <div class="share-row">
                    <input
                        type="text"
                        id="share-link"
                        readonly
                        data-testid="share-link"
                        aria-describedby="share-length"
                        prop:value=link
                        on:focus=move |ev| {
                            if let Some(input) = super::files::input_of(&ev) {
                                input.select();
                            }
                        }
                    />
                    <button class="primary" data-testid="share-copy" on:click=on_copy disabled=move || link().is_empty()>
                        "Copy link"
                    </button>
                </div>
                <p class="muted small" id="share-length" data-testid="share-length" aria-live="polite">
                    {move || {
                        let l = link();
                        if l.is_empty() {
                            return String::new();
                        }
                        let (len, note) = length_text(&l);
                        let what = if include() { "report, settings and input" } else { "report and settings" };
                        match note {
                            Some(n) => format!("{len} ({what}). {n}"),
                            None => format!("{len} ({what})."),
                        }
                    }}
                </p>
                <p class="muted small" role="status" data-testid="share-copy-status">{move || copied.get()}</p>
            </div>
        </section>
    }
}

/// The banner of a review opened from a permalink: what made it, the input's digests, how
/// it was shown, and the way out of read-only mode.
#[component]
pub fn PermalinkBanner() -> impl IntoView {
    let state = expect_context::<AppState>();
    move || {
        let ro = state.read_only.get()?;
        let shown = state
            .analysed
            .with(|a| a.as_ref().map(|a| unsuppressed(&a.report)));
        let b = banner(&ro, VERSION, shown);
        let digests = b
            .digests
            .into_iter()
            .map(|(path, short, full)| {
                view! {
                    <span class="digest">
                        " "<span class="digest-path">{path}</span>" "
                        <code title=full.clone() data-testid="permalink-digest" data-sha256=full>{short}</code>
                    </span>
                }
            })
            .collect_view();
        Some(view! {
            <section class="permalink-banner" data-testid="permalink-banner" aria-labelledby="permalink-banner-title">
                <p class="banner-line">
                    <strong id="permalink-banner-title">{b.title}</strong>
                    " · "<span data-testid="permalink-made-by">{b.made_by}</span>
                    {(!ro.files.is_empty()).then(|| view! { " · input SHA-256"{digests} })}
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
