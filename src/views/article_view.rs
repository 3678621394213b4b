//! The article itself: title, meta line, body, byline.

use super::reader::ReaderState;
use super::toolbar::Toolbar;
use crate::browser::{intl, page, sanitize::Sanitiser};
use commune_reader_core::datetime::iso_in_vietnam;
use commune_reader_core::reading_time::article_reading_minutes;
use commune_reader_core::text::fill;
use commune_reader_core::{Article, Body, UiText};
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ArticleView(reader: ReaderState, article: Arc<Article>, saved_at_ms: Option<i64>) -> impl IntoView {
    let (lang, heading_level) = reader.config(|config| (config.lang, config.heading_level));
    let (text, locale) = (lang.text(), lang.locale());
    let published = article.published_ms.map(|ms| {
        let shown = intl::date_time(ms, locale).unwrap_or_else(|| iso_in_vietnam(ms));
        view! { <time datetime=iso_in_vietnam(ms)>{shown}</time> }
    });
    let json_views = article.views;
    let views = move || {
        reader.live_views.get().or(json_views).map(|count| fill(text.views, &intl::count(count, locale)))
    };
    let saved_notice = saved_at_ms.map(|ms| {
        let when = intl::date_time(ms, locale).unwrap_or_default();
        view! { <p class="notice" role="note">{fill(text.saved_copy, &when)}</p> }
    });
    let body_ref = NodeRef::<html::Div>::new();
    let rendered = article.clone();
    body_ref.on_load(move |container| {
        fill_body(&container, &rendered, text);
        reader.article_rendered(&rendered);
    });
    // On paper the address is the way back to the article: the page's own when the data names none.
    let print_url = article.url.clone().unwrap_or_else(page::location);
    let print_url = (!print_url.is_empty()).then(|| view! { <p class="print-only">{text.source_link} " " {print_url}</p> });
    let reading_time = fill(text.reading_time, &article_reading_minutes(&article).to_string());
    view! {
        <Toolbar reader article=article.clone() body=body_ref />
        {saved_notice}
        <article tabindex="-1" lang=article.language.clone() style:font-size=move || reader.scale.get().em()>
            {heading(heading_level, article.title.clone())}
            <p class="meta">
                {published}
                <span class="views">{views}</span>
                <span>{reading_time}</span>
            </p>
            <div class="body" node_ref=body_ref></div>
            {article.byline().map(|byline| view! { <footer class="byline">{byline}</footer> })}
            {print_url}
        </article>
    }
}

/// The title as a heading of the level the host page chose (`data-heading-level`, 1–6, checked
/// by the core). One element with a computed tag name instead of six view branches.
fn heading(level: u8, title: String) -> impl IntoView {
    const TAGS: [&str; 6] = ["h1", "h2", "h3", "h4", "h5", "h6"];
    let tag = TAGS.get(usize::from(level).saturating_sub(1)).copied().unwrap_or("h2");
    leptos::html::custom(tag).attr("class", "title").child(title)
}

/// Untrusted HTML goes through the sanitiser; plain-text paragraphs are set as text.
fn fill_body(container: &web_sys::HtmlDivElement, article: &Article, text: &UiText) {
    let Some(document) = container.owner_document() else { return };
    match &article.body {
        Body::Html(html) => {
            let base = article.url.clone().unwrap_or_else(|| document.base_uri().ok().flatten().unwrap_or_default());
            Sanitiser { document: &document, base_url: &base, table_label: text.table, cut_notice: text.cut_notice }.append_to(html, container);
        }
        Body::Paragraphs(paragraphs) => {
            for paragraph in paragraphs {
                if let Ok(p) = document.create_element("p") {
                    p.set_text_content(Some(paragraph));
                    let _ = container.append_child(&p);
                }
            }
        }
    }
}
