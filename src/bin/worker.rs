//! The analysis worker's entry point (see `planlens::worker`); Trunk builds it as a
//! web worker next to the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    planlens::worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the analysis worker runs in the browser; build it with `trunk build`");
}
