//! Rules for reading aloud: which voice fits the article, and how text is cut into utterances.
//! Chrome stops an utterance after about 15 s, and a sentence is also the natural unit to pause
//! on, so the reader speaks sentence by sentence, and a long sentence clause by clause.

/// No utterance is longer than this many characters (about 15 s of speech at 1×), unless one
/// word alone is longer.
pub const MAX_UTTERANCE_CHARS: usize = 250;
/// Abbreviations whose full stop does not end a sentence ("TP. Hồ Chí Minh", "ThS. Nguyễn Văn A").
/// A single capital letter ("Q. 1", "Nguyễn V. A") is one too.
const ABBREVIATIONS: [&str; 14] = ["TP", "Tp", "TX", "TT", "ThS", "TS", "PGS", "GS", "BS", "KS", "Mr", "Dr", "St", "Th"];

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

/// The utterances of `text`, in order: slices of it, trimmed, none empty, each at most
/// [`MAX_UTTERANCE_CHARS`] characters unless a single word is longer. The text is cut at sentence
/// ends and line breaks first (see [`sentences`]); a longer sentence after a `,` `;` or `:` that is
/// followed by white space, into pieces of about equal length; a clause still too long, between
/// words. Every cut is at white space, so numbers, dates, times and abbreviations ("1.234.567",
/// "27/12/2023", "09:14", "3,5", "TP.HCM", "v.v.", "TT-VH-TT") are never cut.
pub fn utterances(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for sentence in sentences(text) {
        if char_count(sentence) <= MAX_UTTERANCE_CHARS {
            out.push(sentence);
            continue;
        }
        for clause in pack(sentence, |c| matches!(c, ',' | ';' | ':')) {
            if char_count(clause) <= MAX_UTTERANCE_CHARS {
                out.push(clause);
            } else {
                out.extend(pack(clause, |_| true));
            }
        }
    }
    out
}

fn char_count(text: &str) -> usize {
    text.chars().count()
}

/// Cuts `text` at white space that follows a character accepted by `after`, into chunks of about
/// even length: the fewest that [`MAX_UTTERANCE_CHARS`] allows, each ending at the cut nearest to
/// its share. A piece longer than the maximum between two cuts is a chunk of its own.
fn pack<'a>(text: &'a str, after: fn(char) -> bool) -> Vec<&'a str> {
    let total = char_count(text);
    let target = total.div_ceil(total.div_ceil(MAX_UTTERANCE_CHARS).max(1));
    let mut chunks = Vec::new();
    let emit = |from: usize, to: usize, chunks: &mut Vec<&'a str>| push(chunks, text.get(from..to).unwrap_or_default());
    let mut start = 0;
    // The length in characters of text[start..at], and the last cut before `at` with its length.
    let mut count = 0;
    let mut cut: Option<(usize, usize)> = None;
    let mut previous: Option<char> = None;
    for (at, c) in text.char_indices() {
        let boundary = c.is_whitespace() && previous.is_some_and(|p| !p.is_whitespace() && after(p));
        previous = Some(c);
        if boundary && count >= target {
            let here_is_nearer = cut.is_none_or(|(_, before)| count - target <= target.saturating_sub(before));
            if count <= MAX_UTTERANCE_CHARS && here_is_nearer {
                emit(start, at, &mut chunks);
                (start, count, cut) = (at, 0, None);
            } else if let Some((last, before)) = cut.take() {
                emit(start, last, &mut chunks);
                (start, count) = (last, count - before);
                if count > MAX_UTTERANCE_CHARS {
                    emit(start, at, &mut chunks);
                    (start, count) = (at, 0);
                }
            } else {
                emit(start, at, &mut chunks);
                (start, count) = (at, 0);
            }
        }
        if boundary && count > 0 {
            cut = Some((at, count));
        }
        count += 1;
    }
    if let Some((last, _)) = cut.filter(|_| count > MAX_UTTERANCE_CHARS) {
        emit(start, last, &mut chunks);
        start = last;
    }
    emit(start, text.len(), &mut chunks);
    chunks
}

/// The sentences of `text`, trimmed, in order, none empty. A sentence ends at `.`, `!`, `?` or `…`
/// (with any closing quotes or brackets) followed by white space and a character that is not a
/// lower-case letter, except after a known abbreviation; line breaks always end one.
fn sentences(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut start = 0;
        let mut chars = line.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            let end = at + c.len_utf8();
            let piece = line.get(start..end).unwrap_or_default();
            if !matches!(c, '.' | '!' | '?' | '…') || ends_with_abbreviation(piece) {
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
            if spaced && after.is_some_and(|next| !is_lower(next)) {
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
    let word = piece.trim_end_matches('.').rsplit(|c: char| !c.is_alphanumeric()).next().unwrap_or_default();
    let mut letters = word.chars();
    let single_capital = letters.next().is_some_and(|c| c.is_alphabetic() && !is_lower(c)) && letters.next().is_none();
    single_capital || ABBREVIATIONS.contains(&word)
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
        let sentences = utterances;
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
        let parts = utterances(&long);
        assert_eq!(parts, [format!("{clause} {clause} {clause};"), format!("{clause}; ngắn; cuối.")]);
        assert_eq!(utterances("Ngắn; vẫn một câu."), ["Ngắn; vẫn một câu."]);
    }

    /// Issue 14.2: a 448-character sentence with commas only went to speechSynthesis whole.
    #[test]
    fn an_official_sentence_with_commas_only_is_cut_into_short_utterances() {
        let sentence = "Thực hiện Kế hoạch số 125/KH-UBND ngày 27/12/2023 của UBND huyện về chuyển đổi số năm 2024, \
            UBND xã đã chỉ đạo các thôn, tổ dân phố phối hợp với Trung tâm TT-VH-TT huyện tuyên truyền đến Nhân dân, \
            hướng dẫn 1.234 hộ gia đình cài đặt ứng dụng VNeID và mở tài khoản thanh toán điện tử, \
            đạt 87,5% chỉ tiêu được giao, vượt 3,5% so với cùng kỳ năm trước, \
            cập nhật dữ liệu dân cư lúc 09:14 mỗi ngày, \
            bảo đảm đúng tiến độ theo yêu cầu của UBND tỉnh đề ra.";
        assert_eq!(sentence.chars().count(), 448, "the sentence of the issue");
        let parts = utterances(sentence);
        assert!(parts.len() >= 2, "{parts:?}");
        for part in &parts {
            assert!(part.chars().count() <= MAX_UTTERANCE_CHARS, "{} characters: {part}", part.chars().count());
            assert!(part.ends_with(',') || part.ends_with('.'), "cut after a comma: {part}");
        }
        assert_eq!(parts.concat().replace(' ', ""), sentence.replace(' ', ""));
        for kept in ["125/KH-UBND", "27/12/2023", "1.234", "87,5%", "3,5%", "09:14", "TT-VH-TT"] {
            assert!(parts.iter().any(|part| part.contains(kept)), "{kept} is whole in one utterance");
        }
    }

    #[test]
    fn a_clause_without_commas_is_cut_between_words() {
        let words = "Ủy ban nhân dân xã tổ chức tuyên truyền TP.HCM UBND v.v. tại Q.1 ngày 27/12/2023 lúc 09:14 ".repeat(9);
        let parts = utterances(&words);
        assert!(parts.len() >= 4, "{parts:?}");
        assert!(parts.iter().all(|part| part.chars().count() <= MAX_UTTERANCE_CHARS));
        let lengths: Vec<usize> = parts.iter().map(|part| part.chars().count()).collect();
        let (shortest, longest) = (lengths.iter().min().copied().unwrap_or(0), lengths.iter().max().copied().unwrap_or(0));
        assert!(longest - shortest < 40, "about even: {lengths:?}");
        let word = "x".repeat(300);
        assert_eq!(utterances(&format!("Một {word} hai.")), ["Một", word.as_str(), "hai."]);
        assert_eq!(utterances("Tại Q. 1 và P. 5, ông Nguyễn V. A phát biểu."), ["Tại Q. 1 và P. 5, ông Nguyễn V. A phát biểu."]);
    }
}
