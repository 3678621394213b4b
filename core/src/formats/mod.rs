//! Input formats: what `data-src` may serve, and how each becomes an [`Article`].
//!
//! - JSON (module `json`): a JSON Feed 1.1 item (native) or document, a WordPress REST v2 post, a
//!   Liferay Headless Delivery structured content or page of them. All are read into one serde
//!   type, [`Document`], by any serde deserializer, and mapped by [`article_from_document`];
//!   [`parse_article`] does both on text with serde_json (feature `json`).
//! - XML (module `feed`): an RSS 2.0 (or 0.9x, 1.0) or Atom 1.0 feed, read from the neutral tree
//!   of `xml` by [`article_from_feed_xml`]; the tree comes from the browser's `DOMParser`, or
//!   natively from `xml_native` (feature `xml`).
//!
//! Which it is comes from the response ([`detect_format`]), never from the administrator.
//! Reading is deliberately lenient field by field: a field of the wrong type or shape is treated as
//! missing, so one odd field from an old CMS costs that field, not the whole article. Only a
//! response that is not a document at all, or that has neither a title nor a body, is refused.

mod feed;
mod json;
mod liferay;
mod link;

pub use feed::article_from_feed_xml;
#[cfg(feature = "json")]
pub use json::parse_article;
pub use json::{article_from_document, check_json, Document};

use crate::article::{Article, Body};

/// Responses larger than this are refused before parsing: a news article is far smaller, and
/// parsing a runaway response on a cheap phone would freeze the tab.
pub const MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// JSON nested deeper than this (arrays and objects) is refused as not JSON, as serde_json does.
pub const MAX_JSON_DEPTH: usize = 128;

/// Why a response could not become an article. Each maps to one message in `text::UiText`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatError {
    /// The response was empty.
    Empty,
    /// The response was larger than [`MAX_RESPONSE_BYTES`] (or its XML tree than
    /// [`crate::xml::MAX_XML_NODES`] nodes).
    TooLarge,
    /// An HTML page (a CMS error page, a login wall, a page served as RSS) came back instead of an
    /// article or a feed.
    HtmlPage,
    /// Not valid JSON (or not UTF-8, or nested deeper than [`MAX_JSON_DEPTH`]).
    NotJson,
    /// XML that is not well formed, or that uses entities that cannot be resolved safely
    /// (external entities, entity expansion bombs): the browser's `parsererror`.
    InvalidXml,
    /// A document, but in no format the reader knows, or a feed without items.
    NotAnArticle,
    /// The feed or page has no item named by `data-item`.
    ItemNotFound,
    /// The item has neither a title nor any body text.
    NoContent,
}

/// What the reader knows about the source besides the response itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceOptions {
    /// `data-item`: which item of a feed to show (the first when `None`).
    pub item: Option<String>,
    /// `data-field`: which field of a Liferay structured content is the body.
    pub field: Option<String>,
    /// The absolute address the response came from (`data-src` resolved against the page):
    /// relative links of a feed and Liferay's image addresses are resolved against it.
    pub url: Option<String>,
}

/// The checks made on the raw response before anything else: size, a byte-order mark (skipped),
/// emptiness. Returns the text to read.
pub fn check_response(text: &str) -> Result<&str, FormatError> {
    if text.len() > MAX_RESPONSE_BYTES {
        return Err(FormatError::TooLarge);
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim_start().is_empty() {
        return Err(FormatError::Empty);
    }
    Ok(text)
}

/// What a response is, as [`detect_format`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Detected {
    /// Read it as JSON ([`parse_article`], or `JSON.parse` and [`article_from_document`]).
    Json,
    /// Read it as XML (`DOMParser`, then [`article_from_feed_xml`]).
    Xml,
    /// An HTML page: answer [`FormatError::HtmlPage`].
    Html,
}

/// Tells JSON, a feed (XML) and an HTML page apart, from the response's `Content-Type` and its
/// text (after [`check_response`]). The text decides when it is clear: `{` or `[` is JSON; markup
/// whose first element is `rss`, `feed`, `RDF` (or `channel`, `entry`) is XML, whose doctype or first
/// element is HTML's (`html`, `head`, `body`) is an HTML page, whatever the content type says (a
/// page served as `application/rss+xml` is still a page; a feed served as `text/html` is still a
/// feed). Other markup is XML when the content type says XML, else an HTML page; other text is JSON
/// (and fails there as not JSON).
pub fn detect_format(content_type: Option<&str>, text: &str) -> Detected {
    let start = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if !start.starts_with('<') {
        return Detected::Json;
    }
    match first_markup_name(start) {
        Some(Markup::Html) => return Detected::Html,
        Some(Markup::Element(name)) if ["rss", "feed", "RDF", "channel", "entry"].contains(&local_part(name)) => {
            return Detected::Xml;
        }
        Some(Markup::Element(name)) if ["html", "head", "body"].iter().any(|html| name.eq_ignore_ascii_case(html)) => {
            return Detected::Html;
        }
        _ => {}
    }
    let media_type = content_type.and_then(|value| value.split(';').next()).unwrap_or_default().trim().to_ascii_lowercase();
    if media_type.ends_with("/xml") || media_type.ends_with("+xml") && media_type != "application/xhtml+xml" {
        Detected::Xml
    } else {
        Detected::Html
    }
}

enum Markup<'a> {
    /// An HTML doctype.
    Html,
    /// The first element's qualified name.
    Element(&'a str),
}

/// The first thing that is neither an XML declaration, a processing instruction, a comment nor a
/// non-HTML doctype.
fn first_markup_name(mut text: &str) -> Option<Markup<'_>> {
    // A handful of leading declarations and comments at most; a hostile prefix is not walked far.
    for _ in 0..32 {
        text = text.trim_start();
        let rest = text.strip_prefix('<')?;
        if let Some(comment) = rest.strip_prefix("!--") {
            text = comment.split_once("-->")?.1;
        } else if let Some(instruction) = rest.strip_prefix('?') {
            text = instruction.split_once('>')?.1;
        } else if let Some(declaration) = rest.strip_prefix('!') {
            let (inside, after) = declaration.split_once('>')?;
            let words: Vec<&str> = inside.split_whitespace().take(2).collect();
            if words.first().is_some_and(|word| word.eq_ignore_ascii_case("doctype")) {
                match words.get(1).map(|name| name.trim_end_matches('[')) {
                    Some(name) if name.eq_ignore_ascii_case("html") => return Some(Markup::Html),
                    // The doctype names the root element; its internal subset (`[…]`, which may
                    // hold `>` in entity values) is not walked.
                    Some(name) if !name.is_empty() && inside.contains('[') => return Some(Markup::Element(name)),
                    _ => {}
                }
            }
            text = after;
        } else {
            let end = rest.find(|c: char| c.is_whitespace() || c == '>' || c == '/').unwrap_or(rest.len());
            return rest.get(..end).map(Markup::Element);
        }
    }
    None
}

/// `rdf:RDF` → `RDF`.
fn local_part(name: &str) -> &str {
    name.rsplit(':').next().unwrap_or(name)
}

/// Reads a response natively, as the browser does with its own parsers: [`check_response`],
/// [`detect_format`], then serde_json or roxmltree and the mapping. Bytes that are not UTF-8 are
/// refused ([`FormatError::NotJson`], or [`FormatError::InvalidXml`] for markup): the browser's
/// decoder would replace them and show what it can. For tests, fuzzing and tools.
#[cfg(all(feature = "json", feature = "xml"))]
pub fn read_response(bytes: &[u8], content_type: Option<&str>, options: &SourceOptions) -> Result<Article, FormatError> {
    if bytes.len() > MAX_RESPONSE_BYTES {
        return Err(FormatError::TooLarge);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        let markup = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'<');
        return Err(if markup { FormatError::InvalidXml } else { FormatError::NotJson });
    };
    let text = check_response(text)?;
    match detect_format(content_type, text) {
        Detected::Json => parse_article(text, options),
        Detected::Xml => article_from_feed_xml(&crate::xml_native::parse_xml(text)?, options),
        Detected::Html => Err(FormatError::HtmlPage),
    }
}

/// Whether JSON text opens more than `max` arrays or objects inside one another (strings skipped).
/// A linear scan: whatever parses the text afterwards never meets deeper nesting.
fn json_depth_exceeds(text: &str, max: usize) -> bool {
    let mut depth = 0usize;
    let (mut in_string, mut escaped) = (false, false);
    for byte in text.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// An article must have a title or a body.
fn require_content(article: Article) -> Result<Article, FormatError> {
    let has_body = match &article.body {
        Body::Html(html) => !html.trim().is_empty(),
        Body::Paragraphs(paragraphs) => !paragraphs.is_empty(),
    };
    if article.title.is_empty() && !has_body {
        return Err(FormatError::NoContent);
    }
    Ok(article)
}

/// Collapses runs of white space (and strips control characters) so a title or name is one line.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control()).filter(|word| !word.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Names as single lines, empty ones dropped.
fn clean_names<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    names.into_iter().map(one_line).filter(|name| !name.is_empty()).collect()
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
fn checked_web_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.get(..8).unwrap_or(url).to_ascii_lowercase();
    let is_web = lower.starts_with("https://") || lower.starts_with("http://");
    (is_web && !url.chars().any(|c| c.is_whitespace() || c.is_control())).then(|| url.to_owned())
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

    #[test]
    fn plain_text_paragraphs_split_at_blank_lines() {
        let text = "Đoạn một,\r\ndòng hai.\r\n\r\n  \t \nĐoạn hai.\n\n\n Đoạn ba. ";
        assert_eq!(paragraphs_of(text), ["Đoạn một,\ndòng hai.", "Đoạn hai.", "Đoạn ba."]);
        assert!(paragraphs_of(" \n\r\n").is_empty());
    }

    #[test]
    fn response_checks_come_before_parsing() {
        assert_eq!(check_response("\u{feff}{}"), Ok("{}"));
        assert_eq!(check_response(" \n "), Err(FormatError::Empty));
        assert_eq!(check_response("\u{feff} \n"), Err(FormatError::Empty));
        assert_eq!(check_response("\n<html>"), Ok("\n<html>"));
        assert_eq!(check_json("\n<html>"), Err(FormatError::HtmlPage));
        assert_eq!(check_response(&" ".repeat(MAX_RESPONSE_BYTES + 1)), Err(FormatError::TooLarge));
    }

    #[test]
    fn the_format_comes_from_the_text_then_the_content_type() {
        use Detected::{Html, Json, Xml};
        let rss = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<!-- RSS -->\n<rss version=\"2.0\"><channel/></rss>";
        let atom = "<feed xmlns=\"http://www.w3.org/2005/Atom\"></feed>";
        let rdf = "<?xml version=\"1.0\"?><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"></rdf:RDF>";
        let page = "<!DOCTYPE html><html><body>502</body></html>";
        let old_rss = "<?xml version=\"1.0\"?><!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"x\"><rss/>";
        for (content_type, text, expected) in [
            (Some("application/json"), "{\"title\":\"T\"}", Json),
            (Some("text/html; charset=utf-8"), " [1]", Json),
            (None, "null", Json),
            (Some("application/rss+xml"), rss, Xml),
            (Some("text/html"), rss, Xml),
            (Some("application/json"), atom, Xml),
            (None, rdf, Xml),
            (None, old_rss, Xml),
            // An internal subset holds `>` in entity values: the doctype's name tells the root.
            (None, "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY a \"x>y\"><!ENTITY b \"&a;&a;\">]><rss/>", Xml),
            (None, "<!DOCTYPE feed [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><feed/>", Xml),
            (Some("application/rss+xml"), page, Html),
            (Some("application/xml"), "<HTML><p>x</p></HTML>", Html),
            (Some("text/html"), "<h1>502 Bad Gateway</h1>", Html),
            (Some("application/xml"), "<urlset></urlset>", Xml),
            (Some("application/atom+xml; charset=UTF-8"), "<root/>", Xml),
            (Some("application/xhtml+xml"), "<div/>", Html),
            (None, "<unknown>", Html),
        ] {
            assert_eq!(detect_format(content_type, text), expected, "{content_type:?} {text:?}");
        }
    }

    #[test]
    fn nesting_depth_is_counted_outside_strings() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(!json_depth_exceeds(&nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH));
        assert!(json_depth_exceeds(&nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH));
        let in_string = format!(r#"{{"a":"{}\"{}"}}"#, "[".repeat(500), "{".repeat(500));
        assert!(!json_depth_exceeds(&in_string, MAX_JSON_DEPTH));
        assert_eq!(check_json(&nested(200)), Err(FormatError::NotJson));
    }
}
