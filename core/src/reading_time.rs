//! "≈ N phút đọc": reading time for Vietnamese text.
//!
//! Vietnamese is written one syllable per space-separated token, so tokens are counted rather than
//! words. The rate is 200 syllables a minute — below Brysbaert's (2019, J. Memory & Language)
//! 238 words/min for silent reading of English non-fiction, because a Vietnamese word averages
//! more than one syllable and the readers this widget serves are often elderly. Rounded up, at least 1.

pub const SYLLABLES_PER_MINUTE: usize = 200;

pub fn reading_minutes(text: &str) -> usize {
    let syllables = text.split_whitespace().filter(|token| token.chars().any(char::is_alphanumeric)).count();
    syllables.div_ceil(SYLLABLES_PER_MINUTE).max(1)
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
    }
}
