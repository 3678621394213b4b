//! A small, neutral XML tree: what the feed mapping (`formats::feed`) reads.
//!
//! The core parses no XML in the browser. The browser edge builds this tree from the document the
//! platform's `DOMParser` made (`parseFromString(text, "application/xml")`); natively, the `xml`
//! feature builds it with roxmltree (`xml_native`). Both must keep to the same rules:
//!
//! - `name` is the element's local name, `namespace` its namespace URI (`None` when it has none);
//! - `attributes` are (local name, value) pairs: `xml:lang` is `("lang", …)`, `rdf:about` is
//!   `("about", …)`;
//! - text and CDATA sections become [`XmlNode::Text`] (adjacent ones may be merged or not);
//!   comments, processing instructions and the doctype are left out;
//! - at most [`MAX_XML_NODES`] nodes (elements and texts) in all: beyond that the response is
//!   refused as too large (`FormatError::TooLarge`);
//! - elements nested deeper than [`MAX_XML_DEPTH`] (the root is depth 1) are left out with their
//!   content. A feed is 4 levels deep; the limit only keeps recursion (and the tree's own drop)
//!   shallow, whoever built the tree.
//!
//! A `parsererror` element (what browsers put in the document when the XML is not well formed) is
//! reported by the mapping as `FormatError::InvalidXml`: the edge need not look for it.

/// The most nodes (elements and texts) a tree may have. A 500-item RSS feed with full articles
/// in `content:encoded` has about 10,000.
pub const MAX_XML_NODES: usize = 200_000;

/// The deepest element kept (the root element is at depth 1).
pub const MAX_XML_DEPTH: usize = 48;

/// An element: its namespace URI, local name, attributes and children, in document order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct XmlElement {
    pub namespace: Option<String>,
    pub name: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<XmlNode>,
}

/// A child of an element: an element, or text (CDATA included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum XmlNode {
    Element(XmlElement),
    Text(String),
}

impl XmlElement {
    /// The value of the attribute with this local name.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes.iter().find(|(key, _)| key == name).map(|(_, value)| value.as_str())
    }

    /// The child elements, in order.
    pub(crate) fn elements(&self) -> impl Iterator<Item = &XmlElement> {
        self.children.iter().filter_map(|child| match child {
            XmlNode::Element(element) => Some(element),
            XmlNode::Text(_) => None,
        })
    }

    /// Whether the element has this local name in one of `namespaces` (`None` in the list
    /// standing for no namespace).
    pub(crate) fn is(&self, namespaces: &[Option<&str>], name: &str) -> bool {
        self.name == name && namespaces.contains(&self.namespace.as_deref())
    }

    /// The first child element with this name in one of `namespaces`.
    pub(crate) fn child(&self, namespaces: &[Option<&str>], name: &str) -> Option<&XmlElement> {
        self.elements().find(|element| element.is(namespaces, name))
    }

    /// All the text inside the element, in order (the text of child elements included).
    pub(crate) fn text(&self) -> String {
        let mut text = String::new();
        self.collect_text(&mut text, 1);
        text
    }

    fn collect_text(&self, out: &mut String, depth: usize) {
        for child in &self.children {
            match child {
                XmlNode::Text(text) => out.push_str(text),
                XmlNode::Element(element) if depth < MAX_XML_DEPTH => element.collect_text(out, depth + 1),
                XmlNode::Element(_) => {}
            }
        }
    }

    /// The element's content written back as (X)HTML markup: for Atom's `type="xhtml"`.
    pub(crate) fn inner_markup(&self) -> String {
        let mut out = String::new();
        self.write_children(&mut out, 1);
        out
    }

    fn write_children(&self, out: &mut String, depth: usize) {
        for child in &self.children {
            match child {
                XmlNode::Text(text) => escape_into(out, text, false),
                XmlNode::Element(element) if depth < MAX_XML_DEPTH => {
                    out.push('<');
                    out.push_str(&element.name);
                    for (key, value) in &element.attributes {
                        out.push(' ');
                        out.push_str(key);
                        out.push_str("=\"");
                        escape_into(out, value, true);
                        out.push('"');
                    }
                    out.push('>');
                    element.write_children(out, depth + 1);
                    out.push_str("</");
                    out.push_str(&element.name);
                    out.push('>');
                }
                XmlNode::Element(_) => {}
            }
        }
    }
}

/// Escapes text for HTML: `&`, `<`, `>`, and `"` in attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str, attribute: bool) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// `escape_into` into a new string.
pub(crate) fn escape(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(&mut out, text, attribute);
    out
}

/// Whether the document's type declaration declares an external entity (`<!ENTITY x SYSTEM …>` or
/// `PUBLIC`). Such a feed is refused as not well formed, as roxmltree refuses it natively: the
/// browser's parser silently leaves the entity out instead, and a feed that reaches for a file
/// it cannot have is not one to show half of.
pub fn declares_external_entity(text: &str) -> bool {
    let Some(start) = text.find("<!DOCTYPE") else { return false };
    let declaration = text.get(start..).unwrap_or_default();
    // The internal subset ends with `]>`; without one there is nothing to declare.
    let subset = declaration.split_once("]>").map_or("", |(subset, _)| subset);
    subset.split("<!ENTITY").skip(1).any(|entity| {
        let entity = entity.split_once('>').map_or(entity, |(entity, _)| entity);
        entity.split_whitespace().any(|word| word == "SYSTEM" || word == "PUBLIC")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn element(name: &str, children: Vec<XmlNode>) -> XmlElement {
        XmlElement { name: name.into(), children, ..XmlElement::default() }
    }

    #[test]
    fn text_and_markup_of_a_small_tree() {
        let strong = element("strong", vec![XmlNode::Text("đậm & <rõ>".into())]);
        let mut p = element("p", vec![XmlNode::Text("Một ".into()), XmlNode::Element(strong)]);
        p.attributes.push(("title".into(), "a\"b".into()));
        let div = element("div", vec![XmlNode::Element(p)]);
        assert_eq!(div.text(), "Một đậm & <rõ>");
        assert_eq!(div.inner_markup(), "<p title=\"a&quot;b\">Một <strong>đậm &amp; &lt;rõ&gt;</strong></p>");
        assert_eq!(div.child(&[None], "p").and_then(|p| p.attribute("title")), Some("a\"b"));
        assert!(div.child(&[Some("urn:x")], "p").is_none());
    }

    #[test]
    fn external_entities_are_found_in_the_internal_subset_only() {
        assert!(declares_external_entity("<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY s SYSTEM \"file:///etc/passwd\">]><rss/>"));
        assert!(declares_external_entity("<!DOCTYPE rss [<!ENTITY a \"x\"><!ENTITY p PUBLIC \"-//X\" \"http://x/\">]><rss/>"));
        assert!(!declares_external_entity("<!DOCTYPE rss [<!ENTITY a \"ha\"><!ENTITY b \"&a;&a;\">]><rss/>"));
        assert!(!declares_external_entity("<!DOCTYPE rss PUBLIC \"-//Netscape Communications//DTD RSS 0.91//EN\" \"x\"><rss/>"));
        assert!(!declares_external_entity("<rss><channel><title>SYSTEM <!ENTITY></title></channel></rss>"));
    }
}
