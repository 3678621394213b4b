//! Finding mount points on the host page and giving each its own sealed reader.
//!
//! Each `[data-commune-reader]` element gets an open shadow root holding the reader's stylesheet and
//! view, so the host's CSS cannot reach in and ours cannot leak out. The article is requested first;
//! the shadow root goes in when it has arrived (or failed), or after `PLACEHOLDER_DELAY_MS` with
//! loading placeholders: a fast article is laid out and painted once, not after a placeholder
//! frame, and the page's own fallback stays in view until the reader has something to show.
//! Readers are independent: each has its own reactive owner and its own abort signal, and one
//! failing never touches the others.
//! A `MutationObserver` mounts elements that a CMS adds later and unmounts removed ones, which aborts
//! their requests.

use crate::browser::{page, timers};
use crate::views::{Reader, ReaderState};
use commune_reader_core::ReaderConfig;
use leptos::mount::mount_to;
use leptos::prelude::*;
use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{
    AbortController, CssStyleSheet, Document, Element, HtmlElement, IntersectionObserver, IntersectionObserverEntry,
    IntersectionObserverInit, MutationObserver, MutationObserverInit, ShadowRoot, ShadowRootInit, ShadowRootMode,
};

pub const MOUNT_SELECTOR: &str = "[data-commune-reader]";
// style/reader.css without its comments (see build.rs).
const STYLES: &str = include_str!(concat!(env!("OUT_DIR"), "/reader.css"));
/// How far below the viewport a lazy reader starts loading: about a screen on a phone.
const LAZY_MARGIN: &str = "600px 0px";
/// How long a reader waits for its article before it shows loading placeholders. Below ≈ 0.3 s a
/// placeholder would only flash; embed.js starts the article's download, so it is usually in by then.
const PLACEHOLDER_DELAY_MS: i32 = 300;

/// A mounted reader. Dropping it unmounts the view (when shown) and disposes of its reactive owner.
struct MountedReader {
    host: Element,
    lifetime: AbortController,
    /// Declared before `owner`, so the view is unmounted before its state is disposed of.
    view: Option<Box<dyn std::any::Any>>,
    owner: Owner,
}

thread_local! {
    static MOUNTED: RefCell<Vec<MountedReader>> = const { RefCell::new(Vec::new()) };
    static PENDING_LAZY: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
    static STYLE_SHEET: Option<CssStyleSheet> = CssStyleSheet::new().ok().filter(|sheet| sheet.replace_sync(STYLES).is_ok());
    static LAZY_OBSERVER: Option<IntersectionObserver> = lazy_observer();
}

/// Mounts every reader on the page now, and every one added later.
pub fn start() {
    // Readers start their requests before any view is mounted (which would otherwise set this up).
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    scan(&document);
    watch_page(&document);
}

fn scan(document: &Document) {
    let Ok(found) = document.query_selector_all(MOUNT_SELECTOR) else { return };
    for index in 0..found.length() {
        if let Some(element) = found.item(index).and_then(|node| node.dyn_into::<Element>().ok()) {
            prepare(element);
        }
    }
}

fn is_known(element: &Element) -> bool {
    MOUNTED.with_borrow(|mounted| mounted.iter().any(|reader| &reader.host == element))
        || PENDING_LAZY.with_borrow(|pending| pending.contains(element))
}

/// Mounts now, or once the element nears the viewport when it asks to be lazy.
fn prepare(host: Element) {
    if is_known(&host) {
        return;
    }
    let lazy = host.has_attribute("data-lazy") && host.get_attribute("data-lazy").as_deref() != Some("false");
    // The observer is created with the first lazy reader: a page without one never pays for it.
    let observer = if lazy { LAZY_OBSERVER.with(Clone::clone) } else { None };
    match observer {
        Some(observer) => {
            observer.observe(&host);
            PENDING_LAZY.with_borrow_mut(|pending| pending.push(host));
        }
        _ => mount(host),
    }
}

/// Starts the reader's article on its way, and shows the reader when it has an answer or after
/// `PLACEHOLDER_DELAY_MS`, whichever comes first.
fn mount(host: Element) {
    let config = ReaderConfig::from_attributes(|name| host.get_attribute(name));
    let Ok(lifetime) = AbortController::new() else { return };
    let owner = Owner::new();
    let reader = owner.with(|| ReaderState::new(config, lifetime.signal(), host.clone()));
    MOUNTED.with_borrow_mut(|mounted| mounted.push(MountedReader { host: host.clone(), lifetime, view: None, owner }));
    let answered = host.clone();
    reader.start(Box::new(move || show(&answered, reader)));
    timers::set_timeout(Box::new(move || show(&host, reader)), PLACEHOLDER_DELAY_MS);
}

/// Puts the reader's view into its shadow root, once; not if it has left the page meanwhile
/// (its element may be back already, with a reader of its own).
fn show(host: &Element, reader: ReaderState) {
    if !reader.is_live() {
        return;
    }
    let waiting = MOUNTED.with_borrow(|mounted| {
        mounted.iter().find(|entry| &entry.host == host && entry.view.is_none()).map(|entry| entry.owner.clone())
    });
    let Some(owner) = waiting else { return };
    let Some(shadow) = shadow_root_of(host) else { return };
    let Some(container) = host
        .owner_document()
        .and_then(|document| document.create_element("div").ok())
        .and_then(|element| element.dyn_into::<HtmlElement>().ok())
    else {
        return;
    };
    let _ = shadow.append_child(&container);
    follow_skip_links(host, &shadow, &reader.lifetime());
    let view = owner.with(|| mount_to(container, move || view! { <Reader reader /> }));
    MOUNTED.with_borrow_mut(|mounted| {
        if let Some(entry) = mounted.iter_mut().find(|entry| &entry.host == host) {
            entry.view = Some(Box::new(view));
        }
    });
}

/// The reader's shadow root, emptied, with the shared stylesheet adopted. An element that already
/// has a shadow root of its own making (re-inserted after removal) gets it back, emptied.
fn shadow_root_of(host: &Element) -> Option<ShadowRoot> {
    let shadow = match host.shadow_root() {
        Some(existing) => {
            existing.set_inner_html("");
            existing
        }
        None => host.attach_shadow(&ShadowRootInit::new(ShadowRootMode::Open)).ok()?,
    };
    STYLE_SHEET.with(|sheet| {
        if let Some(sheet) = sheet {
            shadow.set_adopted_style_sheets(&js_sys::Array::of1(sheet));
        }
    });
    Some(shadow)
}

/// The host page's skip link ("Truy cập nội dung luôn" → `#main-content`) targets the mount element,
/// which lives in the light DOM; when it is followed, focus moves on into the article.
///
/// The mount element is not made focusable for this (`tabindex="-1"` on a shadow host takes the
/// whole shadow tree out of the Tab order, as specified, and the reader's buttons with it).
/// Instead the reader watches for the page going to its id: a click on a link to it (in the
/// capture phase, before the portal's own handlers; also when the address already ends in that
/// id, which fires no `hashchange`), and `hashchange` for every other way there.
fn follow_skip_links(host: &Element, shadow: &ShadowRoot, lifetime: &web_sys::AbortSignal) {
    let id = host.id();
    let Some(window) = web_sys::window() else { return };
    if id.is_empty() {
        return;
    }
    let target = ["#", &id].concat();
    let focus_article = {
        let shadow = shadow.clone();
        move || {
            if let Ok(Some(article)) = shadow.query_selector("article") {
                if let Ok(article) = article.dyn_into::<HtmlElement>() {
                    let _ = article.focus();
                }
            }
        }
    };
    let on_hash = {
        let (target, focus_article) = (target.clone(), focus_article.clone());
        move |_| {
            if web_sys::window().and_then(|window| window.location().hash().ok()).as_deref() == Some(target.as_str()) {
                focus_article();
            }
        }
    };
    page::listen(&window, "hashchange", Some(lifetime), Box::new(on_hash));
    let on_click = move |event: web_sys::Event| {
        let link = event
            .target()
            .and_then(|target| target.dyn_into::<Element>().ok())
            .and_then(|element| element.closest("a[href]").ok().flatten())
            .and_then(|link| link.dyn_into::<web_sys::HtmlAnchorElement>().ok());
        let Some(link) = link else { return };
        let same_page = web_sys::window().is_some_and(|window| {
            let location = window.location();
            location.origin().ok() == Some(link.origin())
                && location.pathname().ok() == Some(link.pathname())
                && location.search().ok() == Some(link.search())
        });
        if same_page && link.hash() == target {
            // After the browser has followed the link (which moves focus to the page).
            let _ = crate::browser::timers::set_timeout(Box::new(focus_article.clone()), 0);
        }
    };
    // Removed with the reader, so a mount element that is taken out and put back gets one listener.
    page::listen_first(&window, "click", Some(lifetime), Box::new(on_click));
}

fn unmount_detached() {
    MOUNTED.with_borrow_mut(|mounted| {
        mounted.retain(|reader| {
            let connected = reader.host.is_connected();
            if !connected {
                reader.lifetime.abort();
            }
            connected
        })
    });
    PENDING_LAZY.with_borrow_mut(|pending| pending.retain(|element| element.is_connected()));
}

fn watch_page(document: &Document) {
    let Some(root) = document.document_element() else { return };
    let document = document.clone();
    let on_change = Closure::<dyn FnMut(js_sys::Array)>::new(move |_records: js_sys::Array| {
        unmount_detached();
        scan(&document);
    });
    let Ok(observer) = MutationObserver::new(on_change.as_ref().unchecked_ref()) else { return };
    let options = MutationObserverInit::new();
    options.set_child_list(true);
    options.set_subtree(true);
    let _ = observer.observe_with_options(&root, &options);
    on_change.forget();
}

fn lazy_observer() -> Option<IntersectionObserver> {
    let on_intersect = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(
        |entries: js_sys::Array, observer: IntersectionObserver| {
            for entry in entries.iter().filter_map(|entry| entry.dyn_into::<IntersectionObserverEntry>().ok()) {
                if entry.is_intersecting() {
                    let host = entry.target();
                    observer.unobserve(&host);
                    PENDING_LAZY.with_borrow_mut(|pending| pending.retain(|element| element != &host));
                    mount(host);
                }
            }
        },
    );
    let options = IntersectionObserverInit::new();
    options.set_root_margin(LAZY_MARGIN);
    let observer = IntersectionObserver::new_with_options(on_intersect.as_ref().unchecked_ref(), &options).ok();
    on_intersect.forget();
    observer
}
