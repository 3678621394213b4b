//! Measured extraction quality on the saved portal pages of `tests/pages/` (six layouts: Liferay
//! journal article, Liferay news portlet, WordPress, DotNetNuke tables, hand-made, Joomla; written
//! by `tests/corpus/make_pages.py`). Prints a table per field and fails below the targets: title,
//! date and views exact on ≥ 95 % of pages, body text similarity ≥ 0.95 on ≥ 90 %.

// Test code: may index, unwrap and panic (clippy.toml allows it in #[test] functions only).
#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;

use commune_reader_import::clean::html_text;
use commune_reader_import::config::Config;
use commune_reader_import::extract::extract;
use commune_reader_import::item::Item;
use url::Url;

/// 2·LCS / (|a| + |b|) over words: 1.0 for the same text, lower for missing or extra words.
fn similarity(a: &str, b: &str) -> f64 {
    let a: Vec<&str> = a.split_whitespace().collect();
    let b: Vec<&str> = b.split_whitespace().collect();
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in &a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if x == y { prev[j] + 1 } else { cur[j].max(prev[j + 1]) };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    2.0 * prev[b.len()] as f64 / (a.len() + b.len()) as f64
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "--"
    }
}

#[test]
fn corpus_quality() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages");
    let config = Config::load(&dir.join("sites.toml")).unwrap();
    let mut pages: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    assert!(pages.len() >= 24, "corpus too small: {}", pages.len());

    let (mut title_ok, mut date_ok, mut views_ok, mut byline_ok, mut body_ok) = (0, 0, 0, 0, 0);
    let mut layouts = std::collections::BTreeSet::new();
    let mut failures = Vec::new();
    println!("\n{:<52} {:>5} {:>5} {:>5} {:>6} {:>6}", "page", "title", "date", "views", "byline", "body");
    for page in &pages {
        let name = page.file_stem().unwrap().to_string_lossy().to_string();
        let layout = ["liferay-journal", "liferay-news", "wordpress", "dnn-table", "handmade", "joomla"]
            .into_iter()
            .find(|l| name.get(3..).is_some_and(|rest| rest.starts_with(l)))
            .unwrap_or("other");
        layouts.insert(layout);
        let expected: Item = serde_json::from_str(&std::fs::read_to_string(page.with_extension("json")).unwrap()).unwrap();
        let html = std::fs::read_to_string(page).unwrap();
        let url = Url::parse(expected.url.as_deref().unwrap()).unwrap();
        let ex = extract(&html, Some(&url), &config.rules_for(Some(&url)));
        let got = Item::from_extracted(&ex, Some(&url), &name);
        let t = got.title == expected.title;
        let d = got.date_published == expected.date_published;
        let v = got.reader.views == expected.reader.views;
        let b = got.authors == expected.authors && got.reader.source == expected.reader.source;
        let sim = similarity(&html_text(&got.content_html), &html_text(&expected.content_html));
        title_ok += usize::from(t);
        date_ok += usize::from(d);
        views_ok += usize::from(v);
        byline_ok += usize::from(b);
        body_ok += usize::from(sim >= 0.95);
        println!("{:<52} {:>5} {:>5} {:>5} {:>6} {:>6.3}", name.chars().take(52).collect::<String>(), mark(t), mark(d), mark(v), mark(b), sim);
        if !(t && d && v && b && sim >= 0.95) {
            failures.push(format!(
                "{name}:\n  title {:?} / {:?}\n  date {:?} / {:?}\n  views {:?} / {:?}\n  byline {:?} {:?} / {:?} {:?}\n  body {sim:.3}: {}",
                got.title, expected.title, got.date_published, expected.date_published, got.reader.views, expected.reader.views,
                got.authors, got.reader.source, expected.authors, expected.reader.source,
                got.content_html.chars().take(300).collect::<String>()
            ));
        }
    }
    let n = pages.len();
    let pct = |k: usize| 100.0 * k as f64 / n as f64;
    println!("\n{n} pages, {} layouts", layouts.len());
    println!("{:<28} {:>3}/{n} {:>6.1} %   (target ≥ 95 %)", "title exact", title_ok, pct(title_ok));
    println!("{:<28} {:>3}/{n} {:>6.1} %   (target ≥ 95 %)", "date exact", date_ok, pct(date_ok));
    println!("{:<28} {:>3}/{n} {:>6.1} %   (target ≥ 95 %)", "views exact", views_ok, pct(views_ok));
    println!("{:<28} {:>3}/{n} {:>6.1} %   (target ≥ 80 %)", "byline (authors + source)", byline_ok, pct(byline_ok));
    println!("{:<28} {:>3}/{n} {:>6.1} %   (target ≥ 90 %)", "body similarity ≥ 0.95", body_ok, pct(body_ok));
    for f in &failures {
        println!("{f}");
    }
    assert!(layouts.len() >= 5, "layouts: {layouts:?}");
    assert!(pct(title_ok) >= 95.0, "title");
    assert!(pct(date_ok) >= 95.0, "date");
    assert!(pct(views_ok) >= 95.0, "views");
    assert!(pct(byline_ok) >= 80.0, "byline");
    assert!(pct(body_ok) >= 90.0, "body");
}
