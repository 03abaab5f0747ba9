//! Just enough date handling for certificate expiry: RFC 3339 timestamps (a plan's
//! `timestamp`, ACM's `not_after`, IAM's `expiration`) and plain `YYYY-MM-DD`. The engine
//! has no clock, so "now" always comes from the input or the caller.

/// Seconds since 1970-01-01T00:00:00Z.
pub type Epoch = i64;

pub const DAY: i64 = 86_400;

/// Parses `2026-11-20T09:30:00Z`, `2026-11-20T09:30:00.123+02:00`, `2026-11-20 09:30:00Z`
/// or `2026-11-20` (midnight UTC). Anything else is `None`.
pub fn parse(s: &str) -> Option<Epoch> {
    let s = s.trim();
    let bytes = s.as_bytes();
    if bytes.len() < 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i64 = digits(&s[0..4])?;
    let month: u32 = digits(&s[5..7])?;
    let day: u32 = digits(&s[8..10])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let date = days_from_civil(year, month, day) * DAY;
    let rest = &s[10..];
    if rest.is_empty() {
        return Some(date);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let rb = rest.as_bytes();
    if rb.len() < 8 || rb[2] != b':' || rb[5] != b':' {
        return None;
    }
    let hour: i64 = digits(&rest[0..2])?;
    let minute: i64 = digits(&rest[3..5])?;
    let second: i64 = digits(&rest[6..8])?;
    // 60 is a leap second; treat it as the last second of the minute.
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut zone = &rest[8..];
    if let Some(frac) = zone.strip_prefix('.') {
        let end = frac
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(frac.len());
        if end == 0 {
            return None;
        }
        zone = &frac[end..];
    }
    let offset = match zone {
        "Z" | "z" => 0,
        z if z.len() == 6 && (z.starts_with('+') || z.starts_with('-')) && &z[3..4] == ":" => {
            let h: i64 = digits(&z[1..3])?;
            let m: i64 = digits(&z[4..6])?;
            if h > 23 || m > 59 {
                return None;
            }
            let off = h * 3600 + m * 60;
            if z.starts_with('-') {
                -off
            } else {
                off
            }
        }
        _ => return None,
    };
    Some(date + hour * 3600 + minute * 60 + second.min(59) - offset)
}

/// Whole days from `now` until `then` (negative once `then` has passed), rounded down.
pub fn days_until(now: Epoch, then: Epoch) -> i64 {
    (then - now).div_euclid(DAY)
}

fn digits<T: std::str::FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(parse("1970-01-01"), Some(0));
        assert_eq!(parse("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse("2000-03-01"), Some(951_868_800));
        assert_eq!(parse("2026-11-20T09:30:00Z"), Some(1_795_167_000));
        assert_eq!(parse("2024-02-29T12:00:00Z"), Some(1_709_208_000));
    }

    #[test]
    fn offsets_and_fractions() {
        assert_eq!(
            parse("2026-11-20T11:30:00+02:00"),
            parse("2026-11-20T09:30:00Z")
        );
        assert_eq!(
            parse("2026-11-20T04:30:00-05:00"),
            parse("2026-11-20T09:30:00Z")
        );
        assert_eq!(
            parse("2026-11-20T09:30:00.123456Z"),
            parse("2026-11-20T09:30:00Z")
        );
        assert_eq!(parse("2026-11-20 09:30:00z"), parse("2026-11-20T09:30:00Z"));
    }

    #[test]
    fn rejects_malformed() {
        for s in [
            "",
            "2026-13-01",
            "2026-02-29",
            "2026-11-20T25:00:00Z",
            "2026-11-20T09:30:00",
            "2026-11-20T09:30Z",
            "2026/11/20",
            "20261120",
            "2026-11-2x",
            "2026-11-20T09:30:00.Z",
            "2026-11-20T09:30:00+0200",
            "known after apply",
        ] {
            assert_eq!(parse(s), None, "{s}");
        }
    }

    #[test]
    fn day_arithmetic() {
        let now = parse("2026-11-29").unwrap();
        assert_eq!(days_until(now, parse("2026-12-29").unwrap()), 30);
        assert_eq!(days_until(now, parse("2026-12-28T23:59:59Z").unwrap()), 29);
        assert_eq!(days_until(now, parse("2026-11-28").unwrap()), -1);
        assert_eq!(days_until(now, parse("2026-11-28T12:00:00Z").unwrap()), -1);
    }
}
