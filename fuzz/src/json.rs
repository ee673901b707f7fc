//! Properties of the canonical JSON engine, checked on any input.

use payseal::json::{
    canonical_len, canonicalize_into, canonicalize_to_vec, emit_members, parse, Canonicalizer, Dialect, Error, Kind,
    Node, Tape, Value,
};

/// The dialects payseal reproduces, in the order the targets check them.
pub const DIALECTS: [Dialect; 4] = [Dialect::Js, Dialect::php_default(), Dialect::php_unescaped(), Dialect::Jcs];

/// PHP's one known non-idempotence: the float `-0.0` prints `-0`, which decodes as the integer
/// 0 and prints `0` (`json_encode(json_decode("-0.0"))` is `-0`, of `"-0"` is `0`). Returns
/// the canonical text with every `-0` number token made `0`: what re-canonicalising it gives.
#[must_use]
pub fn php_without_negative_zero(canonical: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(canonical.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, &b) in canonical.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
        } else if b == b'"' {
            in_string = true;
        } else if b == b'-'
            && canonical.get(i + 1) == Some(&b'0')
            && matches!(canonical.get(i + 2), None | Some(b',' | b']' | b'}'))
        {
            continue;
        }
        out.push(b);
    }
    out
}

/// What canonicalising a canonical output again must give, in `dialect`.
#[must_use]
pub fn expected_fixed_point(canonical: &[u8], dialect: Dialect) -> Vec<u8> {
    match dialect {
        Dialect::Js | Dialect::Jcs => canonical.to_vec(),
        Dialect::Php(_) => php_without_negative_zero(canonical),
    }
}

/// Canonicalises `input` through every entry point and checks that they agree:
/// `canonicalize_to_vec`, `canonical_len` and `canonicalize_into` over a fixed
/// `Tape::from_slice` of `Tape::required_len(len)` entries (never `ScratchTooSmall`), an exact
/// and a one-byte-short output buffer, and a too-small tape (the same result or
/// `ScratchTooSmall`). Checks the error precedence for invalid UTF-8, and, when the input is
/// accepted, that the output is UTF-8, parses again and is a fixed point (modulo PHP's `-0`).
pub fn check_canonical(input: &[u8], dialect: Dialect) -> Result<Vec<u8>, Error> {
    let result = canonicalize_to_vec(input, dialect);
    check_error_kind(input, &result);

    let mut scratch = vec![Node::default(); Tape::required_len(input.len())];
    let mut tape = Tape::from_slice(&mut scratch);
    let len = canonical_len(input, dialect, &mut tape);
    assert_eq!(len, result.as_ref().map(Vec::len).map_err(|e| *e), "canonical_len disagrees with canonicalize_to_vec");

    let mut out = vec![0u8; len.unwrap_or(input.len())];
    let into = canonicalize_into(input, dialect, &mut tape, &mut out);
    match &result {
        Ok(expected) => {
            assert_eq!(into, Ok(expected.len()), "canonicalize_into disagrees with canonicalize_to_vec");
            assert_eq!(&out, expected, "canonicalize_into wrote other bytes");
            if let Some(short) = expected.len().checked_sub(1) {
                let into_short = canonicalize_into(input, dialect, &mut tape, &mut out[..short]);
                assert_eq!(into_short, Err(Error::BufferTooSmall { needed: expected.len() }), "short buffer");
            }
        }
        Err(e) => assert_eq!(into, Err(*e), "canonicalize_into disagrees with canonicalize_to_vec"),
    }

    // A tape a third of the guaranteed size: the same answer, or a clean ScratchTooSmall.
    let mut small = vec![Node::default(); Tape::required_len(input.len()) / 3];
    let mut small_tape = Tape::from_slice(&mut small);
    let mut out2 = vec![0u8; out.len()];
    match canonicalize_into(input, dialect, &mut small_tape, &mut out2) {
        Err(Error::ScratchTooSmall { .. }) => {}
        other => {
            assert_eq!(other, result.as_ref().map(Vec::len).map_err(|e| *e), "small tape changed the result");
            assert_eq!(out2, out, "small tape changed the output");
        }
    }

    if let Ok(canonical) = &result {
        assert!(core::str::from_utf8(canonical).is_ok(), "output is not UTF-8: {canonical:?}");
        let mut again = Canonicalizer::new();
        let twice = again.to_vec(canonical, dialect);
        assert_eq!(
            twice.as_deref(),
            Ok(&expected_fixed_point(canonical, dialect)[..]),
            "not a fixed point in {dialect:?}: {}",
            String::from_utf8_lossy(canonical)
        );
        // The reused canonicaliser gives the first answer again on the original input.
        assert_eq!(again.to_vec(input, dialect), result, "reused tape changed the result");
    }
    result
}

/// Errors from the allocating entry point are about the input, and invalid UTF-8 anywhere
/// wins over every other error (the vectors' precedence rule).
fn check_error_kind(input: &[u8], result: &Result<Vec<u8>, Error>) {
    let utf8 = core::str::from_utf8(input);
    match (result, utf8) {
        (Err(Error::InvalidUtf8 { offset }), Err(e)) => assert_eq!(*offset, e.valid_up_to(), "invalid_utf8 offset"),
        (_, Err(e)) => panic!("invalid UTF-8 at {} but {result:?}", e.valid_up_to()),
        (Err(e @ Error::InvalidUtf8 { .. }), Ok(_)) => panic!("valid UTF-8 reported as {e:?}"),
        (Err(e), Ok(_)) => {
            let offset = e.offset().unwrap_or_else(|| panic!("error not about the input: {e:?}"));
            assert!(offset <= input.len(), "{e:?} points past the input ({} bytes)", input.len());
        }
        (Ok(_), Ok(_)) => {}
    }
}

/// Both PHP flag sets: accepted alike, and each output re-canonicalises to the other's.
pub fn check_php_flags(input: &[u8]) -> Result<Vec<u8>, Error> {
    let default = check_canonical(input, Dialect::php_default());
    let unescaped = check_canonical(input, Dialect::php_unescaped());
    match (&default, &unescaped) {
        (Ok(d), Ok(u)) => {
            let d_again = canonicalize_to_vec(u, Dialect::php_default()).expect("unescaped output is PHP JSON");
            assert_eq!(d_again, php_without_negative_zero(d), "unescaped output read with default flags");
            let u_again = canonicalize_to_vec(d, Dialect::php_unescaped()).expect("default output is PHP JSON");
            assert_eq!(u_again, php_without_negative_zero(u), "default output read unescaped");
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "PHP flag sets report different errors"),
        _ => panic!("PHP flags disagree on acceptance: default {default:?}, unescaped {unescaped:?}"),
    }
    default
}

/// What PHP accepts, JavaScript accepts: same grammar, and PHP only adds errors (lone
/// surrogates, one level less of nesting).
pub fn check_php_within_js(php: &Result<Vec<u8>, Error>, js: &Result<Vec<u8>, Error>) {
    match (php, js) {
        (Ok(_), Err(e)) => panic!("PHP accepts but JavaScript rejects: {e:?}"),
        (Err(p), Err(j)) if p != j => {
            // The same first error, except where PHP stops earlier for its own reasons.
            assert!(matches!(p, Error::LoneSurrogate { .. } | Error::Depth { .. }), "PHP {p:?} but JavaScript {j:?}");
        }
        _ => {}
    }
}

/// RFC 8785 on any bytes: the [`check_canonical`] properties; JCS accepts a subset of what
/// JavaScript accepts (it adds the lone-surrogate error, I-JSON) and reports the same first
/// error otherwise; its output is JavaScript's output sorted (canonicalising the JavaScript
/// output in JCS gives it), and every object in it has its names strictly ascending by UTF-16
/// code units (checked with `str::encode_utf16`, not the engine's comparison).
pub fn check_jcs(input: &[u8]) -> Result<Vec<u8>, Error> {
    let jcs = check_canonical(input, Dialect::Jcs);
    let js = canonicalize_to_vec(input, Dialect::Js);
    match (&jcs, &js) {
        (Ok(_), Err(e)) => panic!("JCS accepts but JavaScript rejects: {e:?}"),
        (Err(Error::LoneSurrogate { .. }), _) => {}
        (Err(a), Err(b)) => assert_eq!(a, b, "JCS and JavaScript report different errors"),
        (Err(a), Ok(_)) => panic!("JCS rejects ({a:?}) what JavaScript accepts, not for a lone surrogate"),
        (Ok(sorted), Ok(js_out)) => {
            let again = canonicalize_to_vec(js_out, Dialect::Jcs);
            assert_eq!(again.as_ref(), Ok(sorted), "JCS of the JavaScript output differs");
            let mut tape = Tape::new();
            let doc = parse(sorted, Dialect::Jcs, &mut tape).expect("JCS output parses");
            check_sorted(doc.root());
        }
    }
    jcs
}

/// Every object under `v` has its names strictly ascending by UTF-16 code units.
fn check_sorted(v: Value<'_>) {
    match v.kind() {
        Kind::Array => v.elements().for_each(check_sorted),
        Kind::Object => {
            let mut last: Option<Vec<u16>> = None;
            for (k, member) in v.members() {
                let mut buf = vec![0u8; k.raw().len()];
                let n = k.decode(&mut buf).expect("decode key");
                let name = core::str::from_utf8(&buf[..n]).expect("JCS names are UTF-8 (no lone surrogates)");
                let units: Vec<u16> = name.encode_utf16().collect();
                if let Some(prev) = &last {
                    assert!(prev < &units, "names out of order: {prev:?} then {name:?}");
                }
                last = Some(units);
                check_sorted(member);
            }
        }
        _ => {}
    }
}

/// Parses `input` in `dialect` and reads every value through the [`Value`] API, comparing
/// each reading with an independent one (Rust's own number parsing, the canonical form of the
/// value's source text, the object's own printing).
pub fn check_document(input: &[u8], dialect: Dialect) {
    let mut tape = Tape::new();
    let Ok(doc) = parse(input, dialect, &mut tape) else { return };
    assert_eq!(doc.dialect(), dialect);
    let mut whole = Vec::new();
    doc.emit(dialect, &mut whole).expect("emit in the parsed dialect");
    assert_eq!(Ok(&whole), canonicalize_to_vec(input, dialect).as_ref(), "Document::emit differs from canonicalize");
    for other in DIALECTS {
        let same_family = match (dialect, other) {
            (Dialect::Php(_), Dialect::Php(_)) => true,
            (a, b) => a == b,
        };
        if !same_family {
            assert_eq!(doc.emit(other, &mut Vec::new()), Err(Error::DialectMismatch));
        }
    }
    if let Dialect::Php(_) = dialect {
        // A PHP document prints with either flag set.
        let mut unescaped = Vec::new();
        doc.emit(Dialect::php_unescaped(), &mut unescaped).expect("emit with other PHP flags");
        assert_eq!(Ok(unescaped), canonicalize_to_vec(input, Dialect::php_unescaped()), "emit with other flags");
    }
    walk(doc.root(), dialect);
}

fn emitted(v: &Value<'_>, dialect: Dialect) -> Vec<u8> {
    let mut out = Vec::new();
    v.emit(dialect, &mut out).expect("emit in the parsed dialect");
    out
}

/// Decodes with a buffer of the raw length (decoding never grows text), then checks that one
/// byte less is a clean `BufferTooSmall` naming the length.
fn decode_both_ways(raw_len: usize, decode: impl Fn(&mut [u8]) -> Result<usize, Error>) -> Vec<u8> {
    let mut buf = vec![0u8; raw_len];
    let n = decode(&mut buf).expect("decoding into a buffer of the raw length");
    assert!(n <= raw_len);
    if let Some(short) = n.checked_sub(1) {
        assert_eq!(decode(&mut vec![0u8; short]), Err(Error::BufferTooSmall { needed: n }));
    }
    buf.truncate(n);
    buf
}

/// The array-index value of a decoded key: "0".."4294967294" in canonical decimal.
#[must_use]
pub fn array_index(key: &[u8]) -> Option<u32> {
    let canonical = !key.is_empty() && key.len() <= 10 && (key == b"0" || key[0] != b'0');
    if !canonical || !key.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v: u64 = core::str::from_utf8(key).ok()?.parse().ok()?;
    (v < u64::from(u32::MAX)).then_some(v as u32)
}

fn walk(v: Value<'_>, dialect: Dialect) {
    let out = emitted(&v, dialect);
    match v.kind() {
        Kind::Array => {
            assert!(v.raw().is_none() && v.members().next().is_none() && v.get("").is_none());
            let mut n = 0;
            for e in v.elements() {
                walk(e, dialect);
                n += 1;
            }
            assert_eq!(n, v.len());
        }
        Kind::Object => {
            assert!(v.raw().is_none() && v.elements().next().is_none());
            let mut n = 0;
            for (k, member) in v.members() {
                n += 1;
                // `get` is a linear search: check it on the first members only.
                let lookup = n <= 16;
                let decoded = decode_both_ways(k.raw().len(), |b| k.decode(b));
                if let Some(plain) = k.as_str() {
                    assert_eq!(plain.as_bytes(), k.raw());
                    assert_eq!(plain.as_bytes(), &decoded[..]);
                }
                assert_eq!(k.array_index(), array_index(&decoded), "array index of key {decoded:?}");
                if let Some(text) = core::str::from_utf8(&decoded).ok().filter(|_| lookup) {
                    assert!(k.str_eq(text), "key {text:?} not equal to itself");
                    let found = v.get(text).expect("get finds every key (no duplicates)");
                    assert_eq!(found.kind(), member.kind());
                    assert_eq!(found.raw().map(<[u8]>::as_ptr), member.raw().map(<[u8]>::as_ptr));
                    assert_eq!(emitted(&found, dialect), emitted(&member, dialect));
                }
                let mut key_out = Vec::new();
                k.emit(dialect, &mut key_out).expect("key emit");
                assert_eq!(Ok(key_out), canonicalize_to_vec(&quoted(k.raw()), dialect), "key printing");
                walk(member, dialect);
            }
            assert_eq!(n, v.len());
            let mut rebuilt = Vec::new();
            emit_members(v.members(), dialect, &mut rebuilt).expect("emit_members");
            assert_eq!(rebuilt, out, "emit_members of all members differs from the object");
        }
        kind => {
            assert_eq!(v.len(), 0);
            assert!(v.members().next().is_none() && v.elements().next().is_none());
            let raw = v.raw().expect("scalars have source text");
            let source = if kind == Kind::String { quoted(raw) } else { raw.to_vec() };
            assert_eq!(Ok(&out), canonicalize_to_vec(&source, dialect).as_ref(), "scalar printing");
            check_scalar(&v, kind, raw);
        }
    }
}

fn quoted(raw: &[u8]) -> Vec<u8> {
    let mut q = Vec::with_capacity(raw.len() + 2);
    q.push(b'"');
    q.extend_from_slice(raw);
    q.push(b'"');
    q
}

fn check_scalar(v: &Value<'_>, kind: Kind, raw: &[u8]) {
    assert_eq!(
        v.as_bool(),
        match kind {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    );
    assert_eq!(v.as_f64().is_some(), kind == Kind::Number);
    assert_eq!(v.decode_str(&mut []).is_some(), kind == Kind::String);
    match kind {
        Kind::Number => {
            let text = core::str::from_utf8(raw).expect("numbers are ASCII");
            let nearest: f64 = text.parse().expect("a JSON number is a Rust float literal");
            let f = v.as_f64().expect("number");
            assert_eq!(f.to_bits(), nearest.to_bits(), "as_f64({text}) = {f:e}, nearest double is {nearest:e}");
            let is_int = !raw.iter().any(|b| matches!(b, b'.' | b'e' | b'E'));
            assert_eq!(v.as_i64(), if is_int { text.parse().ok() } else { None }, "as_i64({text})");
        }
        Kind::String => {
            let decoded = decode_both_ways(raw.len(), |b| v.decode_str(b).expect("a string"));
            if let Some(plain) = v.as_str() {
                assert_eq!(plain.as_bytes(), raw);
                assert_eq!(plain.as_bytes(), &decoded[..]);
            }
            if let Ok(text) = core::str::from_utf8(&decoded) {
                assert!(v.str_eq(text), "string {text:?} not equal to itself");
                assert!(!v.str_eq(&format!("{text}\0")));
            }
        }
        _ => {
            assert!(v.as_i64().is_none() && v.as_str().is_none());
        }
    }
}
