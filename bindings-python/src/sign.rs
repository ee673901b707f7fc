//! Webhook signing over `payseal::webhooks::KeySet::sign`: `WebhookSigner` holds a precomputed
//! `KeySet` (the mirror of `WebhookVerifier`, same constructor); `sign_webhook` is the one-shot
//! form. Which secret signs (the first, newest), what the headers are, their order, and which
//! body is sent are all the core's.
//!
//! Per call: the output goes into a stack buffer (any MAC scheme fits; bigger outputs, the
//! signed Adyen item, Spreedly document or OPPWA ciphertext, into one heap buffer sized by
//! `KeySet::sign_len`), the clock is read only for the schemes that sign a timestamp
//! (`Scheme::checks_timestamp`), and bodies of [`DETACH_MIN`] bytes or more are signed with the
//! GIL released. The result is a `SignedWebhook` holding a `dict` of headers (names as the
//! provider spells them, in the core's order) and the `bytes` to send: for the MAC schemes the
//! body given (the same object when it is `bytes`).

use payseal::webhooks::{KeySet, SignError, SignOptions};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::errors::{self, Detail};
use crate::input::ByteInput;
use crate::webhooks::{key_set, parse_scheme};

/// Outputs up to this size (every MAC scheme's headers) are written on the stack.
const STACK: usize = 512;

/// Bodies from this size on are signed with the GIL released, as `verify` does.
const DETACH_MIN: usize = 64 * 1024;

/// The exception for a signing error, with `needed` for a buffer that was too small.
fn sign_error(py: Python<'_>, err: SignError) -> PyErr {
    match err {
        SignError::BufferTooSmall { needed } => errors::from_core(py, &err, &[Detail::Needed(needed)]),
        _ => errors::from_core(py, &err, &[]),
    }
}

/// The options of one call, owned for the duration of the call.
struct Options {
    now: i64,
    id: Option<String>,
    iv: Option<[u8; 12]>,
    fields: Option<String>,
    algorithm: Option<String>,
}

impl Options {
    fn as_core(&self) -> SignOptions<'_> {
        SignOptions {
            now: self.now,
            id: self.id.as_deref(),
            iv: self.iv,
            fields: self.fields.as_deref(),
            algorithm: self.algorithm.as_deref(),
        }
    }
}

/// Reads the keyword options. `now`: the clock only when the scheme signs a timestamp.
fn options(
    py: Python<'_>,
    keys: &KeySet,
    now: Option<&Bound<'_, PyAny>>,
    id: Option<&Bound<'_, PyAny>>,
    iv: Option<ByteInput<'_>>,
    fields: Option<&Bound<'_, PyAny>>,
    algorithm: Option<&Bound<'_, PyAny>>,
) -> PyResult<Options> {
    let now = match now {
        None if !keys.scheme().checks_timestamp() => 0,
        now => crate::clock::unix_seconds(now)?,
    };
    let text = |v: Option<&Bound<'_, PyAny>>, name: &str| -> PyResult<Option<String>> {
        v.map(|v| v.extract::<String>().map_err(|_| PyTypeError::new_err(format!("{name} must be a str or None"))))
            .transpose()
    };
    let iv =
        match iv {
            None => None,
            Some(iv) => Some(<[u8; 12]>::try_from(iv.as_bytes()).map_err(|_| {
                errors::invalid_argument(py, &format!("iv must be 12 bytes, not {}", iv.as_bytes().len()))
            })?),
        };
    let fields = match fields {
        Some(f) if f.is_instance_of::<PyList>() || f.is_instance_of::<PyTuple>() => {
            let names: Vec<String> =
                f.extract().map_err(|_| PyTypeError::new_err("fields must be a str or a sequence of str"))?;
            Some(names.join(" "))
        }
        other => text(other, "fields")?,
    };
    Ok(Options { now, id: text(id, "id")?, iv, fields, algorithm: text(algorithm, "algorithm")? })
}

/// A signed delivery: the headers to add and the body to send.
#[pyclass(module = "payseal", frozen, name = "SignedWebhook")]
#[derive(Debug)]
pub struct PySignedWebhook {
    /// The headers to add, `{name: value}`, names as the provider spells them, in the order
    /// the provider sends them.
    #[pyo3(get)]
    headers: Py<PyDict>,
    /// The body to send: the body given for the MAC schemes; the signed item (`adyen_item`),
    /// the document with its `<signed>` block (`spreedly`), the ciphertext (`oppwa`).
    #[pyo3(get)]
    body: Py<PyBytes>,
}

#[pymethods]
impl PySignedWebhook {
    /// `headers, body = signed`.
    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyTuple::new(py, [self.headers.bind(py).as_any(), self.body.bind(py).as_any()])?.try_iter().map(Bound::into_any)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "SignedWebhook(headers={}, body=<{} bytes>)",
            self.headers.bind(py).repr()?,
            self.body.bind(py).len()?
        ))
    }
}

/// Signs `body` with `keys` and builds the result. `body_obj` is returned as the body when the
/// scheme sends the body as given and it is already `bytes`.
fn sign<'py>(
    py: Python<'py>,
    keys: &KeySet,
    body_obj: &Bound<'py, PyAny>,
    body: &ByteInput<'_>,
    opts: &Options,
) -> PyResult<Bound<'py, PySignedWebhook>> {
    let opts = opts.as_core();
    let bytes = body.as_bytes();
    let mut stack = [0u8; STACK];
    let mut heap = Vec::new();
    let mut len = keys.sign_len(bytes, &opts);
    loop {
        let out: &mut [u8] = if len <= STACK {
            stack.get_mut(..len).unwrap_or_default()
        } else {
            heap.resize(len, 0);
            heap.as_mut_slice()
        };
        let outcome = if bytes.len() >= DETACH_MIN {
            // `bytes` (a bytes or str object the caller holds) is immutable; a writable buffer
            // is copied first, as `verify` does.
            let detached = body.detached_ref();
            py.detach(|| keys.sign(detached.as_ref(), &opts, out))
        } else {
            keys.sign(bytes, &opts, out)
        };
        match outcome {
            Ok(signed) => return result(py, &signed, body_obj, bytes),
            // `sign_len` is an upper bound but for documents whose signed form it cannot
            // foresee; the core then says exactly how much it needs.
            Err(SignError::BufferTooSmall { needed }) if needed > len => len = needed,
            Err(e) => return Err(sign_error(py, e)),
        }
    }
}

fn result<'py>(
    py: Python<'py>,
    signed: &payseal::webhooks::Signed<'_>,
    body_obj: &Bound<'py, PyAny>,
    given: &[u8],
) -> PyResult<Bound<'py, PySignedWebhook>> {
    let headers = PyDict::new(py);
    for (name, value) in signed.headers() {
        headers.set_item(PyString::intern(py, name), PyString::new(py, value))?;
    }
    let body = match signed.body() {
        Some(sent) => PyBytes::new(py, sent),
        None => match body_obj.cast::<PyBytes>() {
            Ok(b) => b.clone(),
            Err(_) => PyBytes::new(py, given),
        },
    };
    Bound::new(py, PySignedWebhook { headers: headers.unbind(), body: body.unbind() })
}

/// Signs webhook deliveries of one provider with the newest of its secrets (the mirror of
/// `WebhookVerifier`: the same scheme names and secrets, parsed and precomputed once).
#[pyclass(module = "payseal", frozen, name = "WebhookSigner")]
pub struct PyWebhookSigner {
    keys: KeySet,
}

impl std::fmt::Debug for PyWebhookSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.keys.fmt(f)
    }
}

#[pymethods]
impl PyWebhookSigner {
    /// `scheme` is a provider's name (`"eupay"`, `"github"`, `"stripe"`, `"standard"`, ...);
    /// `secrets` one secret or several, newest first: the first one signs (the others are
    /// accepted so that the same list configures the sender and the receiver during a
    /// rotation). Raises `InvalidKeyError` for secrets not in the scheme's format.
    #[new]
    fn new(py: Python<'_>, scheme: &str, secrets: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self { keys: key_set(py, parse_scheme(py, scheme)?, secrets)? })
    }

    /// Signs `body` (the bytes to send, exactly) and returns a `SignedWebhook`: the headers to
    /// add and the body to send. `now`: Unix seconds (default: the clock; only `stripe` and
    /// `standard` sign it); `id`: the Standard Webhooks message id (default: `msg_` and 32
    /// random hex digits); `iv`: OPPWA's 12-byte nonce (default: random; never reuse one);
    /// `fields` and `algorithm`: Spreedly's signed fields (default: every simple child) and
    /// `sha1`/`sha256`/`sha512` (default `sha256`).
    #[pyo3(signature = (body, *, now = None, id = None, iv = None, fields = None, algorithm = None))]
    #[allow(clippy::too_many_arguments)]
    fn sign<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        id: Option<&Bound<'_, PyAny>>,
        iv: Option<ByteInput<'_>>,
        fields: Option<&Bound<'_, PyAny>>,
        algorithm: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PySignedWebhook>> {
        let opts = options(py, &self.keys, now, id, iv, fields, algorithm)?;
        let input: ByteInput<'_> = body.as_borrowed().extract()?;
        sign(py, &self.keys, body, &input, &opts)
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.keys.scheme().name()
    }

    /// How many secrets the signer holds (the first one signs).
    fn __len__(&self) -> usize {
        self.keys.len()
    }

    fn __repr__(&self) -> String {
        format!("WebhookSigner('{}', <{} secret(s)>)", self.keys.scheme().name(), self.keys.len())
    }
}

/// One-shot `WebhookSigner(scheme, secrets).sign(body, ...)`. Build a `WebhookSigner` once
/// instead when signing repeatedly.
#[pyfunction]
#[pyo3(signature = (scheme, secrets, body, *, now = None, id = None, iv = None, fields = None, algorithm = None))]
#[allow(clippy::too_many_arguments)]
pub fn sign_webhook<'py>(
    py: Python<'py>,
    scheme: &str,
    secrets: &Bound<'_, PyAny>,
    body: &Bound<'py, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    id: Option<&Bound<'_, PyAny>>,
    iv: Option<ByteInput<'_>>,
    fields: Option<&Bound<'_, PyAny>>,
    algorithm: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PySignedWebhook>> {
    let keys = key_set(py, parse_scheme(py, scheme)?, secrets)?;
    let opts = options(py, &keys, now, id, iv, fields, algorithm)?;
    let input: ByteInput<'_> = body.as_borrowed().extract()?;
    sign(py, &keys, body, &input, &opts)
}
