//! A promise-based sleep for retry back-off, on the page's own `setTimeout`.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

pub async fn sleep_ms(milliseconds: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(resolve.unchecked_ref(), milliseconds);
        }
    });
    let _ = JsFuture::from(promise).await;
}
