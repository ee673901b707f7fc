//! `payseal.canonicalize`: canonical JSON in the JavaScript or PHP dialect.

use payseal::json::{canonicalize_to_vec, Dialect, PhpFlags};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors;
use crate::input::ByteInput;

/// Canonicalises JSON text as `JSON.stringify(JSON.parse(data))` (dialect "js") or
/// `json_encode(json_decode(data, true), flags)` (dialect "php") would print it.
#[pyfunction]
#[pyo3(signature = (data, dialect = "js", *, unescaped_slashes = false, unescaped_unicode = false))]
pub fn canonicalize<'py>(
    py: Python<'py>,
    data: ByteInput<'_>,
    dialect: &str,
    unescaped_slashes: bool,
    unescaped_unicode: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let dialect = parse_dialect(dialect, unescaped_slashes, unescaped_unicode)?;
    let out = canonicalize_to_vec(data.as_bytes(), dialect).map_err(|e| errors::json(py, e))?;
    Ok(PyBytes::new(py, &out))
}

fn parse_dialect(name: &str, unescaped_slashes: bool, unescaped_unicode: bool) -> PyResult<Dialect> {
    match name {
        "js" if unescaped_slashes || unescaped_unicode => {
            Err(PyValueError::new_err("unescaped_slashes and unescaped_unicode apply to dialect=\"php\" only"))
        }
        "js" => Ok(Dialect::Js),
        "php" => Ok(Dialect::Php(PhpFlags { unescaped_slashes, unescaped_unicode })),
        other => Err(PyValueError::new_err(format!("dialect must be \"js\" or \"php\", not {other:?}"))),
    }
}
