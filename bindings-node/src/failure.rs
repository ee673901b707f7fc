//! Errors crossing into JavaScript.
//!
//! napi-rs throws an `Error` whose `code` property is the error's status string. We use that
//! string as a small wire format, `payseal:<code>` or `payseal:<code>:<n>`, where `<code>` is the
//! vocabulary of the conformance vectors (`syntax`, `invalid_utf8`, `buffer_too_small`, ...) and
//! `<n>` is the byte offset of an input error or the size a buffer needs. `errors.js` parses it
//! into the matching `PaysealError` subclass; this module and that one are the only two places
//! that know the format.

use core::fmt::Display;

use napi::{Env, JsError};
use payseal::encoding::EncodingError;

/// The `code` of a native error: the wire string described in the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(String);

impl AsRef<str> for Failure {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// An error with a wire code, an optional number (offset or needed size) and a message.
pub fn fail(code: &str, detail: Option<usize>, message: impl Display) -> napi::Error<Failure> {
    let wire = match detail {
        Some(n) => format!("payseal:{code}:{n}"),
        None => format!("payseal:{code}"),
    };
    napi::Error::new(Failure(wire), message)
}

/// A JavaScript value of the wrong type (`TypeError`, `ERR_INVALID_ARG_TYPE` in JavaScript).
pub fn arg_type(name: &str, expected: &str) -> napi::Error<Failure> {
    fail("arg_type", None, format!("The \"{name}\" argument must be {expected}"))
}

/// A JavaScript value of the right type but an unusable value (`ERR_INVALID_ARG_VALUE`).
pub fn arg_value(name: &str, why: impl Display) -> napi::Error<Failure> {
    fail("arg_value", None, format!("The \"{name}\" argument {why}"))
}

/// A failure of the Node-API itself (out of memory, a terminating worker...).
pub fn internal(e: &napi::Error) -> napi::Error<Failure> {
    fail("internal", None, format!("Node-API call failed: {}: {}", e.status.as_ref(), e.reason))
}

/// A core JSON error: its vector code, and its offset or needed size.
pub fn json(e: payseal::json::Error) -> napi::Error<Failure> {
    let detail = match e {
        payseal::json::Error::BufferTooSmall { needed } | payseal::json::Error::ScratchTooSmall { needed } => {
            Some(needed)
        }
        _ => e.offset(),
    };
    fail(e.code(), detail, e)
}

/// A core encoding error.
pub fn encoding(e: EncodingError) -> napi::Error<Failure> {
    match e {
        EncodingError::BufferTooSmall { needed } => fail("buffer_too_small", Some(needed), e),
        EncodingError::Invalid => fail("invalid_encoding", None, e),
        _ => fail("encoding", None, e),
    }
}

/// Turns an error into the JavaScript error object napi-rs will reject a promise with; used
/// where napi-rs only accepts its own `Status` codes (async task completion).
pub fn into_rejection(env: Env, e: napi::Error<Failure>) -> napi::Error {
    napi::Error::from(JsError::from(e).into_unknown(env))
}
