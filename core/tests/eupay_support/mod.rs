//! Shared by the EU Pay QR tests: a seeded generator of payload JSON texts, and the vector
//! folder.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::PathBuf;

/// `../shared/vectors`, or `PAYSEAL_VECTORS`.
pub fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

/// SplitMix64: small, seedable, good enough for test data.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// What the generated text may contain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Canonical output has a single spelling for every value: no exponents, no `\u` escapes
    /// (whose hex letters could change case), so any single-bit change of a signed QR alters
    /// the signed bytes or breaks the envelope.
    Tame,
    /// Anything `JSON.parse` accepts without duplicate keys or overflow: exponents, control
    /// characters, lone surrogates, escapes of every kind, array-index keys.
    Wild,
}

/// A payload: an EU Pay-like object (type, requestId, merchant, amount, currency,
/// expiresAt) with random extra members, written with random whitespace.
pub fn payload(rng: &mut Rng, mode: Mode, expires_at: Option<&str>) -> String {
    let mut out = String::new();
    let mut members: Vec<(String, String)> = Vec::new();
    let text = |rng: &mut Rng| {
        let mut s = String::new();
        string(rng, mode, &mut s);
        s
    };
    members.push(("\"v\"".into(), if rng.chance(50) { "1".into() } else { "1.0".into() }));
    members.push(("\"type\"".into(), (rng.pick(&["\"gateway_qr_payment\"", "\"powens_qr_payment_request\""])).into()));
    members.push(("\"requestId\"".into(), text(rng)));
    let mut merchant = String::from("{");
    let _ = write!(merchant, "\"id\":{},\"name\":{}", text(rng), text(rng));
    merchant.push('}');
    members.push(("\"merchant\"".into(), merchant));
    let mut amount = String::new();
    number(rng, mode, &mut amount);
    members.push(("\"amount\"".into(), amount));
    members.push(("\"currency\"".into(), "\"EUR\"".into()));
    members.push(("\"expiresAt\"".into(), expires_at.map_or_else(|| "null".to_owned(), |t| format!("\"{t}\""))));
    for i in 0..rng.below(4) {
        let mut v = String::new();
        value(rng, mode, 2, &mut v);
        members.push((format!("\"x{i}\""), v));
    }
    if mode == Mode::Wild && rng.chance(30) {
        let mut v = String::new();
        value(rng, mode, 1, &mut v);
        members.push(((rng.pick(&["\"0\"", "\"7\"", "\"4294967294\"", "\"4294967295\"", "\"01\""])).into(), v));
    }
    out.push('{');
    for (i, (k, v)) in members.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        ws(rng, &mut out);
        out.push_str(k);
        ws(rng, &mut out);
        out.push(':');
        ws(rng, &mut out);
        out.push_str(v);
        ws(rng, &mut out);
    }
    out.push('}');
    out
}

fn ws(rng: &mut Rng, out: &mut String) {
    out.push_str(rng.pick(&["", "", "", " ", "\n  ", "\t", " \r\n"]));
}

fn value(rng: &mut Rng, mode: Mode, depth: usize, out: &mut String) {
    match rng.below(if depth == 0 { 5 } else { 7 }) {
        0 => out.push_str("null"),
        1 => out.push_str(rng.pick(&["true", "false"])),
        2 | 3 => number(rng, mode, out),
        4 => string(rng, mode, out),
        5 => {
            out.push('[');
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(',');
                }
                ws(rng, out);
                value(rng, mode, depth - 1, out);
            }
            out.push(']');
        }
        _ => {
            out.push('{');
            let n = rng.below(4);
            for i in 0..n {
                if i > 0 {
                    out.push(',');
                }
                let key = match (mode, rng.below(3)) {
                    (Mode::Wild, 0) => format!("\"{}\"", [2, 0, 1, 10][i]),
                    _ => format!("\"k{i}\""),
                };
                out.push_str(&key);
                out.push(':');
                ws(rng, out);
                value(rng, mode, depth - 1, out);
            }
            out.push('}');
        }
    }
}

fn number(rng: &mut Rng, mode: Mode, out: &mut String) {
    let tame = [
        "0",
        "-0.0",
        "1",
        "12.5",
        "12.50",
        "0.01",
        "9.99",
        "29.99",
        "123456.78",
        "1050",
        "10000",
        "0.3",
        "1.5e2",
        "2E3",
        "100e-2",
        "0.000001",
        "999999999999999",
        "-42",
    ];
    let wild = [
        "1e21",
        "1E21",
        "1e-7",
        "5e-324",
        "1.7976931348623157e308",
        "0.30000000000000004",
        "1e+0",
        "123456789012345678901234567890",
        "0.0000001",
        "-1e-7",
        "1.5e300",
        "2.5E-10",
    ];
    match (mode, rng.below(4)) {
        (Mode::Wild, 0) => out.push_str(rng.pick(&wild)),
        (_, 1) => {
            let v = rng.next() % 1_000_000_000_000_000;
            let _ = write!(out, "{}{v}", if rng.chance(20) { "-" } else { "" });
        }
        (_, 2) => {
            let _ = write!(out, "{}.{:02}", rng.below(100_000), rng.below(100));
        }
        _ => out.push_str(rng.pick(&tame)),
    }
}

fn string(rng: &mut Rng, mode: Mode, out: &mut String) {
    let tame = [
        "a", "Z", "0", " ", "-", "_", "/", "&", "'", "\"", "\\", "é", "ü", "Ä", "Æ", "東京", "😀", "\u{2028}",
        "\u{7f}", "PAY-2026", "Café", "\n", "\t", "\r", "\u{8}", "\u{c}",
    ];
    out.push('"');
    for _ in 0..rng.below(12) {
        if mode == Mode::Wild && rng.chance(15) {
            // Escapes that JSON.stringify prints in another spelling, or as \u00XX / \udXXX.
            let esc = [
                "\\u0000",
                "\\u001f",
                "\\u001F",
                "\\u0041",
                "\\u00e9",
                "\\u00E9",
                "\\ud83d\\ude00",
                "\\ud800",
                "\\udfff",
                "\\/",
                "\\u2028",
                "\\u007f",
                "\\b",
                "\\f",
            ];
            out.push_str(rng.pick(&esc));
            continue;
        }
        let piece = rng.pick(&tame);
        for c in piece.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                '\u{8}' => out.push_str("\\b"),
                '\u{c}' => out.push_str("\\f"),
                c => out.push(c),
            }
        }
    }
    out.push('"');
}
