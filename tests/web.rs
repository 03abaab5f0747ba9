//! Browser tests (wasm-bindgen-test in headless Chromium): the parts that only exist in the
//! page. Run with `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app into its own element and returns that element.
fn mount() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    leptos::mount::mount_to(el.clone(), planlens::app::App).forget();
    el
}

fn find(root: &web_sys::HtmlElement, testid: &str) -> web_sys::HtmlElement {
    root.query_selector(&format!("[data-testid={testid}]"))
        .unwrap()
        .unwrap_or_else(|| panic!("no element with data-testid={testid}"))
        .unchecked_into()
}

#[wasm_bindgen_test]
async fn load_example_shows_the_inventory() {
    let root = mount();
    assert!(find(&root, "results")
        .text_content()
        .unwrap()
        .contains("Load the example"));
    find(&root, "load-example").click();
    leptos::task::tick().await;
    let inventory = find(&root, "inventory").text_content().unwrap();
    assert!(inventory.contains("aws_lb_listener.https"), "{inventory}");
    assert!(
        inventory.contains("aws_s3_bucket.customer_data"),
        "{inventory}"
    );
    let verdict = find(&root, "verdict").text_content().unwrap();
    assert!(verdict.contains("19 resources"), "{verdict}");
}

#[wasm_bindgen_test]
async fn a_broken_paste_shows_line_and_column_and_keeps_the_text() {
    let root = mount();
    let paste: web_sys::HtmlTextAreaElement = find(&root, "paste").unchecked_into();
    let broken = "{\"format_version\": \"1.2\",\n  \"planned_values\": {]";
    paste.set_value(broken);
    paste
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    find(&root, "analyse").click();
    leptos::task::tick().await;
    let errors = find(&root, "errors").text_content().unwrap();
    assert!(errors.contains("pasted input:2:"), "{errors}");
    assert_eq!(
        paste.value(),
        broken,
        "the pasted text must survive an error"
    );
}
