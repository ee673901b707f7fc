//! Shared helpers for the criterion benches: the fixtures every language's benchmark uses.

use std::path::PathBuf;

/// `../shared/fixtures` (relative to the repository root), or `PAYSEAL_FIXTURES`.
#[must_use]
pub fn fixtures_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"))
}

/// Reads a fixture by name; panics with a clear message when it is missing (benches only).
#[allow(clippy::panic)]
#[must_use]
pub fn fixture(name: &str) -> Vec<u8> {
    let path = fixtures_dir().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// A JSON document of roughly `size` bytes built by repeating the notification fixture's
/// members inside an array, for size sweeps.
#[must_use]
pub fn json_of_size(size: usize) -> Vec<u8> {
    let unit = br#"{"id":"evt_1937b268813f031a","amount":12345.67,"currency":"EUR","note":"caf\u00e9 / th\u00e9","tags":["a","b"],"meta":{"0":"x","k":null}}"#;
    let mut out = b"[".to_vec();
    while out.len() + unit.len() + 1 < size.max(unit.len() + 2) {
        if out.len() > 1 {
            out.push(b',');
        }
        out.extend_from_slice(unit);
    }
    out.push(b']');
    out
}
