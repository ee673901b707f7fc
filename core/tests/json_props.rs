//! Property tests for both dialects: canonical output is a fixed point, always parses again,
//! and string escaping round-trips every string.

mod support;

use payseal::json::{canonicalize_to_vec, parse, sorted_duplicate_checks, Dialect, Tape};
use proptest::prelude::*;

const DIALECTS: [Dialect; 4] = [Dialect::Js, Dialect::php_default(), Dialect::php_unescaped(), Dialect::Jcs];

/// True when a canonical document contains the number token `-0`.
fn prints_negative_zero(doc: &[u8]) -> bool {
    doc.windows(3).any(|w| w[..2] == *b"-0" && matches!(w[2], b',' | b']' | b'}'))
        || doc.ends_with(b"-0") && !doc.ends_with(b"\"-0")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// canon(canon(x)) == canon(x), and the canonical form parses in the same dialect.
    #[test]
    fn canonical_form_is_a_fixed_point(seed in any::<u64>()) {
        let doc = support::document(&mut support::Rng::new(seed), support::Options::default());
        for dialect in DIALECTS {
            let Ok(once) = canonicalize_to_vec(doc.as_bytes(), dialect) else { continue };
            if dialect != Dialect::Js && prints_negative_zero(&once) {
                // PHP itself is not idempotent here: the float -0.0 prints `-0`, which decodes
                // as the integer 0 (json_encode(json_decode("-0")) is "0").
                continue;
            }
            let twice = canonicalize_to_vec(&once, dialect);
            prop_assert_eq!(twice.as_ref(), Ok(&once), "dialect {:?}, input {:?}", dialect, doc);
            let mut tape = Tape::new();
            prop_assert!(parse(&once, dialect, &mut tape).is_ok());
        }
    }

    /// Output without lone surrogates is standard JSON (serde_json reads it) and means the
    /// same document as the input.
    #[test]
    fn output_is_json_with_the_same_meaning(seed in any::<u64>()) {
        let opts = support::Options { lone_surrogates: false, ..support::Options::default() };
        let doc = support::document(&mut support::Rng::new(seed), opts);
        for dialect in DIALECTS {
            let Ok(out) = canonicalize_to_vec(doc.as_bytes(), dialect) else { continue };
            let reparsed: Result<serde_json::Value, _> = serde_json::from_slice(&out);
            prop_assert!(reparsed.is_ok(), "dialect {:?}: output {:?} is not JSON", dialect, String::from_utf8_lossy(&out));
        }
    }

    /// Every string survives: encode it (serde_json), canonicalise, decode (serde_json).
    #[test]
    fn escaping_round_trips_every_string(s in any::<String>()) {
        let encoded = serde_json::to_vec(&s).expect("encode");
        for dialect in DIALECTS {
            let out = canonicalize_to_vec(&encoded, dialect).expect("a JSON string is valid");
            let back: String = serde_json::from_slice(&out).expect("canonical string parses");
            prop_assert_eq!(&back, &s);
        }
    }
}

/// A key spelled in JSON with some of its characters as `\\uXXXX` escapes (`mask` picks which).
fn spell_key(key: &str, mask: u64) -> String {
    let mut out = String::from("\"");
    for (i, c) in key.chars().enumerate() {
        let escape = mask >> (i % 64) & 1 == 1 || c == '"' || c == '\\';
        if escape {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{u:04x}"));
            }
        } else {
            out.push(c);
        }
    }
    out.push('"');
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Duplicate keys are found whatever their spelling, length (the 16-byte fast path and the
    /// general one), the object's size (checked on arrival or sorted at close) and the key's
    /// distance from the end of the input; distinct keys are never reported.
    #[test]
    fn duplicates_are_found_whatever_the_spelling(
        keys in proptest::collection::btree_set("[a-c/é\"\\\\0-9]{0,24}", 1..80),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
        masks in any::<(u64, u64)>(),
        compact in any::<bool>(),
    ) {
        let keys: Vec<String> = keys.into_iter().collect();
        let sep = if compact { "," } else { " ,\n " };
        let members: Vec<String> =
            keys.iter().enumerate().map(|(i, k)| format!("{}:{i}", spell_key(k, masks.0))).collect();
        let distinct = format!("{{{}}}", members.join(sep));
        for dialect in DIALECTS {
            prop_assert!(canonicalize_to_vec(distinct.as_bytes(), dialect).is_ok(), "{:?} {}", dialect, distinct);
        }
        let again = format!("{}:null", spell_key(pick.get::<String>(&keys), masks.1));
        let mut with_dup = members.clone();
        with_dup.insert(at.index(members.len() + 1), again);
        let doc = format!("{{{}}}", with_dup.join(sep));
        for dialect in DIALECTS {
            let code = canonicalize_to_vec(doc.as_bytes(), dialect).map_err(|e| e.code());
            prop_assert_eq!(code, Err("duplicate_key"), "{:?} {}", dialect, doc);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Each open object keeps a 64-bit filter of its keys while nested containers (with keys
    /// of their own, often the same names) open and close inside it: a duplicate after any
    /// amount of nesting is still found, and keys repeated only across objects never are.
    #[test]
    fn duplicates_are_found_across_nested_objects(
        keys in proptest::collection::btree_set("(k|key_|created_)[a-c0-9]{0,3}", 2..40),
        nest in proptest::collection::vec(0usize..4, 40),
        pick in any::<prop::sample::Index>(),
        at in any::<prop::sample::Index>(),
    ) {
        let keys: Vec<String> = keys.into_iter().collect();
        // A value that reuses the object's own key names, `depth` levels deep.
        let nested = |depth: usize| {
            let mut v = String::from("1");
            for level in 0..depth {
                let inner: Vec<String> = keys.iter().take(3).map(|k| format!("\"{k}\":{level}")).collect();
                v = format!("{{{},\"v\":{v}}}", inner.join(","));
            }
            v
        };
        let members: Vec<String> =
            keys.iter().enumerate().map(|(i, k)| format!("\"{k}\":{}", nested(nest[i % nest.len()]))).collect();
        let distinct = format!("{{{}}}", members.join(","));
        for dialect in DIALECTS {
            prop_assert!(canonicalize_to_vec(distinct.as_bytes(), dialect).is_ok(), "{:?} {}", dialect, distinct);
        }
        let mut with_dup = members.clone();
        let again = format!("\"{}\":{}", pick.get(&keys), nested(2));
        with_dup.insert(at.index(members.len() + 1), again);
        let doc = format!("{{{}}}", with_dup.join(","));
        for dialect in DIALECTS {
            let code = canonicalize_to_vec(doc.as_bytes(), dialect).map_err(|e| e.code());
            prop_assert_eq!(code, Err("duplicate_key"), "{:?} {}", dialect, doc);
        }
    }
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    for dialect in DIALECTS {
        let deep = "[".repeat(100_000);
        assert_eq!(canonicalize_to_vec(deep.as_bytes(), dialect).map_err(|e| e.code()), Err("depth"));
        let deep_obj = "{\"a\":".repeat(100_000);
        assert_eq!(canonicalize_to_vec(deep_obj.as_bytes(), dialect).map_err(|e| e.code()), Err("depth"));
    }
    let ok = format!("{}{}", "[".repeat(511), "]".repeat(511));
    assert!(canonicalize_to_vec(ok.as_bytes(), Dialect::php_default()).is_ok());
    let js_ok = format!("{}{}", "[".repeat(512), "]".repeat(512));
    assert!(canonicalize_to_vec(js_ok.as_bytes(), Dialect::Js).is_ok());
    assert!(canonicalize_to_vec(js_ok.as_bytes(), Dialect::php_default()).is_err());
}

/// The parser first tries with room for 64 open containers and parses deeper documents
/// again from the start: results either side of that line, and errors found on the second
/// attempt, are the same as anywhere else.
#[test]
fn nesting_past_the_first_attempts_stack() {
    use payseal::json::Error;
    for dialect in DIALECTS {
        for depth in [62, 63, 64, 65, 66, 130, 300] {
            // Canonical in every dialect, so the output is the input.
            let (mut doc, mut close) = (String::new(), String::new());
            for level in 0..depth {
                if level % 2 == 0 {
                    doc.push_str(&format!("{{\"k{level}\":\"v\",\"n\":"));
                    close.insert(0, '}');
                } else {
                    doc.push_str("[1,");
                    close.insert(0, ']');
                }
            }
            doc.push_str("true");
            let doc = doc + &close;
            assert_eq!(canonicalize_to_vec(doc.as_bytes(), dialect).expect("valid"), doc.as_bytes(), "{depth}");

            // An error deep inside, and a duplicate key before the nesting: the same errors.
            let bad = doc.replacen("true", "tru", 1);
            let at = doc.find("true").expect("literal") + 3;
            assert_eq!(canonicalize_to_vec(bad.as_bytes(), dialect), Err(Error::Syntax { offset: at }), "{depth}");
            let dup = format!("{{\"a\":1,\"a\":{doc}}}");
            assert_eq!(canonicalize_to_vec(dup.as_bytes(), dialect), Err(Error::DuplicateKey { offset: 7 }));
            let after = format!("{{\"a\":1,\"x\":{doc},\"a\":2}}");
            let second = after.rfind("\"a\"").expect("key");
            assert_eq!(canonicalize_to_vec(after.as_bytes(), dialect), Err(Error::DuplicateKey { offset: second }));
            // A wide object (checked when it closes) holding a duplicate, then a deep error.
            let wide: String = (0..70).map(|i| format!("\"w{i}\":{i},")).collect();
            let late = format!("{{{wide}\"w3\":0,\"deep\":{bad}}}");
            let dup_at = late.find("\"w3\":0,\"deep").expect("dup");
            assert_eq!(canonicalize_to_vec(late.as_bytes(), dialect), Err(Error::DuplicateKey { offset: dup_at }));
            assert_eq!(sorted_duplicate_checks(late.as_bytes(), dialect).1, 1, "the wide object is checked sorted");
        }
    }
}

#[test]
fn many_keys_and_duplicates_stay_fast_and_exact() {
    // 50 000 distinct keys: the sorted duplicate check, not a quadratic one.
    let mut doc = String::from("{");
    for i in 0..50_000 {
        if i > 0 {
            doc.push(',');
        }
        doc.push_str(&format!("\"k{i}\":{i}"));
    }
    let distinct = format!("{doc}}}");
    assert!(canonicalize_to_vec(distinct.as_bytes(), Dialect::Js).is_ok());
    assert_eq!(sorted_duplicate_checks(distinct.as_bytes(), Dialect::Js), (Ok(()), 1));
    let duplicated = format!("{doc},\"k\\u0031\":0}}");
    assert_eq!(canonicalize_to_vec(duplicated.as_bytes(), Dialect::Js).map_err(|e| e.code()), Err("duplicate_key"));
    // An escaped spelling of an earlier key is a duplicate in a small object too.
    assert_eq!(canonicalize_to_vec(br#"{"a":1,"\u0061":2}"#, Dialect::Js).map_err(|e| e.code()), Err("duplicate_key"));
    // A duplicate before a syntax error is reported first (document order).
    assert_eq!(
        canonicalize_to_vec(br#"{"a":1,"a":2,"b":tru}"#, Dialect::Js).map_err(|e| e.code()),
        Err("duplicate_key")
    );
}

#[test]
fn js_key_order_and_php_lists() {
    let doc = br#"{"b":1,"2":2,"a":3,"1":4,"4294967295":5,"4294967294":6,"01":7}"#;
    let js = canonicalize_to_vec(doc, Dialect::Js).expect("valid");
    assert_eq!(js, br#"{"1":4,"2":2,"4294967294":6,"b":1,"a":3,"4294967295":5,"01":7}"#);
    let php =
        canonicalize_to_vec(br#"{"0":"a","1":{"0":{}},"x":{"1":1,"0":0}}"#, Dialect::php_default()).expect("valid");
    assert_eq!(php, br#"{"0":"a","1":[[]],"x":{"1":1,"0":0}}"#);
    let list = canonicalize_to_vec(br#"{"0":"a","1":"b"}"#, Dialect::php_default()).expect("valid");
    assert_eq!(list, br#"["a","b"]"#);
    // Regression (differential run): an object PHP prints verbatim whose keys JavaScript
    // would reorder must be copied from its own span.
    let php = canonicalize_to_vec(br#"[1,{"x":{"\u2028":"","1":null}}]"#, Dialect::php_default()).expect("valid");
    assert_eq!(php, br#"[1,{"x":{"\u2028":"","1":null}}]"#);
}

#[test]
fn fixed_scratch_reports_its_size() {
    use payseal::json::{canonicalize_into, Node};
    let mut small = [Node::default(); 4];
    let mut tape = Tape::from_slice(&mut small);
    let mut out = [0u8; 64];
    let err = canonicalize_into(b"[1,2,3,4,5,6]", Dialect::Js, &mut tape, &mut out).unwrap_err();
    assert_eq!(err.code(), "scratch_too_small");
    let mut enough = vec![Node::default(); Tape::required_len(13)];
    let mut tape = Tape::from_slice(&mut enough);
    assert_eq!(canonicalize_into(b"[1,2,3,4,5,6]", Dialect::Js, &mut tape, &mut out), Ok(13));
    let mut tiny = [0u8; 5];
    let mut tape = Tape::from_slice(&mut enough);
    assert_eq!(
        canonicalize_into(b"[1,2,3,4,5,6]", Dialect::Js, &mut tape, &mut tiny).unwrap_err().code(),
        "buffer_too_small"
    );
}

#[test]
fn required_len_suffices_for_worst_cases() {
    use payseal::json::Node;
    let worst = [
        format!("[{}1]", "1,".repeat(1000)),
        format!("{}{}", "[".repeat(400), "]".repeat(400)),
        format!("{{{}\"\":1}}", (0..500).map(|i| format!("\"{i}\":1,")).collect::<String>()),
        format!("{{{}\"z\":1}}", (0..500).rev().map(|i| format!("\"{i}\":[],")).collect::<String>()),
    ];
    for doc in worst {
        let mut scratch = vec![Node::default(); Tape::required_len(doc.len())];
        for dialect in DIALECTS {
            let mut tape = Tape::from_slice(&mut scratch);
            let r = payseal::json::canonical_len(doc.as_bytes(), dialect, &mut tape);
            assert!(r.is_ok(), "{dialect:?}: {r:?} for a document of {} bytes", doc.len());
        }
    }
}
