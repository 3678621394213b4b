//! The HTML sanitiser, modelled on DOMPurify: parse the untrusted HTML into an inert document
//! (`DOMParser` runs no script and loads nothing), walk it, and build the output node by node in the
//! live document from what the allowlist keeps. Nothing is ever re-parsed from a serialised string,
//! so mutation XSS has nothing to mutate. The rules themselves live in the core (`sanitize_rules`).
//!
//! The work is bounded by the input, whatever it is, and no task is long:
//! - before parsing, `bound::bound_markup` reads the HTML text once and bounds what the browser's
//!   parser will do (it cannot be interrupted, and some inputs make it slow: deep nesting,
//!   comments, formatting elements it reopens in every paragraph): deeper tags are left out
//!   (their text kept), comments dropped, and the rest cut off past a work budget;
//! - the walk visits at most `MAX_NODES` nodes, and flattens content nested deeper than
//!   `MAX_DEPTH` to its text;
//! - a long body is parsed in chunks (split where nothing is open, at most `bound::CHUNK_TAGS`
//!   tags each), one at a time, and built `SLICE_NODES` nodes per task: the first in the caller's
//!   task (all of an ordinary article), the rest in later tasks (a first chunk longer than
//!   `PARSE_NOW_BYTES` in a task of its own), so that a long article appears at once and fills in
//!   while the page stays responsive.
//!
//! Where content was cut, a short notice says so.

use super::timers;
use commune_reader_core::sanitize_rules::{
    attribute_rule, element_rule, indents, number_value, scheme_allowed, url_allowed, AttributeRule, ElementRule,
    MAX_INDENT_LEVELS,
};
use wasm_bindgen::JsCast;
use web_sys::{Document, DomParser, Element, HtmlElement, Node, SupportedType, Url};

/// Deeper nesting than this is flattened to its text: no article needs it, and a hostile
/// document nested 10,000 levels deep must not make the walk's stack huge.
const MAX_DEPTH: usize = 48;
/// Nodes (elements, text, comments) the walk visits at most, flattened ones included. The
/// 5,000-paragraph benchmark article has ≈ 12,500.
const MAX_NODES: usize = 20_000;
/// Nodes visited per task: the first ones in the caller's task (all of an ordinary article), the
/// rest in later tasks.
const SLICE_NODES: usize = 1_000;
/// HTML longer than this (after `bound_markup`), or its first chunk, is parsed in a task of its own
/// (an ordinary article is a few KB; the 5,000-paragraph benchmark article 1.1 MB)...
const PARSE_NOW_BYTES: usize = 64 * 1024;
/// ... and so is a first chunk that is more work for the parser than this (`bound::MAX_CHUNK_WORK`
/// explains the unit; an ordinary article is a few hundred).
const PARSE_NOW_WORK: usize = 2_500;

/// Where the walk is: elements above (any kind), and indenting containers kept above.
#[derive(Clone, Copy, Default)]
struct Nesting {
    depth: usize,
    indents: usize,
}

/// What the walk needs besides the nodes: where to build, how to resolve relative URLs, the
/// accessible name for table scroll boxes, and the notice that ends a body that had to be cut.
pub struct Sanitiser<'a> {
    pub document: &'a Document,
    /// Relative links and images resolve against the article's own address.
    pub base_url: &'a str,
    pub table_label: &'a str,
    pub cut_notice: &'a str,
}

impl Sanitiser<'_> {
    /// Sanitises `html` and appends the result to `target`. Returns false if the HTML could not be
    /// parsed at all (the caller then shows nothing rather than anything unchecked). A long body is
    /// appended in slices, the first now and the rest in later tasks, into the same `target`
    /// (into a `DocumentFragment`, which empties when it is inserted, all of it now).
    pub fn append_to(&self, html: &str, target: &Node) -> bool {
        let bounded = bound::bound_markup(html);
        let builder = Builder {
            document: self.document.clone(),
            base_url: self.base_url.to_owned(),
            table_label: self.table_label.to_owned(),
            notice: self.cut_notice.to_owned(),
        };
        let mut walk = Walk {
            builder,
            root: target.clone(),
            stack: Vec::new(),
            html: String::new(),
            splits: Vec::new(),
            parsed_to: usize::MAX,
            nodes_left: MAX_NODES,
            cut: bounded.cut,
        };
        // Into a fragment, all of it now.
        let fragment = target.node_type() == Node::DOCUMENT_FRAGMENT_NODE;
        let slice = if fragment { usize::MAX } else { SLICE_NODES };
        let parse_now = |bytes: usize| fragment || (bytes <= PARSE_NOW_BYTES && bounded.first_chunk_work <= PARSE_NOW_WORK);
        if bounded.splits.is_empty() && parse_now(bounded.html.len()) {
            // An ordinary article: parsed now, from the text as it is.
            if !walk.parse(&bounded.html) {
                return false;
            }
            walk.continue_for(slice);
            return true;
        }
        let first_chunk = bounded.splits.first().copied().unwrap_or(bounded.html.len());
        (walk.html, walk.splits, walk.parsed_to) = (bounded.html.into_owned(), bounded.splits, 0);
        if parse_now(first_chunk) {
            if !walk.parse_next_chunk() {
                return false;
            }
            walk.continue_for(slice);
        } else {
            // A long first chunk is parsed in a task of its own, not on top of the work that brought it.
            let later = move || {
                if walk.parse_next_chunk() {
                    walk.continue_for(SLICE_NODES);
                }
            };
            timers::set_timeout(Box::new(later), 0);
        }
        true
    }
}

/// A container being walked: its next child, where that child's copy goes, at what nesting, and
/// whether only text is kept (past `MAX_DEPTH`).
struct Frame {
    next: Option<Node>,
    target: Node,
    nesting: Nesting,
    text_only: bool,
}

/// One sanitising walk, with an explicit stack (the input may be thousands of levels deep), so
/// that it can stop after a slice and go on in a later task.
struct Walk {
    builder: Builder,
    root: Node,
    stack: Vec<Frame>,
    /// The HTML, when it is parsed in chunks: `splits` are where chunks start, `parsed_to` where
    /// the next one does (`usize::MAX` once all is parsed).
    html: String,
    splits: Vec<usize>,
    parsed_to: usize,
    nodes_left: usize,
    cut: bool,
}

impl Walk {
    /// Parses `html` into an inert document and starts the walk at its body; false if it could not.
    fn parse(&mut self, html: &str) -> bool {
        let Ok(parser) = DomParser::new() else { return false };
        let Ok(inert) = parser.parse_from_string(html, SupportedType::TextHtml) else { return false };
        let Some(body) = inert.body() else { return false };
        let root = self.root.clone();
        self.enter(&body, &root, Nesting::default(), false);
        true
    }

    /// Parses the next chunk of `html`, if any is left (false if there is none, or it could not be).
    fn parse_next_chunk(&mut self) -> bool {
        let from = self.parsed_to;
        let to = self.splits.iter().copied().find(|&split| split > from).unwrap_or(self.html.len());
        let chunk = self.html.get(from..to).map(str::to_owned);
        self.parsed_to = if to >= self.html.len() || chunk.is_none() { usize::MAX } else { to };
        chunk.is_some_and(|chunk| self.parse(&chunk))
    }

    fn enter(&mut self, source: &Node, target: &Node, nesting: Nesting, text_only: bool) {
        self.stack.push(Frame { next: source.first_child(), target: target.clone(), nesting, text_only });
    }

    /// Visits up to `slice` nodes; what is left goes on in a later task. At the end, the notice
    /// if content was cut.
    fn continue_for(mut self, slice: usize) {
        for _ in 0..slice {
            if self.stack.is_empty() && (self.parsed_to == usize::MAX || !self.parse_next_chunk()) {
                break;
            }
            let Some(frame) = self.stack.last_mut() else { break };
            let Some(node) = frame.next.take() else {
                self.stack.pop();
                continue;
            };
            frame.next = node.next_sibling();
            let (target, nesting, text_only) = (frame.target.clone(), frame.nesting, frame.text_only);
            if self.nodes_left == 0 {
                self.cut = true;
                self.stack.clear();
                self.parsed_to = usize::MAX;
                break;
            }
            self.nodes_left -= 1;
            self.visit(&node, &target, nesting, text_only);
        }
        if self.stack.is_empty() && self.parsed_to == usize::MAX {
            if self.cut {
                self.builder.append_cut_notice(&self.root);
            }
        } else {
            timers::set_timeout(Box::new(move || self.continue_for(SLICE_NODES)), 0);
        }
    }

    fn visit(&mut self, node: &Node, target: &Node, nesting: Nesting, text_only: bool) {
        match node.node_type() {
            Node::TEXT_NODE => {
                // A copy of the text node itself: its text never passes through the wasm.
                if let Ok(text) = self.builder.document.import_node(node) {
                    let _ = target.append_child(&text);
                }
            }
            // Only HTML-namespace elements are ever kept: SVG and MathML elements live in other
            // namespaces with other parsing rules (an `instanceof HTMLElement` check: no string).
            Node::ELEMENT_NODE => {
                let Some(element) = node.dyn_ref::<HtmlElement>() else { return };
                let inner = Nesting { depth: nesting.depth + 1, ..nesting };
                match element_rule(&element.local_name()) {
                    ElementRule::Drop => {}
                    // Checked after `Drop`, so a deep `<script>` or `<style>` is still dropped, not shown as text.
                    _ if text_only || nesting.depth >= MAX_DEPTH => self.enter(node, target, inner, true),
                    ElementRule::Unwrap => self.enter(node, target, inner, false),
                    // Past the indent limit a list or quote is unwrapped, or its text would leave the reader's box.
                    ElementRule::Keep(tag) if indents(tag) && nesting.indents >= MAX_INDENT_LEVELS => {
                        self.enter(node, target, inner, false);
                    }
                    ElementRule::Keep(tag) => {
                        let Ok(copy) = self.builder.document.create_element(tag) else { return };
                        self.builder.copy_attributes(element, &copy, tag);
                        let _ = target.append_child(&self.builder.wrap(&copy, tag));
                        let inner = Nesting { indents: inner.indents + usize::from(indents(tag)), ..inner };
                        self.enter(node, &copy, inner, false);
                    }
                }
            }
            // Comments, processing instructions and anything else carry nothing a reader needs.
            _ => {}
        }
    }
}

/// What the walk builds with, owned, so that it can go on in a later task.
struct Builder {
    document: Document,
    base_url: String,
    table_label: String,
    notice: String,
}

impl Builder {
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
        let url = Url::new_with_base(value, &self.base_url).ok()?;
        scheme_allowed(rule, &url.protocol()).then(|| url.href())
    }

    /// Wide tables scroll inside their own labelled, focusable box instead of widening the page.
    fn wrap(&self, element: &Element, tag: &str) -> Node {
        if tag != "table" {
            return element.clone().into();
        }
        let Ok(scroller) = self.document.create_element("div") else { return element.clone().into() };
        let _ = scroller.set_attribute("class", "table-scroll");
        let _ = scroller.set_attribute("role", "region");
        let _ = scroller.set_attribute("tabindex", "0");
        let _ = scroller.set_attribute("aria-label", &self.table_label);
        let _ = scroller.append_child(element);
        scroller.into()
    }

    fn append_cut_notice(&self, target: &Node) {
        let Ok(notice) = self.document.create_element("p") else { return };
        let _ = notice.set_attribute("class", "notice cut-notice");
        notice.set_text_content(Some(&self.notice));
        let _ = target.append_child(&notice);
    }
}

/// Bounding the browser parser's work before it starts. The HTML text is read once, as the HTML
/// tokenizer reads it (tags and their attributes, quotes respected; comments; raw text), and
/// rewritten where needed:
/// - comments, doctypes and processing instructions are left out (never kept, and a long run of
///   them makes Chromium's parser slow);
/// - tags nested deeper than `MAX_PARSE_DEPTH` (as the text tells it) are left out, their text
///   kept; a deep element the sanitiser drops with its content (`<script>`, `<svg>`,
///   `<template>`…) is left out with its content;
/// - a tag with more than `MAX_ATTRIBUTES` attributes keeps none;
/// - a `<` that starts nothing becomes `&lt;` (the same text), so that leaving tags out can never
///   join pieces into a new tag;
/// - past `MAX_PARSE_WORK` the rest is cut off. The work counts every tag kept, its attributes, and for
///   a start tag the formatting elements left open (`<b>`, `<font>`…): the parser reopens those in
///   every later block, so a few hundred of them turn a small body into a million elements;
/// - past `MAX_SCANNED_TAGS` tags read (kept or not), the rest is cut off too.
///
/// Whatever comes out is only ever parsed into an inert document and walked by the sanitiser, so
/// the rewriting needs to be cautious about cost, not about safety.
mod bound {
    use std::borrow::Cow;

    /// Nesting, as the text tells it, past which tags are left out. (Elements that close their
    /// own kind, like `p` and `li`, do not count: the count is lower than the tree's depth.)
    pub const MAX_PARSE_DEPTH: usize = 64;
    /// The parser's work, in tags, attributes and reopened formatting elements (see above), past
    /// which the HTML is cut off. The 5,000-paragraph benchmark article takes ≈ 12,000.
    pub const MAX_PARSE_WORK: usize = 40_000;
    /// Attributes one tag may have; one with more keeps none.
    pub const MAX_ATTRIBUTES: usize = 64;
    /// Tags read at most, kept or left out (reading one costs this scan a little too).
    pub const MAX_SCANNED_TAGS: usize = 200_000;
    /// Kept tags per chunk, at least, when the HTML can be parsed in chunks.
    pub const CHUNK_TAGS: usize = 2_000;
    /// The parser's work in one chunk, past which the HTML is cut off: the parser cannot be
    /// interrupted, and a run with no place to split (formatting elements left open, or a whole
    /// article inside one `<div>`) is parsed in one go. Chromium takes ≈ 19 µs per unit at 4× CPU
    /// slowdown (bench/sanitiser.mjs), so ≈ 150 ms; an article inside one container is cut after
    /// ≈ 4,000 paragraphs.
    pub const MAX_CHUNK_WORK: usize = 8_000;

    /// What a tag's name tells about its element.
    #[derive(Clone, Copy, Default)]
    struct Class {
        /// Never holds content (`<br>`).
        void: bool,
        /// Closed by the next of its kind (or its container's end), so it does not nest by itself
        /// (`<p>`, `<li>`, `<td>`…; outside their table the table parts are ignored altogether).
        closes_its_kind: bool,
        /// Its content is text up to its own end tag (in HTML content, outside `<select>`).
        raw_text: bool,
        /// One of the formatting elements the parser reopens when a block ends while they are open.
        formatting: Option<usize>,
        foreign: bool,
        select: bool,
        /// The sanitiser drops it with everything inside.
        dropped: bool,
        /// A block that closes an open paragraph: content can be split before it.
        block: bool,
    }

    fn classify(name: &[u8]) -> Class {
        let mut lower = [0_u8; 16];
        let Some(lower) = lower.get_mut(..name.len()) else { return Class::default() };
        for (lower, byte) in lower.iter_mut().zip(name) {
            *lower = byte.to_ascii_lowercase();
        }
        let Ok(name) = std::str::from_utf8(lower) else { return Class::default() };
        let block = matches!(
            name,
            "p" | "div" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "ul" | "ol" | "dl" | "table" | "blockquote" | "pre"
                | "figure" | "section" | "article" | "hr" | "center" | "address"
        );
        let mut class = Class { dropped: super::element_rule(name) == super::ElementRule::Drop, block, ..Class::default() };
        match name {
            "area" | "base" | "basefont" | "bgsound" | "br" | "col" | "embed" | "frame" | "hr" | "image" | "img"
            | "input" | "keygen" | "link" | "meta" | "param" | "source" | "track" | "wbr" => class.void = true,
            "p" | "li" | "dt" | "dd" | "option" | "optgroup" | "tr" | "td" | "th" | "thead" | "tbody" | "tfoot"
            | "caption" | "colgroup" => class.closes_its_kind = true,
            "script" | "style" | "textarea" | "title" | "xmp" | "iframe" | "noembed" | "noframes" => class.raw_text = true,
            "svg" | "math" => class.foreign = true,
            "select" => class.select = true,
            _ => class.formatting = FORMATTING.iter().position(|formatting| *formatting == name),
        }
        class
    }

    /// The last few names classified (a page uses a handful of tags over and over): their
    /// lower-case bytes, their length, and their class.
    #[derive(Default)]
    struct Classes {
        recent: [([u8; 16], usize, Class); 8],
        next: usize,
    }

    impl Classes {
        fn of(&mut self, name: &[u8]) -> Class {
            let same = |(bytes, length, _): &&([u8; 16], usize, Class)| bytes.get(..*length).is_some_and(|bytes| bytes.eq_ignore_ascii_case(name));
            if let Some((_, _, class)) = self.recent.iter().find(same) {
                return *class;
            }
            let class = classify(name);
            if let Some(slot) = self.recent.get_mut(self.next % 8) {
                let mut bytes = [0_u8; 16];
                if let Some(space) = bytes.get_mut(..name.len()) {
                    space.copy_from_slice(name);
                    *slot = (bytes, name.len(), class);
                    self.next += 1;
                }
            }
            class
        }
    }

    /// The elements the parser reopens when a block ends while they are open.
    const FORMATTING: [&str; 14] = ["a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u"];

    /// The HTML to parse, whether part of it was cut off, where it may be split into chunks
    /// that parse apart as they parse together (at a start tag with nothing open before it), and
    /// the parser's work in the first chunk.
    pub struct Bounded<'h> {
        pub html: Cow<'h, str>,
        pub cut: bool,
        pub splits: Vec<usize>,
        pub first_chunk_work: usize,
    }

    /// A tag as the tokenizer reads it: where its name ends, where it ends (after its `>`, or at
    /// the end of the text), its attributes, and whether it closes with `/>`.
    struct Tag<'h> {
        name: &'h [u8],
        name_end: usize,
        end: usize,
        attributes: usize,
        self_closing: bool,
    }

    #[derive(Clone, Copy)]
    enum In {
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
        Quoted(u8),
        Unquoted,
        AfterQuoted,
        SelfClosing,
    }

    fn is_space(byte: u8) -> bool {
        matches!(byte, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
    }

    /// Where `byte` next occurs at or after `from`.
    fn find(bytes: &[u8], from: usize, byte: u8) -> Option<usize> {
        bytes.get(from..)?.iter().position(|&found| found == byte).map(|found| from + found)
    }

    /// Reads the tag whose name starts at `from` (the HTML tokenizer's tag states, attributes
    /// counted, values skipped with their quotes).
    fn read_tag(bytes: &[u8], from: usize) -> Tag<'_> {
        let mut at = from;
        while bytes.get(at).is_some_and(|&byte| !is_space(byte) && byte != b'/' && byte != b'>') {
            at += 1;
        }
        let name = bytes.get(from..at).unwrap_or_default();
        let mut tag = Tag { name, name_end: at, end: bytes.len(), attributes: 0, self_closing: false };
        let mut state = In::BeforeName;
        while let Some(&byte) = bytes.get(at) {
            at += 1;
            state = match state {
                In::Quoted(quote) if byte == quote => In::AfterQuoted,
                In::Quoted(quote) => In::Quoted(quote),
                In::Unquoted if is_space(byte) => In::BeforeName,
                In::Unquoted if byte != b'>' => In::Unquoted,
                In::BeforeValue if byte == b'"' || byte == b'\'' => In::Quoted(byte),
                In::BeforeValue if is_space(byte) => In::BeforeValue,
                In::BeforeValue if byte != b'>' => In::Unquoted,
                _ if byte == b'>' => {
                    tag.end = at;
                    tag.self_closing = matches!(state, In::SelfClosing);
                    return tag;
                }
                In::Name | In::AfterName if byte == b'=' => In::BeforeValue,
                _ if byte == b'/' => In::SelfClosing,
                In::Name if is_space(byte) => In::AfterName,
                In::Name => In::Name,
                In::AfterName if is_space(byte) => In::AfterName,
                _ if is_space(byte) => In::BeforeName,
                // Anything else starts an attribute (its name may begin with `=`).
                _ => {
                    tag.attributes += 1;
                    In::Name
                }
            };
        }
        tag
    }

    /// Where the comment, doctype, CDATA or processing instruction at `lt` (`<!`, `<?`, `</` and
    /// no letter) ends.
    fn declaration_end(bytes: &[u8], lt: usize) -> usize {
        let after_gt = |from: usize| find(bytes, from, b'>').map_or(bytes.len(), |at| at + 1);
        if bytes.get(lt..lt + 4) != Some(b"<!--") {
            return after_gt(lt);
        }
        // `<!-->` and `<!--->` are whole (empty) comments; others end at `-->` or `--!>`.
        match bytes.get(lt + 4..lt + 6) {
            Some([b'>', _]) => return lt + 5,
            Some(b"->") => return lt + 6,
            _ => {}
        }
        let mut at = lt + 4;
        while let Some(dash) = find(bytes, at, b'-') {
            match bytes.get(dash..dash + 4) {
                Some([b'-', b'-', b'>', _]) => return dash + 3,
                Some(b"--!>") => return dash + 4,
                _ if bytes.get(dash..) == Some(b"-->") => return dash + 3,
                _ => at = dash + 1,
            }
        }
        bytes.len()
    }

    /// Where the raw text that starts at `from` ends: after `</name` and its tag, or at the end.
    fn raw_text_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
        let mut at = from;
        while let Some(lt) = find(bytes, at, b'<') {
            let start = lt + 2;
            let named = bytes.get(lt + 1) == Some(&b'/')
                && bytes.get(start..start + name.len()).is_some_and(|found| found.eq_ignore_ascii_case(name));
            if named && bytes.get(start + name.len()).is_none_or(|&byte| is_space(byte) || byte == b'/' || byte == b'>') {
                return read_tag(bytes, start).end;
            }
            at = lt + 1;
        }
        bytes.len()
    }

    /// Where the element whose content starts at `from` ends: after the end tag that matches it
    /// (elements of the same name inside counted), or at the end of the text.
    fn matching_end(bytes: &[u8], from: usize, name: &[u8]) -> usize {
        let mut open = 1_usize;
        let mut at = from;
        while let Some(lt) = find(bytes, at, b'<') {
            let end_tag = bytes.get(lt + 1) == Some(&b'/');
            let tag = read_tag(bytes, lt + 1 + usize::from(end_tag));
            at = lt + 1;
            if !tag.name.eq_ignore_ascii_case(name) {
                continue;
            }
            at = tag.end;
            if !end_tag && !tag.self_closing {
                open += 1;
            } else if end_tag {
                open -= 1;
                if open == 0 {
                    return tag.end;
                }
            }
        }
        bytes.len()
    }

    /// The output: the input, copied in spans, with some spans left out or replaced. Borrowed
    /// until the first change.
    struct Rewrite<'h> {
        html: &'h str,
        out: Option<String>,
        copied: usize,
    }

    impl<'h> Rewrite<'h> {
        /// Where `at` in the input is in the output.
        fn position(&self, at: usize) -> usize {
            self.out.as_ref().map_or(at, |out| out.len() + at.saturating_sub(self.copied))
        }

        fn replace(&mut self, from: usize, to: usize, with: &str) {
            let out = self.out.get_or_insert_with(|| String::with_capacity(self.html.len()));
            out.push_str(self.html.get(self.copied..from).unwrap_or_default());
            out.push_str(with);
            self.copied = to;
        }

        fn finish(mut self, cut_at: Option<usize>) -> Cow<'h, str> {
            let end = cut_at.unwrap_or(self.html.len());
            match self.out.take() {
                None => Cow::Borrowed(self.html.get(..end).unwrap_or_default()),
                Some(mut out) => {
                    out.push_str(self.html.get(self.copied..end).unwrap_or_default());
                    Cow::Owned(out)
                }
            }
        }
    }

    /// What is open, as far as the text tells it.
    #[derive(Default)]
    struct Open {
        depth: usize,
        formatting: [usize; 14],
        /// Inside `<svg>` or `<math>` (no raw text there), or `<select>` (parsed by its own rules).
        foreign: usize,
        select: usize,
    }

    /// Adds `cost` to `work`; true once it is past `budget`.
    fn charge(work: &mut usize, cost: usize, budget: usize) -> bool {
        *work = work.saturating_add(cost);
        *work > budget
    }

    /// See the module's documentation.
    pub fn bound_markup(html: &str) -> Bounded<'_> {
        let bytes = html.as_bytes();
        let mut rewrite = Rewrite { html, out: None, copied: 0 };
        let mut open = Open::default();
        let mut classes = Classes::default();
        let (mut work, mut scanned) = (0_usize, 0_usize);
        let (mut splits, mut since_split, mut chunk_work) = (Vec::new(), 0_usize, 0_usize);
        let mut first_chunk_work = None;
        let mut cut_at = None;
        let mut at = 0;
        while let Some(lt) = find(bytes, at, b'<') {
            let next = bytes.get(lt + 1).copied();
            let letter_after = |offset: usize| bytes.get(lt + offset).is_some_and(u8::is_ascii_alphabetic);
            if matches!(next, Some(b'!' | b'?')) || (next == Some(b'/') && !letter_after(2)) {
                // Comments and the like; `</>` is ignored, `</` and no letter is a comment.
                at = if bytes.get(lt + 2) == Some(&b'>') && next == Some(b'/') { lt + 3 } else { declaration_end(bytes, lt) };
                rewrite.replace(lt, at, "");
                continue;
            }
            if next != Some(b'/') && !letter_after(1) {
                at = lt + 1;
                rewrite.replace(lt, at, "&lt;");
                continue;
            }
            let end_tag = next == Some(b'/');
            let tag = read_tag(bytes, lt + if end_tag { 2 } else { 1 });
            at = tag.end;
            // What the parser will do for it: the tag, its attributes, and (a start tag) the
            // formatting elements it may reopen. Tags left out cost it nothing.
            let open_formatting = open.formatting.iter().sum::<usize>();
            let cost = 1 + tag.attributes + if end_tag { 0 } else { open_formatting };
            // Nothing open before this block's start tag (but a paragraph, which it closes): the HTML
            // can be split here.
            let class = classes.of(tag.name);
            let splits_here = !end_tag && class.block && open.depth == 0 && open_formatting == 0 && open.foreign == 0 && open.select == 0;
            if splits_here && since_split >= CHUNK_TAGS {
                splits.push(rewrite.position(lt));
                first_chunk_work.get_or_insert(chunk_work);
                (since_split, chunk_work) = (0, 0);
            }
            scanned += 1;
            if scanned > MAX_SCANNED_TAGS {
                cut_at = Some(lt);
                break;
            }
            let nests = !(class.void || class.closes_its_kind || (tag.self_closing && open.foreign > 0));
            let formatting = class.formatting.and_then(|index| open.formatting.get_mut(index));
            let kept = if end_tag {
                let kept = if nests { open.depth <= MAX_PARSE_DEPTH } else { open.depth < MAX_PARSE_DEPTH };
                if nests {
                    open.depth = open.depth.saturating_sub(1);
                }
                if let Some(count) = formatting {
                    *count = count.saturating_sub(1);
                }
                if class.foreign {
                    open.foreign = open.foreign.saturating_sub(1);
                }
                if class.select {
                    open.select = open.select.saturating_sub(1);
                }
                kept
            } else {
                let kept = open.depth < MAX_PARSE_DEPTH;
                if nests {
                    open.depth += 1;
                }
                if kept {
                    if let Some(count) = formatting {
                        *count += 1;
                    }
                    open.foreign += usize::from(class.foreign && !tag.self_closing);
                    open.select += usize::from(class.select);
                }
                kept
            };
            // (`|`, not `||`: both are charged.)
            if kept && (charge(&mut work, cost, MAX_PARSE_WORK) | charge(&mut chunk_work, cost, MAX_CHUNK_WORK)) {
                cut_at = Some(lt);
                break;
            }
            since_split += usize::from(kept);
            if !end_tag && class.raw_text && open.foreign == 0 && open.select == 0 {
                // Its text, up to and with its end tag, goes with it (kept or left out).
                at = raw_text_end(bytes, at, tag.name);
                open.depth = open.depth.saturating_sub(1);
            } else if !end_tag && !kept && nests && class.dropped {
                // Left out deep, with all it holds: the sanitiser would drop it so.
                at = matching_end(bytes, at, tag.name);
                open.depth = open.depth.saturating_sub(1);
            }
            if !kept {
                rewrite.replace(lt, at, "");
            } else if tag.attributes > MAX_ATTRIBUTES {
                rewrite.replace(lt, tag.end, html.get(lt..tag.name_end).unwrap_or_default());
                rewrite.replace(tag.end, tag.end, ">");
            }
        }
        let html = rewrite.finish(cut_at);
        splits.retain(|&split| split < html.len());
        let first_chunk_work = if splits.is_empty() { work } else { first_chunk_work.unwrap_or(work) };
        Bounded { html, cut: cut_at.is_some(), splits, first_chunk_work }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn bounded(html: &str) -> (String, bool) {
            let out = bound_markup(html);
            (out.html.into_owned(), out.cut)
        }

        #[test]
        fn ordinary_articles_pass_untouched() {
            for html in [
                "<p>Đoạn <b>một</b>.</p><ul><li>a<li>b</ul>",
                r#"<p><a href="/x?a=1&b=2" title="a > b">link</a><img src=x.png alt='1 > 0'></p>"#,
                "<table><tr><td>1<td>2<tr><td>3</table><script>if (a<b) x()</script><p>sau</p>",
                "<br/><p/>text<hr />",
            ] {
                assert!(matches!(bound_markup(html).html, Cow::Borrowed(_)), "{html}");
                assert_eq!(bounded(html), (html.to_owned(), false));
            }
        }

        #[test]
        fn comments_and_declarations_are_left_out() {
            assert_eq!(bounded("a<!-- x <div> -->b<!DOCTYPE html>c<?php x ?>d</ e>f</>g").0, "abcdfg");
            assert_eq!(bounded("<!-->a<!--->b<!-- c --!>d<!-- never closed <p>x").0, "abd");
            for end in ["<!-->", "<!--->", "<!-- x --", "<!-- x -->", "<!", "</"] {
                assert_eq!(bounded(&format!("a{end}")).0, "a", "{end}");
            }
        }

        #[test]
        fn top_level_content_is_split_into_chunks() {
            let html = "<p>Đoạn <b>đậm</b> &lt; x.</p><!-- c -->".repeat(3_000);
            let out = bound_markup(&html);
            assert!(!out.cut && out.splits.len() > 1, "{}", out.splits.len());
            let mut from = 0;
            for &split in &out.splits {
                assert!(split > from && out.html.get(split..).is_some_and(|rest| rest.starts_with("<p>")));
                from = split;
            }
            // Nothing is split inside an open element.
            let wrapped = format!("<div>{html}</div>");
            assert!(bound_markup(&wrapped).splits.is_empty());
        }

        #[test]
        fn a_stray_less_than_sign_stays_text() {
            assert_eq!(bounded("1 < 2 <3 <").0, "1 &lt; 2 &lt;3 &lt;");
        }

        #[test]
        fn deep_nesting_is_flattened_to_its_text() {
            let html = format!("{}đáy{}<p>cuối</p>", "<div>".repeat(50_000), "</div>".repeat(50_000));
            let (out, cut) = bounded(&html);
            assert!(!cut);
            let expected = format!("{}đáy{}<p>cuối</p>", "<div>".repeat(MAX_PARSE_DEPTH), "</div>".repeat(MAX_PARSE_DEPTH));
            assert_eq!(out, expected);
            // A deep script goes with its text; a deep paragraph is left out, its text kept.
            let deep = format!("{}<script>x</script><p>y</p>{}", "<b>".repeat(MAX_PARSE_DEPTH), "</b>".repeat(MAX_PARSE_DEPTH));
            let out = bounded(&deep).0;
            assert!(!out.contains('x') && out.contains('y') && !out.contains("<p>"), "{out}");
        }

        #[test]
        fn deep_elements_the_sanitiser_drops_go_with_their_content() {
            let inner = "<p>Đoạn sâu</p><script>var lộ = 1</script><style>p{color:red}</style><template>mẫu</template>\
                         <svg><text>vẽ</text><svg>x</svg>y</svg><noscript>không</noscript><input value=z><b>đậm</b>";
            let html = format!("{}{inner}{}", "<div><i>".repeat(500), "</i></div>".repeat(500));
            let out = bounded(&html).0;
            for gone in ["lộ", "color", "mẫu", "vẽ", "x", "y", "không", "<input"] {
                assert!(!out.contains(gone), "{gone}: {out}");
            }
            assert!(out.contains("Đoạn sâu") && out.contains("đậm"));
        }

        #[test]
        fn quotes_and_raw_text_are_read_as_the_parser_reads_them() {
            // The `>` and `<script>` inside the quotes belong to the attribute: the divs that
            // follow are markup, and are counted.
            let html = format!(r#"<div title="><script>">{}x"#, "<div>".repeat(100));
            assert_eq!(bounded(&html).0.matches("<div").count(), MAX_PARSE_DEPTH);
            // Inside <svg> a <style> is not raw text.
            let html = format!("<svg><style>{}x", "<div>".repeat(100));
            assert_eq!(bounded(&html).0.matches("<div").count(), MAX_PARSE_DEPTH - 2);
            // Inside a <script> markup is text, not counted.
            let html = format!("<script>{}</script>x", "<div>".repeat(100));
            assert_eq!(bounded(&html), (html.clone(), false));
        }

        #[test]
        fn a_tag_with_too_many_attributes_keeps_none() {
            let many: String = (0..100).map(|i| format!(" a{i}=\"{i}\"")).collect();
            assert_eq!(bounded(&format!("<p{many}>x</p>")).0, "<p>x</p>");
        }

        #[test]
        fn a_run_that_cannot_be_split_is_cut_at_the_chunk_budget() {
            // A whole article inside one container is parsed in one go: bounded by the chunk budget.
            let paragraphs = "<p>Đoạn.</p>".repeat(6_000);
            let wrapped = format!("<div>{paragraphs}</div>");
            let out = bound_markup(&wrapped);
            assert!(out.cut && out.splits.is_empty());
            assert_eq!(out.html.matches("<p>").count(), MAX_CHUNK_WORK / 2);
            // The same paragraphs side by side split into chunks, none of them near the budget.
            let out = bound_markup(&paragraphs);
            assert!(!out.cut && out.splits.len() > 1);
            assert!(out.first_chunk_work <= CHUNK_TAGS + 1, "{}", out.first_chunk_work);
            assert_eq!(bound_markup("<p>a <b>b</b></p>").first_chunk_work, 4);
        }

        #[test]
        fn reopened_formatting_elements_and_long_bodies_are_cut() {
            // 60 bold elements left open in a paragraph: the parser would reopen all 60 in each
            // of the 5,000 paragraphs after it (300,000 elements).
            let open: String = (0..60).map(|i| format!("<b id={i}>")).collect();
            let html = format!("<p>{open}x</p>{}", "<p>y</p>".repeat(5_000));
            let (out, cut) = bounded(&html);
            assert!(cut && out.matches("<p>").count() < 1_000, "{}", out.matches("<p>").count());
            // Past the nesting bound they are left out, and cost nothing.
            let open: String = (0..200).map(|i| format!("<b id={i}>")).collect();
            let (out, cut) = bounded(&format!("<p>{open}x</p>{}", "<p>y</p>".repeat(5_000)));
            assert!(!cut && out.matches("<b").count() == MAX_PARSE_DEPTH && !out.contains("<p>y"));
            let (out, cut) = bounded(&"<div>x</div>".repeat(200_000));
            assert!(cut && out.ends_with("</div>") && out.matches("<div>").count() == MAX_PARSE_WORK / 2);
        }
    }
}
