//! Random JSON-ish documents for the differential fuzzer: numbers from random bits and in many
//! spellings, nasty strings (every escape, controls, U+2028, lone and paired surrogates, raw
//! astral characters, invalid UTF-8), array-index keys, duplicate keys, nesting up to and
//! beyond both engines' limits, and byte-level mutations that make most of them invalid in
//! interesting places.

use std::fmt::Write as _;

/// xorshift64*: deterministic, so that a seed names a document.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    #[must_use]
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03 | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}

const EDGE_NUMBERS: &[&str] = &[
    "-0",
    "0",
    "-0.0",
    "0.0",
    "0e0",
    "-0E-0",
    "1E2",
    "1e+2",
    "1.0e-7",
    "100.00",
    "0.000001",
    "0.0000001",
    "1e21",
    "1e20",
    "999999999999999999999",
    "123e-20",
    "9007199254740993",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775808",
    "-9223372036854775809",
    "18446744073709551615",
    "18446744073709551616",
    "1e308",
    "1.7976931348623157e308",
    "1.7976931348623158e308",
    "1.7976931348623159e308",
    "-1.8e308",
    "5e-324",
    "2.4703282292062328e-324",
    "2.4703282292062327e-324",
    "2e-324",
    "1e-400",
    "-1e-400",
    "0.1",
    "0.30000000000000004",
    "1e15",
    "1e16",
    "1e17",
    "1e18",
    "1.5e17",
    "123456789012345680000",
    "12345678901234567890",
    "4.35",
    "1e-4",
    "1e-5",
    "0.0001",
    "0.00001",
    "1e400",
    "1e-7",
    "100000000000000000000000",
    "2.2250738585072011e-308",
    "2.2250738585072012e-308",
    "4.9406564584124654e-324",
    "1.000000000000000000000000000000000000001",
    "9.999999999999999999999999999999999999999",
];

/// A number literal (valid unless mutated later).
pub fn number(rng: &mut Rng, out: &mut String) {
    match rng.below(11) {
        0 | 1 => {
            let v = f64::from_bits(rng.next_u64());
            let v = if v.is_finite() { v } else { f64::from_bits(rng.next_u64() >> 2) };
            if rng.chance(50) {
                let _ = write!(out, "{v:e}");
            } else {
                let _ = write!(out, "{v:?}");
            }
        }
        2 => {
            let _ = write!(out, "{}", rng.next_u64() as i64);
        }
        3 => {
            let _ = write!(out, "{}", rng.next_u64());
        }
        4 => {
            let _ = write!(out, "{}", rng.below(2000) as i64 - 1000);
        }
        5 | 6 => out.push_str(rng.pick(EDGE_NUMBERS)),
        7 => {
            let e = if rng.chance(50) { "e" } else { "E" };
            let sign = rng.pick(&["", "+", "-"]);
            let _ = write!(out, "{}.{}{e}{sign}{}", rng.below(1000), rng.below(1_000_000), rng.below(330));
        }
        8 => {
            // A long digit run: correct rounding of long inputs, halfway cases.
            let len = 1 + rng.below(40) as usize;
            out.push(char::from(b'1' + rng.below(9) as u8));
            for _ in 1..len {
                out.push(char::from(b'0' + if rng.chance(30) { 0 } else { rng.below(10) as u8 }));
            }
            if rng.chance(50) {
                let _ = write!(out, "e{}", rng.below(700) as i64 - 350);
            }
        }
        9 => {
            // Near powers of two and of ten, where printers disagree most.
            let v = 2f64.powi(rng.below(2100) as i32 - 1075) * if rng.chance(50) { 1.0 } else { 3.0 };
            let _ = write!(out, "{v:e}");
        }
        _ => {
            let _ = write!(out, "{}.{:03}", rng.below(100_000), rng.below(1000));
        }
    }
}

/// Characters engines treat specially: non-ASCII escapes, U+2028/9 (JavaScript source vs
/// JSON), DEL, BOM, noncharacters, the last code point, astral characters.
const NASTY_CHARS: &str = "éüß€中😀\u{2028}\u{2029}\u{7f}\u{80}\u{a0}𝄞\u{feff}\u{ffff}\u{fffd}\u{10ffff}";

/// A string's characters (between the quotes).
pub fn string_body(rng: &mut Rng, lone: bool, out: &mut String) {
    let n = if rng.chance(5) { rng.below(60) } else { rng.below(10) };
    for _ in 0..n {
        match rng.below(18) {
            0 => out.push_str(rng.pick(&["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"])),
            1 => {
                let _ = write!(out, "\\u{:04x}", rng.below(0x20));
            }
            2 => {
                let u = rng.below(0x10000);
                if rng.chance(50) {
                    let _ = write!(out, "\\u{u:04X}");
                } else {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            3 => {
                let c = 0x10000 + rng.below(0x100000);
                let v = c - 0x10000;
                let _ = write!(out, "\\u{:04x}\\u{:04X}", 0xD800 | (v >> 10), 0xDC00 | (v & 0x3FF));
            }
            4 if lone => {
                // A lone surrogate (or a reversed pair, or two highs).
                let s = rng.pick(&[0xD800, 0xDBFF, 0xDC00, 0xDFFF]) + rng.below(0x100) * u64::from(rng.chance(50));
                let _ = write!(out, "\\u{:04x}", s.min(0xDFFF));
            }
            5 => {
                let chars: Vec<char> = NASTY_CHARS.chars().collect();
                out.push(rng.pick(&chars));
            }
            6 => {
                if let Some(c) = char::from_u32(0x80 + rng.below(0x10FF80) as u32) {
                    out.push(c);
                }
            }
            7 => out.push('/'),
            8 => out.push_str(rng.pick(&["</script>", "\\u0000", "\\u001f", "\\u007f", "\\u2028", "\\ud834\\udd1e"])),
            9 => {
                // A raw control character: an error in both engines.
                if rng.chance(10) {
                    out.push(char::from(rng.below(0x20) as u8));
                }
            }
            _ => {
                let c = char::from(b' ' + rng.below(95) as u8);
                out.push(if c == '"' || c == '\\' { 'x' } else { c });
            }
        }
    }
}

const KEYS: &[&str] = &[
    "4294967294",
    "4294967295",
    "4294967296",
    "01",
    "-1",
    "-0",
    "1.0",
    "",
    "0",
    "\\u0031",
    "\\u0030",
    "1 ",
    "a",
    "A",
    "\\u0061",
    "__proto__",
    "constructor",
    "length",
];

/// Name pieces where UTF-16 code unit order (JCS) and UTF-8 byte order part: supplementary
/// characters (surrogate pairs in UTF-16) against U+E000-U+FFFF, raw and escaped, and their
/// neighbours.
const UTF16_ORDER_PIECES: &[&str] = &[
    "a",
    "\\u0061",
    "\u{7f}",
    "\u{80}",
    "é",
    "\\u00e9",
    "\u{d7ff}",
    "\u{e000}",
    "\\ue000",
    "\u{fb33}",
    "\\uFB33",
    "\u{ffff}",
    "\u{10000}",
    "\\ud800\\udc00",
    "😀",
    "\\ud83d\\ude00",
    "\u{10ffff}",
];

fn key(rng: &mut Rng, lone: bool, i: u64, out: &mut String) {
    out.push('"');
    match rng.below(10) {
        4 => {
            for _ in 0..=rng.below(3) {
                out.push_str(rng.pick(UTF16_ORDER_PIECES));
            }
        }
        0 => {
            let _ = write!(out, "{i}");
        }
        1 => {
            let _ = write!(out, "{}", rng.below(12));
        }
        2 => out.push_str(rng.pick(KEYS)),
        3 => {
            let _ = write!(out, "{}", rng.next_u64() % 5_000_000_000);
        }
        _ => string_body(rng, lone, out),
    }
    out.push('"');
}

fn ws(rng: &mut Rng, out: &mut String) {
    if rng.chance(15) {
        for _ in 0..=rng.below(3) {
            out.push(rng.pick(&[' ', '\t', '\n', '\r']));
        }
    }
}

fn value(rng: &mut Rng, lone: bool, depth: u32, max_depth: u32, out: &mut String) {
    ws(rng, out);
    let container = depth < max_depth && rng.chance(40);
    if container && rng.chance(50) {
        out.push('[');
        for i in 0..rng.below(6) {
            if i > 0 {
                out.push(',');
            }
            value(rng, lone, depth + 1, max_depth, out);
        }
        ws(rng, out);
        out.push(']');
    } else if container {
        out.push('{');
        // Now and then a wide object (sorted members, duplicate checks past the small path).
        let n = if rng.chance(4) { rng.below(80) } else { rng.below(7) };
        let sequential = rng.chance(25);
        let mut keys: Vec<(usize, usize)> = Vec::new();
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            ws(rng, out);
            if !keys.is_empty() && rng.chance(3) {
                // A duplicate key, spelled the same.
                let (start, end) = keys[rng.below(keys.len() as u64) as usize];
                let k = out[start..end].to_owned();
                out.push_str(&k);
            } else {
                let start = out.len();
                if sequential {
                    let _ = write!(out, "\"{i}\"");
                } else {
                    key(rng, lone, i, out);
                }
                keys.push((start, out.len()));
            }
            ws(rng, out);
            out.push(':');
            value(rng, lone, depth + 1, max_depth, out);
        }
        ws(rng, out);
        out.push('}');
    } else {
        match rng.below(7) {
            0 => out.push_str(rng.pick(&["null", "true", "false"])),
            1..=3 => number(rng, out),
            _ => {
                out.push('"');
                string_body(rng, lone, out);
                out.push('"');
            }
        }
    }
    ws(rng, out);
}

/// One document for `seed`. Most are valid JSON; some nest 505..=520 levels deep; about one in
/// eight is mutated at the byte level (and is then mostly invalid).
#[must_use]
pub fn document(seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = String::new();
    let max_depth = 1 + rng.below(6) as u32;
    // Lone surrogates in a third of the documents (PHP rejects them all).
    let lone = rng.chance(33);
    if rng.chance(3) {
        // Deep nesting around the limits (JavaScript 512, PHP 511), arrays and objects mixed.
        let levels = 505 + rng.below(16) as usize;
        let mut closers = Vec::with_capacity(levels);
        for _ in 0..levels {
            if rng.chance(70) {
                out.push('[');
                closers.push(']');
            } else {
                out.push_str("{\"k\":");
                closers.push('}');
            }
        }
        value(&mut rng, lone, 0, 2, &mut out);
        while let Some(c) = closers.pop() {
            out.push(c);
        }
    } else {
        value(&mut rng, lone, 0, max_depth, &mut out);
    }
    let mut bytes = out.into_bytes();
    if rng.chance(12) {
        mutate(&mut rng, &mut bytes);
    }
    bytes
}

fn mutate(rng: &mut Rng, bytes: &mut Vec<u8>) {
    const INTERESTING: &[u8] = b"{}[]\",:\\/0123456789-+.eEtfnu \t\n\r\x00\x1f\x7f\x80\xbf\xc0\xc3\xe2\xed\xf0\xf4\xff";
    for _ in 0..=rng.below(3) {
        let at = rng.below(bytes.len() as u64 + 1) as usize;
        let b = rng.pick(INTERESTING);
        match rng.below(5) {
            0 if at < bytes.len() => {
                bytes.remove(at);
            }
            1 if at < bytes.len() => bytes[at] = b,
            2 => bytes.truncate(at),
            3 if !bytes.is_empty() => {
                // An invalid or overlong UTF-8 sequence.
                let seq: &[u8] =
                    rng.pick(&[&b"\xc0\xaf"[..], b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\xff"]);
                let at = at.min(bytes.len());
                bytes.splice(at..at, seq.iter().copied());
            }
            _ => bytes.insert(at, b),
        }
    }
}
