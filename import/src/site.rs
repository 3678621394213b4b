//! `site`: follow a list (with pagination) or an RSS/Atom feed, import every article, write one
//! item per article and `feed.json`; incremental thanks to a state file in the out dir.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use dom_query::{Document, NodeRef};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use url::Url;

use crate::config::{Config, SiteRules};
use crate::extract::{extract, norm, select};
use crate::fetch::{decode, FetchError, Fetched, Fetcher, Validators};
use crate::item::{file_name, Feed, Item, JSON_FEED_VERSION};

pub const STATE_FILE: &str = ".import-state.json";
pub const REPORT_FILE: &str = "last-run.json";
pub const ITEMS_DIR: &str = "items";

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PageState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// SHA-256 of the page that produced the current output.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// The item file (under `items/`) holding the last good extraction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default)]
    pub text_len: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_error: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ListState {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    #[serde(default)]
    pub links: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct State {
    #[serde(default)]
    pub pages: BTreeMap<String, PageState>,
    #[serde(default)]
    pub lists: BTreeMap<String, ListState>,
}

impl State {
    pub fn load(dir: &Path) -> Result<State, String> {
        let p = dir.join(STATE_FILE);
        match fs::read_to_string(&p) {
            Ok(t) => serde_json::from_str(&t).map_err(|e| format!("{}: {e}", p.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::default()),
            Err(e) => Err(format!("{}: {e}", p.display())),
        }
    }
}

/// Writes a file through a temporary name, so a crash never leaves half a file.
pub fn write_atomic(path: &Path, data: &[u8]) -> Result<(), String> {
    let tmp = path.with_extension("tmp~");
    fs::write(&tmp, data).map_err(|e| format!("{}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[derive(Debug, Clone)]
pub struct SiteOptions {
    pub max_pages: usize,
    pub max_articles: usize,
    pub feed_items: usize,
    pub progress: bool,
    pub site_name: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    /// Pages downloaded in full (status 200): lists and articles.
    pub fetched: usize,
    pub new: usize,
    pub updated: usize,
    /// Not modified (304) or the same bytes as last time.
    pub unchanged: usize,
    pub requests: u64,
    pub skipped: Vec<(String, String)>,
    pub failed: Vec<(String, String)>,
    pub articles: usize,
    pub lists: usize,
}

impl Summary {
    pub fn print(&self) -> String {
        let mut s = format!(
            "summary: {} articles from {} list pages; fetched {}, new {}, updated {}, unchanged {}, skipped {}, failed {} ({} requests)\n",
            self.articles,
            self.lists,
            self.fetched,
            self.new,
            self.updated,
            self.unchanged,
            self.skipped.len(),
            self.failed.len(),
            self.requests
        );
        for (u, r) in &self.skipped {
            s.push_str(&format!("  skipped {u}: {r}\n"));
        }
        for (u, r) in &self.failed {
            s.push_str(&format!("  FAILED {u}: {r}\n"));
        }
        s
    }
}

fn sha256_hex(b: &[u8]) -> String {
    Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
}

fn same_site(a: &Url, b: &Url) -> bool {
    let h = |u: &Url| u.host_str().unwrap_or("").trim_start_matches("www.").to_ascii_lowercase();
    h(a) == h(b)
}

fn is_feed(content_type: Option<&str>, body: &str) -> bool {
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let head = body.trim_start().get(..200.min(body.trim_start().len())).unwrap_or("").to_ascii_lowercase();
    ct.contains("rss") || ct.contains("atom") || (ct.contains("xml") && !ct.contains("xhtml"))
        || head.starts_with("<rss") || head.starts_with("<feed") || (head.starts_with("<?xml") && (head.contains("<rss") || head.contains("<feed")))
}

/// Article links of an RSS 2.0 or Atom feed, in feed order.
pub fn feed_links(xml: &str, base: &Url) -> Vec<Url> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut in_item = false;
    let mut in_link = false;
    let mut found_in_item = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name();
                match name.as_ref() {
                    b"item" | b"entry" => {
                        in_item = true;
                        found_in_item = false;
                    }
                    b"link" if in_item => in_link = true,
                    _ => {}
                }
                if name.as_ref() == b"link" && in_item && !found_in_item {
                    if let Some(href) = atom_href(&e) {
                        if let Ok(u) = base.join(&href) {
                            out.push(u);
                            found_in_item = true;
                        }
                    }
                }
            }
            Ok(Event::Empty(e))
                if e.local_name().as_ref() == b"link" && in_item && !found_in_item => {
                    if let Some(href) = atom_href(&e) {
                        if let Ok(u) = base.join(&href) {
                            out.push(u);
                            found_in_item = true;
                        }
                    }
                }
            Ok(Event::Text(t)) if in_link && !found_in_item => {
                let raw = String::from_utf8_lossy(t.as_ref()).trim().to_string();
                if let Ok(u) = base.join(&raw) {
                    out.push(u);
                    found_in_item = true;
                }
            }
            Ok(Event::CData(t)) if in_link && !found_in_item => {
                let raw = String::from_utf8_lossy(t.as_ref()).trim().to_string();
                if let Ok(u) = base.join(&raw) {
                    out.push(u);
                    found_in_item = true;
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                b"item" | b"entry" => in_item = false,
                b"link" => in_link = false,
                _ => {}
            },
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
    }
    out.retain(|u| matches!(u.scheme(), "http" | "https"));
    out
}

fn atom_href(e: &quick_xml::events::BytesStart) -> Option<String> {
    let mut href = None;
    let mut rel_ok = true;
    for a in e.attributes().flatten() {
        match a.key.local_name().as_ref() {
            b"href" => href = Some(String::from_utf8_lossy(&a.value).to_string()),
            b"rel" => rel_ok = a.value.as_ref() == b"alternate",
            _ => {}
        }
    }
    href.filter(|_| rel_ok)
}

fn has_clutter_ancestor(n: &NodeRef) -> bool {
    n.ancestors_it(None).any(|a| {
        let name = a.node_name().map(|x| x.to_ascii_lowercase()).unwrap_or_default();
        if matches!(name.as_str(), "nav" | "header" | "footer" | "aside") {
            return true;
        }
        let cls = format!("{} {}", a.attr("class").unwrap_or_default(), a.attr("id").unwrap_or_default()).to_ascii_lowercase();
        ["menu", "breadcrumb", "pager", "pagination", "paging", "sidebar", "footer", "navbar"].iter().any(|t| cls.contains(t))
    })
}

fn signature(a: &NodeRef) -> String {
    a.ancestors_it(Some(3))
        .map(|n| {
            let mut cls: Vec<String> = n.attr("class").unwrap_or_default().split_whitespace().map(str::to_string).collect();
            cls.sort();
            format!("{}.{}", n.node_name().unwrap_or_default(), cls.join("."))
        })
        .collect::<Vec<_>>()
        .join("<")
}

fn clean_link(base: &Url, href: &str) -> Option<Url> {
    let mut u = base.join(href.trim()).ok()?;
    u.set_fragment(None);
    if !matches!(u.scheme(), "http" | "https") || !same_site(&u, base) {
        return None;
    }
    let path = u.path().to_ascii_lowercase();
    if [".pdf", ".doc", ".docx", ".xls", ".xlsx", ".jpg", ".jpeg", ".png", ".gif", ".zip", ".rar"].iter().any(|e| path.ends_with(e)) {
        return None;
    }
    Some(u)
}

/// Article links and the next page of a list page ("Tin tức – Sự kiện").
pub fn list_links(html: &str, base: &Url, rules: &SiteRules, page_no: usize) -> (Vec<Url>, Option<Url>) {
    let doc = Document::from(html);
    let mut links: Vec<Url> = Vec::new();
    let mut seen = HashSet::new();
    let mut push = |u: Url, links: &mut Vec<Url>| {
        if u.as_str() != base.as_str() && seen.insert(u.to_string()) {
            links.push(u);
        }
    };
    if let Some(css) = &rules.list_links {
        for a in select(&doc, css) {
            if let Some(u) = a.attr("href").and_then(|h| clean_link(base, &h)) {
                push(u, &mut links);
            }
        }
    } else {
        let candidates: Vec<NodeRef> = select(&doc, "a[href]")
            .into_iter()
            .filter(|a| {
                let t = norm(&a.text());
                t.chars().count() >= 20 && t.split_whitespace().count() >= 4 && !has_clutter_ancestor(a)
            })
            .filter(|a| a.attr("href").and_then(|h| clean_link(base, &h)).is_some())
            .collect();
        // the largest group of links laid out alike is the list
        let mut groups: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        for a in &candidates {
            let g = groups.entry(signature(a)).or_insert((0, 0));
            g.0 += 1;
            g.1 += norm(&a.text()).chars().count();
        }
        let best = groups.iter().max_by_key(|(_, (n, len))| (*n, *len)).map(|(s, _)| s.clone());
        let members: Vec<&NodeRef> = candidates.iter().filter(|a| Some(signature(a)) == best).collect();
        // everything inside the list's container (a featured first item laid out differently too)
        let container = members.first().and_then(|first| {
            first.ancestors_it(None).find(|anc| members.iter().all(|m| m.ancestors_it(None).any(|x| x.id == anc.id)))
        });
        for a in &candidates {
            let inside = match &container {
                Some(c) if members.len() > 1 => a.ancestors_it(None).any(|x| x.id == c.id),
                _ => Some(signature(a)) == best,
            };
            if inside {
                if let Some(u) = a.attr("href").and_then(|h| clean_link(base, &h)) {
                    push(u, &mut links);
                }
            }
        }
    }
    (links, next_page(&doc, base, rules, page_no))
}

fn next_page(doc: &Document, base: &Url, rules: &SiteRules, page_no: usize) -> Option<Url> {
    let abs = |h: &str| base.join(h.trim()).ok().filter(|u| u.as_str() != base.as_str() && same_site(u, base));
    if let Some(css) = &rules.next_page {
        return select(doc, css).first().and_then(|a| a.attr("href")).and_then(|h| abs(&h));
    }
    if let Some(u) = select(doc, "a[rel~=next], link[rel~=next]").first().and_then(|a| a.attr("href")).and_then(|h| abs(&h)) {
        return Some(u);
    }
    let anchors = select(doc, "a[href]");
    let want = (page_no + 1).to_string();
    if let Some(u) = anchors.iter().filter(|a| norm(&a.text()) == want).find_map(|a| a.attr("href").and_then(|h| abs(&h))) {
        return Some(u);
    }
    const NEXT: [&str; 10] = ["sau", "trang sau", "tiếp", "tiếp theo", "trang tiếp", "next", "›", "»", ">", ">>"];
    anchors
        .iter()
        .filter(|a| NEXT.contains(&norm(&a.text()).to_lowercase().as_str()))
        .find_map(|a| a.attr("href").and_then(|h| abs(&h)))
}

fn site_title(html: &str) -> Option<String> {
    let doc = Document::from(html);
    select(&doc, "meta[property=\"og:site_name\"]")
        .first()
        .and_then(|m| m.attr("content"))
        .map(|c| norm(&c))
        .or_else(|| select(&doc, "title").first().map(|t| norm(&t.text())))
        .filter(|t| !t.is_empty())
}

pub struct Site<'a> {
    pub fetcher: Fetcher,
    pub config: &'a Config,
    pub opts: SiteOptions,
    pub out: PathBuf,
}

impl Site<'_> {
    /// Article URLs from the start page: a feed, or a list followed over its pages.
    fn discover(&mut self, start: &Url, state: &mut State, sum: &mut Summary) -> (Vec<Url>, Option<String>) {
        let mut articles: Vec<Url> = Vec::new();
        let mut seen = HashSet::new();
        let mut title = None;
        let mut page = Some(start.clone());
        let mut visited = HashSet::new();
        let mut page_no = 1;
        while let Some(url) = page.take() {
            if page_no > self.opts.max_pages || !visited.insert(url.to_string()) || articles.len() >= self.opts.max_articles {
                break;
            }
            let rules = self.config.rules_for(Some(&url));
            let key = url.to_string();
            let prev = state.lists.get(&key).cloned();
            let cond = prev.as_ref().map(|p| Validators { etag: p.etag.clone(), last_modified: p.last_modified.clone() });
            sum.lists += 1;
            let (links, next) = match self.fetcher.get(&url, cond.as_ref()) {
                Ok(Fetched::NotModified { .. }) => {
                    let p = prev.unwrap_or_default();
                    title = title.or(p.title.clone());
                    (p.links.iter().filter_map(|l| Url::parse(l).ok()).collect(), p.next.as_ref().and_then(|n| Url::parse(n).ok()))
                }
                Ok(Fetched::Page { final_url, body, content_type, validators }) => {
                    sum.fetched += 1;
                    let text = decode(&body);
                    let (links, next) = if is_feed(content_type.as_deref(), &text) {
                        (feed_links(&text, &final_url), None)
                    } else {
                        list_links(&text, &final_url, &rules, page_no)
                    };
                    let t = site_title(&text);
                    title = title.or(t.clone());
                    if links.is_empty() {
                        sum.failed.push((key.clone(), "no article links found on the list page".into()));
                    }
                    state.lists.insert(
                        key.clone(),
                        ListState {
                            etag: validators.etag,
                            last_modified: validators.last_modified,
                            links: links.iter().map(Url::to_string).collect(),
                            next: next.as_ref().map(Url::to_string),
                            title: t,
                        },
                    );
                    (links, next)
                }
                Err(FetchError::Robots(u)) => {
                    sum.skipped.push((u, "disallowed by robots.txt".into()));
                    (Vec::new(), None)
                }
                Err(e) => {
                    sum.failed.push((key.clone(), e.to_string()));
                    (Vec::new(), None)
                }
            };
            for l in links {
                if articles.len() < self.opts.max_articles && seen.insert(l.to_string()) {
                    articles.push(l);
                }
            }
            page = next;
            page_no += 1;
        }
        (articles, title)
    }

    fn import_article(&mut self, url: &Url, state: &mut State, sum: &mut Summary) {
        let key = url.to_string();
        let items_dir = self.out.join(ITEMS_DIR);
        let prev = state.pages.get(&key).cloned().unwrap_or_default();
        let have_output = prev.file.as_ref().is_some_and(|f| items_dir.join(f).is_file());
        let cond = have_output.then(|| Validators { etag: prev.etag.clone(), last_modified: prev.last_modified.clone() });
        let fail = |state: &mut State, sum: &mut Summary, why: String| {
            sum.failed.push((key.clone(), why.clone()));
            state.pages.entry(key.clone()).or_default().last_error = Some(why);
        };
        match self.fetcher.get(url, cond.as_ref()) {
            Err(FetchError::Robots(u)) => sum.skipped.push((u, "disallowed by robots.txt".into())),
            Err(e) => fail(state, sum, e.to_string()),
            Ok(Fetched::NotModified { .. }) => {
                sum.unchanged += 1;
                if let Some(p) = state.pages.get_mut(&key) {
                    p.last_error = None;
                }
            }
            Ok(Fetched::Page { final_url, body, validators, .. }) => {
                sum.fetched += 1;
                let hash = sha256_hex(&body);
                if have_output && prev.hash.as_deref() == Some(hash.as_str()) {
                    sum.unchanged += 1;
                    let p = state.pages.entry(key.clone()).or_default();
                    p.etag = validators.etag;
                    p.last_modified = validators.last_modified;
                    p.last_error = None;
                    return;
                }
                let mut rules = self.config.rules_for(Some(&final_url));
                if rules.name.is_none() {
                    rules.name = self.opts.site_name.clone();
                }
                let ex = extract(&decode(&body), Some(&final_url), &rules);
                if let Some(problem) = ex.problem(have_output.then_some(prev.text_len)) {
                    let kept = if have_output { "; previous output kept" } else { "" };
                    fail(state, sum, format!("{problem}{kept}"));
                    return;
                }
                let item = Item::from_extracted(&ex, Some(&final_url), &key);
                let file = prev.file.clone().filter(|_| have_output).unwrap_or_else(|| file_name(&item.id));
                if let Err(e) = write_atomic(&items_dir.join(&file), item.to_json().as_bytes()) {
                    fail(state, sum, e);
                    return;
                }
                if have_output {
                    sum.updated += 1;
                } else {
                    sum.new += 1;
                }
                state.pages.insert(
                    key.clone(),
                    PageState {
                        etag: validators.etag,
                        last_modified: validators.last_modified,
                        hash: Some(hash),
                        file: Some(file),
                        text_len: ex.text_len(),
                        last_error: None,
                    },
                );
            }
        }
    }

    /// Runs the whole import; the summary says what happened.
    pub fn run(&mut self, start: &Url) -> Result<Summary, String> {
        fs::create_dir_all(self.out.join(ITEMS_DIR)).map_err(|e| format!("{}: {e}", self.out.display()))?;
        let mut state = State::load(&self.out)?;
        let mut sum = Summary::default();
        let (articles, title) = self.discover(start, &mut state, &mut sum);
        sum.articles = articles.len();
        let bar = if self.opts.progress {
            ProgressBar::with_draw_target(Some(articles.len() as u64), ProgressDrawTarget::stderr())
        } else {
            ProgressBar::hidden()
        };
        if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed} {wide_msg}") {
            bar.set_style(style);
        }
        for url in &articles {
            bar.set_message(url.to_string());
            self.import_article(url, &mut state, &mut sum);
            bar.inc(1);
        }
        bar.finish_and_clear();
        sum.requests = self.fetcher.requests;
        let feed_title = self.opts.site_name.clone().or(title).unwrap_or_else(|| start.host_str().unwrap_or("").to_string());
        self.write_feed(&state, start, &feed_title)?;
        write_atomic(&self.out.join(STATE_FILE), serde_json::to_string_pretty(&state).unwrap_or_default().as_bytes())?;
        let report = serde_json::to_string_pretty(&sum).unwrap_or_default();
        write_atomic(&self.out.join(REPORT_FILE), report.as_bytes())?;
        Ok(sum)
    }

    /// `feed.json`: the newest items (by date, then id) of everything imported so far.
    fn write_feed(&self, state: &State, start: &Url, title: &str) -> Result<(), String> {
        let items_dir = self.out.join(ITEMS_DIR);
        let mut items: Vec<Item> = state
            .pages
            .values()
            .filter_map(|p| p.file.as_ref())
            .filter_map(|f| fs::read_to_string(items_dir.join(f)).ok())
            .filter_map(|t| serde_json::from_str::<Item>(&t).ok())
            .collect();
        items.sort_by(|a, b| b.date_published.cmp(&a.date_published).then_with(|| a.id.cmp(&b.id)));
        items.dedup_by(|a, b| a.id == b.id);
        items.truncate(self.opts.feed_items);
        let mut home = start.clone();
        home.set_path("/");
        home.set_query(None);
        let feed = Feed {
            version: JSON_FEED_VERSION.into(),
            title: title.to_string(),
            home_page_url: Some(home.to_string()),
            feed_url: None,
            language: "vi".into(),
            items,
        };
        let mut json = serde_json::to_string_pretty(&feed).unwrap_or_default();
        json.push('\n');
        write_atomic(&self.out.join("feed.json"), json.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_links() {
        let base = Url::parse("https://xa.vn/rss").unwrap();
        let rss = r#"<?xml version="1.0"?><rss><channel><link>https://xa.vn/</link><item><title>A</title><link>https://xa.vn/tin/1</link></item><item><link><![CDATA[/tin/2]]></link></item></channel></rss>"#;
        assert_eq!(feed_links(rss, &base).iter().map(Url::as_str).collect::<Vec<_>>(), ["https://xa.vn/tin/1", "https://xa.vn/tin/2"]);
        let atom = r#"<feed xmlns="http://www.w3.org/2005/Atom"><link href="/"/><entry><link rel="alternate" href="/tin/3"/></entry></feed>"#;
        assert_eq!(feed_links(atom, &base).iter().map(Url::as_str).collect::<Vec<_>>(), ["https://xa.vn/tin/3"]);
    }

    #[test]
    fn list_page_links_and_next() {
        let base = Url::parse("https://xa.vn/tin-tuc").unwrap();
        let html = r#"<body><ul class="menu"><li><a href="/gioi-thieu">Giới thiệu chung về xã Tịnh Hà anh hùng</a></li></ul>
        <div class="list"><div class="item hot"><h2><a href="/tin/1">Hội nghị tổng kết công tác năm 2023 của xã</a></h2></div>
        <div class="item"><h3><a href="/tin/2">Ra quân tổng vệ sinh môi trường đón Tết</a></h3></div>
        <div class="item"><h3><a href="/tin/3">Trao quà Tết cho hộ nghèo trên địa bàn xã</a></h3></div>
        <div class="item"><h3><a href="/tin/4">Tập huấn phòng chống thiên tai cho cán bộ thôn</a></h3></div></div>
        <div class="paging"><a href="/tin-tuc?p=1">1</a><a href="/tin-tuc?p=2">2</a></div></body>"#;
        let (links, next) = list_links(html, &base, &SiteRules::default(), 1);
        assert_eq!(links.iter().map(|u| u.path()).collect::<Vec<_>>(), ["/tin/1", "/tin/2", "/tin/3", "/tin/4"]);
        assert_eq!(next.map(|u| u.to_string()).as_deref(), Some("https://xa.vn/tin-tuc?p=2"));
    }
}
