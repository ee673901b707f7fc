//! The per-request hot path, `WebhookVerifier#verifySync`, and its one-shot form
//! `verifyWebhookSync`, as plain Node-API callbacks (and the registration of
//! `WebhookSigner#signSync`'s and `signWebhookSync`'s, `sign.rs`, which follow the same pattern).
//!
//! napi-rs wraps every `#[napi]` function in bookkeeping meant for borrows that outlive a call
//! (a scope object allocated and reference-counted per call, global borrow tables behind
//! mutexes), and looks each `External` up in a global registry. For a call whose whole budget
//! over the core is a few hundred nanoseconds that is most of it (the one-shot form through
//! `#[napi]` took 1.20 µs against 0.75 µs for the reused one, of which the key schedule is
//! ~0.13 µs), so these functions are registered by hand ([`register`]) and do only what they
//! need: one `napi_get_cb_info`, the key set through a type-tagged external (or, one-shot, made
//! on the stack), the body in place, each header value copied once
//! into a stack arena (no per-value 512-byte moves), and `undefined` or the rejection string
//! back. Nothing is allocated in JavaScript on the success path, and nothing is left for a
//! finalizer.
//!
//! The key set itself is created here too ([`keys_external`]): a `napi_create_external` whose
//! payload is a `Box<WebhookKeys>`, tagged with [`KEYS_TAG`] so that a foreign external passed
//! to this private API is refused instead of being dereferenced.

use core::ffi::c_void;
use core::ptr;

use napi::bindgen_prelude::JsObjectValue;
use napi::bindgen_prelude::Unknown;
use napi::{sys, Env};
use payseal::webhooks::{Headers, KeySet};

use crate::args::{self, Accept, Input};
use crate::failure::{self, arg_type, Failure};
use crate::webhooks::{self, WebhookKeys};

/// Marks the externals that hold a [`WebhookKeys`] (a random 128-bit tag, per Node-API's
/// `napi_type_tag_object` guidance).
const KEYS_TAG: sys::napi_type_tag = sys::napi_type_tag { lower: 0x7a1f_03c4_9b2e_58d1, upper: 0xc3d5_e6a8_4f10_92b7 };

/// Bytes of header text copied onto the stack per call before spilling to the heap.
const ARENA: usize = 512;

/// Arguments of `webhookVerify`: keys, body, now, tolerance, then up to six header values.
const ARGC: usize = 4 + webhooks::MAX_SLOTS;

fn check(status: sys::napi_status) -> napi::Result<(), Failure> {
    args::check(status)
}

/// Drops the boxed key set when the external is collected.
unsafe extern "C" fn finalize_keys(_env: sys::napi_env, data: *mut c_void, _hint: *mut c_void) {
    if !data.is_null() {
        // SAFETY: `data` is the pointer `keys_external` obtained from `Box::into_raw` for this
        // external, and Node-API calls this finalizer exactly once.
        drop(unsafe { Box::from_raw(data.cast::<WebhookKeys>()) });
    }
}

/// A tagged external owning `keys`.
pub fn keys_external<'e>(env: &'e Env, keys: WebhookKeys) -> napi::Result<Unknown<'e>, Failure> {
    let data = Box::into_raw(Box::new(keys));
    let mut value = ptr::null_mut();
    // SAFETY: `env` is the live environment of this call; `data` is a valid, owned pointer that
    // `finalize_keys` frees; `value` is a valid out-pointer.
    let status =
        unsafe { sys::napi_create_external(env.raw(), data.cast(), Some(finalize_keys), ptr::null_mut(), &mut value) };
    if status != sys::Status::napi_ok {
        // SAFETY: the external was not created, so nothing else owns `data`.
        drop(unsafe { Box::from_raw(data) });
        return Err(failure::fail("internal", None, "napi_create_external failed"));
    }
    // SAFETY: `value` is the external just created in this environment.
    check(unsafe { sys::napi_type_tag_object(env.raw(), value, &KEYS_TAG) })?;
    // SAFETY: `value` is a live value of this environment, valid for the call's scope.
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), value) })
}

/// The key set an external made by [`keys_external`] holds, or an argument error.
pub(crate) fn keys_of<'a>(env: sys::napi_env, value: sys::napi_value) -> napi::Result<&'a WebhookKeys, Failure> {
    let not_keys = || arg_type("keys", "a key set made by webhookKeys");
    if args::type_of(env, value)? != sys::ValueType::napi_external {
        return Err(not_keys());
    }
    let mut tagged = false;
    // SAFETY: live handles of this call; `tagged` is a valid out-pointer.
    check(unsafe { sys::napi_check_object_type_tag(env, value, &KEYS_TAG, &mut tagged) })?;
    if !tagged {
        return Err(not_keys());
    }
    let mut data = ptr::null_mut();
    // SAFETY: `value` is an external (checked above); `data` is a valid out-pointer.
    check(unsafe { sys::napi_get_value_external(env, value, &mut data) })?;
    // SAFETY: only `keys_external` tags externals with KEYS_TAG, and their data is a live
    // `Box<WebhookKeys>` until the finalizer runs, which cannot happen while the argument
    // keeps the external reachable during this call. The key set is never mutated.
    Ok(unsafe { &*data.cast::<WebhookKeys>() })
}

/// Where the bytes of one header value are.
#[derive(Debug, Clone, Copy)]
enum Src<'a> {
    Absent,
    /// A `Uint8Array` read in place.
    Bytes(&'a [u8]),
    /// A string copied into the arena: start and length.
    Arena(usize, usize),
    /// A long string copied to the heap: its index in the spill list.
    Spill(usize),
}

/// The header values of one call, by slot.
#[derive(Debug)]
struct View<'v> {
    names: &'static [&'static str],
    slots: &'v [Src<'v>],
    arena: &'v [u8],
    spill: &'v [Vec<u8>],
}

impl Headers for View<'_> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        let slot = self.names.iter().position(|n| n.eq_ignore_ascii_case(name)).and_then(|i| self.slots.get(i));
        slot.and_then(|src| match *src {
            Src::Absent => None,
            Src::Bytes(b) => Some(b),
            Src::Arena(start, len) => self.arena.get(start..start + len),
            Src::Spill(i) => self.spill.get(i).map(Vec::as_slice),
        })
        .into_iter()
    }
}

pub(crate) fn optional_f64(
    env: sys::napi_env,
    value: sys::napi_value,
    name: &str,
) -> napi::Result<Option<f64>, Failure> {
    match args::type_of(env, value)? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
        sys::ValueType::napi_number => {
            let mut n = 0.0;
            // SAFETY: `value` is a number (checked above); `n` is a valid out-pointer.
            check(unsafe { sys::napi_get_value_double(env, value, &mut n) })?;
            Ok(Some(n))
        }
        _ => Err(arg_type(name, "a number")),
    }
}

/// The arguments of a plain callback (here and in `sign.rs`): `N` values, missing ones
/// `undefined`.
pub(crate) fn arguments<const N: usize>(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> napi::Result<[sys::napi_value; N], Failure> {
    let mut argv = [ptr::null_mut(); N];
    let mut argc = N;
    // SAFETY: `info` is this callback's; `argv` has room for `argc` values (missing arguments
    // are filled with `undefined` by Node-API).
    check(unsafe { sys::napi_get_cb_info(env, info, &mut argc, argv.as_mut_ptr(), ptr::null_mut(), ptr::null_mut()) })?;
    Ok(argv)
}

/// `webhookVerify(keys, body, now, tolerance, h0, …, h5)`: `undefined` when authentic, else
/// the rejection string (see `failure::Rejection`). Header values that are arrays take the
/// general path of `webhooks.rs`.
fn verify(env: sys::napi_env, info: sys::napi_callback_info) -> napi::Result<sys::napi_value, Failure> {
    let [keys, body, now, tolerance, headers @ ..] = arguments::<ARGC>(env, info)?;
    let keys = keys_of(env, keys)?;
    deliver(env, &keys.keys, body, [now, tolerance], &headers)
}

/// `webhookVerifyOnce(scheme, secrets, body, now, tolerance, h0, …, h5)`: `webhookVerify` with
/// a key set built for this call only, on the Rust stack, and dropped (its key material wiped by
/// the core) before returning: nothing is left for the garbage collector, and no heap copy of
/// the key set is made. The scheme and secret errors throw, before the body's and the
/// headers', as the constructor's would.
fn verify_once(env: sys::napi_env, info: sys::napi_callback_info) -> napi::Result<sys::napi_value, Failure> {
    let [scheme, secrets, body, now, tolerance, headers @ ..] = arguments::<{ ARGC + 1 }>(env, info)?;
    let keys = key_set_once(env, scheme, secrets)?;
    deliver(env, &keys, body, [now, tolerance], &headers)
}

/// The key set of a one-shot call (here and in `sign.rs`), from its scheme and secrets
/// arguments, on the caller's stack: the scheme's errors first, then the secrets', as the
/// constructors throw them.
pub(crate) fn key_set_once(
    env: sys::napi_env,
    scheme: sys::napi_value,
    secrets: sys::napi_value,
) -> napi::Result<KeySet, Failure> {
    let wrapped = Env::from_raw(env);
    // SAFETY: both are live argument handles of this call.
    let (scheme, secrets) =
        unsafe { (Unknown::from_raw_unchecked(env, scheme), Unknown::from_raw_unchecked(env, secrets)) };
    webhooks::key_set(&wrapped, webhooks::scheme_of(&scheme, &wrapped)?, &secrets)
}

/// One delivery for `keys`: the body read in place, the clock, then each value of the headers
/// its scheme reads copied once into a stack arena.
fn deliver(
    env: sys::napi_env,
    keys: &KeySet,
    body: sys::napi_value,
    [now, tolerance]: [sys::napi_value; 2],
    headers: &[sys::napi_value],
) -> napi::Result<sys::napi_value, Failure> {
    let names = keys.scheme().header_names();
    let body = args::bytes_raw(env, body, "body", Accept::TextOrBytes)?;
    let at = webhooks::freshness(
        optional_f64(env, now, "opts.now")?,
        optional_f64(env, tolerance, "opts.tolerance")?,
        keys.scheme().checks_timestamp(),
    )?;

    let mut arena = [0u8; ARENA];
    let mut used = 0usize;
    let mut spill: Vec<Vec<u8>> = Vec::new();
    let mut slots = [Src::Absent; webhooks::MAX_SLOTS];
    for ((slot, &value), name) in slots.iter_mut().zip(headers).zip(names) {
        *slot = match args::type_of(env, value)? {
            sys::ValueType::napi_undefined | sys::ValueType::napi_null => Src::Absent,
            sys::ValueType::napi_string => {
                let room = arena.get_mut(used..).unwrap_or_default();
                let mut written = 0usize;
                // SAFETY: `value` is a string; `room` has `room.len()` writable bytes, of which
                // Node-API writes at most `room.len() - 1` plus a NUL (nothing when empty).
                check(unsafe {
                    sys::napi_get_value_string_utf8(env, value, room.as_mut_ptr().cast(), room.len(), &mut written)
                })?;
                // V8 never splits a character: a text that left more than 4 bytes unused is
                // complete; anything else is read again at its measured length.
                if room.len() > 5 && written + 4 < room.len() - 1 {
                    let src = Src::Arena(used, written);
                    used += written;
                    src
                } else {
                    // SAFETY: `value` is a string, a live handle of this call.
                    let text = args::string(&Env::from_raw(env), &unsafe { Unknown::from_raw_unchecked(env, value) })?;
                    spill.push(text.to_vec());
                    Src::Spill(spill.len() - 1)
                }
            }
            _ => match args::u8_view(env, value, name)? {
                Some((_, 0)) => Src::Bytes(&[]),
                // SAFETY: as for `args::bytes`: the array's live, unshared memory, unchanged
                // while no JavaScript runs (the rest of this call).
                Some((data, len)) => Src::Bytes(unsafe { core::slice::from_raw_parts(data, len) }),
                // An array of values, or a wrong type: the general path sorts it out.
                None => return general(env, keys, &body, at, headers),
            },
        };
    }
    let view = View { names, slots: &slots, arena: arena.get(..used).unwrap_or_default(), spill: &spill };
    let outcome = keys.verify(&view, &body, at);
    verdict(env, outcome.err().map(|e| failure::rejection(&failure::webhook(e))).as_deref())
}

/// `undefined` for an authentic delivery, else the rejection as a JavaScript string.
fn verdict(env: sys::napi_env, rejection: Option<&str>) -> napi::Result<sys::napi_value, Failure> {
    let mut out = ptr::null_mut();
    match rejection {
        // SAFETY: live environment; `out` is a valid out-pointer.
        None => check(unsafe { sys::napi_get_undefined(env, &mut out) })?,
        Some(text) => {
            let len = isize::try_from(text.len()).unwrap_or(isize::MAX);
            // SAFETY: `text` is valid UTF-8 of `len` bytes; `out` is a valid out-pointer.
            check(unsafe { sys::napi_create_string_utf8(env, text.as_ptr().cast(), len, &mut out) })?;
        }
    }
    Ok(out)
}

/// The general path (header values given as arrays), through `webhooks.rs`.
fn general(
    env: sys::napi_env,
    keys: &KeySet,
    body: &Input<'_>,
    at: payseal::webhooks::Freshness,
    headers: &[sys::napi_value],
) -> napi::Result<sys::napi_value, Failure> {
    let wrapped = Env::from_raw(env);
    // SAFETY: every value is a live argument handle of this call.
    let given: Vec<Unknown<'_>> = headers.iter().map(|&v| unsafe { Unknown::from_raw_unchecked(env, v) }).collect();
    let outcome = webhooks::verify_slots(&wrapped, keys, body, at, &given)?;
    verdict(env, outcome.as_deref())
}

/// Throws `e` as a JavaScript `Error` whose `code` is the wire string (what napi-rs does for
/// `#[napi]` functions, so `errors.js` reads both alike).
pub(crate) fn throw(env: sys::napi_env, e: &napi::Error<Failure>) {
    let code = std::ffi::CString::new(e.status.as_ref()).unwrap_or_default();
    let message = std::ffi::CString::new(e.reason.replace('\0', " ")).unwrap_or_default();
    // SAFETY: live environment; both strings are NUL-terminated and outlive the call.
    unsafe { sys::napi_throw_error(env, code.as_ptr(), message.as_ptr()) };
}

unsafe extern "C" fn webhook_verify_callback(env: sys::napi_env, info: sys::napi_callback_info) -> sys::napi_value {
    guarded(env, || verify(env, info))
}

unsafe extern "C" fn webhook_verify_once_callback(
    env: sys::napi_env,
    info: sys::napi_callback_info,
) -> sys::napi_value {
    guarded(env, || verify_once(env, info))
}

/// Runs a plain callback's body (here and in `sign.rs`): its error is thrown, and a panic, which
/// must not unwind into Node's C++ frames, becomes an `internal` error.
pub(crate) fn guarded(
    env: sys::napi_env,
    body: impl FnOnce() -> napi::Result<sys::napi_value, Failure> + std::panic::UnwindSafe,
) -> sys::napi_value {
    match std::panic::catch_unwind(body) {
        Ok(Ok(value)) => value,
        Ok(Err(e)) => {
            throw(env, &e);
            ptr::null_mut()
        }
        Err(_) => {
            throw(env, &failure::panicked());
            ptr::null_mut()
        }
    }
}

/// Adds the plain callbacks to the addon's exports: `webhookVerify` and `webhookVerifyOnce`
/// (here), `webhookSign` and `webhookSignOnce` (`sign.rs`).
#[napi_derive::napi(module_exports)]
pub fn register(mut exports: napi::bindgen_prelude::Object<'_>, env: Env) -> napi::Result<()> {
    let callbacks: [(&str, unsafe extern "C" fn(sys::napi_env, sys::napi_callback_info) -> sys::napi_value); 4] = [
        ("webhookVerify", webhook_verify_callback),
        ("webhookVerifyOnce", webhook_verify_once_callback),
        ("webhookSign", crate::sign::webhook_sign_callback),
        ("webhookSignOnce", crate::sign::webhook_sign_once_callback),
    ];
    for (name, callback) in callbacks {
        let mut function = ptr::null_mut();
        // SAFETY: live environment; `name` is valid UTF-8 of the given length; the callback has
        // the Node-API signature and no data.
        let status = unsafe {
            sys::napi_create_function(
                env.raw(),
                name.as_ptr().cast(),
                name.len() as isize,
                Some(callback),
                ptr::null_mut(),
                &mut function,
            )
        };
        if status != sys::Status::napi_ok {
            return Err(napi::Error::new(napi::Status::GenericFailure, format!("cannot create {name}")));
        }
        // SAFETY: `function` was just created in this environment.
        exports.set_named_property(name, unsafe { Unknown::from_raw_unchecked(env.raw(), function) })?;
    }
    Ok(())
}
