//! One article page → title, date, views, byline and clean body.
//!
//! Order of work: per-site selectors (config) first; then the page's clutter is removed (menus,
//! breadcrumbs, share bars, "Tin liên quan"/"Các tin khác" blocks, print/email links); the title
//! is the heading that best matches the page's `<title>`/`og:title` and sits just above a date
//! line; the date line ("27/12/2023 09:14  98") gives the date and the view count; the body is
//! what readability (dom_smoothie) keeps of the rest, cleaned; its last paragraph is the byline
//! when it reads like one.

use std::collections::{HashMap, HashSet};

use commune_reader_core::datetime::{iso_in_vietnam, parse_datetime, VIETNAM_OFFSET_MINUTES};
use dom_query::{Document, Matcher, NodeId, NodeRef};
use url::Url;

use crate::clean::{clean_children, html_text};
use crate::config::SiteRules;
use crate::rules::{find_date, find_dates, find_views, parse_byline, Byline};

/// What was read from one page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Extracted {
    pub title: String,
    /// RFC 3339, Vietnam time.
    pub date_published: Option<String>,
    pub views: Option<u64>,
    pub authors: Vec<String>,
    /// The publishing agency (byline), else the site's name.
    pub source: Option<String>,
    pub content_html: String,
    /// `<link rel="canonical">`, absolute.
    pub canonical: Option<String>,
    pub language: String,
    /// What the heuristics had to guess or could not find.
    pub notes: Vec<String>,
}

impl Extracted {
    /// Characters of body text (what "much shorter than last time" compares).
    pub fn text_len(&self) -> usize {
        html_text(&self.content_html).chars().count()
    }

    /// Why this extraction must not replace good output, if it must not. `previous_len` is the
    /// body length of the last good extraction of the same page.
    pub fn problem(&self, previous_len: Option<usize>) -> Option<String> {
        let len = self.text_len();
        if self.title.trim().is_empty() {
            return Some("no title found".into());
        }
        if len == 0 {
            return Some("empty body".into());
        }
        if len < 80 {
            return Some(format!("body too short ({len} characters)"));
        }
        if let Some(prev) = previous_len.filter(|p| *p > 0) {
            if len * 2 < prev {
                return Some(format!("body much shorter than last time ({len} characters, was {prev})"));
            }
        }
        None
    }
}

pub(crate) fn select<'a>(doc: &'a Document, css: &str) -> Vec<NodeRef<'a>> {
    match Matcher::new(css) {
        Ok(m) => doc.select_matcher(&m).nodes().to_vec(),
        Err(_) => Vec::new(),
    }
}

pub(crate) fn norm(s: &str) -> String {
    s.split(|c: char| c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Text with a space at every element boundary ("<span>27/12/2023</span><span>98</span>" →
/// "27/12/2023 98"), whitespace collapsed.
pub(crate) fn spaced_text(n: &NodeRef) -> String {
    fn walk(n: &NodeRef, out: &mut String) {
        for c in n.children() {
            if c.is_text() {
                out.push_str(&c.text());
            } else if c.is_element() {
                out.push(' ');
                walk(&c, out);
                out.push(' ');
            }
        }
    }
    let mut s = String::new();
    walk(n, &mut s);
    norm(&s)
}

fn name_of(n: &NodeRef) -> String {
    n.node_name().map(|x| x.to_ascii_lowercase()).unwrap_or_default()
}

/// Words of the class and id attributes: "box-share_top" → ["box", "share", "top", "boxsharetop"].
fn tokens(n: &NodeRef) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["class", "id"] {
        if let Some(v) = n.attr(attr) {
            for part in v.split_whitespace() {
                let p = part.to_ascii_lowercase();
                out.extend(p.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).map(str::to_string));
                out.push(p.chars().filter(char::is_ascii_alphanumeric).collect());
            }
        }
    }
    out
}

fn has_ancestor(n: &NodeRef, names: &[&str]) -> bool {
    n.ancestors_it(None).any(|a| names.contains(&name_of(&a).as_str()))
}

fn link_text_len(n: &NodeRef) -> usize {
    n.find(&["a"]).iter().map(|a| norm(&a.text()).chars().count()).sum()
}

fn text_len(n: &NodeRef) -> usize {
    norm(&n.text()).chars().count()
}

/// Share of the text that is link text.
fn link_density(n: &NodeRef) -> f32 {
    let total = text_len(n);
    if total == 0 {
        return 0.0;
    }
    let links = link_text_len(n).min(total);
    links as f32 / total as f32
}

const CLUTTER_TOKENS: [&str; 44] = [
    "breadcrumb", "breadcrumbs", "breadcrum", "share", "sharing", "social", "addthis", "sharethis",
    "print", "email", "sendmail", "related", "comment", "comments", "menu", "navbar", "navigation",
    "sidebar", "pagination", "pager", "paging", "toolbar", "tags", "rating", "banner", "advert",
    "ads", "fontsize", "tools", "others", "copyright", "search", "login", "weather", "lienquan",
    "tinlienquan", "tinkhac", "cactinkhac", "relatednews", "othernews", "othernew", "facebook",
    "zalo", "socials",
];

/// "Tin liên quan" & co: headings of blocks of other articles.
const RELATED_LABELS: [&str; 22] = [
    "tin liên quan", "các tin liên quan", "bài viết liên quan", "tin bài liên quan", "các tin khác",
    "tin khác", "các bài khác", "bài viết khác", "các bài viết khác", "tin cùng chuyên mục",
    "tin cùng danh mục", "các tin cùng chuyên mục", "tin đã đưa", "các tin đã đưa", "xem thêm",
    "tin mới", "tin mới nhất", "tin mới hơn", "tin cũ hơn", "tin xem nhiều", "tin nổi bật",
    "bình luận",
];

/// Print, e-mail, share and "back" links.
const TOOL_LABELS: [&str; 26] = [
    "in bài", "in bài viết", "bản in", "in trang", "in", "gửi email", "gửi bài", "gửi mail",
    "gửi cho bạn bè", "email", "e-mail", "chia sẻ", "chia sẻ facebook", "facebook", "zalo", "twitter",
    "tweet", "thích", "like", "quay lại", "trở về", "về đầu trang", "lên đầu trang", "đầu trang",
    "lưu bài", "lưu bài viết",
];

fn is_clutter_by_name(n: &NodeRef) -> bool {
    let toks = tokens(n);
    toks.iter().any(|t| CLUTTER_TOKENS.contains(&t.as_str()))
}

/// A container of the article itself, whatever its class says.
fn looks_like_content(n: &NodeRef) -> bool {
    let len = text_len(n);
    len > 1200 && link_density(n) < 0.3
}

fn remove(n: &NodeRef) {
    n.remove_from_parent();
}

/// Removes `n`, then its ancestors that are left with no text and no image.
fn remove_with_empty_parents(n: &NodeRef) {
    let parent = n.parent();
    remove(n);
    let mut cur = parent;
    for _ in 0..3 {
        let Some(p) = cur else { break };
        if matches!(name_of(&p).as_str(), "body" | "html" | "td" | "article" | "main") {
            break;
        }
        let t = norm(&p.text());
        let only_separators = t.chars().all(|c| !c.is_alphanumeric());
        if only_separators && p.find(&["img"]).is_empty() {
            cur = p.parent();
            remove(&p);
        } else {
            break;
        }
    }
}

fn lower_label(s: &str) -> String {
    norm(s).trim_end_matches([':', '»', '›', '>', ' ']).trim_start_matches(['»', '›', '>', '+', ' ']).to_lowercase()
}

fn remove_clutter(doc: &Document) {
    for n in select(doc, "nav, aside, [role=navigation], [role=banner], [role=contentinfo]") {
        if !looks_like_content(&n) {
            remove(&n);
        }
    }
    for n in select(doc, "header, footer") {
        let in_article = has_ancestor(&n, &["article"]);
        if (name_of(&n) == "footer" || !in_article) && !looks_like_content(&n) {
            remove(&n);
        }
    }
    for n in select(doc, "body *") {
        if is_clutter_by_name(&n) && !looks_like_content(&n) && n.parent().is_some() {
            remove(&n);
        }
    }
    // blocks announced by a "Tin liên quan" label
    for n in select(doc, "h2, h3, h4, h5, h6, div, span, p, strong, b, li, td, th, a, legend") {
        if n.parent().is_none() {
            continue;
        }
        let own = lower_label(&n.text());
        if own.chars().count() > 40 || !RELATED_LABELS.contains(&own.as_str()) {
            continue;
        }
        // the largest ancestor that is still a block of links
        let mut block = n;
        let mut cur = n.parent();
        while let Some(p) = cur {
            if matches!(name_of(&p).as_str(), "body" | "html") {
                break;
            }
            let len = text_len(&p);
            let label_len = own.chars().count();
            let rest = len.saturating_sub(label_len);
            let links = link_text_len(&p);
            if len < 3000 && (rest == 0 || links * 2 >= rest) {
                block = p;
                cur = p.parent();
            } else {
                break;
            }
        }
        if block.id == n.id {
            // the label alone: its following link lists go with it
            let mut next = n.next_element_sibling();
            while let Some(s) = next {
                let after = s.next_element_sibling();
                if link_density(&s) >= 0.5 || text_len(&s) == 0 {
                    remove(&s);
                    next = after;
                } else {
                    break;
                }
            }
        }
        remove(&block);
    }
    // breadcrumbs without a class: "Trang chủ » Tin tức - Sự kiện"
    for n in select(doc, "body *") {
        if n.parent().is_none() {
            continue;
        }
        let t = norm(&n.text());
        let lower = t.to_lowercase();
        if (lower.starts_with("trang chủ") || lower.starts_with("bạn đang ở")) && t.chars().count() < 150 && n.find(&["a"]).len() >= 2 && link_density(&n) > 0.6 {
            remove(&n);
        }
    }
    // print / e-mail / share / back links and font-size tools
    for a in select(doc, "a, button, span, div, li, p") {
        if a.parent().is_none() {
            continue;
        }
        let label = lower_label(&a.text());
        let href = a.attr("href").map(|h| h.to_lowercase()).unwrap_or_default();
        let is_a = name_of(&a) == "a";
        let tool = (is_a
            && (TOOL_LABELS.contains(&label.as_str())
                || href.starts_with("javascript:")
                || href.starts_with("mailto:?")
                || href.contains("print")))
            || (label.chars().count() < 30 && (label.starts_with("cỡ chữ") || label.starts_with("chia sẻ") || label == "a+ a-" || label == "a- a+"));
        if tool {
            remove_with_empty_parents(&a);
        }
    }
}

/// `<meta property|name=…>` content.
fn meta(doc: &Document, key: &str) -> Option<String> {
    select(doc, &format!("meta[property=\"{key}\"], meta[name=\"{key}\"], meta[itemprop=\"{key}\"]"))
        .first()
        .and_then(|m| m.attr("content"))
        .map(|c| norm(&c))
        .filter(|c| !c.is_empty())
}

/// An ISO/RFC 3339 date-time (`2023-12-27T02:14:00Z`, `2023-12-27 09:14`) in Vietnam time, to the
/// minute. Read and written by the reader's own date rules (a bare date-time is Vietnam time), so
/// what the importer writes is what the reader shows.
pub fn normalize_iso(s: &str) -> Option<String> {
    let ms = parse_datetime(s, VIETNAM_OFFSET_MINUTES)?;
    Some(iso_in_vietnam(ms - ms.rem_euclid(60_000)))
}

struct DateNode<'a> {
    node: NodeRef<'a>,
    order: usize,
    has_time: bool,
}

/// Elements whose short text holds a date, innermost only, in document order.
fn date_nodes<'a>(doc: &'a Document, order: &HashMap<NodeId, usize>) -> Vec<DateNode<'a>> {
    let mut found = Vec::new();
    for n in select(doc, "body *") {
        let t = spaced_text(&n);
        if t.chars().count() > 200 || t.is_empty() {
            continue;
        }
        if let Some(m) = find_date(&t) {
            found.push((n, m.has_time));
        }
    }
    let ids: HashSet<NodeId> = found.iter().map(|(n, _)| n.id).collect();
    let mut not_minimal = HashSet::new();
    for (n, _) in &found {
        for a in n.ancestors_it(None) {
            if ids.contains(&a.id) {
                not_minimal.insert(a.id);
            }
        }
    }
    let mut out: Vec<DateNode> = found
        .into_iter()
        .filter(|(n, _)| !not_minimal.contains(&n.id))
        .map(|(node, has_time)| DateNode { order: order.get(&node.id).copied().unwrap_or(usize::MAX), node, has_time })
        .collect();
    out.sort_by_key(|d| d.order);
    out
}

/// The date line's container: the largest ancestor that is still a short line with one date.
fn meta_line<'a>(date: &NodeRef<'a>, title: Option<&NodeRef<'a>>) -> NodeRef<'a> {
    let mut best = *date;
    let mut cur = date.parent();
    while let Some(p) = cur {
        if matches!(name_of(&p).as_str(), "body" | "html" | "article" | "main" | "td") {
            break;
        }
        if let Some(t) = title {
            if p.id == t.id || t.ancestors_it(None).any(|a| a.id == p.id) {
                break;
            }
        }
        let text = spaced_text(&p);
        if text.chars().count() > 220 || find_dates(&text).len() != 1 || !p.find(&["p"]).is_empty() && text.chars().count() > 120 {
            break;
        }
        best = p;
        cur = p.parent();
    }
    best
}

fn views_in(n: &NodeRef) -> Option<u64> {
    let t = spaced_text(n);
    let d = find_date(&t).map(|m| (m.start, m.end));
    find_views(&t, d)
}

const VIEW_TOKENS: [&str; 10] = ["view", "views", "luotxem", "viewcount", "hits", "hit", "counter", "luotdoc", "soluotxem", "pageview"];
const TITLE_TOKENS: [&str; 12] = [
    "title", "tieude", "tieudetin", "headline", "newstitle", "articletitle", "posttitle", "entrytitle",
    "tentin", "titlenews", "detailtitle", "titledetail",
];

fn title_score(n: &NodeRef, text: &str, page_title: &str, og_title: &str, dates: &[DateNode], order: usize, page_url: Option<&Url>) -> i32 {
    let len = text.chars().count();
    if !(10..=400).contains(&len) {
        return i32::MIN;
    }
    let mut score = match name_of(n).as_str() {
        "h1" => 3,
        "h2" => 2,
        "h3" | "h4" => 1,
        _ => 0,
    };
    if tokens(n).iter().any(|t| TITLE_TOKENS.contains(&t.as_str())) {
        score += 2;
    }
    let lt = text.to_lowercase();
    if len >= 15 && (!og_title.is_empty() && og_title.to_lowercase() == lt) {
        score += 6;
    } else if len >= 15 && page_title.to_lowercase().contains(&lt) {
        score += 5;
    }
    // a date line just below
    if let Some(d) = dates.iter().find(|d| d.order > order && !d.node.ancestors_it(None).any(|a| a.id == n.id)) {
        let dist = d.order - order;
        if d.has_time && dist <= 30 {
            score += 4;
        } else if dist <= 12 {
            score += 2;
        }
    }
    // a link to another page: an item of a list, not this article's title
    let links = n.find(&["a"]);
    let link_to_other = |a: &NodeRef| {
        let href = a.attr("href").unwrap_or_default();
        let target = page_url.and_then(|u| u.join(&href).ok());
        target.as_ref().map(Url::as_str) != page_url.map(Url::as_str)
    };
    let in_link = n.ancestors_it(None).find(|a| name_of(a) == "a");
    if in_link.as_ref().is_some_and(link_to_other) || links.iter().any(|a| norm(&a.text()).len() * 2 > text.len() && link_to_other(a)) {
        score -= 6;
    }
    if len < 20 {
        score -= 2;
    }
    score
}

/// Reads one article page.
pub fn extract(html: &str, page_url: Option<&Url>, rules: &SiteRules) -> Extracted {
    let doc = Document::from(html);
    let mut ex = Extracted { language: "vi".into(), ..Default::default() };

    // What the page says about itself, before anything is removed.
    let og_title = meta(&doc, "og:title").unwrap_or_default();
    let page_title = select(&doc, "title").first().map(|t| norm(&t.text())).unwrap_or_default();
    let site_name = meta(&doc, "og:site_name");
    let meta_published = meta(&doc, "article:published_time")
        .or_else(|| meta(&doc, "datePublished"))
        .or_else(|| meta(&doc, "pubdate"))
        .and_then(|d| normalize_iso(&d));
    ex.canonical = select(&doc, "link[rel=canonical]")
        .first()
        .and_then(|l| l.attr("href"))
        .and_then(|h| match page_url {
            Some(b) => b.join(&h).ok(),
            None => Url::parse(&h).ok(),
        })
        .filter(|u| matches!(u.scheme(), "http" | "https"))
        .map(|u| u.to_string());
    if let Some(lang) = select(&doc, "html").first().and_then(|h| h.attr("lang")) {
        let l = lang.trim().to_string();
        if !l.is_empty() && !l.to_lowercase().starts_with("vi") && l.len() <= 35 {
            ex.language = l;
        }
    }

    for n in select(&doc, "script, style, noscript, template, iframe, object, embed, svg, link, input, select, textarea, button") {
        remove(&n);
    }
    for css in &rules.remove {
        for n in select(&doc, css) {
            remove(&n);
        }
    }

    // Per-site selectors.
    let mut byline = Byline::default();
    let mut title_node: Option<NodeRef> = None;
    let mut meta_node: Option<NodeRef> = None;
    if let Some(css) = &rules.title {
        if let Some(n) = select(&doc, css).into_iter().next() {
            ex.title = norm(&n.text());
            title_node = Some(n);
        } else {
            ex.notes.push(format!("config title selector {css:?} matched nothing"));
        }
    }
    if let Some(css) = &rules.date {
        if let Some(n) = select(&doc, css).into_iter().next() {
            let t = spaced_text(&n);
            ex.date_published = datetime_attr(&n).or_else(|| find_date(&t).map(|m| m.value.to_rfc3339()));
            if ex.views.is_none() {
                ex.views = views_in(&n);
            }
            meta_node = Some(n);
        }
    }
    let mut views_node = None;
    if let Some(css) = &rules.views {
        if let Some(n) = select(&doc, css).into_iter().next() {
            let t = spaced_text(&n);
            ex.views = find_views(&t, None).or_else(|| {
                let digits: String = t.chars().filter(char::is_ascii_digit).collect();
                digits.parse().ok()
            });
            views_node = Some(n);
        }
    }
    if let Some(css) = &rules.author {
        for n in select(&doc, css).into_iter().take(1) {
            let t = norm(&n.text());
            byline = parse_byline(&t).unwrap_or(Byline { authors: vec![t], source: None });
            remove(&n);
        }
    }
    if let Some(n) = views_node {
        remove(&n);
    }

    remove_clutter(&doc);

    let order: HashMap<NodeId, usize> = doc
        .root()
        .descendants_it()
        .filter(|n| n.is_element())
        .enumerate()
        .map(|(i, n)| (n.id, i))
        .collect();
    let dates = date_nodes(&doc, &order);

    // Title.
    if title_node.is_none() {
        let mut best: Option<(i32, NodeRef)> = None;
        for n in select(&doc, "body *") {
            let name = name_of(&n);
            let heading = matches!(name.as_str(), "h1" | "h2" | "h3" | "h4");
            let textual = matches!(name.as_str(), "div" | "span" | "p" | "strong" | "b" | "td" | "a" | "h5" | "font");
            let titled = textual && tokens(&n).iter().any(|t| TITLE_TOKENS.contains(&t.as_str()));
            let text = norm(&n.text());
            // an element whose whole text is the page's <title> (or a part of it)
            let named = textual
                && (15..=300).contains(&text.chars().count())
                && (page_title.to_lowercase().contains(&text.to_lowercase()) || og_title.eq_ignore_ascii_case(&text))
                && n.element_children().iter().all(|c| !matches!(name_of(c).as_str(), "p" | "div" | "table" | "ul"));
            if !heading && !titled && !named {
                continue;
            }
            let o = order.get(&n.id).copied().unwrap_or(usize::MAX);
            let s = title_score(&n, &text, &page_title, &og_title, &dates, o, page_url);
            if s > i32::MIN && best.as_ref().is_none_or(|(bs, _)| s > *bs) {
                best = Some((s, n));
            }
        }
        if let Some((_, n)) = best {
            ex.title = norm(&n.text());
            title_node = Some(n);
        }
    }
    if ex.title.is_empty() {
        ex.title = if !og_title.is_empty() { og_title.clone() } else { title_from_page_title(&page_title) };
        ex.notes.push("title from <title>/og:title".into());
    }

    // Date line: the first date after the title (with a time, within 30 elements; a bare date
    // within 12), else one just above it.
    if meta_node.is_none() {
        let t_order = title_node.as_ref().and_then(|t| order.get(&t.id).copied());
        let pick = match t_order {
            Some(to) => {
                let inside_title = |d: &DateNode| title_node.as_ref().is_some_and(|t| d.node.ancestors_it(None).any(|a| a.id == t.id));
                dates
                    .iter()
                    .filter(|d| !inside_title(d))
                    .find(|d| d.order > to && (d.has_time && d.order - to <= 30 || d.order - to <= 12))
                    .or_else(|| dates.iter().rev().find(|d| d.order < to && to - d.order <= 6))
            }
            None => dates.iter().find(|d| d.has_time),
        };
        if let Some(d) = pick {
            let line = meta_line(&d.node, title_node.as_ref());
            let t = spaced_text(&line);
            ex.date_published = datetime_attr(&line).or_else(|| find_date(&t).map(|m| m.value.to_rfc3339()));
            if ex.views.is_none() {
                ex.views = views_in(&line);
            }
            if ex.views.is_none() {
                // "the view count beside it": a sibling of the date line
                let mut sib = line.next_element_sibling();
                for _ in 0..2 {
                    let Some(s) = sib else { break };
                    let t = spaced_text(&s);
                    if !t.is_empty() && t.chars().count() <= 40 && find_date(&t).is_none() {
                        let lone = t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ' | '(' | ')'));
                        let v = find_views(&t, None).or_else(|| lone.then(|| t.chars().filter(char::is_ascii_digit).collect::<String>().parse().ok()).flatten());
                        if v.is_some() {
                            ex.views = v;
                            remove(&s);
                            break;
                        }
                    }
                    sib = s.next_element_sibling();
                }
            }
            meta_node = Some(line);
        }
    }
    if ex.date_published.is_none() {
        ex.date_published = meta_published.clone();
        if ex.date_published.is_none() {
            ex.notes.push("no date found".into());
        }
    }
    // Views printed elsewhere: an element named like a counter, or "Lượt xem: N" anywhere short.
    if ex.views.is_none() {
        for n in select(&doc, "body *") {
            let t = spaced_text(&n);
            if t.is_empty() || t.chars().count() > 60 {
                continue;
            }
            let named = tokens(&n).iter().any(|t| VIEW_TOKENS.contains(&t.as_str()));
            let labelled = t.to_lowercase().contains("lượt xem") || t.to_lowercase().contains("lượt đọc");
            if named || labelled {
                let v = find_views(&t, None).or_else(|| {
                    if named && t.chars().all(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ' ')) {
                        t.chars().filter(char::is_ascii_digit).collect::<String>().parse().ok()
                    } else {
                        None
                    }
                });
                if v.is_some() {
                    ex.views = v;
                    remove(&n);
                    break;
                }
            }
        }
    }

    // A dedicated author element after the title.
    if byline.authors.is_empty() && byline.source.is_none() {
        let t_order = title_node.as_ref().and_then(|t| order.get(&t.id).copied()).unwrap_or(0);
        for n in select(&doc, "body *") {
            let toks = tokens(&n);
            let authorish = toks.iter().any(|t| matches!(t.as_str(), "author" | "tacgia" | "byline" | "nguon" | "newsauthor" | "postauthor" | "tac"));
            if !authorish || order.get(&n.id).copied().unwrap_or(0) < t_order {
                continue;
            }
            let t = norm(&n.text());
            let t = t
                .trim_start_matches("Tác giả:")
                .trim_start_matches("Tác giả")
                .trim_start_matches("Người viết:")
                .trim()
                .to_string();
            if t.is_empty() || matches!(t.to_lowercase().as_str(), "admin" | "administrator" | "quản trị" | "quản trị viên") {
                continue;
            }
            if let Some(b) = parse_byline(&t) {
                byline = b;
                remove(&n);
                break;
            }
        }
    }

    if let Some(t) = &title_node {
        if text_len(t) < 500 {
            remove(t);
        }
    }
    if let Some(m) = &meta_node {
        if text_len(m) < 300 {
            remove_with_empty_parents(m);
        }
    }

    // Body.
    let mut body = String::new();
    if let Some(css) = &rules.body {
        if let Some(n) = select(&doc, css).into_iter().next() {
            body = clean_children(&n, page_url);
        } else {
            ex.notes.push(format!("config body selector {css:?} matched nothing"));
        }
    }
    if body.is_empty() {
        body = readable_body(&doc, page_url);
    }

    // Byline: the last paragraph(s).
    let mut blocks = split_blocks(&body);
    // separators left over from removed meta lines ("-", "|")
    blocks.retain(|b| b.contains("<img") || html_text(b).chars().any(char::is_alphanumeric));
    drop_leading_title(&mut blocks, &ex.title);
    for _ in 0..2 {
        let Some(last) = blocks.last().cloned() else { break };
        let text = html_text(&last);
        if let Some(b) = parse_byline(&text) {
            merge_byline(&mut byline, b);
            blocks.pop();
            continue;
        }
        // "…./.<br>Thúy Yến" in one paragraph
        if let Some(pos) = last.rfind("<br>") {
            if last.starts_with("<p>") && last.ends_with("</p>") {
                let tail = last.get(pos + 4..last.len() - 4).unwrap_or("");
                if let Some(b) = parse_byline(&html_text(tail)) {
                    merge_byline(&mut byline, b);
                    let head = last.get(..pos).unwrap_or("");
                    if let Some(l) = blocks.last_mut() {
                        *l = format!("{head}</p>");
                    }
                }
            }
        }
        break;
    }
    ex.content_html = blocks.concat();
    ex.authors = byline.authors;
    ex.source = byline.source.or_else(|| rules.name.clone()).or(site_name);
    ex
}

fn merge_byline(into: &mut Byline, b: Byline) {
    if into.authors.is_empty() {
        into.authors = b.authors;
    }
    if into.source.is_none() {
        into.source = b.source;
    }
}

/// `<time datetime>` inside (or being) the node.
fn datetime_attr(n: &NodeRef) -> Option<String> {
    let mut nodes = vec![*n];
    nodes.extend(n.find(&["time"]));
    nodes.iter().find_map(|t| t.attr("datetime")).and_then(|d| normalize_iso(&d)).filter(|d| !d.ends_with("T00:00:00+07:00") || {
        // a bare date in the attribute: the text may hold the time
        find_date(&spaced_text(n)).is_none_or(|m| !m.has_time)
    })
}

/// "Tiêu đề bài - Cổng TTĐT xã" → the longest part.
fn title_from_page_title(t: &str) -> String {
    let mut parts = vec![t.to_string()];
    for sep in [" | ", " - ", " – ", " :: ", " > ", " » ", " / "] {
        parts = parts.iter().flat_map(|p| p.split(sep).map(str::to_string).collect::<Vec<_>>()).collect();
    }
    parts.into_iter().max_by_key(|p| p.chars().count()).unwrap_or_default().trim().to_string()
}

/// Top-level elements of clean HTML (as the cleaner writes it).
pub fn split_blocks(html: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut depth: i32 = 0;
    let mut start = 0;
    let mut i = 0;
    let b = html.as_bytes();
    while i < b.len() {
        if b.get(i) == Some(&b'<') {
            let end = html.get(i..).and_then(|r| r.find('>')).map_or(b.len(), |e| i + e + 1);
            let tag = html.get(i..end).unwrap_or("");
            let closing = tag.starts_with("</");
            let void = tag.starts_with("<br") || tag.starts_with("<img") || tag.starts_with("<hr");
            if closing {
                depth -= 1;
                if depth <= 0 {
                    blocks.push(html.get(start..end).unwrap_or("").to_string());
                    start = end;
                    depth = 0;
                }
            } else if !void {
                depth += 1;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    if start < html.len() {
        let rest = html.get(start..).unwrap_or("").trim();
        if !rest.is_empty() {
            blocks.push(rest.to_string());
        }
    }
    blocks
}

fn drop_leading_title(blocks: &mut Vec<String>, title: &str) {
    let t = norm(title).to_lowercase();
    while let Some(first) = blocks.first() {
        let ft = norm(&html_text(first)).to_lowercase();
        if !t.is_empty() && ft == t {
            blocks.remove(0);
        } else {
            break;
        }
    }
}

/// Body by readability, checked against the plain "most paragraph text" container.
fn readable_body(doc: &Document, page_url: Option<&Url>) -> String {
    let fallback = densest_container(doc).map(|n| clean_children(&n, page_url)).unwrap_or_default();
    let cfg = dom_smoothie::Config { char_threshold: 200, max_elements_to_parse: 0, ..Default::default() };
    let url = page_url.map(Url::as_str);
    let readable = dom_smoothie::Readability::new(doc.html().to_string(), url, Some(cfg))
        .ok()
        .and_then(|mut r| r.parse().ok())
        .map(|a| {
            let frag = Document::fragment(a.content.to_string());
            let root = frag.root();
            clean_children(&root, page_url)
        })
        .unwrap_or_default();
    let rl = html_text(&readable).chars().count();
    let fl = html_text(&fallback).chars().count();
    if rl * 10 >= fl * 6 {
        readable
    } else {
        fallback
    }
}

/// The element whose direct paragraphs hold the most text (old table layouts: a `td`).
fn densest_container<'a>(doc: &'a Document) -> Option<NodeRef<'a>> {
    let mut score: HashMap<NodeId, (usize, NodeRef<'a>)> = HashMap::new();
    for p in select(doc, "body p, body br") {
        let Some(parent) = p.parent() else { continue };
        let len = if name_of(&p) == "p" { text_len(&p) } else { 40 };
        score.entry(parent.id).or_insert((0, parent)).0 += len;
    }
    score.into_values().max_by_key(|(s, _)| *s).map(|(_, n)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_dates_in_vietnam_time() {
        assert_eq!(normalize_iso("2023-12-27T02:14:00Z").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(normalize_iso("2023-12-31T20:00:00+00:00").as_deref(), Some("2024-01-01T03:00:00+07:00"));
        assert_eq!(normalize_iso("2023-12-27 09:14").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(normalize_iso("2023-12-27T09:14:00.000+07:00").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(normalize_iso("hôm qua"), None);
    }

    #[test]
    fn blocks() {
        assert_eq!(split_blocks("<p>a<br>b</p><ul><li>x</li><li>y</li></ul><p>c</p>"), vec!["<p>a<br>b</p>", "<ul><li>x</li><li>y</li></ul>", "<p>c</p>"]);
    }

    #[test]
    fn minimal_page() {
        let html = r#"<html><head><title>Hội nghị trực báo quý IV - UBND xã</title></head><body>
        <div class="header"><h1>CỔNG THÔNG TIN ĐIỆN TỬ XÃ TỊNH HÀ</h1><span>Thứ Năm, 28/12/2023</span></div>
        <ul class="breadcrumb"><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li></ul>
        <div class="detail"><h2 class="title">Hội nghị trực báo quý IV</h2>
        <div class="info"><span>27/12/2023 09:14</span> <span>Lượt xem: 1.234</span></div>
        <p>Sáng ngày 26/12/2023, UBND xã tổ chức hội nghị trực báo quý IV năm 2023 với sự tham dự của lãnh đạo các ban ngành, đoàn thể và trưởng các thôn trên địa bàn xã.</p>
        <p>Hội nghị đã đánh giá kết quả thực hiện nhiệm vụ năm 2023 và triển khai phương hướng nhiệm vụ năm 2024.</p>
        <p>Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ</p>
        <div class="share"><a href="javascript:print()">In bài</a> <a href="mailto:?subject=x">Gửi email</a></div>
        <div class="related"><h3>Tin liên quan</h3><ul><li><a href="/tin/2">Tin khác về hội nghị tổng kết năm</a></li></ul></div>
        </div></body></html>"#;
        let ex = extract(html, Url::parse("https://tinhha.gov.vn/tin/1").ok().as_ref(), &SiteRules::default());
        assert_eq!(ex.title, "Hội nghị trực báo quý IV");
        assert_eq!(ex.date_published.as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(ex.views, Some(1234));
        assert_eq!(ex.authors, vec!["Thúy Yến".to_string()]);
        assert_eq!(ex.source.as_deref(), Some("Trung tâm TT-VH-TT thị xã Đức Phổ"));
        assert!(ex.content_html.starts_with("<p>Sáng ngày 26/12/2023"), "{}", ex.content_html);
        assert!(ex.content_html.ends_with("năm 2024.</p>"), "{}", ex.content_html);
    }

    #[test]
    fn site_selectors_override_heuristics() {
        // a layout that defeats the heuristics: the title is a plain div, the date has no time
        // and the views sit far away, in an element named like nothing
        let html = r#"<html><head><title>Cổng TTĐT</title></head><body>
        <div class="x1">Kế hoạch thu gom rác thải sinh hoạt năm 2025</div>
        <div class="x2">Đăng ngày 03/03/2025</div>
        <div class="x3"><p>UBND xã ban hành kế hoạch thu gom, vận chuyển rác thải sinh hoạt trên địa bàn xã năm 2025, bảo đảm vệ sinh môi trường.</p><p>Các thôn bố trí điểm tập kết rác, thu gom vào thứ Hai, thứ Tư và thứ Sáu hằng tuần.</p></div>
        <div class="x9"><span>Quảng cáo</span></div><div class="x4">số người đã đọc 77</div><div class="x5">Nhóm phóng viên</div></body></html>"#;
        let rules = crate::config::Config::parse(
            r#"[[site]]
            title = ".x1"
            date = ".x2"
            views = ".x4"
            body = ".x3"
            author = ".x5"
            remove = [".x9"]"#,
        )
        .unwrap()
        .rules_for(None);
        let ex = extract(html, None, &rules);
        assert_eq!(ex.title, "Kế hoạch thu gom rác thải sinh hoạt năm 2025");
        assert_eq!(ex.date_published.as_deref(), Some("2025-03-03T00:00:00+07:00"));
        assert_eq!(ex.views, Some(77));
        assert_eq!(ex.authors, vec!["Nhóm phóng viên".to_string()]);
        assert!(ex.content_html.starts_with("<p>UBND xã ban hành") && ex.content_html.ends_with("hằng tuần.</p>"), "{}", ex.content_html);
    }
}
