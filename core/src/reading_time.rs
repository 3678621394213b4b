//! "≈ N phút đọc": reading time for Vietnamese text.
//!
//! Vietnamese is written one syllable per space-separated token, so tokens are counted rather than
//! words. The rate is 200 syllables a minute — below Brysbaert's (2019, J. Memory & Language)
//! 238 words/min for silent reading of English non-fiction, because a Vietnamese word averages
//! more than one syllable and the readers this widget serves are often elderly. Rounded up, at least 1.

pub const SYLLABLES_PER_MINUTE: usize = 200;

pub fn reading_minutes(text: &str) -> usize {
    let syllables = text.split_whitespace().filter(|token| token.chars().any(is_wordlike)).count();
    syllables.div_ceil(SYLLABLES_PER_MINUTE).max(1)
}

/// Reading time of an article's body, whether HTML or plain paragraphs.
pub fn article_reading_minutes(article: &crate::Article) -> usize {
    match &article.body {
        crate::Body::Html(html) => reading_minutes(&crate::text::html_to_text(&html.replace('<', " <"))),
        crate::Body::Paragraphs(paragraphs) => reading_minutes(&paragraphs.join(" ")),
    }
}

/// A letter or digit for counting purposes, without Unicode tables in the wasm: ASCII letters and
/// digits, and any other character except the punctuation Vietnamese text uses.
pub fn is_wordlike(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || !(c.is_ascii() || c.is_whitespace() || matches!(c, '–' | '—' | '…' | '“' | '”' | '‘' | '’' | '«' | '»' | '•' | '·'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_syllables_and_rounds_up() {
        assert_eq!(reading_minutes(""), 1);
        assert_eq!(reading_minutes(&"tiếng ".repeat(200)), 1);
        assert_eq!(reading_minutes(&"tiếng ".repeat(201)), 2);
        assert_eq!(reading_minutes("– – – a"), 1, "punctuation is not read");
        let html = crate::Article { body: crate::Body::Html("<p>tiếng</p>".repeat(201)), ..Default::default() };
        assert_eq!(article_reading_minutes(&html), 2, "paragraphs do not merge their words");
        let plain = crate::Article { body: crate::Body::Paragraphs(vec!["tiếng ".repeat(401)]), ..Default::default() };
        assert_eq!(article_reading_minutes(&plain), 3);
    }
}
