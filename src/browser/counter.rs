//! The view-counter client. Counting is a courtesy: any failure leaves the count from the JSON.

use gloo_net::http::Request;
use serde::Deserialize;
use web_sys::AbortSignal;

/// The service's reply (`{"id": …, "views": 1234, "counted": …}`); only the count is read.
/// serde-wasm-bindgen reads an object's own properties only: a host page that pollutes
/// `Object.prototype` cannot inject a count.
#[derive(Deserialize)]
struct Reply {
    views: u64,
}

/// Registers one view of `id` at `endpoint` and returns the count the service reports. The request
/// is aborted when `until` is (the reader's lifetime: a reader removed from the page leaves no
/// request of its own behind).
pub async fn register_view_until(endpoint: &str, id: &str, until: Option<&AbortSignal>) -> Option<u64> {
    // The id has passed the counter's own alphabet check, so it needs no JSON escaping.
    let body = format!(r#"{{"id":"{id}"}}"#);
    let request = Request::post(endpoint).header("Content-Type", "application/json").abort_signal(until).body(body).ok()?;
    let response = request.send().await.ok()?;
    if !response.ok() {
        return None;
    }
    let reply = js_sys::JSON::parse(&response.text().await.ok()?).ok()?;
    serde_wasm_bindgen::from_value::<Reply>(reply).ok().map(|reply| reply.views)
}
