//! Canonicalising into a caller buffer or a SHA-256 sink allocates nothing: a counting global
//! allocator watches every call.

mod counting;

use payseal::json::{canonicalize, canonicalize_into, sorted_duplicate_checks, Dialect, Node, Tape};
use sha2::{Digest, Sha256};

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
    for i in 0..80 {
        wide.push_str(&format!(",\"k{i}\":{i}"));
    }
    wide.push_str(",\"2\":[]}");
    for dialect in [Dialect::Js, Dialect::php_default()] {
        assert_eq!(sorted_duplicate_checks(wide.as_bytes(), dialect), (Ok(()), 1), "the sorted path is reached");
    }
    let inputs = [input.as_slice(), wide.as_bytes()];

    let mut scratch = vec![Node::default(); Tape::required_len(input.len().max(wide.len()))];
    let mut out = vec![0u8; 4 * input.len() + 1024];
    let dialects = [Dialect::Js, Dialect::php_default(), Dialect::php_unescaped(), Dialect::Jcs];

    let ((), allocated) = counting::allocations(|| {
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
    });
    assert_eq!(allocated, 0, "canonicalisation allocated {allocated} times");
}

#[test]
fn the_counter_sees_allocations() {
    let (v, n) = counting::allocations(|| payseal::json::canonicalize_to_vec(b"[1]", Dialect::Js));
    assert_eq!(v.as_deref(), Ok(&b"[1]"[..]));
    assert!(n >= 1, "an allocating call must be counted");
}
