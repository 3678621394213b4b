//! Per-site CSS selectors (TOML) that override the heuristics for layouts they get wrong.
//!
//! ```toml
//! [[site]]
//! host = "tinhha.quangngai.gov.vn"     # this host and its subdomains; omit for every site
//! name = "UBND xã Tịnh Hà"             # `_reader.source` when the byline names no agency
//! title = ".news-detail h2.title"
//! date = ".news-detail .date"          # text holding "dd/mm/yyyy hh:mm"
//! views = ".news-detail .hits"         # text holding the count
//! body = ".news-detail .content"
//! author = ".news-detail .author"      # text parsed as a byline
//! remove = [".box-share", "#tinkhac"]  # removed before anything else
//! list_links = ".list-news h3 a"       # article links on a list page (`site`)
//! next_page = ".pager a.next"          # the list's next page (`site`)
//! ```

use serde::Deserialize;
use std::path::Path;
use url::Url;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteRules {
    pub host: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub date: Option<String>,
    pub views: Option<String>,
    pub body: Option<String>,
    pub author: Option<String>,
    #[serde(default)]
    pub remove: Vec<String>,
    pub list_links: Option<String>,
    pub next_page: Option<String>,
}

impl SiteRules {
    fn selectors(&self) -> impl Iterator<Item = &String> {
        [&self.title, &self.date, &self.views, &self.body, &self.author, &self.list_links, &self.next_page]
            .into_iter()
            .flatten()
            .chain(self.remove.iter())
    }

    /// `other`'s fields where it has them, else ours.
    fn overlay(&self, other: &SiteRules) -> SiteRules {
        let pick = |a: &Option<String>, b: &Option<String>| b.clone().or_else(|| a.clone());
        SiteRules {
            host: pick(&self.host, &other.host),
            name: pick(&self.name, &other.name),
            title: pick(&self.title, &other.title),
            date: pick(&self.date, &other.date),
            views: pick(&self.views, &other.views),
            body: pick(&self.body, &other.body),
            author: pick(&self.author, &other.author),
            remove: self.remove.iter().chain(other.remove.iter()).cloned().collect(),
            list_links: pick(&self.list_links, &other.list_links),
            next_page: pick(&self.next_page, &other.next_page),
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default, rename = "site")]
    pub sites: Vec<SiteRules>,
}

impl Config {
    pub fn parse(text: &str) -> Result<Config, String> {
        let cfg: Config = toml::from_str(text).map_err(|e| e.to_string())?;
        for site in &cfg.sites {
            for sel in site.selectors() {
                dom_query::Matcher::new(sel).map_err(|_| format!("invalid CSS selector {sel:?}"))?;
            }
        }
        Ok(cfg)
    }

    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Config::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The rules for a page: those without `host` first, then those whose host matches (the
    /// longest match last, so it wins).
    pub fn rules_for(&self, url: Option<&Url>) -> SiteRules {
        let host = url.and_then(Url::host_str).unwrap_or("").to_ascii_lowercase();
        let mut matching: Vec<&SiteRules> = self
            .sites
            .iter()
            .filter(|s| match &s.host {
                None => true,
                Some(h) => {
                    let h = h.to_ascii_lowercase();
                    host == h || host.ends_with(&format!(".{h}"))
                }
            })
            .collect();
        matching.sort_by_key(|s| s.host.as_ref().map_or(0, String::len));
        matching.into_iter().fold(SiteRules::default(), |acc, s| acc.overlay(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_rules_override_defaults() {
        let cfg = Config::parse(
            r#"
            [[site]]
            name = "Mặc định"
            remove = [".ads"]
            [[site]]
            host = "quangngai.gov.vn"
            body = ".content"
            [[site]]
            host = "tinhha.quangngai.gov.vn"
            name = "UBND xã Tịnh Hà"
            "#,
        )
        .unwrap();
        let r = cfg.rules_for(Url::parse("https://tinhha.quangngai.gov.vn/x").ok().as_ref());
        assert_eq!(r.name.as_deref(), Some("UBND xã Tịnh Hà"));
        assert_eq!(r.body.as_deref(), Some(".content"));
        assert_eq!(r.remove, vec![".ads".to_string()]);
        let other = cfg.rules_for(Url::parse("https://example.vn/").ok().as_ref());
        assert_eq!(other.body, None);
        assert!(Config::parse("[[site]]\nbody = \"p[\"").is_err());
        assert!(Config::parse("[[site]]\nbogus = 1").is_err());
    }
}
