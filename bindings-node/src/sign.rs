//! Webhook signing over `payseal::webhooks::KeySet::sign`: the mirror of the verifier, with the
//! same key sets (`webhookKeys`). Which secret signs (the first, newest), the headers, their
//! order and which body is sent are the core's.
//!
//! A signature comes back as one flat array, `[name0, value0, name1, value1, …, body?]`: the
//! headers in the core's order, then, for the schemes that send a body other than the one
//! given (`adyen_item`, `spreedly`, `oppwa`), that body as a new Buffer. `lib/webhooks.js`
//! turns it into `{headers, body}`. On the synchronous path the output is written on the Rust
//! stack (heap only for bodies the scheme rewrites), the strings and the Buffer are V8's own
//! (no external, no finalizer): nothing native is left for the garbage collector, and the call
//! itself is a plain Node-API callback, as `webhookVerify` is (`fast.rs`). The promise form signs
//! on the libuv pool ([`SignTask`]).

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Buffer, Either, Unknown};
use napi::{sys, Env, JsValue, Task};
use napi_derive::napi;
use payseal::webhooks::{KeySet, SignError, SignOptions, Signed};

use crate::args::{self, Accept, Input, Kind};
use crate::failure::{self, arg_type, invalid_argument, num, Failure, Panicked};
use crate::fast;
use crate::webhooks::freshness;

/// Outputs up to this size (every MAC scheme's headers) are written on the stack.
const STACK: usize = 512;

/// A signing error: the core's code, with `needed` for a buffer that was too small.
fn sign_error(e: SignError) -> napi::Error<Failure> {
    match e {
        SignError::BufferTooSmall { needed } => failure::core(&e, num("needed", needed)),
        _ => failure::core(&e, None),
    }
}

/// The options of one call, read from the arguments (`opts.now`, `opts.id`, `opts.iv`,
/// `opts.fields`, `opts.algorithm`; `index.js` has checked their JavaScript types).
struct Opts<'a> {
    now: i64,
    id: Option<Input<'a>>,
    iv: Option<[u8; 12]>,
    fields: Option<Input<'a>>,
    algorithm: Option<Input<'a>>,
}

impl<'a> Opts<'a> {
    fn read(
        env: &Env,
        keys: &KeySet,
        now: Option<f64>,
        id: &Unknown<'a>,
        iv: &Unknown<'a>,
        fields: &Unknown<'a>,
        algorithm: &Unknown<'a>,
    ) -> napi::Result<Self, Failure> {
        let text = |v: &Unknown<'a>, name: &str| -> napi::Result<Option<Input<'a>>, Failure> {
            match args::kind(env, v)? {
                Kind::Nullish => Ok(None),
                Kind::String => args::string(env, v).map(Some),
                Kind::Other => Err(arg_type(name, "a string")),
            }
        };
        let iv = if args::is_nullish(env, iv)? {
            None
        } else {
            let bytes = args::bytes(env, iv, "opts.iv", Accept::Bytes)?;
            Some(<[u8; 12]>::try_from(&*bytes).map_err(|_| invalid_argument("opts.iv", "must be 12 bytes"))?)
        };
        Ok(Self {
            now: freshness(now, None, keys.scheme().checks_timestamp())?.now,
            id: text(id, "opts.id")?,
            iv,
            fields: text(fields, "opts.fields")?,
            algorithm: text(algorithm, "opts.algorithm")?,
        })
    }

    fn as_core(&self) -> napi::Result<SignOptions<'_>, Failure> {
        Ok(SignOptions {
            now: self.now,
            id: as_text(&self.id, "opts.id")?,
            iv: self.iv,
            fields: as_text(&self.fields, "opts.fields")?,
            algorithm: as_text(&self.algorithm, "opts.algorithm")?,
        })
    }
}

fn as_text<'s>(v: &'s Option<Input<'_>>, name: &str) -> napi::Result<Option<&'s str>, Failure> {
    v.as_ref().map(|t| t.text(name)).transpose()
}

/// `f(out)` into a buffer of `keys.sign_len` bytes (the stack when it fits), growing it once if
/// the core asks for more (documents whose signed size `sign_len` cannot foresee).
fn with_signed<R>(
    keys: &KeySet,
    body: &[u8],
    opts: &SignOptions<'_>,
    f: impl FnOnce(&Signed<'_>) -> R,
) -> Result<R, SignError> {
    let mut stack = [0u8; STACK];
    let mut heap = Vec::new();
    let mut len = keys.sign_len(body, opts);
    loop {
        let out: &mut [u8] = if len <= STACK {
            stack.get_mut(..len).unwrap_or_default()
        } else {
            heap.resize(len, 0);
            heap.as_mut_slice()
        };
        match keys.sign(body, opts, out) {
            Ok(signed) => return Ok(f(&signed)),
            Err(SignError::BufferTooSmall { needed }) if needed > len => len = needed,
            Err(e) => return Err(e),
        }
    }
}

fn latin1(env: sys::napi_env, text: &str) -> napi::Result<sys::napi_value, Failure> {
    let mut value = core::ptr::null_mut();
    // SAFETY: live environment; `text` is valid for `text.len()` bytes (ASCII: header names and
    // values written by the core's encoders); `value` is a valid out-pointer.
    args::check(unsafe { sys::napi_create_string_latin1(env, text.as_ptr().cast(), text.len() as isize, &mut value) })?;
    Ok(value)
}

/// The flat result array of a signature (see the module docs).
fn result<'e>(env: &'e Env, signed: &Signed<'_>) -> napi::Result<Unknown<'e>, Failure> {
    let raw = env.raw();
    let len = 2 * signed.headers().len() + usize::from(signed.body().is_some());
    let mut array = core::ptr::null_mut();
    // SAFETY: live environment; `array` is a valid out-pointer.
    args::check(unsafe { sys::napi_create_array_with_length(raw, len, &mut array) })?;
    let mut i = 0u32;
    let mut push = |value: sys::napi_value| -> napi::Result<(), Failure> {
        // SAFETY: `array` is the array just created and `value` a live value of this call.
        args::check(unsafe { sys::napi_set_element(raw, array, i, value) })?;
        i += 1;
        Ok(())
    };
    for (name, value) in signed.headers() {
        push(latin1(raw, name)?)?;
        push(latin1(raw, value)?)?;
    }
    if let Some(body) = signed.body() {
        push(args::buffer_copy(env, body)?.raw())?;
    }
    // SAFETY: `array` was created in this environment and lives for the call's scope.
    Ok(unsafe { Unknown::from_raw_unchecked(raw, array) })
}

fn sign_sync<'e>(env: &'e Env, keys: &KeySet, body: &[u8], opts: &Opts<'_>) -> napi::Result<Unknown<'e>, Failure> {
    let opts = opts.as_core()?;
    with_signed(keys, body, &opts, |signed| result(env, signed)).map_err(sign_error)?
}

/// Arguments of `webhookSign`: keys, body, now, id, iv, fields, algorithm.
const SIGN_ARGC: usize = 7;

/// `webhookSign(keys, body, now, id, iv, fields, algorithm)`: signs `body` with the newest
/// secret of a key set made by `webhookKeys`; returns the flat result array. A plain Node-API
/// callback (as `webhookVerify`, see `fast.rs`): napi-rs's per-call bookkeeping would be a third
/// of a 1 KiB signature.
fn webhook_sign(env: sys::napi_env, info: sys::napi_callback_info) -> napi::Result<sys::napi_value, Failure> {
    let [keys, body, now, options @ ..] = fast::arguments::<SIGN_ARGC>(env, info)?;
    let keys = fast::keys_of(env, keys)?;
    sign_with(env, &keys.keys, body, now, options)
}

/// `webhookSignOnce(scheme, secrets, body, now, id, iv, fields, algorithm)`: `webhookSign` with
/// a key set built for this call only, on the Rust stack, and dropped (its key material wiped by
/// the core) before returning: nothing is left for the garbage collector. A plain callback as
/// well: through `#[napi]` it took 0.35 µs more than `webhookSign`, of which the key schedule is
/// about 0.13 µs. The scheme and secret errors throw first, as the signer's constructor's would.
fn webhook_sign_once(env: sys::napi_env, info: sys::napi_callback_info) -> napi::Result<sys::napi_value, Failure> {
    let [scheme, secrets, body, now, options @ ..] = fast::arguments::<{ SIGN_ARGC + 1 }>(env, info)?;
    let keys = fast::key_set_once(env, scheme, secrets)?;
    sign_with(env, &keys, body, now, options)
}

/// What both callbacks share once the key set is there: the body read in place, the options,
/// the signature and its flat result array.
fn sign_with(
    env: sys::napi_env,
    keys: &KeySet,
    body: sys::napi_value,
    now: sys::napi_value,
    [id, iv, fields, algorithm]: [sys::napi_value; 4],
) -> napi::Result<sys::napi_value, Failure> {
    let body = args::bytes_raw(env, body, "body", Accept::TextOrBytes)?;
    let now = fast::optional_f64(env, now, "opts.now")?;
    // SAFETY: every value is a live argument handle of this call.
    let arg = |v| unsafe { Unknown::from_raw_unchecked(env, v) };
    let wrapped = Env::from_raw(env);
    let opts = Opts::read(&wrapped, keys, now, &arg(id), &arg(iv), &arg(fields), &arg(algorithm))?;
    sign_sync(&wrapped, keys, &body, &opts).map(|v| v.raw())
}

/// The Node-API entry of `webhookSign` (registered by `fast::register`).
pub(crate) unsafe extern "C" fn webhook_sign_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    fast::guarded(env, || webhook_sign(env, info))
}

/// The Node-API entry of `webhookSignOnce` (registered by `fast::register`).
pub(crate) unsafe extern "C" fn webhook_sign_once_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    fast::guarded(env, || webhook_sign_once(env, info))
}

/// A signature on the libuv pool: the body and options are copied (JavaScript may reuse its
/// buffers meanwhile).
#[derive(Debug)]
pub struct SignTask {
    keys: Arc<KeySet>,
    body: Vec<u8>,
    now: i64,
    id: Option<String>,
    iv: Option<[u8; 12]>,
    fields: Option<String>,
    algorithm: Option<String>,
}

/// A signature made on the pool: the headers and the body to send, if not the one given.
type Owned = (Vec<(&'static str, String)>, Option<Vec<u8>>);

impl Task for SignTask {
    type Output = Result<Result<Owned, SignError>, Panicked>;
    type JsValue = Vec<Either<String, Buffer>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let run = || {
            let opts = SignOptions {
                now: self.now,
                id: self.id.as_deref(),
                iv: self.iv,
                fields: self.fields.as_deref(),
                algorithm: self.algorithm.as_deref(),
            };
            with_signed(&self.keys, &self.body, &opts, |signed| {
                let headers = signed.headers().map(|(n, v)| (n, v.to_owned())).collect();
                (headers, signed.body().map(<[u8]>::to_vec))
            })
        };
        Ok(failure::on_pool(run))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(Ok((headers, body))) => {
                let mut out: Vec<Either<String, Buffer>> =
                    headers.into_iter().flat_map(|(n, v)| [Either::A(n.to_owned()), Either::A(v)]).collect();
                if let Some(body) = body {
                    out.push(Either::B(body.into()));
                }
                Ok(out)
            }
            Ok(Err(e)) => Err(failure::into_rejection(env, sign_error(e))),
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// `webhookSignAsync(keys, body, now, id, iv, fields, algorithm)`: `webhookSign` on the libuv
/// pool; resolves to the same flat array.
#[napi(js_name = "webhookSignAsync", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn webhook_sign_async(
    env: &Env,
    keys: Unknown<'_>,
    body: Unknown<'_>,
    now: Option<f64>,
    id: Unknown<'_>,
    iv: Unknown<'_>,
    fields: Unknown<'_>,
    algorithm: Unknown<'_>,
) -> napi::Result<AsyncTask<SignTask>, Failure> {
    let keys = fast::keys_of(env.raw(), keys.raw())?;
    let body = args::bytes(env, &body, "body", Accept::TextOrBytes)?;
    let opts = Opts::read(env, &keys.keys, now, &id, &iv, &fields, &algorithm)?;
    let owned = |v: &Option<Input<'_>>, name| -> napi::Result<Option<String>, Failure> {
        v.as_ref().map(|t| t.text(name).map(str::to_owned)).transpose()
    };
    Ok(AsyncTask::new(SignTask {
        keys: Arc::clone(&keys.keys),
        body: body.to_vec(),
        now: opts.now,
        id: owned(&opts.id, "opts.id")?,
        iv: opts.iv,
        fields: owned(&opts.fields, "opts.fields")?,
        algorithm: owned(&opts.algorithm, "opts.algorithm")?,
    }))
}
