//! Verification over caller scratch allocates nothing: a counting global allocator watches the
//! calls (on this thread only, so the test harness's own allocations do not count).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use payseal::json::{Node, Tape};
use payseal::paylands::{self, Error, Flags, FlagsPolicy, Mode, SignatureKey};

struct Counting;

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    if WATCHING.try_with(Cell::get).unwrap_or(false) {
        let _ = COUNT.try_with(|c| c.set(c.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; counting has no effect
// on the memory returned.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Allocations made by `f` on this thread.
fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    COUNT.with(|c| c.set(0));
    WATCHING.with(|w| w.set(true));
    let out = f();
    WATCHING.with(|w| w.set(false));
    (out, COUNT.with(Cell::get))
}

#[test]
fn verify_with_caller_scratch_allocates_nothing() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures");
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
