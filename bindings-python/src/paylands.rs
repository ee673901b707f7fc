//! Paylands `validation_hash` over `payseal::paylands`: `PaylandsVerifier` owns the signature
//! and a reusable parser tape; the functions are one-shot forms.

use payseal::json::Tape;
use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey, Verifier};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::errors;
use crate::input::ByteInput;

fn parse_mode(py: Python<'_>, name: &str) -> PyResult<Mode> {
    name.parse().map_err(|_| errors::invalid_argument(py, &format!("unknown Paylands mode {name:?}")))
}

fn parse_flags(py: Python<'_>, name: &str) -> PyResult<Flags> {
    name.parse().map_err(|_| errors::invalid_argument(py, &format!("unknown Paylands flags {name:?}")))
}

fn parse_policy(py: Python<'_>, name: &str) -> PyResult<FlagsPolicy> {
    name.parse().map_err(|_| errors::invalid_argument(py, &format!("unknown Paylands flags policy {name:?}")))
}

fn key(py: Python<'_>, signature: &ByteInput<'_>) -> PyResult<SignatureKey> {
    SignatureKey::new(signature.as_bytes()).map_err(|e| errors::from_core(py, &e, &[]))
}

fn hex_str<'py>(py: Python<'py>, hex: &[u8; 64]) -> Bound<'py, PyString> {
    // Lowercase hex digits are ASCII.
    PyString::new(py, std::str::from_utf8(hex).unwrap_or_default())
}

/// Verifies Paylands notifications (or API responses) with one signature, reusing its parser
/// scratch: after the largest body it has seen, a verification allocates nothing.
#[pyclass(module = "payseal", name = "PaylandsVerifier")]
pub struct PyPaylandsVerifier {
    inner: Verifier,
}

impl std::fmt::Debug for PyPaylandsVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PaylandsVerifier(<redacted>)")
    }
}

#[pymethods]
impl PyPaylandsVerifier {
    /// `signature`: the service's signature from the Paylands back office (a secret; exact
    /// bytes, nothing trimmed). Raises `InvalidKeyError` when empty or over 256 bytes.
    #[new]
    fn new(py: Python<'_>, signature: ByteInput<'_>) -> PyResult<Self> {
        Ok(Self { inner: Verifier::new(key(py, &signature)?) })
    }

    /// Checks the body's own `validation_hash`; returns the flag set that matched
    /// (`"default"` or `"unescaped"`). `mode`: `"notification"` or `"response"`; `flags`:
    /// `"default"`, `"unescaped"` or `"auto"` (either). Raises `MismatchError` or `MalformedError`.
    #[pyo3(signature = (body, *, mode = "notification", flags = "auto"))]
    fn verify(&mut self, py: Python<'_>, body: ByteInput<'_>, mode: &str, flags: &str) -> PyResult<&'static str> {
        let (mode, policy) = (parse_mode(py, mode)?, parse_policy(py, flags)?);
        let matched = self.inner.verify(body.as_bytes(), mode, policy).map_err(|e| errors::paylands(py, e))?;
        Ok(matched.flags.as_str())
    }

    /// The lowercase hex `validation_hash` Paylands would send for `body` (its own
    /// `validation_hash`, if any, is ignored).
    #[pyo3(signature = (body, *, mode = "notification", flags = "default"))]
    fn hash<'py>(
        &mut self,
        py: Python<'py>,
        body: ByteInput<'_>,
        mode: &str,
        flags: &str,
    ) -> PyResult<Bound<'py, PyString>> {
        let (mode, flags) = (parse_mode(py, mode)?, parse_flags(py, flags)?);
        let mut hex = [0u8; 64];
        self.inner.hash_hex(body.as_bytes(), mode, flags, &mut hex).map_err(|e| errors::paylands(py, e))?;
        Ok(hex_str(py, &hex))
    }

    fn __repr__(&self) -> &'static str {
        "PaylandsVerifier(<redacted>)"
    }
}

/// One-shot `PaylandsVerifier(signature).verify(body, mode=mode, flags=flags)`.
#[pyfunction]
#[pyo3(signature = (signature, body, *, mode = "notification", flags = "auto"))]
pub fn verify_paylands(
    py: Python<'_>,
    signature: ByteInput<'_>,
    body: ByteInput<'_>,
    mode: &str,
    flags: &str,
) -> PyResult<&'static str> {
    let (mode, policy) = (parse_mode(py, mode)?, parse_policy(py, flags)?);
    let key = key(py, &signature)?;
    let matched =
        paylands::verify(body.as_bytes(), mode, policy, &key, &mut Tape::new()).map_err(|e| errors::paylands(py, e))?;
    Ok(matched.flags.as_str())
}

/// One-shot `PaylandsVerifier(signature).hash(body, mode=mode, flags=flags)`.
#[pyfunction]
#[pyo3(signature = (signature, body, *, mode = "notification", flags = "default"))]
pub fn paylands_hash<'py>(
    py: Python<'py>,
    signature: ByteInput<'_>,
    body: ByteInput<'_>,
    mode: &str,
    flags: &str,
) -> PyResult<Bound<'py, PyString>> {
    let (mode, flags) = (parse_mode(py, mode)?, parse_flags(py, flags)?);
    let key = key(py, &signature)?;
    let mut hex = [0u8; 64];
    paylands::hash_hex(body.as_bytes(), mode, flags, &key, &mut Tape::new(), &mut hex)
        .map_err(|e| errors::paylands(py, e))?;
    Ok(hex_str(py, &hex))
}

/// The JSON that Paylands hashes for `body` (`json_encode($data, flags)`, without the
/// signature): what to look at when a hash does not match.
#[pyfunction]
#[pyo3(signature = (body, *, mode = "notification", flags = "default"))]
pub fn paylands_data<'py>(
    py: Python<'py>,
    body: ByteInput<'_>,
    mode: &str,
    flags: &str,
) -> PyResult<Bound<'py, PyBytes>> {
    let (mode, flags) = (parse_mode(py, mode)?, parse_flags(py, flags)?);
    let mut out = Vec::new();
    paylands::encode_data(body.as_bytes(), mode, flags, &mut Tape::new(), &mut out)
        .map_err(|e| errors::paylands(py, e))?;
    Ok(PyBytes::new(py, &out))
}
