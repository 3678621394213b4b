//! The two states before an article: loading, and failed.

use super::dom::{append, button, element, on, set, text_element};
use commune_reader_core::UiText;
use web_sys::Node;

/// A placeholder the shape of an article, so nothing below it jumps when the text arrives.
pub fn loading_view(text: &'static UiText) -> Vec<Node> {
    let loading = element("div", "loading");
    set(&loading, "aria-busy", "true");
    let status = text_element("p", "visually-hidden", text.loading);
    set(&status, "role", "status");
    append(&loading, &[&status]);
    for class in ["placeholder title-placeholder", "placeholder meta-placeholder", "placeholder line", "placeholder line", "placeholder line short"] {
        append(&loading, &[&element("div", class)]);
    }
    // The administrator's fallback (e.g. a link to the article on the portal) stays visible meanwhile.
    vec![loading.into(), element("slot", "").into()]
}

/// A plain-language message, with a retry button when trying again can help.
pub fn error_view(message: &'static str, retry_label: &'static str, retry: Option<Box<dyn Fn()>>) -> Vec<Node> {
    let error = element("div", "error");
    set(&error, "role", "alert");
    append(&error, &[&text_element("p", "", message)]);
    if let Some(retry) = retry {
        let retry_button = button(retry_label);
        retry_button.set_class_name("retry");
        on(&retry_button, "click", Box::new(move |_| retry()));
        append(&error, &[&retry_button]);
    }
    vec![error.into(), element("slot", "").into()]
}
