//! Errors crossing into JavaScript.
//!
//! napi-rs throws an `Error` whose `code` property is the error's status string. We use that
//! string as a small wire format, `payseal:<code>` or `payseal:<code>:<field>=<value>`, where
//! `<code>` is a name of the core's table (`payseal::codes::CODES`: `syntax`, `bad_signature`,
//! ...) and the optional detail names the property the JavaScript error carries (`offset`,
//! `needed`, `header`, `expiresAt`, `index`, `length`, `reason`). `errors.js` builds the error
//! whose class the same table gives for `<code>` (exported once by [`crate::codes`]); this
//! module and that one are the only two places that know the format.
//!
//! Every core error goes through [`ErrorCode::code`]: no binding-side mapping from error
//! variants to codes. The only hand-written part is which detail a variant carries.
//!
//! Verifications on hot paths do not throw from native code: they return `undefined` or the
//! rejection as a string `"<wire> <message>"` ([`Rejection`]), and `index.js` throws one error
//! object instead of two.

use core::fmt::Display;

use napi::{Env, JsError};
use payseal::codes::ErrorCode;

/// The `code` of a native error: the wire string described in the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(String);

impl AsRef<str> for Failure {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// A detail an error carries: the JavaScript property name and its value.
pub type Detail = Option<(&'static str, String)>;

/// An error with a table code, an optional detail and a message.
pub fn fail(code: &str, detail: Detail, message: impl Display) -> napi::Error<Failure> {
    let wire = match detail {
        Some((field, value)) => format!("payseal:{code}:{field}={value}"),
        None => format!("payseal:{code}"),
    };
    napi::Error::new(Failure(wire), message)
}

/// A numeric detail.
pub fn num(field: &'static str, n: impl Display) -> Detail {
    Some((field, n.to_string()))
}

/// Any core error: the code is the core's ([`ErrorCode::code`]), the class the table's.
pub fn core<E: ErrorCode + Display>(e: &E, detail: Detail) -> napi::Error<Failure> {
    fail(e.code(), detail, e)
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

/// A JavaScript value of the wrong type (`TypeError`, `ERR_INVALID_ARG_TYPE` in JavaScript).
pub fn arg_type(name: &str, expected: &str) -> napi::Error<Failure> {
    fail("arg_type", None, format!("The \"{name}\" argument must be {expected}"))
}

/// A JavaScript value of the right type but an unusable value (`ERR_INVALID_ARG_VALUE`).
pub fn arg_value(name: &str, why: impl Display) -> napi::Error<Failure> {
    fail("arg_value", None, format!("The \"{name}\" argument {why}"))
}

/// Input refused on purpose (`InvalidInputError`, code `invalid_argument`).
pub fn invalid_argument(name: &str, why: impl Display) -> napi::Error<Failure> {
    fail("invalid_argument", None, format!("The \"{name}\" argument {why}"))
}

/// A failure of the Node-API itself (out of memory, a terminating worker...).
pub fn internal(e: &napi::Error) -> napi::Error<Failure> {
    fail("internal", None, format!("Node-API call failed: {}: {}", e.status.as_ref(), e.reason))
}

/// A panic caught on a worker thread.
pub fn panicked() -> napi::Error<Failure> {
    fail("internal", None, "panic in payseal core")
}

/// A panic caught on a libuv worker thread, where it must not unwind into libuv's C frames.
#[derive(Debug, Clone, Copy)]
pub struct Panicked;

/// Runs a promise task's work (its `Task::compute`): a panic becomes [`Panicked`], which the
/// task's `resolve` turns into an `internal` rejection ([`Panicked::rejection`]).
pub fn on_pool<T>(work: impl FnOnce() -> T) -> Result<T, Panicked> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|_| Panicked)
}

impl Panicked {
    /// The promise's rejection: an `internal` error.
    pub fn rejection(self, env: Env) -> napi::Error {
        into_rejection(env, panicked())
    }
}

/// A webhook rejection; missing and malformed headers carry the header's name.
pub fn webhook(e: payseal::webhooks::Error) -> napi::Error<Failure> {
    use payseal::webhooks::Error as E;
    let detail = match e {
        E::MissingHeader { name } | E::MalformedHeader { name } => Some(("header", name.to_owned())),
        E::BufferTooSmall { needed } => num("needed", needed),
        _ => None,
    };
    core(&e, detail)
}

/// A webhook key set that cannot be built; the detail is the position of the bad secret.
pub fn webhook_key(e: payseal::webhooks::KeyError) -> napi::Error<Failure> {
    use payseal::webhooks::KeyError as E;
    let detail = match e {
        E::Empty { index } | E::Malformed { index } => num("index", index),
        _ => None,
    };
    core(&e, detail)
}

/// A bcrypt error (a cost out of range is `cost_out_of_range`, an `InvalidInputError`).
pub fn bcrypt(e: payseal::secrets::bcrypt::BcryptError) -> napi::Error<Failure> {
    use payseal::secrets::bcrypt::BcryptError as E;
    let detail = match e {
        E::SecretTooLong { len } => num("length", len),
        E::BufferTooSmall { needed } => num("needed", needed),
        _ => None,
    };
    core(&e, detail)
}

/// An API key error; a bad length carries the body's length, a bad character its offset.
pub fn api_key(e: payseal::secrets::keys::KeyError) -> napi::Error<Failure> {
    use payseal::secrets::keys::KeyError as E;
    let detail = match e {
        E::BadLength { len } => num("length", len),
        E::BadCharacter { offset } => num("offset", offset),
        _ => None,
    };
    core(&e, detail)
}

/// A table link that does not verify (one code, no detail, on purpose).
pub fn table_link(e: payseal::secrets::keys::InvalidTableLink) -> napi::Error<Failure> {
    core(&e, None)
}

/// The operating system's random generator failed.
pub fn randomness(e: payseal::secrets::RandomnessError) -> napi::Error<Failure> {
    core(&e, None)
}

/// A Paylands rejection (`mismatch`, `malformed`; JSON errors are `malformed`, with the core's
/// message saying what and where).
pub fn paylands(e: payseal::paylands::Error) -> napi::Error<Failure> {
    core(&e, None)
}

/// A Paylands signature that cannot be used as a key.
pub fn paylands_key(e: payseal::paylands::KeyError) -> napi::Error<Failure> {
    use payseal::paylands::KeyError as E;
    let detail = match e {
        E::TooLong { len } => num("length", len),
        _ => None,
    };
    core(&e, detail)
}

/// A core JSON error: its offset, or the size a buffer needs.
pub fn json(e: payseal::json::Error) -> napi::Error<Failure> {
    let detail = match e {
        payseal::json::Error::BufferTooSmall { needed } | payseal::json::Error::ScratchTooSmall { needed } => {
            num("needed", needed)
        }
        _ => e.offset().and_then(|o| num("offset", o)),
    };
    core(&e, detail)
}

/// A core encoding error.
pub fn encoding(e: payseal::encoding::EncodingError) -> napi::Error<Failure> {
    let detail = match e {
        payseal::encoding::EncodingError::BufferTooSmall { needed } => num("needed", needed),
        _ => None,
    };
    core(&e, detail)
}

/// A QR signing error: JSON errors keep their code and offset.
pub fn qr_sign(e: payseal::eupay::SignError) -> napi::Error<Failure> {
    use payseal::eupay::SignError as E;
    match e {
        E::Json(j) => json(j),
        E::BufferTooSmall { needed } => core(&e, num("needed", needed)),
        _ => core(&e, None),
    }
}

/// A QR rejection; `expired` carries `expiresAt` (Unix seconds), `malformed` the core's reason.
pub fn qr(e: payseal::eupay::QrError) -> napi::Error<Failure> {
    use payseal::eupay::QrError as E;
    let detail = match e {
        E::Expired { expires_at } => num("expiresAt", expires_at),
        E::Malformed(m) => Some(("reason", m.code().to_owned())),
        E::BufferTooSmall { needed } => num("needed", needed),
        _ => None,
    };
    core(&e, detail)
}

/// Turns an error into the JavaScript error object napi-rs will reject a promise with; used
/// where napi-rs only accepts its own `Status` codes (async task completion).
pub fn into_rejection(env: Env, e: napi::Error<Failure>) -> napi::Error {
    napi::Error::from(JsError::from(e).into_unknown(env))
}
