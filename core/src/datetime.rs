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
    fn civil_conversion_round_trips() {
        for days in (-25_567..2_932_896).step_by(997) {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
    }
}
