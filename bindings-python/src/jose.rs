//! JOSE over `payseal::jose`: compact JWS and JWTs verified against JWK Sets, and signed.
//!
//! `JwkSet` holds a core `KeySet` (parsed once); `JwtVerifier` holds the allow-list and the claim
//! checks; the one-shot functions build both per call. Every decision (parsing, key selection,
//! algorithms, claims) is the core's: this module converts arguments and results only. The
//! claims come back as Python objects built straight from the core's JSON tape (the same values
//! `json.loads` gives: `int` for integer literals, `float` otherwise).
//!
//! The GIL is kept for HMAC (a microsecond: releasing and taking it back would cost as much)
//! and released for RSA, ECDSA and EdDSA (tens of microseconds to milliseconds). Which one a
//! token needs is only known once the core has read its header, so the first pass runs under
//! the GIL with a key source that refuses the slow algorithms and notes it; a token that needs
//! one is verified again, from the start, with the GIL released.
//!
//! `RemoteJwkSet` is Python (`payseal/_remote.py`: the HTTP is urllib's), driven by the core's
//! `jose::refresh::Refresher` exposed here as `_JwkRefresher`; `JwtVerifier` takes it wherever
//! it takes a `JwkSet`.

use std::cell::Cell;
use std::sync::Mutex;

use payseal::jose::refresh::{RefreshPolicy, Refresher};
use payseal::jose::{self, limits, Algorithm, KeySet, KeySource, SigningKey, Validation, VerifyingKey};
use payseal::json::{self as pjson, Dialect, Kind, Tape, Value};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};

use zeroize::Zeroizing;

use crate::errors::{self, Detail};
use crate::input::ByteInput;

/// The Python exception for a core JOSE error (with `needed` for buffer errors).
pub fn error(py: Python<'_>, err: jose::Error) -> PyErr {
    match err {
        jose::Error::BufferTooSmall { needed } | jose::Error::ScratchTooSmall { needed } => {
            errors::from_core(py, &err, &[Detail::Needed(needed)])
        }
        _ => errors::from_core(py, &err, &[]),
    }
}

// ---- arguments -------------------------------------------------------------------------------

/// A JSON document argument: text as given (any byte input), or a dict/list serialised by
/// `json.dumps` (wiped on drop: it may be a private JWK).
enum JsonText<'a> {
    Given(ByteInput<'a>),
    Dumped(Zeroizing<String>),
}

impl JsonText<'_> {
    fn bytes(&self) -> &[u8] {
        match self {
            Self::Given(b) => b.as_bytes(),
            Self::Dumped(s) => s.as_bytes(),
        }
    }
}

fn dumps(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let py = value.py();
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    kwargs.set_item("allow_nan", false)?;
    kwargs.set_item("separators", (",", ":"))?;
    py.import("json")?.call_method("dumps", (value,), Some(&kwargs))?.extract()
}

fn json_text<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<JsonText<'a>> {
    if value.is_instance_of::<PyDict>() || value.is_instance_of::<PyList>() {
        return Ok(JsonText::Dumped(Zeroizing::new(dumps(value)?)));
    }
    Ok(JsonText::Given(value.as_borrowed().extract()?))
}

/// The allow-list: a sequence of algorithm names (not a single string), parsed by the core. A
/// name that is not an algorithm payseal implements (`none` in any spelling among them) is
/// `AlgorithmNotAllowedError` here, as in the Node binding and the CLI: a typo must not
/// silently allow nothing or something else.
fn algorithms(py: Python<'_>, names: &Bound<'_, PyAny>) -> PyResult<Vec<Algorithm>> {
    if names.is_instance_of::<PyString>() || names.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err("algorithms must be a list of names, such as [\"RS256\"]"));
    }
    let mut out = Vec::new();
    for name in names.try_iter()? {
        let name = name?;
        let text: String = name.extract().map_err(|_| PyTypeError::new_err("algorithms must be strings"))?;
        let alg = text.parse::<Algorithm>().map_err(|e| {
            let message = format!("algorithms: {text:?} is not a JWS algorithm payseal accepts (none never is)");
            errors::raise(py, e.code(), &message, &[])
        })?;
        if !out.contains(&alg) {
            out.push(alg);
        }
    }
    if out.is_empty() {
        return Err(errors::invalid_argument(py, "algorithms: the allow-list is empty"));
    }
    Ok(out)
}

/// HMAC is verified under the GIL; every other algorithm with the GIL released.
fn is_fast(alg: Algorithm) -> bool {
    matches!(alg, Algorithm::Hs256 | Algorithm::Hs384 | Algorithm::Hs512)
}

/// The first pass: the set's keys for HMAC; for any other algorithm no key, and a note that the
/// token needs the second pass without the GIL.
struct FastOnly<'k> {
    keys: &'k KeySet,
    slow: Cell<bool>,
}

impl KeySource for FastOnly<'_> {
    fn select(&self, alg: Algorithm, kid: Option<jose::Kid<'_>>) -> Result<VerifyingKey<'_>, jose::Error> {
        if is_fast(alg) {
            self.keys.select(alg, kid)
        } else {
            self.slow.set(true);
            Err(jose::Error::KeyNotFound)
        }
    }
}

/// Scratch for one verification: the decoded header and payload, and the JSON tape. Sized for
/// at most the longest token the core accepts (it refuses longer ones before decoding).
fn scratch(token_len: usize) -> (Vec<u8>, Tape<'static>) {
    let len = jose::scratch_len(token_len.min(limits::MAX_TOKEN_LEN));
    (vec![0u8; len], Tape::with_capacity_for(len))
}

/// `verify_jwt` with the GIL for HMAC, without it for the rest; `convert` turns the verified
/// token into Python objects (under the GIL). The outer error is the core's verdict.
fn verify_jwt_with<T>(
    py: Python<'_>,
    keys: &KeySet,
    token: &[u8],
    validation: &Validation<'_>,
    convert: impl FnOnce(jose::Jwt<'_>) -> PyResult<T>,
) -> Result<PyResult<T>, jose::Error> {
    let (mut buf, mut tape) = scratch(token.len());
    let probe = FastOnly { keys, slow: Cell::new(false) };
    match jose::verify_jwt(token, &probe, validation, &mut buf, &mut tape) {
        Ok(jwt) => return Ok(convert(jwt)),
        Err(e) if !probe.slow.get() => return Err(e),
        Err(_) => {}
    }
    let jwt = py.detach(|| jose::verify_jwt(token, keys, validation, &mut buf, &mut tape))?;
    Ok(convert(jwt))
}

/// [`verify_jwt_with`] for `verify_jws` (no claims): the payload as `bytes`.
fn verify_jws_with<'py>(
    py: Python<'py>,
    keys: &KeySet,
    token: &[u8],
    algs: &[Algorithm],
) -> Result<Bound<'py, PyBytes>, jose::Error> {
    let (mut buf, mut tape) = scratch(token.len());
    let probe = FastOnly { keys, slow: Cell::new(false) };
    match jose::verify_jws(token, &probe, algs, &mut buf, &mut tape) {
        Ok(v) => return Ok(PyBytes::new(py, v.payload)),
        Err(e) if !probe.slow.get() => return Err(e),
        Err(_) => {}
    }
    let v = py.detach(|| jose::verify_jws(token, keys, algs, &mut buf, &mut tape))?;
    Ok(PyBytes::new(py, v.payload))
}

// ---- JSON values to Python ---------------------------------------------------------------------

/// A string's text as `str`: borrowed when unescaped; decoded (WTF-8: a lone surrogate escape
/// stays a surrogate, as with `json.loads`) otherwise.
fn text_to_py<'py>(
    py: Python<'py>,
    unescaped: Option<&str>,
    raw_len: usize,
    decode: impl FnOnce(&mut [u8]) -> Result<usize, pjson::Error>,
) -> PyResult<Bound<'py, PyAny>> {
    if let Some(s) = unescaped {
        return Ok(PyString::new(py, s).into_any());
    }
    let mut out = vec![0u8; raw_len];
    let n = decode(&mut out).map_err(|e| errors::json(py, e))?;
    match std::str::from_utf8(&out[..n]) {
        Ok(s) => Ok(PyString::new(py, s).into_any()),
        Err(_) => PyBytes::new(py, &out[..n]).call_method1("decode", ("utf-8", "surrogatepass")),
    }
}

/// A JSON value as the object `json.loads` makes of it.
fn to_py<'py>(py: Python<'py>, v: Value<'_>) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v.kind() {
        Kind::Null => py.None().into_bound(py),
        Kind::True => PyBool::new(py, true).to_owned().into_any(),
        Kind::False => PyBool::new(py, false).to_owned().into_any(),
        Kind::Number => {
            if let Some(i) = v.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                let raw = v.raw().unwrap_or_default();
                if raw.iter().any(|b| matches!(b, b'.' | b'e' | b'E')) {
                    PyFloat::new(py, v.as_f64().unwrap_or(f64::NAN)).into_any()
                } else {
                    // An integer beyond i64: Python's own arbitrary-precision parse.
                    let text = std::str::from_utf8(raw).unwrap_or("0");
                    py.get_type::<PyInt>().call1((text,))?
                }
            }
        }
        Kind::String => {
            let raw_len = v.raw().map_or(0, <[u8]>::len);
            text_to_py(py, v.as_str(), raw_len, |out| v.decode_str(out).unwrap_or(Ok(0)))?
        }
        Kind::Array => {
            let list = PyList::empty(py);
            for e in v.elements() {
                list.append(to_py(py, e)?)?;
            }
            list.into_any()
        }
        Kind::Object => {
            let dict = PyDict::new(py);
            for (k, e) in v.members() {
                let key = text_to_py(py, k.as_str(), k.raw().len(), |out| k.decode(out))?;
                dict.set_item(key, to_py(py, e)?)?;
            }
            dict.into_any()
        }
    })
}

/// A JSON object's text (header or claims of an inspected token) as a dict; `MalformedError`
/// when it is not one.
fn object_to_py<'py>(py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let mut tape = Tape::with_capacity_for(text.len());
    match pjson::parse(text, Dialect::Js, &mut tape) {
        Ok(doc) if doc.root().kind() == Kind::Object => to_py(py, doc.root()),
        _ => Err(error(py, jose::Error::Malformed)),
    }
}

// ---- JwkSet ------------------------------------------------------------------------------------

/// A JWK Set (`{"keys": [...]}`) parsed once; keys payseal cannot verify with are skipped.
#[pyclass(module = "payseal", frozen, name = "JwkSet")]
pub struct PyJwkSet {
    inner: KeySet,
}

impl std::fmt::Debug for PyJwkSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "JwkSet({} keys, {} skipped)", self.inner.len(), self.inner.skipped())
    }
}

impl PyJwkSet {
    fn parse(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = json_text(document)?;
        KeySet::from_json(text.bytes()).map(|inner| Self { inner }).map_err(|e| error(py, e))
    }
}

#[pymethods]
impl PyJwkSet {
    /// Parses a JWK Set document: JSON text (`str`, `bytes`, any buffer) or a dict. Raises
    /// `InvalidKeyError` when it is not `{"keys": [...]}`, `TooLargeError` over the size caps.
    #[new]
    fn new(py: Python<'_>, document: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::parse(py, document)
    }

    fn __len__(&self) -> usize {
        self.inner.len()
    }

    /// How many entries of the document were skipped (unknown `kty`, `use: "enc"`, ...).
    #[getter]
    fn skipped(&self) -> usize {
        self.inner.skipped()
    }

    /// The `kid`s of the keys kept, in document order (keys without one are not listed).
    #[getter]
    fn kids(&self) -> Vec<&str> {
        self.inner.keys().iter().filter_map(payseal::jose::Jwk::kid).collect()
    }

    fn __repr__(&self) -> String {
        format!("{self:?}")
    }
}

/// What a verifier verifies with: a `JwkSet`, or a key source (`RemoteJwkSet`) asked for its
/// current set before each verification, and once more after `key_not_found`.
enum Keys {
    Set(Py<PyJwkSet>),
    Source(Py<PyAny>),
}

const KEY_SET: &str = "_key_set";
const KEY_SET_FOR_UNKNOWN_KID: &str = "_key_set_for_unknown_kid";

impl Keys {
    fn from_arg(py: Python<'_>, keys: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(set) = keys.cast::<PyJwkSet>() {
            return Ok(Self::Set(set.clone().unbind()));
        }
        if keys.hasattr(KEY_SET)? && keys.hasattr(KEY_SET_FOR_UNKNOWN_KID)? {
            return Ok(Self::Source(keys.clone().unbind()));
        }
        if keys.is_instance_of::<PyDict>() || keys.is_instance_of::<PyString>() || keys.is_instance_of::<PyBytes>() {
            return Ok(Self::Set(Py::new(py, PyJwkSet::parse(py, keys)?)?));
        }
        Err(PyTypeError::new_err("keys must be a JwkSet, a RemoteJwkSet or a JWK Set document"))
    }

    /// Runs `verify` with the current set; for a key source, once more with the set it
    /// fetched after `key_not_found` (when its policy allowed a fetch).
    fn with<T>(&self, py: Python<'_>, verify: impl Fn(&KeySet) -> Result<PyResult<T>, jose::Error>) -> PyResult<T> {
        let source = match self {
            Self::Set(set) => return verify(&set.get().inner).map_err(|e| error(py, e))?,
            Self::Source(source) => source.bind(py),
        };
        let current = source.call_method0(KEY_SET)?;
        let set = current.cast::<PyJwkSet>().map_err(PyErr::from)?;
        match verify(&set.get().inner) {
            Err(jose::Error::KeyNotFound) => {}
            other => return other.map_err(|e| error(py, e))?,
        }
        let fresh = source.call_method1(KEY_SET_FOR_UNKNOWN_KID, (set,))?;
        if fresh.is_none() {
            return Err(error(py, jose::Error::KeyNotFound));
        }
        let fresh = fresh.cast::<PyJwkSet>().map_err(PyErr::from)?;
        verify(&fresh.get().inner).map_err(|e| error(py, e))?
    }
}

// ---- JwtVerifier -------------------------------------------------------------------------------

/// Verifies JWTs (and bare JWS) against one key set with one allow-list and claim policy.
#[pyclass(module = "payseal", frozen, name = "JwtVerifier")]
pub struct PyJwtVerifier {
    keys: Keys,
    algorithms: Vec<Algorithm>,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: u64,
}

impl std::fmt::Debug for PyJwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("algorithms", &self.algorithms)
            .field("audience", &self.audience)
            .field("issuer", &self.issuer)
            .field("leeway", &self.leeway)
            .finish_non_exhaustive()
    }
}

impl PyJwtVerifier {
    fn verify_claims<'py>(
        &self,
        py: Python<'py>,
        token: ByteInput<'_>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let now = crate::clock::unix_seconds(now)?;
        let mut validation = Validation::at(&self.algorithms, now).leeway(self.leeway);
        validation.audience = self.audience.as_deref();
        validation.issuer = self.issuer.as_deref();
        // Readable without the GIL (a writable buffer is copied once).
        let token = token.detached();
        self.keys
            .with(py, |keys| verify_jwt_with(py, keys, token.as_ref(), &validation, |jwt| to_py(py, jwt.claims.root())))
    }
}

#[pymethods]
impl PyJwtVerifier {
    #[new]
    #[pyo3(signature = (keys, algorithms, *, audience = None, issuer = None, leeway = 0))]
    fn new(
        py: Python<'_>,
        keys: &Bound<'_, PyAny>,
        algorithms: &Bound<'_, PyAny>,
        audience: Option<String>,
        issuer: Option<String>,
        leeway: u64,
    ) -> PyResult<Self> {
        let algorithms = self::algorithms(py, algorithms)?;
        Ok(Self { keys: Keys::from_arg(py, keys)?, algorithms, audience, issuer, leeway })
    }

    /// Verifies a JWT at `now` (Unix seconds; default the clock) and returns its claims.
    #[pyo3(signature = (token, *, now = None))]
    fn verify<'py>(
        &self,
        py: Python<'py>,
        token: &Bound<'_, PyAny>,
        now: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        self.verify_claims(py, token.as_borrowed().extract()?, now)
    }

    /// Verifies a compact JWS (signature only, any payload) and returns the payload's bytes.
    fn verify_jws<'py>(&self, py: Python<'py>, token: &Bound<'_, PyAny>) -> PyResult<Bound<'py, PyBytes>> {
        let token: ByteInput<'_> = token.as_borrowed().extract()?;
        let token = token.detached();
        self.keys.with(py, |keys| verify_jws_with(py, keys, token.as_ref(), &self.algorithms).map(Ok))
    }

    fn __repr__(&self) -> String {
        let algs: Vec<&str> = self.algorithms.iter().map(|a| a.name()).collect();
        let py_str = |s: &Option<String>| s.as_ref().map_or_else(|| "None".to_owned(), |s| format!("{s:?}"));
        format!(
            "JwtVerifier(algorithms={algs:?}, audience={}, issuer={}, leeway={})",
            py_str(&self.audience),
            py_str(&self.issuer),
            self.leeway
        )
    }
}

// ---- one-shots ---------------------------------------------------------------------------------

/// One-shot `JwtVerifier(keys, algorithms, ...).verify(token, now=now)`.
#[pyfunction]
#[pyo3(signature = (keys, token, *, algorithms, audience = None, issuer = None, leeway = 0, now = None))]
#[allow(clippy::too_many_arguments)]
pub fn verify_jwt<'py>(
    py: Python<'py>,
    keys: &Bound<'_, PyAny>,
    token: &Bound<'_, PyAny>,
    algorithms: &Bound<'_, PyAny>,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: u64,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    PyJwtVerifier::new(py, keys, algorithms, audience, issuer, leeway)?.verify(py, token, now)
}

/// One-shot `JwtVerifier(keys, algorithms).verify_jws(token)`.
#[pyfunction]
#[pyo3(signature = (keys, token, *, algorithms))]
pub fn verify_jws<'py>(
    py: Python<'py>,
    keys: &Bound<'_, PyAny>,
    token: &Bound<'_, PyAny>,
    algorithms: &Bound<'_, PyAny>,
) -> PyResult<Bound<'py, PyBytes>> {
    PyJwtVerifier::new(py, keys, algorithms, None, None, 0)?.verify_jws(py, token)
}

fn signing_key(py: Python<'_>, jwk: &Bound<'_, PyAny>) -> PyResult<SigningKey> {
    let text = json_text(jwk)?;
    SigningKey::from_jwk(text.bytes()).map_err(|e| error(py, e))
}

/// Signs with the GIL released unless the header's algorithm is HMAC (or unknown: then the
/// core refuses it at once).
fn sign(py: Python<'_>, key: &SigningKey, header: &[u8], payload: &[u8], alg: Option<Algorithm>) -> PyResult<String> {
    let fast = alg.is_none_or(is_fast);
    let signed = if fast {
        jose::sign_to_string(header, payload, key)
    } else {
        py.detach(|| jose::sign_to_string(header, payload, key))
    };
    signed.map_err(|e| error(py, e))
}

/// The `alg` a header names, as far as the core knows it (for the GIL decision only: the core
/// reads the header again and decides).
fn header_alg(header: &[u8]) -> Option<Algorithm> {
    let mut tape = Tape::with_capacity_for(header.len());
    let doc = pjson::parse(header, Dialect::Js, &mut tape).ok()?;
    doc.root().get("alg")?.as_str().and_then(Algorithm::from_name)
}

/// Signs `payload` (bytes) under the protected `header` (its exact JSON text) with a private
/// JWK; returns the compact token.
#[pyfunction]
pub fn sign_jws(
    py: Python<'_>,
    jwk: &Bound<'_, PyAny>,
    header: ByteInput<'_>,
    payload: ByteInput<'_>,
) -> PyResult<String> {
    let key = signing_key(py, jwk)?;
    let (header, payload) = (header.detached(), payload.detached());
    sign(py, &key, header.as_ref(), payload.as_ref(), header_alg(header.as_ref()))
}

/// Signs `claims` (a dict, serialised by `json.dumps`) as a JWT with a private JWK under
/// `{"alg":..,"typ":"JWT","kid":..}`. `alg`: default the core's `SigningKey::default_algorithm`; `kid`: default the JWK's.
#[pyfunction]
#[pyo3(signature = (jwk, claims, *, alg = None, kid = None))]
pub fn sign_jwt(
    py: Python<'_>,
    jwk: &Bound<'_, PyAny>,
    claims: &Bound<'_, PyDict>,
    alg: Option<&str>,
    kid: Option<&str>,
) -> PyResult<String> {
    let key = signing_key(py, jwk)?;
    let alg = match alg {
        Some(name) => name.parse::<Algorithm>().map_err(|e| error(py, e))?,
        None => key.default_algorithm().ok_or_else(|| error(py, jose::Error::InvalidKey))?,
    };
    let header = PyDict::new(py);
    header.set_item("alg", alg.name())?;
    header.set_item("typ", "JWT")?;
    if let Some(kid) = kid.or(key.kid()) {
        header.set_item("kid", kid)?;
    }
    let header = dumps(header.as_any())?;
    let payload = dumps(claims.as_any())?;
    sign(py, &key, header.as_bytes(), payload.as_bytes(), Some(alg))
}

/// The header and claims of a token, NOT verified (for display and debugging only).
#[pyfunction]
pub fn inspect_jwt<'py>(py: Python<'py>, token: ByteInput<'_>) -> PyResult<Bound<'py, PyTuple>> {
    let token = token.as_bytes();
    let mut buf = vec![0u8; jose::scratch_len(token.len().min(limits::MAX_TOKEN_LEN))];
    let parts = jose::inspect(token, &mut buf).map_err(|e| error(py, e))?;
    PyTuple::new(py, [object_to_py(py, parts.header)?, object_to_py(py, parts.payload)?])
}

/// The RFC 7638 thumbprint of a JWK (public or private), base64url: the usual `kid`.
#[pyfunction]
pub fn jwk_thumbprint(py: Python<'_>, jwk: &Bound<'_, PyAny>) -> PyResult<String> {
    let text = json_text(jwk)?;
    jose::thumbprint_string(text.bytes()).map_err(|e| error(py, e))
}

// ---- the refresh policy of RemoteJwkSet ----------------------------------------------------------

/// The core's `jose::refresh::Refresher` for `payseal.RemoteJwkSet` (Python): when to fetch,
/// and what is recorded. Times are whole seconds of a monotonic clock.
#[pyclass(module = "payseal._native", frozen, name = "_JwkRefresher")]
#[derive(Debug)]
pub struct PyJwkRefresher {
    inner: Mutex<Refresher>,
}

impl PyJwkRefresher {
    fn state(&self) -> std::sync::MutexGuard<'_, Refresher> {
        // The state is plain data: a panic elsewhere cannot leave it half-written.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[pymethods]
impl PyJwkRefresher {
    #[new]
    fn new(max_age: u64, cooldown: u64) -> Self {
        Self { inner: Mutex::new(Refresher::new(RefreshPolicy { max_age, cooldown })) }
    }

    fn should_fetch(&self, now: i64) -> bool {
        self.state().should_fetch(now)
    }

    fn should_refetch_for_unknown_kid(&self, now: i64) -> bool {
        self.state().should_refetch_for_unknown_kid(now)
    }

    fn attempt(&self, now: i64) {
        self.state().attempt(now);
    }

    fn succeeded(&self, now: i64) {
        self.state().succeeded(now);
    }

    fn failed(&self, now: i64) {
        self.state().failed(now);
    }

    #[getter]
    fn has_set(&self) -> bool {
        self.state().has_set()
    }
}

/// Module constants.
pub fn add_constants(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let names: Vec<&str> = Algorithm::ALL.iter().map(|a| a.name()).collect();
    m.add("JWS_ALGORITHMS", PyTuple::new(m.py(), names)?)?;
    m.add("MAX_TOKEN_LEN", limits::MAX_TOKEN_LEN)?;
    m.add("MAX_JWKS_LEN", limits::MAX_JWKS_LEN)?;
    Ok(())
}
