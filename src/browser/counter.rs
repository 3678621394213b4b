//! The view-counter client. Counting is a courtesy: any failure leaves the count from the JSON.

use super::fetch;
use serde::Deserialize;

/// The service's answer; only the count matters here.
#[derive(Deserialize)]
struct Reply {
    views: u64,
}

/// Registers one view of `id` at `endpoint` and returns the count the service reports.
pub async fn register_view(endpoint: &str, id: &str) -> Option<u64> {
    // The id has passed the counter's own alphabet check, so it needs no JSON escaping.
    let body = format!(r#"{{"id":"{id}"}}"#);
    let response = fetch::send(endpoint, "POST", ("Content-Type", "application/json"), Some(&body), None).await?;
    if !response.ok() {
        return None;
    }
    let reply: Reply = serde_wasm_bindgen::from_value(js_sys::JSON::parse(&fetch::body_text(&response).await?).ok()?).ok()?;
    Some(reply.views)
}
