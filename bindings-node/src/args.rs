//! Arguments from JavaScript: byte inputs (a string or a `Uint8Array`) and caller-provided
//! output buffers (`Uint8Array`, `Buffer` included).
//!
//! Byte views of a `Uint8Array` borrow its memory for the duration of the call: no JavaScript
//! runs on this thread while a binding executes, so the buffer can neither be detached nor
//! collected (the argument handle keeps it alive). That argument does not hold for a view over
//! a `SharedArrayBuffer`: another worker can write it during the call, under a `&[u8]` that
//! Rust assumes immutable, and the bytes verified could differ from the bytes the caller then
//! acts on. Such views are refused, inputs and outputs alike (`InvalidInputError`, code
//! `invalid_argument`); a caller who must verify shared memory copies it first
//! (`Buffer.from(view)`), which makes the snapshot it acts on explicit.
//!
//! Strings are copied out as UTF-8, into a stack buffer when short. JavaScript can pass one
//! buffer as both input and output; [`output`] refuses overlap so that a `&[u8]` and a
//! `&mut [u8]` never alias.

use core::ops::Deref;
use core::ptr;

use napi::bindgen_prelude::Unknown;
use napi::{sys, Env, JsValue};

use crate::failure::{self, arg_type, arg_value, invalid_argument, Failure};

/// Strings up to this many UTF-8 bytes are copied onto the stack rather than the heap.
const INLINE: usize = 512;

/// The bytes of a JavaScript argument.
// The inline variant is large on purpose: an `Input` lives on the stack for one call and spares
// short strings a heap allocation.
#[allow(clippy::large_enum_variant)]
pub enum Input<'a> {
    /// A view of a `Uint8Array`'s memory.
    Borrowed(&'a [u8]),
    /// The UTF-8 of a short string.
    Inline { buf: [u8; INLINE], len: usize },
    /// The UTF-8 of a long string.
    Heap(Vec<u8>),
}

impl Deref for Input<'_> {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        match self {
            Self::Borrowed(s) => s,
            Self::Inline { buf, len } => buf.get(..*len).unwrap_or_default(),
            Self::Heap(v) => v,
        }
    }
}

impl AsRef<[u8]> for Input<'_> {
    fn as_ref(&self) -> &[u8] {
        self
    }
}

impl Input<'_> {
    /// The bytes as `&str` (for names and options, which are ASCII), or an argument error.
    pub fn text(&self, name: &str) -> napi::Result<&str, Failure> {
        core::str::from_utf8(self).map_err(|_| arg_value(name, "must be valid UTF-8"))
    }
}

/// Which JavaScript types a byte argument accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accept {
    /// `Uint8Array` (and `Buffer`) only.
    Bytes,
    /// A string (taken as its UTF-8) or a `Uint8Array`.
    TextOrBytes,
    /// JSON text: a `Uint8Array`, or a string whose lone surrogates are kept as the three bytes
    /// of their code point (WTF-8). Those bytes are not UTF-8, so the JSON engine refuses them
    /// (`invalid_utf8` at that character's UTF-8 offset) instead of reading the U+FFFD that
    /// Node-API's UTF-8 would put there: bytes that are signed or canonicalised never change
    /// silently.
    Json,
}

pub(crate) fn check(status: sys::napi_status) -> napi::Result<(), Failure> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(failure::internal(&napi::Error::new(napi::Status::from(status), "Node-API call failed")))
    }
}

pub(crate) fn type_of(env: sys::napi_env, value: sys::napi_value) -> napi::Result<sys::napi_valuetype, Failure> {
    let mut kind = 0;
    // SAFETY: `env` and `value` are the live handles of the current call; `kind` is a valid
    // out-pointer.
    check(unsafe { sys::napi_typeof(env, value, &mut kind) })?;
    Ok(kind)
}

/// The data pointer and length of a `Uint8Array` (or `Uint8ClampedArray`), or `None` for any
/// other value. `napi_get_typedarray_info` itself answers `napi_invalid_arg` (without throwing)
/// for a value that is not a typed array. A view over a `SharedArrayBuffer` is refused (see the
/// module docs): `napi_is_arraybuffer` is false for a `SharedArrayBuffer` (V8's
/// `IsArrayBuffer`), which is the only other backing a typed array can have.
pub(crate) fn u8_view(
    env: sys::napi_env,
    value: sys::napi_value,
    name: &str,
) -> napi::Result<Option<(*mut u8, usize)>, Failure> {
    let (mut kind, mut len, mut data, mut offset) = (0, 0usize, ptr::null_mut(), 0usize);
    let mut backing = ptr::null_mut();
    // SAFETY: live handles of the current call; all out-pointers are valid. Node-API returns
    // `data` already advanced by the view's byte offset.
    let status =
        unsafe { sys::napi_get_typedarray_info(env, value, &mut kind, &mut len, &mut data, &mut backing, &mut offset) };
    if status == sys::Status::napi_invalid_arg {
        return Ok(None);
    }
    check(status)?;
    if kind != sys::TypedarrayType::uint8_array && kind != sys::TypedarrayType::uint8_clamped_array {
        return Ok(None);
    }
    let mut unshared = false;
    // SAFETY: `backing` is the array's buffer, just returned for this call's environment;
    // `unshared` is a valid out-pointer.
    check(unsafe { sys::napi_is_arraybuffer(env, backing, &mut unshared) })?;
    if !unshared {
        return Err(invalid_argument(name, "must not be a view of a SharedArrayBuffer (copy it first)"));
    }
    Ok(Some((data.cast::<u8>(), len)))
}

/// The UTF-8 of a JavaScript string. Lone surrogates come out as U+FFFD (Node-API's rule);
/// `index.js` rejects ill-formed strings before they reach a binding where that matters.
fn string_utf8(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Input<'static>, Failure> {
    // Short strings (the common case: header values, names, keys) are copied in one call. V8
    // never splits a character, so a text that left more than 4 bytes of the buffer unused is
    // complete.
    let mut buf = [0u8; INLINE];
    let mut written = 0usize;
    // SAFETY: `value` is a string (checked by the caller); `buf` has INLINE bytes, and Node-API
    // writes at most INLINE - 1 of them plus a terminating NUL.
    check(unsafe { sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), INLINE, &mut written) })?;
    if written + 4 < INLINE - 1 {
        return Ok(Input::Inline { buf, len: written });
    }
    // Lone surrogates become U+FFFD, as Node-API's UTF-8 makes them.
    Ok(Input::Heap(long_string(env, value, utf16_len(env, value)?, encoding_rs::mem::convert_utf16_to_utf8)?))
}

/// The WTF-8 of a JavaScript string ([`Accept::Json`]): its UTF-8 where it is well formed,
/// and each lone surrogate as the three bytes of its code point; on the stack when short.
fn string_wtf8(env: sys::napi_env, value: sys::napi_value) -> napi::Result<Input<'static>, Failure> {
    const SHORT: usize = INLINE / 3;
    let units = utf16_len(env, value)?;
    if units <= SHORT {
        let mut wide = [0u16; SHORT + 1];
        let copied = read_utf16(env, value, &mut wide)?;
        let mut buf = [0u8; INLINE];
        let len = utf16_to_wtf8(wide.get(..copied).unwrap_or_default(), &mut buf);
        return Ok(Input::Inline { buf, len });
    }
    Ok(Input::Heap(long_string(env, value, units, utf16_to_wtf8)?))
}

/// The bytes of a long string of `units` UTF-16 code units, read as UTF-16 and written by
/// `transcode` (UTF-8 or WTF-8).
/// V8's own UTF-8 output measures the text in one pass and writes it in another, both a code
/// unit at a time; the UTF-16 copy is one move (or a widening of a Latin-1 string) and
/// `encoding_rs` transcodes a word at a time over ASCII runs: about half the time on the 3.5 KiB
/// fixture (benches/harness, `jcs_3k5` and `canonical_json_3k5` in Node).
fn long_string(
    env: sys::napi_env,
    value: sys::napi_value,
    units: usize,
    transcode: fn(&[u16], &mut [u8]) -> usize,
) -> napi::Result<Vec<u8>, Failure> {
    let mut wide = vec![0u16; units + 1];
    let copied = read_utf16(env, value, &mut wide)?;
    // Every UTF-16 code unit is at most 3 bytes of UTF-8 (encoding_rs requires that room).
    let mut bytes = vec![0u8; copied * 3];
    let len = transcode(wide.get(..copied).unwrap_or_default(), &mut bytes);
    bytes.truncate(len);
    Ok(bytes)
}

/// The length of a string in UTF-16 code units.
fn utf16_len(env: sys::napi_env, value: sys::napi_value) -> napi::Result<usize, Failure> {
    let mut units = 0usize;
    // SAFETY: `value` is a string; a null buffer asks for its length in UTF-16 code units.
    check(unsafe { sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut units) })?;
    Ok(units)
}

/// Copies the string's UTF-16 code units into `wide` (whole when it has room for them and a
/// NUL) and returns how many it copied.
fn read_utf16(env: sys::napi_env, value: sys::napi_value, wide: &mut [u16]) -> napi::Result<usize, Failure> {
    let mut copied = 0usize;
    // SAFETY: `value` is a string; `wide` is writable for its whole length, and Node-API writes
    // at most `wide.len() - 1` code units plus a terminating NUL.
    check(unsafe { sys::napi_get_value_string_utf16(env, value, wide.as_mut_ptr(), wide.len(), &mut copied) })?;
    Ok(copied.min(wide.len().saturating_sub(1)))
}

/// Writes `wide` as WTF-8 into `out` (at least 3 bytes per code unit) and returns the length.
fn utf16_to_wtf8(mut wide: &[u16], out: &mut [u8]) -> usize {
    let mut n = 0;
    loop {
        let valid = encoding_rs::mem::utf16_valid_up_to(wide);
        let (good, rest) = wide.split_at(valid);
        n += encoding_rs::mem::convert_utf16_to_utf8(good, out.get_mut(n..).unwrap_or_default());
        let Some((&lone, rest)) = rest.split_first() else { return n };
        // A surrogate without its pair (U+D800..U+DFFF): 1110xxxx 10xxxxxx 10xxxxxx.
        let bytes = [0xe0 | (lone >> 12) as u8, 0x80 | ((lone >> 6) & 0x3f) as u8, 0x80 | (lone & 0x3f) as u8];
        if let Some(dst) = out.get_mut(n..n + 3) {
            dst.copy_from_slice(&bytes);
        }
        n += 3;
        wide = rest;
    }
}

/// What a JavaScript value is, as far as argument reading cares (one Node-API call).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `undefined` or `null`.
    Nullish,
    /// A string.
    String,
    /// Anything else (typed arrays and arrays among them).
    Other,
}

/// The [`Kind`] of `value`.
pub fn kind(env: &Env, value: &Unknown<'_>) -> napi::Result<Kind, Failure> {
    Ok(match type_of(env.raw(), value.raw())? {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Kind::Nullish,
        sys::ValueType::napi_string => Kind::String,
        _ => Kind::Other,
    })
}

/// The UTF-8 of a value known to be a string ([`Kind::String`]).
pub fn string(env: &Env, value: &Unknown<'_>) -> napi::Result<Input<'static>, Failure> {
    string_utf8(env.raw(), value.raw())
}

/// Reads a byte argument. `name` names it in error messages. Typed arrays are tried first: raw
/// request bodies arrive as Buffers.
pub fn bytes<'a>(env: &Env, value: &Unknown<'a>, name: &str, accept: Accept) -> napi::Result<Input<'a>, Failure> {
    bytes_raw(env.raw(), value.raw(), name, accept)
}

/// [`bytes`] on raw handles, which must be live argument handles of the current call ('a).
pub fn bytes_raw<'a>(
    env: sys::napi_env,
    value: sys::napi_value,
    name: &str,
    accept: Accept,
) -> napi::Result<Input<'a>, Failure> {
    match u8_view(env, value, name)? {
        Some((_, 0)) => Ok(Input::Borrowed(&[])),
        // SAFETY: Node-API gave the pointer and length of the array's live memory, which is not
        // shared with other threads (`u8_view` refuses SharedArrayBuffer views); it stays
        // valid and unchanged for the call ('a), as no JavaScript runs on this thread meanwhile.
        Some((data, len)) => Ok(Input::Borrowed(unsafe { core::slice::from_raw_parts(data, len) })),
        None if accept == Accept::Bytes => Err(arg_type(name, "a Uint8Array or Buffer")),
        None if type_of(env, value)? == sys::ValueType::napi_string => match accept {
            Accept::Json => string_wtf8(env, value),
            _ => string_utf8(env, value),
        },
        None => Err(arg_type(name, "a string, a Uint8Array or a Buffer")),
    }
}

/// True when `value` is `undefined` or `null`.
pub fn is_nullish(env: &Env, value: &Unknown<'_>) -> napi::Result<bool, Failure> {
    let kind = type_of(env.raw(), value.raw())?;
    Ok(kind == sys::ValueType::napi_undefined || kind == sys::ValueType::napi_null)
}

/// The elements of a JavaScript array, or `None` when `value` is not an array.
pub fn array_elements<'a>(env: &Env, value: &Unknown<'a>) -> napi::Result<Option<Vec<Unknown<'a>>>, Failure> {
    let (raw_env, raw) = (env.raw(), value.raw());
    let mut is_array = false;
    // SAFETY: live handles of the current call; `is_array` is a valid out-pointer.
    check(unsafe { sys::napi_is_array(raw_env, raw, &mut is_array) })?;
    if !is_array {
        return Ok(None);
    }
    let mut len = 0u32;
    // SAFETY: `raw` is an array (checked above); `len` is a valid out-pointer.
    check(unsafe { sys::napi_get_array_length(raw_env, raw, &mut len) })?;
    let mut out = Vec::with_capacity(len as usize);
    for i in 0..len {
        let mut element = ptr::null_mut();
        // SAFETY: `raw` is an array of `len` elements; `element` is a valid out-pointer.
        check(unsafe { sys::napi_get_element(raw_env, raw, i, &mut element) })?;
        // SAFETY: `element` was just returned by Node-API for this environment and lives for
        // the call's handle scope ('a).
        out.push(unsafe { Unknown::from_raw_unchecked(raw_env, element) });
    }
    Ok(Some(out))
}

/// Reads a caller-provided output buffer, which must not overlap `input`.
pub fn output<'a>(env: &Env, value: &Unknown<'a>, name: &str, input: &[u8]) -> napi::Result<&'a mut [u8], Failure> {
    let Some((data, len)) = u8_view(env.raw(), value.raw(), name)? else {
        return Err(arg_type(name, "a Uint8Array or Buffer"));
    };
    if len == 0 {
        return Ok(&mut []);
    }
    let (start, end) = (data as usize, data as usize + len);
    let (in_start, in_end) = (input.as_ptr() as usize, input.as_ptr() as usize + input.len());
    if !input.is_empty() && start < in_end && in_start < end {
        return Err(arg_value(name, "must not share memory with the input"));
    }
    // SAFETY: Node-API gave the pointer and length of the array's live memory, valid for the
    // call and not shared with other threads (`u8_view` refuses SharedArrayBuffer views); it
    // does not overlap `input` (checked above), so this is the only reference to it.
    Ok(unsafe { core::slice::from_raw_parts_mut(data, len) })
}

/// Converts a byte count for JavaScript (a safe integer: buffers are far below 2^53).
pub fn count(n: usize) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A new Node.js `Buffer` holding a copy of `bytes`. Its memory belongs to V8's array-buffer
/// allocator and goes with the Buffer: no finalizer, no native object left behind.
pub fn buffer_copy<'e>(env: &'e Env, bytes: &[u8]) -> napi::Result<Unknown<'e>, Failure> {
    let (mut value, mut data) = (ptr::null_mut(), ptr::null_mut());
    // SAFETY: live environment; `bytes` is valid for `bytes.len()` bytes; out-pointers are valid.
    check(unsafe {
        sys::napi_create_buffer_copy(env.raw(), bytes.len(), bytes.as_ptr().cast(), &mut data, &mut value)
    })?;
    // SAFETY: `value` was just created in this environment, valid for the call's scope.
    Ok(unsafe { Unknown::from_raw_unchecked(env.raw(), value) })
}

/// A new zero-filled Node.js `Buffer` of `len` bytes and its memory, writable for the call (no
/// JavaScript has seen it yet). The memory is the new Buffer's, not `env`'s: the lint's worry
/// (two calls handing out the same memory) cannot arise.
#[allow(clippy::mut_from_ref)]
pub fn new_buffer<'e>(env: &'e Env, len: usize) -> napi::Result<(Unknown<'e>, &'e mut [u8]), Failure> {
    let (mut value, mut data) = (ptr::null_mut(), ptr::null_mut::<core::ffi::c_void>());
    // SAFETY: live environment; out-pointers are valid.
    check(unsafe { sys::napi_create_buffer(env.raw(), len, &mut data, &mut value) })?;
    let bytes: &'e mut [u8] = if len == 0 || data.is_null() {
        &mut []
    } else {
        // SAFETY: Node-API allocated `len` bytes at `data` for the new Buffer, which nothing else
        // references yet; the Buffer handle keeps them alive for the call.
        unsafe { core::slice::from_raw_parts_mut(data.cast::<u8>(), len) }
    };
    bytes.fill(0);
    // SAFETY: `value` was just created in this environment, valid for the call's scope.
    Ok((unsafe { Unknown::from_raw_unchecked(env.raw(), value) }, bytes))
}
