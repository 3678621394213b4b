//! Date rules without a date crate: the few conversions the reader needs, from RFC 3339 text to an
//! instant and back to Vietnam time for `<time datetime>`. Display formatting is the browser's `Intl`.

/// Vietnam has used UTC+7 without daylight saving since 1975; the portals print every date in it.
pub const VIETNAM_OFFSET_MINUTES: i32 = 7 * 60;

const MS_PER_MINUTE: i64 = 60_000;

/// Parses `YYYY-MM-DD[(T| )HH:MM[:SS[.fff]]][Z|±HH:MM|±HHMM]` into milliseconds since the epoch.
///
/// `default_offset_minutes` applies when the text carries no zone (WordPress `date_gmt` is UTC,
/// a bare JSON Feed date from a Vietnamese CMS is Vietnam time). Returns `None` for anything that
/// is not a real moment: 31/02, hour 25, years before 1900 or after 9999, trailing garbage.
pub fn parse_datetime(text: &str, default_offset_minutes: i32) -> Option<i64> {
    let text = text.trim();
    let bytes = text.as_bytes();
    let year = digits(bytes, 0, 4)?;
    expect(bytes, 4, b'-')?;
    let month = digits(bytes, 5, 2)?;
    expect(bytes, 7, b'-')?;
    let day = digits(bytes, 8, 2)?;
    if !(1900..=9999).contains(&year) || !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    let mut millis = 0;
    let mut pos = 10;
    if matches!(bytes.get(pos), Some(b'T' | b't' | b' ')) {
        hour = digits(bytes, pos + 1, 2)?;
        expect(bytes, pos + 3, b':')?;
        minute = digits(bytes, pos + 4, 2)?;
        pos += 6;
        if bytes.get(pos) == Some(&b':') {
            second = digits(bytes, pos + 1, 2)?;
            pos += 3;
            if bytes.get(pos) == Some(&b'.') {
                pos += 1;
                let start = pos;
                while let Some(digit) = bytes.get(pos).filter(|b| b.is_ascii_digit()) {
                    if pos - start < 3 {
                        millis = millis * 10 + i64::from(digit - b'0');
                    }
                    pos += 1;
                }
                if pos == start {
                    return None;
                }
                for _ in (pos - start)..3 {
                    millis *= 10;
                }
            }
        }
        // 60 is allowed for a leap second and folded into the next minute by the arithmetic below.
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
    }
    let offset_minutes = match bytes.get(pos) {
        None => default_offset_minutes,
        Some(b'Z' | b'z') if pos + 1 == bytes.len() => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = digits(bytes, pos + 1, 2)?;
            let minutes_at = if bytes.get(pos + 3) == Some(&b':') { pos + 4 } else { pos + 3 };
            let minutes = digits(bytes, minutes_at, 2)?;
            if minutes_at + 2 != bytes.len() || hours > 23 || minutes > 59 {
                return None;
            }
            let total = (hours * 60 + minutes) as i32;
            if *sign == b'-' { -total } else { total }
        }
        Some(_) => return None,
    };
    let days = days_from_civil(year, month, day);
    let local_minutes = days * 1440 + hour * 60 + minute;
    Some((local_minutes - i64::from(offset_minutes)) * MS_PER_MINUTE + second * 1000 + millis)
}

/// Parses a date as feeds write them, into milliseconds since the epoch: RFC 3339 (Atom, `dc:date`),
/// RFC 822 (RSS `pubDate`), or `27/12/2023 09:14` as Vietnamese portals print it (Vietnam time).
pub fn parse_feed_date(text: &str) -> Option<i64> {
    parse_datetime(text, VIETNAM_OFFSET_MINUTES).or_else(|| parse_rfc822(text)).or_else(|| parse_day_month_year(text))
}

/// Parses an RFC 822 / RFC 2822 date as RSS `pubDate` carries it, as Vietnamese portals write it:
/// `Wed, 27 Dec 2023 09:14:00 +0700`, without the weekday, without seconds, with `GMT`, `UT`,
/// `UTC`, `Z`, `ICT` (Indochina Time, +07:00), the US zones of RFC 822, `+07:00`, or no zone at all
/// (taken as Vietnam time); two-digit years (`23` is 2023, `99` is 1999); a trailing `(ICT)`
/// comment. Month names in English, any case, three letters or more. `None` for anything else.
pub fn parse_rfc822(text: &str) -> Option<i64> {
    let mut tokens = text.split(|c: char| c.is_whitespace() || c == ',').filter(|token| !token.is_empty()).peekable();
    // An optional weekday, checked only for being a word.
    if tokens.peek().is_some_and(|token| token.bytes().all(|b| b.is_ascii_alphabetic())) {
        tokens.next();
    }
    let day = small_number(tokens.next()?, 2)?;
    let month = month_number(tokens.next()?)?;
    let year_text = tokens.next()?;
    let year = match (year_text.len(), small_number(year_text, 4)?) {
        (2, short) if short < 50 => 2000 + short,
        (2, short) => 1900 + short,
        (4, year) => year,
        _ => return None,
    };
    let mut time = tokens.next().unwrap_or("00:00").split(':');
    let hour = small_number(time.next()?, 2)?;
    let minute = small_number(time.next()?, 2)?;
    let second = time.next().map_or(Some(0), |second| small_number(second, 2))?;
    if time.next().is_some() || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset = match tokens.next() {
        None => i64::from(VIETNAM_OFFSET_MINUTES),
        Some(zone) => zone_offset_minutes(zone)?,
    };
    // Only a comment may follow: "+0700 (ICT)".
    if tokens.any(|token| !(token.starts_with('(') || token.ends_with(')'))) {
        return None;
    }
    if !(1900..=9999).contains(&year) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let local_minutes = days_from_civil(year, month, day) * 1440 + hour * 60 + minute;
    Some((local_minutes - offset) * MS_PER_MINUTE + second * 1000)
}

/// `27/12/2023`, `27/12/2023 09:14`, `27-12-2023 09:14:05`: Vietnam time.
fn parse_day_month_year(text: &str) -> Option<i64> {
    let (date, time) = text.trim().split_once(' ').map_or((text.trim(), None), |(d, t)| (d, Some(t.trim())));
    let mut parts = date.split(['/', '-', '.']);
    let day = small_number(parts.next()?, 2)?;
    let month = small_number(parts.next()?, 2)?;
    let year = parts.next().filter(|year| year.len() == 4).and_then(|year| small_number(year, 4))?;
    if parts.next().is_some() {
        return None;
    }
    let iso = format!("{year:04}-{month:02}-{day:02}{}", time.map(|t| format!("T{t}")).unwrap_or_default());
    parse_datetime(&iso, VIETNAM_OFFSET_MINUTES).filter(|_| time.is_none_or(|t| t.len() <= 8))
}

/// A number of 1 to `max_digits` ASCII digits.
fn small_number(text: &str, max_digits: usize) -> Option<i64> {
    let valid = (1..=max_digits).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    valid.then(|| text.parse().ok()).flatten()
}

fn month_number(name: &str) -> Option<i64> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let short = name.get(..3).filter(|_| name.len() >= 3 && name.bytes().all(|b| b.is_ascii_alphabetic()))?;
    let index = MONTHS.iter().position(|month| short.eq_ignore_ascii_case(month))?;
    i64::try_from(index).ok().map(|index| index + 1)
}

/// `+0700`, `-05:00`, or a zone name of RFC 822 (and ICT): minutes east of UTC.
fn zone_offset_minutes(zone: &str) -> Option<i64> {
    if let Some(digits) = zone.strip_prefix(['+', '-']) {
        let digits = digits.replace(':', "");
        let (hours, minutes) = (small_number(digits.get(..2)?, 2)?, small_number(digits.get(2..)?, 2)?);
        if digits.len() != 4 || hours > 23 || minutes > 59 {
            return None;
        }
        let total = hours * 60 + minutes;
        return Some(if zone.starts_with('-') { -total } else { total });
    }
    let hours = match zone.to_ascii_uppercase().as_str() {
        "GMT" | "UT" | "UTC" | "Z" => 0,
        "ICT" => 7,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        _ => return None,
    };
    Some(hours * 60)
}

/// `2023-12-27T09:14:00+07:00`: the instant written in Vietnam time, for `<time datetime>`.
pub fn iso_in_vietnam(epoch_ms: i64) -> String {
    let local_seconds = epoch_ms.div_euclid(1000) + i64::from(VIETNAM_OFFSET_MINUTES) * 60;
    let days = local_seconds.div_euclid(86_400);
    let seconds_of_day = local_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}+07:00",
        seconds_of_day / 3600,
        seconds_of_day / 60 % 60,
        seconds_of_day % 60
    )
}

fn digits(bytes: &[u8], start: usize, count: usize) -> Option<i64> {
    let slice = bytes.get(start..start + count)?;
    slice.iter().try_fold(0i64, |acc, b| b.is_ascii_digit().then(|| acc * 10 + i64::from(b - b'0')))
}

fn expect(bytes: &[u8], at: usize, wanted: u8) -> Option<()> {
    (bytes.get(at) == Some(&wanted)).then_some(())
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days-from-civil and its inverse (proleptic Gregorian calendar).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (if month <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIXTURE_MS: i64 = 1_703_643_240_000; // 2023-12-27T02:14:00Z

    #[test]
    fn parses_the_fixture_date_with_its_offset() {
        assert_eq!(parse_datetime("2023-12-27T09:14:00+07:00", 0), Some(FIXTURE_MS));
        assert_eq!(parse_datetime("2023-12-27T02:14:00Z", 0), Some(FIXTURE_MS));
        assert_eq!(parse_datetime("2023-12-27T02:14:00.000z", 0), Some(FIXTURE_MS));
        assert_eq!(parse_datetime("2023-12-27 09:14+0700", 0), Some(FIXTURE_MS));
    }

    #[test]
    fn a_date_without_zone_takes_the_default_offset() {
        assert_eq!(parse_datetime("2023-12-27T02:14:00", 0), Some(FIXTURE_MS));
        assert_eq!(parse_datetime("2023-12-27T09:14:00", VIETNAM_OFFSET_MINUTES), Some(FIXTURE_MS));
        assert_eq!(parse_datetime("2023-12-27", 0), Some(FIXTURE_MS - (2 * 60 + 14) * 60_000));
    }

    #[test]
    fn fractions_of_a_second_are_kept_to_the_millisecond() {
        assert_eq!(parse_datetime("2023-12-27T02:14:00.5Z", 0), Some(FIXTURE_MS + 500));
        assert_eq!(parse_datetime("2023-12-27T02:14:00.123456Z", 0), Some(FIXTURE_MS + 123));
        assert_eq!(parse_datetime("2023-12-27T02:14:00.Z", 0), None);
    }

    #[test]
    fn impossible_dates_are_refused() {
        for bad in [
            "", "27/12/2023", "2023-02-30", "2023-02-29T00:00:00Z", "2023-13-01", "2023-00-10",
            "2023-12-27T24:00:00Z", "2023-12-27T09:60:00Z", "2023-12-27T09:14:00+25:00",
            "2023-12-27T09:14:00+07:00junk", "1899-12-31", "99999-01-01", "2023-12-27T9:14", "２０２３-12-27",
        ] {
            assert_eq!(parse_datetime(bad, 0), None, "{bad:?} should be refused");
        }
        assert!(parse_datetime("2024-02-29T00:00:00Z", 0).is_some(), "leap day exists in 2024");
    }

    #[test]
    fn writes_instants_in_vietnam_time() {
        assert_eq!(iso_in_vietnam(FIXTURE_MS), "2023-12-27T09:14:00+07:00");
        assert_eq!(iso_in_vietnam(0), "1970-01-01T07:00:00+07:00");
        // 17:30 UTC on New Year's Eve is already the next year in Vietnam.
        let new_year = parse_datetime("2023-12-31T17:30:00Z", 0).unwrap_or_default();
        assert_eq!(iso_in_vietnam(new_year), "2024-01-01T00:30:00+07:00");
    }

    #[test]
    fn rfc_822_dates_as_vietnamese_portals_write_them() {
        for text in [
            "Wed, 27 Dec 2023 09:14:00 +0700",
            "27 Dec 2023 09:14:00 +0700",
            "Wed, 27 Dec 2023 02:14:00 GMT",
            "Wed, 27 Dec 2023 02:14:00 UT",
            "Wed, 27 Dec 2023 02:14:00 Z",
            "Wed, 27 Dec 2023 09:14:00 ICT",
            "Wed,27 Dec 2023 09:14:00 +07:00",
            "wed, 27 DEC 2023 09:14 +0700",
            "Wednesday, 27 December 2023 09:14:00 +0700 (ICT)",
            "27 Dec 23 09:14:00 +0700",
            "Tue, 26 Dec 2023 21:14:00 EST",
            "  Wed, 27 Dec 2023 09:14:00  ",
        ] {
            assert_eq!(parse_rfc822(text), Some(FIXTURE_MS), "{text:?}");
        }
        assert_eq!(parse_rfc822("1 Jan 99 00:00:00 GMT"), parse_datetime("1999-01-01T00:00:00Z", 0));
        assert_eq!(parse_rfc822("27 Dec 2023"), parse_datetime("2023-12-27T00:00:00+07:00", 0));
        for bad in [
            "", "Wed, 32 Dec 2023 09:14:00 +0700", "Wed, 29 Feb 2023 09:14:00 +0700", "27 Foo 2023 09:14:00 +0700",
            "27 Dec 2023 24:00:00 +0700", "27 Dec 2023 09:14:00 +2500", "27 Dec 2023 09:14:00 XYZ", "27 Dec 2023 09:14:00 +0700 junk",
            "27 Dec 123 09:14", "27 Dec 2023 9", "27 Dec 2023 09:14:00:00",
        ] {
            assert_eq!(parse_rfc822(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn feed_dates_in_any_of_the_forms_portals_use() {
        assert_eq!(parse_feed_date("2023-12-27T09:14:00+07:00"), Some(FIXTURE_MS));
        assert_eq!(parse_feed_date("2023-12-27T09:14:00"), Some(FIXTURE_MS), "dc:date without a zone: Vietnam time");
        assert_eq!(parse_feed_date("Wed, 27 Dec 2023 09:14:00 +0700"), Some(FIXTURE_MS));
        assert_eq!(parse_feed_date("27/12/2023 09:14"), Some(FIXTURE_MS));
        assert_eq!(parse_feed_date("27-12-2023 09:14:00"), Some(FIXTURE_MS));
        assert_eq!(parse_feed_date("27/12/2023"), parse_datetime("2023-12-27T00:00:00+07:00", 0));
        assert_eq!(parse_feed_date("31/02/2023 09:14"), None);
        assert_eq!(parse_feed_date("27/12/2023 09:14+0900"), None, "a zone is not part of this form");
        assert_eq!(parse_feed_date("hôm qua"), None);
    }

    #[test]
    fn civil_conversion_round_trips() {
        for days in (-25_567..2_932_896).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
