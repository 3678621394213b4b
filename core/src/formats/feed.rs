//! RSS (2.0, and 0.9x and 1.0 alike) and Atom 1.0 feeds, read from the neutral XML tree of
//! `crate::xml`: `data-src` is the feed, `data-item` picks the item by its `guid`/`id` or its
//! link (the first item by default).
//!
//! Mapping (the first field present wins):
//!
//! | article | RSS item | Atom entry |
//! |---|---|---|
//! | title | `title` (entities and tags decoded: titles are often escaped HTML) | `title` (`type` text, html or xhtml) |
//! | body | `content:encoded`, `description` | `content`, `summary` (`type` html, xhtml or text) |
//! | published | `pubDate` (RFC 822), `dc:date` | `published`, `updated` |
//! | authors | `dc:creator`, `author` (`mail@x.vn (Name)` gives Name) | `author/name`, else the feed's |
//! | url, id | `link` (else a permalink `guid`), `guid` (else the link) | `link` (`rel="alternate"` or none), `id` |
//! | categories | `category`, `dc:subject` | `category` (`label`, else `term`) |
//! | language | the channel's `language` (or `dc:language`) | `xml:lang` of the entry, else the feed |
//!
//! RSS links are resolved against the channel's own link, itself resolved against the feed's
//! address (`SourceOptions::url`); Atom links against `xml:base` and the feed's address (the
//! feed's own link when neither is known). A body with no markup but escaped markup in it (`&lt;p&gt;`,
//! HTML escaped twice) is unescaped once; a body with neither is plain text, in paragraphs.

use super::link::resolve;
use super::{checked_web_url, clean_names, default_language, is_language_tag, one_line, paragraphs_of, require_content};
use super::{FormatError, SourceOptions};
use crate::article::{Article, Body};
use crate::datetime::parse_feed_date;
use crate::text::html_to_text;
use crate::xml::XmlElement;

const ATOM: [Option<&str>; 2] = [Some("http://www.w3.org/2005/Atom"), Some("http://purl.org/atom/ns#")];
const RSS: [Option<&str>; 3] = [None, Some("http://purl.org/rss/1.0/"), Some("http://my.netscape.com/rdf/simple/0.9/")];
const CONTENT: [Option<&str>; 1] = [Some("http://purl.org/rss/1.0/modules/content/")];
const DC: [Option<&str>; 2] = [Some("http://purl.org/dc/elements/1.1/"), Some("http://purl.org/dc/terms/")];

/// Turns a feed into an article: the item named by `options.item` (its `guid`/`id` or its link),
/// else the first. `options.url` is the feed's address, for relative links.
///
/// Errors: a `parsererror` element in the tree (browsers put one there when the XML is not well
/// formed) is [`FormatError::InvalidXml`]; an `html` root is [`FormatError::HtmlPage`]; another
/// root than `rss`, `RDF`, `channel`, Atom's `feed` or `entry` is [`FormatError::NotAnArticle`], as
/// is a feed without items; [`FormatError::ItemNotFound`] when `data-item` names no item;
/// [`FormatError::NoContent`] when the item has neither title nor body.
pub fn article_from_feed_xml(root: &XmlElement, options: &SourceOptions) -> Result<Article, FormatError> {
    let children = root.elements();
    let grandchildren = root.elements().flat_map(XmlElement::elements);
    if [root].into_iter().chain(children).chain(grandchildren).any(|element| element.name == "parsererror") {
        return Err(FormatError::InvalidXml);
    }
    let article = if root.is(&ATOM, "feed") {
        from_atom(root, entries(root), options)?
    } else if root.is(&ATOM, "entry") {
        from_atom(root, vec![root], options)?
    } else if root.name == "rss" || root.name == "RDF" || root.is(&RSS, "channel") {
        from_rss(root, options)?
    } else if root.name.eq_ignore_ascii_case("html") {
        return Err(FormatError::HtmlPage);
    } else {
        return Err(FormatError::NotAnArticle);
    };
    require_content(article)
}

/// The item named by `wanted`, else the first.
fn pick<'a>(items: &[&'a XmlElement], wanted: Option<&str>, is: impl Fn(&XmlElement, &str) -> bool) -> Result<&'a XmlElement, FormatError> {
    match wanted.map(str::trim) {
        None => items.first().copied().ok_or(FormatError::NotAnArticle),
        Some(wanted) => items.iter().copied().find(|item| is(item, wanted)).ok_or(FormatError::ItemNotFound),
    }
}

fn text_of(element: Option<&XmlElement>) -> Option<String> {
    element.map(|element| element.text().trim().to_owned()).filter(|text| !text.is_empty())
}

fn language(tag: Option<String>) -> Option<String> {
    tag.map(|tag| tag.trim().replace('_', "-")).filter(|tag| is_language_tag(tag))
}

/// A body: markup as HTML; text with escaped markup only (HTML escaped twice) unescaped once; plain
/// text as paragraphs (its leftover entities decoded).
fn body_of(text: &str) -> Body {
    if text.contains('<') {
        Body::Html(text.to_owned())
    } else if text.contains("&lt;") {
        // No literal `<`, so html_to_text only decodes entities here.
        Body::Html(html_to_text(text))
    } else {
        Body::Paragraphs(paragraphs_of(&html_to_text(text)))
    }
}

fn from_rss(root: &XmlElement, options: &SourceOptions) -> Result<Article, FormatError> {
    let channel = if root.is(&RSS, "channel") { Some(root) } else { root.child(&RSS, "channel") };
    // RSS 0.9x and 2.0 put the items in the channel, RSS 1.0 beside it.
    let mut items: Vec<&XmlElement> = channel.into_iter().flat_map(XmlElement::elements).filter(|e| e.is(&RSS, "item")).collect();
    if channel.is_none_or(|channel| !std::ptr::eq(channel, root)) {
        items.extend(root.elements().filter(|element| element.is(&RSS, "item")));
    }
    let feed_url = options.url.as_deref();
    let channel_link = channel.and_then(|channel| text_of(channel.child(&RSS, "link")));
    let base = channel_link.and_then(|link| resolve(feed_url, &link)).or_else(|| feed_url.map(str::to_owned));
    let base = base.as_deref();
    let link_of = |item: &XmlElement| {
        let guid = item.child(&RSS, "guid");
        let permalink = guid.filter(|guid| guid.attribute("isPermaLink").is_none_or(|value| value.trim() != "false"));
        // A guid is a permalink only when it is an absolute address: many feeds leave out
        // isPermaLink="false" on ids like "tin-2417".
        let permalink = text_of(permalink).filter(|guid| checked_web_url(guid).is_some());
        let link = text_of(item.child(&RSS, "link")).or(permalink);
        link.and_then(|link| resolve(base, &link)).and_then(|link| checked_web_url(&link))
    };
    let item = pick(&items, options.item.as_deref(), |item, wanted| {
        text_of(item.child(&RSS, "guid")).as_deref() == Some(wanted)
            || text_of(item.child(&RSS, "link")).as_deref() == Some(wanted)
            || link_of(item).as_deref() == Some(wanted)
    })?;
    let url = link_of(item);
    let body = text_of(item.child(&CONTENT, "encoded")).or_else(|| text_of(item.child(&RSS, "description")));
    let creators: Vec<String> = item.elements().filter(|e| e.is(&DC, "creator")).filter_map(|e| text_of(Some(e))).collect();
    let authors = if creators.is_empty() {
        item.elements().filter(|e| e.is(&RSS, "author")).filter_map(|e| text_of(Some(e))).map(|a| rss_author(&a).to_owned()).collect()
    } else {
        creators
    };
    let categories: Vec<String> =
        item.elements().filter(|e| e.is(&RSS, "category") || e.is(&DC, "subject")).filter_map(|e| text_of(Some(e))).collect();
    let channel_language = channel.and_then(|channel| text_of(channel.child(&RSS, "language")).or_else(|| text_of(channel.child(&DC, "language"))));
    Ok(Article {
        id: text_of(item.child(&RSS, "guid")).or_else(|| url.clone()),
        title: text_of(item.child(&RSS, "title")).map(|title| one_line(&html_to_text(&title))).unwrap_or_default(),
        language: language(channel_language).unwrap_or_else(default_language),
        published_ms: [item.child(&RSS, "pubDate"), item.child(&DC, "date")]
            .into_iter()
            .find_map(|date| text_of(date).and_then(|date| parse_feed_date(&date))),
        authors: clean_names(authors.iter().map(String::as_str)),
        agency: None,
        body: body.as_deref().map(body_of).unwrap_or_default(),
        url,
        views: None,
        categories: clean_names(categories.iter().map(String::as_str)),
    })
}

/// RSS `author` is an e-mail address, by the specification with the name in brackets:
/// `toasoan@xa.gov.vn (Nguyễn Văn A)` gives `Nguyễn Văn A`; anything else is kept as it is.
fn rss_author(text: &str) -> &str {
    let text = text.trim();
    match (text.find('('), text.strip_suffix(')')) {
        (Some(open), Some(without_close)) if text.get(..open).is_some_and(|before| before.contains('@')) => {
            without_close.get(open + 1..).map(str::trim).unwrap_or(text)
        }
        _ => text,
    }
}

fn entries(feed: &XmlElement) -> Vec<&XmlElement> {
    feed.elements().filter(|element| element.is(&ATOM, "entry")).collect()
}

/// An Atom text construct (`title`, `content`, `summary`) as HTML or text, by its `type`. Content
/// given by reference (`src`) or of another media type is not read.
enum AtomText {
    Html(String),
    Text(String),
}

fn atom_text(element: Option<&XmlElement>) -> Option<AtomText> {
    let element = element.filter(|element| element.attribute("src").is_none())?;
    let kind = element.attribute("type").map(|kind| kind.trim().to_ascii_lowercase()).unwrap_or_default();
    let text = match kind.as_str() {
        "html" | "text/html" => AtomText::Html(element.text()),
        // The content is one XHTML `div` whose content is the text.
        "xhtml" | "application/xhtml+xml" => AtomText::Html(element.elements().next().unwrap_or(element).inner_markup()),
        "" | "text" | "text/plain" => AtomText::Text(element.text()),
        _ => return None,
    };
    let empty = match &text {
        AtomText::Html(text) | AtomText::Text(text) => text.trim().is_empty(),
    };
    (!empty).then_some(text)
}

fn from_atom(feed: &XmlElement, entries: Vec<&XmlElement>, options: &SourceOptions) -> Result<Article, FormatError> {
    let feed_url = options.url.as_deref();
    let with_base = |element: &XmlElement, base: Option<String>| match element.attribute("base") {
        Some(own) => resolve(base.as_deref(), own).or(base),
        None => base,
    };
    // Atom resolves against `xml:base` and the document's address (RFC 4287, 5.1); the feed's own
    // link stands in only when neither is known.
    let feed_base = with_base(feed, feed_url.map(str::to_owned)).or_else(|| alternate_link(feed, None));
    let link_of = |entry: &XmlElement| {
        let base = with_base(entry, feed_base.clone());
        alternate_link(entry, base.as_deref()).and_then(|link| checked_web_url(&link))
    };
    let entry = pick(&entries, options.item.as_deref(), |entry, wanted| {
        text_of(entry.child(&ATOM, "id")).as_deref() == Some(wanted) || link_of(entry).as_deref() == Some(wanted)
    })?;
    let author_names = |element: &XmlElement| -> Vec<String> {
        element.elements().filter(|e| e.is(&ATOM, "author")).filter_map(|author| text_of(author.child(&ATOM, "name"))).collect()
    };
    let mut authors = author_names(entry);
    if authors.is_empty() && !std::ptr::eq(feed, entry) {
        authors = author_names(feed);
    }
    let title = match atom_text(entry.child(&ATOM, "title")) {
        Some(AtomText::Html(html)) => one_line(&html_to_text(&html)),
        Some(AtomText::Text(text)) => one_line(&text),
        None => String::new(),
    };
    let body = match atom_text(entry.child(&ATOM, "content")).or_else(|| atom_text(entry.child(&ATOM, "summary"))) {
        Some(AtomText::Html(html)) => body_of(&html),
        Some(AtomText::Text(text)) => Body::Paragraphs(paragraphs_of(&text)),
        None => Body::default(),
    };
    let categories: Vec<String> = entry
        .elements()
        .filter(|element| element.is(&ATOM, "category"))
        .filter_map(|category| category.attribute("label").or_else(|| category.attribute("term")).map(str::to_owned))
        .collect();
    let url = link_of(entry);
    Ok(Article {
        id: text_of(entry.child(&ATOM, "id")).or_else(|| url.clone()),
        title,
        language: language(entry.attribute("lang").or_else(|| feed.attribute("lang")).map(str::to_owned)).unwrap_or_else(default_language),
        published_ms: ["published", "updated", "issued", "modified"]
            .into_iter()
            .find_map(|name| text_of(entry.child(&ATOM, name)).and_then(|date| parse_feed_date(&date))),
        authors: clean_names(authors.iter().map(String::as_str)),
        agency: None,
        body,
        url,
        views: None,
        categories: clean_names(categories.iter().map(String::as_str)),
    })
}

/// The `href` of the element's `link` with `rel="alternate"` (or no `rel`), resolved.
fn alternate_link(element: &XmlElement, base: Option<&str>) -> Option<String> {
    element
        .elements()
        .filter(|link| link.is(&ATOM, "link"))
        .find(|link| link.attribute("rel").is_none_or(|rel| rel.trim() == "alternate"))
        .and_then(|link| link.attribute("href"))
        .and_then(|href| resolve(base, href))
}
