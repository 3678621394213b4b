//! A response body becomes an article here, by the format it is in: JSON (JSON Feed, WordPress,
//! Liferay) through the browser's `JSON.parse` and the core's serde types (serde-wasm-bindgen), a
//! feed (RSS, Atom) through the browser's `DOMParser` (`xml`) and the core's feed mapping. The
//! format is told from the response's content type and its text (`detect_format`), never asked of
//! the administrator.
//!
//! Why `JSON.parse` and serde-wasm-bindgen rather than serde_json on the text (README,
//! "Dependencies and why"): `JSON.parse` takes any nesting, and the lenient readers skip what they
//! do not read without descending into it, so a document with a deeply nested odd field still
//! shows its article; serde_json refuses nesting beyond 128 levels, whole document and all.

use super::xml;
use commune_reader_core::{article_from_document, article_from_feed_xml, check_response, detect_format};
use commune_reader_core::{Article, Detected, Document, FormatError, SourceOptions};

/// Reads a response body (`content_type` as the server sent it, if known) into an article.
pub fn read_article(text: &str, content_type: Option<&str>, options: &SourceOptions) -> Result<Article, FormatError> {
    let text = check_response(text)?;
    match detect_format(content_type, text) {
        Detected::Json => {
            let value = js_sys::JSON::parse(text).map_err(|_| FormatError::NotJson)?;
            let document: Document = serde_wasm_bindgen::from_value(value).map_err(|_| FormatError::NotJson)?;
            article_from_document(document, options)
        }
        Detected::Xml => article_from_feed_xml(&xml::parse(text)?, options),
        Detected::Html => Err(FormatError::HtmlPage),
    }
}
