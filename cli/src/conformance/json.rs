//! `json_js.jsonl`, `json_php.jsonl` and `jcs.jsonl`: canonical output or the error kind.

use payseal::json::{canonicalize_to_vec, Dialect};

use super::fields::unknown;
use super::{CaseResult, Fields};

const JS_ERRORS: &[&str] = &["syntax", "invalid_utf8", "duplicate_key", "depth", "number_range"];
const PHP_ERRORS: &[&str] = &["syntax", "invalid_utf8", "duplicate_key", "depth", "number_range", "lone_surrogate"];
const JCS_ERRORS: &[&str] = PHP_ERRORS;

/// A `json_js.jsonl` case.
pub fn js_case(f: &Fields<'_>) -> CaseResult {
    case(f, Dialect::Js, JS_ERRORS)
}

/// A `json_php.jsonl` case (default flags).
pub fn php_case(f: &Fields<'_>) -> CaseResult {
    case(f, Dialect::php_default(), PHP_ERRORS)
}

/// A `jcs.jsonl` case (RFC 8785).
pub fn jcs_case(f: &Fields<'_>) -> CaseResult {
    case(f, Dialect::Jcs, JCS_ERRORS)
}

fn case(f: &Fields<'_>, dialect: Dialect, known_errors: &[&str]) -> CaseResult {
    let input = f.b64("input_b64")?;
    let got = canonicalize_to_vec(&input, dialect);
    match (f.opt_b64("output_b64")?, f.opt_str("error")) {
        (Some(want), None) => match got {
            Ok(out) if out == want => Ok(()),
            Ok(out) => Err(format!(
                "output {:?}, expected {:?}",
                String::from_utf8_lossy(&out),
                String::from_utf8_lossy(&want)
            )),
            Err(e) => Err(format!("error {}, expected output {:?}", e.code(), String::from_utf8_lossy(&want))),
        },
        (None, Some(code)) => {
            if !known_errors.contains(&code) {
                return Err(unknown("error", code));
            }
            match got {
                Err(e) if e.code() == code => Ok(()),
                Err(e) => Err(format!("error {}, expected {code}", e.code())),
                Ok(out) => Err(format!("output {:?}, expected error {code}", String::from_utf8_lossy(&out))),
            }
        }
        _ => Err("line has neither `output_b64` nor `error` (or both)".to_owned()),
    }
}
