//! A response body becomes an article here, by the format it is in: JSON (JSON Feed, WordPress,
//! Liferay) through the core's serde types and serde_json, a feed (RSS, Atom) through the
//! browser's `DOMParser` (`xml`) and the core's feed mapping. The format is told from the
//! response's content type and its text (`detect_format`), never asked of the administrator.

use super::xml;
use commune_reader_core::{article_from_feed_xml, check_response, detect_format, Article, Detected, FormatError, SourceOptions};

/// Reads a response body (`content_type` as the server sent it, if known) into an article.
pub fn read_article(text: &str, content_type: Option<&str>, options: &SourceOptions) -> Result<Article, FormatError> {
    let text = check_response(text)?;
    match detect_format(content_type, text) {
        Detected::Json => commune_reader_core::parse_article(text, options),
        Detected::Xml => article_from_feed_xml(&xml::parse(text)?, options),
        Detected::Html => Err(FormatError::HtmlPage),
    }
}
