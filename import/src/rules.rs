//! What Vietnamese commune portals print around an article, as pure text rules: the publication
//! date ("27/12/2023 09:14", Vietnam time), the view count beside it ("98", "Lượt xem: 1.234",
//! "(98 lượt xem)") and the byline on the last paragraph ("Thúy Yến – Trung tâm TT-VH-TT thị xã
//! Đức Phổ", "PV", "Theo Báo Quảng Ngãi").

/// A wall-clock time in Vietnam (UTC+07:00, no daylight saving time).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct VnDateTime {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl VnDateTime {
    /// RFC 3339 with the Vietnam offset, as the reader expects: `2023-12-27T09:14:00+07:00`.
    pub fn to_rfc3339(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:00+07:00",
            self.year, self.month, self.day, self.hour, self.minute
        )
    }

    fn valid(self) -> bool {
        let leap = (self.year.is_multiple_of(4) && !self.year.is_multiple_of(100)) || self.year.is_multiple_of(400);
        let days = match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return false,
        };
        (1990..=2100).contains(&self.year)
            && (1..=days).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
    }
}

/// A date found in a text, with the byte range it covers (date and time together).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateMatch {
    pub value: VnDateTime,
    pub has_time: bool,
    pub start: usize,
    pub end: usize,
}

/// A run of ASCII digits starting at byte `i`: (value, end). At most 4 digits.
fn digits(b: &[u8], i: usize) -> Option<(u32, usize)> {
    let mut j = i;
    let mut v: u32 = 0;
    while let Some(c) = b.get(j).filter(|c| c.is_ascii_digit()) {
        if j - i >= 4 {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
        j += 1;
    }
    if j == i {
        None
    } else {
        Some((v, j))
    }
}

fn is_digit_at(b: &[u8], i: usize) -> bool {
    b.get(i).is_some_and(u8::is_ascii_digit)
}

/// `d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy` or `yyyy-mm-dd` starting at `i`: (year, month, day, end).
fn date_at(b: &[u8], i: usize) -> Option<(u32, u32, u32, usize)> {
    if i > 0 && (is_digit_at(b, i - 1) || matches!(b.get(i - 1), Some(b'/' | b'.'))) {
        return None;
    }
    let (first, e1) = digits(b, i)?;
    let sep = *b.get(e1)?;
    if !matches!(sep, b'/' | b'-' | b'.') {
        return None;
    }
    let (second, e2) = digits(b, e1 + 1)?;
    if b.get(e2) != Some(&sep) {
        return None;
    }
    let (third, e3) = digits(b, e2 + 1)?;
    if is_digit_at(b, e3) {
        return None;
    }
    if e1 - i == 4 && sep == b'-' && e3 - e2 - 1 <= 2 {
        return Some((first, second, third, e3)); // 2023-12-27
    }
    if e1 - i <= 2 && e2 - e1 - 1 <= 2 && e3 - e2 - 1 == 4 {
        return Some((third, second, first, e3)); // 27/12/2023
    }
    None
}

/// "ngày 27 tháng 12 năm 2023" (case-insensitive) starting at `i`.
fn words_date_at(s: &str, i: usize) -> Option<(u32, u32, u32, usize)> {
    let rest = s.get(i..)?;
    let lower = rest.to_lowercase();
    if lower.len() != rest.len() {
        return None; // lowercasing changed byte offsets: don't guess
    }
    let after_ngay = lower.strip_prefix("ngày ")?;
    let b = after_ngay.as_bytes();
    let (d, e) = digits(b, 0)?;
    let t = after_ngay.get(e..)?.strip_prefix(" tháng ")?;
    let tb = t.as_bytes();
    let (m, e2) = digits(tb, 0)?;
    let n = t.get(e2..)?.strip_prefix(" năm ")?;
    let (y, e3) = digits(n.as_bytes(), 0)?;
    let end = rest.len() - (n.len() - e3);
    Some((y, m, d, i + end))
}

/// A time `hh:mm`, `hh:mm:ss`, `hhhmm` ("9h14") or `hh giờ mm`, optionally followed by SA/CH
/// (Vietnamese AM/PM) or AM/PM: (hour, minute, end).
fn time_at(s: &str, i: usize) -> Option<(u32, u32, usize)> {
    let b = s.as_bytes();
    if i > 0 && is_digit_at(b, i - 1) {
        return None;
    }
    let (h, e1) = digits(b, i)?;
    if e1 - i > 2 {
        return None;
    }
    let rest = s.get(e1..)?;
    let (m_start, colon) = if rest.starts_with(':') {
        (e1 + 1, true)
    } else if rest.starts_with('h') || rest.starts_with('H') {
        (e1 + 1, false)
    } else if let Some(r) = rest.strip_prefix(" giờ ") {
        (e1 + (rest.len() - r.len()), false)
    } else {
        return None;
    };
    let (m, mut end) = digits(b, m_start)?;
    if end - m_start != 2 {
        return None;
    }
    if colon && b.get(end) == Some(&b':') {
        if let Some((_, e)) = digits(b, end + 1).filter(|(_, e)| *e - end - 1 == 2) {
            end = e;
        }
    }
    if is_digit_at(b, end) || matches!(b.get(end), Some(b'/' | b'-' | b'.')) && is_digit_at(b, end + 1) {
        return None;
    }
    let mut hour = h;
    let tail = s.get(end..).unwrap_or("");
    let trimmed = tail.trim_start();
    for (mark, pm) in [("SA", false), ("CH", true), ("AM", false), ("PM", true), ("sa", false), ("ch", true), ("am", false), ("pm", true)] {
        if let Some(after) = trimmed.strip_prefix(mark) {
            if !after.chars().next().is_some_and(char::is_alphanumeric) {
                if pm && hour < 12 {
                    hour += 12;
                } else if !pm && hour == 12 {
                    hour = 0;
                }
                end += tail.len() - after.len();
                break;
            }
        }
    }
    Some((hour, m, end))
}

/// The first time in `s` at or after `from` within `window` bytes that is separated from `from`
/// only by spaces and punctuation (as "27/12/2023 - 09:14" or "27/12/2023, 09:14 SA").
fn time_after(s: &str, from: usize, window: usize) -> Option<(u32, u32, usize)> {
    let b = s.as_bytes();
    let mut i = from;
    while i < b.len() && i < from + window {
        if is_digit_at(b, i) {
            return time_at(s, i);
        }
        let c = s.get(i..)?.chars().next()?;
        if c.is_alphabetic() {
            // allow "lúc" between date and time
            let rest = s.get(i..)?;
            if let Some(r) = rest.strip_prefix("lúc ") {
                i += rest.len() - r.len();
                continue;
            }
            return None;
        }
        i += c.len_utf8();
    }
    None
}

/// A time just before `to` ("09:14 27/12/2023", "09:14 - 27/12/2023").
fn time_before(s: &str, to: usize, window: usize) -> Option<(u32, u32, usize)> {
    let start = to.saturating_sub(window);
    let mut best = None;
    for (i, _) in s.char_indices().filter(|(i, _)| *i >= start && *i < to) {
        if let Some((h, m, end)) = time_at(s, i) {
            let gap = s.get(end..to).unwrap_or("x");
            let gap_ok = gap.chars().all(|c| !c.is_alphanumeric())
                || gap.trim_start_matches(|c: char| !c.is_alphanumeric()).starts_with("ngày");
            if gap_ok {
                best = Some((h, m, i));
            }
        }
    }
    best
}

/// Every date in `s` (with the time printed beside it, if any), in order.
pub fn find_dates(s: &str) -> Vec<DateMatch> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !s.is_char_boundary(i) {
            i += 1;
            continue;
        }
        let found = if is_digit_at(b, i) { date_at(b, i) } else { None }
            .or_else(|| if matches!(b.get(i), Some(b'n' | b'N')) { words_date_at(s, i) } else { None });
        if let Some((year, month, day, end)) = found {
            let mut m = DateMatch {
                value: VnDateTime { year, month, day, hour: 0, minute: 0 },
                has_time: false,
                start: i,
                end,
            };
            if let Some((h, mi, e)) = time_after(s, end, 12) {
                m.value.hour = h;
                m.value.minute = mi;
                m.has_time = true;
                m.end = e;
            } else if let Some((h, mi, st)) = time_before(s, i, 14) {
                m.value.hour = h;
                m.value.minute = mi;
                m.has_time = true;
                m.start = st;
            }
            if m.value.valid() {
                i = m.end;
                out.push(m);
                continue;
            }
        }
        i += 1;
    }
    out
}

/// The date of a short "meta line" (title's date/views line).
pub fn find_date(s: &str) -> Option<DateMatch> {
    find_dates(s).into_iter().next()
}

/// A number written the Vietnamese way ("1.234", "1,234", "98", "1 234") starting at byte `i`:
/// (value, end).
fn number_at(s: &str, i: usize) -> Option<(u64, usize)> {
    let b = s.as_bytes();
    if i > 0 && is_digit_at(b, i - 1) {
        return None;
    }
    let mut j = i;
    let mut v: u64 = 0;
    let mut group = 0usize;
    let mut groups = 0usize;
    loop {
        match b.get(j) {
            Some(c) if c.is_ascii_digit() => {
                v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
                group += 1;
                j += 1;
            }
            Some(b'.' | b',' | b' ') if group > 0 && (groups == 0 && group <= 3 || group == 3) => {
                // a thousands separator only if exactly three digits follow
                let next3 = (1..=3).all(|k| is_digit_at(b, j + k)) && !is_digit_at(b, j + 4);
                if !next3 {
                    break;
                }
                groups += 1;
                group = 0;
                j += 1;
            }
            _ => break,
        }
    }
    if j == i || group == 0 {
        return None;
    }
    Some((v, j))
}

const VIEW_WORDS: [&str; 11] = [
    "lượt xem", "lượt đọc", "lần xem", "lần đọc", "lượt truy cập", "truy cập", "đã xem", "views", "view", "hits", "xem",
];

/// The view count printed in a meta line whose date (if any) spans `date`: "Lượt xem: 1.234",
/// "(98 lượt xem)", "98 lượt xem", or a lone number beside the date ("27/12/2023 09:14  98").
pub fn find_views(line: &str, date: Option<(usize, usize)>) -> Option<u64> {
    let lower = line.to_lowercase();
    let same_offsets = lower.len() == line.len();
    let text: String = match date {
        Some((a, b)) => {
            let mut t = String::with_capacity(line.len());
            t.push_str(line.get(..a).unwrap_or(""));
            t.push_str(&" ".repeat(b.saturating_sub(a)));
            t.push_str(line.get(b..).unwrap_or(""));
            t
        }
        None => line.to_string(),
    };
    let numbers: Vec<(u64, usize, usize)> = text
        .char_indices()
        .filter_map(|(i, _)| number_at(&text, i).map(|(v, e)| (v, i, e)))
        .collect();
    if same_offsets {
        for word in VIEW_WORDS {
            if let Some(pos) = lower.find(word) {
                let end = pos + word.len();
                // number after the label: "Lượt xem: 1.234"
                let after = numbers.iter().find(|(_, st, _)| {
                    *st >= end
                        && text.get(end..*st).is_some_and(|g| g.chars().all(|c| !c.is_alphanumeric()))
                });
                // number before it: "98 lượt xem"
                let before = numbers.iter().rev().find(|(_, _, e)| {
                    *e <= pos && text.get(*e..pos).is_some_and(|g| g.chars().all(|c| !c.is_alphanumeric()))
                });
                if let Some((v, _, _)) = after.or(before) {
                    return Some(*v);
                }
            }
        }
    }
    // A lone number beside the date, and nothing else numeric on the line.
    if date.is_some() && numbers.len() == 1 {
        let words = text.split_whitespace().filter(|w| w.chars().any(char::is_alphabetic)).count();
        if words <= 4 {
            return numbers.first().map(|n| n.0);
        }
    }
    None
}

/// Who wrote an article, as its last paragraph says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Byline {
    pub authors: Vec<String>,
    pub source: Option<String>,
}

const ORG_WORDS: [&str; 45] = [
    "trung tâm", "phòng", "ban ", "ubnd", "ủy ban", "uỷ ban", "báo ", "đài", "hội ", "văn phòng", "sở ",
    "cổng", "huyện", "xã ", "phường", "thị xã", "thị trấn", "đoàn thanh niên", "đoàn tncs", "thị đoàn",
    "huyện đoàn", "đảng ủy", "đảng uỷ", "thị ủy", "huyện ủy", "tỉnh ủy", "công an", "bộ ", "mặt trận",
    "mttq", "trường học", "trường tiểu học", "trường mầm non", "trường thcs", "trường thpt", "bệnh viện",
    "chi cục", "cục ", "tạp chí", "thông tấn", "ttxvn", "cổng thông tin", "tttt", "tt-vh", "ttvh",
];

fn looks_like_org(s: &str) -> bool {
    let l = format!("{} ", s.to_lowercase());
    ORG_WORDS.iter().any(|w| l.contains(w)) || s.split_whitespace().count() >= 5
}

/// An agency alone as the byline: "Công an xã", "Văn phòng HĐND - UBND xã", "Phòng Văn hóa - Xã hội".
fn org_only(s: &str) -> bool {
    let l = format!("{} ", s.to_lowercase());
    s.chars().next().is_some_and(char::is_uppercase)
        && s.split_whitespace().count() <= 8
        && !s.chars().any(|c| matches!(c, ',' | ';' | ':' | '!' | '?' | '"' | '“'))
        && ORG_WORDS.iter().any(|w| l.starts_with(w))
}

const STAFF_NAMES: [&str; 10] = ["PV", "P.V", "PV.", "CTV", "BBT", "Phóng viên", "Nhóm PV", "Nhóm phóng viên", "BTV", "Ban biên tập"];

/// A person's name (or the usual "PV"): one to five words, each capitalised, no digits.
fn looks_like_name(s: &str) -> bool {
    let s = s.trim();
    if STAFF_NAMES.contains(&s) {
        return true;
    }
    let words: Vec<&str> = s.split_whitespace().collect();
    !words.is_empty()
        && words.len() <= 5
        && s.chars().count() <= 40
        && !s.chars().any(|c| c.is_ascii_digit() || matches!(c, ':' | ';' | '!' | '?' | '"' | '“'))
        && words.iter().all(|w| {
            w.chars().next().is_some_and(|c| c.is_uppercase())
                || matches!(*w, "và" | "&")
        })
        && !looks_like_org(s)
}

fn clean_piece(s: &str) -> String {
    s.trim()
        .trim_matches(|c: char| c.is_whitespace() || matches!(c, '.' | ',' | '(' | ')' | '-' | '–' | '—' | '/'))
        .to_string()
}

fn split_names(s: &str) -> Vec<String> {
    s.split([',', '&'])
        .flat_map(|p| p.split(" và "))
        .map(clean_piece)
        .filter(|p| !p.is_empty())
        .collect()
}

/// The byline a portal prints as the last paragraph of an article, if `text` is one:
/// "Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ" (author – agency), "Minh Hoàng (Báo Quảng
/// Ngãi)", "PV", "Tin, ảnh: Văn Lợi", "Theo Báo Quảng Ngãi" (agency only), "Nguồn: …".
pub fn parse_byline(text: &str) -> Option<Byline> {
    let t = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let t = t.trim().trim_end_matches(['.', ' ']).trim();
    let t = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')).unwrap_or(t).trim();
    if t.is_empty() || t.chars().count() > 120 || t.ends_with('?') || t.ends_with(':') {
        return None;
    }
    // Labels: "Tin, ảnh: X", "Tác giả: X", "Nguồn: X", "Theo X".
    let lower = t.to_lowercase();
    for label in ["nguồn:", "nguồn tin:", "nguồn :"] {
        if lower.starts_with(label) {
            let rest = clean_piece(t.get(label.len()..)?);
            return (!rest.is_empty()).then(|| Byline { authors: vec![], source: Some(rest) });
        }
    }
    if let Some(rest) = t.strip_prefix("Theo ").or_else(|| t.strip_prefix("theo ")) {
        let rest = clean_piece(rest);
        if rest.chars().next().is_some_and(char::is_uppercase) && rest.split_whitespace().count() <= 10 {
            return Some(Byline { authors: vec![], source: Some(rest) });
        }
        return None;
    }
    if org_only(t) {
        return Some(Byline { authors: vec![], source: Some(t.to_string()) });
    }
    let mut body = t.to_string();
    for label in [
        "tin, ảnh:", "tin và ảnh:", "tin - ảnh:", "tin – ảnh:", "bài, ảnh:", "bài và ảnh:", "bài:",
        "tin:", "tác giả:", "người viết:", "thực hiện:", "nhóm pv:",
    ] {
        if lower.starts_with(label) {
            body = t.get(label.len()..).unwrap_or("").trim().to_string();
            break;
        }
    }
    // "Name (Org)" / "Name (Theo Org)"
    if let Some(open) = body.find('(') {
        if body.ends_with(')') {
            let name = clean_piece(body.get(..open)?);
            let org = clean_piece(body.get(open..)?);
            let org = org.strip_prefix("Theo ").map(str::to_string).unwrap_or(org);
            if looks_like_name(&name) && !org.is_empty() {
                return Some(Byline { authors: split_names(&name), source: Some(org) });
            }
        }
        return None;
    }
    // "Name – Org" (or "Name - Name": two authors)
    for dash in [" – ", " — ", " - ", "– ", " -"] {
        if let Some((left, right)) = body.split_once(dash) {
            let (l, r) = (clean_piece(left), clean_piece(right));
            if looks_like_name(&l) && !r.is_empty() {
                if looks_like_org(&r) {
                    let r = r.strip_prefix("Theo ").map(str::to_string).unwrap_or(r);
                    return Some(Byline { authors: split_names(&l), source: Some(r) });
                }
                if looks_like_name(&r) {
                    return Some(Byline { authors: vec![l, r], source: None });
                }
            }
            return None;
        }
    }
    let names = split_names(&body);
    if !names.is_empty() && names.len() <= 4 && names.iter().all(|n| looks_like_name(n)) {
        return Some(Byline { authors: names, source: None });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Option<String> {
        find_date(s).map(|m| m.value.to_rfc3339())
    }

    #[test]
    fn dates() {
        assert_eq!(d("27/12/2023 09:14    98").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(d("Ngày đăng: 05/01/2024 | 15:30").as_deref(), Some("2024-01-05T15:30:00+07:00"));
        assert_eq!(d("Thứ Tư, 27/12/2023, 9:14 SA").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(d("27/12/2023 2:05 CH").as_deref(), Some("2023-12-27T14:05:00+07:00"));
        assert_eq!(d("09:14 27/12/2023").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(d("Cập nhật lúc 09h14 ngày 27/12/2023").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(d("27-12-2023 09:14:59").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(d("2023-12-27 09:14").as_deref(), Some("2023-12-27T09:14:00+07:00"));
        assert_eq!(d("Ngày 27 tháng 12 năm 2023").as_deref(), Some("2023-12-27T00:00:00+07:00"));
        assert_eq!(d("31/02/2023 09:14"), None);
        assert_eq!(d("Số 123/2023/NĐ-CP"), None);
        assert_eq!(d("ngày 1/1/20234"), None);
    }

    #[test]
    fn views() {
        let v = |s: &str| find_views(s, find_date(s).map(|m| (m.start, m.end)));
        assert_eq!(v("27/12/2023 09:14    98"), Some(98));
        assert_eq!(v("27/12/2023 09:14 | Lượt xem: 1.234"), Some(1234));
        assert_eq!(v("Ngày đăng: 27/12/2023 (98 lượt xem)"), Some(98));
        assert_eq!(v("Lượt xem: 12,345"), Some(12345));
        assert_eq!(v("Đã xem: 7"), Some(7));
        assert_eq!(v("27/12/2023 09:14"), None);
        assert_eq!(v("27/12/2023 09:14 Tin 3 Ảnh 4"), None);
        assert_eq!(v("Views 1 234"), Some(1234));
    }

    #[test]
    fn bylines() {
        let b = |s: &str| parse_byline(s);
        assert_eq!(
            b("Thúy Yến – Trung tâm TT-VH-TT thị xã Đức Phổ"),
            Some(Byline { authors: vec!["Thúy Yến".into()], source: Some("Trung tâm TT-VH-TT thị xã Đức Phổ".into()) })
        );
        assert_eq!(b("PV"), Some(Byline { authors: vec!["PV".into()], source: None }));
        assert_eq!(b("Theo Báo Quảng Ngãi"), Some(Byline { authors: vec![], source: Some("Báo Quảng Ngãi".into()) }));
        assert_eq!(b("Tin, ảnh: Văn Lợi"), Some(Byline { authors: vec!["Văn Lợi".into()], source: None }));
        assert_eq!(
            b("Minh Hoàng (Báo Quảng Ngãi)"),
            Some(Byline { authors: vec!["Minh Hoàng".into()], source: Some("Báo Quảng Ngãi".into()) })
        );
        assert_eq!(b("Ngọc Anh - Thu Hà"), Some(Byline { authors: vec!["Ngọc Anh".into(), "Thu Hà".into()], source: None }));
        assert_eq!(b("Nguồn: Cổng TTĐT tỉnh"), Some(Byline { authors: vec![], source: Some("Cổng TTĐT tỉnh".into()) }));
        assert_eq!(b("Công an xã"), Some(Byline { authors: vec![], source: Some("Công an xã".into()) }));
        assert_eq!(b("Văn phòng HĐND - UBND xã"), Some(Byline { authors: vec![], source: Some("Văn phòng HĐND - UBND xã".into()) }));
        assert_eq!(b("Đoàn Văn Hùng"), Some(Byline { authors: vec!["Đoàn Văn Hùng".into()], source: None }));
        assert_eq!(b("Ban Chỉ đạo khuyến cáo người dân lựa chọn sản phẩm có nguồn gốc rõ ràng."), None);
        assert_eq!(b("Tham dự hội nghị còn có lãnh đạo Ban Dân vận."), None);
        assert_eq!(b("Hội nghị kết thúc lúc 11 giờ cùng ngày./."), None);
        assert_eq!(b("Đề nghị các xã - phường khẩn trương thực hiện"), None);
    }
}
