//! Rules for reading aloud: which voice fits the article, and how text is cut into utterances.
//! Chrome stops a long utterance after about 15 s, and a sentence is also the natural unit to
//! pause on, so the reader speaks sentence by sentence.

/// Sentences longer than this are cut again after a `;` or `:` so no utterance runs too long.
const LONG_SENTENCE: usize = 200;
/// Abbreviations whose full stop does not end a sentence ("TP. Hồ Chí Minh", "ThS. Nguyễn Văn A").
const ABBREVIATIONS: [&str; 11] = ["TP", "Tp", "ThS", "TS", "PGS", "GS", "BS", "KS", "Mr", "Dr", "St"];

/// The primary language subtag, lower case: `vi` for `vi-VN`, `vi_VN` (older Android) or `VI`.
fn primary(tag: &str) -> String {
    tag.split(['-', '_']).next().unwrap_or_default().trim().to_ascii_lowercase()
}

/// Whether a voice whose `lang` is `voice_lang` can read an article in `article_lang`.
pub fn voice_matches(voice_lang: &str, article_lang: &str) -> bool {
    let wanted = primary(article_lang);
    !wanted.is_empty() && primary(voice_lang) == wanted
}

/// The `utterance.lang` for an article language: Vietnamese always as `vi-VN`, which every
/// platform's Vietnamese voice answers to; other tags as given.
pub fn utterance_lang(article_lang: &str) -> String {
    if primary(article_lang) == "vi" { "vi-VN".to_owned() } else { article_lang.trim().to_owned() }
}

/// The sentences of `text`, trimmed, in order, none empty. A sentence ends at `.`, `!`, `?` or `…`
/// (with any closing quotes or brackets) followed by white space and a character that is not a
/// lower-case letter, except after a known abbreviation; line breaks always end one.
pub fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let end = at + c.len_utf8();
            let piece = line.get(start..end).unwrap_or_default();
            let terminal = matches!(c, '.' | '!' | '?' | '…') && !ends_with_abbreviation(piece);
            let clause = matches!(c, ';' | ':') && piece.trim().chars().count() > LONG_SENTENCE;
            if !(terminal || clause) {
                continue;
            }
            // Closing punctuation belongs to the sentence it closes.
            let mut cut = end;
            while let Some(&(next_at, next)) = chars.peek() {
                if !matches!(next, '.' | '!' | '?' | '…' | '"' | '”' | '’' | ')' | ']' | '/') {
                    break;
                }
                cut = next_at + next.len_utf8();
                chars.next();
            }
            let rest = line.get(cut..).unwrap_or_default();
            let after = rest.trim_start().chars().next();
            let spaced = rest.starts_with(char::is_whitespace);
            if spaced && after.is_some_and(|next| clause || !is_lower(next)) {
                push(&mut out, line.get(start..cut).unwrap_or_default());
                start = cut;
            }
        }
        push(&mut out, line.get(start..).unwrap_or_default());
    }
    out
}

fn push<'a>(out: &mut Vec<&'a str>, piece: &'a str) {
    let piece = piece.trim();
    if piece.chars().any(crate::reading_time::is_wordlike) {
        out.push(piece);
    }
}

/// A lower-case letter of Vietnamese (or basic Latin) text, without Unicode tables in the wasm:
/// ASCII, Latin-1 (à–ÿ), đ ĩ ũ ơ ư, and the precomposed letters U+1EA0–U+1EF9 (upper, lower pairs).
fn is_lower(c: char) -> bool {
    let code = u32::from(c);
    c.is_ascii_lowercase()
        || (0xDF..=0xFF).contains(&code) && code != 0xF7
        || matches!(c, 'ă' | 'đ' | 'ĩ' | 'ũ' | 'ơ' | 'ư')
        || (0x1EA0..=0x1EF9).contains(&code) && code % 2 == 1
}

fn ends_with_abbreviation(piece: &str) -> bool {
    let word = piece.trim_end_matches('.').rsplit(|c: char| !c.is_ascii_alphanumeric()).next().unwrap_or_default();
    ABBREVIATIONS.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_voices_match_vietnamese_articles() {
        assert!(voice_matches("vi-VN", "vi"));
        assert!(voice_matches("vi_VN", "vi-VN"));
        assert!(voice_matches("VI", "vi"));
        assert!(!voice_matches("en-US", "vi"));
        assert!(!voice_matches("", ""));
        assert_eq!(utterance_lang("vi"), "vi-VN");
        assert_eq!(utterance_lang("en-GB"), "en-GB");
    }

    #[test]
    fn text_is_cut_into_sentences() {
        assert_eq!(
            sentences("Chiều ngày 26/12/2023, hội nghị khai mạc. Tham dự có lãnh đạo! Có ai vắng không? Không…"),
            ["Chiều ngày 26/12/2023, hội nghị khai mạc.", "Tham dự có lãnh đạo!", "Có ai vắng không?", "Không…"]
        );
        assert_eq!(sentences("Ông nói: “Tốt lắm.” Rồi về."), ["Ông nói: “Tốt lắm.”", "Rồi về."]);
        assert_eq!(sentences("Tại TP. Hồ Chí Minh, ThS. Lan phát biểu. Xong."), ["Tại TP. Hồ Chí Minh, ThS. Lan phát biểu.", "Xong."]);
        assert_eq!(sentences("Giá 1.500 đồng, v.v. và các khoản khác."), ["Giá 1.500 đồng, v.v. và các khoản khác."]);
        assert_eq!(sentences("Dòng một\nDòng hai./."), ["Dòng một", "Dòng hai./."]);
        assert_eq!(sentences("  \n – \n"), Vec::<&str>::new());
        assert_eq!(sentences("Xong. Ấp mới. ấp cũ. Đường"), ["Xong.", "Ấp mới. ấp cũ.", "Đường"]);
        assert!(is_lower('ở') && is_lower('đ') && is_lower('ư') && !is_lower('Ở') && !is_lower('Đ') && !is_lower('1'));
    }

    #[test]
    fn long_sentences_are_cut_at_clauses() {
        let clause = "các tổ chức chính trị - xã hội đã tập trung bám sát sự chỉ đạo của cấp trên";
        let long = format!("{clause} {clause} {clause}; {clause}; ngắn; cuối.");
        let parts = sentences(&long);
        assert_eq!(parts.len(), 2, "{parts:?}");
        assert!(parts.iter().all(|p| p.chars().count() < 400));
        assert_eq!(sentences("Ngắn; vẫn một câu."), ["Ngắn; vẫn một câu."]);
    }
}
