//! Browser tests (wasm-bindgen-test in headless Chromium): the parts that only exist in the
//! page — mounting, and a few clicks through the review views. Run with
//! `cargo test --target wasm32-unknown-unknown --test web`.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts a fresh app into its own element and returns that element.
fn mount() -> web_sys::HtmlElement {
    let doc = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    doc.body().unwrap().append_child(&el).unwrap();
    // The engine runs inline: the test server has no worker script to start.
    leptos::mount::mount_to(el.clone(), || {
        let engine = std::rc::Rc::new(planlens::app::engine::InlineEngine::default());
        leptos::prelude::provide_context(planlens::app::AppState::new(engine));
        leptos::prelude::view! { <planlens::app::App /> }
    })
    .forget();
    el
}

fn query(root: &web_sys::HtmlElement, selector: &str) -> Option<web_sys::HtmlElement> {
    root.query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn find(root: &web_sys::HtmlElement, testid: &str) -> web_sys::HtmlElement {
    query(root, &format!("[data-testid={testid}]"))
        .unwrap_or_else(|| panic!("no element with data-testid={testid}"))
}

fn text(root: &web_sys::HtmlElement, testid: &str) -> String {
    find(root, testid).text_content().unwrap_or_default()
}

async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (up to 5 s) until `selector` matches inside `root`: analysis yields to the browser
/// before it runs, and Leptos updates the DOM asynchronously.
async fn wait_for(root: &web_sys::HtmlElement, selector: &str) -> web_sys::HtmlElement {
    for _ in 0..250 {
        leptos::task::tick().await;
        if let Some(el) = query(root, selector) {
            return el;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {selector}");
}

/// Waits until `check` holds.
async fn until(what: &str, mut check: impl FnMut() -> bool) {
    for _ in 0..250 {
        leptos::task::tick().await;
        if check() {
            return;
        }
        sleep(20).await;
    }
    panic!("timed out waiting for {what}");
}

async fn load_example(root: &web_sys::HtmlElement) {
    find(root, "load-example").click();
    wait_for(root, "[data-testid=verdict]").await;
}

async fn open_tab(root: &web_sys::HtmlElement, name: &str) {
    find(root, &format!("tab-{name}")).click();
    wait_for(root, &format!("[data-testid=panel-{name}]")).await;
}

#[wasm_bindgen_test]
async fn load_example_shows_the_review_and_the_inventory() {
    let root = mount();
    assert!(text(&root, "results").contains("Load the example"));
    load_example(&root).await;
    let verdict = text(&root, "verdict");
    assert!(verdict.contains("19 resources"), "{verdict}");
    // The overview is the first tab: five metric cards.
    let cards = root
        .query_selector_all("[data-testid=metrics] article")
        .unwrap();
    assert_eq!(cards.length(), 5);
    open_tab(&root, "resources").await;
    let inventory = text(&root, "inventory");
    assert!(inventory.contains("aws_lb_listener.https"), "{inventory}");
    assert!(
        inventory.contains("aws_s3_bucket.customer_data"),
        "{inventory}"
    );
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
    wait_for(&root, "[data-testid=errors] li").await;
    let errors = text(&root, "errors");
    assert!(errors.contains("pasted input:2:"), "{errors}");
    assert_eq!(
        paste.value(),
        broken,
        "the pasted text must survive an error"
    );
}

#[wasm_bindgen_test]
async fn tabs_switch_by_click_and_arrow_keys() {
    let root = mount();
    load_example(&root).await;
    open_tab(&root, "findings").await;
    assert_eq!(
        find(&root, "tab-findings").get_attribute("aria-selected"),
        Some("true".into())
    );
    assert_eq!(
        find(&root, "tab-overview").get_attribute("tabindex"),
        Some("-1".into())
    );
    let init = web_sys::KeyboardEventInit::new();
    init.set_key("ArrowRight");
    init.set_bubbles(true);
    let ev = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    find(&root, "tab-findings").dispatch_event(&ev).unwrap();
    wait_for(&root, "[data-testid=panel-categories]").await;
    assert!(query(&root, "[data-testid=panel-findings]").is_none());
}

#[wasm_bindgen_test]
async fn a_severity_filter_narrows_the_findings_and_the_counts_follow() {
    let root = mount();
    load_example(&root).await;
    open_tab(&root, "findings").await;
    let all = root
        .query_selector_all("[data-testid=finding]")
        .unwrap()
        .length();
    assert!(all > 1, "the example has findings");
    find(&root, "filter-sev-critical").click();
    until("the filter to apply", || {
        text(&root, "finding-counts").starts_with("Showing")
    })
    .await;
    let rows = root
        .query_selector_all("[data-testid=finding] .sev")
        .unwrap();
    assert!(rows.length() > 0 && rows.length() < all);
    for i in 0..rows.length() {
        assert_eq!(rows.get(i).unwrap().text_content().unwrap(), "critical");
    }
    let counts = text(&root, "finding-counts");
    assert!(
        counts.contains(&format!("Showing {} of {all}", rows.length())),
        "{counts}"
    );
}

#[wasm_bindgen_test]
async fn overriding_a_category_moves_the_store_in_the_matrix() {
    let root = mount();
    load_example(&root).await;
    open_tab(&root, "categories").await;
    let count = |root: &web_sys::HtmlElement, id: &str| -> u32 {
        query(root, &format!("[data-testid={id}]"))
            .and_then(|e| e.text_content())
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0)
    };
    let health = count(&root, "cell-health-stores");
    let select: web_sys::HtmlSelectElement = wait_for(
        &root,
        "[data-testid=override][data-address=\"aws_s3_bucket.user_exports\"]",
    )
    .await
    .unchecked_into();
    select.set_value("health");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    until("the matrix to follow the override", || {
        count(&root, "cell-health-stores") == health + 1
    })
    .await;
    let row = wait_for(
        &root,
        "tr[data-store=\"aws_s3_bucket.user_exports\"] [data-testid=category-source]",
    )
    .await;
    assert_eq!(row.text_content().unwrap(), "override");
}

#[wasm_bindgen_test]
async fn a_baseline_file_marks_the_findings_it_holds() {
    use planlens::engine::report::baseline::{Baseline, BaselineEntry};
    let root = mount();
    load_example(&root).await;
    // The example's baseline, less its first entry (that finding is new) and with one
    // entry for a key that is gone (stale).
    let files = [planlens::engine::SourceFile::new(
        planlens::example::NAME,
        planlens::example::PLAN.as_bytes(),
    )];
    let report = planlens::engine::check(&files, &planlens::engine::Options::default());
    let mut baseline = Baseline::of(&report);
    let kept = baseline.findings.len() - 1;
    baseline.findings.remove(0);
    baseline.findings.push(BaselineEntry {
        rule: "KMS001".into(),
        address: Some("aws_kms_key.gone".into()),
        attribute: Some("enable_key_rotation".into()),
        fingerprint: "0".repeat(64),
    });
    // Picked through the input, as a user would.
    let parts = js_sys::Array::of1(&baseline.to_json().into());
    let file = web_sys::File::new_with_str_sequence(&parts, "baseline.json").unwrap();
    let dt = web_sys::DataTransfer::new().unwrap();
    dt.items().add_with_file(&file).unwrap();
    let input: web_sys::HtmlInputElement = find(&root, "baseline-input").unchecked_into();
    input.set_files(dt.files().as_ref());
    input
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    let status = wait_for(&root, "[data-testid=baseline-status]").await;
    until("the baseline's comparison", || {
        status
            .text_content()
            .unwrap_or_default()
            .contains("no longer occurs")
    })
    .await;
    let status = status.text_content().unwrap();
    assert!(status.contains("baseline.json"), "{status}");
    assert!(
        status.contains(&format!("{kept} findings already in the baseline")),
        "{status}"
    );
    assert!(
        status.contains("; 1 new; 1 baseline entry no longer occurs"),
        "{status}"
    );

    open_tab(&root, "findings").await;
    let marked = root
        .query_selector_all("[data-testid=finding] [data-testid=baselined]")
        .unwrap()
        .length();
    assert_eq!(marked as usize, kept);

    // Clearing it counts every finding again.
    find(&root, "baseline-clear").click();
    until("the marks to go", || {
        query(&root, "[data-testid=baselined]").is_none()
            && query(&root, "[data-testid=baseline-status]").is_none()
    })
    .await;
}

/// The page copies a file into wasm memory, and out again for the worker, a slice per
/// step: every byte arrives, across slice boundaries and for an empty file.
#[wasm_bindgen_test]
async fn bytes_cross_between_js_and_wasm_a_slice_at_a_time() {
    use planlens::app::dom::Budget;
    use planlens::app::files::{copy_in, copy_out, COPY_SLICE};
    let bytes: Vec<u8> = (0..2 * COPY_SLICE + 3).map(|i| (i % 251) as u8).collect();
    let mut budget = Budget::new();
    let js = copy_out(&bytes, &mut budget).await;
    assert_eq!(js.length() as usize, bytes.len());
    for i in [0, COPY_SLICE - 1, COPY_SLICE, 2 * COPY_SLICE + 2] {
        assert_eq!(js.get_index(i as u32), bytes[i], "byte {i}");
    }
    assert_eq!(copy_in(&js, &mut budget).await, bytes);
    let empty = copy_out(&[], &mut budget).await;
    assert!(copy_in(&empty, &mut budget).await.is_empty());
}
