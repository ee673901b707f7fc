//! Shared test support: a deterministic generator of nasty JSON documents (numbers from random
//! bit patterns, every kind of escape, array-index keys, empty containers, nesting) used by
//! the property tests and by the differential tests against Node and PHP.
#![allow(dead_code)]

use std::fmt::Write as _;

/// xorshift64*: small, deterministic, good enough to spread test cases.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Options for the generator.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Emit `\uD800`-style unpaired surrogate escapes.
    pub lone_surrogates: bool,
    /// Maximum nesting.
    pub max_depth: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self { lone_surrogates: true, max_depth: 6 }
    }
}

fn ws(rng: &mut Rng, out: &mut String) {
    if rng.chance(20) {
        for _ in 0..rng.below(3) {
            out.push([' ', '\t', '\n', '\r'][rng.below(4) as usize]);
        }
    }
}

/// A number literal, in one of many spellings.
pub fn number(rng: &mut Rng, out: &mut String) {
    match rng.below(9) {
        0 => {
            // Any finite double, from random bits, printed with Rust's shortest form.
            let v = loop {
                let v = f64::from_bits(rng.next());
                if v.is_finite() {
                    break v;
                }
            };
            let _ = write!(out, "{v:e}");
        }
        1 => {
            let v = f64::from_bits(rng.next());
            if v.is_finite() {
                let _ = write!(out, "{v:?}");
            } else {
                out.push_str("1.5");
            }
        }
        2 => {
            let _ = write!(out, "{}", rng.next() as i64);
        }
        3 => {
            let _ = write!(out, "{}", rng.next());
        }
        4 => {
            let _ = write!(out, "{}", rng.below(2000) as i64 - 1000);
        }
        5 => out.push_str(
            [
                "-0",
                "0",
                "-0.0",
                "0.0",
                "1E2",
                "1e+2",
                "1.0e-7",
                "100.00",
                "0.000001",
                "0.0000001",
                "1e21",
                "1e20",
                "123e-20",
                "9007199254740993",
                "9223372036854775807",
                "9223372036854775808",
                "-9223372036854775808",
                "-9223372036854775809",
                "1e308",
                "1.7976931348623157e308",
                "5e-324",
                "2e-324",
                "1e-400",
                "-1e-400",
                "0.1",
                "0.30000000000000004",
                "1e16",
                "1e17",
                "1e18",
                "12345678901234567890",
                "4.35",
                "1e-4",
                "1e-5",
                "-0.000",
                "0.0010",
                "0.00010",
                "0.000010",
                "-100.0",
                "123456789012345.0",
                "1234567890123456.0",
                "12345678901234.50",
                "1234567890123456.50",
                "9007199254740993.0",
                "9999999999999999999",
                "-9999999999999999999",
                "10000000000000000000",
                "18446744073709551615",
                "1.50e3",
                "1.0e0",
            ][rng.below(49) as usize],
        ),
        6 => {
            // Decimal with random digits and exponent.
            let _ = write!(out, "{}.{}e{}", rng.below(1000), rng.below(1_000_000), rng.below(80) as i64 - 40);
        }
        7 => {
            let _ = write!(out, "{}", rng.below(1u64 << 53));
        }
        _ => {
            let _ = write!(out, "{}.{:03}", rng.below(100_000), rng.below(1000));
        }
    }
}

/// A string literal's characters (without quotes), mixing raw text and escapes.
pub fn string_body(rng: &mut Rng, opts: Options, out: &mut String) {
    let n = rng.below(12);
    for _ in 0..n {
        match rng.below(14) {
            0 => out.push_str(["\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t"][rng.below(8) as usize]),
            1 => {
                let _ = write!(out, "\\u{:04x}", rng.below(0x20));
            }
            2 => {
                // Any BMP escape that is not a surrogate, upper or lower case hex.
                let mut u = rng.below(0x10000) as u32;
                if (0xD800..0xE000).contains(&u) {
                    u = 0x2028 + (u & 1);
                }
                if rng.chance(50) {
                    let _ = write!(out, "\\u{u:04X}");
                } else {
                    let _ = write!(out, "\\u{u:04x}");
                }
            }
            3 => {
                // A surrogate pair escape.
                let c = 0x10000 + rng.below(0x100000) as u32;
                let v = c - 0x10000;
                let _ = write!(out, "\\u{:04x}\\u{:04X}", 0xD800 | (v >> 10), 0xDC00 | (v & 0x3FF));
            }
            4 if opts.lone_surrogates => {
                let _ = write!(out, "\\u{:04x}", 0xD800 + rng.below(0x800));
            }
            5 => out.push(
                ['é', 'ü', 'ß', '€', '中', '😀', '\u{2028}', '\u{2029}', '\u{7f}', '\u{a0}', '𝄞']
                    [rng.below(11) as usize],
            ),
            6 => {
                if let Some(c) = char::from_u32(0x80 + rng.below(0x10FF80) as u32) {
                    out.push(c);
                }
            }
            7 => out.push('/'),
            8 => out.push_str("</script>"),
            _ => {
                let c = (b' ' + rng.below(95) as u8) as char;
                if c == '"' || c == '\\' {
                    out.push('x');
                } else {
                    out.push(c);
                }
            }
        }
    }
}

fn key(rng: &mut Rng, opts: Options, i: usize, out: &mut String) {
    out.push('"');
    match rng.below(8) {
        0 => {
            let _ = write!(out, "{i}");
        }
        1 => {
            let _ = write!(out, "{}", rng.below(12));
        }
        2 => out.push_str(["4294967294", "4294967295", "01", "-1", "1.0", "", "0", "\\u0031"][rng.below(8) as usize]),
        _ => string_body(rng, opts, out),
    }
    out.push('"');
}

/// One JSON value.
pub fn value(rng: &mut Rng, opts: Options, depth: u32, out: &mut String) {
    ws(rng, out);
    let container = depth < opts.max_depth && rng.chance(35);
    if container && rng.chance(50) {
        out.push('[');
        let n = rng.below(6);
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            value(rng, opts, depth + 1, out);
        }
        ws(rng, out);
        out.push(']');
    } else if container {
        out.push('{');
        let n = rng.below(7);
        let sequential = rng.chance(25);
        for i in 0..n {
            if i > 0 {
                out.push(',');
            }
            ws(rng, out);
            if sequential {
                let _ = write!(out, "\"{i}\"");
            } else {
                key(rng, opts, i as usize, out);
            }
            ws(rng, out);
            out.push(':');
            value(rng, opts, depth + 1, out);
        }
        ws(rng, out);
        out.push('}');
    } else {
        match rng.below(6) {
            0 => out.push_str(["null", "true", "false"][rng.below(3) as usize]),
            1 | 2 => number(rng, out),
            _ => {
                out.push('"');
                string_body(rng, opts, out);
                out.push('"');
            }
        }
    }
    ws(rng, out);
}

/// One document.
pub fn document(rng: &mut Rng, opts: Options) -> String {
    let mut out = String::new();
    value(rng, opts, 0, &mut out);
    out
}
