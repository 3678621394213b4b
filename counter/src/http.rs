//! HTTP API (JSON in and out) under `/api/views`, plus `/healthz`.

use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{middleware, Json, Router};
use serde::de::value::MapAccessDeserializer;
use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::json;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;

use crate::db::Visit;
use crate::visitor::{is_bot, rate_key, valid_id, visit_hash};
use crate::{AppState, SECS_PER_DAY};

/// Registration bodies (`{"id":…}`) larger than this are refused with 413.
pub const BODY_LIMIT: usize = 4 * 1024;
/// Max ids in one batch read.
pub const MAX_BATCH_IDS: usize = 100;
/// Batch bodies larger than this are refused with 413. The largest valid batch, 100 ids of 128
/// characters, is 13,109 bytes as compact JSON; 25,909 with every `/` written `\/` (which JSON
/// allows, and ids may be all `/`), 26,417 pretty-printed besides. 32 KiB takes all of these;
/// ids written entirely in `\uXXXX` escapes (up to 77 KB) are not taken.
pub const BATCH_BODY_LIMIT: usize = 32 * 1024;
/// Longest User-Agent taken into the hash (longer ones are cut).
const MAX_UA: usize = 512;

type AppResult<T> = Result<T, ApiError>;

pub struct ApiError(StatusCode, String);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.0, Json(json!({ "error": self.1 }))).into_response()
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        ApiError(r.status(), r.body_text())
    }
}

fn bad_id() -> ApiError {
    ApiError(StatusCode::BAD_REQUEST, "invalid id: expected 1-128 characters of A-Z a-z 0-9 . _ : / -".into())
}

fn unavailable() -> ApiError {
    ApiError(StatusCode::SERVICE_UNAVAILABLE, "storage unavailable, try again".into())
}

pub fn router(state: Arc<AppState>) -> Router {
    let origins: Vec<HeaderValue> = state.config.allowed_origins.iter().filter_map(|o| HeaderValue::from_str(o).ok()).collect();
    let cors = CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE])
        .max_age(std::time::Duration::from_secs(3600));
    // Body limits per route (413 also for chunked bodies, whose length is not announced):
    // RequestBodyLimitLayer refuses a too-long Content-Length up front and cuts a longer stream;
    // DefaultBodyLimit is what axum's Json extractor enforces. The GET routes read no body.
    let limit = |n: usize| (DefaultBodyLimit::max(n), RequestBodyLimitLayer::new(n));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/api/views", post(register).layer(limit(BODY_LIMIT)))
        .route("/api/views/batch", post(batch).layer(limit(BATCH_BODY_LIMIT)))
        .route("/api/views/{*id}", get(read_one))
        .fallback(not_found)
        .layer(middleware::map_response(json_errors))
        .layer(cors)
        .with_state(state)
}

/// Every error answer is JSON `{"error": "…"}`, including those produced by layers and the
/// router itself (413 from the body limit, 404, 405).
async fn json_errors(resp: Response) -> Response {
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return resp;
    }
    let (mut parts, _) = resp.into_parts();
    parts.headers.remove(header::CONTENT_LENGTH);
    let msg = status.canonical_reason().unwrap_or("error").to_lowercase();
    let body = Json(json!({ "error": msg })).into_response();
    let (bparts, bbody) = body.into_parts();
    for (k, v) in bparts.headers.iter() {
        parts.headers.insert(k, v.clone());
    }
    Response::from_parts(parts, bbody)
}

async fn not_found() -> ApiError {
    ApiError(StatusCode::NOT_FOUND, "not found".into())
}

async fn healthz(State(state): State<Arc<AppState>>) -> Response {
    Json(json!({ "status": "ok", "backend": state.db.backend() })).into_response()
}

/// A request body that must be a JSON object. serde's derived struct deserializer also takes the
/// sequence form (fields by position: `["x"]` for `{"id":"x"}`, `[["a","b"]]` for
/// `{"ids":["a","b"]}`); this asks the parser for a map only (anything else is a data error:
/// `422`) and hands that map to `T`. Every request body type is read through it.
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct MapOnly<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for MapOnly<T> {
            type Value = Object<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Object<T>, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(Object)
            }
        }
        d.deserialize_map(MapOnly(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
pub struct RegisterBody {
    id: String,
}

#[derive(Serialize)]
pub struct RegisterReply {
    id: String,
    views: i64,
    counted: bool,
}

/// The client address: the peer, or with `COUNTER_TRUST_PROXY` the last (right-most) address in
/// `X-Forwarded-For`, i.e. the one appended by the trusted proxy in front of us.
fn client_ip(state: &AppState, headers: &HeaderMap, peer: SocketAddr) -> IpAddr {
    if state.config.trust_proxy {
        let last = headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse::<IpAddr>().ok())
            .next_back();
        if let Some(ip) = last {
            return ip;
        }
    }
    peer.ip()
}

fn user_agent(headers: &HeaderMap) -> &str {
    let ua = headers.get(header::USER_AGENT).and_then(|v| v.to_str().ok()).unwrap_or("");
    match ua.char_indices().nth(MAX_UA) {
        Some((cut, _)) => &ua[..cut],
        None => ua,
    }
}

async fn register(
    State(state): State<Arc<AppState>>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    body: Result<Json<Object<RegisterBody>>, JsonRejection>,
) -> AppResult<Json<RegisterReply>> {
    let Json(Object(RegisterBody { id })) = body?;
    if !valid_id(&id) {
        return Err(bad_id());
    }
    let ua = user_agent(&headers);
    if is_bot(ua) {
        let views = current_views(&state, &id).await?;
        return Ok(Json(RegisterReply { id, views, counted: false }));
    }
    let ip = client_ip(&state, &headers, peer).to_string();
    let now = state.config.clock.now();
    let today = now.div_euclid(SECS_PER_DAY);
    let first_day = (now - state.config.window_secs()).div_euclid(SECS_PER_DAY);
    let (current, earlier) = state.salts.for_window(first_day, today).await.map_err(|e| {
        eprintln!("commune-counter: salt: {e}");
        unavailable()
    })?;
    if !state.limiter.allow(rate_key(&current, &ip, ua), now) {
        return Err(ApiError(StatusCode::TOO_MANY_REQUESTS, "too many view registrations, slow down".into()));
    }
    let visit = Visit {
        current: visit_hash(&current, &id, &ip, ua),
        previous: earlier.iter().map(|s| visit_hash(s, &id, &ip, ua)).collect(),
        article: id.clone(),
    };
    let outcome = state.writer.register(visit).await.map_err(|()| unavailable())?;
    Ok(Json(RegisterReply { id, views: outcome.views, counted: outcome.counted }))
}

async fn current_views(state: &AppState, id: &str) -> AppResult<i64> {
    let ids = [id.to_string()];
    let map = state.db.views(&ids).await.map_err(|e| {
        eprintln!("commune-counter: read: {e}");
        unavailable()
    })?;
    Ok(map.get(id).copied().unwrap_or(0))
}

async fn read_one(State(state): State<Arc<AppState>>, Path(id): Path<String>) -> AppResult<Response> {
    if !valid_id(&id) {
        return Err(bad_id());
    }
    let views = current_views(&state, &id).await?;
    Ok(Json(json!({ "id": id, "views": views })).into_response())
}

#[derive(Deserialize)]
pub struct BatchBody {
    ids: Vec<String>,
}

async fn batch(State(state): State<Arc<AppState>>, body: Result<Json<Object<BatchBody>>, JsonRejection>) -> AppResult<Response> {
    let Json(Object(BatchBody { mut ids })) = body?;
    if ids.len() > MAX_BATCH_IDS {
        return Err(ApiError(StatusCode::BAD_REQUEST, format!("at most {MAX_BATCH_IDS} ids per batch")));
    }
    if !ids.iter().all(|id| valid_id(id)) {
        return Err(bad_id());
    }
    ids.sort();
    ids.dedup();
    let found = state.db.views(&ids).await.map_err(|e| {
        eprintln!("commune-counter: read: {e}");
        unavailable()
    })?;
    let views: BTreeMap<&String, i64> = ids.iter().map(|id| (id, found.get(id).copied().unwrap_or(0))).collect();
    Ok(Json(json!({ "views": views })).into_response())
}
