//! `payseal::webhooks`: key sets built once, deliveries verified per request, batches on the
//! libuv thread pool.
//!
//! Headers cross as *slots*: `index.js` asks [`webhook_scheme`] once per scheme which header
//! names it reads (the core's [`Scheme::header_names`], lowercased for Node's `req.headers`),
//! then passes each name's value(s) as positional arguments after the fixed ones (a string,
//! bytes, an array of them, or `undefined`): no array is built per call. The slots implement
//! [`Headers`], so the core looks headers up by name exactly as it does for any other source.
//! Only the few headers a scheme reads cross into native code, not the whole request.
//!
//! Nothing here creates a JavaScript object per call on the success path (no external, no
//! buffer, no reference): a verification returns `undefined`, and the one-shot forms build
//! their key set on the Rust stack and drop it before returning, so a synchronous loop leaves
//! nothing for a later garbage collection to free.

use std::sync::Arc;

use napi::bindgen_prelude::{AsyncTask, Null, Unknown};
use napi::{Env, JsValue, Task};
use napi_derive::napi;
use payseal::webhooks::{verify_batch, Freshness, Headers, Item, KeySet, Scheme};

use crate::args::{self, Accept, Input, Kind};
use crate::failure::{self, arg_range, arg_type, arg_value, rejection, Failure, Panicked, Rejection};
use crate::fast;

/// The most header names a scheme reads (Standard Webhooks: three, in two spellings).
pub(crate) const MAX_SLOTS: usize = 6;

/// The value(s) one header name has in a request.
#[derive(Debug, Default)]
enum Slot<V> {
    #[default]
    Absent,
    One(V),
    Many(Vec<V>),
}

impl<V> Slot<V> {
    fn iter(&self) -> core::slice::Iter<'_, V> {
        match self {
            Self::Absent => [].iter(),
            Self::One(v) => core::slice::from_ref(v).iter(),
            Self::Many(vs) => vs.iter(),
        }
    }
}

/// The request headers a scheme reads, by position in its [`Scheme::header_names`].
#[derive(Debug)]
struct Slots<V> {
    names: &'static [&'static str],
    values: [Slot<V>; MAX_SLOTS],
}

impl<V: AsRef<[u8]>> Headers for Slots<V> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        let slot = self.names.iter().position(|n| n.eq_ignore_ascii_case(name)).and_then(|i| self.values.get(i));
        slot.into_iter().flat_map(Slot::iter).map(AsRef::as_ref)
    }
}

/// Reads the header slots of one delivery; `convert` turns each value into what the slots hold.
/// `given` holds at least as many values as `names` (missing arguments are `undefined`).
fn read_slots<'a, V>(
    env: &Env,
    names: &'static [&'static str],
    given: &[Unknown<'a>],
    convert: impl Fn(Input<'a>) -> V,
) -> napi::Result<Slots<V>, Failure> {
    let mut values: [Slot<V>; MAX_SLOTS] = Default::default();
    for ((slot, value), name) in values.iter_mut().zip(given).zip(names) {
        *slot = match args::kind(env, value)? {
            Kind::Nullish => continue,
            // Node's own header values are strings: one call reads them.
            Kind::String => Slot::One(convert(args::string(env, value)?)),
            Kind::Other => match args::array_elements(env, value)? {
                None => Slot::One(convert(header_value(env, value, name)?)),
                Some(elements) => Slot::Many(
                    elements.iter().map(|e| header_value(env, e, name).map(&convert)).collect::<Result<_, _>>()?,
                ),
            },
        };
    }
    Ok(Slots { names, values })
}

fn header_value<'a>(env: &Env, value: &Unknown<'a>, name: &str) -> napi::Result<Input<'a>, Failure> {
    match args::kind(env, value)? {
        Kind::String => args::string(env, value),
        _ => args::bytes(env, value, name, Accept::Bytes).map_err(|e| {
            if e.status.as_ref() == "payseal:arg_type" {
                header_type(name)
            } else {
                e
            }
        }),
    }
}

fn header_type(name: &str) -> napi::Error<Failure> {
    arg_type(&format!("headers.{name}"), "a string, a Uint8Array, or an array of them")
}

/// `now` (Unix seconds) and `tolerance` (seconds), each defaulting to the core's. The clock is
/// read only when `clock` is true (the scheme signs a timestamp: the core's
/// `Scheme::checks_timestamp`) and `now` is not given; the other schemes never look at it.
pub(crate) fn freshness(now: Option<f64>, tolerance: Option<f64>, clock: bool) -> napi::Result<Freshness, Failure> {
    let mut at =
        if clock && now.is_none() { Freshness::now() } else { Freshness::new(0, Freshness::DEFAULT_TOLERANCE) };
    if let Some(now) = now {
        if !now.is_finite() || now.fract() != 0.0 || now.abs() > 9.007_199_254_740_991e15 {
            return Err(arg_range("opts.now", "It must be an integer number of Unix seconds"));
        }
        // Exact: an integer below 2^53 in magnitude.
        at.now = now as i64;
    }
    if let Some(tolerance) = tolerance {
        if !tolerance.is_finite() || tolerance.fract() != 0.0 || !(0.0..=9.007_199_254_740_991e15).contains(&tolerance)
        {
            return Err(arg_range("opts.tolerance", "It must be a non-negative integer number of seconds"));
        }
        at.tolerance = tolerance as u64;
    }
    Ok(at)
}

/// A scheme's key set, shared with batch tasks on the thread pool.
#[derive(Debug)]
pub struct WebhookKeys {
    pub(crate) keys: Arc<KeySet>,
}

/// The scheme a name stands for (the core parses it).
pub(crate) fn scheme_of(name: &Unknown<'_>, env: &Env) -> napi::Result<Scheme, Failure> {
    if args::kind(env, name)? != Kind::String {
        return Err(arg_type("scheme", "a string"));
    }
    let text = args::string(env, name)?;
    Scheme::from_name(text.text("scheme")?)
        .ok_or_else(|| arg_value("scheme", format!("is not a known scheme: {:?}", String::from_utf8_lossy(&text))))
}

/// What `index.js` needs to know about a scheme, once.
#[napi(object)]
#[derive(Debug)]
pub struct SchemeInfo {
    /// The header names the scheme reads, lowercase (Node's `IncomingMessage` spelling), in
    /// slot order.
    pub header_names: Vec<String>,
    /// True when `open` returns a decrypted payload (the core's `Scheme::is_encrypted`); the
    /// MAC schemes' payload is the body itself.
    pub encrypted: bool,
}

/// The header names `scheme` reads and whether its payload is encrypted.
#[napi(js_name = "webhookScheme", catch_unwind)]
pub fn webhook_scheme(env: &Env, scheme: Unknown<'_>) -> napi::Result<SchemeInfo, Failure> {
    let scheme = scheme_of(&scheme, env)?;
    Ok(SchemeInfo {
        header_names: scheme.header_names().iter().map(|n| n.to_ascii_lowercase()).collect(),
        encrypted: scheme.is_encrypted(),
    })
}

/// Builds the key set of `scheme` from one secret (a string or bytes) or an array of them.
pub(crate) fn key_set(env: &Env, scheme: Scheme, secrets: &Unknown<'_>) -> napi::Result<KeySet, Failure> {
    let name = |i: usize| format!("secrets[{i}]");
    let keys = match args::array_elements(env, secrets)? {
        Some(list) => {
            let secrets = list
                .iter()
                .enumerate()
                .map(|(i, s)| args::bytes(env, s, &name(i), Accept::TextOrBytes))
                .collect::<Result<Vec<_>, _>>()?;
            KeySet::new(scheme, &secrets)
        }
        None => {
            let one = args::bytes(env, secrets, "secrets", Accept::TextOrBytes).map_err(|e| {
                if e.status.as_ref() == "payseal:arg_type" {
                    arg_type("secrets", "a string, a Uint8Array, or an array of them")
                } else {
                    e
                }
            })?;
            KeySet::new(scheme, core::slice::from_ref(&one))
        }
    };
    keys.map_err(failure::webhook_key)
}

/// Parses and precomputes the secrets of `scheme` (strings or bytes, in the provider's format).
#[napi(js_name = "webhookKeys", catch_unwind)]
pub fn webhook_keys<'e>(env: &'e Env, scheme: Unknown<'_>, secrets: Unknown<'_>) -> napi::Result<Unknown<'e>, Failure> {
    let scheme = scheme_of(&scheme, env)?;
    let keys = key_set(env, scheme, &secrets)?;
    fast::keys_external(env, WebhookKeys { keys: Arc::new(keys) })
}

/// Verifies one delivery with `keys`, whose header values are given as arguments (strings,
/// bytes, arrays of them; in the order of its scheme's header names); `None` when authentic,
/// else the [`Rejection`].
pub(crate) fn verify_slots(
    env: &Env,
    keys: &KeySet,
    body: &[u8],
    at: Freshness,
    headers: &[Unknown<'_>],
) -> napi::Result<Option<Rejection>, Failure> {
    let slots = read_slots(env, keys.scheme().header_names(), headers, |v| v)?;
    Ok(keys.verify(&slots, body, at).err().map(|e| rejection(&failure::webhook(e))))
}

// `webhookVerify(keys, body, now, tolerance, h0, …)`, the per-request path, and its one-shot
// form `webhookVerifyOnce(scheme, secrets, body, now, tolerance, h0, …)` are plain Node-API
// callbacks: see `fast.rs`.

/// The output size [`webhook_open_into`] needs for `body` (0 for the MAC schemes).
#[napi(js_name = "webhookOpenLen", catch_unwind)]
pub fn webhook_open_len(env: &Env, keys: Unknown<'_>, body: Unknown<'_>) -> napi::Result<i64, Failure> {
    let keys = fast::keys_of(env.raw(), keys.raw())?;
    let body = args::bytes(env, &body, "body", Accept::TextOrBytes)?;
    Ok(args::count(keys.keys.open_len(&body)))
}

/// Verifies one delivery and writes its decrypted payload (OPPWA's plaintext) into `dst`;
/// returns the bytes written (0 for the MAC schemes). Throws the rejection.
#[napi(js_name = "webhookOpenInto", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn webhook_open_into(
    env: &Env,
    keys: Unknown<'_>,
    body: Unknown<'_>,
    dst: Unknown<'_>,
    now: Option<f64>,
    tolerance: Option<f64>,
    h0: Unknown<'_>,
    h1: Unknown<'_>,
    h2: Unknown<'_>,
    h3: Unknown<'_>,
    h4: Unknown<'_>,
    h5: Unknown<'_>,
) -> napi::Result<i64, Failure> {
    let keys = fast::keys_of(env.raw(), keys.raw())?;
    let body = args::bytes(env, &body, "body", Accept::TextOrBytes)?;
    let dst = args::output(env, &dst, "dst", &body)?;
    let at = freshness(now, tolerance, keys.keys.scheme().checks_timestamp())?;
    let slots = read_slots(env, keys.keys.scheme().header_names(), &[h0, h1, h2, h3, h4, h5], |v| v)?;
    keys.keys.open(&slots, &body, at, dst).map(args::count).map_err(failure::webhook)
}

/// Verifies one delivery and returns the bytes to act on, as the core decides
/// (`KeySet::open_payload`): the `body` argument itself for the MAC schemes, a new Buffer with
/// the decrypted notification for OPPWA. Throws the rejection.
#[napi(js_name = "webhookOpen", catch_unwind)]
#[allow(clippy::too_many_arguments)]
pub fn webhook_open<'e>(
    env: &'e Env,
    keys: Unknown<'_>,
    body: Unknown<'e>,
    now: Option<f64>,
    tolerance: Option<f64>,
    h0: Unknown<'_>,
    h1: Unknown<'_>,
    h2: Unknown<'_>,
    h3: Unknown<'_>,
    h4: Unknown<'_>,
    h5: Unknown<'_>,
) -> napi::Result<Unknown<'e>, Failure> {
    let keys = fast::keys_of(env.raw(), keys.raw())?;
    let bytes = args::bytes(env, &body, "body", Accept::TextOrBytes)?;
    let at = freshness(now, tolerance, keys.keys.scheme().checks_timestamp())?;
    let slots = read_slots(env, keys.keys.scheme().header_names(), &[h0, h1, h2, h3, h4, h5], |v| v)?;
    // The plaintext goes straight into JavaScript-owned memory: nothing native to wipe or free.
    let (buffer, out) = args::new_buffer(env, keys.keys.open_len(&bytes))?;
    let payload = keys.keys.open_payload(&slots, &bytes, at, out).map_err(failure::webhook)?;
    if core::ptr::eq(payload, &*bytes) {
        Ok(body)
    } else if payload.len() == out_len(&buffer, env)? {
        Ok(buffer)
    } else {
        args::buffer_copy(env, payload)
    }
}

fn out_len(buffer: &Unknown<'_>, env: &Env) -> napi::Result<usize, Failure> {
    Ok(args::u8_view(env.raw(), buffer.raw(), "buffer")?.map_or(0, |(_, len)| len))
}

/// One copied delivery of a batch.
#[derive(Debug)]
struct Owned {
    keys: Arc<KeySet>,
    headers: Slots<Vec<u8>>,
    body: Vec<u8>,
}

/// A batch on the libuv pool: inputs are copied (JavaScript may reuse its buffers), and the
/// core spreads the items over the cores ([`verify_batch`]).
#[derive(Debug)]
pub struct BatchTask {
    items: Vec<Owned>,
    at: Freshness,
}

impl Task for BatchTask {
    type Output = Result<Vec<Option<Rejection>>, Panicked>;
    type JsValue = Vec<napi::Either<Null, Rejection>>;

    fn compute(&mut self) -> napi::Result<Self::Output> {
        let run = || {
            let items: Vec<Item<'_, Slots<Vec<u8>>>> =
                self.items.iter().map(|o| Item { keys: &o.keys, headers: &o.headers, body: &o.body }).collect();
            verify_batch(&items, self.at)
                .into_iter()
                .map(|r| r.err().map(|e| rejection(&failure::webhook(e))))
                .collect::<Vec<_>>()
        };
        Ok(failure::on_pool(run))
    }

    fn resolve(&mut self, env: Env, output: Self::Output) -> napi::Result<Self::JsValue> {
        match output {
            Ok(outcomes) => {
                Ok(outcomes.into_iter().map(|o| o.map_or(napi::Either::A(Null), napi::Either::B)).collect())
            }
            Err(p) => Err(p.rejection(env)),
        }
    }
}

/// Verifies many deliveries on the thread pool; resolves to one `null` (authentic) or
/// [`Rejection`] per item, in order. `keys`, `bodies` and `headers` are parallel arrays (the
/// headers of item `i` are its slot values, as for [`webhook_verify`]).
#[napi(js_name = "webhookVerifyBatch", catch_unwind)]
pub fn webhook_verify_batch(
    env: &Env,
    keys: Vec<Unknown<'_>>,
    bodies: Vec<Unknown<'_>>,
    headers: Vec<Vec<Unknown<'_>>>,
    now: Option<f64>,
    tolerance: Option<f64>,
) -> napi::Result<AsyncTask<BatchTask>, Failure> {
    if keys.len() != bodies.len() || keys.len() != headers.len() {
        return Err(arg_value("items", "must give keys, bodies and headers for every item"));
    }
    // One clock reading for the whole batch, whatever its schemes.
    let at = freshness(now, tolerance, true)?;
    let items = keys
        .iter()
        .zip(&bodies)
        .zip(&headers)
        .map(|((k, body), given)| {
            let k = fast::keys_of(env.raw(), k.raw())?;
            Ok(Owned {
                keys: Arc::clone(&k.keys),
                headers: read_slots_padded(env, k.keys.scheme().header_names(), given)?,
                body: args::bytes(env, body, "body", Accept::TextOrBytes)?.to_vec(),
            })
        })
        .collect::<napi::Result<Vec<_>, Failure>>()?;
    Ok(AsyncTask::new(BatchTask { items, at }))
}

/// The slots of a batch item, given as an array that may be shorter than the scheme's names.
fn read_slots_padded(
    env: &Env,
    names: &'static [&'static str],
    given: &[Unknown<'_>],
) -> napi::Result<Slots<Vec<u8>>, Failure> {
    if given.len() > names.len() {
        return Err(arg_value("headers", "has more values than the scheme reads"));
    }
    read_slots(env, names.get(..given.len()).unwrap_or_default(), given, |v| v.to_vec())
        .map(|slots| Slots { names, values: slots.values })
}
