//! The view-counter client. Counting is a courtesy: any failure leaves the count from the JSON.

use gloo_net::http::Request;
use js_sys::{Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::AbortSignal;

/// Registers one view of `id` at `endpoint` and returns the count the service reports.
pub async fn register_view(endpoint: &str, id: &str) -> Option<u64> {
    register_view_until(endpoint, id, None).await
}

/// `register_view`, with the request aborted when `until` is (the reader's lifetime: a reader
/// removed from the page leaves no request of its own behind).
pub async fn register_view_until(endpoint: &str, id: &str, until: Option<&AbortSignal>) -> Option<u64> {
    // The id has passed the counter's own alphabet check, so it needs no JSON escaping.
    let body = format!(r#"{{"id":"{id}"}}"#);
    let request = Request::post(endpoint).header("Content-Type", "application/json").abort_signal(until).body(body).ok()?;
    let response = request.send().await.ok()?;
    if !response.ok() {
        return None;
    }
    views_in(&response.text().await.ok()?)
}

/// The `views` of the service's reply (`{"views": 1234, …}`): a whole number, at least 0. Read
/// leniently and here alone: anything else in the reply is ignored, anything odd gives `None`.
fn views_in(reply: &str) -> Option<u64> {
    let reply = js_sys::JSON::parse(reply).ok()?;
    let reply = reply.dyn_ref::<Object>()?;
    // An own property only: a host page that pollutes Object.prototype must not inject a count.
    let descriptor = Reflect::get_own_property_descriptor(reply, &JsValue::from_str("views")).ok()?;
    let views = Reflect::get(&descriptor, &JsValue::from_str("value")).ok()?.as_f64()?;
    (views >= 0.0 && views.fract() == 0.0).then_some(views as u64)
}
