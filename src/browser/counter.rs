//! The view-counter client. Counting is a courtesy: any failure leaves the count from the JSON.

use gloo_net::http::Request;
use serde_json::Value;

/// Registers one view of `id` at `endpoint` and returns the count the service reports.
pub async fn register_view(endpoint: &str, id: &str) -> Option<u64> {
    // The id has passed the counter's own alphabet check, so it needs no JSON escaping.
    let body = format!(r#"{{"id":"{id}"}}"#);
    let response = Request::post(endpoint)
        .header("Content-Type", "application/json")
        .body(body)
        .ok()?
        .send()
        .await
        .ok()?;
    if !response.ok() {
        return None;
    }
    let reply: Value = serde_json::from_slice(&response.binary().await.ok()?).ok()?;
    reply.get("views")?.as_u64()
}
