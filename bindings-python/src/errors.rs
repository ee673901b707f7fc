//! Raising payseal's Python exceptions.
//!
//! Which class a code raises is the core's table (`payseal::codes`), exposed to Python as
//! `_native.codes()` and `_native.classes()`. `payseal/errors.py` writes the classes out (for
//! readers and type checkers) and builds `_CLASS_BY_CODE` from `_native.codes()` at import; a test
//! checks the classes against `core/codes.json` and the native table. Rust names only the code
//! (`ErrorCode::code`) and the details the core gives (`offset`, `expires_at`, `header`,
//! `needed`, `reason`).

use payseal::codes::{ErrorCode, CLASSES, CODES};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyString, PyType};

static CLASS_BY_CODE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
static BASE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A detail the core gives with an error, set as an attribute of the exception.
pub enum Detail<'a> {
    /// Byte offset in the input (`JsonError`; `InvalidKeyError` for `bad_character`).
    Offset(usize),
    /// Unix seconds (`ExpiredError`).
    ExpiresAt(i64),
    /// The header's canonical name (`MissingHeaderError`, `MalformedHeaderError`).
    Header(&'a str),
    /// Bytes needed (`BufferTooSmallError`).
    Needed(usize),
    /// The core's short name for what is malformed (`MalformedError`: `"missing_sig"`, ...).
    Reason(&'a str),
}

/// The exception for `code` (a name of the core's table) with `message` and `details`.
pub fn raise(py: Python<'_>, code: &str, message: &str, details: &[Detail<'_>]) -> PyErr {
    build(py, code, message, details).unwrap_or_else(|failure| failure)
}

/// The exception for any core error: its code, its `Display` text, and `details`.
pub fn from_core<E: ErrorCode + std::fmt::Display>(py: Python<'_>, err: &E, details: &[Detail<'_>]) -> PyErr {
    raise(py, err.code(), &err.to_string(), details)
}

fn build(py: Python<'_>, code: &str, message: &str, details: &[Detail<'_>]) -> PyResult<PyErr> {
    let by_code = CLASS_BY_CODE.import(py, "payseal.errors", "_CLASS_BY_CODE")?;
    let class = match by_code.get_item(code)? {
        Some(class) => class,
        None => BASE_ERROR.import(py, "payseal.errors", "PaysealError")?.clone().into_any(),
    };
    let value = class.call1((message,))?;
    value.setattr("code", PyString::new(py, code))?;
    for detail in details {
        match *detail {
            Detail::Offset(n) => value.setattr("offset", n)?,
            Detail::ExpiresAt(t) => value.setattr("expires_at", t)?,
            Detail::Header(name) => value.setattr("header", name)?,
            Detail::Needed(n) => value.setattr("needed", n)?,
            Detail::Reason(reason) => value.setattr("reason", reason)?,
        }
    }
    Ok(PyErr::from_value(value))
}

/// `InvalidInputError` (`invalid_argument`) for an argument the core does not accept, such as an
/// unknown scheme, mode or dialect name.
pub fn invalid_argument(py: Python<'_>, message: &str) -> PyErr {
    raise(py, "invalid_argument", message, &[])
}

/// `JsonError` (with `offset`) for a core JSON error.
pub fn json(py: Python<'_>, err: payseal::json::Error) -> PyErr {
    match err.offset() {
        Some(offset) => from_core(py, &err, &[Detail::Offset(offset)]),
        None => from_core(py, &err, &[]),
    }
}

/// `EncodingError` (or `BufferTooSmallError`) for a core encoding error.
pub fn encoding(py: Python<'_>, err: payseal::encoding::EncodingError, what: &str) -> PyErr {
    raise(py, err.code(), &format!("{what}: {err}"), &[])
}

/// The exception for a webhook rejection, with `header` for header errors.
pub fn webhook(py: Python<'_>, err: payseal::webhooks::Error) -> PyErr {
    use payseal::webhooks::Error;
    match err {
        Error::MissingHeader { name } | Error::MalformedHeader { name } => from_core(py, &err, &[Detail::Header(name)]),
        Error::BufferTooSmall { needed } => from_core(py, &err, &[Detail::Needed(needed)]),
        _ => from_core(py, &err, &[]),
    }
}

/// An API key error, with the `offset` of the first bad character.
pub fn api_key(py: Python<'_>, err: payseal::secrets::keys::KeyError) -> PyErr {
    use payseal::secrets::keys::KeyError;
    match err {
        KeyError::BadCharacter { offset } => from_core(py, &err, &[Detail::Offset(offset)]),
        _ => from_core(py, &err, &[]),
    }
}

/// `InvalidTableLinkError`: one error, deliberately without detail.
pub fn table_link(py: Python<'_>) -> PyErr {
    from_core(py, &payseal::secrets::keys::InvalidTableLink, &[])
}

/// `RandomnessError`: the operating system's generator failed.
pub fn randomness(py: Python<'_>) -> PyErr {
    from_core(py, &payseal::secrets::RandomnessError, &[])
}

/// `MismatchError`, or `MalformedError` (whose `__cause__` is the `JsonError`, and `reason` its
/// code, when the body is not JSON).
pub fn paylands(py: Python<'_>, err: payseal::paylands::Error) -> PyErr {
    match err {
        payseal::paylands::Error::Json(cause) if err.code() != cause.code() => {
            let raised = from_core(py, &err, &[Detail::Reason(cause.code())]);
            raised.set_cause(py, Some(json(py, cause)));
            raised
        }
        _ => from_core(py, &err, &[]),
    }
}

/// `BadSignatureError`, `ExpiredError` (with `expires_at`, Unix seconds) or `MalformedError`
/// (with `reason`, the core's short name such as `bad_base64`, and the `JsonError` as
/// `__cause__` when the envelope is not JSON).
pub fn qr(py: Python<'_>, err: payseal::eupay::QrError) -> PyErr {
    use payseal::eupay::{Malformed, QrError};
    match err {
        QrError::Expired { expires_at } => from_core(py, &err, &[Detail::ExpiresAt(expires_at)]),
        QrError::Malformed(reason) => {
            let raised = from_core(py, &err, &[Detail::Reason(reason.code())]);
            if let Malformed::Json(cause) = reason {
                raised.set_cause(py, Some(json(py, cause)));
            }
            raised
        }
        QrError::BufferTooSmall { needed } => from_core(py, &err, &[Detail::Needed(needed)]),
        _ => from_core(py, &err, &[]),
    }
}

/// `JsonError` for a payload that is not JSON; otherwise the core's class for its code
/// (`payload_not_object`, `too_large`).
pub fn qr_sign(py: Python<'_>, err: payseal::eupay::SignError) -> PyErr {
    use payseal::eupay::SignError;
    match err {
        SignError::Json(e) => json(py, e),
        SignError::BufferTooSmall { needed } => from_core(py, &err, &[Detail::Needed(needed)]),
        _ => from_core(py, &err, &[]),
    }
}

/// The core's table of outcomes: `(number, name, class, message)` rows, by number.
#[pyfunction]
pub fn codes() -> Vec<(u32, &'static str, &'static str, &'static str)> {
    CODES.iter().map(|c| (c.number, c.name, c.class.name(), c.message)).collect()
}

/// The core's error classes: `(name, parent)` rows, parents before children (`None` for
/// `PaysealError`).
#[pyfunction]
pub fn classes() -> Vec<(&'static str, Option<&'static str>)> {
    CLASSES.iter().map(|(c, p)| (c.name(), p.map(|p| p.name()))).collect()
}
