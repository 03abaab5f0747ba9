//! The one wasm module of the site. On the page it mounts the app; in the analysis worker
//! (`worker.js`, written by `src/web/postbuild.mjs`, which instantiates this same module
//! with the compiled `WebAssembly.Module` the page sends it) it starts the engine's message
//! loop. One module for both means one download and one compile of std, serde and the
//! report types instead of two (issue 15: first visit).

#[cfg(target_arch = "wasm32")]
fn main() {
    use wasm_bindgen::JsCast;
    console_error_panic_hook::set_once();
    if js_sys::global().is_instance_of::<web_sys::DedicatedWorkerGlobalScope>() {
        planlens::worker::start();
    } else {
        leptos::mount::mount_to_body(planlens::app::App);
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the web entry point runs in the browser; build it with `trunk build`");
}
