//! Canonicalising into a caller buffer or a SHA-256 sink allocates nothing: a counting global
//! allocator watches every call.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use payseal::json::{canonicalize, canonicalize_into, Dialect, Node, Tape};
use sha2::{Digest, Sha256};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator unchanged; only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn fixture() -> Vec<u8> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures/notification-3k5.json");
    std::fs::read(path).unwrap_or_else(|_| {
        // Fallback when the shared fixtures are absent: a document with every feature.
        br#"{"b":[1,2.5,-0,1e21,"caf\u00e9 / \ud83d\ude00"],"1":{"0":"x","k":{}},"0":null,"s":"\/"}"#.to_vec()
    })
}

#[test]
fn canonicalising_into_caller_memory_allocates_nothing() {
    let input = fixture();
    // A document with reordered keys (order area) and many members (sorted duplicate check).
    let mut wide = String::from("{\"9\":0,\"x\":1");
    for i in 0..40 {
        wide.push_str(&format!(",\"k{i}\":{i}"));
    }
    wide.push_str(",\"2\":[]}");
    let inputs = [input.as_slice(), wide.as_bytes()];

    let mut scratch = vec![Node::default(); Tape::required_len(input.len().max(wide.len()))];
    let mut out = vec![0u8; 4 * input.len() + 1024];
    let dialects = [Dialect::Js, Dialect::php_default(), Dialect::php_unescaped()];

    let before = ALLOCATIONS.load(Ordering::SeqCst);
    for doc in inputs {
        for dialect in dialects {
            let mut tape = Tape::from_slice(&mut scratch);
            let n = canonicalize_into(doc, dialect, &mut tape, &mut out).expect("valid fixture");
            assert!(n > 0);
            let mut hasher = Sha256::new();
            let mut tape = Tape::from_slice(&mut scratch);
            canonicalize(doc, dialect, &mut tape, &mut hasher).expect("valid fixture");
            let _ = hasher.finalize();
        }
    }
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    assert_eq!(after - before, 0, "canonicalisation allocated {} times", after - before);
}
