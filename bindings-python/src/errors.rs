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

/// [`raise`], with extra attributes set on the exception (`expires_at`, `reason`).
pub fn raise_with(py: Python<'_>, code: &str, message: &str, attrs: &[(&str, Bound<'_, PyAny>)]) -> PyErr {
    let err = raise(py, code, message, None);
    for (name, value) in attrs {
        if let Err(failure) = err.value(py).setattr(*name, value) {
            return failure;
        }
    }
    err
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

/// `payseal.InvalidKey` for webhook secrets that cannot make a key set (`no_secret`,
/// `too_many_secrets`, `empty_secret`, `malformed_secret`: the core's codes).
pub fn webhook_key(py: Python<'_>, err: payseal::webhooks::KeyError) -> PyErr {
    raise(py, err.code(), &err.to_string(), None)
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
/// `signature_too_long`: the core's codes).
pub fn paylands_key(py: Python<'_>, err: payseal::paylands::KeyError) -> PyErr {
    raise(py, err.code(), &err.to_string(), None)
}

/// `BadSignature`, `Expired` (with `expires_at`, Unix seconds) or `Malformed` (with `reason`,
/// the core's short name such as `bad_base64`, and the `JsonError` as `__cause__` when the
/// envelope is not JSON).
pub fn qr(py: Python<'_>, err: payseal::eupay::QrError) -> PyErr {
    use payseal::eupay::{Malformed, QrError};
    match err {
        QrError::Expired { expires_at } => {
            let expires_at = pyo3::types::PyInt::new(py, expires_at).into_any();
            raise_with(py, err.code(), &err.to_string(), &[("expires_at", expires_at)])
        }
        QrError::Malformed(reason) => {
            let code = pyo3::types::PyString::new(py, reason.code()).into_any();
            let raised = raise_with(py, err.code(), &err.to_string(), &[("reason", code)]);
            if let Malformed::Json(cause) = reason {
                raised.set_cause(py, Some(json(py, cause)));
            }
            raised
        }
        _ => raise(py, err.code(), &err.to_string(), None),
    }
}

/// `JsonError` for a payload that is not JSON, `InvalidInput` otherwise
/// (`payload_not_object`, `payload_too_large`: the binding's names).
pub fn qr_sign(py: Python<'_>, err: payseal::eupay::SignError) -> PyErr {
    use payseal::eupay::SignError;
    match err {
        SignError::Json(e) => json(py, e),
        SignError::TooLarge { .. } => raise(py, "payload_too_large", &err.to_string(), None),
        _ => raise(py, err.code(), &err.to_string(), None),
    }
}
