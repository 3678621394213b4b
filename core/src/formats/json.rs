//! The JSON formats as serde types: a JSON Feed 1.1 item or document (with the `_reader`
//! extension), a WordPress REST API v2 post, a Liferay Headless Delivery structured content or a
//! page of them.
//!
//! One type, [`Entry`], holds every member any of them defines, each read leniently (see
//! `lenient`); which format an object is in is decided afterwards from what identifies each one
//! (`kind_of`). The same types serve serde_json on text and serde-wasm-bindgen on `JSON.parse`'s
//! result: nothing here needs a particular deserializer.

use super::liferay::{self, CategoryBrief, ContentField, Creator};
use super::{
    checked_web_url, clean_names, default_language, is_language_tag, one_line, paragraphs_of, require_content,
    FormatError, SourceOptions,
};
use crate::article::{Article, Body};
use crate::datetime::{parse_datetime, VIETNAM_OFFSET_MINUTES};
use crate::lenient::{self, Shape};
use crate::text::html_to_text;
use crate::xml::escape;
use serde::de::{Deserializer, MapAccess};
use serde::Deserialize;

/// A parsed response: any JSON value. Only an object in a known format can become an article
/// (see [`article_from_document`]). Deserializes from any serde `Deserializer`.
#[derive(Debug, Default)]
pub struct Document(Option<Entry>);

impl<'de> Deserialize<'de> for Document {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        lenient::top_level(deserializer).map(Document)
    }
}

/// A member that was there, whatever it held: `Some(None)` when its value had the wrong type.
type Member<T> = Option<Option<T>>;

fn text_member<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Member<String>, D::Error> {
    lenient::text(deserializer).map(Some)
}

fn title_member<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Member<TextOrRendered>, D::Error> {
    lenient::shape(deserializer).map(Some)
}

/// One object of any known format. Members of the wrong type read as absent (or, for the few whose
/// presence alone tells the format, as present without a value); unknown members are skipped.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Entry {
    /// JSON Feed: a string (a number is coerced); WordPress and Liferay: a number.
    #[serde(deserialize_with = "lenient::id")]
    id: Option<String>,
    /// JSON Feed and Liferay: a string; WordPress: `{"rendered": "…"}`.
    #[serde(deserialize_with = "title_member")]
    title: Member<TextOrRendered>,

    // JSON Feed document, and Liferay's page of structured contents.
    #[serde(deserialize_with = "lenient::text")]
    version: Option<String>,
    #[serde(deserialize_with = "lenient::nested")]
    items: Option<Vec<Entry>>,

    // JSON Feed item (and document: `language`, `authors`).
    #[serde(deserialize_with = "lenient::text")]
    language: Option<String>,
    #[serde(deserialize_with = "lenient::one_or_many")]
    authors: Vec<Author>,
    /// JSON Feed 1.0's single author.
    #[serde(deserialize_with = "lenient::one_or_many")]
    author: Vec<Author>,
    #[serde(deserialize_with = "lenient::text")]
    date_published: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    url: Option<String>,
    #[serde(deserialize_with = "text_member")]
    content_html: Member<String>,
    #[serde(deserialize_with = "text_member")]
    content_text: Member<String>,
    #[serde(rename = "_reader", deserialize_with = "lenient::object")]
    reader: Option<ReaderExtension>,
    #[serde(deserialize_with = "lenient::strings")]
    tags: Vec<String>,

    // WordPress post.
    #[serde(deserialize_with = "lenient::object")]
    content: Option<Rendered>,
    #[serde(deserialize_with = "lenient::text")]
    date_gmt: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    link: Option<String>,
    #[serde(rename = "_embedded", deserialize_with = "lenient::object")]
    embedded: Option<Embedded>,
    /// Members only used to recognise a WordPress post.
    #[serde(deserialize_with = "lenient::present")]
    excerpt: bool,
    #[serde(deserialize_with = "lenient::present")]
    guid: bool,
    #[serde(deserialize_with = "lenient::present")]
    slug: bool,
    #[serde(deserialize_with = "lenient::present")]
    modified_gmt: bool,

    // Liferay structured content.
    #[serde(rename = "contentFields", deserialize_with = "lenient::nested")]
    content_fields: Option<Vec<ContentField>>,
    #[serde(rename = "datePublished", deserialize_with = "lenient::text")]
    date_published_utc: Option<String>,
    #[serde(deserialize_with = "lenient::object")]
    creator: Option<Creator>,
    #[serde(deserialize_with = "lenient::text")]
    description: Option<String>,
    #[serde(rename = "friendlyUrlPath", deserialize_with = "lenient::text")]
    friendly_url_path: Option<String>,
    #[serde(deserialize_with = "lenient::text")]
    key: Option<String>,
    #[serde(rename = "taxonomyCategoryBriefs", deserialize_with = "lenient::objects")]
    category_briefs: Vec<CategoryBrief>,
    /// Members only used to recognise a structured content.
    #[serde(rename = "contentStructureId", deserialize_with = "lenient::present")]
    content_structure_id: bool,
    #[serde(rename = "siteId", deserialize_with = "lenient::present")]
    site_id: bool,
}

/// `{"name": "…"}` in JSON Feed's `authors` and WordPress's `_embedded.author`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Author {
    #[serde(deserialize_with = "lenient::text")]
    name: Option<String>,
}

/// `_reader`: commune-reader's JSON Feed extension.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ReaderExtension {
    #[serde(deserialize_with = "lenient::count")]
    views: Option<u64>,
    #[serde(deserialize_with = "lenient::text")]
    source: Option<String>,
}

/// WordPress's rendered fields: `{"rendered": "…", …}`.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Rendered {
    #[serde(deserialize_with = "lenient::text")]
    rendered: Option<String>,
}

/// WordPress's `_embedded` (with `?_embed`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct Embedded {
    #[serde(deserialize_with = "lenient::objects")]
    author: Vec<Author>,
}

/// A title: a string (JSON Feed, Liferay) or a WordPress `{"rendered": "…"}`.
#[derive(Debug)]
enum TextOrRendered {
    Text(String),
    Rendered(Option<String>),
}

impl Shape for TextOrRendered {
    fn from_str(text: &str) -> Option<Self> {
        Some(TextOrRendered::Text(text.to_owned()))
    }
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Option<Self>, A::Error> {
        let rendered: Option<Rendered> = lenient::object(serde::de::value::MapAccessDeserializer::new(map))?;
        Ok(rendered.map(|rendered| TextOrRendered::Rendered(rendered.rendered)))
    }
}

fn value<T>(member: &Member<T>) -> Option<&T> {
    member.as_ref().and_then(Option::as_ref)
}

impl Entry {
    fn title_text(&self) -> Option<&str> {
        match value(&self.title) {
            Some(TextOrRendered::Text(text)) => Some(text),
            _ => None,
        }
    }

    fn rendered_title(&self) -> Option<&str> {
        match value(&self.title) {
            Some(TextOrRendered::Rendered(rendered)) => rendered.as_deref(),
            _ => None,
        }
    }

    fn rendered_content(&self) -> Option<&str> {
        self.content.as_ref().and_then(|content| content.rendered.as_deref())
    }

    /// Whether the object carries a body member of any format, whatever its value.
    fn has_body_member(&self) -> bool {
        self.content_html.is_some() || self.content_text.is_some() || self.content.is_some() || self.content_fields.is_some()
    }

    /// Whether `wanted` (`data-item`) names this item: its id, its `url` (JSON Feed), or its
    /// `key` or `friendlyUrlPath` (Liferay).
    fn is_item(&self, wanted: &str) -> bool {
        let wanted = Some(wanted.trim());
        [&self.id, &self.url, &self.key, &self.friendly_url_path].into_iter().any(|own| own.as_deref().map(str::trim) == wanted)
    }
}

/// The formats an object can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    JsonFeed,
    WordPress,
    Liferay,
}

/// Decides an object's format from what identifies each one. A format whose body is there wins
/// over one whose body is missing, so a body in a known field is never lost (a JSON Feed item whose
/// title happens to be `{"rendered": …}` is still a JSON Feed item); then the format with more of
/// its own members present; then JSON Feed, WordPress, Liferay in that order. An object with none
/// of that but a `title`, `content_html` or `content_text` member (of any type) is a JSON Feed
/// item; anything else is no article.
fn kind_of(entry: &Entry) -> Option<Kind> {
    let count = |flags: &[bool]| flags.iter().filter(|flag| **flag).count();
    let feed_body = value(&entry.content_html).is_some() || value(&entry.content_text).is_some();
    let feed_members = count(&[
        entry.date_published.is_some(),
        !entry.authors.is_empty() || !entry.author.is_empty(),
        entry.reader.is_some(),
        entry.url.is_some(),
        entry.language.is_some(),
        entry.version.is_some(),
        !entry.tags.is_empty(),
    ]);
    let wordpress_body = entry.rendered_content().is_some();
    let wordpress_members = count(&[
        entry.rendered_title().is_some() || matches!(value(&entry.title), Some(TextOrRendered::Rendered(_))),
        entry.content.is_some(),
        entry.date_gmt.is_some(),
        entry.link.is_some(),
        entry.embedded.is_some(),
        entry.excerpt,
        entry.guid,
        entry.slug,
        entry.modified_gmt,
    ]);
    let liferay_body = entry.content_fields.as_ref().is_some_and(|fields| !fields.is_empty());
    let liferay_members = count(&[
        entry.content_fields.is_some(),
        entry.date_published_utc.is_some(),
        entry.creator.is_some(),
        entry.friendly_url_path.is_some(),
        entry.key.is_some(),
        entry.description.is_some(),
        !entry.category_briefs.is_empty(),
        entry.content_structure_id,
        entry.site_id,
    ]);
    let candidates = [
        (Kind::JsonFeed, feed_body, feed_members),
        (Kind::WordPress, wordpress_body, wordpress_members),
        (Kind::Liferay, liferay_body, liferay_members),
    ];
    let mut best: Option<(Kind, bool, usize)> = None;
    for candidate in candidates {
        let (_, has_body, members) = candidate;
        if !has_body && members == 0 {
            continue;
        }
        if best.is_none_or(|(_, best_body, best_members)| (has_body, members) > (best_body, best_members)) {
            best = Some(candidate);
        }
    }
    match best {
        Some((kind, _, _)) => Some(kind),
        // A bare `{"title": "…"}` is the smallest JSON Feed item.
        None => (entry.title.is_some() || entry.content_html.is_some() || entry.content_text.is_some()).then_some(Kind::JsonFeed),
    }
}

/// Turns a parsed document into an article: a JSON Feed item; the item of a JSON Feed document or
/// of a Liferay page (`items`) named by `options.item`, else its first item; a WordPress post; a
/// Liferay structured content (body chosen by `options.field`, image addresses resolved against
/// `options.url`).
pub fn article_from_document(document: Document, options: &SourceOptions) -> Result<Article, FormatError> {
    let entry = document.0.ok_or(FormatError::NotAnArticle)?;
    let article = match entry.items {
        // A feed or a page: its items are the candidates, unless the object is itself an article.
        Some(ref items) if !entry.has_body_member() => {
            let item = match options.item.as_deref() {
                None => items.first().ok_or(FormatError::NotAnArticle)?,
                Some(wanted) => items.iter().find(|item| item.is_item(wanted)).ok_or(FormatError::ItemNotFound)?,
            };
            from_entry(item, Some(&entry), options)?
        }
        _ => from_entry(&entry, None, options)?,
    };
    require_content(article)
}

fn from_entry(entry: &Entry, feed: Option<&Entry>, options: &SourceOptions) -> Result<Article, FormatError> {
    match kind_of(entry).ok_or(FormatError::NotAnArticle)? {
        Kind::JsonFeed => Ok(from_json_feed_item(entry, feed)),
        Kind::WordPress => Ok(from_wordpress_post(entry)),
        Kind::Liferay => Ok(from_liferay(entry, options)),
    }
}

/// The checks [`parse_article`] makes on JSON text before parsing it: an HTML page (text starting
/// with `<`) is [`FormatError::HtmlPage`], nesting deeper than [`super::MAX_JSON_DEPTH`] is
/// [`FormatError::NotJson`]. Call it on the text of [`super::check_response`] before `JSON.parse`
/// to give the same answers as [`parse_article`].
pub fn check_json(text: &str) -> Result<&str, FormatError> {
    if text.trim_start().starts_with('<') {
        return Err(FormatError::HtmlPage);
    }
    if super::json_depth_exceeds(text, super::MAX_JSON_DEPTH) {
        return Err(FormatError::NotJson);
    }
    Ok(text)
}

/// Reads a JSON response with serde_json: [`super::check_response`], [`check_json`], then
/// [`article_from_document`]. Text that is not JSON is refused as [`FormatError::NotJson`].
#[cfg(feature = "json")]
pub fn parse_article(text: &str, options: &SourceOptions) -> Result<Article, FormatError> {
    let text = check_json(super::check_response(text)?)?;
    let document: Document = serde_json::from_str(text).map_err(|_| FormatError::NotJson)?;
    article_from_document(document, options)
}

fn names<'a>(authors: impl IntoIterator<Item = &'a Author>) -> Vec<String> {
    clean_names(authors.into_iter().filter_map(|author| author.name.as_deref()))
}

fn from_json_feed_item(item: &Entry, feed: Option<&Entry>) -> Article {
    let mut authors = names(&item.authors);
    if authors.is_empty() {
        // JSON Feed 1.0 had a single `author`; a feed-level author list applies to every item.
        authors = names(&item.author);
    }
    if authors.is_empty() {
        authors = feed.map(|feed| names(&feed.authors)).unwrap_or_default();
    }
    let body = match (value(&item.content_html), value(&item.content_text)) {
        (Some(html), _) => Body::Html(html.clone()),
        (None, Some(text)) => Body::Paragraphs(paragraphs_of(text)),
        (None, None) => Body::default(),
    };
    let extension = item.reader.as_ref();
    Article {
        id: item.id.clone(),
        title: item.title_text().map(one_line).unwrap_or_default(),
        language: language_of(item).or_else(|| feed.and_then(language_of)).unwrap_or_else(default_language),
        published_ms: item.date_published.as_deref().and_then(|date| parse_datetime(date, VIETNAM_OFFSET_MINUTES)),
        authors,
        agency: extension.and_then(|extension| extension.source.as_deref()).map(one_line),
        body,
        url: item.url.as_deref().and_then(checked_web_url),
        views: extension.and_then(|extension| extension.views),
        categories: clean_names(item.tags.iter().map(String::as_str)),
    }
}

fn from_wordpress_post(post: &Entry) -> Article {
    let authors = post.embedded.as_ref().map(|embedded| embedded.author.as_slice()).unwrap_or_default();
    Article {
        id: post.id.as_ref().map(|id| format!("wp-{id}")),
        // WordPress renders titles as HTML with entities (`&#8211;`): shown as text, never as markup.
        title: post.rendered_title().map(|title| one_line(&html_to_text(title))).unwrap_or_default(),
        language: default_language(),
        published_ms: post.date_gmt.as_deref().and_then(|date| parse_datetime(date, 0)),
        // Only the first embedded author is the post's author.
        authors: names(authors.iter().take(1)),
        agency: None,
        body: post.rendered_content().map(|html| Body::Html(html.to_owned())).unwrap_or_default(),
        url: post.link.as_deref().and_then(checked_web_url),
        views: None,
        categories: Vec::new(),
    }
}

/// A Liferay structured content. Its `description` (the summary portals print in bold above the
/// text) opens the body unless the body already starts with it. The article link is left to the
/// page: `friendlyUrlPath` is relative to a site path the API does not give, and
/// `renderedContents` point at the API's own rendering endpoint, not at a page for readers.
fn from_liferay(entry: &Entry, options: &SourceOptions) -> Article {
    let summary = entry.description.as_deref().map(|text| one_line(&html_to_text(text))).filter(|text| !text.is_empty());
    let fields = entry.content_fields.as_deref().unwrap_or_default();
    let html = liferay::body(fields, options.field.as_deref(), options.url.as_deref());
    let body = match (html, summary) {
        (Some(html), Some(summary)) if !one_line(&html_to_text(&html)).starts_with(&summary) => {
            Body::Html(format!("<p><strong>{}</strong></p>{html}", escape(&summary, false)))
        }
        (Some(html), _) => Body::Html(html),
        (None, Some(summary)) => Body::Paragraphs(vec![summary]),
        (None, None) => Body::default(),
    };
    Article {
        id: entry.id.as_ref().map(|id| format!("lr-{id}")),
        title: entry.title_text().map(one_line).unwrap_or_default(),
        language: default_language(),
        // The API writes UTC.
        published_ms: entry.date_published_utc.as_deref().and_then(|date| parse_datetime(date, 0)),
        authors: clean_names(entry.creator.as_ref().and_then(|creator| creator.name.as_deref())),
        agency: None,
        body,
        url: None,
        views: None,
        categories: clean_names(entry.category_briefs.iter().filter_map(|brief| brief.name.as_deref())),
    }
}

fn language_of(entry: &Entry) -> Option<String> {
    entry.language.as_deref().filter(|tag| is_language_tag(tag)).map(str::to_owned)
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../../demo/articles/ducpho-truc-bao.json");

    fn parse(json: &str) -> Result<Article, FormatError> {
        parse_article(json, &SourceOptions::default())
    }

    fn parse_item(json: &str, item: &str) -> Result<Article, FormatError> {
        parse_article(json, &SourceOptions { item: Some(item.to_owned()), ..SourceOptions::default() })
    }

    #[test]
    fn the_seed_article_is_read_completely() {
        let article = parse(FIXTURE).expect("fixture parses");
        assert_eq!(article.id.as_deref(), Some("ducpho-2023-12-27-truc-bao-mttq"));
        assert!(article.title.starts_with("Thường trực Thị ủy trực báo"));
        assert_eq!(article.language, "vi");
        assert_eq!(article.published_ms, Some(1_703_643_240_000));
        assert_eq!(article.views, Some(98));
        assert_eq!(article.byline().as_deref(), Some("Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ"));
        match &article.body {
            Body::Html(html) => assert_eq!(html.matches("<p>").count(), 5),
            other => panic!("expected HTML body, got {other:?}"),
        }
    }

    #[test]
    fn a_feed_document_yields_the_item_with_the_wanted_id() {
        let feed = r#"{"version":"https://jsonfeed.org/version/1.1","title":"Tin tức","language":"vi",
            "authors":[{"name":"Ban biên tập"}],
            "items":[{"id":"a","title":"Bài A","content_text":"A"},
                     {"id":"b","title":"Bài B","content_html":"<p>B</p>","language":"en"},
                     "not an object"]}"#;
        assert_eq!(parse(feed).map(|a| a.title), Ok("Bài A".into()));
        let b = parse_item(feed, "b").expect("item b");
        assert_eq!(b.title, "Bài B");
        assert_eq!(b.language, "en");
        assert_eq!(b.authors, vec!["Ban biên tập".to_owned()], "feed authors apply to items without their own");
        assert_eq!(parse_item(feed, "zzz"), Err(FormatError::ItemNotFound));
        assert_eq!(parse(r#"{"items": {}}"#), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"items": []}"#), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"items": [], "title": "Tin tức"}"#), Err(FormatError::NotAnArticle));
        let numeric_ids = r#"{"items":[{"id":7,"title":"Bảy"},{"id":8,"title":"Tám"}]}"#;
        assert_eq!(parse_item(numeric_ids, "8").map(|a| a.title), Ok("Tám".into()));
    }

    #[test]
    fn a_wordpress_post_is_normalised() {
        let post = r#"{"id": 4321, "date": "2024-01-05T10:00:00", "date_gmt": "2024-01-05T03:00:00",
            "link": "https://xa.example.gov.vn/tin-tuc/hop-dan/",
            "title": {"rendered": "Họp dân &#8211; Thôn 3 &amp; Thôn 4"},
            "content": {"rendered": "<p>Nội dung</p>", "protected": false},
            "_embedded": {"author": [{"name": "Văn phòng UBND"}, {"name": "Khác"}]}}"#;
        let article = parse(post).expect("wordpress post");
        assert_eq!(article.id.as_deref(), Some("wp-4321"));
        assert_eq!(article.title, "Họp dân – Thôn 3 & Thôn 4");
        assert_eq!(article.published_ms, parse_datetime("2024-01-05T10:00:00+07:00", 0));
        assert_eq!(article.url.as_deref(), Some("https://xa.example.gov.vn/tin-tuc/hop-dan/"));
        assert_eq!(article.authors, vec!["Văn phòng UBND".to_owned()]);
        assert_eq!(article.body, Body::Html("<p>Nội dung</p>".into()));
        assert_eq!(article.language, "vi");
        let without_embed = r#"{"id": 1, "title": {"rendered": "T"}, "content": {"rendered": ""}}"#;
        assert_eq!(parse(without_embed).map(|a| a.authors), Ok(vec![]));
        assert_eq!(parse(r#"{"title": {"rendered": "Chỉ tiêu đề"}}"#).map(|a| a.title), Ok("Chỉ tiêu đề".into()));
    }

    /// Issue 14.4: failed before the format was detected from what identifies it (the body was lost).
    #[test]
    fn a_feed_item_with_a_wordpress_shaped_title_keeps_its_body() {
        let item = r#"{"id":"a1","title":{"rendered":"Tiêu đề"},"content_html":"<p>Nội dung</p>",
            "date_published":"2023-12-27T09:14:00+07:00","authors":[{"name":"Thúy Yến"}],"_reader":{"views":98}}"#;
        let article = parse(item).expect("an article");
        assert_eq!(article.body, Body::Html("<p>Nội dung</p>".into()));
        assert_eq!(article.published_ms, Some(1_703_643_240_000));
        assert_eq!(article.authors, vec!["Thúy Yến".to_owned()]);
        assert_eq!(article.views, Some(98));
        assert_eq!(article.id.as_deref(), Some("a1"), "a JSON Feed id, not wp-…");
        assert_eq!(article.title, "", "a title of the wrong type is dropped on its own");
        // The other way round: a WordPress post that also carries a stray JSON Feed member.
        let post = r#"{"id":5,"title":{"rendered":"Họp"},"content":{"rendered":"<p>Thân bài</p>"},"url":"https://x.vn/a",
            "date_gmt":"2024-01-05T03:00:00","link":"https://x.vn/p/5","slug":"hop"}"#;
        let article = parse(post).expect("a post");
        assert_eq!((article.id.as_deref(), article.title.as_str()), (Some("wp-5"), "Họp"));
        assert_eq!(article.body, Body::Html("<p>Thân bài</p>".into()));
        // Both bodies: the format with more of its own members wins, and the body is kept.
        let both = r#"{"title":"T","content_html":"<p>JF</p>","content":{"rendered":"<p>WP</p>"},"date_gmt":"2024-01-05T03:00:00","link":"https://x.vn/p","slug":"t"}"#;
        assert_eq!(parse(both).map(|a| a.body), Ok(Body::Html("<p>WP</p>".into())));
        let both = r#"{"title":"T","content_html":"<p>JF</p>","content":{"rendered":"<p>WP</p>"},"date_published":"2024-01-05T03:00:00Z"}"#;
        assert_eq!(parse(both).map(|a| a.body), Ok(Body::Html("<p>JF</p>".into())));
    }

    #[test]
    fn fields_of_the_wrong_type_are_treated_as_missing() {
        let item = r#"{"id": ["x"], "title": "Tiêu đề", "language": 7, "date_published": 20231227,
            "authors": "Thúy Yến", "content_html": {"p": 1}, "content_text": "Đoạn một.\n\nĐoạn hai.",
            "url": 5, "_reader": {"views": "many", "source": ["x"]}, "unknown": {"deep": [1, 2]}}"#;
        let article = parse(item).expect("best effort");
        assert_eq!(article.id, None);
        assert_eq!(article.language, "vi");
        assert_eq!(article.published_ms, None);
        assert!(article.authors.is_empty());
        assert_eq!(article.body, Body::Paragraphs(vec!["Đoạn một.".into(), "Đoạn hai.".into()]));
        assert_eq!((article.url, article.views, article.agency), (None, None, None));
        assert_eq!(parse(r#"{"title": "T", "_reader": 5}"#).map(|a| a.views), Ok(None));
        assert_eq!(parse(r#"{"title": "T", "id": 12}"#).map(|a| a.id), Ok(Some("12".into())), "numeric id coerced");
        assert_eq!(parse(r#"{"title": "T", "id": 1.5}"#).map(|a| a.id), Ok(None));
    }

    /// Issue 14.9: counts as numbers and, on purpose, as strings of digits (old CMSes write "98").
    #[test]
    fn view_counts_must_be_plausible_whole_numbers_or_digit_strings() {
        let views = |raw: &str| parse(&format!(r#"{{"title":"T","_reader":{{"views":{raw}}}}}"#)).map(|a| a.views);
        for (raw, count) in [("0", 0), ("1234", 1234), ("1.0", 1), ("10000000000", 10_000_000_000)] {
            assert_eq!(views(raw), Ok(Some(count)), "{raw}");
        }
        for (raw, count) in [("\"98\"", 98), ("\" 1234 \"", 1234), ("\"0\"", 0), ("\"10000000000\"", 10_000_000_000)] {
            assert_eq!(views(raw), Ok(Some(count)), "{raw}");
        }
        for bad in [
            "-5", "-1", "1.5", "1e30", "99999999999999", "10000000001", "null", "true", "[98]", "{}",
            "\"12abc\"", "\"-1\"", "\"1.5\"", "\"+98\"", "\"\"", "\"1e3\"", "\"10000000001\"", "\"٣\"",
        ] {
            assert_eq!(views(bad), Ok(None), "{bad}");
        }
    }

    #[test]
    fn odd_dates_language_tags_and_urls_are_dropped_not_fatal() {
        let item = |field: &str, value: &str| parse(&format!(r#"{{"title":"T","{field}":{value}}}"#));
        assert_eq!(item("date_published", "\"2023-02-30T00:00:00Z\"").map(|a| a.published_ms), Ok(None));
        assert_eq!(item("date_published", "\"27/12/2023 09:14\"").map(|a| a.published_ms), Ok(None));
        assert_eq!(item("date_published", "\"2023-12-27T09:14:00\"").map(|a| a.published_ms), Ok(Some(1_703_643_240_000)));
        assert_eq!(item("language", "\"\\\" onload=x\"").map(|a| a.language), Ok("vi".into()));
        assert_eq!(item("language", "\"en-GB\"").map(|a| a.language), Ok("en-GB".into()));
        assert_eq!(item("url", "\"javascript:alert(1)\"").map(|a| a.url), Ok(None));
        assert_eq!(item("url", "\"https://x.vn/a b\"").map(|a| a.url), Ok(None));
        assert_eq!(item("url", "\"HTTPS://x.vn/a\"").map(|a| a.url), Ok(Some("HTTPS://x.vn/a".into())));
    }

    #[test]
    fn titles_and_names_are_single_lines_of_text() {
        let article = parse(r#"{"title":"  Dòng\nmột\t\u0007 hai ","authors":[{"name":"  A  B "},{"name":""},{"x":1}]}"#)
            .expect("parses");
        assert_eq!(article.title, "Dòng một hai");
        assert_eq!(article.authors, vec!["A B".to_owned()]);
        assert_eq!(parse(r#"{"title":"T","author":{"name":"Cũ"}}"#).map(|a| a.authors), Ok(vec!["Cũ".into()]));
    }

    #[test]
    fn responses_that_are_not_articles_get_a_reason() {
        assert_eq!(parse(""), Err(FormatError::Empty));
        assert_eq!(parse("  \n"), Err(FormatError::Empty));
        assert_eq!(parse("<!DOCTYPE html><title>404</title>"), Err(FormatError::HtmlPage));
        assert_eq!(parse("{\"title\": "), Err(FormatError::NotJson));
        assert_eq!(parse("{\"title\": \"T\"} x"), Err(FormatError::NotJson));
        assert_eq!(parse("[1,2]"), Err(FormatError::NotAnArticle));
        assert_eq!(parse("\"title\""), Err(FormatError::NotAnArticle));
        assert_eq!(parse("{}"), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"title": 5}"#), Err(FormatError::NoContent), "a JSON Feed item whose title is of the wrong type");
        assert_eq!(parse(r#"{"title": 42, "content_html": ["x"], "content_text": false}"#), Err(FormatError::NoContent));
        assert_eq!(parse(r#"{"id": "x", "status": "ok"}"#), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"title":"", "content_html":"  "}"#), Err(FormatError::NoContent));
        assert!(parse("\u{feff}{\"title\":\"BOM\"}").is_ok(), "a byte-order mark is skipped");
        let options = SourceOptions::default();
        let read = |bytes: &[u8]| crate::formats::read_response(bytes, Some("application/json"), &options);
        assert_eq!(read(b"{\"title\":\"\xff\"}"), Err(FormatError::NotJson), "invalid UTF-8");
        assert!(read(b"\xEF\xBB\xBF{\"title\":\"BOM\"}").is_ok());
    }

    #[test]
    fn keys_named_like_javascript_internals_are_plain_unknown_keys() {
        let json = r#"{"__proto__": {"title": "Giả"}, "constructor": {"prototype": {"title": "Giả"}},
            "content_html": "<p>Thật</p>", "toString": 1, "hasOwnProperty": "x"}"#;
        let article = parse(json).expect("an article");
        assert_eq!((article.title.as_str(), article.body), ("", Body::Html("<p>Thật</p>".into())));
        assert_eq!(parse(r#"{"__proto__": {"content_html": "<p>x</p>"}}"#), Err(FormatError::NotAnArticle));
    }

    #[test]
    fn a_repeated_key_keeps_its_first_value() {
        assert_eq!(parse(r#"{"title":"Một","title":"Hai","title":3}"#).map(|a| a.title), Ok("Một".into()));
    }

    #[test]
    fn hostile_sizes_and_depths_are_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse(&deep), Err(FormatError::NotJson));
        let deep_field = format!(r#"{{"title":"T","x":{}1{}}}"#, "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(parse(&deep_field), Err(FormatError::NotJson));
        // Items of items, 60 deep: read to the nesting limit, the rest skipped; the first item of
        // the top level has no title or body of its own.
        let deep_items = format!(r#"{}{{"title":"T"}}{}"#, r#"{"items":["#.repeat(60), "]}".repeat(60));
        assert_eq!(parse(&deep_items), Err(FormatError::NotAnArticle));
        let huge = format!(r#"{{"title":"T","content_text":"{}"}}"#, "a".repeat(crate::formats::MAX_RESPONSE_BYTES));
        assert_eq!(parse(&huge), Err(FormatError::TooLarge));
    }

    #[test]
    fn every_demo_article_parses() {
        for fixture in [
            FIXTURE,
            include_str!("../../../demo/articles/tin-tuc.feed.json"),
            include_str!("../../../demo/articles/wp-lich-tiep-dan.json"),
        ] {
            assert!(parse(fixture).is_ok());
        }
    }
}
