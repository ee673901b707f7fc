//! Edge cases of member selection, `validation_hash` parsing and error kinds, plus properties
//! (sign then verify; any change to hashed data is caught).

use payseal::json::{self, Node, Tape};
use payseal::paylands::{self, encode_data, Error, Flags, FlagsPolicy, Malformed, Mode, SignatureKey};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

fn key() -> SignatureKey {
    SignatureKey::new(b"s1gnature").expect("valid key")
}

fn data(body: &str, mode: Mode, flags: Flags) -> Result<String, Error> {
    let mut out = Vec::new();
    encode_data(body.as_bytes(), mode, flags, &mut Tape::new(), &mut out)?;
    Ok(String::from_utf8(out).expect("utf-8"))
}

fn hex_of(preimage: &str) -> String {
    Sha256::digest(preimage.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// `body` (an object's members, without braces) plus a `validation_hash` member.
fn with_hash(members: &str, hash: &str) -> String {
    format!(r#"{{{members},"validation_hash":"{hash}"}}"#)
}

fn verify(body: &str, mode: Mode, flags: FlagsPolicy) -> Result<paylands::Matched, Error> {
    paylands::verify(body.as_bytes(), mode, flags, &key(), &mut Tape::new())
}

#[test]
fn notification_members_in_fixed_order_whatever_the_document_order() {
    let body = r#"{"extra_data":{"b":2},"validation_hash":"x","client":{"c":1},"code":200,"order":{"o":1}}"#;
    assert_eq!(
        data(body, Mode::Notification, Flags::Default).ok().as_deref(),
        Some(r#"{"order":{"o":1},"client":{"c":1},"extra_data":{"b":2}}"#)
    );
}

#[test]
fn extra_data_present_with_null_is_hashed_and_absent_is_skipped() {
    let with_null = r#"{"order":1,"client":2,"extra_data":null}"#;
    assert_eq!(
        data(with_null, Mode::Notification, Flags::Default).ok().as_deref(),
        Some(r#"{"order":1,"client":2,"extra_data":null}"#)
    );
    let absent = r#"{"order":1,"client":2}"#;
    assert_eq!(data(absent, Mode::Notification, Flags::Default).ok().as_deref(), Some(r#"{"order":1,"client":2}"#));
}

#[test]
fn absent_client_reads_as_null_like_php() {
    assert_eq!(
        data(r#"{"order":[]}"#, Mode::Notification, Flags::Default).ok().as_deref(),
        Some(r#"{"order":[],"client":null}"#)
    );
}

#[test]
fn escaped_member_names_are_found() {
    let body = r#"{"\u006frder":{"a":"\/"},"cli\u0065nt":{}}"#;
    assert_eq!(
        data(body, Mode::Notification, Flags::Default).ok().as_deref(),
        Some(r#"{"order":{"a":"\/"},"client":[]}"#)
    );
    assert_eq!(
        data(body, Mode::Notification, Flags::Unescaped).ok().as_deref(),
        Some(r#"{"order":{"a":"/"},"client":[]}"#)
    );
}

#[test]
fn response_mode_drops_the_envelope_and_keeps_document_order() {
    let body = r#"{"message":"OK","b":1,"code":200,"a":"é","current_time":"t","validation_hash":"h"}"#;
    assert_eq!(data(body, Mode::Response, Flags::Default).ok().as_deref(), Some(r#"{"b":1,"a":"\u00e9"}"#));
    assert_eq!(data(body, Mode::Response, Flags::Unescaped).ok().as_deref(), Some(r#"{"b":1,"a":"é"}"#));
}

#[test]
fn response_mode_prints_php_lists_and_empty_arrays() {
    let list = r#"{"message":"OK","0":"a","code":1,"1":"b","validation_hash":"h"}"#;
    assert_eq!(data(list, Mode::Response, Flags::Default).ok().as_deref(), Some(r#"["a","b"]"#));
    let not_list = r#"{"1":"a","0":"b"}"#;
    assert_eq!(data(not_list, Mode::Response, Flags::Default).ok().as_deref(), Some(r#"{"1":"a","0":"b"}"#));
    let empty = r#"{"message":"OK","code":200,"validation_hash":"h"}"#;
    assert_eq!(data(empty, Mode::Response, Flags::Default).ok().as_deref(), Some("[]"));
}

#[test]
fn verifies_either_case_and_reports_the_flags_that_matched() {
    let members = r#""order":{"ref":"a/b","name":"Zoë"},"client":{"uuid":"C1"}"#;
    let unescaped = hex_of(r#"{"order":{"ref":"a/b","name":"Zoë"},"client":{"uuid":"C1"}}s1gnature"#);
    let body = with_hash(members, &unescaped.to_uppercase());
    assert_eq!(verify(&body, Mode::Notification, FlagsPolicy::Auto).map(|m| m.flags), Ok(Flags::Unescaped));
    assert_eq!(
        verify(&body, Mode::Notification, FlagsPolicy::Only(Flags::Unescaped)).map(|m| m.flags),
        Ok(Flags::Unescaped)
    );
    assert_eq!(verify(&body, Mode::Notification, FlagsPolicy::Only(Flags::Default)), Err(Error::Mismatch));
    let default = hex_of(r#"{"order":{"ref":"a\/b","name":"Zo\u00eb"},"client":{"uuid":"C1"}}s1gnature"#);
    let body = with_hash(members, &default);
    assert_eq!(verify(&body, Mode::Notification, FlagsPolicy::Auto).map(|m| m.flags), Ok(Flags::Default));
    assert_eq!(verify(&body, Mode::Notification, FlagsPolicy::Only(Flags::Unescaped)), Err(Error::Mismatch));
}

#[test]
fn validation_hash_may_use_json_escapes() {
    let h = hex_of(r#"{"order":1,"client":2}s1gnature"#);
    let escaped: String = h.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
    let body = with_hash(r#""order":1,"client":2"#, &escaped);
    assert!(verify(&body, Mode::Notification, FlagsPolicy::Auto).is_ok());
}

#[test]
fn malformed_cases() {
    let m = |body: &str, mode| verify(body, mode, FlagsPolicy::Auto).err();
    let h = "0".repeat(64);
    assert_eq!(m("[1]", Mode::Notification), Some(Error::Malformed(Malformed::NotAnObject)));
    assert_eq!(m(r#""x""#, Mode::Response), Some(Error::Malformed(Malformed::NotAnObject)));
    assert_eq!(m(r#"{"order":1}"#, Mode::Notification), Some(Error::Malformed(Malformed::MissingValidationHash)));
    let not_string = format!(r#"{{"order":1,"validation_hash":{}}}"#, "1".repeat(64));
    assert_eq!(m(&not_string, Mode::Notification), Some(Error::Malformed(Malformed::ValidationHashNotString)));
    assert_eq!(
        m(r#"{"order":1,"validation_hash":null}"#, Mode::Notification),
        Some(Error::Malformed(Malformed::ValidationHashNotString))
    );
    for bad in [&h[1..], &format!("{h}0"), &format!("g{}", &h[1..]), "", &format!(" {}", &h[1..])] {
        let body = with_hash(r#""order":1"#, bad);
        assert_eq!(m(&body, Mode::Notification), Some(Error::Malformed(Malformed::ValidationHashNotHex)), "{bad:?}");
    }
    let no_order = with_hash(r#""client":1"#, &h);
    assert_eq!(m(&no_order, Mode::Notification), Some(Error::Malformed(Malformed::MissingOrder)));
    assert_eq!(m(&no_order, Mode::Response), Some(Error::Mismatch));
    let err = m(r#"{"order":1,"order":2}"#, Mode::Notification);
    assert!(matches!(err, Some(Error::Json(json::Error::DuplicateKey { .. }))), "{err:?}");
    assert_eq!(err.map(|e| e.code()), Some("malformed"));
    assert_eq!(m("{\"order\":1", Mode::Notification).map(|e| e.code()), Some("malformed"));
    assert_eq!(m("", Mode::Notification).map(|e| e.code()), Some("malformed"));
}

#[test]
fn a_small_tape_is_a_caller_error_not_a_malformed_notification() {
    let h = "0".repeat(64);
    let body = with_hash(r#""order":{"a":[1,2,3,4,5,6,7,8]},"client":1"#, &h);
    let mut scratch = [Node::default(); 6];
    let err = paylands::verify(
        body.as_bytes(),
        Mode::Notification,
        FlagsPolicy::Auto,
        &key(),
        &mut Tape::from_slice(&mut scratch),
    );
    assert!(matches!(err, Err(Error::Json(json::Error::ScratchTooSmall { .. }))), "{err:?}");
    assert_eq!(err.err().map(|e| e.code()), Some("scratch_too_small"));
}

#[test]
fn hash_ignores_the_bodys_own_validation_hash() {
    let mut a = [0u8; 64];
    let mut b = [0u8; 64];
    let k = key();
    paylands::hash_hex(br#"{"order":1,"client":2}"#, Mode::Notification, Flags::Default, &k, &mut Tape::new(), &mut a)
        .expect("hash");
    paylands::hash_hex(
        br#"{"order":1,"client":2,"validation_hash":7}"#,
        Mode::Notification,
        Flags::Default,
        &k,
        &mut Tape::new(),
        &mut b,
    )
    .expect("hash");
    assert_eq!(a, b);
    assert_eq!(std::str::from_utf8(&a).ok(), Some(hex_of(r#"{"order":1,"client":2}s1gnature"#).as_str()));
}

/// A small JSON value generator for the properties.
fn json_value() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        Just("null".to_owned()),
        any::<bool>().prop_map(|b| b.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        (-1e6f64..1e6).prop_map(|f| format!("{f:?}")),
        "[a-z/é€😀 ]{0,8}".prop_map(|s| serde_json::to_string(&s).expect("string")),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(|v| format!("[{}]", v.join(","))),
            prop::collection::btree_map("[a-z0-9/]{1,4}", inner, 0..4).prop_map(|m| {
                let members: Vec<String> = m.into_iter().map(|(k, v)| format!("{k:?}:{v}")).collect();
                format!("{{{}}}", members.join(","))
            }),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// What `hash_hex` signs, `verify` accepts with those flags and rejects when any byte of a
    /// hashed string changes.
    #[test]
    fn sign_then_verify(order in json_value(), client in json_value(), unescaped in any::<bool>(), tweak in any::<u8>()) {
        let flags = if unescaped { Flags::Unescaped } else { Flags::Default };
        let k = key();
        let unsigned = format!(r#"{{"order":{order},"client":{client},"note":"{tweak}"}}"#);
        let mut hex = [0u8; 64];
        paylands::hash_hex(unsigned.as_bytes(), Mode::Notification, flags, &k, &mut Tape::new(), &mut hex).expect("hash");
        let hex = std::str::from_utf8(&hex).expect("hex");
        let body = format!(r#"{{"order":{order},"client":{client},"note":"{tweak}","validation_hash":"{hex}"}}"#);
        let got = paylands::verify(body.as_bytes(), Mode::Notification, FlagsPolicy::Only(flags), &k, &mut Tape::new());
        prop_assert_eq!(got.map(|m| m.flags), Ok(flags));
        let tampered = body.replacen(r#""order":"#, r#""order":[0,"#, 1).replacen(r#","client""#, r#"],"client""#, 1);
        let got = paylands::verify(tampered.as_bytes(), Mode::Notification, FlagsPolicy::Auto, &k, &mut Tape::new());
        prop_assert_eq!(got, Err(Error::Mismatch));
    }
}
