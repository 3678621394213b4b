//! XML through the browser's own `DOMParser` (no XML parser in the wasm): the document it makes is
//! copied into the core's neutral tree (`commune_reader_core::xml`), by the rules written there,
//! for the feed mapping to read.
//!
//! `DOMParser` loads no external entity (it leaves it out: such a feed is refused before parsing,
//! as natively) and stops entity expansion (billion laughs) with a parser error, which the mapping
//! reports; the copy stops at the core's node and depth limits.

use commune_reader_core::xml::{XmlElement, XmlNode, MAX_XML_DEPTH, MAX_XML_NODES};
use commune_reader_core::FormatError;
use wasm_bindgen::JsCast;
use web_sys::{DomParser, Element, Node, SupportedType};

/// Parses `text` as XML into the core's tree. Text that is not well formed comes back as a tree
/// with a `parsererror` element, which the mapping turns into `FormatError::InvalidXml`.
pub fn parse(text: &str) -> Result<XmlElement, FormatError> {
    if commune_reader_core::xml::declares_external_entity(text) {
        return Err(FormatError::InvalidXml);
    }
    let document = DomParser::new()
        .and_then(|parser| parser.parse_from_string(text, SupportedType::ApplicationXml))
        .map_err(|_| FormatError::InvalidXml)?;
    let root = document.document_element().ok_or(FormatError::InvalidXml)?;
    let mut nodes = 0;
    copy(&root, 1, &mut nodes)
}

fn copy(element: &Element, depth: usize, nodes: &mut usize) -> Result<XmlElement, FormatError> {
    *nodes += 1;
    if *nodes > MAX_XML_NODES {
        return Err(FormatError::TooLarge);
    }
    let attributes = element.attributes();
    let mut copied = XmlElement {
        namespace: element.namespace_uri(),
        name: element.local_name(),
        attributes: (0..attributes.length())
            .filter_map(|index| attributes.item(index))
            .map(|attribute| (attribute.local_name(), attribute.value()))
            .collect(),
        children: Vec::new(),
    };
    let mut child = element.first_child();
    while let Some(node) = child {
        match node.node_type() {
            Node::ELEMENT_NODE if depth < MAX_XML_DEPTH => {
                if let Some(inner) = node.dyn_ref::<Element>() {
                    copied.children.push(XmlNode::Element(copy(inner, depth + 1, nodes)?));
                }
            }
            Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                *nodes += 1;
                if *nodes > MAX_XML_NODES {
                    return Err(FormatError::TooLarge);
                }
                copied.children.push(XmlNode::Text(node.node_value().unwrap_or_default()));
            }
            _ => {}
        }
        child = node.next_sibling();
    }
    Ok(copied)
}
