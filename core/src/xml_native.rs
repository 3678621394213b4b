//! The native XML edge (feature `xml`): roxmltree parses the text and [`parse_xml`] builds the
//! core's [`XmlElement`] tree from it, by the rules in `xml`. For tests, fuzzing and tools; the
//! wasm builds the same tree from the browser's `DOMParser` instead.
//!
//! roxmltree loads no external entity (a reference to one is an error), refuses entity loops and
//! expansions past its limits (billion laughs), and stops at [`MAX_XML_NODES`] nodes.

use crate::formats::FormatError;
use crate::xml::{XmlElement, XmlNode, MAX_XML_DEPTH, MAX_XML_NODES};

/// Parses XML text into the core's tree: [`FormatError::InvalidXml`] when it is not well formed
/// (or uses entities that cannot be resolved safely), [`FormatError::TooLarge`] past
/// [`MAX_XML_NODES`] nodes.
pub fn parse_xml(text: &str) -> Result<XmlElement, FormatError> {
    let options = roxmltree::ParsingOptions {
        // RSS 0.91 feeds still carry Netscape's DOCTYPE; entities are checked by roxmltree.
        allow_dtd: true,
        nodes_limit: u32::try_from(MAX_XML_NODES).unwrap_or(u32::MAX),
        ..roxmltree::ParsingOptions::default()
    };
    let document = roxmltree::Document::parse_with_options(text, options).map_err(|error| match error {
        roxmltree::Error::NodesLimitReached => FormatError::TooLarge,
        _ => FormatError::InvalidXml,
    })?;
    let mut nodes = 0;
    build(document.root_element(), 1, &mut nodes)
}

fn build(node: roxmltree::Node, depth: usize, nodes: &mut usize) -> Result<XmlElement, FormatError> {
    *nodes += 1;
    if *nodes > MAX_XML_NODES {
        return Err(FormatError::TooLarge);
    }
    let tag = node.tag_name();
    let mut element = XmlElement {
        namespace: tag.namespace().map(str::to_owned),
        name: tag.name().to_owned(),
        attributes: node.attributes().map(|a| (a.name().to_owned(), a.value().to_owned())).collect(),
        children: Vec::new(),
    };
    for child in node.children() {
        if child.is_element() {
            if depth < MAX_XML_DEPTH {
                element.children.push(XmlNode::Element(build(child, depth + 1, nodes)?));
            }
        } else if let Some(text) = child.text().filter(|_| child.is_text()) {
            *nodes += 1;
            element.children.push(XmlNode::Text(text.to_owned()));
        }
    }
    Ok(element)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_attributes_text_and_cdata() {
        let root = parse_xml(
            r#"<?xml version="1.0"?><!-- c --><rss xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
            <channel><item><content:encoded><![CDATA[<p>Nội dung</p>]]></content:encoded></item></channel></rss>"#,
        )
        .expect("parses");
        assert_eq!((root.name.as_str(), root.namespace.as_deref(), root.attribute("version")), ("rss", None, Some("2.0")));
        let encoded = root.child(&[None], "channel").and_then(|c| c.child(&[None], "item")).and_then(|i| i.elements().next());
        let encoded = encoded.expect("content:encoded");
        assert_eq!(encoded.namespace.as_deref(), Some("http://purl.org/rss/1.0/modules/content/"));
        assert_eq!(encoded.text(), "<p>Nội dung</p>");
    }

    #[test]
    fn hostile_documents_are_refused_quickly() {
        let laughs = r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">
            <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
            <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
            <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
            <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
            <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
            <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
            <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
            <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
            <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">]>
            <rss><channel><item><title>&lol9;</title></item></channel></rss>"#;
        assert_eq!(parse_xml(laughs), Err(FormatError::InvalidXml));
        let external = r#"<?xml version="1.0"?><!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
            <rss><channel><item><title>&xxe;</title></item></channel></rss>"#;
        assert_eq!(parse_xml(external), Err(FormatError::InvalidXml));
        let deep = format!("{}{}", "<a>".repeat(100_000), "</a>".repeat(100_000));
        assert!(parse_xml(&deep).is_ok_and(|root| root.text().is_empty()), "deep nesting is cut at the depth limit");
        let wide = format!("<r>{}</r>", "<a/>".repeat(MAX_XML_NODES + 1));
        assert_eq!(parse_xml(&wide), Err(FormatError::TooLarge));
        assert_eq!(parse_xml("<rss><channel></rss>"), Err(FormatError::InvalidXml));
        assert_eq!(parse_xml(""), Err(FormatError::InvalidXml));
    }
}
