//! Where an article comes from: the network, with automatic retries and back-off for transient
//! failures inside the reader's deadline (`data-timeout`), and the saved copy when the network
//! cannot deliver.

use crate::browser::fetch::{fetch_text, Fetched, LoadError, Started};
use crate::browser::response::read_article;
use crate::browser::{page, storage, timers};
use commune_reader_core::{Article, ReaderConfig, SourceOptions};
use js_sys::{Function, Promise, Reflect, Symbol};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortController, AbortSignal};

/// Where embed.js leaves the article downloads it started (see `started_download`).
const TAKE_STARTED: &str = "commune-reader.take-started-article";

/// Automatic attempts after the first one, and the pause before each: enough to ride out a
/// dropped 3G connection. They happen only within the deadline (`data-timeout`, counted from the
/// first attempt), so a reader is never left waiting longer than that with no way to act.
const RETRY_DELAYS_MS: [i32; 2] = [1_000, 3_000];
/// An automatic retry is made only if at least this long is left before the deadline once its
/// back-off is over: a shorter attempt would only end in "took too long".
const MIN_ATTEMPT_MS: f64 = 500.0;

/// A body longer than this is read and shown in tasks of their own (an ordinary article is a few
/// KB; the 5,000-paragraph benchmark article 1.45 MB).
const LONG_BODY_BYTES: usize = 256 * 1024;

/// An article ready to show, and when it was saved if it is the offline copy.
pub struct Loaded {
    pub article: Article,
    pub saved_at_ms: Option<i64>,
}

pub async fn load_article(config: &ReaderConfig, lifetime: &AbortSignal) -> Result<Loaded, LoadError> {
    let src = config.src.as_deref().ok_or(LoadError::MissingSource)?;
    // Relative links in a feed or a Liferay article are resolved against the address it came from.
    let options = SourceOptions { url: absolute_url(src), ..config.source_options() };
    let deadline = js_sys::Date::now() + f64::from(config.timeout_ms);
    let mut delays = RETRY_DELAYS_MS.iter();
    let error = loop {
        match fetch_text(src, time_left_ms(deadline), lifetime, started_download(src)).await {
            Ok(Fetched { text, content_type }) => {
                // A long body is read into an article in a task of its own, and shown in the next:
                // the page stays responsive between (issue 14.7). An ordinary article does not wait.
                let long = text.len() > LONG_BODY_BYTES;
                if long {
                    timers::sleep_ms(0).await;
                }
                let article = read_article(&text, content_type.as_deref(), &options).map_err(LoadError::Format)?;
                if long {
                    timers::sleep_ms(0).await;
                }
                // The offline copy is written once the article is on screen (localStorage blocks);
                // a text too big to keep is let go now, not held through the first render.
                if storage::worth_saving(&text) {
                    let (src, saved_at_ms) = (src.to_owned(), js_sys::Date::now() as i64);
                    page::after_next_paint(Box::new(move || storage::save_article(&src, &text, saved_at_ms)));
                }
                return Ok(Loaded { article, saved_at_ms: None });
            }
            Err(error) if error.is_transient() => match delays.next() {
                Some(delay) if f64::from(*delay) + MIN_ATTEMPT_MS <= f64::from(time_left_ms(deadline)) => timers::sleep_ms(*delay).await,
                _ => break error,
            },
            Err(error) => break error,
        }
        if lifetime.aborted() {
            // The reader was removed: nobody is waiting for an answer.
            return Err(LoadError::Network);
        }
    };
    // Only a failed network earns the saved copy: a 404 means the article was taken down.
    if error.is_transient() {
        if let Some(saved) = storage::saved_article(src) {
            // (The saved copy keeps no content type: its format is told from the text alone.)
            if let Ok(article) = read_article(&saved.json, None, &options) {
                return Ok(Loaded { article, saved_at_ms: Some(saved.saved_at_ms) });
            }
        }
    }
    Err(error)
}

/// `src` resolved against the page's address, as `fetch` resolves it.
fn absolute_url(src: &str) -> Option<String> {
    let base = web_sys::window()?.document()?.base_uri().ok()??;
    web_sys::Url::new_with_base(src, &base).ok().map(|url| url.href())
}

/// Milliseconds until `deadline` (a `Date.now()` time), 0 once it has passed.
fn time_left_ms(deadline: f64) -> u32 {
    let left = (deadline - js_sys::Date::now()).max(0.0);
    // In range: `data-timeout` is at most 120 s.
    left.min(f64::from(u32::MAX)) as u32
}

/// Takes over a download of `src` that embed.js started while the wasm was on its way, if there is
/// one: from then on the reader's lifetime and timeout stop it (until then embed.js stops it itself
/// when its mount element leaves the page). embed.js leaves a function under a registered symbol on
/// `window` that hands each one out once, by address: `(src) => { controller, response }`.
fn started_download(src: &str) -> Option<Started> {
    let window = web_sys::window()?;
    let take = Reflect::get(&window, &Symbol::for_(TAKE_STARTED)).ok()?.dyn_into::<Function>().ok()?;
    let entry = take.call1(&JsValue::NULL, &JsValue::from_str(src)).ok()?;
    let field = |name: &str| Reflect::get(&entry, &JsValue::from_str(name)).ok();
    Some(Started { controller: field("controller")?.dyn_into::<AbortController>().ok()?, response: field("response")?.dyn_into::<Promise>().ok()? })
}
