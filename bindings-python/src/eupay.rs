//! EU Pay QR codes over `payseal::eupay`: `QrSigner` and `QrVerifier` hold the keyed HMAC state;
//! the functions are one-shot forms.

use payseal::eupay::{self, QrSigner, QrVerifier, SignedQrParts, VerifiedQr};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};

use crate::errors;
use crate::input::ByteInput;

/// The payload as JSON text: JSON text as given (any input type), or a dict/list serialised with
/// `json.dumps` (the core canonicalises it as `JSON.stringify` would, so the spelling
/// `json.dumps` chooses does not matter).
enum PayloadText<'a> {
    Given(ByteInput<'a>),
    Dumped(String),
}

impl PayloadText<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Given(b) => b.as_bytes(),
            Self::Dumped(s) => s.as_bytes(),
        }
    }
}

fn payload_text<'a>(payload: &'a Bound<'_, PyAny>) -> PyResult<PayloadText<'a>> {
    if payload.is_instance_of::<PyDict>() || payload.is_instance_of::<PyList>() {
        let kwargs = PyDict::new(payload.py());
        kwargs.set_item("ensure_ascii", false)?;
        kwargs.set_item("allow_nan", false)?;
        let text = payload.py().import("json")?.call_method("dumps", (payload,), Some(&kwargs))?;
        return Ok(PayloadText::Dumped(text.extract()?));
    }
    Ok(PayloadText::Given(payload.as_borrowed().extract()?))
}

/// Signs EU Pay QR payloads with one secret (the HMAC key schedule is computed once).
#[pyclass(module = "payseal", frozen, name = "QrSigner")]
pub struct PyQrSigner {
    inner: QrSigner,
}

impl std::fmt::Debug for PyQrSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QrSigner(<redacted>)")
    }
}

#[pymethods]
impl PyQrSigner {
    #[new]
    fn new(py: Python<'_>, secret: ByteInput<'_>) -> PyResult<Self> {
        let inner = QrSigner::new(secret.as_bytes()).map_err(|e| errors::from_core(py, &e, &[]))?;
        Ok(Self { inner })
    }

    /// The QR URL `https://www.european-pay.fr/pay?data=<base64url envelope>` for `payload`:
    /// JSON text of an object (canonicalised as `JSON.stringify(JSON.parse(text))` before
    /// signing), or a dict. Raises `JsonError`, `InvalidInputError` (`payload_not_object`) or
    /// `TooLargeError`.
    fn sign(&self, py: Python<'_>, payload: &Bound<'_, PyAny>) -> PyResult<String> {
        let text = payload_text(payload)?;
        self.inner.sign_to_url(text.bytes()).map_err(|e| errors::qr_sign(py, e))
    }

    /// Every form of the signed payload: canonical JSON, hex signature, base64url envelope, URL.
    fn sign_parts(&self, py: Python<'_>, payload: &Bound<'_, PyAny>) -> PyResult<PySignedQr> {
        let text = payload_text(payload)?;
        self.inner.sign_to_parts(text.bytes()).map(PySignedQr::from).map_err(|e| errors::qr_sign(py, e))
    }

    fn __repr__(&self) -> &'static str {
        "QrSigner(<redacted>)"
    }
}

/// A signed payload in every form.
#[pyclass(module = "payseal", frozen, name = "SignedQr")]
#[derive(Debug)]
pub struct PySignedQr {
    /// `JSON.stringify` of the payload: the signed text.
    #[pyo3(get)]
    canonical: String,
    /// HMAC-SHA256 of `canonical`, lowercase hex.
    #[pyo3(get)]
    sig: String,
    /// `{"payload":...,"sig":"..."}` in unpadded base64url.
    #[pyo3(get)]
    envelope: String,
    /// The QR URL.
    #[pyo3(get)]
    url: String,
}

impl From<SignedQrParts> for PySignedQr {
    fn from(p: SignedQrParts) -> Self {
        Self { canonical: p.canonical, sig: p.sig_hex, envelope: p.envelope_b64url, url: p.url }
    }
}

#[pymethods]
impl PySignedQr {
    fn __repr__(&self) -> String {
        format!("SignedQr(url='{}')", self.url)
    }
}

/// Verifies scanned EU Pay QR codes with one secret.
#[pyclass(module = "payseal", frozen, name = "QrVerifier")]
pub struct PyQrVerifier {
    inner: QrVerifier,
}

impl std::fmt::Debug for PyQrVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("QrVerifier(<redacted>)")
    }
}

#[pymethods]
impl PyQrVerifier {
    #[new]
    fn new(py: Python<'_>, secret: ByteInput<'_>) -> PyResult<Self> {
        let inner = QrVerifier::new(secret.as_bytes()).map_err(|e| errors::from_core(py, &e, &[]))?;
        Ok(Self { inner })
    }

    /// Verifies what a scanner read (the URL, the `eupay://pay?data=` deep link or the bare data
    /// parameter) at `now` (Unix seconds; default the clock) and returns the payload. Raises
    /// `BadSignatureError`, `ExpiredError` (`.expires_at`) or `MalformedError` (`.reason`).
    #[pyo3(signature = (qr, *, now = None))]
    fn verify(&self, py: Python<'_>, qr: ByteInput<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<PyVerifiedQr> {
        let now = crate::clock::unix_seconds(now)?;
        self.inner.verify(qr.as_bytes(), now).map(PyVerifiedQr::from).map_err(|e| errors::qr(py, e))
    }

    fn __repr__(&self) -> &'static str {
        "QrVerifier(<redacted>)"
    }
}

/// The payload of a verified QR code: the signed JSON and the usual fields (None when absent).
#[pyclass(module = "payseal", frozen, name = "VerifiedQr")]
#[derive(Debug)]
pub struct PyVerifiedQr {
    inner: VerifiedQr,
}

impl From<VerifiedQr> for PyVerifiedQr {
    fn from(inner: VerifiedQr) -> Self {
        Self { inner }
    }
}

#[pymethods]
impl PyVerifiedQr {
    /// The canonical payload, exactly the signed text.
    #[getter]
    fn payload_json(&self) -> &str {
        &self.inner.payload_json
    }

    /// The payload decoded with `json.loads`.
    #[getter]
    fn payload<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        py.import("json")?.call_method1("loads", (self.inner.payload_json.as_str(),))
    }

    /// `v`.
    #[getter]
    fn version(&self) -> Option<i64> {
        self.inner.version
    }

    /// `type`.
    #[getter(r#type)]
    fn payment_type(&self) -> Option<&str> {
        self.inner.payment_type.as_deref()
    }

    /// `amount` as a float.
    #[getter]
    fn amount(&self) -> Option<f64> {
        self.inner.amount
    }

    /// `amount` as written in the payload (for exact decimal arithmetic).
    #[getter]
    fn amount_text(&self) -> Option<&str> {
        self.inner.amount_text.as_deref()
    }

    /// `currency`.
    #[getter]
    fn currency(&self) -> Option<&str> {
        self.inner.currency.as_deref()
    }

    /// `expiresAt` in Unix seconds (None: does not expire).
    #[getter]
    fn expires_at(&self) -> Option<i64> {
        self.inner.expires_at
    }

    /// `requestId`.
    #[getter]
    fn request_id(&self) -> Option<&str> {
        self.inner.request_id.as_deref()
    }

    /// `gateway_reference`.
    #[getter]
    fn gateway_reference(&self) -> Option<&str> {
        self.inner.gateway_reference.as_deref()
    }

    /// `label`.
    #[getter]
    fn label(&self) -> Option<&str> {
        self.inner.label.as_deref()
    }

    /// `merchant.id`.
    #[getter]
    fn merchant_id(&self) -> Option<&str> {
        self.inner.merchant_id.as_deref()
    }

    /// `merchant.name`.
    #[getter]
    fn merchant_name(&self) -> Option<&str> {
        self.inner.merchant_name.as_deref()
    }

    fn __repr__(&self) -> String {
        format!("VerifiedQr({})", self.inner.payload_json)
    }
}

/// One-shot `QrSigner(secret).sign(payload)`.
#[pyfunction]
pub fn sign_qr(py: Python<'_>, secret: ByteInput<'_>, payload: &Bound<'_, PyAny>) -> PyResult<String> {
    PyQrSigner::new(py, secret)?.sign(py, payload)
}

/// One-shot `QrVerifier(secret).verify(qr, now=now)`.
#[pyfunction]
#[pyo3(signature = (secret, qr, *, now = None))]
pub fn verify_qr(
    py: Python<'_>,
    secret: ByteInput<'_>,
    qr: ByteInput<'_>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyVerifiedQr> {
    PyQrVerifier::new(py, secret)?.verify(py, qr, now)
}

/// The envelope JSON a QR carries, decoded WITHOUT verifying anything: for debugging only,
/// never act on it. Raises `MalformedError` when it cannot be decoded.
#[pyfunction]
pub fn decode_qr_unverified<'py>(py: Python<'py>, qr: ByteInput<'_>) -> PyResult<Bound<'py, PyBytes>> {
    let qr = qr.as_bytes();
    let mut buf = vec![0u8; eupay::scratch_len(qr.len().min(eupay::MAX_QR_LEN))];
    let n = eupay::decode_unverified(qr, &mut buf).map_err(|e| errors::qr(py, e))?;
    Ok(PyBytes::new(py, &buf[..n]))
}

/// Module constants.
pub fn add_constants(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("QR_URL_PREFIX", PyString::new(m.py(), eupay::URL_PREFIX))?;
    m.add("QR_DEEP_LINK_PREFIX", PyString::new(m.py(), eupay::DEEP_LINK_PREFIX))?;
    m.add("MAX_QR_LEN", eupay::MAX_QR_LEN)?;
    Ok(())
}
