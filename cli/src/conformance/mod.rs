//! The conformance runner: every vector file payseal covers, one case per line.
//!
//! Each covered file maps to a case function that receives the parsed line and says whether
//! payseal agrees with the reference engine. Fields a runner does not know are ignored; an
//! `expect` (or `error`) value it does not know is a failure, so that a new vocabulary is never
//! silently accepted. A panic inside a case is caught and counted as a failure.

use std::fs;
use std::io::Write;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use serde_json::Value;

mod bcrypt;
mod eupay_qr;
mod fields;
mod json;
mod jws;
mod paylands;
mod webhooks;

pub use fields::Fields;

/// One case's verdict: `Ok(())` when payseal agrees, otherwise what differed.
pub type CaseResult = Result<(), String>;

/// A runner for one vector file.
pub type CaseFn = fn(&Fields<'_>) -> CaseResult;

/// Every vector file payseal covers, with its runner. Later capabilities add their line here.
pub const COVERED: &[(&str, CaseFn)] = &[
    ("json_js.jsonl", json::js_case),
    ("json_php.jsonl", json::php_case),
    ("jcs.jsonl", json::jcs_case),
    ("bcrypt.jsonl", bcrypt::case),
    ("eupay_webhook.jsonl", webhooks::eupay_case),
    ("webhooks_more.jsonl", webhooks::more_case),
    ("paylands.jsonl", paylands::case),
    ("eupay_qr_sign.jsonl", eupay_qr::sign_case),
    ("eupay_qr_verify.jsonl", eupay_qr::verify_case),
    ("jws.jsonl", jws::case),
];

/// The tally of one file.
#[derive(Debug, Default)]
pub struct FileReport {
    /// The file's name.
    pub name: String,
    /// Cases that agreed.
    pub passed: usize,
    /// Ids (and reasons) of cases that did not.
    pub failures: Vec<(String, String)>,
    /// Set when the file could not be read at all.
    pub unreadable: Option<String>,
}

/// Runs one file's cases.
pub fn run_file(path: &Path, case: CaseFn) -> FileReport {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let mut report = FileReport { name, ..FileReport::default() };
    let text = match fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            report.unreadable = Some(e.to_string());
            return report;
        }
    };
    for (lineno, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let parsed: Value = match serde_json::from_str(line) {
            Ok(v) => v,
            Err(e) => {
                report.failures.push((format!("line {}", lineno + 1), format!("unparsable line: {e}")));
                continue;
            }
        };
        let id = parsed.get("id").and_then(Value::as_str).map_or_else(|| format!("line {}", lineno + 1), str::to_owned);
        let fields = Fields::new(&parsed);
        let verdict = catch_unwind(AssertUnwindSafe(|| case(&fields))).unwrap_or_else(|_| Err("panicked".to_owned()));
        match verdict {
            Ok(()) => report.passed += 1,
            Err(why) => report.failures.push((id, why)),
        }
    }
    report
}

/// Runs every covered file in `dir`, printing one line per file, the ids of the first 20
/// failures, the files not covered yet, and a last `N passed, M failed` line. Returns true when
/// nothing failed, every covered file present was readable and at least one was present.
///
/// A covered file that is absent fails the run when `require_all` is set (the project's own
/// suite on `../shared/vectors`: a missing vector file never skips); without it the absence is
/// printed and the run goes on, because another folder in the same formats may hold only some
/// of the files.
pub fn run_dir(dir: &Path, require_all: bool, out: &mut dyn Write) -> std::io::Result<bool> {
    let mut ok = true;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut shown = 0usize;
    let mut seen_any = false;
    for (name, case) in COVERED {
        let path = dir.join(name);
        if !path.exists() {
            if require_all {
                writeln!(out, "{name}: MISSING from {} (a covered file must be present)", dir.display())?;
                ok = false;
                failed += 1;
            } else {
                writeln!(out, "{name}: absent from {}", dir.display())?;
            }
            continue;
        }
        seen_any = true;
        let report = run_file(&path, *case);
        if let Some(e) = &report.unreadable {
            writeln!(out, "{name}: unreadable: {e}")?;
            ok = false;
            failed += 1;
            continue;
        }
        writeln!(out, "{}: {} passed, {} failed", report.name, report.passed, report.failures.len())?;
        for (id, why) in &report.failures {
            if shown < 20 {
                writeln!(out, "  FAIL {id}: {why}")?;
                shown += 1;
            }
        }
        passed += report.passed;
        failed += report.failures.len();
        if !report.failures.is_empty() {
            ok = false;
        }
    }
    if let Ok(entries) = fs::read_dir(dir) {
        let mut skipped: Vec<String> = entries
            .filter_map(Result::ok)
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".jsonl") && !COVERED.iter().any(|(c, _)| c == n))
            .collect();
        skipped.sort();
        for n in skipped {
            writeln!(out, "{n}: not covered yet, skipped")?;
        }
    } else {
        writeln!(out, "cannot read directory {}", dir.display())?;
        ok = false;
    }
    if !seen_any {
        writeln!(out, "no covered vector file found in {}", dir.display())?;
        ok = false;
    }
    writeln!(out, "{passed} passed, {failed} failed")?;
    Ok(ok && failed == 0)
}
