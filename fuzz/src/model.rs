//! A structured JSON value (built by `arbitrary`) that knows what it means: printed with random
//! whitespace, escapes and number spellings, every dialect must accept it (or reject it for
//! the reason the model predicts) and its canonical form must mean the same value.

use arbitrary::{Arbitrary, Unstructured};
use payseal::json::{parse, Dialect, Kind, Tape, Value};

/// A document: a value, wrapped near the nesting limits (505..=520 levels of arrays, or of
/// objects when `wrap_objects`) when `wrap >= 0xF0` (one in sixteen: deep documents are slow
/// to check and the limits need few of them).
#[derive(Debug, Arbitrary)]
pub struct Doc {
    pub root: Val,
    pub wrap: u8,
    pub wrap_objects: bool,
}

#[derive(Debug, Arbitrary)]
pub enum Val {
    Null,
    True,
    False,
    Num(Num),
    Str(Text),
    Arr(Vec<Val>),
    /// Members; `duplicate: Some(i)` repeats member `i`'s key (differently spelled) at the end.
    Obj(Vec<(KeyText, Val)>, Option<u8>),
}

#[derive(Debug, Arbitrary)]
pub enum Num {
    Int(i64),
    Unsigned(u64),
    Small(i8),
    /// Any finite double, from its bits.
    Bits(u64),
    /// `int.frac e exp`, which may overflow (`NumberRange`) or underflow.
    Decimal {
        int: u64,
        frac: u64,
        exp: i16,
    },
    /// A long run of digits (correct rounding of long inputs), scaled by `exp`.
    Digits {
        digits: Vec<u8>,
        exp: i16,
    },
    Zero {
        negative: bool,
    },
}

/// String content as UTF-16 would see it after decoding.
#[derive(Debug, Arbitrary)]
pub struct Text(pub Vec<Unit>);

#[derive(Debug, Clone, Copy, Arbitrary)]
pub enum Unit {
    Ascii(u8),
    Char(char),
    /// A `\u` escape of a surrogate, paired or not by what follows.
    Surrogate(u16),
}

#[derive(Debug, Arbitrary)]
pub enum KeyText {
    Index(u32),
    Small(u8),
    Special(u8),
    Text(Text),
}

const SPECIAL_KEYS: [&str; 14] =
    ["0", "01", "-0", "-1", "1.0", "", " 1", "4294967294", "4294967295", "4294967296", "00", "1e3", "+1", "10"];

/// Printing choices, read from the fuzzer's leftover bytes (all zero once they run out: the
/// compact, unescaped spelling).
pub struct Style<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Style<'a> {
    #[must_use]
    pub fn new(bytes: &'a [u8]) -> Self {
        Self { bytes, pos: 0 }
    }

    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn below(&mut self, n: u8) -> u8 {
        self.byte() % n
    }
}

/// What a value means, the way a reader of the canonical form sees it.
#[derive(Debug, Clone, PartialEq)]
pub enum Meaning {
    Null,
    Bool(bool),
    /// The nearest double, and the exact integer when the literal was an int64 integer.
    Num(f64, Option<i64>),
    /// Decoded text in WTF-8 (lone surrogates as three bytes).
    Str(Vec<u8>),
    Arr(Vec<Meaning>),
    Obj(Vec<(Vec<u8>, Meaning)>),
}

/// Errors the model predicts for a document (any of them may be reported, by position).
#[derive(Debug, Default, Clone, Copy)]
pub struct Expected {
    pub depth: u32,
    pub lone_surrogate: bool,
    pub duplicate: bool,
    pub number_range: bool,
}

impl Expected {
    /// The error codes `dialect` may report; empty when the document must be accepted.
    #[must_use]
    pub fn errors(&self, dialect: Dialect) -> Vec<&'static str> {
        let mut e = Vec::new();
        let php = matches!(dialect, Dialect::Php(_));
        let max_depth = if php { 511 } else { 512 };
        if self.depth > max_depth {
            e.push("depth");
        }
        // PHP (JSON_ERROR_UTF16) and JCS (I-JSON) reject lone surrogates.
        if self.lone_surrogate && dialect != Dialect::Js {
            e.push("lone_surrogate");
        }
        if self.duplicate {
            e.push("duplicate_key");
        }
        if self.number_range {
            e.push("number_range");
        }
        e
    }
}

/// Prints `doc` (choices from `style`); returns the text, its meaning and the predicted errors.
pub fn print(doc: &Doc, style: &mut Style<'_>) -> (Vec<u8>, Meaning, Expected) {
    let mut p = Printer { out: Vec::new(), style, expected: Expected::default() };
    let wraps = if doc.wrap >= 0xF0 { 505 + u32::from(doc.wrap & 0xF) } else { 0 };
    let as_object = doc.wrap_objects;
    p.expected.depth = wraps;
    for _ in 0..wraps {
        p.ws();
        p.out.extend_from_slice(if as_object { b"{\"w\":" } else { b"[" });
    }
    let inner = p.value(&doc.root, wraps);
    let mut meaning = inner;
    for _ in 0..wraps {
        p.ws();
        p.out.push(if as_object { b'}' } else { b']' });
        meaning = if as_object { Meaning::Obj(vec![(b"w".to_vec(), meaning)]) } else { Meaning::Arr(vec![meaning]) };
    }
    p.ws();
    (p.out, meaning, p.expected)
}

struct Printer<'s, 'b> {
    out: Vec<u8>,
    style: &'s mut Style<'b>,
    expected: Expected,
}

/// Containers deeper than this in the arbitrary value print as `null` (the wrap tests depth).
const MAX_MODEL_DEPTH: u32 = 600;

impl Printer<'_, '_> {
    fn ws(&mut self) {
        let b = self.style.byte();
        if b & 0xC0 == 0xC0 {
            for _ in 0..=(b & 3) {
                let c = [b' ', b'\t', b'\n', b'\r'][usize::from(self.style.below(4))];
                self.out.push(c);
            }
        }
    }

    fn value(&mut self, v: &Val, depth: u32) -> Meaning {
        self.ws();
        let m = match v {
            Val::Null => self.lit(b"null", Meaning::Null),
            Val::True => self.lit(b"true", Meaning::Bool(true)),
            Val::False => self.lit(b"false", Meaning::Bool(false)),
            Val::Num(n) => self.number(n),
            Val::Str(t) => Meaning::Str(self.string(&t.0)),
            Val::Arr(_) | Val::Obj(..) if depth >= MAX_MODEL_DEPTH => self.lit(b"null", Meaning::Null),
            Val::Arr(items) => {
                self.expected.depth = self.expected.depth.max(depth + 1);
                self.out.push(b'[');
                let mut elements = Vec::with_capacity(items.len());
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.ws();
                        self.out.push(b',');
                    }
                    elements.push(self.value(item, depth + 1));
                }
                self.ws();
                self.out.push(b']');
                Meaning::Arr(elements)
            }
            Val::Obj(members, duplicate) => {
                self.expected.depth = self.expected.depth.max(depth + 1);
                self.out.push(b'{');
                let mut seen: Vec<(Vec<u8>, Meaning)> = Vec::with_capacity(members.len());
                let mut printed_keys: Vec<Vec<Unit>> = Vec::with_capacity(members.len());
                for (key, value) in members {
                    let units = key_units(key);
                    let decoded = wtf8(&units).0;
                    if seen.iter().any(|(k, _)| *k == decoded) {
                        continue; // Only the deliberate duplicate below.
                    }
                    if !seen.is_empty() {
                        self.ws();
                        self.out.push(b',');
                    }
                    self.ws();
                    self.string(&units);
                    self.ws();
                    self.out.push(b':');
                    let m = self.value(value, depth + 1);
                    printed_keys.push(units);
                    seen.push((decoded, m));
                }
                if let (Some(i), false) = (duplicate, printed_keys.is_empty()) {
                    self.expected.duplicate = true;
                    self.out.push(b',');
                    let units = &printed_keys[usize::from(*i) % printed_keys.len()];
                    self.string(units);
                    self.out.extend_from_slice(b":null");
                }
                self.ws();
                self.out.push(b'}');
                Meaning::Obj(seen)
            }
        };
        self.ws();
        m
    }

    fn lit(&mut self, text: &[u8], m: Meaning) -> Meaning {
        self.out.extend_from_slice(text);
        m
    }

    fn number(&mut self, n: &Num) -> Meaning {
        let literal = match n {
            Num::Int(i) => i.to_string(),
            Num::Unsigned(u) => u.to_string(),
            Num::Small(i) => i.to_string(),
            Num::Zero { negative } => {
                let mut s = String::from(if *negative { "-0" } else { "0" });
                match self.style.below(4) {
                    1 => s.push_str(".0"),
                    2 => s.push_str(".000e-7"),
                    3 => s.push_str("E+400"),
                    _ => {}
                }
                s
            }
            Num::Bits(bits) => {
                let f = f64::from_bits(*bits);
                let f = if f.is_finite() { f } else { 1.5 };
                self.respell(&format!("{f:e}"))
            }
            Num::Decimal { int, frac, exp } => format!("{int}.{frac}e{}", exp % 400),
            Num::Digits { digits, exp } => {
                let mut s: String = digits.iter().take(800).map(|d| char::from(b'1' + d % 9)).collect();
                if s.is_empty() {
                    s.push('7');
                }
                if *exp % 3 != 0 {
                    s = format!("{s}e{}", exp % 700);
                }
                s
            }
        };
        self.out.extend_from_slice(literal.as_bytes());
        let value: f64 = literal.parse().expect("a JSON number literal is a Rust float literal");
        if value.is_infinite() {
            self.expected.number_range = true;
        }
        let int = if literal.contains(['.', 'e', 'E']) { None } else { literal.parse().ok() };
        Meaning::Num(value, int)
    }

    /// Spells `d.ddde±x` (Rust's shortest form) another exact way: the point moved, zeros
    /// added, `E`, `+` and leading exponent zeros.
    fn respell(&mut self, shortest: &str) -> String {
        let (mantissa, exp) = shortest.split_once('e').expect("{:e} has an exponent");
        let mut exp: i32 = exp.parse().expect("exponent");
        let (sign, mantissa) = mantissa.strip_prefix('-').map_or(("", mantissa), |m| ("-", m));
        let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
        let choice = self.style.byte();
        if choice & 3 == 0 {
            return shortest.to_owned();
        }
        // Value = 0.digits × 10^(exp + 1); put `point` digits before the decimal point.
        let point = usize::from(self.style.below(24)).min(digits.len() + 3);
        let mut int_part: String = digits.chars().take(point).collect();
        while int_part.len() < point {
            int_part.push('0');
        }
        let frac: String = digits.chars().skip(point).collect();
        exp = exp + 1 - point as i32;
        let int_part = int_part.trim_start_matches('0');
        let mut s = String::from(sign);
        if int_part.is_empty() {
            s.push('0');
        } else {
            s.push_str(int_part);
        }
        if !frac.is_empty() || choice & 4 != 0 {
            s.push('.');
            s.push_str(if frac.is_empty() { "0" } else { &frac });
            for _ in 0..(choice >> 5) {
                s.push('0');
            }
        }
        if exp != 0 || choice & 8 != 0 {
            s.push(if choice & 16 != 0 { 'E' } else { 'e' });
            if exp >= 0 && choice & 2 != 0 {
                s.push('+');
            }
            if exp < 0 {
                s.push('-');
            }
            if choice & 1 != 0 {
                s.push('0');
            }
            s.push_str(&exp.unsigned_abs().to_string());
        }
        s
    }

    /// Prints a string from UTF-16-ish units; returns its decoded WTF-8 (and notes lone
    /// surrogates).
    fn string(&mut self, units: &[Unit]) -> Vec<u8> {
        self.out.push(b'"');
        for u in units {
            match *u {
                Unit::Ascii(b) => self.char(char::from(b & 0x7f)),
                Unit::Char(c) => self.char(c),
                Unit::Surrogate(s) => self.escape_u16(0xD800 | (s & 0x7FF)),
            }
        }
        self.out.push(b'"');
        let (decoded, lone) = wtf8(units);
        self.expected.lone_surrogate |= lone;
        decoded
    }

    fn escape_u16(&mut self, unit: u16) {
        let text = if self.style.byte() & 1 == 0 { format!("\\u{unit:04x}") } else { format!("\\u{unit:04X}") };
        self.out.extend_from_slice(text.as_bytes());
    }

    fn char(&mut self, c: char) {
        let choice = self.style.below(4);
        let short = match c {
            '"' => Some("\\\""),
            '\\' => Some("\\\\"),
            '/' => Some("\\/"),
            '\u{8}' => Some("\\b"),
            '\u{c}' => Some("\\f"),
            '\n' => Some("\\n"),
            '\r' => Some("\\r"),
            '\t' => Some("\\t"),
            _ => None,
        };
        let must_escape = c < ' ' || c == '"' || c == '\\';
        match (choice, short) {
            (1, Some(s)) => self.out.extend_from_slice(s.as_bytes()),
            (0, _) if !must_escape => {
                let mut buf = [0u8; 4];
                self.out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
            }
            _ => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    self.escape_u16(*unit);
                }
            }
        }
    }
}

fn key_units(key: &KeyText) -> Vec<Unit> {
    let ascii = |s: &str| s.bytes().map(Unit::Ascii).collect();
    match key {
        KeyText::Index(i) => ascii(&i.to_string()),
        KeyText::Small(i) => ascii(&(i % 16).to_string()),
        KeyText::Special(i) => ascii(SPECIAL_KEYS[usize::from(*i) % SPECIAL_KEYS.len()]),
        KeyText::Text(t) => t.0.clone(),
    }
}

/// The UTF-16 code units JSON.parse would see, decoded to WTF-8; and whether a surrogate is
/// left unpaired.
fn wtf8(units: &[Unit]) -> (Vec<u8>, bool) {
    let mut utf16 = Vec::new();
    for u in units {
        match *u {
            Unit::Ascii(b) => utf16.push(u16::from(b & 0x7f)),
            Unit::Char(c) => utf16.extend_from_slice(c.encode_utf16(&mut [0u16; 2])),
            Unit::Surrogate(s) => utf16.push(0xD800 | (s & 0x7FF)),
        }
    }
    let mut out = Vec::new();
    let mut lone = false;
    for r in char::decode_utf16(utf16.iter().copied()) {
        match r {
            Ok(c) => out.extend_from_slice(c.encode_utf8(&mut [0u8; 4]).as_bytes()),
            Err(e) => {
                lone = true;
                let s = u32::from(e.unpaired_surrogate());
                out.extend_from_slice(&[
                    0xE0 | (s >> 12) as u8,
                    0x80 | ((s >> 6) & 0x3F) as u8,
                    0x80 | (s & 0x3F) as u8,
                ]);
            }
        }
    }
    (out, lone)
}

/// The canonical form's meaning must be the model's, as `dialect` prints it: JavaScript puts
/// array-index keys first (ascending); PHP turns objects keyed "0".."n-1" (and `{}`) into
/// lists and keeps int64 integers exact; JCS sorts names by UTF-16 code units (computed here
/// with `str::encode_utf16`, independently of the engine's byte-level comparison).
pub fn check_meaning(canonical: &[u8], dialect: Dialect, expected: &Meaning) {
    let mut tape = Tape::new();
    let doc = parse(canonical, dialect, &mut tape).expect("the canonical form parses");
    compare(doc.root(), dialect, expected, &mut Vec::new());
}

fn compare(v: Value<'_>, dialect: Dialect, m: &Meaning, path: &mut Vec<String>) {
    let php = matches!(dialect, Dialect::Php(_));
    macro_rules! fail {
        ($($what:tt)*) => {
            panic!("at {path:?} ({dialect:?}): {}; expected {m:?}", format!($($what)*))
        };
    }
    match m {
        Meaning::Null if v.kind() != Kind::Null => fail!("not null"),
        Meaning::Null => {}
        Meaning::Bool(b) if v.as_bool() != Some(*b) => fail!("not the boolean"),
        Meaning::Bool(_) => {}
        Meaning::Num(f, int) => {
            let Some(got) = v.as_f64() else { fail!("not a number") };
            // JavaScript prints -0 as 0; PHP keeps the sign of a float zero.
            if got != *f || (php && int.is_none() && got.to_bits() != f.to_bits()) {
                fail!("number {got:e} != {f:e}");
            }
            if php && int.is_some() && v.as_i64() != *int {
                fail!("PHP integer printed as {:?}", v.raw().map(String::from_utf8_lossy));
            }
        }
        Meaning::Str(s) => {
            let mut buf = vec![0u8; v.raw().map_or(0, <[u8]>::len)];
            let Some(n) = v.decode_str(&mut buf) else { fail!("not a string") };
            let n = n.expect("decode");
            if buf[..n] != s[..] {
                fail!("string decodes to {:?}", String::from_utf8_lossy(&buf[..n]));
            }
        }
        Meaning::Arr(items) => {
            if v.kind() != Kind::Array || v.len() != items.len() {
                fail!("{:?} of {} entries", v.kind(), v.len());
            }
            for (i, (e, m)) in v.elements().zip(items).enumerate() {
                path.push(i.to_string());
                compare(e, dialect, m, path);
                path.pop();
            }
        }
        Meaning::Obj(members) => {
            let is_list = members.iter().enumerate().all(|(i, (k, _))| *k == i.to_string().as_bytes());
            if php && is_list {
                let items: Vec<Meaning> = members.iter().map(|(_, m)| m.clone()).collect();
                return compare(v, dialect, &Meaning::Arr(items), path);
            }
            if v.kind() != Kind::Object || v.len() != members.len() {
                fail!("{:?} of {} entries", v.kind(), v.len());
            }
            let mut order: Vec<&(Vec<u8>, Meaning)> = members.iter().collect();
            if dialect == Dialect::Jcs {
                // RFC 8785 §3.2.3: names as arrays of UTF-16 code units.
                order.sort_by_key(|(k, _)| String::from_utf8_lossy(k).encode_utf16().collect::<Vec<u16>>());
            } else if !php {
                // ECMA-262 OrdinaryOwnPropertyKeys: array indices ascending, then insertion order.
                order.sort_by_key(|(k, _)| crate::json::array_index(k).map_or((1, 0), |i| (0, i)));
            }
            for ((key, value), (k, m)) in v.members().zip(order) {
                let mut buf = vec![0u8; key.raw().len()];
                let n = key.decode(&mut buf).expect("decode key");
                if buf[..n] != k[..] {
                    fail!(
                        "key {:?} where {:?} was expected",
                        String::from_utf8_lossy(&buf[..n]),
                        String::from_utf8_lossy(k)
                    );
                }
                path.push(String::from_utf8_lossy(k).into_owned());
                compare(value, dialect, m, path);
                path.pop();
            }
        }
    }
}

/// The structured target: build, print, canonicalise in every dialect, compare.
pub fn run(data: &[u8]) {
    let mut u = Unstructured::new(data);
    let Ok(doc) = Doc::arbitrary(&mut u) else { return };
    let mut style = Style::new(u.take_rest());
    let (text, meaning, expected) = print(&doc, &mut style);
    let mut php_ok = None;
    for dialect in crate::json::DIALECTS {
        let result = crate::json::check_canonical(&text, dialect);
        let allowed = expected.errors(dialect);
        match &result {
            Ok(canonical) => {
                assert!(allowed.is_empty(), "{dialect:?} accepted, expected one of {allowed:?}: {}", show(&text));
                check_meaning(canonical, dialect, &meaning);
            }
            Err(e) => assert!(allowed.contains(&e.code()), "{dialect:?}: {e:?}, expected {allowed:?}: {}", show(&text)),
        }
        if matches!(dialect, Dialect::Php(_)) {
            let ok = result.is_ok();
            assert_eq!(*php_ok.get_or_insert(ok), ok, "PHP flag sets disagree on {}", show(&text));
        }
    }
}

fn show(text: &[u8]) -> String {
    let s = String::from_utf8_lossy(text);
    match s.char_indices().nth(2000) {
        Some((cut, _)) => format!("{}… ({} bytes)", &s[..cut], text.len()),
        None => s.into_owned(),
    }
}
