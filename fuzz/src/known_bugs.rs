//! Open core bugs the targets have found, each with an ignored regression test in
//! `core/tests/fuzz_regressions.rs`. The checks tolerate exactly those symptoms (through a
//! function here, called where the property is checked) so that fuzzing keeps looking for new
//! ones; `PAYSEAL_FUZZ_STRICT=1` turns the tolerance off (to confirm a fix, or to reproduce).
//! Remove an entry when its test loses its `#[ignore]`.
//!
//! No bug is open: the five found so far (`str_eq` reading its query as escapes, the
//! `required_len` tape on invalid input, seen directly and through EU Pay and Paylands, and
//! duplicate-key offsets out of document order) are fixed, and their tests run.

/// True unless `PAYSEAL_FUZZ_STRICT` is set (to anything but `0`): known bugs are tolerated.
#[must_use]
pub fn tolerated() -> bool {
    static STRICT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    !*STRICT.get_or_init(|| std::env::var_os("PAYSEAL_FUZZ_STRICT").is_some_and(|v| v != "0"))
}
