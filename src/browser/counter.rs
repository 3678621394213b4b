//! The view-counter client. Counting is a courtesy: any failure leaves the count from the JSON.

use super::json;
use commune_reader_core::Json;
use gloo_net::http::Request;

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
    let reply = json::parse(&response.text().await.ok()?)?;
    let views = reply.member("views")?.number()?;
    (views >= 0.0 && views.fract() == 0.0).then_some(views as u64)
}
