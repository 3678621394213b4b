//! Input formats: a JSON Feed 1.1 item (native), a JSON Feed 1.1 document, a WordPress REST v2 post.
//!
//! Parsing is deliberately lenient field by field: a field of the wrong type is treated as missing,
//! so one odd field from an old CMS costs that field, not the whole article. Only a document that is
//! not JSON at all, or that has neither a title nor a body, is refused.

use crate::article::{Article, Body};
use crate::datetime::{parse_datetime, VIETNAM_OFFSET_MINUTES};
use crate::text::html_to_text;
use serde_json::{Map, Value};

/// Responses larger than this are refused before parsing: a news article is far smaller, and
/// parsing a runaway response on a cheap phone would freeze the tab.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// A view count above this is treated as corrupt data rather than shown.
const MAX_PLAUSIBLE_VIEWS: u64 = 10_000_000_000;

/// Why a response could not become an article. Each maps to one Vietnamese message in `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    /// The response was empty.
    Empty,
    /// The response was larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
    /// An HTML page (a CMS error page, a login wall) came back instead of JSON.
    HtmlInsteadOfJson,
    /// Not valid JSON (or not UTF-8, or nested beyond the parser's depth limit).
    NotJson,
    /// Valid JSON, but neither a feed item, a feed with that item, nor a WordPress post.
    NotAnArticle,
    /// The item has neither a title nor any body text.
    NoContent,
}

/// Turns a response body into an article. `item_id` picks the item of a JSON Feed document
/// (the first item when `None`).
pub fn parse_article(bytes: &[u8], item_id: Option<&str>) -> Result<Article, FormatError> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(FormatError::TooLarge);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let trimmed = bytes.trim_ascii_start();
    if trimmed.is_empty() {
        return Err(FormatError::Empty);
    }
    if trimmed.first() == Some(&b'<') {
        return Err(FormatError::HtmlInsteadOfJson);
    }
    // serde_json refuses nesting deeper than 128 levels with an error, never a stack overflow.
    let document: Value = serde_json::from_slice(bytes).map_err(|_| FormatError::NotJson)?;
    let object = document.as_object().ok_or(FormatError::NotAnArticle)?;
    let article = if let Some(items) = object.get("items") {
        let item = pick_feed_item(items, item_id).ok_or(FormatError::NotAnArticle)?;
        from_json_feed_item(item, Some(object))
    } else if is_wordpress_post(object) {
        from_wordpress_post(object)
    } else if object.contains_key("title") || object.contains_key("content_html") || object.contains_key("content_text") {
        from_json_feed_item(object, None)
    } else {
        return Err(FormatError::NotAnArticle);
    };
    let has_body = match &article.body {
        Body::Html(html) => !html.trim().is_empty(),
        Body::Paragraphs(paragraphs) => !paragraphs.is_empty(),
    };
    if article.title.is_empty() && !has_body {
        return Err(FormatError::NoContent);
    }
    Ok(article)
}

fn pick_feed_item<'a>(items: &'a Value, item_id: Option<&str>) -> Option<&'a Map<String, Value>> {
    let mut objects = items.as_array()?.iter().filter_map(Value::as_object);
    match item_id {
        None => objects.next(),
        Some(wanted) => objects.find(|item| id_of(item).as_deref() == Some(wanted)),
    }
}

/// WordPress wraps rendered fields in objects: `"title": {"rendered": "…"}`.
fn is_wordpress_post(object: &Map<String, Value>) -> bool {
    ["title", "content"].iter().any(|key| object.get(*key).and_then(|field| field.get("rendered")).is_some())
}

fn from_json_feed_item(item: &Map<String, Value>, feed: Option<&Map<String, Value>>) -> Article {
    let extension = item.get("_reader").and_then(Value::as_object);
    let mut authors = names(item.get("authors"));
    if authors.is_empty() {
        // JSON Feed 1.0 had a single `author`; a feed-level author list applies to every item.
        authors = names(item.get("author"));
    }
    if authors.is_empty() {
        authors = names(feed.and_then(|feed| feed.get("authors")));
    }
    let body = match (text_field(item, "content_html"), text_field(item, "content_text")) {
        (Some(html), _) => Body::Html(html),
        (None, Some(text)) => Body::Paragraphs(paragraphs_of(&text)),
        (None, None) => Body::default(),
    };
    Article {
        id: id_of(item),
        title: text_field(item, "title").map(|title| one_line(&title)).unwrap_or_default(),
        language: language_of(item).or_else(|| feed.and_then(language_of)).unwrap_or_else(default_language),
        published_ms: text_field(item, "date_published")
            .and_then(|date| parse_datetime(&date, VIETNAM_OFFSET_MINUTES)),
        authors,
        agency: extension.and_then(|extension| text_field(extension, "source")).map(|agency| one_line(&agency)),
        body,
        url: text_field(item, "url").and_then(checked_web_url),
        views: extension.and_then(|extension| extension.get("views")).and_then(view_count),
    }
}

fn from_wordpress_post(post: &Map<String, Value>) -> Article {
    let rendered = |key: &str| post.get(key).and_then(|field| field.get("rendered")).and_then(Value::as_str);
    let author = post
        .get("_embedded")
        .and_then(|embedded| embedded.get("author"))
        .and_then(|authors| authors.get(0))
        .and_then(|author| author.get("name"))
        .and_then(Value::as_str)
        .map(one_line)
        .filter(|name| !name.is_empty());
    Article {
        id: id_of(post).map(|id| format!("wp-{id}")),
        // WordPress renders titles as HTML with entities (`&#8211;`): shown as text, never as markup.
        title: rendered("title").map(|title| one_line(&html_to_text(title))).unwrap_or_default(),
        language: default_language(),
        published_ms: text_field(post, "date_gmt").and_then(|date| parse_datetime(&date, 0)),
        authors: author.into_iter().collect(),
        agency: None,
        body: rendered("content").map(|html| Body::Html(html.to_owned())).unwrap_or_default(),
        url: text_field(post, "link").and_then(checked_web_url),
        views: None,
    }
}

/// JSON Feed ids are strings; numbers are tolerated as the spec asks ("coerce to string").
fn id_of(object: &Map<String, Value>) -> Option<String> {
    match object.get("id")? {
        Value::String(id) => Some(id.trim().to_owned()).filter(|id| !id.is_empty()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

fn text_field(object: &Map<String, Value>, key: &str) -> Option<String> {
    object.get(key).and_then(Value::as_str).map(str::to_owned)
}

/// Collapses runs of white space (and strips control characters) so a title or name is one line.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `[{"name": "…"}, …]` or a single `{"name": "…"}`; entries without a usable name are skipped.
fn names(value: Option<&Value>) -> Vec<String> {
    let single = value.filter(|value| value.is_object()).into_iter();
    let listed = value.and_then(Value::as_array).into_iter().flatten();
    single
        .chain(listed)
        .filter_map(|author| author.get("name").and_then(Value::as_str))
        .map(one_line)
        .filter(|name| !name.is_empty())
        .collect()
}

fn language_of(object: &Map<String, Value>) -> Option<String> {
    text_field(object, "language").filter(|tag| is_language_tag(tag))
}

fn default_language() -> String {
    "vi".to_owned()
}

/// A loose BCP 47 shape check: enough to keep junk out of the `lang` attribute.
fn is_language_tag(tag: &str) -> bool {
    (2..=35).contains(&tag.len())
        && tag.split('-').all(|part| (1..=8).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_alphanumeric()))
        && tag.bytes().take_while(|b| *b != b'-').all(|b| b.is_ascii_alphabetic())
}

/// Only absolute http(s) addresses are kept; the sanitiser's browser edge checks again with `URL`.
fn checked_web_url(url: String) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let is_web = lower.starts_with("https://") || lower.starts_with("http://");
    (is_web && !url.chars().any(|c| c.is_whitespace() || c.is_control())).then(|| url.to_owned())
}

/// Counts are integers ≥ 0; a numeric string is accepted, fractions, negatives and absurd values are not.
fn view_count(value: &Value) -> Option<u64> {
    let count = match value {
        Value::Number(number) => number.as_u64(),
        Value::String(text) => text.trim().parse::<u64>().ok(),
        _ => None,
    }?;
    (count <= MAX_PLAUSIBLE_VIEWS).then_some(count)
}

/// Plain text bodies: paragraphs are separated by blank lines.
fn paragraphs_of(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|paragraph| paragraph.trim())
        .filter(|paragraph| !paragraph.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../demo/articles/ducpho-truc-bao.json");

    fn parse(json: &str) -> Result<Article, FormatError> {
        parse_article(json.as_bytes(), None)
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
        assert_eq!(parse_article(feed.as_bytes(), None).map(|a| a.title), Ok("Bài A".into()));
        let b = parse_article(feed.as_bytes(), Some("b")).expect("item b");
        assert_eq!(b.title, "Bài B");
        assert_eq!(b.language, "en");
        assert_eq!(b.authors, vec!["Ban biên tập".to_owned()], "feed authors apply to items without their own");
        assert_eq!(parse_article(feed.as_bytes(), Some("zzz")), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"items": {}}"#), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"items": []}"#), Err(FormatError::NotAnArticle));
    }

    #[test]
    fn a_wordpress_post_is_normalised() {
        let post = r#"{"id": 4321, "date": "2024-01-05T10:00:00", "date_gmt": "2024-01-05T03:00:00",
            "link": "https://xa.example.gov.vn/tin-tuc/hop-dan/",
            "title": {"rendered": "Họp dân &#8211; Thôn 3 &amp; Thôn 4"},
            "content": {"rendered": "<p>Nội dung</p>", "protected": false},
            "_embedded": {"author": [{"name": "Văn phòng UBND"}]}}"#;
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
    }

    #[test]
    fn view_counts_must_be_plausible_whole_numbers() {
        let views = |raw: &str| parse(&format!(r#"{{"title":"T","_reader":{{"views":{raw}}}}}"#)).map(|a| a.views);
        assert_eq!(views("0"), Ok(Some(0)));
        assert_eq!(views("1234"), Ok(Some(1234)));
        assert_eq!(views("\"98\""), Ok(Some(98)));
        for bad in ["-5", "1.5", "1e30", "99999999999999", "null", "true"] {
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
        assert_eq!(parse("<!DOCTYPE html><title>404</title>"), Err(FormatError::HtmlInsteadOfJson));
        assert_eq!(parse("{\"title\": "), Err(FormatError::NotJson));
        assert_eq!(parse("[1,2]"), Err(FormatError::NotAnArticle));
        assert_eq!(parse("{}"), Err(FormatError::NotAnArticle));
        assert_eq!(parse(r#"{"title":"", "content_html":"  "}"#), Err(FormatError::NoContent));
        assert_eq!(parse_article(b"{\"title\":\"\xff\"}", None), Err(FormatError::NotJson), "invalid UTF-8");
        assert!(parse_article(b"\xEF\xBB\xBF{\"title\":\"BOM\"}", None).is_ok(), "a byte-order mark is skipped");
    }

    #[test]
    fn hostile_sizes_and_depths_are_refused_without_overflow() {
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        assert_eq!(parse(&deep), Err(FormatError::NotJson));
        let deep_field = format!(r#"{{"title":"T","x":{}1{}}}"#, "[".repeat(20_000), "]".repeat(20_000));
        assert_eq!(parse(&deep_field), Err(FormatError::NotJson));
        let huge = format!(r#"{{"title":"T","content_text":"{}"}}"#, "a".repeat(MAX_RESPONSE_BYTES));
        assert_eq!(parse(&huge), Err(FormatError::TooLarge));
    }
}
