//! Webhook verification over `payseal::webhooks`: `WebhookVerifier` holds a precomputed
//! `KeySet`; headers come as a dict, any mapping with `.items()` (Starlette's and Werkzeug's
//! header objects), or an iterable of `(name, value)` pairs, and are looked up by the core.
//!
//! Per call, the binding converts only the headers the scheme reads (`Scheme::header_names`),
//! keeps them on the stack (no allocation for up to [`INLINE`] of them), reads the clock only for
//! schemes that check a timestamp (`Scheme::checks_timestamp`), and keeps the GIL: releasing it
//! costs more than a microsecond-long check. Bodies of [`DETACH_MIN`] bytes or more, and batches,
//! run with the GIL released.

use std::num::NonZeroUsize;

use payseal::webhooks::{self, Freshness, Headers, Item, KeySet, Scheme};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::errors;
use crate::input::{ByteInput, Detached};

// The Python signatures spell the core's default tolerance as a literal (so that stubs and
// `help()` show it); this keeps them equal.
const _: () = assert!(Freshness::DEFAULT_TOLERANCE == 300);

/// Matching headers kept on the stack; more (repeated headers) spill to the heap.
const INLINE: usize = 4;

/// Bodies from this size on are verified with the GIL released (HMAC-SHA256 of 64 KiB takes
/// ~40 us; below this, releasing and re-taking the GIL costs more than it lets others run).
const DETACH_MIN: usize = 64 * 1024;

/// The names of every scheme, as `Scheme::name` spells them.
pub fn scheme_names() -> Vec<&'static str> {
    Scheme::ALL.iter().map(|s| s.name()).collect()
}

pub(crate) fn parse_scheme(py: Python<'_>, name: &str) -> PyResult<Scheme> {
    Scheme::from_name(name).ok_or_else(|| {
        errors::invalid_argument(
            py,
            &format!("unknown webhook scheme {name:?}; expected one of {}", scheme_names().join(", ")),
        )
    })
}

/// `now` (Unix seconds; `None`: the clock, read only when the scheme checks a timestamp) and
/// `tolerance` as given.
fn freshness(scheme: Scheme, now: Option<&Bound<'_, PyAny>>, tolerance: u64) -> PyResult<Freshness> {
    let now = match now {
        None if !scheme.checks_timestamp() => 0,
        now => crate::clock::unix_seconds(now)?,
    };
    Ok(Freshness::new(now, tolerance))
}

/// A few values on the stack, more on the heap.
struct Small<T> {
    inline: [Option<T>; INLINE],
    len: usize,
    spill: Vec<T>,
}

impl<T> Small<T> {
    fn new() -> Self {
        Self { inline: std::array::from_fn(|_| None), len: 0, spill: Vec::new() }
    }

    fn push(&mut self, value: T) {
        if let Some(slot) = self.inline.get_mut(self.len) {
            *slot = Some(value);
            self.len += 1;
        } else {
            self.spill.push(value);
        }
    }

    fn iter(&self) -> impl Iterator<Item = &T> {
        self.inline[..self.len].iter().flatten().chain(self.spill.iter())
    }
}

/// Python objects holding header names and values, kept alive while their bytes are borrowed.
type HeaderObjects<'py> = Small<(Bound<'py, PyAny>, Bound<'py, PyAny>)>;

/// Header names and values read in place, as the core reads them.
struct HeaderInputs<'a>(Small<(ByteInput<'a>, ByteInput<'a>)>);

impl Headers for HeaderInputs<'_> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.0
            .iter()
            .filter(move |(n, _)| n.as_bytes().eq_ignore_ascii_case(name.as_bytes()))
            .map(|(_, v)| v.as_bytes())
    }
}

/// True when `name` is one of `wanted`, compared ASCII case-insensitively.
fn is_wanted(name: Borrowed<'_, '_, PyAny>, wanted: &[&str]) -> PyResult<bool> {
    let n: ByteInput<'_> = name.extract()?;
    let n = n.as_bytes();
    Ok(wanted.iter().any(|w| n.len() == w.len() && n.eq_ignore_ascii_case(w.as_bytes())))
}

/// The pairs to read: a dict as it is, a mapping's `.items()` (called once), or the object.
enum Source<'py> {
    Dict(Bound<'py, PyDict>),
    Pairs(Bound<'py, PyAny>),
}

fn source<'py>(headers: &Bound<'py, PyAny>) -> PyResult<Source<'py>> {
    if let Ok(dict) = headers.cast::<PyDict>() {
        return Ok(Source::Dict(dict.clone()));
    }
    if headers.is_instance_of::<PyList>() || headers.is_instance_of::<PyTuple>() {
        return Ok(Source::Pairs(headers.clone())); // no `.items()` to look up (a failed lookup costs ~0.2 us)
    }
    if headers.is_instance_of::<PyString>() || headers.is_instance_of::<PyBytes>() {
        return Err(headers_type_error());
    }
    let items = pyo3::intern!(headers.py(), "items");
    if headers.hasattr(items)? {
        return Ok(Source::Pairs(headers.call_method0(items)?));
    }
    Ok(Source::Pairs(headers.clone()))
}

/// Collects the `(name, value)` objects of the headers the scheme reads (`wanted`): the general
/// way, for any iterable of pairs and any bytes-like names and values.
fn header_objects<'py>(source: &Source<'py>, wanted: &[&str]) -> PyResult<HeaderObjects<'py>> {
    let mut out = Small::new();
    let pairs = match source {
        Source::Dict(dict) => {
            if !wanted.is_empty() {
                for (name, value) in dict.iter() {
                    if is_wanted(name.as_borrowed(), wanted)? {
                        out.push((name, value));
                    }
                }
            }
            return Ok(out);
        }
        Source::Pairs(pairs) => pairs,
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
        if is_wanted(name.as_borrowed(), wanted)? {
            out.push((name, value));
        }
    }
    Ok(out)
}

fn headers_type_error() -> PyErr {
    PyTypeError::new_err("headers must be a dict, a mapping with .items(), or an iterable of (name, value) pairs")
}

/// Header names and values read in place (`str` as UTF-8, or bytes-like).
fn header_inputs<'a>(objects: &'a HeaderObjects<'_>) -> PyResult<HeaderInputs<'a>> {
    let mut out = Small::new();
    for (n, v) in objects.iter() {
        out.push((n.as_borrowed().extract()?, v.as_borrowed().extract()?));
    }
    Ok(HeaderInputs(out))
}

/// Headers read in place without touching reference counts, in the common shapes: a `dict`, or a
/// `list`/`tuple` of 2-tuples (what `.items()` of Starlette's headers returns), with exact `str`
/// names and exact `str` or `bytes` values for the headers wanted. `None`, with nothing kept, for
/// anything else, which [`with_headers`] then reads the general way.
///
/// Sound because no Python code runs from the first borrow until the returned inputs are
/// dropped: only exact `str` and `bytes` objects are read (in place, by C code), any other type
/// returns `None` first, and the caller runs only Rust code (the core's verification) while it
/// holds the inputs, which borrow `source` for 'a. The containers hold strong references to
/// their items, which therefore stay alive: only Python code could remove them.
fn borrowed_inputs<'a>(source: &'a Source<'_>, wanted: &[&str]) -> PyResult<Option<HeaderInputs<'a>>> {
    use pyo3::ffi;
    // SAFETY (both closures): `obj` is a live object its container refers to (see above);
    // reading its type pointer runs no code.
    let is_str = |obj: *mut ffi::PyObject| unsafe { ffi::PyUnicode_CheckExact(obj) != 0 };
    let is_text = |obj: *mut ffi::PyObject| unsafe { is_str(obj) || ffi::PyBytes_CheckExact(obj) != 0 };
    let mut out = Small::new();
    if wanted.is_empty() {
        return Ok(Some(HeaderInputs(out)));
    }
    let py = match source {
        Source::Dict(d) => d.py(),
        Source::Pairs(p) => p.py(),
    };
    // Reads one pair; `false` when it is not of the fast shape.
    let mut take = |name: *mut ffi::PyObject, value: *mut ffi::PyObject| -> PyResult<bool> {
        if name.is_null() || value.is_null() || !is_str(name) {
            return Ok(false);
        }
        // SAFETY: `name` is a live exact `str` its container keeps alive for 'a (see above).
        let n = ByteInput::from_str(unsafe { Borrowed::<'a, '_, PyAny>::from_ptr(py, name) })?;
        let bytes = n.as_bytes();
        if wanted.iter().any(|w| bytes.len() == w.len() && bytes.eq_ignore_ascii_case(w.as_bytes())) {
            if !is_text(value) {
                return Ok(false);
            }
            // SAFETY: as for `name`, for `value`.
            let v: ByteInput<'a> = unsafe { Borrowed::<'a, '_, PyAny>::from_ptr(py, value) }.extract()?;
            out.push((n, v));
        }
        Ok(true)
    };
    match source {
        Source::Dict(dict) => {
            let (mut pos, mut key, mut value) = (0, std::ptr::null_mut(), std::ptr::null_mut());
            // SAFETY: `dict` is a live dict and the GIL is held; `PyDict_Next` hands out borrowed
            // references, valid while the dict holds them (see above).
            while unsafe { ffi::PyDict_Next(dict.as_ptr(), &mut pos, &mut key, &mut value) } != 0 {
                if !take(key, value)? {
                    return Ok(None);
                }
            }
        }
        Source::Pairs(pairs) => {
            let seq = pairs.as_ptr();
            // SAFETY: `seq` is a live object; checking its exact type runs no code.
            let (is_list, is_tuple) = unsafe { (ffi::PyList_CheckExact(seq) != 0, ffi::PyTuple_CheckExact(seq) != 0) };
            if !is_list && !is_tuple {
                return Ok(None);
            }
            // SAFETY: `seq` is an exact list or tuple; its size and items are read with the GIL
            // held and no code running (borrowed references, valid as above).
            let len = unsafe {
                if is_list {
                    ffi::PyList_Size(seq)
                } else {
                    ffi::PyTuple_Size(seq)
                }
            };
            for i in 0..len {
                // SAFETY: as above; `i` is within the size just read, and nothing can resize
                // the sequence meanwhile.
                let pair = unsafe {
                    if is_list {
                        ffi::PyList_GetItem(seq, i)
                    } else {
                        ffi::PyTuple_GetItem(seq, i)
                    }
                };
                // SAFETY: `pair` is a live item of `seq`; exact-type and size checks run no code.
                if pair.is_null() || unsafe { ffi::PyTuple_CheckExact(pair) == 0 || ffi::PyTuple_Size(pair) != 2 } {
                    return Ok(None);
                }
                // SAFETY: `pair` is an exact 2-tuple; its items are borrowed references.
                let (name, value) = unsafe { (ffi::PyTuple_GetItem(pair, 0), ffi::PyTuple_GetItem(pair, 1)) };
                if !take(name, value)? {
                    return Ok(None);
                }
            }
        }
    }
    Ok(Some(HeaderInputs(out)))
}

/// Runs `f` on the headers the scheme reads, read in place.
fn with_headers<R>(
    headers: &Bound<'_, PyAny>,
    wanted: &[&str],
    f: impl FnOnce(HeaderInputs<'_>) -> PyResult<R>,
) -> PyResult<R> {
    let source = source(headers)?;
    if let Some(inputs) = borrowed_inputs(&source, wanted)? {
        return f(inputs);
    }
    let objects = header_objects(&source, wanted)?;
    let inputs = header_inputs(&objects)?;
    f(inputs)
}

/// Header bytes readable without the GIL.
fn detached_headers<'a>(inputs: HeaderInputs<'a>) -> Vec<(Detached<'a>, Detached<'a>)> {
    let HeaderInputs(small) = inputs;
    let Small { inline, len, spill } = small;
    inline.into_iter().take(len).flatten().chain(spill).map(|(n, v)| (n.detached(), v.detached())).collect()
}

/// Secrets given as one `str`/bytes-like or a sequence of them (several during a rotation).
pub(crate) fn key_set(py: Python<'_>, scheme: Scheme, secrets: &Bound<'_, PyAny>) -> PyResult<KeySet> {
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
    KeySet::new(scheme, &inputs).map_err(|e| errors::from_core(py, &e, &[]))
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
    /// The payload `open` returns (core `KeySet::open_payload`), as a new `bytes`.
    fn open_payload<'py, H: Headers + ?Sized>(
        &self,
        py: Python<'py>,
        headers: &H,
        body: &[u8],
        at: Freshness,
    ) -> Result<Bound<'py, PyBytes>, webhooks::Error> {
        let mut out = vec![0u8; self.keys.open_len(body)];
        let payload = self.keys.open_payload(headers, body, at, &mut out)?;
        Ok(PyBytes::new(py, payload))
    }
}

#[pymethods]
impl PyWebhookVerifier {
    /// `scheme` is a provider's name (`"eupay"`, `"github"`, `"stripe"`, `"standard"`, ...);
    /// `secrets` one secret or up to four (tried in order, for rotations), as the provider
    /// shows them. Raises `InvalidKeyError` for secrets not in the scheme's format.
    #[new]
    fn new(py: Python<'_>, scheme: &str, secrets: &Bound<'_, PyAny>) -> PyResult<Self> {
        Ok(Self { keys: key_set(py, parse_scheme(py, scheme)?, secrets)? })
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
        let scheme = self.keys.scheme();
        let at = freshness(scheme, now, tolerance)?;
        let outcome = with_headers(headers, scheme.header_names(), |inputs| {
            Ok(if body.as_bytes().len() >= DETACH_MIN {
                let (headers, body) = (detached_headers(inputs), body.detached());
                py.detach(|| self.keys.verify(headers.as_slice(), body.as_ref(), at))
            } else {
                self.keys.verify(&inputs, body.as_bytes(), at)
            })
        })?;
        outcome.map_err(|e| errors::webhook(py, e))
    }

    /// Verifies like `verify` and returns the bytes to act on, as the core decides
    /// (`KeySet::open_payload`): the decrypted notification for OPPWA, `body` itself for the
    /// MAC schemes.
    #[pyo3(signature = (headers, body, *, now = None, tolerance = 300))]
    fn open<'py>(
        &self,
        py: Python<'py>,
        headers: &Bound<'_, PyAny>,
        body: ByteInput<'_>,
        now: Option<&Bound<'_, PyAny>>,
        tolerance: u64,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let scheme = self.keys.scheme();
        let at = freshness(scheme, now, tolerance)?;
        with_headers(headers, scheme.header_names(), |inputs| {
            self.open_payload(py, &inputs, body.as_bytes(), at).map_err(|e| errors::webhook(py, e))
        })
    }

    /// Verifies many `(headers, body)` deliveries at once, with the GIL released and spread
    /// over the cores; returns one outcome per delivery, in order: None (authentic) or the
    /// exception `verify` would have raised (not raised).
    #[pyo3(signature = (items, *, now = None, tolerance = 300, threads = None))]
    fn verify_batch(
        slf: &Bound<'_, Self>,
        items: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
        tolerance: u64,
        threads: Option<usize>,
    ) -> PyResult<Vec<Option<PyErr>>> {
        let triples = items
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
        batch(slf.py(), &triples, Freshness::new(crate::clock::unix_seconds(now)?, tolerance), threads)
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

    /// The names of the headers the scheme reads, as providers spell them (the core's
    /// `Scheme::header_names`; matched case-insensitively).
    #[getter]
    fn header_names(&self) -> Vec<&'static str> {
        self.keys.scheme().header_names().to_vec()
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
        .map(|(v, h, _)| header_objects(&source(h)?, v.get().keys.scheme().header_names()))
        .collect::<PyResult<_>>()?;
    let prepared: Vec<Prepared<'_>> = triples
        .iter()
        .zip(&objects)
        .map(|((_, _, body), objects)| {
            let headers = detached_headers(header_inputs(objects)?);
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
    batch(py, &triples, Freshness::new(crate::clock::unix_seconds(now)?, tolerance), threads)
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
