//! `payseal.canonicalize`: canonical JSON in the JavaScript or PHP dialect.

use payseal::json::{canonicalize_to_vec, Dialect, PhpFlags};
use pyo3::prelude::*;
use pyo3::types::PyBytes;

use crate::errors;
use crate::input::ByteInput;

/// Canonicalises JSON text as `JSON.stringify(JSON.parse(input))` (dialect "js") or
/// `json_encode(json_decode(input, true), flags)` (dialect "php") would print it. Dialect
/// names are the core's (`json::Dialect::from_name`).
#[pyfunction]
#[pyo3(signature = (input, dialect, *, unescaped_slashes = false, unescaped_unicode = false))]
pub fn canonicalize<'py>(
    py: Python<'py>,
    input: ByteInput<'_>,
    dialect: &str,
    unescaped_slashes: bool,
    unescaped_unicode: bool,
) -> PyResult<Bound<'py, PyBytes>> {
    let dialect = parse_dialect(py, dialect, unescaped_slashes, unescaped_unicode)?;
    let out = canonicalize_to_vec(input.as_bytes(), dialect).map_err(|e| errors::json(py, e))?;
    Ok(PyBytes::new(py, &out))
}

fn parse_dialect(py: Python<'_>, name: &str, unescaped_slashes: bool, unescaped_unicode: bool) -> PyResult<Dialect> {
    Dialect::from_name(name, PhpFlags { unescaped_slashes, unescaped_unicode }).ok_or_else(|| {
        errors::invalid_argument(
            py,
            &format!(
                "no JSON dialect {name:?} with these flags (unescaped_slashes and unescaped_unicode apply to \"php\")"
            ),
        )
    })
}
