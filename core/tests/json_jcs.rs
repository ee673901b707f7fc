//! RFC 8785 (JCS): the vectors through caller scratch (no allocation path), the UTF-16 member
//! order, and property tests: idempotence, independence from member order and spelling, and
//! agreement with the JavaScript dialect where the two must agree.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use base64::Engine as _;
use payseal::json::{
    canonical_len, canonicalize_into, canonicalize_to_vec, emit_members, parse, Dialect, Error, Node, Tape,
};
use proptest::prelude::*;

fn vectors_dir() -> std::path::PathBuf {
    std::env::var_os("PAYSEAL_VECTORS").map_or_else(
        || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"),
        std::path::PathBuf::from,
    )
}

/// Every `jcs.jsonl` case through a fixed tape of [`Tape::required_len`] entries and a caller
/// buffer (the path that never allocates), and through [`canonical_len`]. A missing file fails.
#[test]
fn jcs_vectors_through_caller_scratch() {
    let path = vectors_dir().join("jcs.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let b64 = base64::engine::general_purpose::STANDARD;
    let mut cases = 0;
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let case: serde_json::Value = serde_json::from_str(line).expect("vector line");
        let id = case["id"].as_str().unwrap_or("?");
        let input = b64.decode(case["input_b64"].as_str().expect("input_b64")).expect("base64");
        let mut scratch = vec![Node::default(); Tape::required_len(input.len())];
        let mut tape = Tape::from_slice(&mut scratch);
        let mut out = vec![0u8; input.len() * 2 + 16];
        let got = canonicalize_into(&input, Dialect::Jcs, &mut tape, &mut out).map(|n| out[..n].to_vec());
        let len = canonical_len(&input, Dialect::Jcs, &mut Tape::from_slice(&mut scratch));
        match (case.get("output_b64").and_then(|v| v.as_str()), case.get("error").and_then(|v| v.as_str())) {
            (Some(want), None) => {
                let want = b64.decode(want).expect("base64");
                assert_eq!(got.as_deref(), Ok(want.as_slice()), "{id}");
                assert_eq!(len, Ok(want.len()), "{id}");
            }
            (None, Some(code)) => {
                assert_eq!(got.map_err(|e| e.code()), Err(code), "{id}");
                assert_eq!(len.map_err(|e| e.code()), Err(code), "{id}");
            }
            _ => panic!("{id}: neither output_b64 nor error"),
        }
        cases += 1;
    }
    assert!(cases > 0, "no case in {}", path.display());
}

#[test]
fn members_sort_by_utf16_code_units() {
    // RFC 8785 §3.2.3's example: "\u20ac", "\r", "\ufb33", "1", "\ud83d\ude00", "\u0080", "\u00f6".
    let input = "{\"\u{20ac}\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\"}";
    let want = "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u{80}\":\"Control\",\"\u{f6}\":\"Latin Small Letter O With Diaeresis\",\"\u{20ac}\":\"Euro Sign\",\"\u{1f600}\":\"Emoji: Grinning Face\",\"\u{fb33}\":\"Hebrew Letter Dalet With Dagesh\"}";
    assert_eq!(canonicalize_to_vec(input.as_bytes(), Dialect::Jcs).as_deref(), Ok(want.as_bytes()));
    // The same names spelled as escapes (the comparison decodes them).
    let escaped = br#"{"\u20ac":1,"\ufb33":2,"\ud83d\ude00":3,"\uE000":4,"\uD800\uDC00":5,"\uffff":6}"#;
    let want = "{\"\u{20ac}\":1,\"\u{10000}\":5,\"\u{1f600}\":3,\"\u{e000}\":4,\"\u{fb33}\":2,\"\u{ffff}\":6}";
    assert_eq!(canonicalize_to_vec(escaped, Dialect::Jcs).as_deref(), Ok(want.as_bytes()));
    // Array-index names are ordinary strings in JCS; prefixes sort first.
    let got = canonicalize_to_vec(br#"{"10":0,"2":0,"1":0,"":0,"a":0,"aa":0,"A":0}"#, Dialect::Jcs);
    assert_eq!(got.as_deref(), Ok(&br#"{"":0,"1":0,"10":0,"2":0,"A":0,"a":0,"aa":0}"#[..]));
}

#[test]
fn jcs_strings_numbers_and_errors() {
    let got =
        canonicalize_to_vec(br#"[1e21,-0,0.1e1,"\u001f\u007f\/\u2028\u00e9",1E-7,123456789012345678]"#, Dialect::Jcs);
    assert_eq!(got.as_deref(), Ok("[1e+21,0,1,\"\\u001f\u{7f}/\u{2028}é\",1e-7,123456789012345680]".as_bytes()));
    for (input, code) in [
        (&br#"["\ud800"]"#[..], "lone_surrogate"),
        (br#"{"\udc00":1}"#, "lone_surrogate"),
        (br#"{"a":1,"\u0061":2}"#, "duplicate_key"),
        (b"[1e400]", "number_range"),
        (b"[1,]", "syntax"),
        (b"[\"\xff\"]", "invalid_utf8"),
        // Invalid UTF-8 anywhere wins; otherwise the first error in document order.
        (b"[\"\\ud800\", tru, \"\xff\"]", "invalid_utf8"),
        (b"[\"\\ud800\", tru]", "lone_surrogate"),
        (b"[tru, \"\\ud800\"]", "syntax"),
    ] {
        assert_eq!(canonicalize_to_vec(input, Dialect::Jcs).map_err(|e| e.code()), Err(code), "{input:?}");
    }
    let deep_ok = format!("{}{}", "[".repeat(512), "]".repeat(512));
    assert!(canonicalize_to_vec(deep_ok.as_bytes(), Dialect::Jcs).is_ok());
    let deep = format!("{}{}", "[".repeat(513), "]".repeat(513));
    assert_eq!(canonicalize_to_vec(deep.as_bytes(), Dialect::Jcs), Err(Error::Depth { offset: 512 }));
}

#[test]
fn jcs_documents_print_only_as_jcs() {
    let mut tape = Tape::new();
    let doc = parse(br#"{"b":1,"a":{"d":[],"c":"\u00e9"}}"#, Dialect::Jcs, &mut tape).expect("valid");
    let mut out = Vec::new();
    doc.emit(Dialect::Jcs, &mut out).expect("same dialect");
    assert_eq!(out, "{\"a\":{\"c\":\"é\",\"d\":[]},\"b\":1}".as_bytes());
    assert_eq!(doc.emit(Dialect::Js, &mut Vec::new()), Err(Error::DialectMismatch));
    // A selection of members is sorted too.
    let mut out = Vec::new();
    let inner = doc.root().get("a").expect("member");
    emit_members(doc.root().members().chain(inner.members()), Dialect::Jcs, &mut out).expect("emit");
    assert_eq!(out, "{\"a\":{\"c\":\"é\",\"d\":[]},\"b\":1,\"c\":\"é\",\"d\":[]}".as_bytes());
}

/// Small objects out of order are sorted by the emitter into room shared by the open objects;
/// nested past that room, the deeper ones are printed by repeated minimum instead. Both ways,
/// and the keys whose first four bytes tie (sorted by their texts), print in RFC 8785 order.
#[test]
fn nested_unsorted_objects_past_the_emitter_room() {
    // 16 members per level (the most the emitter sorts itself), 12 levels: 192 sorted keys
    // open at once at the deepest.
    let names: Vec<String> = (0..15).map(|i| format!("k{:02}", 14 - i)).collect();
    let (mut input, mut want) = (String::new(), String::new());
    for level in 0..12 {
        input.push('{');
        want.push('{');
        for (i, n) in names.iter().enumerate() {
            write!(input, "\"{n}\":{},", level * 100 + 14 - i).unwrap();
        }
        for (i, n) in names.iter().rev().enumerate() {
            write!(want, "\"{n}\":{},", level * 100 + i).unwrap();
        }
        // The 16th member, whose name sorts last, holds the next level.
        input.push_str("\"zz\":");
        want.push_str("\"zz\":");
    }
    input.push_str("null");
    want.push_str("null");
    input.push_str(&"}".repeat(12));
    want.push_str(&"}".repeat(12));
    let got = canonicalize_to_vec(input.as_bytes(), Dialect::Jcs).expect("valid");
    assert_eq!(String::from_utf8(got).unwrap(), want);
    // Ties of the first four bytes, keys without a sort half (an escape, a byte from EE up),
    // and the empty name, out of order.
    let input = "{\"responseMessage\":1,\"responseCode\":2,\"\\u0072esponseA\":3,\"line2\":4,\"line1\":5,\"\u{fb33}\":6,\"\u{1f600}\":7,\"\":8}";
    let want = "{\"\":8,\"line1\":5,\"line2\":4,\"responseA\":3,\"responseCode\":2,\"responseMessage\":1,\"\u{1f600}\":7,\"\u{fb33}\":6}";
    let got = canonicalize_to_vec(input.as_bytes(), Dialect::Jcs).expect("valid");
    assert_eq!(String::from_utf8(got).unwrap(), want);
    // Already in order (ties included), the object prints as written.
    let got = canonicalize_to_vec(want.as_bytes(), Dialect::Jcs).expect("valid");
    assert_eq!(String::from_utf8(got).unwrap(), want);
}

/// A JSON value, with object members as distinct names (the generator's `BTreeMap`).
#[derive(Debug, Clone)]
enum J {
    Lit(&'static str),
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

fn names() -> impl Strategy<Value = String> {
    prop_oneof![
        // The characters where UTF-16 and UTF-8 orders part, and their neighbours.
        "[a-cA\u{7f}\u{80}é\u{d7ff}\u{e000}\u{fb33}\u{ffff}\u{10000}\u{1f600}\u{10ffff}0-9]{0,4}",
        any::<String>(),
    ]
}

fn json() -> impl Strategy<Value = J> {
    let leaf = prop_oneof![
        prop_oneof![Just("null"), Just("true"), Just("false")].prop_map(J::Lit),
        any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(|v| J::Num(format!("{v:e}"))),
        any::<i64>().prop_map(|v| J::Num(v.to_string())),
        prop_oneof![Just("-0"), Just("1e21"), Just("0.000001"), Just("1E-7"), Just("100.50")]
            .prop_map(|s| J::Num(s.to_owned())),
        any::<String>().prop_map(J::Str),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Arr),
            prop::collection::btree_map(names(), inner, 0..7)
                .prop_map(|m: BTreeMap<String, J>| J::Obj(m.into_iter().collect())),
        ]
    })
}

/// Spells a string as JSON text, escaping the characters `mask` picks (and those that must be).
fn spell(s: &str, mask: u64, out: &mut String) {
    out.push('"');
    for (i, c) in s.chars().enumerate() {
        if mask.rotate_left(i as u32) & 1 == 1 || c == '"' || c == '\\' || c < ' ' {
            let mut units = [0u16; 2];
            for u in c.encode_utf16(&mut units) {
                let _ = write!(out, "\\u{u:04x}");
            }
        } else {
            out.push(c);
        }
    }
    out.push('"');
}

/// Writes `j` with its members permuted by `seed`, escapes chosen by `mask`, and whitespace.
fn write(j: &J, seed: u64, mask: u64, out: &mut String) {
    match j {
        J::Lit(s) => out.push_str(s),
        J::Num(s) => out.push_str(s),
        J::Str(s) => spell(s, mask, out),
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if seed & 1 == 0 { "," } else { " , " });
                }
                write(item, seed.rotate_left(7) ^ i as u64, mask.rotate_left(3), out);
            }
            out.push(']');
        }
        J::Obj(members) => {
            let mut order: Vec<usize> = (0..members.len()).collect();
            // A seeded shuffle (Fisher-Yates with an LCG).
            let mut state = seed | 1;
            for i in (1..order.len()).rev() {
                state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, (state >> 33) as usize % (i + 1));
            }
            out.push('{');
            for (n, &i) in order.iter().enumerate() {
                if n > 0 {
                    out.push(',');
                }
                let (name, value) = &members[i];
                spell(name, mask.rotate_left(11 + n as u32), out);
                out.push_str(if seed & 2 == 0 { ":" } else { " :\n" });
                write(value, seed.rotate_left(13) ^ (i as u64 + 1), mask.rotate_left(5), out);
            }
            out.push('}');
        }
    }
}

fn text(j: &J, seed: u64, mask: u64) -> String {
    let mut out = String::new();
    write(j, seed, mask, &mut out);
    out
}

/// Keeps only names that are plain ASCII and never array indices (so that JavaScript's order,
/// index names first, is insertion order), sorted.
fn ascii_sorted(j: &J) -> J {
    match j {
        J::Arr(items) => J::Arr(items.iter().map(ascii_sorted).collect()),
        J::Obj(members) => {
            let mut kept: Vec<(String, J)> = members
                .iter()
                .map(|(k, v)| {
                    let k: String = k.chars().filter(char::is_ascii).collect();
                    (format!("k{k}"), ascii_sorted(v))
                })
                .collect();
            kept.sort_by(|a, b| a.0.cmp(&b.0));
            kept.dedup_by(|a, b| a.0 == b.0);
            J::Obj(kept)
        }
        other => other.clone(),
    }
}

/// Writes `j` with members in the order given (no permutation).
fn write_in_order(j: &J, mask: u64, out: &mut String) {
    match j {
        J::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_in_order(item, mask, out);
            }
            out.push(']');
        }
        J::Obj(members) => {
            out.push('{');
            for (i, (k, v)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                spell(k, mask.rotate_left(i as u32), out);
                out.push(':');
                write_in_order(v, mask, out);
            }
            out.push('}');
        }
        other => write(other, 0, mask, out),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    /// canon(canon(x)) == canon(x), and the output is standard JSON.
    #[test]
    fn jcs_is_idempotent(j in json(), seed in any::<u64>(), mask in any::<u64>()) {
        let input = text(&j, seed, mask);
        let once = canonicalize_to_vec(input.as_bytes(), Dialect::Jcs).expect("valid document");
        let twice = canonicalize_to_vec(&once, Dialect::Jcs).expect("canonical form parses");
        prop_assert_eq!(&twice, &once, "input {}", input);
        prop_assert!(serde_json::from_slice::<serde_json::Value>(&once).is_ok(), "not JSON: {:?}", once);
    }

    /// Permuting members, respelling strings and names with escapes and adding whitespace
    /// never changes the output.
    #[test]
    fn jcs_ignores_member_order_and_spelling(
        j in json(), seeds in any::<(u64, u64)>(), masks in any::<(u64, u64)>(),
    ) {
        let a = text(&j, seeds.0, masks.0);
        let b = text(&j, seeds.1, masks.1);
        let ca = canonicalize_to_vec(a.as_bytes(), Dialect::Jcs).expect("valid");
        let cb = canonicalize_to_vec(b.as_bytes(), Dialect::Jcs).expect("valid");
        prop_assert_eq!(ca, cb, "{} vs {}", a, b);
    }

    /// Where names are ASCII, never array indices, and already sorted, JCS prints exactly
    /// what `JSON.stringify` does (and the JavaScript dialect is checked against Node).
    #[test]
    fn jcs_agrees_with_js_on_sorted_ascii_names(j in json(), mask in any::<u64>()) {
        let j = ascii_sorted(&j);
        let mut input = String::new();
        write_in_order(&j, mask, &mut input);
        let jcs = canonicalize_to_vec(input.as_bytes(), Dialect::Jcs);
        let js = canonicalize_to_vec(input.as_bytes(), Dialect::Js);
        prop_assert_eq!(jcs, js, "input {}", input);
    }

    /// Objects of any size (past the stack sort's 16 members and the 64 checked as they
    /// arrive) print their members in the order `emit_members` finds by repeated minimum, an
    /// independent reading of RFC 8785 §3.2.3, whatever order and spelling they were written in.
    #[test]
    fn jcs_member_order_at_any_size(
        names in prop::collection::btree_set(names(), 0..100), seed in any::<u64>(), mask in any::<u64>(),
    ) {
        let j = J::Obj(names.into_iter().enumerate().map(|(i, n)| (n, J::Num(i.to_string()))).collect());
        let input = text(&j, seed, mask);
        let got = canonicalize_to_vec(input.as_bytes(), Dialect::Jcs).expect("valid");
        let mut tape = Tape::new();
        let doc = parse(input.as_bytes(), Dialect::Jcs, &mut tape).expect("valid");
        let mut want = Vec::new();
        emit_members(doc.root().members(), Dialect::Jcs, &mut want).expect("emit");
        prop_assert_eq!(got, want, "input {}", input);
    }
}
