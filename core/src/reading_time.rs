//! "≈ N phút đọc": reading time for Vietnamese text.
//!
//! Vietnamese is written one syllable per space-separated token, so tokens are counted rather than
//! words. The rate is 200 syllables a minute — below Brysbaert's (2019, J. Memory & Language)
//! 238 words/min for silent reading of English non-fiction, because a Vietnamese word averages
//! more than one syllable and the readers this widget serves are often elderly. Rounded up, at least 1.

pub const SYLLABLES_PER_MINUTE: usize = 200;

pub fn reading_minutes(text: &str) -> usize {
    let mut syllables = Syllables::default();
    text.chars().for_each(|c| syllables.read(Some(c)));
    minutes(syllables.counted)
}

/// Reading time of an article's body, whether HTML or plain paragraphs. One pass over the text,
/// without copying it: a body may be megabytes (issue 14.7).
pub fn article_reading_minutes(article: &crate::Article) -> usize {
    let mut syllables = Syllables::default();
    match &article.body {
        // A tag separates words ("<p>a</p><p>b</p>" is two).
        crate::Body::Html(html) => crate::text::for_each_text_char(html, |c| syllables.read(c)),
        crate::Body::Paragraphs(paragraphs) => {
            for paragraph in paragraphs {
                paragraph.chars().for_each(|c| syllables.read(Some(c)));
                syllables.read(None);
            }
        }
    }
    minutes(syllables.counted)
}

fn minutes(syllables: usize) -> usize {
    syllables.div_ceil(SYLLABLES_PER_MINUTE).max(1)
}

/// Counts whitespace-separated tokens with a letter or digit in them, character by character;
/// `None` (a tag, the end of a paragraph) separates tokens as whitespace does.
#[derive(Default)]
struct Syllables {
    counted: usize,
    in_counted_token: bool,
}

impl Syllables {
    #[inline]
    fn read(&mut self, c: Option<char>) {
        match c {
            None => self.in_counted_token = false,
            Some(c) if c.is_whitespace() => self.in_counted_token = false,
            Some(c) if !self.in_counted_token && is_wordlike(c) => {
                self.counted += 1;
                self.in_counted_token = true;
            }
            Some(_) => {}
        }
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
        let separate = crate::Article { body: crate::Body::Paragraphs(vec!["tiếng".into(); 201]), ..Default::default() };
        assert_eq!(article_reading_minutes(&separate), 2, "paragraphs do not merge their words");
        let entities = crate::Article { body: crate::Body::Html("a&nbsp;b ".repeat(101)), ..Default::default() };
        assert_eq!(article_reading_minutes(&entities), 2, "&nbsp; separates words");
        assert_eq!(reading_minutes("-- a-b ,c"), 1);
    }

    #[test]
    fn counts_tokens_as_split_whitespace_does() {
        for text in ["", "  ", "a", " a  b\tc\n", "– x –", "1.234 ý-kiến “ok” …", "\u{a0}a\u{a0}b"] {
            let expected = text.split_whitespace().filter(|token| token.chars().any(is_wordlike)).count();
            let mut syllables = Syllables::default();
            text.chars().for_each(|c| syllables.read(Some(c)));
            assert_eq!(syllables.counted, expected, "{text:?}");
        }
    }

    #[test]
    fn a_body_of_ampersands_is_read_in_one_pass() {
        // Before, each `&` looked for a `;` to the end of the body: quadratic.
        let body = crate::Article { body: crate::Body::Html("&".repeat(2_000_000)), ..Default::default() };
        assert_eq!(article_reading_minutes(&body), 1);
    }
}
