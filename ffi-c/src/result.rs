//! Result codes: one per outcome a caller can act on, numbered once and never renumbered.
//!
//! Ranges: 0–9 calling convention and general failures, 10–19 JSON input errors, 20–29
//! verification outcomes, 30–39 webhook transport outcomes, 40–49 API secrets, keys and table
//! links. New outcomes take the next free number of their range (or a new range from 50); a
//! released number keeps its meaning forever.

use core::ffi::c_char;
use core::ffi::CStr;

use payseal::encoding::EncodingError;
use payseal::json;
use payseal::paylands;
use payseal::secrets::bcrypt::BcryptError;
use payseal::secrets::keys::{InvalidTableLink, KeyError as ApiKeyError};
use payseal::secrets::RandomnessError;
use payseal::webhooks;

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
    /// The key is unusable (for example empty, or not in the scheme's key format).
    PAYSEAL_INVALID_KEY = 6,
    /// The operating system's random generator failed (salts, keys, tokens).
    PAYSEAL_RANDOMNESS = 7,
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
    /// Webhook: a header lists more signatures than payseal looks at (8).
    PAYSEAL_TOO_MANY_SIGNATURES = 35,
    /// Webhook: a header, body or document exceeds a documented size limit.
    PAYSEAL_TOO_LARGE = 36,
    /// bcrypt: the cost is outside 4..=31.
    PAYSEAL_COST_OUT_OF_RANGE = 40,
    /// bcrypt: the secret to hash is longer than 72 bytes (it is refused, never truncated).
    PAYSEAL_SECRET_TOO_LONG = 41,
    /// bcrypt: the secret to hash contains a NUL byte.
    PAYSEAL_SECRET_CONTAINS_NUL = 42,
    /// API key: not `pk_live_`, `pk_test_`, `sk_live_` or `sk_test_`.
    PAYSEAL_KEY_UNKNOWN_PREFIX = 43,
    /// API key: the body after the prefix is not 32 to 128 characters.
    PAYSEAL_KEY_BAD_LENGTH = 44,
    /// API key: the body has a character outside `[A-Za-z0-9]`.
    PAYSEAL_KEY_BAD_CHARACTER = 45,
    /// API key pair: one live and one test key.
    PAYSEAL_KEY_ENVIRONMENT_MISMATCH = 46,
    /// API key pair: the publishable half is a secret key.
    PAYSEAL_KEY_NOT_PUBLISHABLE = 47,
    /// API key pair: the secret half is a publishable key.
    PAYSEAL_KEY_NOT_SECRET = 48,
    /// Table link: invalid, or not the merchant's and token on record (deliberately one code).
    PAYSEAL_INVALID_TABLE_LINK = 49,
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
    (R::PAYSEAL_RANDOMNESS, c"randomness", c"the operating system's random generator failed"),
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
    (R::PAYSEAL_TOO_MANY_SIGNATURES, c"too_many_signatures", c"too many signatures in one header"),
    (R::PAYSEAL_TOO_LARGE, c"too_large", c"input exceeds a size limit"),
    (R::PAYSEAL_COST_OUT_OF_RANGE, c"cost_out_of_range", c"bcrypt cost outside 4..31"),
    (R::PAYSEAL_SECRET_TOO_LONG, c"secret_too_long", c"secret longer than bcrypt's 72 bytes"),
    (R::PAYSEAL_SECRET_CONTAINS_NUL, c"secret_contains_nul", c"secret contains a NUL byte"),
    (R::PAYSEAL_KEY_UNKNOWN_PREFIX, c"unknown_prefix", c"unknown API key prefix"),
    (R::PAYSEAL_KEY_BAD_LENGTH, c"bad_length", c"API key body is not 32 to 128 characters"),
    (R::PAYSEAL_KEY_BAD_CHARACTER, c"bad_character", c"API key has a character outside [A-Za-z0-9]"),
    (R::PAYSEAL_KEY_ENVIRONMENT_MISMATCH, c"environment_mismatch", c"the keys mix live and test environments"),
    (R::PAYSEAL_KEY_NOT_PUBLISHABLE, c"not_publishable", c"expected a publishable (pk_) key"),
    (R::PAYSEAL_KEY_NOT_SECRET, c"not_secret", c"expected a secret (sk_) key"),
    (R::PAYSEAL_INVALID_TABLE_LINK, c"invalid_table_link", c"invalid table link"),
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

/// Webhook rejections (the MAC schemes and OPPWA alike).
pub(crate) fn from_webhook(err: webhooks::Error) -> PaysealResult {
    use webhooks::Error as E;
    match err {
        E::MissingHeader { .. } => R::PAYSEAL_MISSING_HEADER,
        E::MalformedHeader { .. } => R::PAYSEAL_MALFORMED_HEADER,
        E::MalformedBody => R::PAYSEAL_MALFORMED_BODY,
        E::BadSignature => R::PAYSEAL_BAD_SIGNATURE,
        E::TimestampTooOld => R::PAYSEAL_TIMESTAMP_TOO_OLD,
        E::TimestampTooNew => R::PAYSEAL_TIMESTAMP_TOO_NEW,
        E::TooManySignatures => R::PAYSEAL_TOO_MANY_SIGNATURES,
        E::TooLarge => R::PAYSEAL_TOO_LARGE,
        // The ABI sizes the plaintext buffer itself, so this would be a payseal bug.
        _ => R::PAYSEAL_INTERNAL,
    }
}

/// Why a webhook key set could not be built.
pub(crate) fn from_webhook_key(err: webhooks::KeyError) -> PaysealResult {
    match err {
        webhooks::KeyError::TooManySecrets => R::PAYSEAL_INVALID_ARGUMENT,
        _ => R::PAYSEAL_INVALID_KEY,
    }
}

/// bcrypt outcomes.
pub(crate) fn from_bcrypt(err: BcryptError) -> PaysealResult {
    match err {
        BcryptError::Mismatch => R::PAYSEAL_MISMATCH,
        BcryptError::MalformedHash => R::PAYSEAL_MALFORMED_HASH,
        BcryptError::CostOutOfRange { .. } => R::PAYSEAL_COST_OUT_OF_RANGE,
        BcryptError::SecretTooLong { .. } => R::PAYSEAL_SECRET_TOO_LONG,
        BcryptError::SecretContainsNul => R::PAYSEAL_SECRET_CONTAINS_NUL,
        BcryptError::Randomness => R::PAYSEAL_RANDOMNESS,
        _ => R::PAYSEAL_INTERNAL,
    }
}

/// API key outcomes.
pub(crate) fn from_api_key(err: ApiKeyError) -> PaysealResult {
    match err {
        ApiKeyError::UnknownPrefix => R::PAYSEAL_KEY_UNKNOWN_PREFIX,
        ApiKeyError::BadLength { .. } => R::PAYSEAL_KEY_BAD_LENGTH,
        ApiKeyError::BadCharacter { .. } => R::PAYSEAL_KEY_BAD_CHARACTER,
        ApiKeyError::EnvironmentMismatch => R::PAYSEAL_KEY_ENVIRONMENT_MISMATCH,
        ApiKeyError::NotPublishable => R::PAYSEAL_KEY_NOT_PUBLISHABLE,
        ApiKeyError::NotSecret => R::PAYSEAL_KEY_NOT_SECRET,
        ApiKeyError::Randomness => R::PAYSEAL_RANDOMNESS,
        _ => R::PAYSEAL_INTERNAL,
    }
}

impl From<InvalidTableLink> for PaysealResult {
    fn from(_: InvalidTableLink) -> Self {
        R::PAYSEAL_INVALID_TABLE_LINK
    }
}

impl From<RandomnessError> for PaysealResult {
    fn from(_: RandomnessError) -> Self {
        R::PAYSEAL_RANDOMNESS
    }
}

/// Paylands outcomes, as the core names them: JSON that does not parse is `malformed` too.
pub(crate) fn from_paylands(err: paylands::Error) -> PaysealResult {
    match err {
        paylands::Error::Mismatch => R::PAYSEAL_MISMATCH,
        // The ABI's tape grows as needed: a scratch error would be a payseal bug.
        paylands::Error::Json(json::Error::ScratchTooSmall { .. } | json::Error::BufferTooSmall { .. }) => {
            R::PAYSEAL_INTERNAL
        }
        paylands::Error::Malformed(_) | paylands::Error::Json(_) => R::PAYSEAL_MALFORMED,
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
        assert_eq!(R::PAYSEAL_RANDOMNESS as u32, 7);
        assert_eq!(R::PAYSEAL_TOO_LARGE as u32, 36);
        assert_eq!(R::PAYSEAL_INVALID_TABLE_LINK as u32, 49);
    }

    #[test]
    fn names_match_the_cores_codes() {
        // SAFETY: payseal_result_name returns a static NUL-terminated string.
        let name = |c: PaysealResult| unsafe { CStr::from_ptr(payseal_result_name(c as u32)) }.to_str().unwrap_or("");
        for e in [webhooks::Error::BadSignature, webhooks::Error::TooLarge, webhooks::Error::TooManySignatures] {
            assert_eq!(name(from_webhook(e)), e.code());
        }
        for e in [BcryptError::Mismatch, BcryptError::MalformedHash, BcryptError::SecretContainsNul] {
            assert_eq!(name(from_bcrypt(e)), e.code());
        }
        for e in [ApiKeyError::UnknownPrefix, ApiKeyError::BadLength { len: 1 }, ApiKeyError::NotSecret] {
            assert_eq!(name(from_api_key(e)), e.code());
        }
        assert_eq!(name(from_paylands(paylands::Error::Mismatch)), "mismatch");
        assert_eq!(name(from_paylands(paylands::Error::Json(json::Error::Syntax { offset: 0 }))), "malformed");
    }

    #[test]
    fn names_and_descriptions() {
        // SAFETY: both functions return pointers to static NUL-terminated strings.
        let name = |c| unsafe { CStr::from_ptr(payseal_result_name(c)) }.to_str().unwrap_or("");
        assert_eq!(name(0), "ok");
        assert_eq!(name(12), "duplicate_key");
        assert_eq!(name(8), "unknown");
        assert_eq!(name(u32::MAX), "unknown");
        // SAFETY: as above.
        let desc = unsafe { CStr::from_ptr(payseal_result_describe(9999)) };
        assert_eq!(desc.to_bytes(), b"unknown result code");
    }
}
