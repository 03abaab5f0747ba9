//! The page (wasm32 only): thin Leptos components over plain state.

use leptos::prelude::*;

#[component]
pub fn App() -> impl IntoView {
    view! { <main><h1>"planlens"</h1></main> }
}
