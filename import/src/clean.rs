//! Clean HTML for `content_html`: the tags the reader's sanitiser keeps, absolute http(s) links
//! and images, no classes, styles, scripts or layout wrappers.

use dom_query::NodeRef;
use url::Url;

/// Tags kept as they are (after renaming `b` → `strong`, `i` → `em`, `h1` → `h2`).
const KEEP: [&str; 29] = [
    "p", "br", "h2", "h3", "h4", "h5", "h6", "strong", "em", "a", "ul", "ol", "li", "blockquote",
    "figure", "figcaption", "img", "table", "thead", "tbody", "tfoot", "tr", "td", "th", "caption",
    "pre", "code", "sub", "sup",
];
/// Dropped with everything inside.
const DROP: [&str; 17] = [
    "script", "style", "noscript", "iframe", "object", "embed", "form", "input", "button", "select",
    "textarea", "svg", "canvas", "template", "nav", "video", "audio",
];
/// Block wrappers: their content is kept; loose text inside them becomes a paragraph.
const BLOCKS: [&str; 9] = ["div", "section", "article", "main", "header", "footer", "center", "aside", "dl"];
const VOID: [&str; 2] = ["br", "img"];

pub fn escape_text(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

fn escape_attr(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            _ => out.push(c),
        }
    }
}

/// An absolute URL for a link or an image, if it has an allowed scheme.
fn absolute(raw: &str, base: Option<&Url>, schemes: &[&str]) -> Option<String> {
    let raw = raw.trim();
    if raw.is_empty() || raw.starts_with('#') {
        return None;
    }
    let u = match base {
        Some(b) => b.join(raw).ok()?,
        None => Url::parse(raw).ok()?,
    };
    schemes.contains(&u.scheme()).then(|| u.to_string())
}

/// Serialises the children of `node` as clean HTML.
pub struct Cleaner<'u> {
    pub base: Option<&'u Url>,
    out: String,
    /// Text of the paragraph being built from loose inline content inside a block wrapper.
    open_p: bool,
}

fn is_ws(c: char) -> bool {
    c.is_whitespace() || c == '\u{a0}' || c == '\u{200b}'
}

fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        if is_ws(c) {
            space = true;
        } else {
            if space {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

impl<'u> Cleaner<'u> {
    pub fn new(base: Option<&'u Url>) -> Self {
        Cleaner { base, out: String::new(), open_p: false }
    }

    pub fn finish(mut self) -> String {
        self.close_p();
        tidy(&self.out)
    }

    fn close_p(&mut self) {
        if self.open_p {
            self.out.push_str("</p>");
            self.open_p = false;
        }
    }

    /// Block-level content: loose text and inline elements are gathered into paragraphs.
    pub fn blocks(&mut self, node: &NodeRef) {
        for child in node.children() {
            if child.is_text() {
                let t = child.text();
                if t.chars().all(is_ws) {
                    if self.open_p {
                        self.out.push(' ');
                    }
                    continue;
                }
                if !self.open_p {
                    self.out.push_str("<p>");
                    self.open_p = true;
                }
                escape_text(&collapse(&t), &mut self.out);
                continue;
            }
            if !child.is_element() {
                continue;
            }
            let name = child.node_name().map(|n| n.to_lowercase()).unwrap_or_default();
            let name = name.as_str();
            if DROP.contains(&name) {
                continue;
            }
            if BLOCKS.contains(&name) || is_block(name) || !is_inline(name) {
                self.close_p();
                if !is_block(name) {
                    self.blocks(&child);
                    self.close_p();
                } else {
                    self.element(&child, name);
                }
            } else if name == "br" {
                // two <br> in a row end a paragraph (old CMS bodies are text separated by <br><br>)
                if self.open_p && child.next_sibling().is_some_and(|n| next_is_br(&n)) {
                    self.close_p();
                } else if self.open_p {
                    self.out.push_str("<br>");
                }
            } else {
                if !self.open_p {
                    if inline_is_empty(&child) {
                        continue;
                    }
                    self.out.push_str("<p>");
                    self.open_p = true;
                }
                self.element(&child, name);
            }
        }
    }

    /// Inline content of a kept element.
    fn inline(&mut self, node: &NodeRef) {
        for child in node.children() {
            if child.is_text() {
                escape_text(&collapse(&child.text()), &mut self.out);
            } else if child.is_element() {
                let name = child.node_name().map(|n| n.to_lowercase()).unwrap_or_default();
                if DROP.contains(&name.as_str()) {
                    continue;
                }
                if BLOCKS.contains(&name.as_str()) || (is_block(&name) && !matches!(name.as_str(), "ul" | "ol" | "table")) {
                    // a block inside a paragraph or list item: keep its inline content
                    self.inline(&child);
                    self.out.push(' ');
                } else {
                    self.element(&child, &name);
                }
            }
        }
    }

    fn element(&mut self, node: &NodeRef, name: &str) {
        let tag = match name {
            "b" => "strong",
            "i" => "em",
            "h1" => "h2",
            "dt" => "p",
            "dd" => "p",
            n if KEEP.contains(&n) => n,
            _ => "",
        };
        if tag.is_empty() {
            // unknown inline wrapper (span, font, u, small…): keep the content
            self.inline(node);
            return;
        }
        match tag {
            "img" => {
                let src = node
                    .attr("src")
                    .or_else(|| node.attr("data-src"))
                    .and_then(|s| absolute(&s, self.base, &["http", "https"]));
                if let Some(src) = src {
                    self.out.push_str("<img src=\"");
                    escape_attr(&src, &mut self.out);
                    self.out.push_str("\" alt=\"");
                    escape_attr(node.attr("alt").as_deref().unwrap_or("").trim(), &mut self.out);
                    self.out.push_str("\">");
                }
                return;
            }
            "br" => {
                self.out.push_str("<br>");
                return;
            }
            "a" => {
                let href = node
                    .attr("href")
                    .and_then(|h| absolute(&h, self.base, &["http", "https", "mailto", "tel"]));
                match href {
                    Some(h) => {
                        self.out.push_str("<a href=\"");
                        escape_attr(&h, &mut self.out);
                        self.out.push_str("\">");
                        self.inline(node);
                        self.out.push_str("</a>");
                    }
                    None => self.inline(node),
                }
                return;
            }
            _ => {}
        }
        self.out.push('<');
        self.out.push_str(tag);
        if matches!(tag, "td" | "th") {
            for attr in ["colspan", "rowspan"] {
                if let Some(v) = node.attr(attr).filter(|v| v.chars().all(|c| c.is_ascii_digit()) && !v.is_empty()) {
                    self.out.push_str(&format!(" {attr}=\"{v}\""));
                }
            }
        }
        self.out.push('>');
        match tag {
            "ul" | "ol" | "table" | "thead" | "tbody" | "tfoot" | "tr" => {
                for child in node.children().iter().filter(|c| c.is_element()) {
                    let n = child.node_name().map(|n| n.to_lowercase()).unwrap_or_default();
                    if !DROP.contains(&n.as_str()) {
                        self.element(child, &n);
                    }
                }
            }
            "blockquote" | "figure" | "li" | "td" | "th" => {
                let saved = std::mem::take(&mut self.out);
                let saved_p = self.open_p;
                self.open_p = false;
                let has_blocks = node.children().iter().any(|c| {
                    c.node_name().is_some_and(|n| is_block(&n.to_lowercase()) || BLOCKS.contains(&n.to_lowercase().as_str()))
                });
                if has_blocks && tag != "li" && tag != "td" && tag != "th" {
                    self.blocks(node);
                    self.close_p();
                } else {
                    self.inline(node);
                }
                let inner = std::mem::replace(&mut self.out, saved);
                self.open_p = saved_p;
                self.out.push_str(&inner);
            }
            "pre" => escape_text(&node.text(), &mut self.out),
            _ => self.inline(node),
        }
        if !VOID.contains(&tag) {
            self.out.push_str("</");
            self.out.push_str(tag);
            self.out.push('>');
        }
    }
}

fn next_is_br(n: &NodeRef) -> bool {
    let mut cur = Some(*n);
    while let Some(c) = cur {
        if c.is_text() && c.text().chars().all(is_ws) {
            cur = c.next_sibling();
            continue;
        }
        return c.node_name().is_some_and(|x| x.eq_ignore_ascii_case("br"));
    }
    false
}

fn inline_is_empty(n: &NodeRef) -> bool {
    n.text().chars().all(is_ws) && !n.is("img") && n.find(&["img"]).is_empty()
}

fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "a" | "span" | "strong" | "b" | "em" | "i" | "u" | "font" | "small" | "big" | "sub" | "sup" | "code"
            | "img" | "br" | "label" | "abbr" | "time" | "cite" | "q" | "mark" | "s" | "strike" | "del" | "ins"
            | "kbd" | "var" | "tt" | "acronym" | "bdi" | "bdo" | "wbr" | "picture" | "source"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "li" | "blockquote" | "figure"
            | "table" | "pre" | "dd" | "dt" | "figcaption" | "hr" | "address"
    )
}

/// Removes empty elements and the spaces at the edges of blocks.
fn tidy(html: &str) -> String {
    let mut s = html.to_string();
    for tag in ["p", "li", "h2", "h3", "h4", "h5", "h6", "strong", "em", "blockquote", "figcaption"] {
        let open = format!("<{tag}>");
        let close = format!("</{tag}>");
        // spaces just inside the tags
        loop {
            let before = s.len();
            s = s.replace(&format!("{open} "), &open).replace(&format!(" {close}"), &close);
            s = s.replace(&format!("{open}<br>"), &open).replace(&format!("<br>{close}"), &close);
            s = s.replace(&format!("{open}{close}"), "");
            if s.len() == before {
                break;
            }
        }
    }
    let mut out = s.trim().to_string();
    loop {
        let before = out.len();
        out = out.replace("</p> <p>", "</p><p>").replace("> <p>", "><p>").replace("</p> <", "</p><");
        if out.len() == before {
            break;
        }
    }
    out
}

/// The visible text of clean HTML, one line per block, spaces collapsed: what the quality test
/// compares and what "body much shorter than last time" measures.
pub fn html_text(html: &str) -> String {
    let doc = dom_query::Document::fragment(html.to_string());
    let mut lines = Vec::new();
    let mut cur = String::new();
    fn walk(n: &NodeRef, lines: &mut Vec<String>, cur: &mut String) {
        for c in n.children() {
            if c.is_text() {
                cur.push_str(&c.text());
            } else if c.is_element() {
                let name = c.node_name().map(|x| x.to_lowercase()).unwrap_or_default();
                let block = is_block(&name) || name == "br" || name == "tr" || name == "div";
                if block && !cur.trim().is_empty() {
                    lines.push(collapse(cur).trim().to_string());
                    cur.clear();
                }
                walk(&c, lines, cur);
                if block && !cur.trim().is_empty() {
                    lines.push(collapse(cur).trim().to_string());
                    cur.clear();
                }
            }
        }
    }
    walk(&doc.root(), &mut lines, &mut cur);
    if !cur.trim().is_empty() {
        lines.push(collapse(&cur).trim().to_string());
    }
    lines.join("\n")
}

/// Clean HTML for the children of `node`.
pub fn clean_children(node: &NodeRef, base: Option<&Url>) -> String {
    let mut c = Cleaner::new(base);
    c.blocks(node);
    c.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clean(html: &str) -> String {
        let doc = dom_query::Document::from(html);
        let body = doc.select("body");
        let node = body.nodes().first().cloned().unwrap();
        clean_children(&node, Url::parse("https://xa.gov.vn/tin/1").ok().as_ref())
    }

    #[test]
    fn keeps_structure_drops_clutter() {
        assert_eq!(
            clean(r#"<div class="x" style="color:red"><p style="a"> Một <b>hai</b> <span>ba</span> </p><script>x()</script><p></p><img src="/a.jpg"></div>"#),
            r#"<p>Một <strong>hai</strong> ba</p><p><img src="https://xa.gov.vn/a.jpg" alt=""></p>"#
        );
        assert_eq!(clean("<div>Dòng một<br><br>Dòng hai<br>tiếp</div>"), "<p>Dòng một</p><p>Dòng hai<br>tiếp</p>");
        assert_eq!(
            clean(r#"<p><a href="javascript:alert(1)">x</a> <a href="/b">y &amp; z</a></p>"#),
            r#"<p>x <a href="https://xa.gov.vn/b">y &amp; z</a></p>"#
        );
        assert_eq!(clean("<table><tr><td colspan=2 style=x>a</td></tr></table>"), r#"<table><tbody><tr><td colspan="2">a</td></tr></tbody></table>"#);
    }

    #[test]
    fn text_of_html() {
        assert_eq!(html_text("<p>a  b</p><p>c<br>d</p>"), "a b\nc\nd");
    }
}
