//! Input formats: what `data-src` may serve, and how each becomes an [`Article`].
//!
//! JSON (module `json`): a JSON Feed 1.1 item (native) or document, a WordPress REST v2 post.
//! All are read into one serde type, [`Document`], by any serde deserializer, and mapped by
//! [`article_from_document`]; [`parse_article`] does both on text with serde_json (feature `json`).
//!
//! Reading is deliberately lenient field by field: a field of the wrong type is treated as missing,
//! so one odd field from an old CMS costs that field, not the whole article. Only a response that is
//! not a document at all, or that has neither a title nor a body, is refused.

mod json;

pub use json::{article_from_document, Document};
#[cfg(feature = "json")]
pub use json::{parse_article, parse_article_bytes};

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
    /// The response was larger than [`MAX_RESPONSE_BYTES`].
    TooLarge,
    /// An HTML page (a CMS error page, a login wall) came back instead of JSON.
    HtmlInsteadOfJson,
    /// Not valid JSON (or not UTF-8, or nested deeper than [`MAX_JSON_DEPTH`]).
    NotJson,
    /// Valid JSON, but neither a feed item, a feed with that item, nor a WordPress post.
    NotAnArticle,
    /// The item has neither a title nor any body text.
    NoContent,
}

/// What the reader was told about the source by its mount element.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceOptions {
    /// `data-item`: which item of a feed to show (the first when `None`).
    pub item: Option<String>,
    /// `data-field`: which rich-text field of a Liferay structured content is the body.
    pub field: Option<String>,
}

/// The checks made on the raw response before any parsing: size, emptiness, an HTML page instead of
/// JSON, nesting deeper than [`MAX_JSON_DEPTH`]. Returns the text to parse, without a byte-order mark.
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
    if json_depth_exceeds(text, MAX_JSON_DEPTH) {
        return Err(FormatError::NotJson);
    }
    Ok(text)
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
        assert_eq!(check_response("\n<html>"), Err(FormatError::HtmlInsteadOfJson));
    }

    #[test]
    fn nesting_depth_is_counted_outside_strings() {
        let nested = |depth: usize| format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(!json_depth_exceeds(&nested(MAX_JSON_DEPTH), MAX_JSON_DEPTH));
        assert!(json_depth_exceeds(&nested(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH));
        let in_string = format!(r#"{{"a":"{}\"{}"}}"#, "[".repeat(500), "{".repeat(500));
        assert!(!json_depth_exceeds(&in_string, MAX_JSON_DEPTH));
        assert_eq!(check_response(&nested(200)), Err(FormatError::NotJson));
    }
}
