//! `data-structured-data`: a schema.org `NewsArticle` (JSON-LD) for search engines, built as text.
//! Every value is escaped for a JSON string inside an HTML `<script>`: `<`, `>` and `&` as `\u003c`…,
//! so article text can never close the script element.

use crate::datetime::iso_in_vietnam;
use crate::Article;

/// Appends `value` as a JSON string literal, safe inside `<script type="application/ld+json">`.
fn push_string(out: &mut String, value: &str) {
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' | '\u{0}'..='\u{1f}' => {
                out.push_str(&format!("\\u{:04x}", u32::from(c)));
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn push_field(out: &mut String, name: &str, value: &str) {
    out.push_str(",\"");
    out.push_str(name);
    out.push_str("\":");
    push_string(out, value);
}

/// The `NewsArticle` for `article`: headline, language, publication date (ISO 8601, Vietnam time),
/// authors, the agency as publisher, the address and the view count.
pub fn news_article(article: &Article, views: Option<u64>) -> String {
    let mut out = String::from(r#"{"@context":"https://schema.org","@type":"NewsArticle""#);
    push_field(&mut out, "headline", &article.title);
    push_field(&mut out, "inLanguage", &article.language);
    if let Some(ms) = article.published_ms {
        push_field(&mut out, "datePublished", &iso_in_vietnam(ms));
    }
    if let Some(url) = &article.url {
        push_field(&mut out, "url", url);
    }
    if !article.authors.is_empty() {
        out.push_str(",\"author\":[");
        for (index, name) in article.authors.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            out.push_str(r#"{"@type":"Person","name":"#);
            push_string(&mut out, name);
            out.push('}');
        }
        out.push(']');
    }
    if let Some(agency) = &article.agency {
        out.push_str(r#","publisher":{"@type":"Organization","name":"#);
        push_string(&mut out, agency);
        out.push('}');
    }
    if let Some(views) = views {
        // UserPageVisits is schema.org's UserInteraction for page views.
        out.push_str(&format!(
            r#","interactionStatistic":{{"@type":"InteractionCounter","interactionType":"https://schema.org/UserPageVisits","userInteractionCount":{views}}}"#
        ));
    }
    out.push('}');
    out
}

#[cfg(all(test, feature = "json"))]
mod tests {
    use super::*;

    #[test]
    fn a_news_article_with_every_field_parses_back() {
        let article = Article {
            title: "Họp dân \"Thôn 3\" </script><script>alert(1)</script>".into(),
            language: "vi".into(),
            published_ms: Some(1_703_643_240_000),
            authors: vec!["Thúy Yến".into(), "A & B".into()],
            agency: Some("Trung tâm TT-VH-TT thị xã Đức Phổ".into()),
            url: Some("https://xa.example.gov.vn/tin/1".into()),
            views: Some(98),
            ..Article::default()
        };
        let json = news_article(&article, article.views);
        assert!(!json.contains('<') && !json.contains('>') && !json.contains('&'), "{json}");
        let parsed: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(parsed["@type"], "NewsArticle");
        assert_eq!(parsed["headline"], article.title);
        assert_eq!(parsed["datePublished"], "2023-12-27T09:14:00+07:00");
        assert_eq!(parsed["author"][1]["name"], "A & B");
        assert_eq!(parsed["publisher"]["name"], "Trung tâm TT-VH-TT thị xã Đức Phổ");
        assert_eq!(parsed["inLanguage"], "vi");
        assert_eq!(parsed["interactionStatistic"]["userInteractionCount"], 98);
    }

    #[test]
    fn missing_fields_are_left_out() {
        let json = news_article(&Article { title: "a\u{2028}\n".into(), ..Article::default() }, None);
        assert_eq!(json, r#"{"@context":"https://schema.org","@type":"NewsArticle","headline":"a\u2028\u000a","inLanguage":""}"#);
        serde_json::from_str::<serde_json::Value>(&json).unwrap();
    }
}
