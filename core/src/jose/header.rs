//! The protected header (RFC 7515 §4): the members verification reads (`alg`, `kid`, `crit`).
//!
//! Nearly every header is a handful of members with short plain string values
//! (`{"alg":"HS256","kid":"k1","typ":"JWT"}`). [`scan`] recognises exactly that shape in one
//! pass without a tape: an object whose names and values are all strings of printable ASCII
//! without escapes, at most [`MAX_MEMBERS`] of them, no name twice, a string `alg`, no `crit`.
//! Such a text is valid JSON (RFC 8259) without duplicate names, and its strings decode to their
//! own bytes, so what it reads is what payseal's JSON engine would read. Anything else (an
//! escape, non-ASCII text, a number, a nested value, a repeated name, `crit`, no `alg`, any
//! syntax error) is not decided here: the caller parses the header with the full engine, which
//! gives the verdict. The fast path therefore never refuses a token, and the errors and their
//! precedence stay the engine's.

use crate::json::Value;

/// Most members [`scan`] reads; a larger header goes to the full engine.
pub(crate) const MAX_MEMBERS: usize = 16;

/// What [`scan`] read: `alg` and `kid` as written (printable ASCII, no escapes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Plain<'h> {
    pub(crate) alg: &'h [u8],
    pub(crate) kid: Option<&'h [u8]>,
}

/// The header's `alg` and `kid` when it has the common shape (module docs); `None`: parse it
/// with the JSON engine.
pub(crate) fn scan(h: &[u8]) -> Option<Plain<'_>> {
    let mut names: [&[u8]; MAX_MEMBERS] = [&[]; MAX_MEMBERS];
    let mut count = 0;
    let (mut alg, mut kid) = (None, None);
    let mut pos = ws(h, 0);
    if h.get(pos) != Some(&b'{') {
        return None;
    }
    pos = ws(h, pos + 1);
    loop {
        let (name, next) = string(h, pos)?;
        pos = ws(h, next);
        if h.get(pos) != Some(&b':') {
            return None;
        }
        let (value, next) = string(h, ws(h, pos + 1))?;
        pos = ws(h, next);
        if count == MAX_MEMBERS || names[..count].contains(&name) {
            return None;
        }
        names[count] = name;
        count += 1;
        match name {
            b"alg" => alg = Some(value),
            b"kid" => kid = Some(value),
            b"crit" => return None,
            _ => {}
        }
        match h.get(pos) {
            Some(b',') => pos = ws(h, pos + 1),
            Some(b'}') => break,
            _ => return None,
        }
    }
    if ws(h, pos + 1) != h.len() {
        return None;
    }
    Some(Plain { alg: alg?, kid })
}

/// Skips JSON whitespace (RFC 8259 §2).
#[inline]
fn ws(h: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = h.get(pos) {
        pos += 1;
    }
    pos
}

/// A string at `pos` of printable ASCII other than `"` and `\`: its bytes between the quotes
/// and the offset after the closing one.
#[inline]
fn string(h: &[u8], pos: usize) -> Option<(&[u8], usize)> {
    if h.get(pos) != Some(&b'"') {
        return None;
    }
    let rest = h.get(pos + 1..)?;
    let len = rest.iter().position(|&b| !(0x20..0x7f).contains(&b) || b == b'"' || b == b'\\')?;
    (rest[len] == b'"').then_some((&rest[..len], pos + 1 + len + 1))
}

/// A token's `kid`: a JSON string of the protected header, compared by its decoded text. Read
/// in place (no copy): plain bytes from the header's fast path, or a value of the parsed header.
#[derive(Debug, Clone, Copy)]
pub struct Kid<'a>(Repr<'a>);

#[derive(Debug, Clone, Copy)]
enum Repr<'a> {
    /// Printable ASCII without escapes: the text itself.
    Plain(&'a [u8]),
    /// A JSON string value (escapes decoded when compared).
    Json(Value<'a>),
}

impl<'a> Kid<'a> {
    pub(crate) fn plain(bytes: &'a [u8]) -> Self {
        Self(Repr::Plain(bytes))
    }

    pub(crate) fn json(value: Value<'a>) -> Self {
        Self(Repr::Json(value))
    }

    /// True when the decoded `kid` equals `s`.
    #[must_use]
    pub fn str_eq(&self, s: &str) -> bool {
        match self.0 {
            Repr::Plain(b) => b == s.as_bytes(),
            Repr::Json(v) => v.str_eq(s),
        }
    }

    /// The `kid` without copying, when it has no escapes.
    #[must_use]
    pub fn as_str(&self) -> Option<&'a str> {
        match self.0 {
            Repr::Plain(b) => core::str::from_utf8(b).ok(),
            Repr::Json(v) => v.as_str(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn the_common_shape_is_read() {
        let p = scan(br#"{"alg":"HS256","kid":"ppro-1","typ":"JWT"}"#).expect("fast");
        assert_eq!((p.alg, p.kid), (&b"HS256"[..], Some(&b"ppro-1"[..])));
        let p = scan(b" {\n\t\"typ\" : \"JWT\" ,\r\"alg\":\"none\"} \n").expect("fast");
        assert_eq!((p.alg, p.kid), (&b"none"[..], None));
        assert_eq!(scan(br#"{"alg":""}"#).map(|p| p.alg.len()), Some(0));
    }

    #[test]
    fn anything_else_goes_to_the_engine() {
        for h in [
            &br#"{}"#[..],
            br#"{"kid":"a"}"#,
            br#"{"alg":"HS256","alg":"HS256"}"#,
            br#"{"alg":"HS256","crit":["exp"]}"#,
            br#"{"alg":"HS256","crit":"x"}"#,
            br#"{"alg":"HS\u0032"}"#,
            br#"{"al\u0067":"HS256"}"#,
            br#"{"alg":"HS256","b64":false}"#,
            br#"{"alg":"HS256","x":1}"#,
            br#"{"alg":"HS256","jwk":{}}"#,
            "{\"alg\":\"HS256\",\"kid\":\"é\"}".as_bytes(),
            b"{\"alg\":\"HS\x7f\"}",
            b"{\"alg\":\"HS\t\"}",
            br#"{"alg":"HS256",}"#,
            br#"{"alg":"HS256"} x"#,
            br#"{"alg":"HS256"}}"#,
            br#"{"alg" "HS256"}"#,
            br#"{"alg":"HS256""#,
            br#"{"alg":"HS256"#,
            br#"["alg","HS256"]"#,
            br#""alg""#,
            b"",
            b"{",
        ] {
            assert_eq!(scan(h), None, "{:?}", core::str::from_utf8(h));
        }
        let many: alloc::string::String =
            (0..=MAX_MEMBERS).map(|i| alloc::format!(r#""m{i}":"v","#)).collect::<alloc::string::String>();
        assert_eq!(scan(alloc::format!(r#"{{{many}"alg":"HS256"}}"#).as_bytes()), None);
    }

    use crate::json::{self, Dialect, Kind, Tape};
    use proptest::prelude::*;

    const NAMES: [&str; 9] = ["alg", "kid", "typ", "crit", "cty", "x5t", r"al\u0067", "b64", "k\u{e9}"];
    const VALUES: [&str; 12] = [
        r#""HS256""#,
        r#""RS256""#,
        r#""k1""#,
        r#""""#,
        "1",
        "[]",
        r#"["exp"]"#,
        "{}",
        r#""\u00e9""#,
        r#""a\"b""#,
        "true",
        "null",
    ];
    const SPACE: [&str; 4] = ["", " ", "\n\t", "\r "];

    prop_compose! {
        /// Headers near the common shape: known and odd names and values, whitespace, and now
        /// and then one byte changed, dropped or added.
        pub(crate) fn near_headers()(
            members in proptest::collection::vec((0..NAMES.len(), 0..VALUES.len(), 0..SPACE.len()), 0..6),
            edit in proptest::option::of((any::<prop::sample::Index>(), 0u8..3, any::<u8>())),
        ) -> alloc::vec::Vec<u8> {
            let body: alloc::vec::Vec<alloc::string::String> = members
                .iter()
                .map(|&(n, v, s)| alloc::format!(r#"{sp}"{}"{sp}:{sp}{}{sp}"#, NAMES[n], VALUES[v], sp = SPACE[s]))
                .collect();
            let mut h = alloc::format!("{{{}}}", body.join(",")).into_bytes();
            if let Some((at, how, byte)) = edit {
                let i = at.index(h.len() + 1);
                match how {
                    0 if i < h.len() => h[i] = byte,
                    1 if i < h.len() => { h.remove(i); }
                    _ => h.insert(i, byte),
                }
            }
            h
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4000))]
        /// Whatever the fast path reads, the JSON engine reads the same: a valid object without
        /// duplicate names (the engine rejects them), with that string `alg`, that `kid`, and no
        /// `crit`.
        #[test]
        fn the_fast_path_agrees_with_the_engine(h in near_headers()) {
            if let Some(plain) = scan(&h) {
                let mut tape = Tape::new();
                let doc = json::parse(&h, Dialect::Js, &mut tape);
                prop_assert!(doc.is_ok(), "engine refuses {:?}: {:?}", alloc::string::String::from_utf8_lossy(&h), doc.err());
                let root = doc.unwrap().root();
                prop_assert_eq!(root.kind(), Kind::Object);
                let alg = root.get("alg").expect("alg");
                prop_assert!(alg.kind() == Kind::String && alg.raw() == Some(plain.alg));
                match (root.get("kid"), plain.kid) {
                    (None, None) => {}
                    (Some(k), Some(p)) => prop_assert!(k.kind() == Kind::String && k.raw() == Some(p)),
                    other => prop_assert!(false, "kid differs: {:?}", other),
                }
                prop_assert!(root.get("crit").is_none());
            }
        }
    }

    #[test]
    fn kid_compares_its_text() {
        assert!(Kid::plain(b"k1").str_eq("k1"));
        assert!(!Kid::plain(b"k1").str_eq("k2"));
        assert_eq!(Kid::plain(b"k1").as_str(), Some("k1"));
    }
}
