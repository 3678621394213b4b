//! Input formats: a JSON Feed 1.1 item (native), a JSON Feed 1.1 document, a WordPress REST v2 post.
//!
//! Parsing is deliberately lenient field by field: a field of the wrong type is treated as missing,
//! so one odd field from an old CMS costs that field, not the whole article. Only a document that is
//! not JSON at all, or that has neither a title nor a body, is refused.
//!
//! The adapters read the document through the [`Json`] trait. In the browser it is the result of the
//! platform's own `JSON.parse`, so the wasm carries no JSON parser; natively (tests, fuzzing) it is
//! `serde_json::Value`, behind the default `native-json` feature.

use crate::article::{Article, Body};
use crate::datetime::{parse_datetime, VIETNAM_OFFSET_MINUTES};
use crate::text::html_to_text;

/// Responses larger than this are refused before parsing: a news article is far smaller, and
/// parsing a runaway response on a cheap phone would freeze the tab.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// A view count above this is treated as corrupt data rather than shown.
const MAX_PLAUSIBLE_VIEWS: f64 = 10_000_000_000.0;

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

/// Read-only access to one value of a parsed JSON document. Every accessor answers `None` when the
/// value is not of the asked type, which is what makes the adapters lenient.
pub trait Json: Sized {
    /// The member `key` of an object (own members only: never inherited ones).
    fn member(&self, key: &str) -> Option<Self>;
    /// The elements of an array.
    fn elements(&self) -> Option<Vec<Self>>;
    fn string(&self) -> Option<String>;
    fn number(&self) -> Option<f64>;
    /// True for an object (not an array, not null).
    fn is_object(&self) -> bool;
}

/// The checks made on the raw response before any parsing: size, emptiness, an HTML page instead of
/// JSON. Returns the text to parse, without a byte-order mark.
pub fn check_response(text: &str) -> Result<&str, FormatError> {
    if text.len() > MAX_RESPONSE_BYTES {
        return Err(FormatError::TooLarge);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let start = text.trim_start();
    if start.is_empty() {
        return Err(FormatError::Empty);
    }
    if start.starts_with('<') {
        return Err(FormatError::HtmlInsteadOfJson);
    }
    Ok(text)
}

/// Turns a parsed JSON document into an article. `item_id` picks the item of a JSON Feed document
/// (the first item when `None`).
pub fn article_from_json<J: Json>(document: &J, item_id: Option<&str>) -> Result<Article, FormatError> {
    if !document.is_object() {
        return Err(FormatError::NotAnArticle);
    }
    let article = if let Some(items) = document.member("items") {
        let item = pick_feed_item(&items, item_id).ok_or(FormatError::NotAnArticle)?;
        from_json_feed_item(&item, Some(document))
    } else if is_wordpress_post(document) {
        from_wordpress_post(document)
    } else if ["title", "content_html", "content_text"].iter().any(|key| document.member(key).is_some()) {
        from_json_feed_item(document, None)
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

/// Parses a response body natively with serde_json (tests, fuzzing, tools). Invalid UTF-8 is refused
/// here; in the browser the platform decoder replaces it and the article renders best-effort.
#[cfg(feature = "native-json")]
pub fn parse_article(bytes: &[u8], item_id: Option<&str>) -> Result<Article, FormatError> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(FormatError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FormatError::NotJson)?;
    let text = check_response(text)?;
    // serde_json refuses nesting deeper than 128 levels with an error, never a stack overflow.
    let document: serde_json::Value = serde_json::from_str(text).map_err(|_| FormatError::NotJson)?;
    article_from_json(&&document, item_id)
}

#[cfg(feature = "native-json")]
impl Json for &serde_json::Value {
    fn member(&self, key: &str) -> Option<Self> {
        self.as_object()?.get(key)
    }
    fn elements(&self) -> Option<Vec<Self>> {
        Some(self.as_array()?.iter().collect())
    }
    fn string(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }
    fn number(&self) -> Option<f64> {
        self.as_f64()
    }
    fn is_object(&self) -> bool {
        serde_json::Value::is_object(self)
    }
}

fn pick_feed_item<J: Json>(items: &J, item_id: Option<&str>) -> Option<J> {
    let mut objects = items.elements()?.into_iter().filter(Json::is_object);
    match item_id {
        None => objects.next(),
        Some(wanted) => objects.find(|item| id_of(item).as_deref() == Some(wanted)),
    }
}

/// WordPress wraps rendered fields in objects: `"title": {"rendered": "…"}`.
fn is_wordpress_post<J: Json>(object: &J) -> bool {
    ["title", "content"].iter().any(|key| object.member(key).and_then(|field| field.member("rendered")).is_some())
}

fn from_json_feed_item<J: Json>(item: &J, feed: Option<&J>) -> Article {
    let extension = item.member("_reader").filter(Json::is_object);
    let mut authors = names(item.member("authors"));
    if authors.is_empty() {
        // JSON Feed 1.0 had a single `author`; a feed-level author list applies to every item.
        authors = names(item.member("author"));
    }
    if authors.is_empty() {
        authors = names(feed.and_then(|feed| feed.member("authors")));
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
        agency: extension.as_ref().and_then(|extension| text_field(extension, "source")).map(|agency| one_line(&agency)),
        body,
        url: text_field(item, "url").and_then(checked_web_url),
        views: extension.and_then(|extension| extension.member("views")).and_then(|views| view_count(&views)),
    }
}

fn from_wordpress_post<J: Json>(post: &J) -> Article {
    let rendered = |key: &str| post.member(key).and_then(|field| field.member("rendered")).and_then(|r| r.string());
    let author = post
        .member("_embedded")
        .and_then(|embedded| embedded.member("author"))
        .and_then(|authors| authors.elements())
        .and_then(|authors| authors.into_iter().next())
        .and_then(|author| author.member("name"))
        .and_then(|name| name.string())
        .map(|name| one_line(&name))
        .filter(|name| !name.is_empty());
    Article {
        id: id_of(post).map(|id| format!("wp-{id}")),
        // WordPress renders titles as HTML with entities (`&#8211;`): shown as text, never as markup.
        title: rendered("title").map(|title| one_line(&html_to_text(&title))).unwrap_or_default(),
        language: default_language(),
        published_ms: text_field(post, "date_gmt").and_then(|date| parse_datetime(&date, 0)),
        authors: author.into_iter().collect(),
        agency: None,
        body: rendered("content").map(Body::Html).unwrap_or_default(),
        url: text_field(post, "link").and_then(checked_web_url),
        views: None,
    }
}

/// JSON Feed ids are strings; whole numbers are tolerated as the spec asks ("coerce to string").
fn id_of<J: Json>(object: &J) -> Option<String> {
    let id = object.member("id")?;
    if let Some(text) = id.string() {
        return Some(text.trim().to_owned()).filter(|id| !id.is_empty());
    }
    whole_number(id.number()?, u64::MAX as f64).map(|number| number.to_string())
}

/// A non-negative whole number up to `max`, without any float formatting code in the wasm.
fn whole_number(number: f64, max: f64) -> Option<u64> {
    (number >= 0.0 && number <= max && number.fract() == 0.0).then_some(number as u64)
}

fn text_field<J: Json>(object: &J, key: &str) -> Option<String> {
    object.member(key)?.string()
}

/// Collapses runs of white space (and strips control characters) so a title or name is one line.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// `[{"name": "…"}, …]` or a single `{"name": "…"}`; entries without a usable name are skipped.
fn names<J: Json>(value: Option<J>) -> Vec<String> {
    let Some(value) = value else { return Vec::new() };
    let authors = if value.is_object() { vec![value] } else { value.elements().unwrap_or_default() };
    authors
        .iter()
        .filter_map(|author| text_field(author, "name"))
        .map(|name| one_line(&name))
        .filter(|name| !name.is_empty())
        .collect()
}

fn language_of<J: Json>(object: &J) -> Option<String> {
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

/// Counts are whole numbers ≥ 0; a numeric string is accepted, fractions, negatives and absurd values are not.
fn view_count<J: Json>(value: &J) -> Option<u64> {
    if let Some(text) = value.string() {
        return text.trim().parse::<u64>().ok().filter(|count| *count as f64 <= MAX_PLAUSIBLE_VIEWS);
    }
    whole_number(value.number()?, MAX_PLAUSIBLE_VIEWS)
}

/// Plain text bodies: paragraphs are separated by blank lines (or lines of white space only);
/// the lines of one paragraph are kept, joined by `\n`.
fn paragraphs_of(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    // `lines()` takes `\r\n` and `\n` alike; the empty line at the end closes the last paragraph.
    for line in text.lines().chain([""]) {
        if line.trim().is_empty() {
            let paragraph = current.trim();
            if !paragraph.is_empty() {
                paragraphs.push(paragraph.to_owned());
            }
            current.clear();
        } else {
            if !current.is_empty() {
                current.push('\n');
            }
            current.push_str(line);
        }
    }
    paragraphs
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE: &str = include_str!("../../demo/articles/ducpho-truc-bao.json");

    #[test]
    fn plain_text_paragraphs_split_at_blank_lines() {
        let text = "Đoạn một,\r\ndòng hai.\r\n\r\n  \t \nĐoạn hai.\n\n\n Đoạn ba. ";
        assert_eq!(paragraphs_of(text), ["Đoạn một,\ndòng hai.", "Đoạn hai.", "Đoạn ba."]);
        assert!(paragraphs_of(" \n\r\n").is_empty());
    }

    fn parse(json: &str) -> Result<Article, FormatError> {
        parse_article(json.as_bytes(), None)
    }

    #[test]
    fn response_checks_come_before_parsing() {
        assert_eq!(check_response("\u{feff}{}"), Ok("{}"));
        assert_eq!(check_response(" \n "), Err(FormatError::Empty));
        assert_eq!(check_response("\n<html>"), Err(FormatError::HtmlInsteadOfJson));
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
