//! The HTML sanitiser, modelled on DOMPurify: parse the untrusted HTML into an inert document
//! (`DOMParser` runs no script and loads nothing), walk it, and build the output node by node in the
//! live document from what the allowlist keeps. Nothing is ever re-parsed from a serialised string,
//! so mutation XSS has nothing to mutate. The rules themselves live in the core (`sanitize_rules`).

use commune_reader_core::sanitize_rules::{
    attribute_rule, element_rule, indents, number_value, scheme_allowed, url_allowed, AttributeRule, ElementRule,
    MAX_INDENT_LEVELS,
};
use web_sys::{Document, DomParser, Element, Node, SupportedType, Url};

const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";
/// Deeper nesting than this is flattened to its text: no article needs it, and a hostile
/// document nested 10,000 levels deep must not exhaust the stack.
const MAX_DEPTH: usize = 48;

/// Where the walk is: elements above (any kind), and indenting containers kept above.
#[derive(Clone, Copy, Default)]
struct Nesting {
    depth: usize,
    indents: usize,
}

/// Only HTML-namespace elements are ever kept: SVG and MathML parse by other rules.
fn is_html(element: &Element) -> bool {
    element.namespace_uri().as_deref() == Some(HTML_NAMESPACE)
}

/// What the walk needs besides the nodes: where to build, how to resolve relative URLs, and
/// the accessible name for table scroll boxes.
pub struct Sanitiser<'a> {
    pub document: &'a Document,
    /// Relative links and images resolve against the article's own address.
    pub base_url: &'a str,
    pub table_label: &'a str,
}

impl Sanitiser<'_> {
    /// Sanitises `html` and appends the result to `target`. Returns false if the HTML could not be
    /// parsed at all (the caller then shows nothing rather than anything unchecked).
    pub fn append_to(&self, html: &str, target: &Node) -> bool {
        let Ok(parser) = DomParser::new() else { return false };
        let Ok(inert) = parser.parse_from_string(html, SupportedType::TextHtml) else { return false };
        let Some(body) = inert.body() else { return false };
        self.walk_children(&body, target, Nesting::default());
        true
    }

    fn walk_children(&self, source: &Node, target: &Node, nesting: Nesting) {
        let mut child = source.first_child();
        while let Some(node) = child {
            self.walk(&node, target, nesting);
            child = node.next_sibling();
        }
    }

    fn walk(&self, node: &Node, target: &Node, nesting: Nesting) {
        match node.node_type() {
            Node::TEXT_NODE => {
                let text = self.document.create_text_node(&node.node_value().unwrap_or_default());
                let _ = target.append_child(&text);
            }
            Node::ELEMENT_NODE => {
                let Some(element) = wasm_bindgen::JsCast::dyn_ref::<Element>(node) else { return };
                // SVG and MathML elements live in other namespaces with other parsing rules: never kept.
                if !is_html(element) {
                    return;
                }
                let inner = Nesting { depth: nesting.depth + 1, ..nesting };
                match element_rule(&element.local_name()) {
                    ElementRule::Drop => {}
                    // Checked after `Drop`, so a deep `<script>` or `<style>` is still dropped, not shown as text.
                    _ if nesting.depth >= MAX_DEPTH => self.append_text_of(node, target),
                    ElementRule::Unwrap => self.walk_children(node, target, inner),
                    // Past the indent limit a list or quote is unwrapped, or its text would leave the reader's box.
                    ElementRule::Keep(tag) if indents(tag) && nesting.indents >= MAX_INDENT_LEVELS => {
                        self.walk_children(node, target, inner);
                    }
                    ElementRule::Keep(tag) => {
                        let Ok(copy) = self.document.create_element(tag) else { return };
                        self.copy_attributes(element, &copy, tag);
                        let inner = Nesting { indents: inner.indents + usize::from(indents(tag)), ..inner };
                        self.walk_children(node, &copy, inner);
                        let _ = target.append_child(&self.wrap(copy, tag));
                    }
                }
            }
            // Comments, processing instructions and anything else carry nothing a reader needs.
            _ => {}
        }
    }

    /// Appends the text under `node` as one text node, leaving out what dropped and foreign elements
    /// hold (`textContent` would show a deep `<script>` or `<style>` as text). Iterative, with an
    /// explicit stack: the subtree may be thousands of levels deep.
    fn append_text_of(&self, node: &Node, target: &Node) {
        let mut text = String::new();
        let mut pending = vec![node.clone()];
        while let Some(current) = pending.pop() {
            match current.node_type() {
                Node::TEXT_NODE => text.push_str(&current.node_value().unwrap_or_default()),
                Node::ELEMENT_NODE => {
                    let Some(element) = wasm_bindgen::JsCast::dyn_ref::<Element>(&current) else { continue };
                    if !is_html(element) || element_rule(&element.local_name()) == ElementRule::Drop {
                        continue;
                    }
                    // Pushed last child first, so the first child is taken next: document order.
                    let mut child = current.last_child();
                    while let Some(previous) = child {
                        child = previous.previous_sibling();
                        pending.push(previous);
                    }
                }
                _ => {}
            }
        }
        let _ = target.append_child(&self.document.create_text_node(&text));
    }

    fn copy_attributes(&self, source: &Element, copy: &Element, tag: &str) {
        let names = source.get_attribute_names();
        for name in names.iter().filter_map(|name| name.as_string()) {
            let Some(rule) = attribute_rule(tag, &name) else { continue };
            let Some(value) = source.get_attribute(&name) else { continue };
            let kept = match rule {
                AttributeRule::Text => Some(value),
                AttributeRule::Number => number_value(&value).map(|n| n.to_string()),
                AttributeRule::LinkUrl | AttributeRule::ImageUrl => self.checked_url(rule, &value),
            };
            if let Some(kept) = kept {
                let _ = copy.set_attribute(&name, &kept);
            }
        }
        match tag {
            "a" => {
                let _ = copy.set_attribute("rel", "noopener noreferrer");
            }
            "img" => {
                if !copy.has_attribute("alt") {
                    let _ = copy.set_attribute("alt", "");
                }
                let _ = copy.set_attribute("loading", "lazy");
                let _ = copy.set_attribute("decoding", "async");
            }
            _ => {}
        }
    }

    /// Resolves a URL with the browser's own parser (the one navigation will use) and keeps it only
    /// if both the native rule and the parsed scheme allow it.
    fn checked_url(&self, rule: AttributeRule, value: &str) -> Option<String> {
        if !url_allowed(rule, value) {
            return None;
        }
        let url = Url::new_with_base(value, self.base_url).ok()?;
        scheme_allowed(rule, &url.protocol()).then(|| url.href())
    }

    /// Wide tables scroll inside their own labelled, focusable box instead of widening the page.
    fn wrap(&self, element: Element, tag: &str) -> Node {
        if tag != "table" {
            return element.into();
        }
        let Ok(scroller) = self.document.create_element("div") else { return element.into() };
        let _ = scroller.set_attribute("class", "table-scroll");
        let _ = scroller.set_attribute("role", "region");
        let _ = scroller.set_attribute("tabindex", "0");
        let _ = scroller.set_attribute("aria-label", self.table_label);
        let _ = scroller.append_child(&element);
        scroller.into()
    }
}
