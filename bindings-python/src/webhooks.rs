//! Webhook verification over `payseal::webhooks`: `WebhookVerifier` holds a precomputed
//! `KeySet`; headers come as a dict, any mapping with `.items()` (Starlette's and Werkzeug's
//! header objects), or an iterable of `(name, value)` pairs, and are looked up by the core.

use std::num::NonZeroUsize;

use payseal::webhooks::{self, Freshness, Item, KeySet, Scheme};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::errors;
use crate::input::{ByteInput, Detached};

// The Python signatures spell the core's default tolerance as a literal (so that stubs and
// `help()` show it); this keeps them equal.
const _: () = assert!(Freshness::DEFAULT_TOLERANCE == 300);

/// The names of every scheme, as `Scheme::name` spells them.
pub fn scheme_names() -> Vec<&'static str> {
    Scheme::ALL.iter().map(|s| s.name()).collect()
}

fn parse_scheme(name: &str) -> PyResult<Scheme> {
    Scheme::from_name(name).ok_or_else(|| {
        PyValueError::new_err(format!("unknown webhook scheme {name:?}; expected one of {}", scheme_names().join(", ")))
    })
}

/// `now` (Unix seconds, default the clock) and `tolerance` as given.
fn freshness(now: Option<&Bound<'_, PyAny>>, tolerance: u64) -> PyResult<Freshness> {
    Ok(Freshness::new(crate::clock::unix_seconds(now)?, tolerance))
}

/// Python objects holding header names and values, kept alive while their bytes are borrowed.
type HeaderObjects<'py> = Vec<(Bound<'py, PyAny>, Bound<'py, PyAny>)>;

/// Collects the `(name, value)` objects of the headers the scheme reads (`wanted`, compared
/// case-insensitively) from a dict, a mapping with `.items()`, or pairs. A request carries a
/// dozen headers a verifier never looks at: they are not converted.
fn header_objects<'py>(headers: &Bound<'py, PyAny>, wanted: &[&str]) -> PyResult<HeaderObjects<'py>> {
    let mut out = Vec::with_capacity(wanted.len());
    let mut keep = |name: Bound<'py, PyAny>, value: Bound<'py, PyAny>| -> PyResult<()> {
        let matches = {
            let n: ByteInput<'_> = name.as_borrowed().extract()?;
            wanted.iter().any(|w| n.as_bytes().eq_ignore_ascii_case(w.as_bytes()))
        };
        if matches {
            out.push((name, value));
        }
        Ok(())
    };
    if let Ok(dict) = headers.cast::<PyDict>() {
        if !wanted.is_empty() {
            for (name, value) in dict.iter() {
                keep(name, value)?;
            }
        }
        return Ok(out);
    }
    let pairs = if headers.is_instance_of::<PyString>() || headers.is_instance_of::<PyBytes>() {
        return Err(headers_type_error());
    } else if headers.hasattr("items")? {
        headers.call_method0("items")?
    } else {
        headers.clone()
    };
    for pair in pairs.try_iter().map_err(|_| headers_type_error())? {
        let pair = pair?;
        let (name, value) = if let Ok(t) = pair.cast::<PyTuple>() {
            if t.len() != 2 {
                return Err(headers_type_error());
            }
            (t.get_item(0)?, t.get_item(1)?)
        } else if let Ok(l) = pair.cast::<PyList>() {
            if l.len() != 2 {
                return Err(headers_type_error());
            }
            (l.get_item(0)?, l.get_item(1)?)
        } else {
            return Err(headers_type_error());
        };
        keep(name, value)?;
    }
    Ok(out)
}

fn headers_type_error() -> PyErr {
    PyTypeError::new_err("headers must be a dict, a mapping with .items(), or an iterable of (name, value) pairs")
}

/// Header names and values read in place (`str` as UTF-8, or bytes-like).
fn header_inputs<'a>(objects: &'a HeaderObjects<'_>) -> PyResult<Vec<(ByteInput<'a>, ByteInput<'a>)>> {
    objects.iter().map(|(n, v)| Ok((n.as_borrowed().extract()?, v.as_borrowed().extract()?))).collect()
}

/// Secrets given as one `str`/bytes-like or a sequence of them (several during a rotation).
fn key_set(py: Python<'_>, scheme: Scheme, secrets: &Bound<'_, PyAny>) -> PyResult<KeySet> {
    let single = secrets.is_instance_of::<PyString>() || secrets.extract::<ByteInput<'_>>().is_ok();
    let objects: Vec<Bound<'_, PyAny>> = if single {
        vec![secrets.clone()]
    } else {
        secrets
            .try_iter()
            .map_err(|_| PyTypeError::new_err("secrets must be a str, bytes-like, or a sequence of them"))?
            .collect::<PyResult<_>>()?
    };
    let inputs: Vec<ByteInput<'_>> = objects.iter().map(|o| o.as_borrowed().extract()).collect::<PyResult<_>>()?;
    KeySet::new(scheme, &inputs).map_err(|e| errors::webhook_key(py, e))
}

/// Verifies webhook deliveries of one provider with one or more secrets, parsed and
/// precomputed once (the HMAC key schedule, or the AES key for OPPWA).
#[pyclass(module = "payseal", frozen, name = "WebhookVerifier")]
pub struct PyWebhookVerifier {
    keys: KeySet,
}

impl std::fmt::Debug for PyWebhookVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.keys.fmt(f)
    }
}

impl PyWebhookVerifier {
    fn open_bytes(
        &self,
        headers: &[(ByteInput<'_>, ByteInput<'_>)],
        body: &[u8],
        at: Freshness,
    ) -> Result<Vec<u8>, webhooks::Error> {
        let mut out = vec![0u8; self.keys.open_len(body)];
        let n = self.keys.open(headers, body, at, &mut out)?;
        out.truncate(n);
        Ok(out)
    }
}

#[pymethods]
impl PyWebhookVerifier {
    /// `scheme` is a provider's name (`"eupay"`, `"github"`, `"stripe"`, `"standard"`, ...);
    /// `secrets` one secret or up to four (tried in order, for rotations), as the provider
    /// shows them. Raises `InvalidKey` for secrets not in the scheme's format.
    #[new]
    fn new(py: Python<'_>, scheme: &str, secrets: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self { keys: key_set(py, parse_scheme(scheme)?, secrets)? })
    }

    /// Verifies one delivery: `headers` as received, `body` the raw bytes as received. Returns
    /// None when authentic (and fresh, for schemes that sign a timestamp); raises a
    /// `VerificationError` subclass otherwise. `now`: Unix seconds (default: the clock);
    /// `tolerance`: seconds either way.
    #[pyo3(signature = (headers, body, *, now = None, tolerance = 300))]
    fn verify(
        &self,
        py: Python<'_>,
        headers: &Bound<'_, PyAny>,
        body: ByteInput<'_>,
        now: Option<&Bound<'_, PyAny>>,
        tolerance: u64,
    ) -> PyResult<()> {
        let at = freshness(now, tolerance)?;
        let objects = header_objects(headers, self.keys.scheme().header_names())?;
        let headers = header_inputs(&objects)?;
        self.keys.verify(headers.as_slice(), body.as_bytes(), at).map_err(|e| errors::webhook(py, e))
    }

    /// Verifies like `verify` and returns the authenticated payload: the decrypted
    /// notification for OPPWA, a copy of `body` for the MAC schemes.
    #[pyo3(signature = (headers, body, *, now = None, tolerance = 300))]
    fn open<'py>(
        &self,
        py: Python<'py>,
        headers: &Bound<'_, PyAny>,
        body: ByteInput<'_>,
        now: Option<&Bound<'_, PyAny>>,
        tolerance: u64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let at = freshness(now, tolerance)?;
        let objects = header_objects(headers, self.keys.scheme().header_names())?;
        let headers = header_inputs(&objects)?;
        if !self.keys.scheme().is_encrypted() {
            self.keys.verify(headers.as_slice(), body.as_bytes(), at).map_err(|e| errors::webhook(py, e))?;
            return Ok(PyBytes::new(py, body.as_bytes()));
        }
        let plain = self.open_bytes(&headers, body.as_bytes(), at).map_err(|e| errors::webhook(py, e))?;
        Ok(PyBytes::new(py, &plain))
    }

    /// Verifies many `(headers, body)` deliveries at once, with the GIL released and spread
    /// over the cores; returns one outcome per delivery, in order: None (authentic) or the
    /// exception `verify` would have raised (not raised).
    #[pyo3(signature = (deliveries, *, now = None, tolerance = 300, threads = None))]
    fn verify_batch(
        slf: &Bound<'_, Self>,
        deliveries: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        tolerance: u64,
        threads: Option<usize>,
    ) -> PyResult<Vec<Option<PyErr>>> {
        let triples = deliveries
            .try_iter()?
            .map(|d| {
                let d = d?;
                let pair = d
                    .cast::<PyTuple>()
                    .map_err(|_| PyTypeError::new_err("each delivery must be a (headers, body) tuple"))?;
                if pair.len() != 2 {
                    return Err(PyTypeError::new_err("each delivery must be a (headers, body) tuple"));
                }
                Ok((slf.clone(), pair.get_item(0)?, pair.get_item(1)?))
            })
            .collect::<PyResult<Vec<_>>>()?;
        batch(slf.py(), &triples, freshness(now, tolerance)?, threads)
    }

    /// The scheme's name.
    #[getter]
    fn scheme(&self) -> &'static str {
        self.keys.scheme().name()
    }

    /// How many secrets the verifier holds.
    fn __len__(&self) -> usize {
        self.keys.len()
    }

    fn __repr__(&self) -> String {
        format!("WebhookVerifier('{}', <{} secret(s)>)", self.keys.scheme().name(), self.keys.len())
    }
}

/// A delivery of a batch, its bytes readable without the GIL.
struct Prepared<'a> {
    headers: Vec<(Detached<'a>, Detached<'a>)>,
    body: Detached<'a>,
}

/// Verifies `(verifier, headers, body)` triples with the GIL released (core `verify_batch`).
fn batch<'py>(
    py: Python<'py>,
    triples: &[(Bound<'py, PyWebhookVerifier>, Bound<'py, PyAny>, Bound<'py, PyAny>)],
    at: Freshness,
    threads: Option<usize>,
) -> PyResult<Vec<Option<PyErr>>> {
    let objects: Vec<HeaderObjects<'py>> = triples
        .iter()
        .map(|(v, h, _)| header_objects(h, v.get().keys.scheme().header_names()))
        .collect::<PyResult<_>>()?;
    let prepared: Vec<Prepared<'_>> = triples
        .iter()
        .zip(&objects)
        .map(|((_, _, body), objects)| {
            let headers = header_inputs(objects)?.into_iter().map(|(n, v)| (n.detached(), v.detached())).collect();
            Ok(Prepared { headers, body: body.as_borrowed().extract::<ByteInput<'_>>()?.detached() })
        })
        .collect::<PyResult<_>>()?;
    let items: Vec<Item<'_, [(Detached<'_>, Detached<'_>)]>> = triples
        .iter()
        .zip(&prepared)
        .map(|((verifier, _, _), p)| Item {
            keys: &verifier.get().keys,
            headers: p.headers.as_slice(),
            body: p.body.as_ref(),
        })
        .collect();
    let outcomes = py.detach(|| match threads.and_then(NonZeroUsize::new) {
        Some(n) => webhooks::verify_batch_on(&items, at, n),
        None => webhooks::verify_batch(&items, at),
    });
    Ok(outcomes.into_iter().map(|o| o.err().map(|e| errors::webhook(py, e))).collect())
}

/// Verifies many `(verifier, headers, body)` deliveries at once (possibly of different
/// providers), with the GIL released and spread over the cores; one outcome per delivery, in
/// order: None (authentic) or the exception `verify` would have raised.
#[pyfunction]
#[pyo3(signature = (items, *, now = None, tolerance = 300, threads = None))]
pub fn verify_webhook_batch(
    py: Python<'_>,
    items: &Bound<'_, PyAny>,
    now: Option<&Bound<'_, PyAny>>,
    tolerance: u64,
    threads: Option<usize>,
) -> PyResult<Vec<Option<PyErr>>> {
    let shape = || PyTypeError::new_err("each item must be a (WebhookVerifier, headers, body) tuple");
    let triples = items
        .try_iter()?
        .map(|item| {
            let item = item?;
            let t = item.cast::<PyTuple>().map_err(|_| shape())?;
            if t.len() != 3 {
                return Err(shape());
            }
            let verifier = t.get_item(0)?.cast_into::<PyWebhookVerifier>().map_err(|_| shape())?;
            Ok((verifier, t.get_item(1)?, t.get_item(2)?))
        })
        .collect::<PyResult<Vec<_>>>()?;
    batch(py, &triples, freshness(now, tolerance)?, threads)
}

/// One-shot `WebhookVerifier(scheme, secrets).verify(headers, body, now=..., tolerance=...)`.
/// Build a `WebhookVerifier` once instead when verifying repeatedly.
#[pyfunction]
#[pyo3(signature = (scheme, secrets, headers, body, *, now = None, tolerance = 300))]
pub fn verify_webhook(
    py: Python<'_>,
    scheme: &str,
    secrets: &Bound<'_, PyAny>,
    headers: &Bound<'_, PyAny>,
    body: ByteInput<'_>,
    now: Option<&Bound<'_, PyAny>>,
    tolerance: u64,
) -> PyResult<()> {
    PyWebhookVerifier::new(py, scheme, secrets)?.verify(py, headers, body, now, tolerance)
}
