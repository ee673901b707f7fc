//! Properties of `payseal::paylands`: any body in both modes and all flag policies (typed
//! errors; a slice tape of `Tape::required_len` entries gives the owned tape's answer), the
//! hashed JSON rebuilt independently from the document (PHP's array semantics), the digest
//! recomputed with `sha2`, and a body carrying its own correct `validation_hash` verifies
//! (either case) while a changed hash does not.

use payseal::json::{canonicalize_to_vec, parse, Dialect, Kind, Node, Tape, Value};
use payseal::paylands::{self, Error, Flags, FlagsPolicy, Matched, Mode, SignatureKey, Verifier};
use sha2::{Digest, Sha256};

const SIGNATURE: &[u8] = b"Gq3xV0L2hT7bP9sK1mN4cR8wZ6yA5dE0";
const MODES: [Mode; 2] = [Mode::Notification, Mode::Response];
const FLAGS: [Flags; 2] = [Flags::Default, Flags::Unescaped];
const ENVELOPE: [&str; 4] = ["message", "code", "current_time", "validation_hash"];

fn key() -> SignatureKey {
    SignatureKey::new(SIGNATURE).expect("a valid signature")
}

pub fn run(body: &[u8]) {
    let key = key();
    let mut verifier = Verifier::new(key);
    for mode in MODES {
        for policy in [FlagsPolicy::Auto, FlagsPolicy::Only(Flags::Default), FlagsPolicy::Only(Flags::Unescaped)] {
            let owned = verifier.verify(body, mode, policy);
            let mut nodes = vec![Node::default(); Tape::required_len(body.len())];
            let fixed = paylands::verify(body, mode, policy, &self::key(), &mut Tape::from_slice(&mut nodes));
            assert_eq!(fixed, owned, "slice tape and owned tape disagree");
            if let Err(Error::Json(e)) = owned {
                assert_eq!(canonicalize_to_vec(body, Dialect::php_default()).err(), Some(e));
            }
            assert_ne!(owned.as_ref().map_err(Error::code).err(), Some("scratch_too_small"));
        }
        for flags in FLAGS {
            check_digest(&mut verifier, body, mode, flags);
        }
    }
}

/// The data Paylands hashes, rebuilt from the document: notification mode picks `order`,
/// `client` (`null` when absent) and `extra_data` (when present); response mode drops the
/// envelope members and prints what is left as PHP prints an array (a list when the keys are
/// exactly "0".."n-1", `[]` when empty).
fn expected_data(body: &[u8], mode: Mode, flags: Flags) -> Option<Vec<u8>> {
    let dialect = flags.dialect();
    let mut tape = Tape::new();
    let doc = parse(body, Dialect::php_default(), &mut tape).ok()?;
    let root = doc.root();
    if root.kind() != Kind::Object {
        return None;
    }
    let emit = |v: &Value<'_>| {
        let mut out = Vec::new();
        v.emit(dialect, &mut out).expect("emit");
        out
    };
    let decoded = |raw_len: usize, f: &dyn Fn(&mut [u8]) -> usize| {
        let mut buf = vec![0u8; raw_len];
        let n = f(&mut buf);
        buf.truncate(n);
        buf
    };
    let members: Vec<(Vec<u8>, Vec<u8>, Vec<u8>)> = root
        .members()
        .map(|(k, v)| {
            let name = decoded(k.raw().len(), &|b| k.decode(b).expect("decode key"));
            let mut printed = Vec::new();
            k.emit(dialect, &mut printed).expect("emit key");
            (name, printed, emit(&v))
        })
        .collect();
    let find = |name: &str| members.iter().find(|(n, _, _)| n == name.as_bytes()).map(|(_, _, v)| v.clone());
    let mut out = Vec::new();
    match mode {
        Mode::Notification => {
            let order = find("order")?;
            out.extend_from_slice(b"{\"order\":");
            out.extend_from_slice(&order);
            out.extend_from_slice(b",\"client\":");
            out.extend_from_slice(&find("client").unwrap_or_else(|| b"null".to_vec()));
            if let Some(extra) = find("extra_data") {
                out.extend_from_slice(b",\"extra_data\":");
                out.extend_from_slice(&extra);
            }
            out.push(b'}');
        }
        _ => {
            let kept: Vec<_> = members.iter().filter(|(n, _, _)| !ENVELOPE.iter().any(|e| n == e.as_bytes())).collect();
            let list = kept.iter().enumerate().all(|(i, (n, _, _))| *n == i.to_string().into_bytes());
            out.push(if list { b'[' } else { b'{' });
            for (i, (_, printed, value)) in kept.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                if !list {
                    out.extend_from_slice(printed);
                    out.push(b':');
                }
                out.extend_from_slice(value);
            }
            out.push(if list { b']' } else { b'}' });
        }
    }
    Some(out)
}

fn check_digest(verifier: &mut Verifier, body: &[u8], mode: Mode, flags: Flags) {
    let mut data = Vec::new();
    let encoded = paylands::encode_data(body, mode, flags, &mut Tape::new(), &mut data);
    let digest = verifier.digest(body, mode, flags);
    assert_eq!(encoded.is_ok(), digest.is_ok(), "encode_data and digest disagree");
    let Ok(digest) = digest else { return };
    assert_eq!(Some(&data), expected_data(body, mode, flags).as_ref(), "hashed data ({mode:?}, {flags:?})");
    let expected: [u8; 32] = Sha256::new().chain_update(&data).chain_update(SIGNATURE).finalize().into();
    assert_eq!(digest, expected, "digest is not sha256(data . signature)");
    let mut hex = [0u8; 64];
    verifier.hash_hex(body, mode, flags, &mut hex).expect("hash_hex after digest");
    let hex = String::from_utf8(hex.to_vec()).expect("hex");

    // The body with its own hash added (when it has none) verifies; so does the upper-case
    // hash; a changed hash does not.
    let mut tape = Tape::new();
    let Ok(doc) = parse(body, Dialect::php_default(), &mut tape) else { return };
    let root = doc.root();
    if root.members().any(|(k, _)| k.str_eq("validation_hash")) {
        return;
    }
    let Some(open) = body.iter().position(|&b| b == b'{') else { return };
    let with = |h: &str| {
        let sep = if root.is_empty() { "" } else { "," };
        [&body[..=open], format!("\"validation_hash\":\"{h}\"{sep}").as_bytes(), &body[open + 1..]].concat()
    };
    let signed = with(&hex);
    let result = verifier.verify(&signed, mode, FlagsPolicy::Only(flags));
    assert_eq!(result, Ok(Matched { flags }), "self-signed body: {}", String::from_utf8_lossy(&signed));
    let auto = verifier.verify(&signed, mode, FlagsPolicy::Auto).expect("auto accepts what one flag set accepts");
    if flags == Flags::Default {
        assert_eq!(auto.flags, Flags::Default);
    }
    assert!(verifier.verify(&with(&hex.to_uppercase()), mode, FlagsPolicy::Only(flags)).is_ok(), "upper-case hash");
    let mut changed = hex.into_bytes();
    changed[17] = if changed[17] == b'0' { b'1' } else { b'0' };
    let changed = String::from_utf8(changed).expect("hex");
    assert_eq!(verifier.verify(&with(&changed), mode, FlagsPolicy::Auto), Err(Error::Mismatch));
}
