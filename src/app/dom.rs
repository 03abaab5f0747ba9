//! The few browser calls the components make directly: yielding a frame, the clipboard,
//! a file download, moving focus.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Lets the browser paint (the "Analysing…" status) before a long synchronous step: waits
/// for the next animation frame (or 50 ms when frames are paused, e.g. a hidden tab), then
/// one more task so the frame's paint has happened.
pub async fn yield_to_browser() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(&resolve);
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 50);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
    sleep(0).await;
}

/// Long work on the main thread done in slices: [`Budget::tick`] between two slices yields
/// to the browser once the task has run [`Budget::MS`], so no task reaches the 50 ms a
/// long task starts at, and the slices of a task run back to back (a yield after every
/// slice would wait at least 4 ms each: nested timers are clamped).
pub struct Budget {
    task_start: f64,
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new()
    }
}

impl Budget {
    /// Milliseconds of work per task: a slice (500 findings, a few MB copied) takes a few
    /// here and several times that on a slow device.
    pub const MS: f64 = 10.0;

    pub fn new() -> Budget {
        Budget {
            task_start: js_sys::Date::now(),
        }
    }

    /// Between two slices: yields when this task has run its budget.
    pub async fn tick(&mut self) {
        if js_sys::Date::now() - self.task_start >= Self::MS {
            sleep(0).await;
            self.task_start = js_sys::Date::now();
        }
    }
}

/// Waits `ms` milliseconds (a `setTimeout` task).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        } else {
            let _ = resolve.call0(&JsValue::NULL);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Copies text to the clipboard; `Err` when the browser refuses (no permission, insecure
/// context), so the caller can say so.
pub async fn copy(text: &str) -> Result<(), ()> {
    let window = web_sys::window().ok_or(())?;
    let clipboard = window.navigator().clipboard();
    // Older browsers have no `navigator.clipboard`: the binding would throw.
    if JsValue::from(clipboard.clone()).is_undefined() {
        return Err(());
    }
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| ())
}

/// Offers `text` as a file download through a temporary object URL (no request leaves the
/// page: the URL is `blob:`).
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let window = web_sys::window().ok_or(JsValue::NULL)?;
    let document = window.document().ok_or(JsValue::NULL)?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let a: web_sys::HtmlAnchorElement = document.create_element("a")?.unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.set_attribute("data-testid", "download-link")?;
    a.style().set_property("display", "none")?;
    let body = document.body().ok_or(JsValue::NULL)?;
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    // Revoke later: revoking at once can cancel the download in some browsers.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    let _ = window
        .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    Ok(())
}

/// Focuses the first element matching `selector` once the DOM has caught up (Leptos
/// updates asynchronously).
pub fn focus_later(selector: String) {
    leptos::task::spawn_local(async move {
        sleep(0).await;
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(el) = el {
            let _ = el.focus();
        } else if let Some(el) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector(&selector).ok().flatten())
        {
            // SVG elements are not HtmlElements; call focus() through JS.
            if let Ok(f) = js_sys::Reflect::get(&el, &"focus".into()) {
                if let Some(f) = f.dyn_ref::<js_sys::Function>() {
                    let _ = f.call0(&el);
                }
            }
        }
    });
}

/// A CSS attribute selector value with quotes and backslashes escaped.
pub fn attr_value(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}
