//! Property tests ("fuzzing") of everything in the core that reads untrusted input: article JSON
//! (JSON Feed, WordPress, Liferay), RSS and Atom feeds (as bytes, and as XML trees such as a browser
//! could hand over), dates, URLs, and the text cut into utterances for reading aloud. Nothing may panic (a panic in
//! wasm kills every reader on the page) and what comes out must hold the invariants the reader
//! relies on when it shows it.
//!
//! The default case counts keep the whole file under ~30 s. For a long run set PROPTEST_CASES, e.g.
//! `PROPTEST_CASES=200000 cargo test --release -p commune-reader-core --test fuzz`: every property here
//! then runs that many cases. Failures are shrunk and saved under `core/tests/fuzz.proptest-regressions`.

use commune_reader_core::datetime::{iso_in_vietnam, parse_datetime, parse_feed_date, VIETNAM_OFFSET_MINUTES};
use commune_reader_core::reading_time::is_wordlike;
use commune_reader_core::speech::{utterances, MAX_UTTERANCE_CHARS};
use commune_reader_core::sanitize_rules::{
    attribute_rule, element_rule, number_value, scheme_of, url_allowed, AttributeRule, ElementRule,
};
use commune_reader_core::{
    article_from_document, article_from_feed_xml, read_response, Article, Body, Document, FormatError, SourceOptions,
    XmlElement, XmlNode, MAX_RESPONSE_BYTES,
};
use proptest::prelude::*;
use proptest::test_runner::Config;

const FIXTURES: [&str; 5] = [
    include_str!("../../demo/articles/ducpho-truc-bao.json"),
    include_str!("../../demo/articles/tin-tuc.feed.json"),
    include_str!("../../demo/articles/wp-lich-tiep-dan.json"),
    include_str!("fixtures/liferay-structured-content.json"),
    include_str!("fixtures/liferay-structured-contents-page.json"),
];

const FEEDS: [&str; 2] = [include_str!("fixtures/rss-portal.xml"), include_str!("fixtures/atom-portal.xml")];

/// PROPTEST_CASES overrides every property's default case count.
fn cases(default: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(default);
    Config { cases, failure_persistence: None, ..Config::default() }
}

const YEAR_1900_MS: i64 = -2_208_988_800_000;
const YEAR_10000_MS: i64 = 253_402_300_800_000;
const DAY_MS: i64 = 86_400_000;

/// What the reader relies on in every article it is handed.
fn check_article(article: &Article) -> Result<(), TestCaseError> {
    let single_line = |text: &str| {
        !text.starts_with(' ')
            && !text.ends_with(' ')
            && !text.contains("  ")
            && !text.chars().any(|c| c.is_control() || (c.is_whitespace() && c != ' '))
    };
    prop_assert!(single_line(&article.title), "title is one line: {:?}", article.title);
    for author in &article.authors {
        prop_assert!(!author.is_empty() && single_line(author), "author {:?}", author);
    }
    for category in &article.categories {
        prop_assert!(!category.is_empty() && single_line(category), "category {:?}", category);
    }
    if let Some(agency) = &article.agency {
        prop_assert!(single_line(agency), "agency {:?}", agency);
    }
    prop_assert!(!article.language.is_empty(), "language tag is never empty");
    prop_assert!(article.language.len() <= 35);
    prop_assert!(
        article.language.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'),
        "language tag {:?} can go into lang=\"…\" as is",
        article.language
    );
    if let Some(views) = article.views {
        prop_assert!(views <= 10_000_000_000, "views {}", views);
    }
    if let Some(url) = &article.url {
        let lower = url.to_ascii_lowercase();
        prop_assert!(lower.starts_with("http://") || lower.starts_with("https://"), "url {:?}", url);
        prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control()), "url {:?}", url);
    }
    if let Some(ms) = article.published_ms {
        prop_assert!((YEAR_1900_MS - DAY_MS..YEAR_10000_MS + DAY_MS).contains(&ms), "date {}", ms);
    }
    let has_body = match &article.body {
        Body::Html(html) => !html.trim().is_empty(),
        Body::Paragraphs(paragraphs) => {
            prop_assert!(paragraphs.iter().all(|p| !p.trim().is_empty() && p.trim() == p), "paragraphs {:?}", paragraphs);
            !paragraphs.is_empty()
        }
    };
    prop_assert!(!article.title.is_empty() || has_body, "an article has a title or a body");
    Ok(())
}

/// The reader's native entry point on raw bytes, with `data-item` when given.
fn parse_article(bytes: &[u8], item: Option<&str>) -> Result<Article, FormatError> {
    read_response(bytes, Some("application/json"), &SourceOptions { item: item.map(str::to_owned), ..SourceOptions::default() })
}

/// A feed read natively, with the content type and `data-item` given; invariants and determinism
/// checked like [`parse_and_check`].
fn read_feed_and_check(bytes: &[u8], content_type: Option<&str>, item: Option<&str>) -> Result<Result<Article, FormatError>, TestCaseError> {
    let options = SourceOptions { item: item.map(str::to_owned), url: Some("https://xa.gov.vn/rss/tin.xml".into()), ..SourceOptions::default() };
    let read = read_response(bytes, content_type, &options);
    if let Ok(article) = &read {
        check_article(article)?;
    }
    prop_assert_eq!(&read, &read_response(bytes, content_type, &options));
    Ok(read)
}

/// Parses, checks invariants, and checks that parsing is deterministic.
fn parse_and_check(bytes: &[u8], item: Option<&str>) -> Result<Result<Article, FormatError>, TestCaseError> {
    let parsed = parse_article(bytes, item);
    if let Ok(article) = &parsed {
        check_article(article)?;
    }
    prop_assert_eq!(&parsed, &parse_article(bytes, item));
    Ok(parsed)
}

// ---------------------------------------------------------------------------------------------
// JSON-ish documents from a grammar: the fields the adapters read, with values of every type.

const KEYS: &[&str] = &[
    "title", "content_html", "content_text", "items", "id", "url", "date_published", "language", "authors",
    "author", "name", "_reader", "views", "source", "content", "rendered", "_embedded", "date_gmt", "link",
    "version", "", "__proto__", "constructor", "tags", "slug", "contentFields", "contentFieldValue", "data",
    "dataType", "nestedContentFields", "datePublished", "creator", "description", "friendlyUrlPath", "key",
    "taxonomyCategoryBriefs", "taxonomyCategoryName", "image", "contentUrl", "label", "contentStructureId",
];

fn json_string() -> impl Strategy<Value = String> {
    let raw = prop_oneof![
        "[a-zA-Z0-9 àáạảãăắâấđêếôốơớưứỳ]{0,12}",
        Just("2023-12-27T09:14:00+07:00".to_owned()),
        Just("2023-02-30T25:61:00Z".to_owned()),
        Just("0000-00-00 00:00:00".to_owned()),
        Just("https://xa.gov.vn/a".to_owned()),
        Just("javascript:alert(1)".to_owned()),
        Just("<p>x</p><script>alert(1)</script>".to_owned()),
        Just("  \\n\\t\\u0007 ".to_owned()),
        Just("\\ud800".to_owned()),
        Just("\\u0000".to_owned()),
        Just("en-GB".to_owned()),
        Just("-5".to_owned()),
        Just("99999999999999999999".to_owned()),
        Just("\\\"".to_owned()),
        any::<String>().prop_map(|s| s.replace(['\\', '"'], "").chars().filter(|c| !c.is_control()).collect()),
    ];
    raw.prop_map(|s| format!("\"{s}\""))
}

fn json_number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<i64>().prop_map(|n| n.to_string()),
        any::<u64>().prop_map(|n| n.to_string()),
        any::<f64>().prop_filter("finite", |f| f.is_finite()).prop_map(|f| f.to_string()),
        Just("1e30".to_owned()),
        Just("-0".to_owned()),
        Just("10000000000".to_owned()),
        Just("10000000001".to_owned()),
        Just("1.0".to_owned()),
        Just("123456789012345678901234567890".to_owned()),
        Just("1e400".to_owned()),
    ]
}

fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("false".to_owned()),
        json_number(),
        json_string(),
    ];
    leaf.prop_recursive(6, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(|items| format!("[{}]", items.join(","))),
            prop::collection::vec((prop::sample::select(KEYS), inner), 0..8).prop_map(|members| {
                let members: Vec<String> = members.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

/// A document shaped like an article, feed or WordPress post, with values of any type.
fn json_document() -> impl Strategy<Value = String> {
    prop_oneof![
        json_value(),
        prop::collection::vec((prop::sample::select(KEYS), json_value()), 0..12).prop_map(|members| {
            let members: Vec<String> = members.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{{}}}", members.join(","))
        }),
        (json_value(), json_value(), json_value()).prop_map(|(title, body, views)| {
            format!(r#"{{"title":{title},"content_html":{body},"_reader":{{"views":{views}}}}}"#)
        }),
        (json_value(), json_value()).prop_map(|(item, id)| format!(r#"{{"items":[{item},{{"id":{id},"title":"T"}}]}}"#)),
        (json_value(), json_value()).prop_map(|(title, author)| {
            format!(r#"{{"title":{{"rendered":{title}}},"content":{{"rendered":"<p>x</p>"}},"_embedded":{{"author":{author}}}}}"#)
        }),
    ]
}

/// Nesting far beyond any parser's comfort, around a title so the document would otherwise be an article.
fn deep_document() -> impl Strategy<Value = String> {
    (1usize..20_000, 0usize..3, json_value()).prop_map(|(depth, kind, core)| match kind {
        0 => format!(r#"{{"title":"T","x":{}{core}{}}}"#, "[".repeat(depth), "]".repeat(depth)),
        1 => format!(r#"{{"title":"T","x":{}{core}{}}}"#, r#"{"a":"#.repeat(depth), "}".repeat(depth)),
        _ => format!("{}{core}", "[".repeat(depth)),
    })
}

/// Byte-level mutations of a real article: delete, insert, overwrite, duplicate, truncate.
#[derive(Debug, Clone)]
enum Mutation {
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Overwrite(usize, Vec<u8>),
    Duplicate(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let bytes = prop_oneof![
        prop::collection::vec(any::<u8>(), 1..8),
        prop::sample::select(vec![
            b"\"".to_vec(), b"{".to_vec(), b"}".to_vec(), b"[".to_vec(), b"]".to_vec(), b",".to_vec(),
            b":".to_vec(), b"\\".to_vec(), b"null".to_vec(), b"-1".to_vec(), b"\xEF\xBB\xBF".to_vec(),
            b"\xC3".to_vec(), b"\\ud800".to_vec(), b"1e999".to_vec(),
        ]),
    ];
    prop_oneof![
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Delete(at, len)),
        (any::<usize>(), bytes.clone()).prop_map(|(at, b)| Mutation::Insert(at, b)),
        (any::<usize>(), bytes).prop_map(|(at, b)| Mutation::Overwrite(at, b)),
        (any::<usize>(), 1usize..256).prop_map(|(at, len)| Mutation::Duplicate(at, len)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(mut bytes: Vec<u8>, mutations: &[Mutation]) -> Vec<u8> {
    for m in mutations {
        let len = bytes.len().max(1);
        match m {
            Mutation::Delete(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                if at < end {
                    bytes.drain(at..end);
                }
            }
            Mutation::Insert(at, b) => {
                let at = at % (bytes.len() + 1);
                bytes.splice(at..at, b.iter().copied());
            }
            Mutation::Overwrite(at, b) => {
                let at = at % len;
                for (i, byte) in b.iter().enumerate() {
                    if let Some(slot) = bytes.get_mut(at + i) {
                        *slot = *byte;
                    }
                }
            }
            Mutation::Duplicate(at, n) => {
                let at = at % len;
                let end = (at + n).min(bytes.len());
                let copy: Vec<u8> = bytes.get(at..end).unwrap_or_default().to_vec();
                bytes.splice(at..at, copy);
            }
            Mutation::Truncate(at) => bytes.truncate(at % len),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512), item in prop::option::of("[a-z0-9-]{0,6}")) {
        let _ = parse_and_check(&bytes, item.as_deref())?;
    }

    #[test]
    fn json_from_the_grammar_is_read_leniently(doc in json_document(), item in prop::option::of(prop_oneof![Just("b".to_owned()), "[a-z]{0,3}"])) {
        let parsed = parse_and_check(doc.as_bytes(), item.as_deref())?;
        // The grammar only writes valid JSON (lone surrogates aside), so it is never "not JSON"
        // unless nesting or a lone surrogate made serde_json give up.
        if parsed == Err(FormatError::NotJson) {
            prop_assert!(doc.contains("\\ud800") || doc.contains("1e400"), "valid JSON refused: {}", doc);
        }
        // With a byte-order mark, or leading white space, the answer is the same.
        let with_bom = [b"\xEF\xBB\xBF".as_slice(), doc.as_bytes()].concat();
        prop_assert_eq!(parse_article(&with_bom, item.as_deref()), parse_article(doc.as_bytes(), item.as_deref()));
        let spaced = format!(" \n\t{doc}");
        prop_assert_eq!(parse_article(spaced.as_bytes(), item.as_deref()), parse_article(doc.as_bytes(), item.as_deref()));
    }

    #[test]
    fn the_format_types_read_the_same_from_any_deserializer(doc in json_document(), item in prop::option::of(Just("b".to_owned()))) {
        // A document value (as JSON.parse would hand it over: no repeated keys) read by serde_json's
        // text parser and by serde_json::Value's own Deserializer gives the same article.
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&doc) else { return Ok(()) };
        let options = SourceOptions { item, ..SourceOptions::default() };
        let from_value = serde_json::from_value::<Document>(value.clone()).map(|d| article_from_document(d, &options));
        let text = serde_json::to_string(&value).unwrap();
        let from_text = serde_json::from_str::<Document>(&text).map(|d| article_from_document(d, &options));
        prop_assert_eq!(from_value.ok(), from_text.ok(), "{}", text);
    }

    #[test]
    fn deep_nesting_is_refused_without_overflow(doc in deep_document()) {
        let parsed = parse_and_check(doc.as_bytes(), None)?;
        if doc.len() > 2 * 130 + 20 && doc.starts_with("{\"title\":\"T\",\"x\":") {
            let depth = doc.matches('[').count().max(doc.matches("{\"a\":").count());
            if depth > 130 {
                prop_assert_eq!(parsed, Err(FormatError::NotJson));
            }
        }
    }

    #[test]
    fn mutated_demo_articles_never_panic(
        fixture in 0usize..FIXTURES.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
        item in prop::option::of(prop_oneof![Just("b".to_owned()), "[a-z0-9-]{1,40}"]),
    ) {
        let source = FIXTURES.get(fixture).copied().unwrap_or_default();
        let bytes = mutate(source.as_bytes().to_vec(), &mutations);
        let _ = parse_and_check(&bytes, item.as_deref())?;
    }

    #[test]
    fn a_demo_field_replaced_by_any_value_still_parses_or_fails_cleanly(
        fixture in 0usize..FIXTURES.len(),
        key in prop::sample::select(KEYS),
        value in json_value(),
    ) {
        let source = FIXTURES.get(fixture).copied().unwrap_or_default();
        let mut document: serde_json::Value = serde_json::from_str(source).unwrap();
        let replacement: serde_json::Value = match serde_json::from_str(&value) {
            Ok(v) => v,
            Err(_) => return Ok(()),
        };
        // Replace the field at the top level and inside the first feed item, where the adapters look.
        if let Some(object) = document.as_object_mut() {
            object.insert(key.to_owned(), replacement.clone());
        }
        if let Some(first) = document.get_mut("items").and_then(|items| items.get_mut(0)).and_then(|i| i.as_object_mut()) {
            first.insert(key.to_owned(), replacement);
        }
        let bytes = serde_json::to_vec(&document).unwrap();
        let _ = parse_and_check(&bytes, None)?;
    }
}

// ---------------------------------------------------------------------------------------------
// Feeds: mutated RSS and Atom bytes, and XML trees of any shape (as a browser's DOMParser could
// hand over: parser errors, odd namespaces, missing or repeated elements).

const FEED_NAMESPACES: &[Option<&str>] = &[
    None, None, None, Some("http://www.w3.org/2005/Atom"), Some("http://purl.org/rss/1.0/modules/content/"),
    Some("http://purl.org/dc/elements/1.1/"), Some("http://purl.org/rss/1.0/"), Some("http://www.w3.org/1999/xhtml"),
];

const FEED_NAMES: &[&str] = &[
    "rss", "channel", "item", "title", "link", "guid", "description", "encoded", "creator", "author", "pubDate", "date",
    "category", "language", "feed", "entry", "id", "content", "summary", "name", "published", "updated", "div", "p",
    "html", "parsererror", "RDF", "subject",
];

const FEED_ATTRIBUTES: &[&str] = &["type", "href", "rel", "isPermaLink", "label", "term", "lang", "base", "src"];

fn feed_text() -> impl Strategy<Value = String> {
    prop_oneof![
        json_string().prop_map(|quoted| quoted.trim_matches('"').to_owned()),
        Just("Wed, 27 Dec 2023 09:14:00 +0700".to_owned()),
        Just("27/12/2023 09:14".to_owned()),
        Just("/tin-tuc/1.html".to_owned()),
        Just("../../a".to_owned()),
        Just("//x.vn/a".to_owned()),
        Just("html".to_owned()),
        Just("xhtml".to_owned()),
        Just("alternate".to_owned()),
        Just("false".to_owned()),
        Just("&lt;p&gt;x&lt;/p&gt;".to_owned()),
        Just("mail@x.vn (Tên)".to_owned()),
        Just("vi_VN".to_owned()),
    ]
}

fn xml_tree() -> impl Strategy<Value = XmlElement> {
    let leaf = feed_text().prop_map(XmlNode::Text);
    let node = leaf.prop_recursive(6, 96, 8, |inner| {
        (
            prop::sample::select(FEED_NAMESPACES),
            prop::sample::select(FEED_NAMES),
            prop::collection::vec((prop::sample::select(FEED_ATTRIBUTES), feed_text()), 0..3),
            prop::collection::vec(inner, 0..8),
        )
            .prop_map(|(namespace, name, attributes, children)| {
                XmlNode::Element(XmlElement {
                    namespace: namespace.map(str::to_owned),
                    name: name.to_owned(),
                    attributes: attributes.into_iter().map(|(k, v)| (k.to_owned(), v)).collect(),
                    children,
                })
            })
    });
    (prop::sample::select(vec!["rss", "feed", "RDF", "channel", "entry", "html", "urlset"]), prop::collection::vec(node, 0..8))
        .prop_map(|(name, children)| {
            let namespace = matches!(name, "feed" | "entry").then(|| "http://www.w3.org/2005/Atom".to_owned());
            XmlElement { namespace, name: name.to_owned(), attributes: Vec::new(), children }
        })
}

proptest! {
    #![proptest_config(cases(256))]

    #[test]
    fn mutated_feeds_never_panic(
        feed in 0usize..FEEDS.len(),
        mutations in prop::collection::vec(mutation(), 1..6),
        content_type in prop::option::of(prop::sample::select(vec!["application/rss+xml", "application/atom+xml", "text/html", "application/json"])),
        item in prop::option::of(prop_oneof![Just("ducpho-tin-2417".to_owned()), "[a-z0-9:/.-]{1,30}"]),
    ) {
        let source = FEEDS.get(feed).copied().unwrap_or_default();
        let bytes = mutate(source.as_bytes().to_vec(), &mutations);
        let _ = read_feed_and_check(&bytes, content_type, item.as_deref())?;
    }

    #[test]
    fn xml_trees_of_any_shape_never_panic(tree in xml_tree(), item in prop::option::of(feed_text())) {
        let options = SourceOptions { item, url: Some("https://xa.gov.vn/rss/tin.xml".into()), ..SourceOptions::default() };
        let read = article_from_feed_xml(&tree, &options);
        if let Ok(article) = &read {
            check_article(article)?;
        }
        prop_assert_eq!(&read, &article_from_feed_xml(&tree, &options));
    }
}

#[test]
fn the_size_cap_is_enforced_before_parsing() {
    let huge = vec![b' '; MAX_RESPONSE_BYTES + 1];
    assert_eq!(parse_article(&huge, None), Err(FormatError::TooLarge));
}

// ---------------------------------------------------------------------------------------------
// URLs: `scheme_of` against an independent state-machine reading of the WHATWG URL parser.

/// The scheme the WHATWG "scheme start" / "scheme" states would find, written as a state machine.
fn reference_scheme(url: &str) -> Option<String> {
    let chars: Vec<char> = url.chars().collect();
    let mut start = 0;
    let mut end = chars.len();
    while start < end && chars.get(start).is_some_and(|c| *c <= ' ') {
        start += 1;
    }
    while end > start && chars.get(end - 1).is_some_and(|c| *c <= ' ') {
        end -= 1;
    }
    let mut scheme = String::new();
    for (i, c) in chars.get(start..end)?.iter().copied().filter(|c| !matches!(c, '\t' | '\n' | '\r')).enumerate() {
        match c {
            ':' if i > 0 => return Some(format!("{scheme}:")),
            c if c.is_ascii_alphabetic() => scheme.push(c.to_ascii_lowercase()),
            c if i > 0 && (c.is_ascii_digit() || matches!(c, '+' | '-' | '.')) => scheme.push(c),
            _ => return None,
        }
    }
    None
}

fn url_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9:/?#.+\\-\t\n\r \u{0}-\u{1f}\u{7f}\u{a0}\u{feff}%&;]{0,24}",
        "[ \u{0}-\u{1f}]{0,3}[a-zA-Z][a-zA-Z0-9+.\\-\t\n]{0,10}:[a-z/]{0,8}",
    ]
}

/// `javascript:`, `vbscript:`, `data:` and `file:` disguised the ways browsers forgive.
fn disguised_scheme() -> impl Strategy<Value = String> {
    let scheme = prop::sample::select(vec!["javascript", "vbscript", "data", "file", "blob", "filesystem"]);
    (
        scheme,
        prop::collection::vec(any::<bool>(), 16),
        prop::collection::vec(prop::sample::select(vec!["", "", "", "\t", "\n", "\r", "\r\n\t"]), 16),
        "[ \u{0}-\u{1f}]{0,4}",
        "[ -~]{0,16}",
    )
        .prop_map(|(scheme, upper, gaps, lead, rest)| {
            let mut text = lead;
            for (i, c) in scheme.chars().enumerate() {
                text.push(if upper.get(i).copied().unwrap_or(false) { c.to_ascii_uppercase() } else { c });
                text.push_str(gaps.get(i).copied().unwrap_or(""));
            }
            format!("{text}:{rest}")
        })
}

proptest! {
    #![proptest_config(cases(2048))]

    #[test]
    fn scheme_of_reads_urls_as_browsers_do(url in url_text()) {
        let scheme = scheme_of(&url);
        prop_assert_eq!(&scheme, &reference_scheme(&url), "{:?}", url);
        if let Some(scheme) = &scheme {
            prop_assert!(scheme.ends_with(':') && scheme.len() >= 2);
            prop_assert!(scheme.bytes().all(|b| !b.is_ascii_uppercase()));
        }
        for rule in [AttributeRule::LinkUrl, AttributeRule::ImageUrl] {
            let allowed = url_allowed(rule, &url);
            if allowed {
                prop_assert!(matches!(scheme.as_deref(), None | Some("http:" | "https:" | "mailto:" | "tel:")), "{:?}", url);
            }
        }
        if url_allowed(AttributeRule::ImageUrl, &url) {
            prop_assert!(matches!(scheme.as_deref(), None | Some("http:" | "https:")), "{:?}", url);
        }
        prop_assert!(!url_allowed(AttributeRule::Text, &url) || scheme.is_none());
    }

    #[test]
    fn tabs_newlines_and_edge_controls_do_not_change_the_scheme(
        url in url_text(),
        at in any::<usize>(),
        noise in prop::sample::select(vec!["\t", "\n", "\r", "\r\n"]),
        edge in "[ \u{0}-\u{1f}]{0,3}",
    ) {
        let chars: Vec<char> = url.chars().collect();
        let at = at % (chars.len() + 1);
        let noisy: String = chars.iter().take(at).chain(noise.chars().collect::<Vec<_>>().iter()).chain(chars.iter().skip(at)).collect();
        prop_assert_eq!(scheme_of(&noisy), scheme_of(&url));
        prop_assert_eq!(scheme_of(&format!("{edge}{url}{edge}")), scheme_of(url.trim_matches(|c: char| c <= ' ')));
    }

    #[test]
    fn disguised_dangerous_schemes_are_refused(url in disguised_scheme()) {
        prop_assert!(!url_allowed(AttributeRule::LinkUrl, &url), "{:?}", url);
        prop_assert!(!url_allowed(AttributeRule::ImageUrl, &url), "{:?}", url);
    }

    #[test]
    fn web_addresses_and_relative_paths_are_allowed(path in "[a-zA-Z0-9/._~%-]{0,30}", secure in any::<bool>()) {
        let absolute = format!("{}://xa.gov.vn/{path}", if secure { "https" } else { "http" });
        prop_assert!(url_allowed(AttributeRule::LinkUrl, &absolute));
        prop_assert!(url_allowed(AttributeRule::ImageUrl, &absolute));
        let relative = format!("/{path}");
        prop_assert!(url_allowed(AttributeRule::ImageUrl, &relative));
    }

    #[test]
    fn the_allowlist_never_admits_scripting(tag in "[a-zA-Z:-]{0,12}", attribute in "[a-zA-Z:-]{0,14}") {
        let tag = tag.to_ascii_lowercase();
        if let ElementRule::Keep(kept) = element_rule(&tag) {
            prop_assert!(!["script", "style", "iframe", "svg", "math", "object", "embed", "form", "template", "base", "meta", "link"].contains(&kept));
        }
        let attribute = attribute.to_ascii_lowercase();
        let dangerous = attribute.starts_with("on")
            || ["style", "srcset", "srcdoc", "formaction", "action", "xlink:href", "background", "poster", "id", "name", "class", "target", "data"]
                .contains(&attribute.as_str());
        if dangerous {
            prop_assert_eq!(attribute_rule(&tag, &attribute), None);
        }
    }

    #[test]
    fn number_attributes_are_small_whole_numbers(value in any::<String>()) {
        if let Some(n) = number_value(&value) {
            prop_assert!(n <= 10_000);
            prop_assert_eq!(value.trim().parse::<u32>().ok(), Some(n));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// Days from 1970-01-01 by counting whole years and months: slow, obviously right.
fn reference_days(year: i64, month: i64, day: i64) -> i64 {
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let mut days = 0;
    if year >= 1970 {
        for y in 1970..year {
            days += if leap(y) { 366 } else { 365 };
        }
    } else {
        for y in year..1970 {
            days -= if leap(y) { 366 } else { 365 };
        }
    }
    let lengths = [31, if leap(year) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    days + lengths.iter().take((month - 1) as usize).sum::<i64>() + day - 1
}

fn month_length(year: i64, month: i64) -> i64 {
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

proptest! {
    #![proptest_config(cases(2048))]

    #[test]
    fn any_text_is_a_date_or_none_never_a_panic(text in prop_oneof![
        any::<String>(),
        "[0-9:+\\-TZ .tz]{0,32}",
        "([A-Za-z]{3}, )?[0-9]{1,2} [A-Za-z]{3,9} [0-9]{2,4}( [0-9]{1,2}:[0-9]{2}(:[0-9]{2})?)?( [+-][0-9]{2}:?[0-9]{2}| [A-Z]{1,4})?( \\(ICT\\))?",
        "[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}( [0-9:]{0,9})?",
        "[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{0,12})?)?(Z|[+-][0-9]{2}:?[0-9]{2})?.{0,2}",
    ], offset in -1440i32..=1440) {
        if let Some(ms) = parse_datetime(&text, offset) {
            prop_assert!((YEAR_1900_MS - 2 * DAY_MS..YEAR_10000_MS + 2 * DAY_MS).contains(&ms), "{:?} → {}", text, ms);
        }
        if let Some(ms) = parse_feed_date(&text) {
            prop_assert!((YEAR_1900_MS - 2 * DAY_MS..YEAR_10000_MS + 2 * DAY_MS).contains(&ms), "{:?} → {}", text, ms);
        }
    }

    #[test]
    fn well_formed_dates_parse_to_the_right_instant(
        year in 1900i64..=9999, month in 1i64..=12, day in 1i64..=31,
        hour in 0i64..=23, minute in 0i64..=59, second in 0i64..=59, millis in 0i64..=999,
        offset in prop::option::of((any::<bool>(), 0i64..=23, 0i64..=59)),
        separator in prop::sample::select(vec!["T", " ", "t"]),
    ) {
        let zone = match offset {
            None => String::new(),
            Some((negative, h, m)) => format!("{}{h:02}:{m:02}", if negative { '-' } else { '+' }),
        };
        let text = format!("{year:04}-{month:02}-{day:02}{separator}{hour:02}:{minute:02}:{second:02}.{millis:03}{zone}");
        let parsed = parse_datetime(&text, VIETNAM_OFFSET_MINUTES);
        if day > month_length(year, month) {
            prop_assert_eq!(parsed, None, "{}", text);
        } else {
            let offset_minutes = match offset {
                None => i64::from(VIETNAM_OFFSET_MINUTES),
                Some((negative, h, m)) => if negative { -(h * 60 + m) } else { h * 60 + m },
            };
            let local = reference_days(year, month, day) * DAY_MS + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
            prop_assert_eq!(parsed, Some(local - offset_minutes * 60_000), "{}", text);
        }
    }

    #[test]
    fn vietnam_time_round_trips(ms in YEAR_1900_MS + DAY_MS..YEAR_10000_MS - DAY_MS) {
        let iso = iso_in_vietnam(ms);
        prop_assert_eq!(parse_datetime(&iso, 0), Some(ms.div_euclid(1000) * 1000), "{}", iso);
    }

    #[test]
    fn mutated_dates_never_panic(at in any::<usize>(), c in any::<char>(), cut in any::<usize>()) {
        let mut text: Vec<char> = "2023-12-27T09:14:00.123+07:00".chars().collect();
        let len = text.len();
        if let Some(slot) = text.get_mut(at % len) {
            *slot = c;
        }
        let text: String = text.into_iter().take(cut % (len + 1)).collect();
        let _ = parse_datetime(&text, VIETNAM_OFFSET_MINUTES);
    }
}

// ---------------------------------------------------------------------------------------------
// Read-aloud: utterances.

/// Text like a commune report: words, numbers, dates, abbreviations, punctuation, long runs
/// without a full stop, line breaks, and now and then anything at all.
fn report_text() -> impl Strategy<Value = String> {
    let token = prop_oneof![
        8 => prop::sample::select(vec![
            "Ủy", "ban", "nhân", "dân", "xã", "thực", "hiện", "kế", "hoạch", "chuyển", "đổi", "số", "Nhân", "dân",
            "1.234.567", "27/12/2023", "09:14", "3,5", "87,5%", "TP.HCM", "UBND", "v.v.", "TT-VH-TT", "Q.1",
            "125/KH-UBND", "TP.", "ThS.", "Q.", "đồng,", "thôn;", "sau:", "–", "-", "“Tốt", "lắm.”", "(năm", "2024)",
            "Xong.", "Vì", "sao?", "Hay!", "…", ",", ".",
        ]).prop_map(str::to_owned),
        1 => "[a-zA-Zà-ỹ0-9.,;:/%-]{1,12}",
        1 => "x{240,320}",
        1 => any::<String>(),
    ];
    let gap = prop::sample::select(vec![" ", " ", " ", " ", "  ", "\n", "\r\n", "\t", "\u{a0}", ", ", "; ", ". "]);
    prop::collection::vec((token, gap), 0..220).prop_map(|parts| parts.into_iter().map(|(t, g)| format!("{t}{g}")).collect())
}

proptest! {
    #![proptest_config(cases(512))]

    #[test]
    fn utterances_are_short_whole_word_slices_of_the_text(text in report_text()) {
        let base = text.as_ptr() as usize;
        let mut end_of_previous = 0;
        for chunk in utterances(&text) {
            let start = chunk.as_ptr() as usize - base;
            let end = start + chunk.len();
            prop_assert!(start >= end_of_previous && end <= text.len(), "in order, inside the text");
            prop_assert_eq!(text.get(start..end), Some(chunk));
            prop_assert!(!chunk.is_empty() && chunk.trim() == chunk, "{:?}", chunk);
            let gap = text.get(end_of_previous..start).unwrap_or_default();
            prop_assert!(!gap.chars().any(is_wordlike), "nothing to read is skipped: {:?}", gap);
            // Cuts only at white space: never inside a number, a date, a time or an abbreviation.
            prop_assert!(text.get(..start).unwrap_or_default().chars().next_back().is_none_or(char::is_whitespace), "{:?}", chunk);
            prop_assert!(text.get(end..).unwrap_or_default().chars().next().is_none_or(char::is_whitespace), "{:?}", chunk);
            let length = chunk.chars().count();
            prop_assert!(length <= MAX_UTTERANCE_CHARS || !chunk.contains(char::is_whitespace), "{} characters: {:?}", length, chunk);
            end_of_previous = end;
        }
        let rest = text.get(end_of_previous..).unwrap_or_default();
        prop_assert!(!rest.chars().any(is_wordlike), "nothing to read is left at the end: {:?}", rest);
    }
}
