//! Verification over caller scratch allocates nothing: a counting global allocator watches the
//! calls (on this thread only, so the test harness's own allocations do not count).

mod counting;

use payseal::json::{Node, Tape};
use payseal::paylands::{self, Error, Flags, FlagsPolicy, Mode, SignatureKey};

use counting::allocations;

#[test]
fn verify_with_caller_scratch_allocates_nothing() {
    let fixtures = std::env::var_os("PAYSEAL_FIXTURES").map_or_else(
        || std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"),
        std::path::PathBuf::from,
    );
    let body = std::fs::read(fixtures.join("paylands-notification.json")).expect("fixture");
    let signature = std::fs::read(fixtures.join("paylands-notification.signature")).expect("fixture");
    let key = SignatureKey::new(&signature).expect("key");
    let mut scratch = vec![Node::default(); Tape::required_len(body.len())];

    // The first call too: nothing is lazily allocated (CPU feature detection included).
    let (got, n) = allocations(|| {
        let mut tape = Tape::from_slice(&mut scratch);
        paylands::verify(&body, Mode::Notification, FlagsPolicy::Only(Flags::Default), &key, &mut tape)
    });
    assert_eq!(got.map(|m| m.flags), Ok(Flags::Default));
    assert_eq!(n, 0, "verify allocated {n} times");

    // Auto on a tampered body hashes twice and fails: still nothing.
    let tampered = String::from_utf8(body.clone()).expect("utf-8").replacen("\"amount\":1", "\"amount\":2", 1);
    let (got, n) = allocations(|| {
        let mut tape = Tape::from_slice(&mut scratch);
        paylands::verify(tampered.as_bytes(), Mode::Notification, FlagsPolicy::Auto, &key, &mut tape)
    });
    assert_eq!(got, Err(Error::Mismatch));
    assert_eq!(n, 0, "verify (auto, mismatch) allocated {n} times");

    let (got, n) = allocations(|| {
        let mut tape = Tape::from_slice(&mut scratch);
        let mut hex = [0u8; 64];
        paylands::hash_hex(&body, Mode::Response, Flags::Unescaped, &key, &mut tape, &mut hex)
    });
    assert!(got.is_ok());
    assert_eq!(n, 0, "hash_hex allocated {n} times");

    // The owning Verifier stops allocating once warm.
    let mut verifier = paylands::Verifier::new(key);
    assert!(verifier.verify(&body, Mode::Notification, FlagsPolicy::Auto).is_ok());
    let (got, n) = allocations(|| verifier.verify(&body, Mode::Notification, FlagsPolicy::Auto));
    assert!(got.is_ok());
    assert_eq!(n, 0, "a warm Verifier allocated {n} times");

    // The counter works.
    let (_, n) = allocations(|| std::hint::black_box(vec![1u8; 16]));
    assert_eq!(n, 1);
}
