//! `payseal::jose`: JWS and JWT verified against JWK Sets, signed with one JWK.
//!
//! A JWK Set is parsed once into a [`KeySet`] held by an `External` (`jwkSet`); a verifier's
//! policy (algorithms, audience, issuer, leeway) is parsed once into another (`jwtVerifier`).
//! A verification takes both (the key set is an argument, so that a remote set can swap the
//! set it holds between calls) and returns the claims' JSON text (`JSON.parse`d in
//! `lib/jose.js`) or the payload bytes. The synchronous calls decode into a per-thread scratch
//! (buffer and tape reused, the decoded bytes wiped after each call); the one-shot forms parse
//! the key set, the JWK or the policy for the call only. No call leaves a native object for the
//! garbage collector. Algorithm names are parsed by the core (`Algorithm::from_str`: an unknown
//! name, `none` in any spelling included, is `alg_not_allowed`); every error is the core's
//! (`payseal::jose::Error`, through the one table of codes).

use std::cell::RefCell;
use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer, Either, External, Unknown};
use napi::{Env, JsString, Task};
use napi_derive::napi;
use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};
use payseal::json::Tape;
use zeroize::Zeroize;

use crate::args::{self, Accept, Input};
use crate::failure::{self, arg_range, arg_type, Failure, Panicked};
use crate::output;

/// A core JOSE error; buffer sizes carry `needed`.
fn jose_error(e: jose::Error) -> napi::Error<Failure> {
    let detail = match e {
        jose::Error::BufferTooSmall { needed } | jose::Error::ScratchTooSmall { needed } => {
            failure::num("needed", needed)
        }
        _ => None,
    };
    failure::core(&e, detail)
}

/// A parsed JWK Set, shared with verifications on the thread pool.
#[derive(Debug)]
pub struct JoseKeys {
    set: Arc<KeySet>,
}

/// A verifier's policy, shared with verifications on the thread pool.
#[derive(Debug)]
pub struct Policy {
    algorithms: Vec<Algorithm>,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: u64,
}

impl Policy {
    fn validation(&self, now: i64) -> Validation<'_> {
        let mut v = Validation::at(&self.algorithms, now).leeway(self.leeway);
        v.audience = self.audience.as_deref();
        v.issuer = self.issuer.as_deref();
        v
    }
}

/// The key set a `jwkSet` external holds, or the set parsed from a document given instead.
fn key_set(env: &Env, doc: &Unknown<'_>) -> napi::Result<KeySet, Failure> {
    let text = args::bytes(env, doc, "keys", Accept::Json)?;
    KeySet::from_json(&text).map_err(jose_error)
}

/// Parses a JWK Set document (JSON text: `{"keys": [...]}`); unusable keys are skipped.
#[napi(js_name = "jwkSet", catch_unwind)]
pub fn jwk_set(env: &Env, doc: Unknown<'_>) -> napi::Result<External<JoseKeys>, Failure> {
    Ok(External::new(JoseKeys { set: Arc::new(key_set(env, &doc)?) }))
}

/// What a key set holds.
#[napi(object)]
#[derive(Debug)]
pub struct JwkSetInfo {
    /// Usable keys kept.
    pub len: u32,
    /// Keys skipped (unknown type, encryption keys, ...).
    pub skipped: u32,
    /// The `kid` of each kept key that has one, in the set's order.
    pub kids: Vec<String>,
}

/// `{len, skipped, kids}` of a key set.
#[napi(js_name = "jwkSetInfo", catch_unwind)]
pub fn jwk_set_info(keys: &External<JoseKeys>) -> JwkSetInfo {
    let set = &keys.set;
    JwkSetInfo {
        len: u32::try_from(set.len()).unwrap_or(u32::MAX),
        skipped: u32::try_from(set.skipped()).unwrap_or(u32::MAX),
        kids: set.keys().iter().filter_map(|k| k.kid().map(str::to_owned)).collect(),
    }
}

fn now_of(now: Option<f64>) -> napi::Result<i64, Failure> {
    match now {
        None => Ok(jose::unix_now()),
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() <= 9.007_199_254_740_991e15 => Ok(n as i64),
        Some(_) => Err(arg_range("opts.now", "It must be an integer number of Unix seconds")),
    }
}

fn policy(
    algorithms: Vec<String>,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: Option<f64>,
) -> napi::Result<Policy, Failure> {
    let algorithms =
        algorithms.iter().map(|name| name.parse::<Algorithm>().map_err(jose_error)).collect::<Result<Vec<_>, _>>()?;
    let leeway = match leeway {
        None => 0,
        Some(s) if s.is_finite() && s.fract() == 0.0 && (0.0..=9.007_199_254_740_991e15).contains(&s) => s as u64,
        Some(_) => return Err(arg_range("opts.leeway", "It must be a non-negative integer number of seconds")),
    };
    Ok(Policy { algorithms, audience, issuer, leeway })
}

/// A verifier's policy: `algorithms` (names, required, parsed by the core), `audience`,
/// `issuer`, `leeway` (seconds).
#[napi(js_name = "jwtVerifier", catch_unwind)]
pub fn jwt_verifier(
    algorithms: Vec<String>,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: Option<f64>,
) -> napi::Result<External<Arc<Policy>>, Failure> {
    Ok(External::new(Arc::new(policy(algorithms, audience, issuer, leeway)?)))
}

/// Reusable decoding memory of the synchronous calls on this thread.
struct Scratch {
    buf: Vec<u8>,
    tape: Tape<'static>,
}

/// Buffers larger than this are not kept after the call.
const KEEP: usize = 64 * 1024;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch { buf: Vec::new(), tape: Tape::new() });
}

/// Runs `f` on this thread's scratch, sized for `token_len`; the decoded bytes are wiped after.
fn with_scratch<T>(token_len: usize, f: impl FnOnce(&mut [u8], &mut Tape<'static>) -> T) -> T {
    let need = jose::scratch_len(token_len);
    let run = |s: &mut Scratch| {
        if s.buf.len() < need {
            s.buf.zeroize();
            s.buf = vec![0; need];
        }
        let out = f(&mut s.buf[..need], &mut s.tape);
        s.buf[..need].zeroize();
        if s.buf.len() > KEEP {
            s.buf = Vec::new();
            s.tape = Tape::new();
        }
        out
    };
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut s) => run(&mut s),
        Err(_) => run(&mut Scratch { buf: Vec::new(), tape: Tape::new() }),
    })
}

/// The claims' JSON text of a verified JWT (valid UTF-8: the core's JSON parser checked it).
fn verify_jwt_text(set: &KeySet, policy: &Policy, token: &[u8], now: i64) -> Result<String, jose::Error> {
    with_scratch(token.len(), |buf, tape| {
        let jwt = jose::verify_jwt(token, set, &policy.validation(now), buf, tape)?;
        // The core's JSON parser accepted the payload, so it is UTF-8.
        Ok(String::from_utf8_lossy(jwt.payload).into_owned())
    })
}

fn verify_jws_bytes<T>(
    set: &KeySet,
    algs: &[Algorithm],
    token: &[u8],
    out: impl FnOnce(&[u8]) -> T,
) -> Result<T, jose::Error> {
    with_scratch(token.len(), |buf, tape| jose::verify_jws(token, set, algs, buf, tape).map(|v| out(v.payload)))
}

fn claims_string<'e>(env: &'e Env, text: &str) -> napi::Result<JsString<'e>, Failure> {
    env.create_string(text).map_err(|e| failure::internal(&e))
}

/// Verifies a JWT; returns the claims' JSON text.
#[napi(js_name = "jwtVerify", catch_unwind)]
pub fn jwt_verify<'e>(
    env: &'e Env,
    keys: &External<JoseKeys>,
    policy: &External<Arc<Policy>>,
    token: Unknown<'_>,
    now: Option<f64>,
) -> napi::Result<JsString<'e>, Failure> {
    let token = args::bytes(env, &token, "token", Accept::TextOrBytes)?;
    let text = verify_jwt_text(&keys.set, policy, &token, now_of(now)?).map_err(jose_error)?;
    claims_string(env, &text)
}

/// Verifies a JWS (no claim checks); returns a new Buffer with the payload.
#[napi(js_name = "jwsVerify", catch_unwind)]
pub fn jws_verify<'e>(
    env: &'e Env,
    keys: &External<JoseKeys>,
    policy: &External<Arc<Policy>>,
    token: Unknown<'_>,
) -> napi::Result<Unknown<'e>, Failure> {
    let token = args::bytes(env, &token, "token", Accept::TextOrBytes)?;
    verify_jws_bytes(&keys.set, &policy.algorithms, &token, |p| args::buffer_copy(env, p)).map_err(jose_error)?
}

/// The key set of a one-shot call: a `jwkSet` external, or a document parsed for this call.
enum OnceKeys<'a> {
    Held(&'a KeySet),
    Parsed(KeySet),
}

impl OnceKeys<'_> {
    fn set(&self) -> &KeySet {
        match self {
            Self::Held(s) => s,
            Self::Parsed(s) => s,
        }
    }
}

fn once_keys<'a>(
    env: &Env,
    keys: &'a Either<&'a External<JoseKeys>, Unknown<'a>>,
) -> napi::Result<OnceKeys<'a>, Failure> {
    match keys {
        Either::A(held) => Ok(OnceKeys::Held(&held.set)),
        Either::B(doc) => Ok(OnceKeys::Parsed(key_set(env, doc)?)),
    }
}

/// One-shot [`jwt_verify`]: keys (a `jwkSet` external or a JWK Set document) and policy for
/// this call only.
#[napi(js_name = "jwtVerifyOnce", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn jwt_verify_once<'e>(
    env: &'e Env,
    keys: Either<&External<JoseKeys>, Unknown<'_>>,
    token: Unknown<'_>,
    algorithms: Vec<String>,
    audience: Option<String>,
    issuer: Option<String>,
    leeway: Option<f64>,
    now: Option<f64>,
) -> napi::Result<JsString<'e>, Failure> {
    let policy = policy(algorithms, audience, issuer, leeway)?;
    let keys = once_keys(env, &keys)?;
    let token = args::bytes(env, &token, "token", Accept::TextOrBytes)?;
    let text = verify_jwt_text(keys.set(), &policy, &token, now_of(now)?).map_err(jose_error)?;
    claims_string(env, &text)
}

/// One-shot [`jws_verify`].
#[napi(js_name = "jwsVerifyOnce", catch_unwind)]
pub fn jws_verify_once<'e>(
    env: &'e Env,
    keys: Either<&External<JoseKeys>, Unknown<'_>>,
    token: Unknown<'_>,
    algorithms: Vec<String>,
) -> napi::Result<Unknown<'e>, Failure> {
    let policy = policy(algorithms, None, None, None)?;
    let keys = once_keys(env, &keys)?;
    let token = args::bytes(env, &token, "token", Accept::TextOrBytes)?;
    verify_jws_bytes(keys.set(), &policy.algorithms, &token, |p| args::buffer_copy(env, p)).map_err(jose_error)?
}

// ---- On the thread pool ------------------------------------------------------------------------

/// A verification on the libuv pool: the token is copied, key set and policy shared.
#[derive(Debug)]
pub struct VerifyTask {
    set: Arc<KeySet>,
    policy: Arc<Policy>,
    token: Vec<u8>,
    /// `Some(now)`: a JWT with claim checks; `None`: a JWS (payload bytes).
    now: Option<i64>,
}

/// What a pool verification produced.
#[derive(Debug)]
pub enum Verified {
    Claims(String),
    Payload(Vec<u8>),
}

impl Task for VerifyTask {
    type Output = Result<Result<Verified, jose::Error>, Panicked>;
    type JsValue = Either<String, Buffer>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let run = || {
            let mut buf = vec![0u8; jose::scratch_len(self.token.len())];
            let mut tape = Tape::new();
            let out = match self.now {
                Some(now) => {
                    jose::verify_jwt(&self.token, &*self.set, &self.policy.validation(now), &mut buf, &mut tape)
                        .map(|jwt| Verified::Claims(String::from_utf8_lossy(jwt.payload).into_owned()))
                }
                None => jose::verify_jws(&self.token, &*self.set, &self.policy.algorithms, &mut buf, &mut tape)
                    .map(|v| Verified::Payload(v.payload.to_vec())),
            };
            buf.zeroize();
            out
        };
        // A panic must not unwind into libuv's C frames; it becomes an `internal` error.
        Ok(failure::on_pool(run))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(Ok(Verified::Claims(text))) => Ok(Either::A(text)),
            Ok(Ok(Verified::Payload(bytes))) => Ok(Either::B(bytes.into())),
            Ok(Err(e)) => Err(failure::into_rejection(env, jose_error(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// [`jwt_verify`] (`now` given: a JWT) or [`jws_verify`] (`jws` true) on the thread pool.
#[napi(js_name = "joseVerifyAsync", catch_unwind)]
pub fn jose_verify_async(
    env: &Env,
    keys: &External<JoseKeys>,
    policy: &External<Arc<Policy>>,
    token: Unknown<'_>,
    jws: bool,
    now: Option<f64>,
) -> napi::Result<AsyncTask<VerifyTask>, Failure> {
    let token = args::bytes(env, &token, "token", Accept::TextOrBytes)?.to_vec();
    let now = if jws { None } else { Some(now_of(now)?) };
    Ok(AsyncTask::new(VerifyTask { set: Arc::clone(&keys.set), policy: Arc::clone(policy), token, now }))
}

// ---- Signing, inspection, thumbprints ------------------------------------------------------------

fn signing_key(env: &Env, jwk: &Unknown<'_>) -> napi::Result<SigningKey, Failure> {
    let text = args::bytes(env, jwk, "jwk", Accept::Json)?;
    SigningKey::from_jwk(&text).map_err(jose_error)
}

fn sign_token<'e>(
    env: &'e Env,
    header: &[u8],
    payload: &[u8],
    key: &SigningKey,
) -> napi::Result<JsString<'e>, Failure> {
    let len = jose::signed_len_upper(header.len(), payload.len(), key);
    output::ascii_string(env, len, |out| jose::sign(header, payload, key, out), jose_error)
}

/// Signs `payload` under the exact protected `header` (JSON text) with a private JWK.
#[napi(js_name = "jwsSign", catch_unwind)]
pub fn jws_sign<'e>(
    env: &'e Env,
    jwk: Unknown<'_>,
    header: Unknown<'_>,
    payload: Unknown<'_>,
) -> napi::Result<JsString<'e>, Failure> {
    let key = signing_key(env, &jwk)?;
    let header = args::bytes(env, &header, "header", Accept::Json)?;
    let payload = args::bytes(env, &payload, "payload", Accept::TextOrBytes)?;
    sign_token(env, &header, &payload, &key)
}

/// `text` as a JSON string literal.
fn json_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// The protected header of a JWT: `{"alg":…,"typ":"JWT","kid":…}` with `alg` (default:
/// the core's `SigningKey::default_algorithm`) and `kid` (default: the JWK's own `kid`, absent
/// when it has none).
fn jwt_header(key: &SigningKey, alg: Option<&str>, kid: Option<&str>) -> Result<String, jose::Error> {
    let alg = match alg {
        Some(name) => name.parse::<Algorithm>()?,
        None => key.default_algorithm().ok_or(jose::Error::InvalidKey)?,
    };
    let mut header = format!("{{\"alg\":\"{}\",\"typ\":\"JWT\"", alg.name());
    if let Some(kid) = kid.or(key.kid()) {
        header.push_str(",\"kid\":");
        json_string(&mut header, kid);
    }
    header.push('}');
    Ok(header)
}

/// Signs a JWT whose payload is the JSON text `claims`; the header is [`jwt_header`]'s.
#[napi(js_name = "jwtSign", catch_unwind)]
pub fn jwt_sign<'e>(
    env: &'e Env,
    jwk: Unknown<'_>,
    claims: Unknown<'_>,
    alg: Option<String>,
    kid: Option<String>,
) -> napi::Result<JsString<'e>, Failure> {
    let key = signing_key(env, &jwk)?;
    let header = jwt_header(&key, alg.as_deref(), kid.as_deref()).map_err(jose_error)?;
    let claims = args::bytes(env, &claims, "claims", Accept::Json)?;
    sign_token(env, header.as_bytes(), &claims, &key)
}

/// Signing on the thread pool (RSA signatures take a millisecond): the JWK text is copied and
/// wiped on drop.
pub struct SignTask {
    jwk: zeroize::Zeroizing<Vec<u8>>,
    /// `None`: a JWT, whose header is built from `alg` and `kid`.
    header: Option<Vec<u8>>,
    payload: Vec<u8>,
    alg: Option<String>,
    kid: Option<String>,
}

impl core::fmt::Debug for SignTask {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("SignTask([redacted])")
    }
}

impl Task for SignTask {
    type Output = Result<Result<String, jose::Error>, Panicked>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let run = || {
            let key = SigningKey::from_jwk(&self.jwk)?;
            let header = match &self.header {
                Some(h) => h.clone(),
                None => jwt_header(&key, self.alg.as_deref(), self.kid.as_deref())?.into_bytes(),
            };
            jose::sign_to_string(&header, &self.payload, &key)
        };
        Ok(failure::on_pool(run))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        match output {
            Ok(Ok(token)) => Ok(token),
            Ok(Err(e)) => Err(failure::into_rejection(env, jose_error(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// [`jws_sign`] (`header` given) or [`jwt_sign`] (`header` null) on the thread pool.
#[napi(js_name = "joseSignAsync", catch_unwind)]
pub fn jose_sign_async(
    env: &Env,
    jwk: Unknown<'_>,
    header: Unknown<'_>,
    payload: Unknown<'_>,
    alg: Option<String>,
    kid: Option<String>,
) -> napi::Result<AsyncTask<SignTask>, Failure> {
    let jwk = zeroize::Zeroizing::new(args::bytes(env, &jwk, "jwk", Accept::Json)?.to_vec());
    let header = if args::is_nullish(env, &header)? {
        None
    } else {
        Some(args::bytes(env, &header, "header", Accept::Json)?.to_vec())
    };
    let payload = args::bytes(env, &payload, "payload", Accept::TextOrBytes)?.to_vec();
    Ok(AsyncTask::new(SignTask { jwk, header, payload, alg, kid }))
}

/// `[header text, payload text]` of a token, decoded WITHOUT verification (display only).
#[napi(js_name = "jwtInspect", catch_unwind)]
pub fn jwt_inspect(env: &Env, token: Unknown<'_>) -> napi::Result<Vec<String>, Failure> {
    let token: Input<'_> = args::bytes(env, &token, "token", Accept::TextOrBytes)?;
    let mut buf = vec![0u8; jose::scratch_len(token.len().min(jose::limits::MAX_TOKEN_LEN))];
    let parts = jose::inspect(&token, &mut buf).map_err(jose_error)?;
    let text =
        |b: &[u8]| core::str::from_utf8(b).map(str::to_owned).map_err(|_| failure::core(&jose::Error::Malformed, None));
    Ok(vec![text(parts.header)?, text(parts.payload)?])
}

/// The RFC 7638 thumbprint (SHA-256, base64url) of a JWK's JSON text.
#[napi(js_name = "jwkThumbprint", catch_unwind)]
pub fn jwk_thumbprint(env: &Env, jwk: Unknown<'_>) -> napi::Result<String, Failure> {
    if args::kind(env, &jwk)? == args::Kind::Nullish {
        return Err(arg_type("jwk", "a string or a Uint8Array"));
    }
    let text = args::bytes(env, &jwk, "jwk", Accept::Json)?;
    jose::thumbprint_string(&text).map_err(jose_error)
}
