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
