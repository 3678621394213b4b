//! What the HTML sanitiser keeps, modelled on DOMPurify's defaults but narrower: the elements a news
//! article needs, no styling, no scripting surface. The browser edge walks the parsed document and asks
//! these functions about every element and attribute; deciding lives here so it is tested natively.

/// What happens to an element met in article HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElementRule {
    /// Rebuilt under this (lower-case) name with its allowed attributes, and its children walked.
    Keep(&'static str),
    /// Left out, but its children walked: layout wrappers and CMS soup (`div`, `span`, `font`, `center`).
    Unwrap,
    /// Left out with everything inside: scripting, embedding, forms, foreign content, metadata.
    Drop,
}

/// How an attribute's value is treated when it is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttributeRule {
    /// Copied as text (the DOM sets it as a value, never as markup).
    Text,
    /// A link: must resolve to http, https, mailto or tel.
    LinkUrl,
    /// An image source: must resolve to http or https.
    ImageUrl,
    /// A small whole number (width, height, colspan…): anything else is dropped.
    Number,
}

/// Elements whose content is never shown: dropping only the tag would turn code into visible text
/// (`<style>`, `<script>`) or let foreign parsing rules in (`<svg>`, `<math>`).
const DROPPED: &[&str] = &[
    "script", "style", "template", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet",
    "svg", "math", "form", "input", "button", "select", "option", "optgroup", "textarea", "datalist",
    "base", "meta", "link", "title", "head", "noembed", "noframes", "xmp", "plaintext", "portal", "video",
    "audio", "source", "track", "canvas", "dialog", "slot", "map", "area", "param", "picture", "marquee",
    "fencedframe", "search", "output", "progress", "meter", "menu",
];

/// Allowed elements, by lower-case tag name. `h1` becomes `h2`: the article's own title is the top heading.
pub fn element_rule(tag: &str) -> ElementRule {
    let kept = match tag {
        "h1" => "h2",
        "p" => "p",
        "br" => "br",
        "hr" => "hr",
        "b" => "b",
        "strong" => "strong",
        "i" => "i",
        "em" => "em",
        "u" => "u",
        "s" => "s",
        "small" => "small",
        "sub" => "sub",
        "sup" => "sup",
        "mark" => "mark",
        "abbr" => "abbr",
        "cite" => "cite",
        "q" => "q",
        "time" => "time",
        "code" => "code",
        "pre" => "pre",
        "kbd" => "kbd",
        "blockquote" => "blockquote",
        "ul" => "ul",
        "ol" => "ol",
        "li" => "li",
        "dl" => "dl",
        "dt" => "dt",
        "dd" => "dd",
        "h2" => "h2",
        "h3" => "h3",
        "h4" => "h4",
        "h5" => "h5",
        "h6" => "h6",
        "a" => "a",
        "img" => "img",
        "figure" => "figure",
        "figcaption" => "figcaption",
        "table" => "table",
        "caption" => "caption",
        "thead" => "thead",
        "tbody" => "tbody",
        "tfoot" => "tfoot",
        "tr" => "tr",
        "th" => "th",
        "td" => "td",
        "colgroup" => "colgroup",
        "col" => "col",
        _ if DROPPED.contains(&tag) => return ElementRule::Drop,
        _ => return ElementRule::Unwrap,
    };
    ElementRule::Keep(kept)
}

/// How many indenting containers (lists, quotes, definitions) may nest. Each indents its content by
/// a couple of em, so a few dozen push the text out of the reader's box and over the host page
/// (ten nested lists already do on a 360 px phone); deeper ones are unwrapped, their text kept.
pub const MAX_INDENT_LEVELS: usize = 6;

/// Whether a kept element indents its content, and so counts towards [`MAX_INDENT_LEVELS`].
pub fn indents(tag: &str) -> bool {
    matches!(tag, "ul" | "ol" | "dl" | "dd" | "blockquote")
}

/// Allowed attributes on a kept element. No `style`, `class`, `id`, `name`, event handlers, `target`,
/// `srcset` or `srcdoc`: styling would defeat font scaling, ids and names clobber the DOM.
pub fn attribute_rule(tag: &str, attribute: &str) -> Option<AttributeRule> {
    use AttributeRule::*;
    match (tag, attribute) {
        (_, "lang" | "dir" | "title") => Some(Text),
        ("a", "href") | ("blockquote" | "q", "cite") => Some(LinkUrl),
        ("img", "src") => Some(ImageUrl),
        ("img", "alt") | ("th", "scope") | ("abbr" | "th" | "td", "abbr") | ("time", "datetime") => Some(Text),
        ("ol", "type") => Some(Text),
        ("img", "width" | "height") | ("td" | "th", "colspan" | "rowspan") | ("col" | "colgroup", "span") => Some(Number),
        ("ol", "start") => Some(Number),
        ("ol", "reversed") => Some(Text),
        _ => None,
    }
}

/// A number attribute is kept only when it is a plain, reasonable whole number.
pub fn number_value(value: &str) -> Option<u32> {
    value.trim().parse::<u32>().ok().filter(|n| *n <= 10_000)
}

/// Schemes a link may use. Images are stricter: only http(s).
pub fn scheme_allowed(rule: AttributeRule, scheme: &str) -> bool {
    match rule {
        AttributeRule::LinkUrl => matches!(scheme, "http:" | "https:" | "mailto:" | "tel:"),
        AttributeRule::ImageUrl => matches!(scheme, "http:" | "https:"),
        AttributeRule::Text | AttributeRule::Number => false,
    }
}

/// The scheme a URL will have once the browser has parsed it, as the WHATWG URL parser sees it
/// (leading/trailing controls and spaces stripped, tabs and newlines removed anywhere, case folded),
/// e.g. `"java\tscript:x"` → `Some("javascript:")`. `None` for a relative URL.
///
/// The browser edge resolves every URL with the browser's own parser and checks that result too;
/// this function lets the rule be tested natively and refuses early.
pub fn scheme_of(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let colon = cleaned.find(':')?;
    let scheme = cleaned.get(..colon)?;
    let mut chars = scheme.chars();
    let first_is_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    (first_is_letter && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .then(|| format!("{}:", scheme.to_ascii_lowercase()))
}

/// The native half of the URL check: relative URLs pass (the browser resolves them against the
/// article's address), absolute ones only with an allowed scheme.
pub fn url_allowed(rule: AttributeRule, url: &str) -> bool {
    scheme_of(url).is_none_or(|scheme| scheme_allowed(rule, &scheme))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn article_elements_are_kept_and_soup_is_unwrapped() {
        for tag in ["p", "a", "img", "table", "td", "figure", "figcaption", "blockquote", "ul", "li", "h3", "pre"] {
            assert_eq!(element_rule(tag), ElementRule::Keep(tag));
        }
        assert_eq!(element_rule("h1"), ElementRule::Keep("h2"));
        for tag in ["div", "span", "font", "center", "section", "article", "o:p", "custom-el", "body", "html"] {
            assert_eq!(element_rule(tag), ElementRule::Unwrap, "{tag}");
        }
        for tag in ["script", "style", "iframe", "svg", "math", "template", "noscript", "form", "base", "meta", "object"] {
            assert_eq!(element_rule(tag), ElementRule::Drop, "{tag}");
        }
    }

    #[test]
    fn only_containers_that_indent_count_towards_the_indent_limit() {
        for tag in ["ul", "ol", "dl", "dd", "blockquote"] {
            assert!(indents(tag), "{tag}");
        }
        for tag in ["li", "p", "table", "td", "figure", "div", "pre"] {
            assert!(!indents(tag), "{tag}");
        }
    }

    #[test]
    fn only_harmless_attributes_survive() {
        assert_eq!(attribute_rule("a", "href"), Some(AttributeRule::LinkUrl));
        assert_eq!(attribute_rule("img", "src"), Some(AttributeRule::ImageUrl));
        assert_eq!(attribute_rule("img", "width"), Some(AttributeRule::Number));
        assert_eq!(attribute_rule("p", "lang"), Some(AttributeRule::Text));
        for (tag, attribute) in [
            ("p", "style"), ("p", "class"), ("p", "id"), ("img", "onerror"), ("a", "onclick"), ("img", "srcset"),
            ("a", "target"), ("img", "name"), ("a", "formaction"), ("a", "xlink:href"), ("p", "href"), ("td", "background"),
        ] {
            assert_eq!(attribute_rule(tag, attribute), None, "{tag} {attribute}");
        }
        assert_eq!(number_value(" 640 "), Some(640));
        assert_eq!(number_value("100%"), None);
        assert_eq!(number_value("99999999"), None);
    }

    #[test]
    fn schemes_are_read_the_way_browsers_read_them() {
        assert_eq!(scheme_of("javascript:alert(1)").as_deref(), Some("javascript:"));
        assert_eq!(scheme_of(" \u{1}JaVaScRiPt:alert(1)").as_deref(), Some("javascript:"));
        assert_eq!(scheme_of("java\tscr\nipt:alert(1)").as_deref(), Some("javascript:"));
        assert_eq!(scheme_of("/tin-tuc/a:b").as_deref(), None);
        assert_eq!(scheme_of("anh.jpg").as_deref(), None);
        assert_eq!(scheme_of("?a=b:c").as_deref(), None);
        assert_eq!(scheme_of("HTTPS://x.vn").as_deref(), Some("https:"));
    }

    #[test]
    fn dangerous_schemes_are_refused_and_relative_urls_allowed() {
        use AttributeRule::*;
        for bad in ["javascript:alert(1)", "data:text/html,<script>", "vbscript:msgbox", " jav\u{9}ascript:x", "file:///etc"] {
            assert!(!url_allowed(LinkUrl, bad), "{bad}");
            assert!(!url_allowed(ImageUrl, bad), "{bad}");
        }
        assert!(url_allowed(LinkUrl, "mailto:ubnd@xa.gov.vn"));
        assert!(url_allowed(LinkUrl, "tel:+842553000000"));
        assert!(!url_allowed(ImageUrl, "tel:1"));
        assert!(url_allowed(ImageUrl, "/uploads/anh.jpg"));
        assert!(url_allowed(LinkUrl, "https://xa.gov.vn"));
    }
}
