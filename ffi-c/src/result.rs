//! Result codes: the C ABI's view of the one table of outcomes, [`payseal::codes::CODES`].
//!
//! `PaysealResult` stays a literal `#[repr(u32)]` enum because cbindgen reads the source (it
//! does not expand macros); a test checks every variant against the core's table (same number,
//! same name) and every row the C ABI can return against the enum. Names, messages and classes
//! (`payseal_result_name`, `_describe`, `_class`) are read from the core's table, and core
//! errors become codes through [`ErrorCode::entry`], never through a hand-written match.
//! Numbers are never renumbered or reused.

use core::ffi::{c_char, CStr};
use std::ffi::CString;
use std::sync::OnceLock;
use std::vec::Vec;

use payseal::codes::{self, ErrorCode};
use payseal::json;

/// What a payseal call did. `PAYSEAL_OK` (0) is success; every other value names one outcome.
/// Functions return it as `uint32_t`; `payseal_result_name`, `payseal_result_describe` and
/// `payseal_result_class` turn it into text, `payseal_last_error` gives its details.
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
    /// The key is unusable (for example not in the scheme's key format).
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
    /// Key set: no secret given.
    PAYSEAL_NO_SECRET = 50,
    /// Key set: more secrets than a key set holds (4).
    PAYSEAL_TOO_MANY_SECRETS = 51,
    /// A secret (webhook, QR, HMAC key) is empty: anyone could sign.
    PAYSEAL_EMPTY_SECRET = 52,
    /// A webhook secret is not in the scheme's key format (`whsec_` base64, hex, ...).
    PAYSEAL_MALFORMED_SECRET = 53,
    /// Paylands: the signature (the shared secret) is empty.
    PAYSEAL_EMPTY_SIGNATURE = 54,
    /// Paylands: the signature (the shared secret) is longer than 256 bytes.
    PAYSEAL_SIGNATURE_TOO_LONG = 55,
    /// EU Pay QR signing: the payload is JSON but not an object.
    PAYSEAL_PAYLOAD_NOT_OBJECT = 56,
    /// JOSE: the token's `alg` is not in the caller's allow-list (`none` never is).
    PAYSEAL_ALG_NOT_ALLOWED = 60,
    /// JOSE: the token's header names critical extensions (`crit`); payseal implements none.
    PAYSEAL_CRIT_UNSUPPORTED = 61,
    /// JOSE: no single usable key in the set for the token's algorithm and `kid`.
    PAYSEAL_KEY_NOT_FOUND = 62,
    /// JOSE: the JWT's `nbf` is in the future (beyond the leeway).
    PAYSEAL_NOT_YET_VALID = 63,
    /// JOSE: the JWT's `aud` is missing or not the expected audience.
    PAYSEAL_AUDIENCE = 64,
    /// JOSE: the JWT's `iss` is missing or not the expected issuer.
    PAYSEAL_ISSUER = 65,
}

use PaysealResult as R;

impl PaysealResult {
    /// Every variant (a test checks each against `payseal::codes::CODES`, and that every row
    /// the C ABI can return is here).
    pub(crate) const ALL: [Self; 49] = [
        R::PAYSEAL_OK,
        R::PAYSEAL_BUFFER_TOO_SMALL,
        R::PAYSEAL_NULL_POINTER,
        R::PAYSEAL_INVALID_ARGUMENT,
        R::PAYSEAL_INTERNAL,
        R::PAYSEAL_INVALID_ENCODING,
        R::PAYSEAL_INVALID_KEY,
        R::PAYSEAL_RANDOMNESS,
        R::PAYSEAL_JSON_SYNTAX,
        R::PAYSEAL_JSON_INVALID_UTF8,
        R::PAYSEAL_JSON_DUPLICATE_KEY,
        R::PAYSEAL_JSON_DEPTH,
        R::PAYSEAL_JSON_NUMBER_RANGE,
        R::PAYSEAL_JSON_LONE_SURROGATE,
        R::PAYSEAL_BAD_SIGNATURE,
        R::PAYSEAL_EXPIRED,
        R::PAYSEAL_MALFORMED,
        R::PAYSEAL_MISMATCH,
        R::PAYSEAL_MALFORMED_HASH,
        R::PAYSEAL_MISSING_HEADER,
        R::PAYSEAL_MALFORMED_HEADER,
        R::PAYSEAL_MALFORMED_BODY,
        R::PAYSEAL_TIMESTAMP_TOO_OLD,
        R::PAYSEAL_TIMESTAMP_TOO_NEW,
        R::PAYSEAL_TOO_MANY_SIGNATURES,
        R::PAYSEAL_TOO_LARGE,
        R::PAYSEAL_COST_OUT_OF_RANGE,
        R::PAYSEAL_SECRET_TOO_LONG,
        R::PAYSEAL_SECRET_CONTAINS_NUL,
        R::PAYSEAL_KEY_UNKNOWN_PREFIX,
        R::PAYSEAL_KEY_BAD_LENGTH,
        R::PAYSEAL_KEY_BAD_CHARACTER,
        R::PAYSEAL_KEY_ENVIRONMENT_MISMATCH,
        R::PAYSEAL_KEY_NOT_PUBLISHABLE,
        R::PAYSEAL_KEY_NOT_SECRET,
        R::PAYSEAL_INVALID_TABLE_LINK,
        R::PAYSEAL_NO_SECRET,
        R::PAYSEAL_TOO_MANY_SECRETS,
        R::PAYSEAL_EMPTY_SECRET,
        R::PAYSEAL_MALFORMED_SECRET,
        R::PAYSEAL_EMPTY_SIGNATURE,
        R::PAYSEAL_SIGNATURE_TOO_LONG,
        R::PAYSEAL_PAYLOAD_NOT_OBJECT,
        R::PAYSEAL_ALG_NOT_ALLOWED,
        R::PAYSEAL_CRIT_UNSUPPORTED,
        R::PAYSEAL_KEY_NOT_FOUND,
        R::PAYSEAL_NOT_YET_VALID,
        R::PAYSEAL_AUDIENCE,
        R::PAYSEAL_ISSUER,
    ];

    /// The variant numbered `number`, if the C ABI has one.
    pub(crate) fn from_number(number: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|r| *r as u32 == number)
    }

    /// The C ABI's code for a core error, through its row of the core's table. Rows the ABI
    /// cannot return (a scratch or buffer the ABI sizes itself: a payseal bug if ever seen)
    /// become `PAYSEAL_INTERNAL`.
    pub(crate) fn of(err: &impl ErrorCode) -> Self {
        let entry = err.entry(); // a search of the table by name: once
        match entry.name {
            "buffer_too_small" | "scratch_too_small" | "dialect_mismatch" => R::PAYSEAL_INTERNAL,
            _ => Self::from_number(entry.number).unwrap_or(R::PAYSEAL_INTERNAL),
        }
    }
}

/// The details of a failure, kept per thread for `payseal_last_error`. Only `'static` text
/// (the core's header names and reason codes), so nothing dangles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Detail {
    pub(crate) offset: Option<usize>,
    pub(crate) expires_at: Option<i64>,
    pub(crate) needed: Option<usize>,
    pub(crate) header: Option<&'static str>,
    pub(crate) reason: Option<&'static str>,
}

/// A failed export: its code and what the core said about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fail {
    pub(crate) code: PaysealResult,
    pub(crate) detail: Detail,
}

impl Fail {
    pub(crate) fn with(code: PaysealResult, detail: Detail) -> Self {
        Self { code, detail }
    }
}

impl From<PaysealResult> for Fail {
    fn from(code: PaysealResult) -> Self {
        Self { code, detail: Detail::default() }
    }
}

impl From<json::Error> for Fail {
    fn from(err: json::Error) -> Self {
        Self::with(R::of(&err), Detail { offset: err.offset(), ..Detail::default() })
    }
}

impl From<payseal::webhooks::Error> for Fail {
    fn from(err: payseal::webhooks::Error) -> Self {
        use payseal::webhooks::Error as E;
        let header = match err {
            E::MissingHeader { name } | E::MalformedHeader { name } => Some(name),
            _ => None,
        };
        Self::with(R::of(&err), Detail { header, ..Detail::default() })
    }
}

impl From<payseal::webhooks::SignError> for Fail {
    fn from(err: payseal::webhooks::SignError) -> Self {
        use payseal::webhooks::SignError as E;
        // `buffer_too_small` maps to `PAYSEAL_INTERNAL`: the ABI sizes its scratch itself.
        let reason = match err {
            E::InvalidArgument { name } => Some(name),
            _ => None,
        };
        Self::with(R::of(&err), Detail { reason, ..Detail::default() })
    }
}

impl From<payseal::eupay::QrError> for Fail {
    fn from(err: payseal::eupay::QrError) -> Self {
        use payseal::eupay::QrError as E;
        let detail = match err {
            E::Expired { expires_at } => Detail { expires_at: Some(expires_at), ..Detail::default() },
            E::Malformed(m) => Detail { reason: Some(m.code()), ..Detail::default() },
            _ => Detail::default(),
        };
        Self::with(R::of(&err), detail)
    }
}

impl From<payseal::eupay::SignError> for Fail {
    fn from(err: payseal::eupay::SignError) -> Self {
        match err {
            payseal::eupay::SignError::Json(e) => e.into(),
            other => R::of(&other).into(),
        }
    }
}

impl From<payseal::paylands::Error> for Fail {
    fn from(err: payseal::paylands::Error) -> Self {
        use payseal::paylands::Error as E;
        let reason = match err {
            E::Malformed(m) => Some(m.reason()),
            E::Json(e) => Some(e.code()),
            _ => None,
        };
        Self::with(R::of(&err), Detail { reason, ..Detail::default() })
    }
}

impl From<payseal::secrets::keys::KeyError> for Fail {
    fn from(err: payseal::secrets::keys::KeyError) -> Self {
        let offset = match err {
            payseal::secrets::keys::KeyError::BadCharacter { offset } => Some(offset),
            _ => None,
        };
        Self::with(R::of(&err), Detail { offset, ..Detail::default() })
    }
}

/// The core errors without details: the code from their table row.
macro_rules! fail_from_code {
    ($($ty:ty),* $(,)?) => {$(
        impl From<$ty> for Fail {
            fn from(err: $ty) -> Self {
                R::of(&err).into()
            }
        }
    )*};
}

fail_from_code!(
    payseal::encoding::EncodingError,
    payseal::eupay::KeyError,
    payseal::webhooks::KeyError,
    payseal::paylands::KeyError,
    payseal::secrets::bcrypt::BcryptError,
    payseal::secrets::keys::InvalidTableLink,
    payseal::secrets::RandomnessError,
    payseal::jose::Error,
    payseal_cache_redis::Error,
);

/// The core's table with NUL-terminated text for C: (number, name, message, class).
fn c_table() -> &'static [(u32, CString, CString, CString)] {
    static TABLE: OnceLock<Vec<(u32, CString, CString, CString)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let c = |s: &str| CString::new(s).unwrap_or_default();
        codes::CODES.iter().map(|row| (row.number, c(row.name), c(row.message), c(row.class.name()))).collect()
    })
}

fn lookup(code: u32) -> Option<&'static (u32, CString, CString, CString)> {
    c_table().iter().find(|row| row.0 == code)
}

/// The short, stable name of a result code: `"ok"`, `"buffer_too_small"`, `"syntax"`,
/// `"bad_signature"`, ... (the conformance vectors' vocabulary), or `"unknown"`.
/// The string is static: never free it.
#[no_mangle]
pub extern "C" fn payseal_result_name(code: u32) -> *const c_char {
    lookup(code).map_or(c"unknown", |row| row.1.as_c_str()).as_ptr()
}

/// A one-line English description of a result code (static; never free it).
#[no_mangle]
pub extern "C" fn payseal_result_describe(code: u32) -> *const c_char {
    lookup(code).map_or(c"unknown result code", |row| row.2.as_c_str()).as_ptr()
}

/// The error class every binding raises for a result code (`"BadSignatureError"`,
/// `"JsonError"`, ...; `"PaysealError"` for an unknown code), from the core's table
/// (`core/codes.json` lists each class's parent). Static; never free it.
#[no_mangle]
pub extern "C" fn payseal_result_class(code: u32) -> *const c_char {
    lookup(code).map_or(c"PaysealError", |row| row.3.as_c_str()).as_ptr()
}

/// What the core said about a thread's last failure (`payseal_last_error`). Text fields are
/// static `(ptr, len)` spans (never free them), NULL/0 when absent.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PaysealErrorDetail {
    /// The failure's result code (`PAYSEAL_OK` if this thread has not failed yet).
    pub code: u32,
    /// `offset` is set: the input byte offset (JSON errors, an API key's bad character).
    pub has_offset: bool,
    /// `expires_at` is set (an expired QR code).
    pub has_expires_at: bool,
    /// `needed` is set (`PAYSEAL_BUFFER_TOO_SMALL`).
    pub has_needed: bool,
    /// The input byte offset of the problem.
    pub offset: u64,
    /// The document's expiry, Unix seconds.
    pub expires_at: i64,
    /// The size the output needs.
    pub needed: u64,
    /// The header concerned (missing or malformed header), canonical spelling.
    pub header: *const u8,
    /// Bytes in `header`.
    pub header_len: usize,
    /// Why a document is malformed, from the core (`"missing_sig"`, `"bad_base64"`, ...), or
    /// which signing option is invalid (`"now"`, `"id"`, `"iv"`, `"fields"`, `"algorithm"`).
    pub reason: *const u8,
    /// Bytes in `reason`.
    pub reason_len: usize,
}

std::thread_local! {
    static LAST: core::cell::Cell<Option<Fail>> = const { core::cell::Cell::new(None) };
}

/// Records a failure as this thread's last (called by the panic boundary).
pub(crate) fn remember(fail: Fail) {
    let _ = LAST.try_with(|last| last.set(Some(fail)));
}

/// Writes the details of this thread's last failed call into `*out` (the calls that returned
/// `PAYSEAL_OK` leave it as it was): read it right after a failure, on the same thread.
/// Returns `PAYSEAL_NULL_POINTER` for a NULL `out`.
///
/// # Safety
/// `out` must be NULL or valid for writing one `PaysealErrorDetail`.
#[no_mangle]
pub unsafe extern "C" fn payseal_last_error(out: *mut PaysealErrorDetail) -> PaysealResult {
    crate::abi::boundary(|| {
        *out_param!(out) = last_error_detail();
        Ok(())
    })
}

/// `payseal_last_error` returning the details by value: one call and no out-parameter, for
/// hosts where making a struct costs more than the call (PHP's FFI parses a type and allocates
/// a C object for each `new`). `code` is `PAYSEAL_OK` when this thread has not failed yet.
#[no_mangle]
pub extern "C" fn payseal_last_error_value() -> PaysealErrorDetail {
    std::panic::catch_unwind(last_error_detail).unwrap_or_else(|_| detail_of(R::PAYSEAL_INTERNAL, Detail::default()))
}

/// `payseal_last_error_details`: the failure has an input byte offset.
pub const PAYSEAL_DETAIL_OFFSET: u32 = 1;
/// `payseal_last_error_details`: the failure has an expiry.
pub const PAYSEAL_DETAIL_EXPIRES_AT: u32 = 2;
/// `payseal_last_error_details`: the failure has a needed size.
pub const PAYSEAL_DETAIL_NEEDED: u32 = 4;
/// `payseal_last_error_details`: the failure names a header.
pub const PAYSEAL_DETAIL_HEADER: u32 = 8;
/// `payseal_last_error_details`: the failure has a reason.
pub const PAYSEAL_DETAIL_REASON: u32 = 16;

/// Which details this thread's last failure carries, as `payseal_last_error` would give them:
/// the `PAYSEAL_DETAIL_*` bits, 0 when it carries none (a bad signature) or this thread has not
/// failed. For hosts where reading the struct costs more than a call (PHP's FFI, on every
/// rejected delivery): ask first, then read only what there is.
#[no_mangle]
pub extern "C" fn payseal_last_error_details() -> u32 {
    let Some(f) = last_fail() else { return 0 };
    let d = f.detail;
    [
        (d.offset.is_some(), PAYSEAL_DETAIL_OFFSET),
        (d.expires_at.is_some(), PAYSEAL_DETAIL_EXPIRES_AT),
        (d.needed.is_some(), PAYSEAL_DETAIL_NEEDED),
        (d.header.is_some(), PAYSEAL_DETAIL_HEADER),
        (d.reason.is_some(), PAYSEAL_DETAIL_REASON),
    ]
    .iter()
    .filter(|(set, _)| *set)
    .fold(0, |bits, (_, bit)| bits | bit)
}

/// The header this thread's last failure names (`header` of `payseal_last_error`), as a
/// static NUL-terminated string (never free it), or NULL when it names none. For hosts that
/// take a C string most cheaply (PHP's FFI turns a `const char *` result into a string, where
/// a `(ptr, len)` pair needs a struct or out-parameters): a missing or malformed header is the
/// common rejection of a webhook delivery.
#[no_mangle]
pub extern "C" fn payseal_last_error_header() -> *const c_char {
    let header = last_fail().and_then(|f| f.detail.header);
    header.and_then(header_c).map_or(core::ptr::null(), CStr::as_ptr)
}

/// A header name the core reads (`Scheme::header_names` of every scheme), NUL-terminated.
fn header_c(name: &str) -> Option<&'static CStr> {
    static NAMES: OnceLock<Vec<CString>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        let all = payseal::webhooks::Scheme::ALL.iter().flat_map(|s| s.header_names().iter());
        all.filter_map(|n| CString::new(*n).ok()).collect()
    });
    names.iter().find(|c| c.as_bytes() == name.as_bytes()).map(CString::as_c_str)
}

/// This thread's last failure (none: it has not failed, or its thread-locals are gone).
fn last_fail() -> Option<Fail> {
    LAST.try_with(core::cell::Cell::get).ok().flatten()
}

/// This thread's last failure as the C struct (code `PAYSEAL_OK` and no detail when none).
fn last_error_detail() -> PaysealErrorDetail {
    last_fail().map_or_else(|| detail_of(R::PAYSEAL_OK, Detail::default()), |f| detail_of(f.code, f.detail))
}

fn detail_of(code: R, d: Detail) -> PaysealErrorDetail {
    let span = |s: Option<&'static str>| s.map_or((core::ptr::null(), 0), |s| (s.as_ptr(), s.len()));
    let (header, header_len) = span(d.header);
    let (reason, reason_len) = span(d.reason);
    PaysealErrorDetail {
        code: code as u32,
        has_offset: d.offset.is_some(),
        has_expires_at: d.expires_at.is_some(),
        has_needed: d.needed.is_some(),
        offset: d.offset.unwrap_or(0) as u64,
        expires_at: d.expires_at.unwrap_or(0),
        needed: d.needed.unwrap_or(0) as u64,
        header,
        header_len,
        reason,
        reason_len,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use payseal::paylands;
    use payseal::secrets::bcrypt::BcryptError;
    use payseal::secrets::keys::KeyError as ApiKeyError;
    use payseal::webhooks;

    /// Rows of the core's table that no C function returns: the engine's own scratch errors
    /// (the ABI sizes every scratch itself).
    fn abi_returns(row: &codes::Code) -> bool {
        !matches!(row.name, "dialect_mismatch" | "scratch_too_small")
    }

    /// `PAYSEAL_JSON_SYNTAX` -> `syntax`, `PAYSEAL_KEY_BAD_LENGTH` -> `bad_length`,
    /// `PAYSEAL_KEY_NOT_FOUND` -> `key_not_found` (a row of that very name).
    fn variant_name(r: PaysealResult) -> std::string::String {
        let debug = std::format!("{r:?}").to_ascii_lowercase();
        let bare = debug.trim_start_matches("payseal_");
        if codes::by_name(bare).is_some_and(|row| row.number == r as u32) {
            return bare.into();
        }
        bare.strip_prefix("json_").or_else(|| bare.strip_prefix("key_")).unwrap_or(bare).into()
    }

    #[test]
    fn every_variant_is_a_row_of_the_cores_table() {
        for (i, r) in PaysealResult::ALL.iter().enumerate() {
            let row = codes::by_number(*r as u32).unwrap_or_else(|| panic!("{r:?} is not in payseal::codes::CODES"));
            assert_eq!(variant_name(*r), row.name, "{r:?}");
            assert!(!PaysealResult::ALL[..i].contains(r), "{r:?} listed twice");
        }
    }

    #[test]
    fn every_row_the_abi_returns_has_a_variant() {
        for row in codes::CODES.iter().filter(|r| abi_returns(r)) {
            let r = PaysealResult::from_number(row.number);
            assert!(r.is_some(), "code {} ({}) has no PAYSEAL_ constant", row.number, row.name);
        }
    }

    use core::ffi::CStr;

    #[test]
    fn names_messages_and_classes_come_from_the_table() {
        let text = |p: *const c_char| {
            // SAFETY: the three functions return static NUL-terminated strings.
            unsafe { CStr::from_ptr(p) }.to_str().unwrap_or("").to_owned()
        };
        for row in codes::CODES {
            assert_eq!(text(payseal_result_name(row.number)), row.name);
            assert_eq!(text(payseal_result_describe(row.number)), row.message);
            assert_eq!(text(payseal_result_class(row.number)), row.class.name());
        }
        assert_eq!(text(payseal_result_name(8)), "unknown");
        assert_eq!(text(payseal_result_name(u32::MAX)), "unknown");
        assert_eq!(text(payseal_result_describe(9999)), "unknown result code");
        assert_eq!(text(payseal_result_class(9999)), "PaysealError");
    }

    #[test]
    fn core_errors_map_through_their_rows() {
        let name = |f: Fail| codes::by_number(f.code as u32).map_or("?", |r| r.name);
        for e in [webhooks::Error::BadSignature, webhooks::Error::TooLarge, webhooks::Error::TooManySignatures] {
            assert_eq!(name(e.into()), e.code());
        }
        for e in [webhooks::KeyError::NoSecret, webhooks::KeyError::TooManySecrets] {
            assert_eq!(name(e.into()), e.code());
        }
        for e in [BcryptError::Mismatch, BcryptError::MalformedHash, BcryptError::SecretContainsNul] {
            assert_eq!(name(e.into()), e.code());
        }
        for e in [ApiKeyError::UnknownPrefix, ApiKeyError::BadLength { len: 1 }, ApiKeyError::NotSecret] {
            assert_eq!(name(e.into()), e.code());
        }
        assert_eq!(name(paylands::Error::Mismatch.into()), "mismatch");
        assert_eq!(name(paylands::Error::Json(json::Error::Syntax { offset: 0 }).into()), "malformed");
        assert_eq!(name(paylands::KeyError::Empty.into()), "empty_signature");
        assert_eq!(name(payseal::eupay::SignError::PayloadNotObject.into()), "payload_not_object");
        for e in [webhooks::SignError::TooLarge, webhooks::SignError::MalformedBody, webhooks::SignError::Randomness] {
            assert_eq!(name(e.into()), e.code());
        }
        let option = Fail::from(webhooks::SignError::InvalidArgument { name: "id" });
        assert_eq!((name(option), option.detail.reason), ("invalid_argument", Some("id")));
        let short = webhooks::SignError::BufferTooSmall { needed: 1 };
        assert_eq!(Fail::from(short).code, R::PAYSEAL_INTERNAL, "the ABI sizes its scratch itself");
        let scratch = json::Error::ScratchTooSmall { needed: 1 };
        assert_eq!(Fail::from(scratch).code, R::PAYSEAL_INTERNAL);
        let header = Fail::from(webhooks::Error::MissingHeader { name: "X-EuPay-Signature" });
        assert_eq!(header.detail.header, Some("X-EuPay-Signature"));
        let offset = Fail::from(ApiKeyError::BadCharacter { offset: 9 });
        assert_eq!(offset.detail.offset, Some(9));
    }
}
