//! The view-counter client. Counting is a courtesy: any failure leaves the count from the JSON.

use super::{fetch, json};
use commune_reader_core::Json;

/// Registers one view of `id` at `endpoint` and returns the count the service reports.
pub async fn register_view(endpoint: &str, id: &str) -> Option<u64> {
    // The id has passed the counter's own alphabet check, so it needs no JSON escaping.
    let body = format!(r#"{{"id":"{id}"}}"#);
    let response = fetch::send(endpoint, "POST", ("Content-Type", "application/json"), Some(&body), None).await?;
    if !response.ok() {
        return None;
    }
    let reply = json::parse(&fetch::body_text(&response).await?)?;
    let views = reply.member("views")?.number()?;
    (views >= 0.0 && views.fract() == 0.0).then_some(views as u64)
}
