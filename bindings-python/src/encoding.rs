//! Hex and base64 over `payseal::encoding`, and the constant-time comparison `payseal::ct::eq`.

use payseal::encoding::{base64, hex, EncodingError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors;
use crate::input::ByteInput;

type Encoder = fn(&[u8], &mut [u8]) -> Result<usize, EncodingError>;

/// Runs a core encoder into a buffer of `len` bytes and returns the (ASCII) text.
fn encode_text<'py>(
    py: Python<'py>,
    src: &[u8],
    len: usize,
    encode: Encoder,
    what: &str,
) -> PyResult<Bound<'py, PyString>> {
    let mut out = vec![0u8; len];
    let n = encode(src, &mut out).map_err(|e| errors::encoding(py, e, what))?;
    let text = std::str::from_utf8(&out[..n]).map_err(|_| errors::raise(py, "internal", what, &[]))?;
    Ok(PyString::new(py, text))
}

/// Runs a core decoder into a buffer of at most `len` bytes.
fn decode_bytes<'py>(
    py: Python<'py>,
    src: &[u8],
    len: usize,
    decode: Encoder,
    what: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut out = vec![0u8; len];
    let n = decode(src, &mut out).map_err(|e| errors::encoding(py, e, what))?;
    Ok(PyBytes::new(py, &out[..n]))
}

/// Lowercase hex of `data`.
#[pyfunction]
pub fn hex_encode<'py>(py: Python<'py>, data: ByteInput<'_>) -> PyResult<Bound<'py, PyString>> {
    let src = data.as_bytes();
    encode_text(py, src, hex::encoded_len(src.len()), hex::encode, "hex")
}

/// Decodes hex (either case); an odd length or a non-hex character raises `EncodingError`.
#[pyfunction]
pub fn hex_decode<'py>(py: Python<'py>, text: ByteInput<'_>) -> PyResult<Bound<'py, PyBytes>> {
    let src = text.as_bytes();
    decode_bytes(py, src, src.len() / 2, hex::decode, "hex")
}

/// Unpadded base64url of `data` (RFC 4648 §5).
#[pyfunction]
pub fn base64url_encode<'py>(py: Python<'py>, data: ByteInput<'_>) -> PyResult<Bound<'py, PyString>> {
    let src = data.as_bytes();
    encode_text(py, src, base64::url_encoded_len(src.len()), base64::url_encode, "base64url")
}

/// Decodes base64url; `=` padding is optional but must be correct when present.
#[pyfunction]
pub fn base64url_decode<'py>(py: Python<'py>, text: ByteInput<'_>) -> PyResult<Bound<'py, PyBytes>> {
    let src = text.as_bytes();
    decode_bytes(py, src, base64::decoded_len_upper(src.len()), base64::url_decode, "base64url")
}

/// Padded standard base64 of `data` (RFC 4648 §4).
#[pyfunction]
pub fn base64_encode<'py>(py: Python<'py>, data: ByteInput<'_>) -> PyResult<Bound<'py, PyString>> {
    let src = data.as_bytes();
    encode_text(py, src, base64::standard_encoded_len(src.len()), base64::standard_encode, "base64")
}

/// Decodes padded standard base64 (padding required).
#[pyfunction]
pub fn base64_decode<'py>(py: Python<'py>, text: ByteInput<'_>) -> PyResult<Bound<'py, PyBytes>> {
    let src = text.as_bytes();
    decode_bytes(py, src, base64::decoded_len_upper(src.len()), base64::standard_decode, "base64")
}

/// True when `a` and `b` are equal, in time that depends only on their lengths.
#[pyfunction]
pub fn compare_digest(a: ByteInput<'_>, b: ByteInput<'_>) -> bool {
    payseal::ct::eq(a.as_bytes(), b.as_bytes())
}
