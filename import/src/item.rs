//! The JSON the reader reads: a JSON Feed 1.1 item with the `_reader` extension, and the feed.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::extract::Extracted;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Author {
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ReaderExt {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub views: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Item {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    pub title: String,
    #[serde(default = "vi")]
    pub language: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub date_published: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub authors: Vec<Author>,
    pub content_html: String,
    #[serde(rename = "_reader", default)]
    pub reader: ReaderExt,
}

fn vi() -> String {
    "vi".into()
}

/// JSON Feed 1.1 document.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Feed {
    pub version: String,
    pub title: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub home_page_url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub feed_url: Option<String>,
    pub language: String,
    pub items: Vec<Item>,
}

pub const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

fn short_hash(s: &str) -> String {
    let d = Sha256::digest(s.as_bytes());
    d.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// The article's id, also its view-counter key: 1–128 characters of `A–Z a–z 0–9 . _ : / -`,
/// from the host, path and query ("tinhha.quangngai.gov.vn/tin-tuc/123").
pub fn item_id(url: &Url) -> String {
    let mut raw = String::new();
    raw.push_str(url.host_str().unwrap_or("local"));
    if let Some(port) = url.port() {
        raw.push_str(&format!(":{port}"));
    }
    raw.push_str(url.path());
    if let Some(q) = url.query() {
        raw.push('-');
        raw.push_str(q);
    }
    let mut id = String::with_capacity(raw.len());
    for c in raw.chars() {
        let ok = c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '/' | '-');
        let c = if ok { c } else { '-' };
        if c == '-' && id.ends_with('-') {
            continue;
        }
        id.push(c);
    }
    let id = id.trim_end_matches(['/', '-']).to_string();
    if id.len() <= 128 {
        id
    } else {
        let head: String = id.chars().take(114).collect();
        format!("{head}-{}", short_hash(&raw))
    }
}

/// A file name for an item: its id with `/` and `:` as `_`.
pub fn file_name(id: &str) -> String {
    let slug: String = id.chars().map(|c| if matches!(c, '/' | ':') { '_' } else { c }).collect();
    format!("{slug}.json")
}

impl Item {
    pub fn from_extracted(ex: &Extracted, url: Option<&Url>, fallback_id: &str) -> Item {
        let canonical = ex.canonical.as_ref().and_then(|c| Url::parse(c).ok());
        // the canonical address if it is on the same host (some CMSes print the home page)
        let url = match (canonical, url) {
            (Some(c), Some(u)) if c.host_str() == u.host_str() && c.path() != "/" => Some(c),
            (_, Some(u)) => Some(u.clone()),
            (Some(c), None) => Some(c),
            (None, None) => None,
        };
        Item {
            id: url.as_ref().map(item_id).unwrap_or_else(|| fallback_id.to_string()),
            url: url.map(|u| u.to_string()),
            title: ex.title.clone(),
            language: ex.language.clone(),
            date_published: ex.date_published.clone(),
            authors: ex.authors.iter().map(|a| Author { name: a.clone() }).collect(),
            content_html: ex.content_html.clone(),
            reader: ReaderExt { views: ex.views, source: ex.source.clone() },
        }
    }

    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).unwrap_or_default();
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids() {
        let u = |s: &str| Url::parse(s).unwrap();
        assert_eq!(item_id(&u("https://tinhha.quangngai.gov.vn/tin-tuc/123")), "tinhha.quangngai.gov.vn/tin-tuc/123");
        assert_eq!(item_id(&u("http://xa.vn/Default.aspx?tabid=72&id=9")), "xa.vn/Default.aspx-tabid-72-id-9");
        assert_eq!(item_id(&u("http://xa.vn/tin/hội-nghị/")), "xa.vn/tin/h-E1-BB-99i-ngh-E1-BB-8B");
        let long = item_id(&u(&format!("http://xa.vn/{}", "a".repeat(300))));
        assert_eq!(long.len(), 127);
        assert_eq!(file_name("xa.vn/tin/1"), "xa.vn_tin_1.json");
        assert_eq!(item_id(&u("http://127.0.0.1:8080/tin/1")), "127.0.0.1:8080/tin/1");
    }
}
