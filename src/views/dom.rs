//! What the views are built from: elements made with a few DOM calls, kept up to date by Leptos's
//! render effects.
//!
//! Why not Leptos's `view!`: tachys turns every view into its own nest of generic types, and each
//! nest brings its own build, rebuild, mount and drop code into the wasm. For a reader whose shape
//! is fixed once the article is in, that was 18.5 KB brotli of the download (80.9 → 62.4 KB,
//! `scripts/sizes.mjs`). The reactive part is still Leptos's: signals, owners, render effects
//! (`reactive_graph`). Nothing here is generic, so each helper exists once in the wasm.

use crate::browser::page;
use reactive_graph::effect::RenderEffect;
use reactive_graph::owner::on_cleanup;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, Event, HtmlElement, Node};

#[wasm_bindgen]
extern "C" {
    /// `document.createElement` for the views' own tag names, which are always valid; without the
    /// `Result` web-sys wraps it in, since it cannot fail for them.
    #[wasm_bindgen(js_namespace = document, js_name = createElement)]
    fn create_element(tag: &str) -> Element;
}

/// A new `<tag>` element with `class` (when not empty).
pub fn element(tag: &str, class: &str) -> Element {
    let element = create_element(tag);
    if !class.is_empty() {
        element.set_class_name(class);
    }
    element
}

/// A new `<tag>` element holding `text`.
pub fn text_element(tag: &str, class: &str, text: &str) -> Element {
    let element = element(tag, class);
    element.set_text_content(Some(text));
    element
}

/// A `<button type="button">` with its visible label.
pub fn button(label: &str) -> Element {
    let button = text_element("button", "", label);
    set(&button, "type", "button");
    button
}

/// Sets an attribute of an element the views made (which cannot refuse it).
pub fn set(element: &Element, name: &str, value: &str) {
    let _ = element.set_attribute(name, value);
}

/// Appends `children` to `parent`.
pub fn append(parent: &Node, children: &[&Node]) {
    for child in children {
        let _ = parent.append_child(child);
    }
}

/// Calls `handler` on each `event` at an element the views made. No lifetime needed: the listener
/// goes with the element.
pub fn on(element: &Element, event: &str, handler: Box<dyn FnMut(Event)>) {
    page::listen(element, event, None, handler);
}

/// Runs `update` now, and again whenever a signal it read changes, for as long as the current
/// reactive owner lives (the reader, or the state the reader is in).
pub fn keep_updated(update: Box<dyn Fn()>) {
    let effect = RenderEffect::new(move |_: Option<()>| update());
    on_cleanup(move || drop(effect));
}

/// Keeps attribute `name` of `element` at what `value` returns.
pub fn bind(element: &Element, name: &'static str, value: Box<dyn Fn() -> String>) {
    let element = element.clone();
    keep_updated(Box::new(move || set(&element, name, &value())));
}

/// Keeps a `true`/`false` attribute (`aria-pressed`, `aria-expanded`…) at what `value` returns.
pub fn bind_state(element: &Element, name: &'static str, value: Box<dyn Fn() -> bool>) {
    let element = element.clone();
    keep_updated(Box::new(move || set(&element, name, if value() { "true" } else { "false" })));
}

/// Keeps `element` hidden while `hidden` returns true (out of the accessibility tree and the tab
/// order as well as out of sight).
pub fn bind_hidden(element: &Element, hidden: Box<dyn Fn() -> bool>) {
    let element = element.clone();
    keep_updated(Box::new(move || {
        let _ = element.toggle_attribute_with_force("hidden", hidden());
    }));
}

/// Keeps the text of `element` at what `text` returns.
pub fn bind_text(element: &Element, text: Box<dyn Fn() -> String>) {
    let element = element.clone();
    keep_updated(Box::new(move || element.set_text_content(Some(&text()))));
}

/// Keeps the inline `font-size` of `element` at what `size` returns. Through the CSS object
/// model, not a `style` attribute: a host page's Content-Security-Policy may refuse the latter.
pub fn bind_font_size(element: &Element, size: Box<dyn Fn() -> String>) {
    let Some(element) = element.dyn_ref::<HtmlElement>().cloned() else { return };
    keep_updated(Box::new(move || {
        let _ = element.style().set_property("font-size", &size());
    }));
}

/// Keeps the `checked` property of a radio button at what `checked` returns.
pub fn bind_checked(input: &Element, checked: Box<dyn Fn() -> bool>) {
    let input = JsValue::from(input);
    keep_updated(Box::new(move || {
        let _ = js_sys::Reflect::set(&input, &JsValue::from_str("checked"), &JsValue::from_bool(checked()));
    }));
}
