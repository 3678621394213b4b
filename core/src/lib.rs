//! The browser-free heart of commune-reader.
//!
//! Everything here is plain Rust over plain data, so it is tested natively with `cargo test`:
//! the article model and its input formats, date rules, the font-scale steps, the UI strings,
//! reading time, and the rules the HTML sanitiser applies. The browser edges in the reader crate
//! call into this crate; nothing here knows about the DOM.

pub mod article;
pub mod comfort;
pub mod config;
pub mod datetime;
pub mod font_scale;
pub mod formats;
mod lenient;
pub mod reading_time;
pub mod sanitize_rules;
pub mod speech;
pub mod structured_data;
pub mod text;
pub mod xml;
#[cfg(feature = "xml")]
pub mod xml_native;

pub use article::{Article, Body};
pub use comfort::Comfort;
pub use config::ReaderConfig;
pub use font_scale::FontScale;
#[cfg(feature = "json")]
pub use formats::parse_article;
#[cfg(all(feature = "json", feature = "xml"))]
pub use formats::read_response;
pub use formats::{
    article_from_document, article_from_feed_xml, check_json, check_response, detect_format, Detected, Document,
    FormatError, SourceOptions, MAX_RESPONSE_BYTES,
};
pub use xml::{XmlElement, XmlNode, MAX_XML_DEPTH, MAX_XML_NODES};
pub use text::{Lang, UiText};
