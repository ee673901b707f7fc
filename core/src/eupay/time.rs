//! A strict RFC 3339 date-time parser, for `expiresAt`.

/// Parses an RFC 3339 `date-time` (§5.6) into Unix milliseconds, fractions beyond the
/// millisecond rounded down (so comparisons with whole seconds or milliseconds are exact).
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS[.fraction]` followed by `Z` or `±HH:MM`, with `T`/`Z` in
/// either case (RFC 3339 §5.6 note), 1 to 9 fraction digits, years 0000–9999 and real
/// calendar dates (leap years included). Rejected: leap seconds (`:60`, which JavaScript's
/// `Date` also rejects), missing seconds or offset, a space for `T`, and anything else.
/// This is the format of JavaScript's `Date.prototype.toISOString()`, which EU Pay uses.
///
/// ```
/// use payseal::eupay::parse_rfc3339_millis;
/// assert_eq!(parse_rfc3339_millis(b"2026-06-18T05:28:20.000Z"), Some(1_781_760_500_000));
/// assert_eq!(parse_rfc3339_millis(b"2026-06-18T07:28:20+02:00"), Some(1_781_760_500_000));
/// assert_eq!(parse_rfc3339_millis(b"1969-12-31T23:59:59.9999Z"), Some(-1));
/// assert_eq!(parse_rfc3339_millis(b"2026-02-29T00:00:00Z"), None); // not a leap year
/// assert_eq!(parse_rfc3339_millis(b"2026-06-18 05:28:20Z"), None);
/// ```
#[must_use]
pub fn parse_rfc3339_millis(text: &[u8]) -> Option<i64> {
    let mut p = Cursor { text, pos: 0 };
    let year = p.digits(4)?;
    p.expect(b'-')?;
    let month = p.digits(2)?;
    p.expect(b'-')?;
    let day = p.digits(2)?;
    p.expect_either(b'T', b't')?;
    let hour = p.digits(2)?;
    p.expect(b':')?;
    let minute = p.digits(2)?;
    p.expect(b':')?;
    let second = p.digits(2)?;
    let mut millis = 0;
    if p.peek() == Some(b'.') {
        p.pos += 1;
        let start = p.pos;
        while p.peek().is_some_and(|b| b.is_ascii_digit()) {
            p.pos += 1;
        }
        let fraction = &text[start..p.pos];
        if fraction.is_empty() || fraction.len() > 9 {
            return None;
        }
        for i in 0..3 {
            millis = millis * 10 + fraction.get(i).map_or(0, |d| i64::from(d - b'0'));
        }
    }
    let offset_minutes = match p.next()? {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => {
            let oh = p.digits(2)?;
            p.expect(b':')?;
            let om = p.digits(2)?;
            if oh > 23 || om > 59 {
                return None;
            }
            let m = oh * 60 + om;
            if sign == b'-' {
                -m
            } else {
                m
            }
        }
        _ => return None,
    };
    if p.pos != text.len()
        || !(1..=12).contains(&month)
        || day < 1
        || day > days_in_month(year, month)
        || hour > 23
        || minute > 59
        || second > 59
    {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second - offset_minutes * 60;
    Some(seconds * 1_000 + millis)
}

struct Cursor<'a> {
    text: &'a [u8],
    pos: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.pos).copied()
    }

    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.pos += 1;
        Some(b)
    }

    fn expect(&mut self, want: u8) -> Option<()> {
        (self.next()? == want).then_some(())
    }

    fn expect_either(&mut self, a: u8, b: u8) -> Option<()> {
        let got = self.next()?;
        (got == a || got == b).then_some(())
    }

    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<i64> {
        let mut v = 0i64;
        for _ in 0..n {
            let d = self.next()?;
            if !d.is_ascii_digit() {
                return None;
            }
            v = v * 10 + i64::from(d - b'0');
        }
        Some(v)
    }
}

const fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

const fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant, `days_from_civil`).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_rfc3339_forms() {
        let t = 1_781_760_500_000;
        for s in [
            "2026-06-18T05:28:20.000Z",
            "2026-06-18T05:28:20Z",
            "2026-06-18t05:28:20z",
            "2026-06-18T05:28:20.0009Z",
            "2026-06-18T05:28:20.000000000Z",
            "2026-06-18T07:28:20+02:00",
            "2026-06-18T00:58:20-04:30",
            "2026-06-18T05:28:20+00:00",
            "2026-06-18T05:28:20-00:00",
        ] {
            assert_eq!(parse_rfc3339_millis(s.as_bytes()), Some(t), "{s}");
        }
        assert_eq!(parse_rfc3339_millis(b"2026-06-18T05:28:20.5Z"), Some(t + 500));
        assert_eq!(parse_rfc3339_millis(b"2026-06-18T05:28:20.123456789Z"), Some(t + 123));
        assert_eq!(parse_rfc3339_millis(b"1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_rfc3339_millis(b"2000-02-29T00:00:00Z"), Some(951_782_400_000));
        assert_eq!(parse_rfc3339_millis(b"0000-01-01T00:00:00Z"), Some(-62_167_219_200_000));
        assert_eq!(parse_rfc3339_millis(b"9999-12-31T23:59:59.999Z"), Some(253_402_300_799_999));
    }

    #[test]
    fn rejects_everything_else() {
        for s in [
            "",
            "2026-06-18",
            "2026-06-18T05:28Z",
            "2026-06-18T05:28:20",
            "2026-06-18 05:28:20Z",
            "2026-06-18T05:28:20.Z",
            "2026-06-18T05:28:20.0000000000Z",
            "2026-06-18T05:28:60Z",
            "2026-06-18T24:00:00Z",
            "2026-06-18T05:60:00Z",
            "2026-13-18T05:28:20Z",
            "2026-00-18T05:28:20Z",
            "2026-06-31T05:28:20Z",
            "2026-06-00T05:28:20Z",
            "1900-02-29T00:00:00Z",
            "2026-06-18T05:28:20+0200",
            "2026-06-18T05:28:20+24:00",
            "2026-06-18T05:28:20+02:60",
            "2026-06-18T05:28:20ZZ",
            "2026-06-18T05:28:20Z ",
            " 2026-06-18T05:28:20Z",
            "+2026-06-18T05:28:20Z",
            "26-06-18T05:28:20Z",
            "2026-6-18T05:28:20Z",
            "２026-06-18T05:28:20Z",
            "2026-06-18T05:28:20.000UTC",
        ] {
            assert_eq!(parse_rfc3339_millis(s.as_bytes()), None, "{s:?}");
        }
    }
}
