//! `payseal::paylands`: the `validation_hash` of Paylands notifications and API responses.
//!
//! Modes (`notification`, `response`) and flag sets (`default`, `unescaped`, `auto`) cross as
//! their names and are parsed by the core. The one-shot forms (`…Once`, `paylandsData`) build
//! their key and tape for the call only: no handle is left for the garbage collector.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Either, External, Unknown};
use napi::{Env, JsString, Task};
use napi_derive::napi;
use payseal::json::Tape;
use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey};

use crate::args::{self, Accept};
use crate::failure::{self, arg_value, rejection, Failure, Panicked, Rejection};
use crate::output;

/// A signature and the reusable parser tape of the synchronous calls.
#[derive(Debug)]
pub struct PaylandsState {
    key: Arc<SignatureKey>,
    tape: Tape<'static>,
}

/// The tape is dropped and replaced after bodies larger than this, so that one huge body does
/// not keep its memory for the verifier's lifetime.
const KEEP: usize = 1 << 20;

fn mode_of(env: &Env, value: &Unknown<'_>) -> napi::Result<Mode, Failure> {
    let text = args::bytes(env, value, "opts.mode", Accept::TextOrBytes)?;
    text.text("opts.mode")?.parse().map_err(|_| arg_value("opts.mode", "must be 'notification' or 'response'"))
}

fn flags_of(env: &Env, value: &Unknown<'_>) -> napi::Result<Flags, Failure> {
    let text = args::bytes(env, value, "opts.flags", Accept::TextOrBytes)?;
    text.text("opts.flags")?.parse().map_err(|_| arg_value("opts.flags", "must be 'default' or 'unescaped'"))
}

fn policy_of(env: &Env, value: &Unknown<'_>) -> napi::Result<FlagsPolicy, Failure> {
    let text = args::bytes(env, value, "opts.flags", Accept::TextOrBytes)?;
    text.text("opts.flags")?.parse().map_err(|_| arg_value("opts.flags", "must be 'default', 'unescaped' or 'auto'"))
}

impl PaylandsState {
    fn with_tape<T>(&mut self, body_len: usize, f: impl FnOnce(&SignatureKey, &mut Tape<'static>) -> T) -> T {
        let result = f(&self.key, &mut self.tape);
        if body_len > KEEP {
            self.tape = Tape::new();
        }
        result
    }
}

fn key_of(env: &Env, signature: &Unknown<'_>) -> napi::Result<SignatureKey, Failure> {
    let signature = args::bytes(env, signature, "signature", Accept::TextOrBytes)?;
    SignatureKey::new(&signature).map_err(failure::paylands_key)
}

/// Holds `signature` (the secret Paylands calls the service's signature).
#[napi(js_name = "paylandsKey", catch_unwind)]
pub fn paylands_key(env: &Env, signature: Unknown<'_>) -> napi::Result<External<PaylandsState>, Failure> {
    let key = key_of(env, &signature)?;
    Ok(External::new(PaylandsState { key: Arc::new(key), tape: Tape::new() }))
}

/// Verifies `body`: returns the matching flag set's name, or the [`Rejection`].
#[napi(js_name = "paylandsVerify", catch_unwind)]
pub fn paylands_verify(
    env: &Env,
    state: &mut External<PaylandsState>,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<Either<&'static str, Rejection>, Failure> {
    let body = args::bytes(env, &body, "body", Accept::Json)?;
    let (mode, policy) = (mode_of(env, &mode)?, policy_of(env, &flags)?);
    let outcome = state.with_tape(body.len(), |key, tape| paylands::verify(&body, mode, policy, key, tape));
    Ok(match outcome {
        Ok(matched) => Either::A(matched.flags.as_str()),
        Err(e) => Either::B(rejection(&failure::paylands(e))),
    })
}

/// The lowercase hex `validation_hash` Paylands would send for `body`.
#[napi(js_name = "paylandsHash", catch_unwind)]
pub fn paylands_hash<'e>(
    env: &'e Env,
    state: &mut External<PaylandsState>,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<JsString<'e>, Failure> {
    let body = args::bytes(env, &body, "body", Accept::Json)?;
    let (mode, flags) = (mode_of(env, &mode)?, flags_of(env, &flags)?);
    let mut hex = [0u8; 64];
    state
        .with_tape(body.len(), |key, tape| paylands::hash_hex(&body, mode, flags, key, tape, &mut hex))
        .map_err(failure::paylands)?;
    // Lowercase hex digits: ASCII, which Latin-1 creation takes as is.
    env.create_string_latin1(hex.as_slice()).map_err(|e| failure::internal(&e))
}

/// The JSON text Paylands hashes for `body` (`json_encode($data)`, without the signature).
#[napi(js_name = "paylandsData", catch_unwind)]
pub fn paylands_data<'e>(
    env: &'e Env,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<JsString<'e>, Failure> {
    let body = args::bytes(env, &body, "body", Accept::Json)?;
    let (mode, flags) = (mode_of(env, &mode)?, flags_of(env, &flags)?);
    let mut out = Vec::new();
    paylands::encode_data(&body, mode, flags, &mut Tape::new(), &mut out).map_err(failure::paylands)?;
    output::utf8_string(env, &out)
}

/// [`paylands_verify`] with a key for `signature` built for this call only.
#[napi(js_name = "paylandsVerifyOnce", catch_unwind)]
pub fn paylands_verify_once(
    env: &Env,
    signature: Unknown<'_>,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<Either<&'static str, Rejection>, Failure> {
    let key = key_of(env, &signature)?;
    let body = args::bytes(env, &body, "body", Accept::Json)?;
    let (mode, policy) = (mode_of(env, &mode)?, policy_of(env, &flags)?);
    Ok(match paylands::verify(&body, mode, policy, &key, &mut Tape::new()) {
        Ok(matched) => Either::A(matched.flags.as_str()),
        Err(e) => Either::B(rejection(&failure::paylands(e))),
    })
}

/// [`paylands_hash`] with a key for `signature` built for this call only.
#[napi(js_name = "paylandsHashOnce", catch_unwind)]
pub fn paylands_hash_once<'e>(
    env: &'e Env,
    signature: Unknown<'_>,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<JsString<'e>, Failure> {
    let key = key_of(env, &signature)?;
    let body = args::bytes(env, &body, "body", Accept::Json)?;
    let (mode, flags) = (mode_of(env, &mode)?, flags_of(env, &flags)?);
    let mut hex = [0u8; 64];
    paylands::hash_hex(&body, mode, flags, &key, &mut Tape::new(), &mut hex).map_err(failure::paylands)?;
    // Lowercase hex digits: ASCII, which Latin-1 creation takes as is.
    env.create_string_latin1(hex.as_slice()).map_err(|e| failure::internal(&e))
}

/// `paylands::verify` on the thread pool, with its own tape and a copy of the body.
#[derive(Debug)]
pub struct PaylandsVerifyTask {
    key: Arc<SignatureKey>,
    body: Vec<u8>,
    mode: Mode,
    policy: FlagsPolicy,
}

impl Task for PaylandsVerifyTask {
    type Output = Result<Result<Flags, paylands::Error>, Panicked>;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let run = || paylands::verify(&self.body, self.mode, self.policy, &self.key, &mut Tape::new()).map(|m| m.flags);
        Ok(failure::on_pool(run))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<String> {
        match output {
            Ok(Ok(flags)) => Ok(flags.as_str().to_owned()),
            Ok(Err(e)) => Err(failure::into_rejection(env, failure::paylands(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// Verifies `body` on the thread pool with a key for `signature`; resolves to the matching flag
/// set's name.
#[napi(js_name = "paylandsVerifyOnceAsync", catch_unwind)]
pub fn paylands_verify_once_async(
    env: &Env,
    signature: Unknown<'_>,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<AsyncTask<PaylandsVerifyTask>, Failure> {
    let key = Arc::new(key_of(env, &signature)?);
    let body = args::bytes(env, &body, "body", Accept::Json)?.to_vec();
    let (mode, policy) = (mode_of(env, &mode)?, policy_of(env, &flags)?);
    Ok(AsyncTask::new(PaylandsVerifyTask { key, body, mode, policy }))
}

/// Verifies `body` on the thread pool; resolves to the matching flag set's name.
#[napi(js_name = "paylandsVerifyAsync", catch_unwind)]
pub fn paylands_verify_async(
    env: &Env,
    state: &External<PaylandsState>,
    body: Unknown<'_>,
    mode: Unknown<'_>,
    flags: Unknown<'_>,
) -> napi::Result<AsyncTask<PaylandsVerifyTask>, Failure> {
    let body = args::bytes(env, &body, "body", Accept::Json)?.to_vec();
    let (mode, policy) = (mode_of(env, &mode)?, policy_of(env, &flags)?);
    Ok(AsyncTask::new(PaylandsVerifyTask { key: Arc::clone(&state.key), body, mode, policy }))
}
