//! The article itself: title, meta line, body, byline.

use super::dom::{append, bind_font_size, bind_text, element, set, text_element};
use super::reader::ReaderState;
use super::toolbar::toolbar;
use crate::browser::{intl, page, sanitize::Sanitiser};
use commune_reader_core::datetime::iso_in_vietnam;
use commune_reader_core::reading_time::article_reading_minutes;
use commune_reader_core::text::fill;
use commune_reader_core::{Article, Body};
use reactive_graph::prelude::*;
use web_sys::{Element, Node};

/// The toolbar, the offline-copy notice (when the article is a saved copy) and the article.
pub fn article_view(reader: ReaderState, article: &Article, saved_at_ms: Option<i64>) -> Vec<Node> {
    let (lang, heading_level) = reader.config(|config| (config.lang, config.heading_level));
    let (text, locale) = (lang.text(), lang.locale());

    let meta = element("p", "meta");
    if let Some(ms) = article.published_ms {
        let shown = intl::date_time(ms, locale).unwrap_or_else(|| iso_in_vietnam(ms));
        let time = text_element("time", "", &shown);
        set(&time, "datetime", &iso_in_vietnam(ms));
        append(&meta, &[&time]);
    }
    let views = element("span", "views");
    let json_views = article.views;
    bind_text(&views, Box::new(move || {
        reader.live_views.get().or(json_views).map(|count| fill(text.views, &intl::count(count, locale))).unwrap_or_default()
    }));
    let reading_time = fill(text.reading_time, &article_reading_minutes(article).to_string());
    append(&meta, &[&views, &text_element("span", "", &reading_time)]);

    let body = element("div", "body");
    fill_body(&body, article, text.table);

    let shown = element("article", "");
    set(&shown, "tabindex", "-1");
    set(&shown, "lang", &article.language);
    bind_font_size(&shown, Box::new(move || reader.scale.get().em()));
    append(&shown, &[&heading(heading_level, &article.title), &meta, &body]);
    if let Some(byline) = article.byline() {
        append(&shown, &[&text_element("footer", "byline", &byline)]);
    }
    // On paper the address is the way back to the article: the page's own when the data names none.
    let print_url = article.url.clone().unwrap_or_else(page::location);
    if !print_url.is_empty() {
        append(&shown, &[&text_element("p", "print-only", &[text.source_link, " ", &print_url].concat())]);
    }

    let mut nodes = vec![toolbar(reader, article, &body).into()];
    if let Some(ms) = saved_at_ms {
        let when = intl::date_time(ms, locale).unwrap_or_default();
        let notice = text_element("p", "notice", &fill(text.saved_copy, &when));
        set(&notice, "role", "note");
        nodes.push(notice.into());
    }
    nodes.push(shown.into());
    reader.article_rendered(article);
    nodes
}

/// The title as a heading of the level the host page chose (`data-heading-level`, 1–6, checked
/// by the core).
fn heading(level: u8, title: &str) -> Element {
    const TAGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
    let tag = TAGS.get(usize::from(level).saturating_sub(1)).copied().unwrap_or("h2");
    text_element(tag, "title", title)
}

/// Untrusted HTML goes through the sanitiser; plain-text paragraphs are set as text.
fn fill_body(container: &Element, article: &Article, table_label: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    match &article.body {
        Body::Html(html) => {
            let base = article.url.clone().unwrap_or_else(|| document.base_uri().ok().flatten().unwrap_or_default());
            Sanitiser { document: &document, base_url: &base, table_label }.append_to(html, container);
        }
        Body::Paragraphs(paragraphs) => {
            for paragraph in paragraphs {
                append(container, &[&text_element("p", "", paragraph)]);
            }
        }
    }
}
