//! The reference engines of the differential tests (`node`, `php`). A differential test that
//! cannot run must not pass: when `PAYSEAL_REQUIRE_NODE=1` / `PAYSEAL_REQUIRE_PHP=1` is set
//! (`scripts/test` sets both once it has installed the engines) a missing engine FAILS the
//! test; only when the variable is unset does the test skip, with a note on stderr.
#![allow(dead_code)]

use std::process::{Command, Stdio};

/// `PAYSEAL_REQUIRE_<BIN>`.
fn require_var(bin: &str) -> String {
    format!("PAYSEAL_REQUIRE_{}", bin.to_ascii_uppercase())
}

/// True when `bin --version` runs. Otherwise [`missing`] (which fails the test when the engine
/// is required) and false: the caller returns.
pub fn available(bin: &str) -> bool {
    let runs = Command::new(bin)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !runs {
        missing(bin);
    }
    runs
}

/// Reports that `bin` cannot run: a failure when `PAYSEAL_REQUIRE_<BIN>=1`, else a note.
pub fn missing(bin: &str) {
    let var = require_var(bin);
    let required = std::env::var(&var).is_ok_and(|v| v == "1");
    assert!(!required, "{var}=1 but `{bin}` does not run (not on PATH?): this differential test must run");
    eprintln!("SKIPPED: `{bin}` does not run (not on PATH?), so this differential test did not run; set {var}=1 to make that a failure");
}
