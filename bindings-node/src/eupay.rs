//! `payseal::eupay`: EU Pay QR codes, signed and verified with a key schedule computed once
//! (`qrSigner`/`qrVerifier` handles), or once per call by the one-shot forms, which keep their
//! signer, tape and scratch on the Rust side for the call only (no handle left for the garbage
//! collector).

use std::time::{SystemTime, UNIX_EPOCH};

use napi::bindgen_prelude::{Either, External, Unknown};
use napi::{Env, JsString};
use napi_derive::napi;
use payseal::eupay::{decode_unverified, scratch_len, QrScratch, QrSigner, QrVerifier, MAX_QR_LEN};
use payseal::json::Tape;

use crate::args::{self, Accept};
use crate::failure::{self, arg_range, rejection, Failure, Rejection};

/// A signer and the reusable parser tape of its calls.
#[derive(Debug)]
pub struct Signer {
    signer: QrSigner,
    tape: Tape<'static>,
    /// The URL is written here, then copied into a JavaScript string.
    url: Vec<u8>,
}

/// A verifier and its reusable decoding scratch.
#[derive(Debug)]
pub struct Verifier {
    verifier: QrVerifier,
    scratch: QrScratch,
}

fn unix_now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn now_of(now: Option<f64>) -> napi::Result<i64, Failure> {
    match now {
        None => Ok(unix_now()),
        Some(n) if n.is_finite() && n.fract() == 0.0 && n.abs() <= 9.007_199_254_740_991e15 => Ok(n as i64),
        Some(_) => Err(arg_range("opts.now", "It must be an integer number of Unix seconds")),
    }
}

/// A signer for `secret` (the HMAC key schedule is computed here).
#[napi(js_name = "qrSigner", catch_unwind)]
pub fn qr_signer(env: &Env, secret: Unknown<'_>) -> napi::Result<External<Signer>, Failure> {
    let secret = args::bytes(env, &secret, "secret", Accept::TextOrBytes)?;
    Ok(External::new(Signer {
        signer: QrSigner::new(&secret).map_err(|e| failure::core(&e, None))?,
        tape: Tape::new(),
        url: vec![0; MAX_QR_LEN],
    }))
}

/// Signs a payload (any JSON text of an object) and returns the QR URL.
#[napi(js_name = "qrSign", catch_unwind)]
pub fn qr_sign<'e>(
    env: &'e Env,
    signer: &mut External<Signer>,
    payload: Unknown<'_>,
) -> napi::Result<JsString<'e>, Failure> {
    let payload = args::bytes(env, &payload, "payload", Accept::Json)?;
    let Signer { signer, tape, url } = &mut **signer;
    let n = signer.sign_url_into(&payload, tape, url).map_err(failure::qr_sign)?;
    // The URL is ASCII (prefix and base64url), which Latin-1 creation takes as is.
    env.create_string_latin1(url.get(..n).unwrap_or_default()).map_err(|e| failure::internal(&e))
}

/// Signs a payload and writes the QR URL into `dst`; returns the bytes written.
#[napi(js_name = "qrSignInto", catch_unwind)]
pub fn qr_sign_into(
    env: &Env,
    signer: &mut External<Signer>,
    payload: Unknown<'_>,
    dst: Unknown<'_>,
) -> napi::Result<i64, Failure> {
    let payload = args::bytes(env, &payload, "payload", Accept::Json)?;
    let dst = args::output(env, &dst, "dst", &payload)?;
    let Signer { signer, tape, .. } = &mut **signer;
    signer.sign_url_into(&payload, tape, dst).map(args::count).map_err(failure::qr_sign)
}

/// `[canonical payload, sig hex, envelope base64url, URL]`.
#[napi(js_name = "qrSignParts", catch_unwind)]
pub fn qr_sign_parts(env: &Env, signer: &External<Signer>, payload: Unknown<'_>) -> napi::Result<Vec<String>, Failure> {
    let payload = args::bytes(env, &payload, "payload", Accept::Json)?;
    let parts = signer.signer.sign_to_parts(&payload).map_err(failure::qr_sign)?;
    Ok(vec![parts.canonical, parts.sig_hex, parts.envelope_b64url, parts.url])
}

/// A verifier for `secret`.
#[napi(js_name = "qrVerifier", catch_unwind)]
pub fn qr_verifier(env: &Env, secret: Unknown<'_>) -> napi::Result<External<Verifier>, Failure> {
    let secret = args::bytes(env, &secret, "secret", Accept::TextOrBytes)?;
    Ok(External::new(Verifier {
        verifier: QrVerifier::new(&secret).map_err(|e| failure::core(&e, None))?,
        scratch: QrScratch::new(),
    }))
}

/// The canonical payload JSON of a verified QR code, or the [`Rejection`].
fn verify_text(
    verifier: &QrVerifier,
    qr: &[u8],
    now: i64,
    scratch: &mut QrScratch,
) -> napi::Result<Either<String, Rejection>, Failure> {
    match verifier.verify_with(qr, now, scratch) {
        Ok(payload) => {
            let mut json = Vec::with_capacity(payload.canonical_len());
            payload.write_canonical(&mut json);
            String::from_utf8(json)
                .map(Either::A)
                .map_err(|_| failure::fail("internal", None, "canonical payload is not UTF-8"))
        }
        Err(e) => Ok(Either::B(rejection(&failure::qr(e)))),
    }
}

/// Verifies scanned QR text at `now` (Unix seconds; default the clock). Returns the canonical
/// payload JSON (the signed bytes; it starts with `{`) or the [`Rejection`].
#[napi(js_name = "qrVerify", catch_unwind)]
pub fn qr_verify(
    env: &Env,
    verifier: &mut External<Verifier>,
    qr: Unknown<'_>,
    now: Option<f64>,
) -> napi::Result<Either<String, Rejection>, Failure> {
    let qr = args::bytes(env, &qr, "qr", Accept::TextOrBytes)?;
    let now = now_of(now)?;
    let Verifier { verifier, scratch } = &mut **verifier;
    verify_text(verifier, &qr, now, scratch)
}

/// [`qr_verify`] with a verifier for `secret` built for this call only.
#[napi(js_name = "qrVerifyOnce", catch_unwind)]
pub fn qr_verify_once(
    env: &Env,
    secret: Unknown<'_>,
    qr: Unknown<'_>,
    now: Option<f64>,
) -> napi::Result<Either<String, Rejection>, Failure> {
    let verifier = QrVerifier::new(&args::bytes(env, &secret, "secret", Accept::TextOrBytes)?)
        .map_err(|e| failure::core(&e, None))?;
    let qr = args::bytes(env, &qr, "qr", Accept::TextOrBytes)?;
    verify_text(&verifier, &qr, now_of(now)?, &mut QrScratch::new())
}

/// Signs a payload with a signer for `secret` built for this call only; returns the QR URL.
#[napi(js_name = "qrSignOnce", catch_unwind)]
pub fn qr_sign_once<'e>(
    env: &'e Env,
    secret: Unknown<'_>,
    payload: Unknown<'_>,
) -> napi::Result<JsString<'e>, Failure> {
    let signer = QrSigner::new(&args::bytes(env, &secret, "secret", Accept::TextOrBytes)?)
        .map_err(|e| failure::core(&e, None))?;
    let payload = args::bytes(env, &payload, "payload", Accept::Json)?;
    let mut url = vec![0; MAX_QR_LEN];
    let n = signer.sign_url_into(&payload, &mut Tape::new(), &mut url).map_err(failure::qr_sign)?;
    // The URL is ASCII (prefix and base64url), which Latin-1 creation takes as is.
    env.create_string_latin1(url.get(..n).unwrap_or_default()).map_err(|e| failure::internal(&e))
}

/// The envelope JSON of QR text, decoded WITHOUT verifying anything (for debugging only).
#[napi(js_name = "qrDecodeUnverified", catch_unwind)]
pub fn qr_decode_unverified(env: &Env, qr: Unknown<'_>) -> napi::Result<String, Failure> {
    let qr = args::bytes(env, &qr, "qr", Accept::TextOrBytes)?;
    let mut buf = vec![0u8; scratch_len(qr.len().min(MAX_QR_LEN))];
    let n = decode_unverified(&qr, &mut buf).map_err(failure::qr)?;
    buf.truncate(n);
    Ok(String::from_utf8_lossy(&buf).into_owned())
}
