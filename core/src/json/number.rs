//! JSON numbers: validation (RFC 8259 §6), the overflow policy, and each dialect's printing.
//!
//! * JavaScript: the value is the nearest double (ECMA-262 `StringToNumber`) printed by
//!   `Number::toString` (ECMA-262 §6.1.6.1.20), which `ryu-js` reproduces; `-0` prints `0`.
//! * PHP: an integer literal that fits in int64 stays an exact integer (`php_json_scanner`'s
//!   19-digit rule); anything else is a double printed by `php_gcvt` with
//!   `serialize_precision = -1`: the shortest round-trip digits, in exponent form (`1.0e+25`)
//!   iff the decimal point position is > 17 or < -3, `-0.0` as `-0`.
//!
//! Both engines would print something for a literal that overflows to ±Infinity (Node `null`,
//! PHP a failure); payseal rejects it as [`Error::NumberRange`].

use super::tape::flag;
use super::Error;
use crate::Sink;

/// Scans a number starting at `start`, whose first byte `first` the caller has read; returns
/// its end and flags (`INT` when it has neither fraction nor exponent). Overflow to infinity
/// is [`Error::NumberRange`].
#[inline(always)]
pub(crate) fn scan(input: &[u8], start: usize, first: u8) -> Result<(usize, u8), Error> {
    let (int_start, lead) =
        if first == b'-' { (start + 1, input.get(start + 1).copied().unwrap_or(0)) } else { (start, first) };
    // The integer part, and whether an integer of it prints as written in both dialects:
    // exact (at most 15 digits) and not `-0`.
    let (pos, verbatim) = match lead {
        b'0' => (int_start + 1, int_start == start),
        b'1'..=b'9' => {
            let pos = digits_end(input, int_start + 1);
            (pos, pos - int_start <= 15)
        }
        _ => return Err(Error::Syntax { offset: int_start }),
    };
    let next = input.get(pos).copied().unwrap_or(0);
    // An integer (most numbers): one test of the byte after its digits settles it.
    if next != b'.' && next | 0x20 != b'e' {
        if pos - int_start > 308 && parse_f64(&input[start..pos]).is_infinite() {
            return Err(Error::NumberRange { offset: start });
        }
        return Ok((pos, if verbatim { flag::INT | flag::NUM_VERBATIM } else { flag::INT }));
    }
    scan_rest(input, start, int_start, pos)
}

/// [`scan`] of a number with a fraction or an exponent, whose integer digits span
/// `input[int_start..pos]`. Out of line, so that the parser's hot loop stays small.
#[inline(never)]
fn scan_rest(input: &[u8], start: usize, int_start: usize, mut pos: usize) -> Result<(usize, u8), Error> {
    let syntax = |offset| Error::Syntax { offset };
    let digit_at = |i: usize| input.get(i).is_some_and(u8::is_ascii_digit);
    let int_digits = pos - int_start;
    let int_is_zero = input[int_start] == b'0';
    let next = input.get(pos).copied().unwrap_or(0);
    let mut flags = flag::INT;
    let mut verbatim = int_digits <= 15 && !(int_is_zero && pos - start == 2); // not `-0`
    if next == b'.' {
        flags = 0;
        pos += 1;
        let frac_start = pos;
        if !digit_at(pos) {
            return Err(syntax(pos));
        }
        pos = digits_end(input, pos + 1);
        // A plain decimal prints as written in both dialects when its digits are already the
        // shortest (at most 15 significant, no trailing zero) and its decimal point position
        // is inside both plain forms (PHP: >= -3, JavaScript: >= -5).
        let frac = &input[frac_start..pos];
        let leading_zeros = if int_is_zero { frac.iter().take_while(|&&d| d == b'0').count() } else { 0 };
        let significant = if int_is_zero { frac.len() - leading_zeros } else { int_digits + frac.len() };
        verbatim = frac.last() != Some(&b'0') && significant <= 15 && leading_zeros <= 3;
    }
    let mut exponent: i64 = 0;
    if matches!(input.get(pos), Some(b'e' | b'E')) {
        flags = 0;
        verbatim = false;
        pos += 1;
        let negative = match input.get(pos) {
            Some(b'-') => {
                pos += 1;
                true
            }
            Some(b'+') => {
                pos += 1;
                false
            }
            _ => false,
        };
        if !digit_at(pos) {
            return Err(syntax(pos));
        }
        while digit_at(pos) {
            exponent = (exponent * 10 + i64::from(input[pos] - b'0')).min(1_000_000);
            pos += 1;
        }
        if negative {
            exponent = -exponent;
        }
    }
    // |value| < 10^(int_digits + exponent): below 10^308 it cannot round to infinity.
    if int_digits as i64 + exponent > 308 && parse_f64(&input[start..pos]).is_infinite() {
        return Err(Error::NumberRange { offset: start });
    }
    if verbatim {
        flags |= flag::NUM_VERBATIM;
    }
    Ok((pos, flags))
}

/// The end of the run of ASCII digits from `pos`: eight bytes at a time (SWAR), then byte by
/// byte among the input's last few.
#[inline(always)]
fn digits_end(input: &[u8], mut pos: usize) -> usize {
    const LO: u64 = 0x0101_0101_0101_0101;
    while let Some(bytes) = input.get(pos..pos + 8).and_then(|b| <[u8; 8]>::try_from(b).ok()) {
        // Byte by byte, `x = b ^ '0'` is below 10 exactly for a digit; `x + 0x76` then keeps
        // the high bit clear, which `x` itself has too. The lowest flagged byte is exact
        // (a carry only runs upwards, out of a byte already flagged).
        let x = u64::from_le_bytes(bytes) ^ (LO * u64::from(b'0'));
        let stop = (x.wrapping_add(LO * 0x76) | x) & (LO * 0x80);
        if stop != 0 {
            return pos + (stop.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while input.get(pos).is_some_and(u8::is_ascii_digit) {
        pos += 1;
    }
    pos
}

/// The nearest double to a validated number literal (correctly rounded, as both engines).
#[inline]
pub(crate) fn parse_f64(text: &[u8]) -> f64 {
    core::str::from_utf8(text).ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(f64::NAN)
}

/// Writes a number the way `JSON.stringify` prints it.
pub(crate) fn emit_js<S: Sink + ?Sized>(text: &[u8], flags: u8, sink: &mut S) {
    if flags & flag::NUM_VERBATIM != 0 {
        sink.write(text);
        return;
    }
    // Integers of up to 15 digits are exact doubles and print as written, but for `-0`.
    let digits = text.len() - usize::from(text.first() == Some(&b'-'));
    if flags & flag::INT != 0 && digits <= 15 {
        sink.write(if text == b"-0" { b"0" } else { text });
        return;
    }
    if flags & flag::INT == 0 {
        if let Some(trimmed) = trimmed_decimal(text) {
            sink.write(if trimmed == b"-0" { b"0" } else { trimmed });
            return;
        }
    }
    let value = if flags & flag::INT != 0 && digits <= 19 { int_f64(text) } else { parse_f64(text) };
    if value == 0.0 {
        sink.write(b"0");
        return;
    }
    let mut buf = ryu_js::Buffer::new();
    sink.write(buf.format_finite(value).as_bytes());
}

/// A plain decimal literal (a fraction, no exponent) less its fraction's trailing zeros, and
/// less the point when nothing is left of the fraction (`12.50` → `12.5`, `100.0` → `100`,
/// `-0.0` → `-0`), when that is the shortest round-trip form both engines print for its value:
/// what [`scan`] asks of a literal it marks verbatim (at most 15 significant digits, so the
/// digits are the shortest that round-trip, and a decimal point position inside both plain
/// forms), asked of the trimmed literal. `None` for anything else (the general path decides).
/// `-0` is the caller's: JavaScript prints `0`, PHP `-0` (a double).
#[inline]
fn trimmed_decimal(text: &[u8]) -> Option<&[u8]> {
    let negative = usize::from(text.first() == Some(&b'-'));
    let point = text.iter().position(|&b| b == b'.')?;
    let mut end = text.len();
    while end > point + 1 && text[end - 1] == b'0' {
        end -= 1;
    }
    // Only the fraction's trailing zeros are this path's; an exponent, or a fraction already
    // without them (not verbatim for another reason), goes the general way.
    if end == text.len() || !text[point + 1..end].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let int = &text[negative..point];
    let frac = &text[point + 1..end];
    if int.len() > 15 {
        return None;
    }
    if frac.is_empty() {
        // An integer of at most 15 digits: exact, printed as its digits.
        return Some(&text[..point]);
    }
    let (leading, significant) = if int == b"0" {
        let leading = frac.iter().take_while(|&&d| d == b'0').count();
        (leading, frac.len() - leading)
    } else {
        (0, int.len() + frac.len())
    };
    (significant <= 15 && leading <= 3).then_some(&text[..end])
}

/// The nearest double to an integer literal of at most 19 digits: exact in a `u64`, whose
/// conversion rounds to nearest, ties to even (as `StringToNumber` does); no text parse.
#[inline]
fn int_f64(text: &[u8]) -> f64 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    let v = digits.iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
    #[allow(clippy::cast_precision_loss)] // rounding to nearest is the point
    let v = v as f64;
    if negative {
        -v
    } else {
        v
    }
}

/// True when an integer literal fits in PHP's int64 (`php_json_scanner`: 19 digits compared
/// with `LONG_MIN_DIGITS`).
fn fits_php_int(text: &[u8]) -> bool {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, text),
    };
    const LONG_MIN_DIGITS: &[u8; 19] = b"9223372036854775808";
    match digits.len().cmp(&19) {
        core::cmp::Ordering::Less => true,
        core::cmp::Ordering::Greater => false,
        core::cmp::Ordering::Equal => match digits.cmp(LONG_MIN_DIGITS.as_slice()) {
            core::cmp::Ordering::Less => true,
            core::cmp::Ordering::Equal => negative,
            core::cmp::Ordering::Greater => false,
        },
    }
}

/// Writes a number the way `json_encode(json_decode(...))` prints it.
pub(crate) fn emit_php<S: Sink + ?Sized>(text: &[u8], flags: u8, sink: &mut S) {
    if flags & flag::NUM_VERBATIM != 0 {
        sink.write(text);
        return;
    }
    if flags & flag::INT != 0 && fits_php_int(text) {
        sink.write(if text == b"-0" { b"0" } else { text });
        return;
    }
    if flags & flag::INT == 0 {
        // A double: `-0.0` prints `-0`, as the trimmed literal says.
        if let Some(trimmed) = trimmed_decimal(text) {
            sink.write(trimmed);
            return;
        }
    }
    emit_php_double(parse_f64(text), sink);
}

/// Shortest round-trip decimal digits of a finite double: `digits` without leading or
/// trailing zeros, and the decimal point position `decpt` (value = 0.d1d2... × 10^decpt),
/// as `zend_dtoa` mode 0 gives them. Taken from `ryu-js`, whose digits are the same.
struct Shortest {
    digits: [u8; 17],
    len: usize,
    decpt: i32,
}

fn shortest(value: f64) -> Shortest {
    let mut out = Shortest { digits: [0; 17], len: 0, decpt: 0 };
    if value == 0.0 {
        out.digits[0] = b'0';
        out.len = 1;
        out.decpt = 1;
        return out;
    }
    let mut buf = ryu_js::Buffer::new();
    let text = buf.format_finite(value.abs()).as_bytes();
    let (mantissa, exp) = match text.iter().position(|&b| b == b'e') {
        Some(e) => (&text[..e], parse_exp(&text[e + 1..])),
        None => (text, 0),
    };
    let point = mantissa.iter().position(|&b| b == b'.').unwrap_or(mantissa.len());
    let mut decpt = point as i32 + exp;
    let mut leading = true;
    for &b in mantissa {
        if b == b'.' {
            continue;
        }
        if leading && b == b'0' {
            decpt -= 1;
            continue;
        }
        leading = false;
        if out.len < out.digits.len() {
            out.digits[out.len] = b;
            out.len += 1;
        }
    }
    while out.len > 1 && out.digits[out.len - 1] == b'0' {
        out.len -= 1;
    }
    out.decpt = decpt;
    out
}

fn parse_exp(text: &[u8]) -> i32 {
    let (negative, digits) = match text.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, text),
    };
    let v = digits.iter().fold(0i32, |acc, &d| acc * 10 + i32::from(d - b'0'));
    if negative {
        -v
    } else {
        v
    }
}

/// `php_gcvt(value, 17, '.', 'e')` in mode 0, as `json_encode` calls it.
pub(crate) fn emit_php_double<S: Sink + ?Sized>(value: f64, sink: &mut S) {
    if value.is_sign_negative() {
        sink.write(b"-");
    }
    let s = shortest(value);
    let digits = &s.digits[..s.len];
    let decpt = s.decpt;
    if if decpt < 0 { decpt < -3 } else { decpt > 17 } {
        sink.write(&digits[..1]);
        sink.write(b".");
        sink.write(if digits.len() > 1 { &digits[1..] } else { b"0" });
        let e = decpt - 1;
        sink.write(if e < 0 { b"e-" } else { b"e+" });
        let mut buf = itoa_buf(e.unsigned_abs());
        sink.write(buf.as_bytes());
        buf.clear();
    } else if decpt <= 0 {
        sink.write(b"0.");
        for _ in 0..-decpt {
            sink.write(b"0");
        }
        sink.write(digits);
    } else {
        let d = decpt as usize;
        if digits.len() <= d {
            sink.write(digits);
            for _ in digits.len()..d {
                sink.write(b"0");
            }
        } else {
            sink.write(&digits[..d]);
            sink.write(b".");
            sink.write(&digits[d..]);
        }
    }
}

/// Decimal digits of a small unsigned integer, without allocation.
struct SmallDecimal {
    buf: [u8; 10],
    start: usize,
}

impl SmallDecimal {
    fn as_bytes(&self) -> &[u8] {
        &self.buf[self.start..]
    }
    fn clear(&mut self) {
        self.start = self.buf.len();
    }
}

fn itoa_buf(mut v: u32) -> SmallDecimal {
    let mut out = SmallDecimal { buf: [0; 10], start: 10 };
    loop {
        out.start -= 1;
        out.buf[out.start] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::SliceSink;

    fn php(v: f64) -> ([u8; 40], usize) {
        let mut buf = [0u8; 40];
        let mut s = SliceSink::new(&mut buf);
        emit_php_double(v, &mut s);
        let n = s.len();
        (buf, n)
    }

    #[test]
    fn php_double_forms() {
        for (v, want) in [
            (1e25, "1.0e+25"),
            (1e-5, "1.0e-5"),
            (0.0001, "0.0001"),
            (1e16, "10000000000000000"),
            (1e17, "1.0e+17"),
            (-0.0, "-0"),
            (0.0, "0"),
            (1.5, "1.5"),
            (0.1, "0.1"),
            (123.456, "123.456"),
            (1.5e300, "1.5e+300"),
            (9.223_372_036_854_776e18, "9.223372036854776e+18"),
            (5e-324, "5.0e-324"),
        ] {
            let (buf, n) = php(v);
            assert_eq!(core::str::from_utf8(&buf[..n]).unwrap(), want, "{v:e}");
        }
    }

    #[test]
    fn trailing_zeros_are_trimmed_only_where_both_engines_agree() {
        for (text, want) in [
            (&b"0.0"[..], Some(&b"0"[..])),
            (b"-0.00", Some(b"-0")),
            (b"12.50", Some(b"12.5")),
            (b"100.000", Some(b"100")),
            (b"0.00010", Some(b"0.0001")),
            (b"0.000010", None),
            (b"123456789012345.0", Some(b"123456789012345")),
            (b"1234567890123456.0", None),
            (b"1234567890123.450", Some(b"1234567890123.45")),
            (b"12345678901234.560", None),
            (b"1.5", None),
            (b"1.50e3", None),
            (b"1.0e0", None),
            (b"7", None),
        ] {
            assert_eq!(trimmed_decimal(text), want, "{}", core::str::from_utf8(text).unwrap());
        }
    }

    #[test]
    fn integers_of_up_to_19_digits_round_as_the_text_parse_does() {
        for text in [&b"9007199254740993"[..], b"-9007199254740995", b"9999999999999999999", b"1234567890123456789"] {
            assert_eq!(int_f64(text).to_bits(), parse_f64(text).to_bits());
        }
    }

    #[test]
    fn php_int_rule() {
        assert!(fits_php_int(b"9223372036854775807"));
        assert!(!fits_php_int(b"9223372036854775808"));
        assert!(fits_php_int(b"-9223372036854775808"));
        assert!(!fits_php_int(b"-9223372036854775809"));
        assert!(!fits_php_int(b"12345678901234567890"));
    }

    #[test]
    fn digit_runs_eight_at_a_time_agree_with_byte_by_byte() {
        let bytes: [u8; 14] = [b'0', b'5', b'9', b'/', b':', b'.', b'e', 0x00, 0x7f, 0x80, 0xb9, 0xff, b' ', b'-'];
        for len in 0..20 {
            for &stop in &bytes {
                for tail in 0..10 {
                    let mut input = [b'7'; 40];
                    input[len] = stop;
                    let input = &input[..len + 1 + tail];
                    let want = input.iter().position(|b| !b.is_ascii_digit()).unwrap_or(input.len());
                    assert_eq!(digits_end(input, 0), want, "{input:?}");
                }
            }
        }
    }

    #[test]
    fn range() {
        let scan = |text: &[u8]| scan(text, 0, text[0]);
        assert!(matches!(scan(b"1e309"), Err(Error::NumberRange { offset: 0 })));
        assert!(scan(b"1e308").is_ok());
        assert!(scan(b"0.0001e311").is_ok());
        assert!(matches!(scan(b"-1e99999999999999999999"), Err(Error::NumberRange { .. })));
        assert!(scan(b"1e-99999999999999999999").is_ok());
        assert!(matches!(scan(b"-0"), Ok((2, flag::INT))));
        assert!(matches!(scan(b"0"), Ok((1, f)) if f == flag::INT | flag::NUM_VERBATIM));
        assert!(matches!(scan(b"-"), Err(Error::Syntax { offset: 1 })));
    }
}
