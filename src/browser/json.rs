//! JSON in the browser: the core's serde types read by serde_json from the response text. (Measured
//! against serde-wasm-bindgen on `JSON.parse`'s result: see README, "Dependencies and why".)

use commune_reader_core::{Article, FormatError, SourceOptions};

/// Parses a response body into an article (size, emptiness, HTML and nesting checks first).
pub fn parse_article(text: &str, item_id: Option<&str>) -> Result<Article, FormatError> {
    let options = SourceOptions { item: item_id.map(str::to_owned), ..SourceOptions::default() };
    commune_reader_core::parse_article(text, &options)
}
