//! Raising payseal's Python exceptions.
//!
//! The hierarchy is defined once, in Python (`payseal/errors.py`), where every class carries the
//! conformance vocabulary's `code` ("syntax", "bad_signature", ...). Rust only names the code;
//! `errors._CLASS_BY_CODE` picks the class, falling back to the base `payseal.Error`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyType};

static CLASS_BY_CODE: PyOnceLock<Py<PyDict>> = PyOnceLock::new();
static BASE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// The exception for `code` with `message`; `offset` is set for errors located in the input.
pub fn raise(py: Python<'_>, code: &str, message: &str, offset: Option<usize>) -> PyErr {
    build(py, code, message, offset).unwrap_or_else(|failure| failure)
}

fn build(py: Python<'_>, code: &str, message: &str, offset: Option<usize>) -> PyResult<PyErr> {
    let by_code = CLASS_BY_CODE.import(py, "payseal.errors", "_CLASS_BY_CODE")?;
    let class = match by_code.get_item(code)? {
        Some(class) => class,
        None => BASE_ERROR.import(py, "payseal.errors", "Error")?.clone().into_any(),
    };
    let kwargs = PyDict::new(py);
    kwargs.set_item("code", code)?;
    if let Some(offset) = offset {
        kwargs.set_item("offset", offset)?;
    }
    Ok(PyErr::from_value(class.call((message,), Some(&kwargs))?))
}

/// `payseal.JsonError` for a core JSON error.
pub fn json(py: Python<'_>, err: payseal::json::Error) -> PyErr {
    raise(py, err.code(), &err.to_string(), err.offset())
}

/// `payseal.EncodingError` for a core encoding error.
pub fn encoding(py: Python<'_>, err: payseal::encoding::EncodingError, what: &str) -> PyErr {
    raise(py, "invalid_encoding", &format!("{what}: {err}"), None)
}

/// The exception for a webhook rejection (`missing_header`, `bad_signature`, ...).
pub fn webhook(py: Python<'_>, err: payseal::webhooks::Error) -> PyErr {
    raise(py, err.code(), &err.to_string(), None)
}

/// `payseal.InvalidKey` for webhook secrets that cannot make a key set. The core names no codes
/// for these; the binding's are `no_secret`, `too_many_secrets`, `empty_secret`, `malformed_secret`.
pub fn webhook_key(py: Python<'_>, err: payseal::webhooks::KeyError) -> PyErr {
    use payseal::webhooks::KeyError;
    let code = match err {
        KeyError::NoSecret => "no_secret",
        KeyError::TooManySecrets => "too_many_secrets",
        KeyError::Empty { .. } => "empty_secret",
        _ => "malformed_secret",
    };
    raise(py, code, &err.to_string(), None)
}

/// `Mismatch`, `MalformedHash`, or `InvalidInput` for a secret or cost bcrypt refuses to hash.
pub fn bcrypt(py: Python<'_>, err: payseal::secrets::bcrypt::BcryptError) -> PyErr {
    raise(py, err.code(), &err.to_string(), None)
}

/// `payseal.InvalidKey` for an API key (`unknown_prefix`, `bad_length`, `bad_character` with
/// the offset of the first bad character, `environment_mismatch`, ...).
pub fn api_key(py: Python<'_>, err: payseal::secrets::keys::KeyError) -> PyErr {
    use payseal::secrets::keys::KeyError;
    let offset = match err {
        KeyError::BadCharacter { offset } => Some(offset),
        _ => None,
    };
    raise(py, err.code(), &err.to_string(), offset)
}

/// `payseal.InvalidTableLink`: one error, deliberately without detail.
pub fn table_link(py: Python<'_>) -> PyErr {
    raise(py, "invalid_table_link", &payseal::secrets::keys::InvalidTableLink.to_string(), None)
}

/// The base `payseal.Error` with code `randomness`: the operating system's generator failed.
pub fn randomness(py: Python<'_>) -> PyErr {
    raise(py, "randomness", "the operating system's random generator failed", None)
}

/// `Mismatch`, or `Malformed` (whose `__cause__` is the `JsonError` when the body is not JSON).
pub fn paylands(py: Python<'_>, err: payseal::paylands::Error) -> PyErr {
    let raised = raise(py, err.code(), &err.to_string(), None);
    if let payseal::paylands::Error::Json(cause) = err {
        raised.set_cause(py, Some(json(py, cause)));
    }
    raised
}

/// `payseal.InvalidKey` for a Paylands signature that cannot be used (`empty_signature`,
/// `signature_too_long`; the binding's names).
pub fn paylands_key(py: Python<'_>, err: payseal::paylands::KeyError) -> PyErr {
    use payseal::paylands::KeyError;
    let code = match err {
        KeyError::Empty => "empty_signature",
        _ => "signature_too_long",
    };
    raise(py, code, &err.to_string(), None)
}
