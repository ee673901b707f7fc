//! Result codes: one per outcome a caller can act on, numbered once and never renumbered.
//!
//! Ranges: 0–9 calling convention and general failures, 10–19 JSON input errors, 20–29
//! verification outcomes, 30–39 webhook transport outcomes. New outcomes take the next free
//! number of their range (or a new range from 40); a released number keeps its meaning forever.

use core::ffi::c_char;
use core::ffi::CStr;

use payseal::encoding::EncodingError;
use payseal::json;

/// What a payseal call did. `PAYSEAL_OK` (0) is success; every other value names one outcome.
/// Functions return it as `uint32_t`; `payseal_result_name` and `payseal_result_describe`
/// turn it into text.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealResult {
    /// Success.
    PAYSEAL_OK = 0,
    /// The output buffer is too small; `*out_written` holds the size needed. Nothing was written.
    PAYSEAL_BUFFER_TOO_SMALL = 1,
    /// A required pointer was NULL (a NULL data pointer is accepted only with a zero length).
    PAYSEAL_NULL_POINTER = 2,
    /// An argument is out of range: unknown dialect or flag, overlapping buffers, a length
    /// above `PTRDIFF_MAX`.
    PAYSEAL_INVALID_ARGUMENT = 3,
    /// A bug in payseal was caught at the ABI boundary (a Rust panic); nothing was written.
    PAYSEAL_INTERNAL = 4,
    /// The input is not valid hex or base64url.
    PAYSEAL_INVALID_ENCODING = 5,
    /// The key is unusable (for example empty).
    PAYSEAL_INVALID_KEY = 6,
    /// JSON: not JSON (RFC 8259 grammar as JavaScript and PHP read it).
    PAYSEAL_JSON_SYNTAX = 10,
    /// JSON: the input is not valid UTF-8.
    PAYSEAL_JSON_INVALID_UTF8 = 11,
    /// JSON: an object has the same key twice.
    PAYSEAL_JSON_DUPLICATE_KEY = 12,
    /// JSON: nesting deeper than the dialect allows.
    PAYSEAL_JSON_DEPTH = 13,
    /// JSON: a number overflows to infinity.
    PAYSEAL_JSON_NUMBER_RANGE = 14,
    /// JSON: a `\u` escape names a lone UTF-16 surrogate (PHP dialect).
    PAYSEAL_JSON_LONE_SURROGATE = 15,
    /// Verification: the signature or MAC does not match.
    PAYSEAL_BAD_SIGNATURE = 20,
    /// Verification: the signature is good but the document has expired.
    PAYSEAL_EXPIRED = 21,
    /// Verification: the signed document is malformed.
    PAYSEAL_MALFORMED = 22,
    /// Verification: the hash or secret does not match.
    PAYSEAL_MISMATCH = 23,
    /// Verification: the stored hash is malformed.
    PAYSEAL_MALFORMED_HASH = 24,
    /// Webhook: a required header is missing.
    PAYSEAL_MISSING_HEADER = 30,
    /// Webhook: a header is malformed.
    PAYSEAL_MALFORMED_HEADER = 31,
    /// Webhook: the body is malformed.
    PAYSEAL_MALFORMED_BODY = 32,
    /// Webhook: the timestamp is older than the tolerance allows.
    PAYSEAL_TIMESTAMP_TOO_OLD = 33,
    /// Webhook: the timestamp is further in the future than the tolerance allows.
    PAYSEAL_TIMESTAMP_TOO_NEW = 34,
}

use PaysealResult as R;

/// Every code with its short name (the conformance vectors' vocabulary) and its description.
pub(crate) const TABLE: &[(PaysealResult, &CStr, &CStr)] = &[
    (R::PAYSEAL_OK, c"ok", c"success"),
    (R::PAYSEAL_BUFFER_TOO_SMALL, c"buffer_too_small", c"output buffer too small; *out_written holds the size needed"),
    (R::PAYSEAL_NULL_POINTER, c"null_pointer", c"a required pointer is NULL"),
    (R::PAYSEAL_INVALID_ARGUMENT, c"invalid_argument", c"invalid argument"),
    (R::PAYSEAL_INTERNAL, c"internal", c"internal error in payseal (caught at the ABI boundary)"),
    (R::PAYSEAL_INVALID_ENCODING, c"invalid_encoding", c"invalid hex or base64url input"),
    (R::PAYSEAL_INVALID_KEY, c"invalid_key", c"unusable key"),
    (R::PAYSEAL_JSON_SYNTAX, c"syntax", c"JSON syntax error"),
    (R::PAYSEAL_JSON_INVALID_UTF8, c"invalid_utf8", c"JSON input is not valid UTF-8"),
    (R::PAYSEAL_JSON_DUPLICATE_KEY, c"duplicate_key", c"JSON object has a duplicate key"),
    (R::PAYSEAL_JSON_DEPTH, c"depth", c"JSON nesting too deep"),
    (R::PAYSEAL_JSON_NUMBER_RANGE, c"number_range", c"JSON number out of range"),
    (R::PAYSEAL_JSON_LONE_SURROGATE, c"lone_surrogate", c"JSON string escapes a lone UTF-16 surrogate"),
    (R::PAYSEAL_BAD_SIGNATURE, c"bad_signature", c"bad signature"),
    (R::PAYSEAL_EXPIRED, c"expired", c"expired"),
    (R::PAYSEAL_MALFORMED, c"malformed", c"malformed input"),
    (R::PAYSEAL_MISMATCH, c"mismatch", c"mismatch"),
    (R::PAYSEAL_MALFORMED_HASH, c"malformed_hash", c"malformed hash"),
    (R::PAYSEAL_MISSING_HEADER, c"missing_header", c"missing header"),
    (R::PAYSEAL_MALFORMED_HEADER, c"malformed_header", c"malformed header"),
    (R::PAYSEAL_MALFORMED_BODY, c"malformed_body", c"malformed body"),
    (R::PAYSEAL_TIMESTAMP_TOO_OLD, c"timestamp_too_old", c"timestamp too old"),
    (R::PAYSEAL_TIMESTAMP_TOO_NEW, c"timestamp_too_new", c"timestamp too new"),
];

fn lookup(code: u32) -> Option<&'static (PaysealResult, &'static CStr, &'static CStr)> {
    TABLE.iter().find(|(r, _, _)| *r as u32 == code)
}

/// The short, stable name of a result code: `"ok"`, `"buffer_too_small"`, `"syntax"`,
/// `"bad_signature"`, ... (the conformance vectors' vocabulary), or `"unknown"`.
/// The string is static: never free it.
#[no_mangle]
pub extern "C" fn payseal_result_name(code: u32) -> *const c_char {
    lookup(code).map_or(c"unknown", |e| e.1).as_ptr()
}

/// A one-line English description of a result code (static; never free it).
#[no_mangle]
pub extern "C" fn payseal_result_describe(code: u32) -> *const c_char {
    lookup(code).map_or(c"unknown result code", |e| e.2).as_ptr()
}

/// JSON input errors, with the byte offset they carry when they refer to the input.
pub(crate) fn from_json(err: json::Error) -> (PaysealResult, usize) {
    let offset = err.offset().unwrap_or(0);
    let code = match err {
        json::Error::Syntax { .. } => R::PAYSEAL_JSON_SYNTAX,
        json::Error::InvalidUtf8 { .. } => R::PAYSEAL_JSON_INVALID_UTF8,
        json::Error::DuplicateKey { .. } => R::PAYSEAL_JSON_DUPLICATE_KEY,
        json::Error::Depth { .. } => R::PAYSEAL_JSON_DEPTH,
        json::Error::NumberRange { .. } => R::PAYSEAL_JSON_NUMBER_RANGE,
        json::Error::LoneSurrogate { .. } => R::PAYSEAL_JSON_LONE_SURROGATE,
        // The ABI owns the scratch and sizes outputs itself, so these are payseal bugs.
        _ => R::PAYSEAL_INTERNAL,
    };
    (code, offset)
}

/// Encoding errors other than a too-small buffer (the callers size their buffers).
pub(crate) fn from_encoding(err: EncodingError) -> PaysealResult {
    match err {
        EncodingError::Invalid => R::PAYSEAL_INVALID_ENCODING,
        _ => R::PAYSEAL_INTERNAL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_names_are_unique_and_pinned() {
        for (i, (a, na, _)) in TABLE.iter().enumerate() {
            for (b, nb, _) in &TABLE[i + 1..] {
                assert_ne!(*a as u32, *b as u32);
                assert_ne!(na, nb);
            }
        }
        // A few pinned numbers: changing one breaks every deployed caller.
        assert_eq!(R::PAYSEAL_OK as u32, 0);
        assert_eq!(R::PAYSEAL_BUFFER_TOO_SMALL as u32, 1);
        assert_eq!(R::PAYSEAL_JSON_SYNTAX as u32, 10);
        assert_eq!(R::PAYSEAL_BAD_SIGNATURE as u32, 20);
        assert_eq!(R::PAYSEAL_TIMESTAMP_TOO_NEW as u32, 34);
    }

    #[test]
    fn names_and_descriptions() {
        // SAFETY: both functions return pointers to static NUL-terminated strings.
        let name = |c| unsafe { CStr::from_ptr(payseal_result_name(c)) }.to_str().unwrap_or("");
        assert_eq!(name(0), "ok");
        assert_eq!(name(12), "duplicate_key");
        assert_eq!(name(7), "unknown");
        assert_eq!(name(u32::MAX), "unknown");
        // SAFETY: as above.
        let desc = unsafe { CStr::from_ptr(payseal_result_describe(9999)) };
        assert_eq!(desc.to_bytes(), b"unknown result code");
    }
}
