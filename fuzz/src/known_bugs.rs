//! Open core bugs the targets have found, each with an ignored regression test in
//! `core/tests/fuzz_regressions.rs`. The checks tolerate exactly these symptoms so that fuzzing
//! keeps looking for new ones; `PAYSEAL_FUZZ_STRICT=1` turns the tolerance off (to confirm a
//! fix, or to reproduce). Remove an entry when its test loses its `#[ignore]`.

use payseal::json::Error;

fn strict() -> bool {
    static STRICT: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *STRICT.get_or_init(|| std::env::var_os("PAYSEAL_FUZZ_STRICT").is_some_and(|v| v != "0"))
}

/// `required_len_tape_reports_the_input_error`: a `Tape::required_len` tape runs out on an
/// invalid input of more than one token per two bytes (`[[[[[[[[[[`) and reports
/// `ScratchTooSmall` instead of the input's error.
#[must_use]
pub fn scratch_too_small_on_invalid_input(
    fixed_tape: &Result<usize, Error>,
    reference: &Result<Vec<u8>, Error>,
) -> bool {
    !strict() && matches!(fixed_tape, Err(Error::ScratchTooSmall { .. })) && reference.is_err()
}

/// `str_eq_reads_the_query_as_plain_text`: `str_eq`/`get` decode the caller's query as JSON
/// escapes, so they answer wrongly for a query containing a backslash.
#[must_use]
pub fn str_eq_with_backslash(query: &str) -> bool {
    !strict() && query.contains('\\')
}
