//! JSON strings: validation (RFC 8259 §7), decoding of escapes, and each dialect's escaping.
//!
//! * JavaScript `JSON.stringify` (ECMA-262 `QuoteJSONString`): `"` and `\` escaped, `\b \t \n
//!   \f \r`, other controls and lone surrogates as lowercase `\u00xx`/`\udxxx`; everything else
//!   raw, U+2028/2029 included.
//! * PHP `json_encode` (`php_json_escape_string`): the same short escapes, `/` as `\/` unless
//!   `JSON_UNESCAPED_SLASHES`, every non-ASCII character as lowercase `\uxxxx` (surrogate pairs
//!   above U+FFFF) unless `JSON_UNESCAPED_UNICODE`, under which U+2028/2029 stay escaped.

use super::tape::flag;
use super::{Error, PhpFlags};
use crate::Sink;

/// Per-byte classes for the scanner: bytes that end a plain run, and flags to record.
const STOP: u8 = 0x80;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = STOP;
        i += 1;
    }
    t[b'"' as usize] = STOP;
    t[b'\\' as usize] = STOP;
    t[b'/' as usize] = flag::SLASH;
    let mut i = 0x80;
    while i < 0x100 {
        t[i] = flag::NON_ASCII;
        i += 1;
    }
    t
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// [`HEX_DIGITS`] marks: an uppercase digit (`A`-`F`), and a byte that is no hex digit.
const HEX_UPPER: u8 = 0x10;
const HEX_INVALID: u8 = 0x80;

/// Per byte: its value as a hex digit in the low four bits, or [`HEX_INVALID`]; plus
/// [`HEX_UPPER`] for `A`-`F`. Four digits are then read without a branch per digit.
const HEX_DIGITS: [u8; 256] = {
    let mut t = [HEX_INVALID; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = (10 + i as u8) | HEX_UPPER;
        i += 1;
    }
    t
};

/// The code unit of the four hex digits at `input[at..at + 4]`, and whether none is an
/// uppercase letter; `None` unless they are four hex digits.
#[inline]
fn hex4_cased(input: &[u8], at: usize) -> Option<(u32, bool)> {
    let digits: &[u8; 4] = input.get(at..at + 4)?.try_into().ok()?;
    let [a, b, c, d] = digits.map(|byte| HEX_DIGITS[usize::from(byte)]);
    let marks = a | b | c | d;
    if marks & HEX_INVALID != 0 {
        return None;
    }
    let unit = u32::from(a & 15) << 12 | u32::from(b & 15) << 8 | u32::from(c & 15) << 4 | u32::from(d & 15);
    Some((unit, marks & HEX_UPPER == 0))
}

/// The code unit of the four hex digits at `input[at..at + 4]`, if they are hex digits.
#[inline]
fn hex4(input: &[u8], at: usize) -> Option<u32> {
    hex4_cased(input, at).map(|(unit, _)| unit)
}

#[inline]
fn is_high(u: u32) -> bool {
    (0xD800..0xDC00).contains(&u)
}

#[inline]
fn is_low(u: u32) -> bool {
    (0xDC00..0xE000).contains(&u)
}

/// Scans a string whose opening quote is at `pos - 1`. Returns the offset of the closing quote
/// and the string's flags. With `REJECT` (PHP, JCS), an unpaired `\uD800`-`\uDFFF` escape is
/// [`Error::LoneSurrogate`], reported when the string ends: PHP 8 reports a syntax error later
/// in the same string first (JSONTestSuite `n_string_1_surrogate_then_escape*`), and so does
/// JCS's reference, which runs `JSON.parse` before it looks at the strings.
///
/// `PHP` selects what is recorded: PHP needs [`flag::NON_ASCII`] and [`flag::SLASH`] (its
/// escaping depends on them); JavaScript and JCS need neither.
#[inline(always)]
pub(crate) fn scan<const PHP: bool, const REJECT: bool>(input: &[u8], pos: usize) -> Result<(usize, u8), Error> {
    // Inline: the plain run up to the closing quote, which is most strings.
    let mut flags = 0u8;
    let stop = skip_plain::<PHP>(input, pos, &mut flags);
    if input.get(stop) == Some(&b'"') {
        return Ok((stop, flags));
    }
    scan_rest::<PHP, REJECT>(input, stop, flags)
}

/// [`scan`] from the first byte that needs attention: escapes, controls, the input's end.
#[inline(never)]
fn scan_rest<const PHP: bool, const REJECT: bool>(
    input: &[u8],
    mut pos: usize,
    mut flags: u8,
) -> Result<(usize, u8), Error> {
    let reject_lone_surrogates = REJECT;
    let mut lone: Option<usize> = None;
    loop {
        // `pos` is at a byte that needs attention, or among the input's last few bytes.
        let class = match input.get(pos) {
            Some(&b) => CLASS[b as usize],
            None => return Err(Error::Syntax { offset: pos }),
        };
        if class & STOP == 0 {
            if PHP {
                flags |= class;
            }
            pos = skip_plain::<PHP>(input, pos + 1, &mut flags);
            continue;
        }
        match input[pos] {
            b'"' => {
                return match lone {
                    Some(offset) if reject_lone_surrogates => Err(Error::LoneSurrogate { offset }),
                    _ => Ok((pos, flags)),
                };
            }
            b'\\' => {
                flags |= flag::ESCAPED;
                let (next, unpaired, diff) = scan_escape(input, pos)?;
                flags |= diff;
                if unpaired && lone.is_none() {
                    lone = Some(pos);
                }
                pos = skip_plain::<PHP>(input, next, &mut flags);
            }
            _ => return Err(Error::Syntax { offset: pos }),
        }
    }
}

/// Skips the plain bytes of a string from `pos` (none of `"`, `\\` or a control), recording
/// PHP's flags for them; returns the offset of the first byte that needs attention, or of the
/// last few bytes of the input, which are left to the caller's byte loop.
#[inline(always)]
fn skip_plain<const PHP: bool>(input: &[u8], mut pos: usize, flags: &mut u8) -> usize {
    // Sixteen bytes at a time where the target has SSE2.
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    while let Some(chunk) = input.get(pos..pos + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
        let bytes = sse2::Bytes16::of(chunk);
        let stop = bytes.stops();
        if PHP {
            // The bytes up to the first stop (all sixteen when there is none): the stop itself
            // is never non-ASCII or a slash, so it may be counted in.
            *flags |= bytes.php_flags(stop ^ stop.wrapping_sub(1));
        }
        if stop != 0 {
            return pos + stop.trailing_zeros() as usize;
        }
        pos += 16;
    }
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        skip_plain_tail::<PHP>(input, pos, flags)
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        skip_plain_words::<PHP>(input, pos, flags)
    }
}

/// [`skip_plain`] among the input's last sixteen bytes, where sixteen at a time do not fit:
/// out of line (one string per document at most gets there), so that the parser's hot loop
/// stays small.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[inline(never)]
fn skip_plain_tail<const PHP: bool>(input: &[u8], pos: usize, flags: &mut u8) -> usize {
    skip_plain_words::<PHP>(input, pos, flags)
}

/// [`skip_plain`] eight bytes at a time (SWAR): the tail, and targets without SSE2.
#[inline(always)]
fn skip_plain_words<const PHP: bool>(input: &[u8], mut pos: usize, flags: &mut u8) -> usize {
    while let Some(word) = input.get(pos..pos + 8).and_then(|c| <[u8; 8]>::try_from(c).ok()) {
        let word = u64::from_le_bytes(word);
        let stop = swar::has_byte(word, b'"') | swar::has_byte(word, b'\\') | swar::has_less(word, 0x20);
        if PHP {
            let plain = if stop == 0 { word } else { swar::below_first(word, stop) };
            if plain & swar::HI != 0 {
                *flags |= flag::NON_ASCII;
            }
            if swar::has_byte(plain, b'/') != 0 {
                *flags |= flag::SLASH;
            }
        }
        if stop != 0 {
            return pos + (stop.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    pos
}

/// Byte tests on eight bytes at once. Each test flags, in the high bit of a byte, that byte
/// (exactly for the lowest flagged byte; bytes above it may be flagged spuriously, so only
/// the lowest is trusted).
mod swar {
    pub const LO: u64 = 0x0101_0101_0101_0101;
    pub const HI: u64 = 0x8080_8080_8080_8080;

    /// Bytes equal to `b`.
    #[inline]
    pub fn has_byte(word: u64, b: u8) -> u64 {
        let v = word ^ (LO * u64::from(b));
        v.wrapping_sub(LO) & !v & HI
    }

    /// Bytes below `n` (n <= 0x80).
    #[inline]
    pub fn has_less(word: u64, n: u8) -> u64 {
        word.wrapping_sub(LO * u64::from(n)) & !word & HI
    }

    /// The bytes of `word` below the lowest flagged byte of `stop`, the others zeroed
    /// (a zero byte is neither non-ASCII nor a slash).
    #[inline]
    pub fn below_first(word: u64, stop: u64) -> u64 {
        let bits = stop.trailing_zeros() & !7;
        if bits == 0 {
            0
        } else {
            word & (u64::MAX >> (64 - bits))
        }
    }
}

/// Byte tests on sixteen bytes at once, through `safe_arch` (core has no `unsafe`). Each test
/// returns a 16-bit mask, bit `i` for byte `i`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use super::flag;
    use safe_arch::{
        bitor_m128i, cmp_eq_mask_i8_m128i, load_unaligned_m128i, m128i, max_u8_m128i, move_mask_i8_m128i,
        set_splat_i8_m128i,
    };

    #[derive(Clone, Copy)]
    pub struct Bytes16(m128i);

    #[allow(clippy::cast_possible_wrap, clippy::cast_sign_loss)]
    impl Bytes16 {
        #[inline]
        pub fn of(chunk: &[u8; 16]) -> Self {
            Self(load_unaligned_m128i(chunk))
        }

        #[inline]
        fn splat(b: u8) -> m128i {
            set_splat_i8_m128i(b as i8)
        }

        /// [`flag::NON_ASCII`] and [`flag::SLASH`] as the bytes selected by `mask` set them.
        /// Most strings have neither: one test of both at once (a byte ORed with its `/` mask
        /// has its high bit set exactly when it is non-ASCII or a slash) settles them.
        #[inline]
        pub fn php_flags(self, mask: u32) -> u8 {
            let slash = cmp_eq_mask_i8_m128i(self.0, Self::splat(b'/'));
            if move_mask_i8_m128i(bitor_m128i(self.0, slash)) as u32 & mask == 0 {
                return 0;
            }
            let non_ascii = if self.non_ascii() & mask != 0 { flag::NON_ASCII } else { 0 };
            non_ascii | if self.equal_to(b'/') & mask != 0 { flag::SLASH } else { 0 }
        }

        /// Bytes equal to `b`.
        #[inline]
        fn equal_to(self, b: u8) -> u32 {
            move_mask_i8_m128i(cmp_eq_mask_i8_m128i(self.0, Self::splat(b))) as u32
        }

        /// Bytes that end a plain run inside a string: `"`, `\\` and controls (below 0x20).
        #[inline]
        pub fn stops(self) -> u32 {
            let quote = cmp_eq_mask_i8_m128i(self.0, Self::splat(b'"'));
            let backslash = cmp_eq_mask_i8_m128i(self.0, Self::splat(b'\\'));
            // Unsigned b <= 0x1f exactly when max(b, 0x1f) == 0x1f.
            let limit = Self::splat(0x1f);
            let control = cmp_eq_mask_i8_m128i(max_u8_m128i(self.0, limit), limit);
            move_mask_i8_m128i(bitor_m128i(bitor_m128i(quote, backslash), control)) as u32
        }

        /// Bytes with the high bit set (UTF-8 beyond ASCII).
        #[inline]
        fn non_ascii(self) -> u32 {
            move_mask_i8_m128i(self.0) as u32
        }
    }
}

/// Validates the escape at `input[pos] == b'\\'`; returns the offset after it, whether it is an
/// unpaired surrogate (a valid pair is consumed whole), and which dialects would print it
/// differently ([`flag::JS_DIFF`], [`flag::PHP_DIFF`]).
#[inline(always)]
fn scan_escape(input: &[u8], pos: usize) -> Result<(usize, bool, u8), Error> {
    match input.get(pos + 1) {
        Some(b'"' | b'\\' | b'b' | b'f' | b'n' | b'r' | b't') => Ok((pos + 2, false, 0)),
        Some(b'/') => Ok((pos + 2, false, flag::JS_DIFF)),
        Some(b'u') => {
            let (unit, lower) = hex4_cased(input, pos + 2).ok_or(Error::Syntax { offset: pos })?;
            if is_low(unit) {
                return Ok((pos + 6, true, if lower { 0 } else { flag::JS_DIFF }));
            }
            if is_high(unit) {
                let low = if input.get(pos + 6..pos + 8) == Some(b"\\u") { hex4_cased(input, pos + 8) } else { None };
                let Some((_, low_lower)) = low.filter(|&(unit, _)| is_low(unit)) else {
                    return Ok((pos + 6, true, if lower { 0 } else { flag::JS_DIFF }));
                };
                // JavaScript prints the character raw; PHP prints the pair, lowercase.
                let php = if lower && low_lower { 0 } else { flag::PHP_DIFF };
                return Ok((pos + 12, false, flag::JS_DIFF | php));
            }
            let control = unit < 0x20 && short_escape(unit).is_none();
            let js = if lower && control { 0 } else { flag::JS_DIFF };
            let php = if lower && (control || unit >= 0x80) { 0 } else { flag::PHP_DIFF };
            Ok((pos + 6, false, js | php))
        }
        _ => Err(Error::Syntax { offset: pos }),
    }
}

/// One piece of a decoded string: a run of bytes copied as they are, or one decoded escape
/// (a Unicode scalar value, or a lone surrogate code unit 0xD800..=0xDFFF).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Piece<'a> {
    Run(&'a [u8]),
    Char(u32),
}

/// Decodes the raw contents of a validated string (between the quotes) piece by piece.
#[derive(Debug, Clone)]
pub(crate) struct Pieces<'a> {
    raw: &'a [u8],
    pos: usize,
}

impl<'a> Pieces<'a> {
    pub(crate) fn new(raw: &'a [u8]) -> Self {
        Self { raw, pos: 0 }
    }
}

impl<'a> Iterator for Pieces<'a> {
    type Item = Piece<'a>;

    #[inline]
    fn next(&mut self) -> Option<Piece<'a>> {
        let rest = self.raw.get(self.pos..).filter(|r| !r.is_empty())?;
        if rest[0] != b'\\' {
            let n = rest.iter().position(|&b| b == b'\\').unwrap_or(rest.len());
            self.pos += n;
            return Some(Piece::Run(&rest[..n]));
        }
        let (c, len) = match rest.get(1).copied().unwrap_or(b'\\') {
            b'b' => (0x08, 2),
            b'f' => (0x0C, 2),
            b'n' => (0x0A, 2),
            b'r' => (0x0D, 2),
            b't' => (0x09, 2),
            b'u' => {
                let unit = hex4(rest, 2).unwrap_or(0xFFFD);
                match (is_high(unit), hex4(rest, 8)) {
                    (true, Some(low)) if rest.get(6..8) == Some(b"\\u") && is_low(low) => {
                        (0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00), 12)
                    }
                    _ => (unit, 6),
                }
            }
            other => (u32::from(other), 2),
        };
        self.pos += len;
        Some(Piece::Char(c))
    }
}

/// Encodes a scalar value, or a lone surrogate as generalized UTF-8 (WTF-8), into `buf`.
#[inline]
pub(crate) fn encode_wtf8(c: u32, buf: &mut [u8; 4]) -> &[u8] {
    if c < 0x80 {
        buf[0] = c as u8;
        &buf[..1]
    } else if c < 0x800 {
        buf[0] = 0xC0 | (c >> 6) as u8;
        buf[1] = 0x80 | (c & 0x3F) as u8;
        &buf[..2]
    } else if c < 0x10000 {
        buf[0] = 0xE0 | (c >> 12) as u8;
        buf[1] = 0x80 | ((c >> 6) & 0x3F) as u8;
        buf[2] = 0x80 | (c & 0x3F) as u8;
        &buf[..3]
    } else {
        buf[0] = 0xF0 | (c >> 18) as u8;
        buf[1] = 0x80 | ((c >> 12) & 0x3F) as u8;
        buf[2] = 0x80 | ((c >> 6) & 0x3F) as u8;
        buf[3] = 0x80 | (c & 0x3F) as u8;
        &buf[..4]
    }
}

/// The decoded bytes of a string (WTF-8), one at a time: for comparisons of escaped keys.
pub(crate) fn decoded_bytes(raw: &[u8]) -> impl Iterator<Item = u8> + Clone + '_ {
    Pieces::new(raw).flat_map(|piece| {
        let mut buf = [0u8; 4];
        let (bytes, n): (&[u8], usize) = match piece {
            Piece::Run(r) => (r, r.len()),
            Piece::Char(c) => {
                let n = encode_wtf8(c, &mut buf).len();
                (&[], n)
            }
        };
        let run = bytes.iter().copied();
        let own = buf.into_iter().take(if bytes.is_empty() { n } else { 0 });
        run.chain(own)
    })
}

/// True when two raw string contents decode to the same string.
#[inline]
pub(crate) fn decoded_eq(a: &[u8], a_escaped: bool, b: &[u8], b_escaped: bool) -> bool {
    if !a_escaped && !b_escaped {
        return a == b;
    }
    text_bytes(a, a_escaped).eq(text_bytes(b, b_escaped))
}

/// The bytes a string stands for: decoded when it is JSON text with escapes, as they are
/// otherwise (a caller's plain `&str` may contain a backslash that is just a backslash).
fn text_bytes(raw: &[u8], escaped: bool) -> impl Iterator<Item = u8> + Clone + '_ {
    let (decoded, plain) = if escaped { (Some(decoded_bytes(raw)), None) } else { (None, Some(raw.iter().copied())) };
    decoded.into_iter().flatten().chain(plain.into_iter().flatten())
}

/// Orders two raw string contents by the UTF-16 code units of their decoded text, as RFC 8785
/// §3.2.3 sorts member names (ECMAScript's string order; U+1F600 before U+FB33), without
/// transcoding: plain keys (no escapes) are compared as UTF-8 bytes, where only one pair of
/// lead bytes disagrees with UTF-16 (see [`utf16_unit_order`]); escaped keys are decoded on
/// the fly. Lone surrogates never reach it (JCS rejects them).
#[inline]
pub(crate) fn utf16_cmp(a: &[u8], a_escaped: bool, b: &[u8], b_escaped: bool) -> core::cmp::Ordering {
    if !a_escaped && !b_escaped {
        return match first_difference(a, b) {
            Some(i) => utf16_unit_order(a[i], b[i]),
            None => a.len().cmp(&b.len()),
        };
    }
    let (mut x, mut y) = (text_bytes(a, a_escaped), text_bytes(b, b_escaped));
    loop {
        match (x.next(), y.next()) {
            (Some(p), Some(q)) if p == q => {}
            (Some(p), Some(q)) => return utf16_unit_order(p, q),
            (p, q) => return p.is_some().cmp(&q.is_some()),
        }
    }
}

/// The order of two UTF-8 strings with a common prefix whose first differing bytes are `x`
/// and `y`: both are lead bytes (or both continuation bytes of characters of one length), and
/// UTF-8 byte order is code point order. UTF-16 code unit order agrees except between a
/// supplementary character (lead `F0`-`F4`, a surrogate pair `D800`-`DBFF` first in UTF-16) and
/// one of U+E000-U+FFFF (lead `EE`, `EF`), which UTF-16 puts after it.
#[inline]
fn utf16_unit_order(x: u8, y: u8) -> core::cmp::Ordering {
    let supplementary = |b: u8| b >= 0xF0;
    let private_and_up = |b: u8| b == 0xEE || b == 0xEF;
    if supplementary(x) && private_and_up(y) {
        core::cmp::Ordering::Less
    } else if private_and_up(x) && supplementary(y) {
        core::cmp::Ordering::Greater
    } else {
        x.cmp(&y)
    }
}

/// The index of the first byte where `a` and `b` differ, within their common length; eight
/// bytes at a time.
#[inline]
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n {
        let diff = word(&a[i..i + 8]) ^ word(&b[i..i + 8]);
        if diff != 0 {
            return Some(i + (diff.trailing_zeros() / 8) as usize);
        }
        i += 8;
    }
    (i..n).find(|&j| a[j] != b[j])
}

/// Orders two raw string contents by their decoded bytes.
#[inline]
pub(crate) fn decoded_cmp(a: &[u8], a_escaped: bool, b: &[u8], b_escaped: bool) -> core::cmp::Ordering {
    if !a_escaped && !b_escaped {
        return a.cmp(b);
    }
    text_bytes(a, a_escaped).cmp(text_bytes(b, b_escaped))
}

fn write_u_escape<S: Sink + ?Sized>(unit: u32, sink: &mut S) {
    let u = unit as usize;
    sink.write(&[b'\\', b'u', HEX[(u >> 12) & 0xF], HEX[(u >> 8) & 0xF], HEX[(u >> 4) & 0xF], HEX[u & 0xF]]);
}

/// The short escape of a control character or quote/backslash, shared by both dialects.
#[inline]
fn short_escape(c: u32) -> Option<&'static [u8]> {
    Some(match c {
        0x08 => b"\\b",
        0x09 => b"\\t",
        0x0A => b"\\n",
        0x0C => b"\\f",
        0x0D => b"\\r",
        0x22 => b"\\\"",
        0x5C => b"\\\\",
        _ => return None,
    })
}

/// Writes a string the way `JSON.stringify` prints it.
pub(crate) fn emit_js<S: Sink + ?Sized>(raw: &[u8], flags: u8, sink: &mut S) {
    sink.write(b"\"");
    if flags & flag::JS_DIFF == 0 {
        sink.write(raw);
    } else {
        for piece in Pieces::new(raw) {
            match piece {
                Piece::Run(r) => sink.write(r),
                Piece::Char(c) => {
                    if let Some(esc) = short_escape(c) {
                        sink.write(esc);
                    } else if c < 0x20 || (0xD800..0xE000).contains(&c) {
                        write_u_escape(c, sink);
                    } else {
                        let mut buf = [0u8; 4];
                        sink.write(encode_wtf8(c, &mut buf));
                    }
                }
            }
        }
    }
    sink.write(b"\"");
}

/// Writes one character the way `json_encode` does.
#[inline]
fn emit_php_char<S: Sink + ?Sized>(c: u32, php: PhpFlags, sink: &mut S) {
    if let Some(esc) = short_escape(c) {
        sink.write(esc);
    } else if c == u32::from(b'/') {
        sink.write(if php.unescaped_slashes { b"/" } else { b"\\/" });
    } else if c < 0x20 {
        write_u_escape(c, sink);
    } else if c < 0x80 || (php.unescaped_unicode && c != 0x2028 && c != 0x2029) {
        let mut buf = [0u8; 4];
        sink.write(encode_wtf8(c, &mut buf));
    } else if c >= 0x10000 {
        let v = c - 0x10000;
        write_u_escape(0xD800 | (v >> 10), sink);
        write_u_escape(0xDC00 | (v & 0x3FF), sink);
    } else {
        write_u_escape(c, sink);
    }
}

/// Decodes the UTF-8 character starting at `run[i]` (input is validated UTF-8).
#[inline]
fn utf8_char(run: &[u8], i: usize) -> (u32, usize) {
    let b0 = u32::from(run[i]);
    let cont = |k: usize| u32::from(run.get(i + k).copied().unwrap_or(0x80) & 0x3F);
    if b0 < 0xE0 {
        ((b0 & 0x1F) << 6 | cont(1), 2)
    } else if b0 < 0xF0 {
        ((b0 & 0x0F) << 12 | cont(1) << 6 | cont(2), 3)
    } else {
        ((b0 & 0x07) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3), 4)
    }
}

/// Writes a run of raw (unescaped, valid UTF-8) string bytes the way `json_encode` does,
/// through a buffer on the stack: eight bytes are stored at a time and kept up to the first
/// [`php_special`] byte among them, whose escape is stored after them. One write per 256 bytes
/// of output instead of two (a run, an escape) per special byte; no copy of variable length.
fn emit_php_run<S: Sink + ?Sized>(run: &[u8], php: PhpFlags, sink: &mut S) {
    /// Output bytes buffered before a write; one step adds at most 8 + 12.
    const FLUSH_AT: usize = 256;
    let mut out = [0u8; FLUSH_AT + 20];
    let (mut i, mut o) = (0usize, 0usize);
    while i < run.len() {
        if o > FLUSH_AT {
            sink.write(&out[..o]);
            o = 0;
        }
        let avail = run.len() - i;
        let w = match run.get(i..i + 8) {
            Some(bytes) => word(bytes),
            None => {
                // The last few, zero-padded (a zero byte is neither `/` nor non-ASCII).
                let mut bytes = [0u8; 8];
                bytes[..avail].copy_from_slice(&run[i..]);
                u64::from_le_bytes(bytes)
            }
        };
        out[o..o + 8].copy_from_slice(&w.to_le_bytes());
        // Each test flags its lowest match exactly, so the union's lowest flag is the first.
        let slash = if php.unescaped_slashes { 0 } else { swar::has_byte(w, b'/') };
        let high = if php.unescaped_unicode { swar::has_byte(w, 0xE2) } else { w & swar::HI };
        let special = slash | high;
        if special == 0 {
            let step = avail.min(8);
            i += step;
            o += step;
            continue;
        }
        let plain = (special.trailing_zeros() / 8) as usize;
        i += plain;
        o += plain;
        if run[i] == b'/' {
            out[o..o + 2].copy_from_slice(b"\\/");
            (i, o) = (i + 1, o + 2);
            continue;
        }
        let (c, len) = utf8_char(run, i);
        if php.unescaped_unicode && c != 0x2028 && c != 0x2029 {
            // An E2 lead byte of another character: as it is.
            out[o..o + len].copy_from_slice(&run[i..i + len]);
            o += len;
        } else if c >= 0x10000 {
            let v = c - 0x10000;
            o = store_u_escape(0xD800 | (v >> 10), &mut out, o);
            o = store_u_escape(0xDC00 | (v & 0x3FF), &mut out, o);
        } else {
            o = store_u_escape(c, &mut out, o);
        }
        i += len;
    }
    sink.write(&out[..o]);
}

/// Stores `\uXXXX` (lowercase hex, as both engines print it) for UTF-16 code unit `unit` at
/// `out[o..]`; returns the offset after it.
#[inline(always)]
fn store_u_escape(unit: u32, out: &mut [u8], o: usize) -> usize {
    let u = unit as usize;
    out[o..o + 6].copy_from_slice(&[
        b'\\',
        b'u',
        HEX[(u >> 12) & 0xF],
        HEX[(u >> 8) & 0xF],
        HEX[(u >> 4) & 0xF],
        HEX[u & 0xF],
    ]);
    o + 6
}

/// Writes a string the way `json_encode` prints it with `php` flags.
pub(crate) fn emit_php<S: Sink + ?Sized>(raw: &[u8], flags: u8, php: PhpFlags, sink: &mut S) {
    sink.write(b"\"");
    let default_flags = !php.unescaped_slashes && !php.unescaped_unicode;
    let plain = (flags & flag::ESCAPED == 0
        && (flags & flag::SLASH == 0 || php.unescaped_slashes)
        && flags & flag::NON_ASCII == 0)
        || (default_flags && flags & (flag::PHP_DIFF | flag::SLASH | flag::NON_ASCII) == 0);
    if plain {
        sink.write(raw);
    } else if flags & flag::ESCAPED == 0 {
        emit_php_run(raw, php, sink);
    } else {
        for piece in Pieces::new(raw) {
            match piece {
                Piece::Run(r) => emit_php_run(r, php, sink),
                Piece::Char(c) => emit_php_char(c, php, sink),
            }
        }
    }
    sink.write(b"\"");
}

/// A hash of a key's decoded text: its length and its first sixteen bytes, or for longer keys
/// its first and last eight. O(1) for keys without escapes, and equal for equal keys whatever
/// their escapes. Collisions are settled by comparing texts, so a poor spread costs time
/// (bounded by the sort), never correctness.
#[inline]
pub(crate) fn key_hash(raw: &[u8], escaped: bool) -> u32 {
    if !escaped {
        let n = raw.len();
        if n <= 16 {
            let mut window = [0u8; 16];
            window[..n].copy_from_slice(raw);
            return short_key_hash(n, &window);
        }
        return mix(n, word(&raw[..8]), word(&raw[n - 8..]));
    }
    let (mut len, mut head, mut tail) = (0usize, [0u8; 16], [0u8; 8]);
    for b in decoded_bytes(raw) {
        if len < 16 {
            head[len] = b;
        }
        tail.copy_within(1.., 0);
        tail[7] = b;
        len += 1;
    }
    if len <= 16 {
        short_key_hash(len, &head)
    } else {
        mix(len, word(&head[..8]), u64::from_le_bytes(tail))
    }
}

/// [`key_hash`] of a key of `n` <= 16 bytes that starts `window` (what follows it is ignored).
#[inline]
fn short_key_hash(n: usize, window: &[u8; 16]) -> u32 {
    short_key_words(n, window).0
}

/// [`short_key_hash`], and the key's first eight bytes as a little-endian word with the bytes
/// past the key zeroed (what [`jcs_prefix_of_head`] reads).
#[inline(always)]
fn short_key_words(n: usize, window: &[u8; 16]) -> (u32, u64) {
    // The low `n` bytes, through a table (no branch on the length).
    let [lo, hi] = KEEP_LOW_BYTES[n];
    let head = word(&window[..8]) & lo;
    (mix(n, head, word(&window[8..]) & hi), head)
}

/// No JCS prefix: the key must be compared by its text (see [`jcs_prefix`]). No prefix that
/// settles is this value (its bytes would all be `FF`).
pub(crate) const NO_PREFIX: u64 = u64::MAX;

/// The JCS sort prefix ([`jcs_prefix`]) of a key without escapes whose first eight bytes
/// (zero-padded past a shorter key) are the little-endian `head`, or [`NO_PREFIX`].
#[inline(always)]
pub(crate) fn jcs_prefix_of_head(head: u64) -> u64 {
    // ASCII settles at once; otherwise every byte must be below EE.
    if head & swar::HI == 0 || head.to_le_bytes().iter().all(|&b| b < 0xEE) {
        head.swap_bytes()
    } else {
        NO_PREFIX
    }
}

/// A key's first eight bytes, big-endian and zero-padded (a raw key has no zero byte, so a
/// shorter key sorts first, as a prefix should), when it orders the key against any other
/// such prefix that differs: the key has no escape and none of those bytes is `EE` or above,
/// so the first byte where two such prefixes differ is below `EE` in both, where UTF-8 byte
/// order is UTF-16 code unit order (see [`utf16_cmp`]); else [`NO_PREFIX`]. The key spans
/// `input[start..end]`.
#[inline(always)]
pub(crate) fn jcs_prefix(input: &[u8], start: u32, end: u32, flags: u8) -> u64 {
    if flags & flag::ESCAPED != 0 {
        return NO_PREFIX;
    }
    let (start, end) = (start as usize, end as usize);
    let len = (end - start).min(8);
    let head = match input.get(start..start + 8) {
        // Eight bytes are there (the key's, then its closing quote, the colon, ...): mask the
        // ones past the key.
        Some(bytes) => word(bytes) & KEEP_LOW_BYTES[len][0],
        None => {
            let mut bytes = [0u8; 8];
            bytes[..len].copy_from_slice(&input[start..start + len]);
            u64::from_le_bytes(bytes)
        }
    };
    jcs_prefix_of_head(head)
}

/// No JCS sort half: the key must be compared by its text (see [`jcs_half`]). No half that
/// settles is this value (its bytes would all be `FF`).
pub(crate) const NO_HALF: u32 = u32::MAX;

/// A key's JCS sort half: its first four bytes, big-endian and zero-padded, when they order it
/// against any other key's half that differs (the key has no escape and none of those bytes
/// is `EE` or above: see [`jcs_prefix`], whose top half this is where both are defined), else
/// [`NO_HALF`]. Keys whose halves tie are compared by their text. The key spans
/// `input[start..end]`.
#[inline]
pub(crate) fn jcs_half(input: &[u8], start: usize, end: usize, flags: u8) -> u32 {
    if flags & flag::ESCAPED != 0 {
        return NO_HALF;
    }
    let mut bytes = [0u8; 8];
    let len = (end - start).min(8);
    bytes[..len].copy_from_slice(&input[start..start + len]);
    jcs_half_of_head(u64::from_le_bytes(bytes))
}

/// [`jcs_half`] of a key without escapes whose first eight bytes (zero-padded past a shorter
/// key) are the little-endian `head`.
#[inline(always)]
pub(crate) fn jcs_half_of_head(head: u64) -> u32 {
    let word = head as u32;
    // ASCII settles at once; otherwise every byte must be below EE.
    if word & 0x8080_8080 == 0 || word.to_le_bytes().iter().all(|&b| b < 0xEE) {
        word.swap_bytes()
    } else {
        NO_HALF
    }
}

/// `KEEP_LOW_BYTES[n]`: masks of the low `n` bytes of a 16-byte window, as two words.
const KEEP_LOW_BYTES: [[u64; 2]; 17] = {
    let mut masks = [[0u64; 2]; 17];
    let mut n = 1;
    while n <= 16 {
        let bits = 8 * n as u32;
        masks[n] = if bits <= 64 { [u64::MAX >> (64 - bits), 0] } else { [u64::MAX, u64::MAX >> (128 - bits)] };
        n += 1;
    }
    masks
};

/// The little-endian word of eight bytes (`bytes.len() == 8`).
#[inline]
fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(bytes);
    u64::from_le_bytes(w)
}

/// A key without escapes that ends within the sixteen bytes from `pos` (the common case): the
/// offset of its closing quote, its flags (as [`scan`] records them), its [`key_hash`] and its
/// first eight bytes, zero-padded (for [`jcs_prefix_of_head`]).
/// `None` sends the key to [`scan`] and [`key_hash`].
#[inline(always)]
pub(crate) fn short_key<const PHP: bool>(input: &[u8], pos: usize) -> Option<(usize, u8, u32, u64)> {
    let window: &[u8; 16] = input.get(pos..pos + 16)?.try_into().ok()?;
    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    {
        let bytes = sse2::Bytes16::of(window);
        let stop = bytes.stops();
        let n = stop.trailing_zeros() as usize;
        if window.get(n) != Some(&b'"') {
            return None;
        }
        // The key's bytes and its closing quote (which is no PHP flag's).
        let flags = if PHP { bytes.php_flags(stop ^ stop.wrapping_sub(1)) } else { 0 };
        let (hash, head) = short_key_words(n, window);
        Some((pos + n, flags, hash, head))
    }
    #[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
    {
        let _ = window;
        None
    }
}

#[inline]
fn mix(len: usize, head: u64, tail: u64) -> u32 {
    let h = (head ^ (len as u64).rotate_left(32)).wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ tail.wrapping_mul(0xC2B2_AE3D_27D4_EB4F);
    (h ^ (h >> 29)) as u32
}

/// The array-index value of a key ("0".."4294967294" in canonical decimal), if it is one.
pub(crate) fn array_index(raw: &[u8], escaped: bool) -> Option<u32> {
    if !escaped {
        return index_of_digits(raw);
    }
    let mut buf = [0u8; 10];
    let mut n = 0;
    for b in decoded_bytes(raw) {
        *buf.get_mut(n)? = b;
        n += 1;
    }
    index_of_digits(&buf[..n])
}

#[inline]
fn index_of_digits(d: &[u8]) -> Option<u32> {
    if d.is_empty() || d.len() > 10 || (d[0] == b'0' && d.len() > 1) {
        return None;
    }
    let mut v: u64 = 0;
    for &b in d {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u64::from(b - b'0');
    }
    if v <= 4_294_967_294 {
        Some(v as u32)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sink::SliceSink;

    #[test]
    fn decoding_joins_pairs_and_keeps_lone_surrogates() {
        let got: alloc_free::Bytes = decoded_bytes(br"a\u00e9\ud83d\ude00\ud800x").collect();
        assert_eq!(
            got.as_slice(),
            "aé😀".bytes().chain([0xED, 0xA0, 0x80, b'x']).collect::<alloc_free::Bytes>().as_slice()
        );
    }

    #[test]
    fn php_runs_eight_at_a_time_agree_with_char_by_char() {
        let pieces = ["/", "é", "–", "€", "\u{2028}", "\u{2029}", "😀", "a", "\u{7f}", "xyz"];
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        for len in 0..120 {
            let mut text = [0u8; 512];
            let mut n = 0;
            for _ in 0..len {
                rng ^= rng << 13;
                rng ^= rng >> 7;
                rng ^= rng << 17;
                let piece = pieces[(rng % pieces.len() as u64) as usize].as_bytes();
                text[n..n + piece.len()].copy_from_slice(piece);
                n += piece.len();
            }
            let run = &text[..n];
            for slashes in [false, true] {
                for unicode in [false, true] {
                    let php = PhpFlags { unescaped_slashes: slashes, unescaped_unicode: unicode };
                    let (mut got, mut want) = ([0u8; 4096], [0u8; 4096]);
                    let mut sink = SliceSink::new(&mut got);
                    emit_php_run(run, php, &mut sink);
                    let got_len = sink.finish().unwrap();
                    let mut sink = SliceSink::new(&mut want);
                    for c in core::str::from_utf8(run).unwrap().chars() {
                        emit_php_char(u32::from(c), php, &mut sink);
                    }
                    let want_len = sink.finish().unwrap();
                    assert_eq!(&got[..got_len], &want[..want_len], "{php:?} {:?}", core::str::from_utf8(run));
                }
            }
        }
    }

    #[test]
    fn index_keys() {
        assert_eq!(array_index(b"0", false), Some(0));
        assert_eq!(array_index(b"4294967294", false), Some(4_294_967_294));
        assert_eq!(array_index(b"4294967295", false), None);
        assert_eq!(array_index(b"01", false), None);
        assert_eq!(array_index(br"\u0031", true), Some(1));
        assert_eq!(array_index(b"", false), None);
    }

    /// A tiny fixed-capacity byte collector so the tests need no allocator.
    mod alloc_free {
        #[derive(Debug)]
        pub struct Bytes([u8; 64], usize);
        impl Default for Bytes {
            fn default() -> Self {
                Bytes([0; 64], 0)
            }
        }
        impl Bytes {
            pub fn as_slice(&self) -> &[u8] {
                &self.0[..self.1]
            }
        }
        impl FromIterator<u8> for Bytes {
            fn from_iter<I: IntoIterator<Item = u8>>(it: I) -> Self {
                let mut b = Bytes::default();
                for x in it {
                    b.0[b.1] = x;
                    b.1 += 1;
                }
                b
            }
        }
    }
}
