//! Fetching the article: a timeout through `AbortController`, HTTP status mapped to what the reader
//! should be told, a size cap, and cancellation when the reader is removed from the page. Requests
//! go through the platform's `fetch` (`send`, also used by the view counter).

use super::timers;
use commune_reader_core::{FormatError, MAX_RESPONSE_BYTES, UiText};
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, Headers, RequestInit, Response};

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

/// Fetches `url` and returns its body as text, or why not. Each attempt has its own `AbortController`, fired by
/// the timeout or by `lifetime` (the reader's own signal, aborted when the reader leaves the page).
pub async fn fetch_text(url: &str, timeout_ms: u32, lifetime: &AbortSignal) -> Result<String, LoadError> {
    let controller = AbortController::new().map_err(|_| LoadError::Network)?;
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
    let result = fetch_within(url, &controller).await;
    if let Some(timer) = timer {
        timers::cancel_timeout(timer);
    }
    let _ = lifetime.remove_event_listener_with_callback("abort", forward_abort.as_ref().unchecked_ref());
    match result {
        Err(LoadError::Network) if timed_out.get() => Err(LoadError::TimedOut),
        other => other,
    }
}

/// One request through the platform's `fetch`. A network failure, an abort or a refused request
/// (bad URL, CSP) all come back as `None`: the caller tells the reader which one it was.
pub async fn send(url: &str, method: &str, header: (&str, &str), body: Option<&str>, signal: Option<&AbortSignal>) -> Option<Response> {
    let init = RequestInit::new();
    init.set_method(method);
    let headers = Headers::new().ok()?;
    headers.set(header.0, header.1).ok()?;
    init.set_headers(&headers);
    if let Some(body) = body {
        init.set_body(&JsValue::from_str(body));
    }
    init.set_signal(signal);
    let pending = web_sys::window()?.fetch_with_str_and_init(url, &init);
    JsFuture::from(pending).await.ok()?.dyn_into::<Response>().ok()
}

/// The response body as text (decoded as UTF-8 by the browser), or `None` if it could not be read.
pub async fn body_text(response: &Response) -> Option<String> {
    JsFuture::from(response.text().ok()?).await.ok()?.as_string()
}

async fn fetch_within(url: &str, controller: &AbortController) -> Result<String, LoadError> {
    let accept = ("Accept", "application/feed+json, application/json");
    let response = send(url, "GET", accept, None, Some(&controller.signal())).await.ok_or(LoadError::Network)?;
    match response.status() {
        200..=299 => {}
        404 | 410 => return Err(LoadError::Gone),
        400..=499 => return Err(LoadError::Refused),
        _ => return Err(LoadError::Server),
    }
    // u64, not usize: usize is 32 bits in wasm, and a lying server's terabyte must still be refused.
    let declared_length = response.headers().get("content-length").ok().flatten().and_then(|length| length.trim().parse::<u64>().ok());
    if declared_length.is_some_and(|length| length > MAX_RESPONSE_BYTES as u64) {
        controller.abort();
        return Err(LoadError::Format(FormatError::TooLarge));
    }
    // The platform's UTF-8 decoder drops a byte-order mark and replaces invalid bytes (U+FFFD),
    // so a badly encoded article still renders, best-effort.
    let body = body_text(&response).await.ok_or(LoadError::Network)?;
    if body.len() > MAX_RESPONSE_BYTES {
        return Err(LoadError::Format(FormatError::TooLarge));
    }
    Ok(body)
}
