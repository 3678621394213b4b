//! The page's own `setTimeout`: a callback later, and a promise-based sleep for retry back-off.

use wasm_bindgen::closure::Closure;
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

/// Runs `work` once after `milliseconds`; the handle it returns cancels it (`cancel_timeout`).
/// Boxed, not generic: one closure shim in the wasm for every caller.
pub fn set_timeout(work: Box<dyn FnOnce()>, milliseconds: i32) -> Option<i32> {
    let callback = Closure::once_into_js(work);
    web_sys::window()?.set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), milliseconds).ok()
}

pub fn cancel_timeout(handle: i32) {
    if let Some(window) = web_sys::window() {
        window.clear_timeout_with_handle(handle);
    }
}
