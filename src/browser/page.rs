//! The host page's window: printing, sharing, events tied to a reader's lifetime, scrolling.

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortController, AbortSignal, AddEventListenerOptions, CssStyleSheet, Element, Event, EventTarget, ScrollBehavior, ScrollIntoViewOptions, ScrollLogicalPosition};

/// Marks the mount element being printed; the print sheet below shows only it.
const PRINTING_MARK: &str = "data-commune-reader-printing";
/// The host page's other content hidden on paper, the marked reader lifted to the top. `visibility`
/// rather than `display`, so that the reader inside hidden ancestors can still be shown.
const PRINT_ONLY_THIS_READER: &str = "@media print{body *{visibility:hidden!important}\
[data-commune-reader-printing],[data-commune-reader-printing] *{visibility:visible!important}\
[data-commune-reader-printing]{position:absolute!important;left:0!important;top:0!important;\
width:100%!important;margin:0!important}}";

/// Prints this reader's article alone. For the time of printing, a constructed stylesheet (which
/// no Content-Security-Policy blocks) is added to the host page and the mount element is marked;
/// `afterprint` takes both away again. Without constructed stylesheets the whole page prints.
pub fn print_article(host: &Element) {
    let Some(window) = web_sys::window() else { return };
    let (Some(document), Ok(sheet), Ok(done)) = (window.document(), CssStyleSheet::new(), AbortController::new()) else {
        let _ = window.print();
        return;
    };
    if sheet.replace_sync(PRINT_ONLY_THIS_READER).is_ok() {
        let _ = host.set_attribute(PRINTING_MARK, "");
        let sheets = document.adopted_style_sheets();
        sheets.push(&sheet);
        document.set_adopted_style_sheets(&sheets);
        let (host, until) = (host.clone(), done.signal());
        let restore = move || {
            let _ = host.remove_attribute(PRINTING_MARK);
            let sheet = JsValue::from(&sheet);
            let others: js_sys::Array = document.adopted_style_sheets().iter().filter(|other| *other != sheet).collect();
            document.set_adopted_style_sheets(&others);
            done.abort();
        };
        listen(&window, "afterprint", Some(&until), Box::new(move |_| restore()));
    }
    let _ = window.print();
}

/// `object.name(args…)` when `object` has such a method; its promise awaited.
async fn call(object: &JsValue, name: &str, arg: &JsValue) -> Option<JsValue> {
    let method = Reflect::get(object, &JsValue::from_str(name)).ok()?.dyn_into::<Function>().ok()?;
    let promise = method.call1(object, arg).ok()?.dyn_into::<Promise>().ok()?;
    JsFuture::from(promise).await.ok()
}

/// What sharing did.
pub enum Shared {
    /// The system share sheet opened (or the reader cancelled it).
    Sheet,
    Copied,
    Failed,
}

/// The system share sheet where there is one (`navigator.share`), else the link copied to the
/// clipboard. No SDK, no third-party request.
pub async fn share(title: &str, url: &str) -> Shared {
    let Some(navigator) = web_sys::window().map(|window| JsValue::from(window.navigator())) else { return Shared::Failed };
    let has_share = Reflect::get(&navigator, &JsValue::from_str("share")).is_ok_and(|share| share.is_function());
    if has_share {
        let data = Object::new();
        let _ = Reflect::set(&data, &"title".into(), &title.into());
        let _ = Reflect::set(&data, &"url".into(), &url.into());
        // A cancelled sheet rejects with AbortError: nothing to report either way.
        let _ = call(&navigator, "share", &data).await;
        return Shared::Sheet;
    }
    let copied = match Reflect::get(&navigator, &JsValue::from_str("clipboard")) {
        Ok(clipboard) if clipboard.is_object() => call(&clipboard, "writeText", &url.into()).await.is_some(),
        _ => false,
    };
    if copied { Shared::Copied } else { Shared::Failed }
}

/// Calls `handler` on each `event` at `target`, until `until` aborts (which removes the listener).
/// Boxed, not generic: one closure shim in the wasm for every listener.
pub fn listen(target: &EventTarget, event: &str, until: Option<&AbortSignal>, handler: Box<dyn FnMut(Event)>) {
    add_listener(target, event, until, false, handler);
}

/// Like `listen`, but in the capture phase: before any of the page's own handlers, so that a
/// portal script calling `stopPropagation()` cannot keep the event from the reader.
pub fn listen_first(target: &EventTarget, event: &str, until: Option<&AbortSignal>, handler: Box<dyn FnMut(Event)>) {
    add_listener(target, event, until, true, handler);
}

fn add_listener(target: &EventTarget, event: &str, until: Option<&AbortSignal>, capture: bool, handler: Box<dyn FnMut(Event)>) {
    let closure = Closure::wrap(handler).into_js_value();
    let options = AddEventListenerOptions::new();
    if let Some(signal) = until {
        options.set_signal(signal);
    }
    options.set_capture(capture);
    let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
        event,
        closure.unchecked_ref(),
        &options,
    );
    // Owned by the listener from now on: the browser's garbage collector frees the Rust closure
    // once the listener (or the element it is on) is gone.
}

/// Runs `work` after the browser has painted what is in the page now (the next frame, then a
/// task): for work a resident does not see, kept off the way to the article's first paint. Like
/// every frame callback, it waits while the tab is hidden.
/// Boxed, not generic: one closure shim in the wasm for every caller.
pub fn after_next_paint(work: Box<dyn FnOnce()>) {
    let Some(window) = web_sys::window() else { return };
    let in_frame = Closure::once_into_js(move || super::timers::set_timeout(work, 0));
    let _ = window.request_animation_frame(in_frame.unchecked_ref());
}

/// Brings `element` into view, without animation when the reader prefers reduced motion.
pub fn scroll_to(element: &Element) {
    let reduced = web_sys::window()
        .and_then(|window| window.match_media("(prefers-reduced-motion: reduce)").ok().flatten())
        .is_some_and(|query| query.matches());
    let options = ScrollIntoViewOptions::new();
    options.set_behavior(if reduced { ScrollBehavior::Auto } else { ScrollBehavior::Smooth });
    options.set_block(ScrollLogicalPosition::Center);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

pub fn document_hidden() -> bool {
    web_sys::window().and_then(|window| window.document()).is_some_and(|document| document.hidden())
}

/// The host page's address, for sharing when the article names none.
pub fn location() -> String {
    web_sys::window().and_then(|window| window.location().href().ok()).unwrap_or_default()
}

/// Adds `<script type="application/ld+json">` with `json` to the host page's `<head>`, and takes
/// it out again when `lifetime` aborts (the reader left the page).
pub fn add_json_ld(json: &str, lifetime: &AbortSignal) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let (Ok(Some(head)), Ok(script)) = (document.query_selector("head"), document.create_element("script")) else { return };
    let _ = script.set_attribute("type", "application/ld+json");
    script.set_text_content(Some(json));
    if head.append_child(&script).is_ok() {
        listen(lifetime, "abort", None, Box::new(move |_| script.remove()));
    }
}
