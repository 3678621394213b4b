//! The reader's configuration, read from the mount element's `data-*` attributes.
//! Every value is optional and checked; a bad value falls back to its default, never an error.

use crate::formats::SourceOptions;
use crate::text::Lang;

/// Default time allowed for the article request, generous for 3G in the countryside.
pub const DEFAULT_TIMEOUT_MS: u32 = 15_000;

/// Everything one reader needs to know from its mount element.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderConfig {
    /// `data-src`: the article JSON address (required; without it the reader says so).
    pub src: Option<String>,
    /// `data-item`: which item of a feed to show (the first when absent).
    pub item: Option<String>,
    /// `data-field`: the field of a Liferay structured content that is the body (name, field
    /// reference or label; default: the field named `content`, else every rich-text field).
    pub field: Option<String>,
    /// `data-lang`: interface language, `vi` (default) or `en`.
    pub lang: Lang,
    /// `data-heading-level`: 1–6, default 2 — portals already have an `h1` for the site name.
    pub heading_level: u8,
    /// `data-counter`: the view-counter endpoint (e.g. `/api/views`); no counting without it.
    pub counter: Option<String>,
    /// `data-counter-id`: counter key when the article id is not one the counter accepts.
    pub counter_id: Option<String>,
    /// `data-lazy`: fetch nothing until the mount point nears the viewport.
    pub lazy: bool,
    /// `data-timeout`: seconds before the request is abandoned (1–120, default 15).
    pub timeout_ms: u32,
    /// `data-theme`: the colour theme until the reader picks one: `auto` (default, follows the
    /// device's light/dark setting), `light`, `sepia`, `dark` or `contrast` (`high-contrast`).
    /// An index into `comfort::THEMES`.
    pub theme: u8,
    /// `data-structured-data`: add a schema.org `NewsArticle` (JSON-LD) to the host page's `<head>`
    /// while the reader is on the page (off by default; the portal may publish its own).
    pub structured_data: bool,
}

impl ReaderConfig {
    /// What the format readers need from the configuration. `url` is left for the caller, who
    /// knows the absolute address `src` resolves to.
    pub fn source_options(&self) -> SourceOptions {
        SourceOptions { item: self.item.clone(), field: self.field.clone(), url: None }
    }

    /// Reads the configuration through `attribute`, which returns an attribute's value by name.
    pub fn from_attributes(attribute: impl Fn(&str) -> Option<String>) -> Self {
        let non_empty = |name: &str| attribute(name).map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        ReaderConfig {
            src: non_empty("data-src"),
            item: non_empty("data-item"),
            field: non_empty("data-field"),
            lang: Lang::from_attribute(attribute("data-lang").as_deref()),
            heading_level: non_empty("data-heading-level")
                .and_then(|v| v.parse::<u8>().ok())
                .filter(|level| (1..=6).contains(level))
                .unwrap_or(2),
            counter: non_empty("data-counter"),
            counter_id: non_empty("data-counter-id").filter(|id| crate::article::is_valid_counter_key(id)),
            lazy: attribute("data-lazy").is_some_and(|v| v.trim() != "false"),
            timeout_ms: non_empty("data-timeout")
                .and_then(|v| v.parse::<u32>().ok())
                .filter(|seconds| (1..=120).contains(seconds))
                .map_or(DEFAULT_TIMEOUT_MS, |seconds| seconds * 1000),
            theme: crate::comfort::theme_from_attribute(attribute("data-theme").as_deref()),
            structured_data: attribute("data-structured-data").is_some_and(|v| v.trim() != "false"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(pairs: &[(&str, &str)]) -> ReaderConfig {
        ReaderConfig::from_attributes(|name| pairs.iter().find(|(n, _)| *n == name).map(|(_, v)| (*v).to_owned()))
    }

    #[test]
    fn defaults_suit_a_vietnamese_portal() {
        let defaults = config(&[]);
        assert_eq!(defaults.src, None);
        assert_eq!(defaults.lang, Lang::Vi);
        assert_eq!(defaults.heading_level, 2);
        assert!(!defaults.lazy);
        assert_eq!(defaults.timeout_ms, DEFAULT_TIMEOUT_MS);
        assert_eq!(defaults.counter, None);
        assert_eq!(defaults.theme, 0, "automatic theme");
        assert_eq!(config(&[("data-theme", "sepia")]).theme, 2);
        assert!(!defaults.structured_data);
        assert!(config(&[("data-structured-data", "")]).structured_data);
        assert!(!config(&[("data-structured-data", "false")]).structured_data);
    }

    #[test]
    fn attributes_are_read_and_bad_values_fall_back() {
        let read = config(&[
            ("data-src", " /bai.json "), ("data-lang", "en"), ("data-heading-level", "1"), ("data-lazy", ""),
            ("data-timeout", "5"), ("data-counter", "/api/views"), ("data-counter-id", "bai-1"), ("data-item", "b"),
        ]);
        assert_eq!(read.src.as_deref(), Some("/bai.json"));
        assert_eq!((read.lang, read.heading_level, read.lazy, read.timeout_ms), (Lang::En, 1, true, 5000));
        assert_eq!((read.counter.as_deref(), read.counter_id.as_deref()), (Some("/api/views"), Some("bai-1")));
        assert_eq!(read.item.as_deref(), Some("b"));
        let liferay = config(&[("data-item", " 37531 "), ("data-field", "noiDung")]);
        assert_eq!(
            liferay.source_options(),
            SourceOptions { item: Some("37531".into()), field: Some("noiDung".into()), url: None }
        );
        assert_eq!(config(&[]).source_options(), SourceOptions::default());
        let bad = config(&[("data-heading-level", "7"), ("data-timeout", "0"), ("data-lazy", "false"), ("data-counter-id", "có dấu"), ("data-src", "  ")]);
        assert_eq!((bad.heading_level, bad.timeout_ms, bad.lazy), (2, DEFAULT_TIMEOUT_MS, false));
        assert_eq!((bad.counter_id, bad.src), (None, None));
        assert_eq!(config(&[("data-timeout", "999")]).timeout_ms, DEFAULT_TIMEOUT_MS);
    }
}
