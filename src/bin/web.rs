//! The page's entry point: mounts the app, nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(planlens::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the web entry point runs in the browser; build it with `trunk build`");
}
