//! Errors crossing into JavaScript.
//!
//! napi-rs throws an `Error` whose `code` property is the error's status string. We use that
//! string as a small wire format, `payseal:<code>` or `payseal:<code>:<detail>`, where `<code>`
//! is the vocabulary of the conformance vectors (`syntax`, `invalid_utf8`, `bad_signature`, ...)
//! and `<detail>` is a number (the byte offset of an input error, the size a buffer needs, the
//! position of a bad secret) or a header name. `errors.js` parses it into the matching
//! `PaysealError` subclass; this module and that one are the only two places that know the
//! format.
//!
//! Verifications on hot paths do not throw from native code: they return `undefined` or the
//! rejection as a string `"<wire> <message>"` ([`Rejection`]), and `index.js` throws one error
//! object instead of two.

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

/// An error whose detail is not a size: a header name, a signed time.
pub fn fail_with(code: &str, detail: impl Display, message: impl Display) -> napi::Error<Failure> {
    napi::Error::new(Failure(format!("payseal:{code}:{detail}")), message)
}

/// A verification's rejection as a returned string, `"<wire> <message>"` (see the module docs).
pub type Rejection = String;

/// The [`Rejection`] string of a native error.
pub fn rejection(e: &napi::Error<Failure>) -> Rejection {
    format!("{} {}", e.status.as_ref(), e.reason)
}

/// A number out of range (`RangeError`, `ERR_OUT_OF_RANGE` in JavaScript).
pub fn arg_range(name: &str, why: impl Display) -> napi::Error<Failure> {
    fail("arg_range", None, format!("The value of \"{name}\" is out of range. {why}"))
}

/// A webhook rejection; missing and malformed headers carry the header's name as detail.
pub fn webhook(e: payseal::webhooks::Error) -> napi::Error<Failure> {
    use payseal::webhooks::Error as E;
    match e {
        E::MissingHeader { name } | E::MalformedHeader { name } => fail_with(e.code(), name, e),
        E::BufferTooSmall { needed } => fail(e.code(), Some(needed), e),
        _ => fail(e.code(), None, e),
    }
}

/// A webhook key set that cannot be built; the detail is the position of the bad secret.
pub fn webhook_key(e: payseal::webhooks::KeyError) -> napi::Error<Failure> {
    use payseal::webhooks::KeyError as E;
    match e {
        E::NoSecret => fail("no_secret", None, e),
        E::TooManySecrets => fail("too_many_secrets", None, e),
        E::Empty { index } => fail("empty_secret", Some(index), e),
        E::Malformed { index } => fail("malformed_secret", Some(index), e),
        _ => fail("invalid_key", None, e),
    }
}

/// A bcrypt error. A cost out of range is an argument error (`RangeError`).
pub fn bcrypt(e: payseal::secrets::bcrypt::BcryptError) -> napi::Error<Failure> {
    use payseal::secrets::bcrypt::BcryptError as E;
    match e {
        E::CostOutOfRange { .. } => arg_range("opts.cost", e),
        E::SecretTooLong { len } => fail(e.code(), Some(len), e),
        E::BufferTooSmall { needed } => fail(e.code(), Some(needed), e),
        _ => fail(e.code(), None, e),
    }
}

/// An API key error; a bad length carries the body's length, a bad character its offset.
pub fn api_key(e: payseal::secrets::keys::KeyError) -> napi::Error<Failure> {
    use payseal::secrets::keys::KeyError as E;
    match e {
        E::BadLength { len } => fail(e.code(), Some(len), e),
        E::BadCharacter { offset } => fail(e.code(), Some(offset), e),
        _ => fail(e.code(), None, e),
    }
}

/// A table link that does not verify (one code, no detail, on purpose).
pub fn table_link(e: payseal::secrets::keys::InvalidTableLink) -> napi::Error<Failure> {
    fail("invalid_table_link", None, e)
}

/// The operating system's random generator failed.
pub fn randomness(e: impl Display) -> napi::Error<Failure> {
    fail("randomness", None, e)
}

/// A Paylands rejection (`mismatch`, `malformed`; JSON errors are `malformed`, with the core's
/// message saying what and where).
pub fn paylands(e: payseal::paylands::Error) -> napi::Error<Failure> {
    fail(e.code(), None, e)
}

/// A Paylands signature that cannot be used as a key.
pub fn paylands_key(e: payseal::paylands::KeyError) -> napi::Error<Failure> {
    use payseal::paylands::KeyError as E;
    match e {
        E::Empty => fail("empty_signature", None, e),
        E::TooLong { len } => fail("signature_too_long", Some(len), e),
        _ => fail("invalid_key", None, e),
    }
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
