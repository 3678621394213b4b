//! Fetching the article: a timeout through `AbortController`, HTTP status mapped to what the reader
//! should be told, a size cap counted on the bytes as they arrive, and cancellation when the reader
//! is removed from the page. Requests go through `gloo-net` (also used by the view counter).

use super::timers;
use commune_reader_core::{FormatError, MAX_RESPONSE_BYTES, UiText};
use gloo_net::http::{Request, Response};
use js_sys::{Function, Promise, Reflect, Uint8Array};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal};

/// What the reader asks the article server for (embed.js asks for the same): every format it reads.
const ACCEPT: &str = "application/feed+json, application/json, application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9";
/// Multilingual CMSes (Liferay) answer in the language asked for; CORS-safelisted, so no preflight.
const ACCEPT_LANGUAGE: &str = "vi-VN, vi;q=0.9";

/// Why an article could not be shown. Each variant maps to one message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoadError {
    MissingSource,
    Network,
    TimedOut,
    /// 404 or 410: the article is gone; retrying will not help.
    Gone,
    /// 401/403 and other 4xx: the server will not give it to us.
    Refused,
    /// 5xx: the server is in trouble; worth retrying.
    Server,
    Format(FormatError),
}

impl LoadError {
    /// Whether trying again may help (automatic back-off and the retry button).
    pub fn is_transient(self) -> bool {
        matches!(self, LoadError::Network | LoadError::TimedOut | LoadError::Server)
    }

    pub fn message(self, text: &UiText) -> &'static str {
        match self {
            LoadError::MissingSource => text.missing_src,
            LoadError::Network => text.network_error,
            LoadError::TimedOut => text.timed_out,
            LoadError::Gone => text.gone,
            LoadError::Refused => text.refused,
            LoadError::Server => text.server_error,
            LoadError::Format(error) => text.format_error(error),
        }
    }
}

/// A request for the article already under way: the pending `Response` and the controller that
/// stops it (embed.js starts the download before the wasm has arrived; see `article_source`).
pub struct Started {
    pub controller: AbortController,
    pub response: Promise,
}

/// A response body as text, and the `Content-Type` it came with (the format is told from both).
pub struct Fetched {
    pub text: String,
    pub content_type: Option<String>,
}

/// Fetches `url`, or takes over `started` (a request for it already under way), and returns the
/// body as text, or why not. Each attempt has its own `AbortController`, fired after `timeout_ms`
/// or by `lifetime` (the reader's own signal, aborted when the reader leaves the page), whichever
/// comes first.
pub async fn fetch_text(url: &str, timeout_ms: u32, lifetime: &AbortSignal, started: Option<Started>) -> Result<Fetched, LoadError> {
    let (controller, started) = match started {
        Some(Started { controller, response }) => (controller, Some(response)),
        None => (AbortController::new().map_err(|_| LoadError::Network)?, None),
    };
    if lifetime.aborted() {
        controller.abort();
        return Err(LoadError::Network);
    }
    let forward_abort = Closure::<dyn FnMut()>::new({
        let controller = controller.clone();
        move || controller.abort()
    });
    let _ = lifetime.add_event_listener_with_callback("abort", forward_abort.as_ref().unchecked_ref());
    let timed_out = Rc::new(Cell::new(false));
    let timer = {
        let (timed_out, controller) = (timed_out.clone(), controller.clone());
        let give_up = move || {
            timed_out.set(true);
            controller.abort();
        };
        timers::set_timeout(Box::new(give_up), i32::try_from(timeout_ms).unwrap_or(i32::MAX))
    };
    let result = fetch_within(url, &controller, started).await;
    if let Some(timer) = timer {
        timers::cancel_timeout(timer);
    }
    let _ = lifetime.remove_event_listener_with_callback("abort", forward_abort.as_ref().unchecked_ref());
    match result {
        Err(LoadError::Network) if timed_out.get() => Err(LoadError::TimedOut),
        other => other,
    }
}

async fn fetch_within(url: &str, controller: &AbortController, started: Option<Promise>) -> Result<Fetched, LoadError> {
    let response = match started {
        Some(response) => JsFuture::from(response).await.ok().and_then(|response| response.dyn_into::<web_sys::Response>().ok()).map(Response::from),
        None => Request::get(url).header("Accept", ACCEPT).header("Accept-Language", ACCEPT_LANGUAGE).abort_signal(Some(&controller.signal())).send().await.ok(),
    };
    let response = response.ok_or(LoadError::Network)?;
    match response.status() {
        200..=299 => {}
        404 | 410 => return Err(LoadError::Gone),
        400..=499 => return Err(LoadError::Refused),
        _ => return Err(LoadError::Server),
    }
    // u64, not usize: usize is 32 bits in wasm, and a lying server's terabyte must still be refused.
    let declared_length = response.headers().get("content-length").and_then(|length| length.trim().parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
        controller.abort();
        return Err(LoadError::Format(FormatError::TooLarge));
    }
    let body = read_capped(&response, declared_length).await;
    if body == Err(LoadError::Format(FormatError::TooLarge)) {
        // Stops the download: a server that streams on past the cap is cut off, not read to its end.
        controller.abort();
    }
    Ok(Fetched { text: body?, content_type: response.headers().get("content-type") })
}

/// The body as text, read chunk by chunk so that no more than `MAX_RESPONSE_BYTES` is ever taken
/// in, whatever the server declared (or did not). The bytes are copied into the wasm as they are
/// (a memory copy; handing the wasm a JavaScript string would re-encode it character by character)
/// and decoded as the platform's UTF-8 decoder does: a byte-order mark dropped, invalid bytes
/// replaced (U+FFFD), so a badly encoded article still renders, best-effort.
async fn read_capped(response: &Response, declared_length: Option<u64>) -> Result<String, LoadError> {
    let Some(stream) = response.body() else { return Ok(String::new()) };
    let reader = stream.get_reader();
    let read = Reflect::get(&reader, &JsValue::from_str("read")).ok().and_then(|read| read.dyn_into::<Function>().ok()).ok_or(LoadError::Network)?;
    // Room for what the server declared (at most the cap), so that a long body is not moved as it grows.
    let declared = declared_length.map_or(0, |length| usize::try_from(length).unwrap_or(MAX_RESPONSE_BYTES).min(MAX_RESPONSE_BYTES));
    let mut bytes = Vec::with_capacity(declared);
    loop {
        let next = read.call0(&reader).ok().and_then(|next| next.dyn_into::<Promise>().ok()).ok_or(LoadError::Network)?;
        let result = JsFuture::from(next).await.map_err(|_| LoadError::Network)?;
        if Reflect::get(&result, &JsValue::from_str("done")).ok().is_none_or(|done| done.is_truthy()) {
            break;
        }
        let Some(chunk) = Reflect::get(&result, &JsValue::from_str("value")).ok().and_then(|chunk| chunk.dyn_into::<Uint8Array>().ok()) else {
            return Err(LoadError::Network);
        };
        if bytes.len().saturating_add(chunk.length() as usize) > MAX_RESPONSE_BYTES {
            return Err(LoadError::Format(FormatError::TooLarge));
        }
        // (`to_vec` copies into fresh memory without zero-filling it first, as `resize` would:
        // ≈ 45 ms for 2.6 MB at 4× CPU.)
        bytes.extend_from_slice(&chunk.to_vec());
    }
    Ok(decode_utf8(bytes))
}

/// UTF-8 as the platform's decoder reads it (WHATWG "UTF-8 decode"): a leading byte-order mark
/// dropped, each invalid sequence replaced by U+FFFD (the same maximal-subpart rule as Rust's).
fn decode_utf8(mut bytes: Vec<u8>) -> String {
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    String::from_utf8(bytes).unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned())
}

#[cfg(test)]
mod tests {
    use super::decode_utf8;

    #[test]
    fn decodes_as_the_platform_does() {
        assert_eq!(decode_utf8(b"\xEF\xBB\xBF{\"a\":1}".to_vec()), "{\"a\":1}");
        assert_eq!(decode_utf8(b"L\xE1\xBB\x97i \xFF\xFE\xC3 m\xC3".to_vec()), "Lỗi \u{FFFD}\u{FFFD}\u{FFFD} m\u{FFFD}");
        assert_eq!(decode_utf8(b"\xEF\xBB\xBF\xEF\xBB\xBFx".to_vec()), "\u{FEFF}x", "only one mark is dropped");
        assert_eq!(decode_utf8(b"\xF0\x9F\x98".to_vec()), "\u{FFFD}", "a truncated sequence is one replacement");
    }
}
