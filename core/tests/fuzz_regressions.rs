//! Minimised inputs found by the fuzz targets (`fuzz/`) and the differential fuzzer
//! (`scripts/diff-fuzz`). Each test names the target that found it; each bug is fixed, and its
//! test keeps it fixed.

use payseal::eupay::{scratch_len, tape_len, Malformed, QrError, QrVerifier};
use payseal::json::{
    canonicalize_into, canonicalize_to_vec, parse, sorted_duplicate_checks, Dialect, Error, Node, Tape,
};

/// Found by `json_document`: `Value::str_eq`, `Key::str_eq` and `Value::get` decode the
/// caller's plain `&str` as if it were escaped JSON text (`strings::decoded_eq` ignores its
/// `b_escaped` argument), so a query containing a backslash compares wrongly both ways.
#[test]

fn str_eq_reads_the_query_as_plain_text() {
    let mut tape = Tape::new();
    // The key decodes to `a`, the value to two backslashes.
    let doc = parse(br#"{"\u0061":"\\\\"}"#, Dialect::Js, &mut tape).unwrap();
    let root = doc.root();
    // False positive: the query `\u0061` (six characters) is not the key `a`.
    assert!(root.get("\\u0061").is_none(), "get(r\"\\u0061\") matched the key \"a\"");
    assert!(!root.members().next().unwrap().0.str_eq("\\u0061"));
    // False negative: the value is two backslashes.
    let value = root.get("a").unwrap();
    assert!(value.str_eq("\\\\"), "str_eq(two backslashes) on a string of two backslashes");
    assert!(!value.str_eq("\\"));
}

/// Found by `json_js`: `Tape::required_len(len)` entries are documented to always suffice for
/// an input of `len` bytes, but an unclosed run of brackets (one token per byte) exhausts
/// them and reports `scratch_too_small` where the vectors' vocabulary says `syntax` (and the
/// allocating entry point does).
#[test]

fn required_len_tape_reports_the_input_error() {
    for input in [&b"[[[[[[[[[["[..], b"[[[[[[[[[[[00", b"[{\"\":[[[[[[[[[[[[[[["] {
        assert_eq!(canonicalize_to_vec(input, Dialect::Js).map_err(|e| e.code()), Err("syntax"));
        let mut scratch = vec![Node::default(); Tape::required_len(input.len())];
        let mut tape = Tape::from_slice(&mut scratch);
        let mut out = [0u8; 64];
        let got = canonicalize_into(input, Dialect::Js, &mut tape, &mut out).map_err(|e| e.code());
        assert_eq!(got, Err("syntax"), "input {:?}", String::from_utf8_lossy(input));
    }
}

/// The same bug through `eupay::QrVerifier::verify_into`, whose scratch sizes
/// (`scratch_len`, `tape_len`) are documented to always suffice: an envelope of twelve `[`
/// is reported as `BufferTooSmall` ("a programming error, not a verdict on the QR") instead of
/// `Malformed(Json(Syntax))`.
#[test]

fn eupay_documented_scratch_reports_a_malformed_envelope() {
    let qr = b"W1tbW1tbW1tbW1tb"; // base64url of "[[[[[[[[[[[["
    let mut buf = vec![0u8; scratch_len(qr.len())];
    let mut nodes = vec![Node::default(); tape_len(qr.len())];
    let mut tape = Tape::from_slice(&mut nodes);
    let got = QrVerifier::new(b"k").expect("non-empty secret").verify_into(qr, 0, &mut buf, &mut tape).map(|_| ());
    assert_eq!(got, Err(QrError::Malformed(Malformed::Json(Error::Syntax { offset: 12 }))));
}

/// Found by `json_php` (the PHP and JavaScript dialects reported different offsets for one
/// document): `DuplicateKey`'s offset is documented as the second occurrence, and errors as
/// the first in document order, but in objects of more than 64 members (checked by sorting
/// copies of the keys, `sort_unstable_by`) a key present three times can be reported at its
/// third occurrence; and a duplicate in a small nested object (checked as it arrives) is
/// returned before an earlier duplicate of an open big ancestor (checked when it closes).
#[test]
fn duplicate_key_offset_is_the_first_in_document_order() {
    let object = |keys: &[String], tail: &str| {
        let members: Vec<String> = keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{i}")).collect();
        format!("{{{}{tail}}}", members.join(","))
    };
    // 80 members, "k17" three times, the second and third past the first 64 members (which are
    // checked pairwise as they arrive): the first error is its second occurrence.
    let keys: Vec<String> =
        (0..80).map(|i| if i == 66 || i == 69 { "k17".to_owned() } else { format!("k{i}") }).collect();
    let thrice = object(&keys, "");
    let second = thrice.match_indices("\"k17\"").nth(1).unwrap().0;
    // 70 members, then "k3" again, then a nested object with its own duplicate: the big open
    // ancestor's earlier duplicate wins.
    let keys: Vec<String> = (0..70).map(|i| format!("k{i}")).collect();
    let nested = object(&keys, r#","k3":0,"x":{"q":1,"q":2}"#);
    let earlier = nested.match_indices("\"k3\"").nth(1).unwrap().0;
    for (doc, offset) in [(thrice, second), (nested, earlier)] {
        for dialect in [Dialect::Js, Dialect::php_default()] {
            assert_eq!(canonicalize_to_vec(doc.as_bytes(), dialect), Err(Error::DuplicateKey { offset }), "{doc}");
            // And the duplicate was found on the sorted path, the one this test is about.
            let (parsed, sorted) = sorted_duplicate_checks(doc.as_bytes(), dialect);
            assert_eq!((parsed, sorted), (Err(Error::DuplicateKey { offset }), 1), "{doc}");
        }
    }
}

/// Found by `scripts/diff-fuzz` (PHP): Debian's PHP 8.2.36 reports an unpaired surrogate
/// escape as soon as it reads it (`JSON_ERROR_UTF16`), before a later error in the same string
/// (a raw control character, a bad escape, a missing closing quote). The PHP that produced the
/// conformance vectors does not: JSONTestSuite's `n_string_1_surrogate_then_escape*`,
/// `n_string_incomplete_surrogate` and `n_string_incomplete_surrogate_escape_invalid` are
/// `syntax` in `json_php.jsonl`, and the vectors are the ground truth. payseal reports the
/// surrogate when the string closes, so a later syntax error in the same string wins; the
/// differential fuzzer counts this as a known divergence from the local `php`.
#[test]
fn php_later_syntax_error_in_the_same_string_wins_as_in_the_vectors() {
    // A raw tab, no closing quote (three ways), a bad escape, an escaped closing quote.
    let inputs: [&[u8]; 6] =
        [b"\"\\udfff\t\"", b"\"\\ud800", b"\"a\\ud800b", b"[\"\\ud800", b"\"\\ud800\\x\"", b"\"\\ud800\\\""];
    for input in inputs {
        for dialect in [Dialect::php_default(), Dialect::php_unescaped()] {
            let got = canonicalize_to_vec(input, dialect).map_err(|e| e.code());
            assert_eq!(got, Err("syntax"), "input {:?}", String::from_utf8_lossy(input));
        }
    }
    // A string that closes properly reports the surrogate.
    assert_eq!(
        canonicalize_to_vec(b"[\"\\ud800\\n\"]", Dialect::php_default()).map_err(|e| e.code()),
        Err("lone_surrogate")
    );
    // Where the other error comes first, PHP (and payseal) say syntax.
    for input in [&b"\"\\x\\ud800\""[..], b"\"\\u12\\ud800\""] {
        assert_eq!(canonicalize_to_vec(input, Dialect::php_default()).map_err(|e| e.code()), Err("syntax"));
    }
}

/// Found by `jose`: an RSA private JWK whose `dp` does not match `e` and `n` (RFC 7520 §3.4's
/// key with `q29p` changed to `q12p` in `dp`) loaded as a `SigningKey` (ring checks CRT
/// consistency only when signing), and every signature then failed, reported as
/// `randomness`. Now the key is refused when loaded.
#[test]
fn inconsistent_rsa_private_jwk_is_refused_at_load() {
    let dir = std::env::var_os("PAYSEAL_VECTORS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"));
    let text = std::fs::read_to_string(dir.join("jws.jsonl")).expect("jws.jsonl");
    let line = text.lines().find(|l| l.contains("\"jws_sign_rfc7520_4_1\"")).expect("RFC 7520 4.1 vector");
    let v: serde_json::Value = serde_json::from_str(line).expect("json");
    let good = v["jwk"].to_string();
    assert!(payseal::jose::SigningKey::from_jwk(good.as_bytes()).is_ok());
    let bad = good.replace("q29pk5xWHoJp009Qf1Hv", "q12pk5xWHoJp009Qf1Hv");
    assert_ne!(bad, good);
    assert_eq!(payseal::jose::SigningKey::from_jwk(bad.as_bytes()).err(), Some(payseal::jose::Error::InvalidKey));
}
