//! `payseal::encoding`: hex, base64url (unpadded; padding optional on input) and standard
//! base64. Each encoding has `…Encode(bytes) -> string` and the allocation-free
//! `…EncodeInto(bytes, dst) -> number` / `…DecodeInto(text, dst) -> number`; `index.js` builds
//! the allocating `…Decode` on top of `…DecodeInto`.

use napi::bindgen_prelude::Unknown;
use napi::{Env, JsString};
use napi_derive::napi;
use payseal::encoding::{base64, hex, EncodingError};

use crate::args::{self, Accept};
use crate::failure::{self, Failure};
use crate::output;

type Codec = fn(&[u8], &mut [u8]) -> Result<usize, EncodingError>;

fn encode_string<'e>(
    env: &'e Env,
    src: &Unknown<'_>,
    len: fn(usize) -> usize,
    codec: Codec,
) -> napi::Result<JsString<'e>, Failure> {
    let src = args::bytes(env, src, "src", Accept::Bytes)?;
    output::ascii_string(env, len(src.len()), |dst| codec(&src, dst), failure::encoding)
}

fn into(env: &Env, src: &Unknown<'_>, dst: &Unknown<'_>, accept: Accept, codec: Codec) -> napi::Result<i64, Failure> {
    let src = args::bytes(env, src, "src", accept)?;
    let dst = args::output(env, dst, "dst", &src)?;
    codec(&src, dst).map(args::count).map_err(failure::encoding)
}

/// Lowercase hex of `src`.
#[napi(js_name = "hexEncode", catch_unwind)]
pub fn hex_encode<'e>(env: &'e Env, src: Unknown<'_>) -> napi::Result<JsString<'e>, Failure> {
    encode_string(env, &src, hex::encoded_len, hex::encode)
}

/// Writes the lowercase hex of `src` into `dst`; returns the bytes written.
#[napi(js_name = "hexEncodeInto", catch_unwind)]
pub fn hex_encode_into(env: &Env, src: Unknown<'_>, dst: Unknown<'_>) -> napi::Result<i64, Failure> {
    into(env, &src, &dst, Accept::Bytes, hex::encode)
}

/// Decodes hex (either case) into `dst`; returns the bytes written.
#[napi(js_name = "hexDecodeInto", catch_unwind)]
pub fn hex_decode_into(env: &Env, src: Unknown<'_>, dst: Unknown<'_>) -> napi::Result<i64, Failure> {
    into(env, &src, &dst, Accept::TextOrBytes, hex::decode)
}

/// Unpadded base64url of `src`.
#[napi(js_name = "base64urlEncode", catch_unwind)]
pub fn base64url_encode<'e>(env: &'e Env, src: Unknown<'_>) -> napi::Result<JsString<'e>, Failure> {
    encode_string(env, &src, base64::url_encoded_len, base64::url_encode)
}

/// Writes the unpadded base64url of `src` into `dst`; returns the bytes written.
#[napi(js_name = "base64urlEncodeInto", catch_unwind)]
pub fn base64url_encode_into(env: &Env, src: Unknown<'_>, dst: Unknown<'_>) -> napi::Result<i64, Failure> {
    into(env, &src, &dst, Accept::Bytes, base64::url_encode)
}

/// Decodes base64url (padding optional, but correct when present) into `dst`.
#[napi(js_name = "base64urlDecodeInto", catch_unwind)]
pub fn base64url_decode_into(env: &Env, src: Unknown<'_>, dst: Unknown<'_>) -> napi::Result<i64, Failure> {
    into(env, &src, &dst, Accept::TextOrBytes, base64::url_decode)
}

/// Padded standard base64 of `src`.
#[napi(js_name = "base64Encode", catch_unwind)]
pub fn base64_encode<'e>(env: &'e Env, src: Unknown<'_>) -> napi::Result<JsString<'e>, Failure> {
    encode_string(env, &src, base64::standard_encoded_len, base64::standard_encode)
}

/// Writes the padded standard base64 of `src` into `dst`; returns the bytes written.
#[napi(js_name = "base64EncodeInto", catch_unwind)]
pub fn base64_encode_into(env: &Env, src: Unknown<'_>, dst: Unknown<'_>) -> napi::Result<i64, Failure> {
    into(env, &src, &dst, Accept::Bytes, base64::standard_encode)
}

/// Decodes padded standard base64 into `dst`.
#[napi(js_name = "base64DecodeInto", catch_unwind)]
pub fn base64_decode_into(env: &Env, src: Unknown<'_>, dst: Unknown<'_>) -> napi::Result<i64, Failure> {
    into(env, &src, &dst, Accept::TextOrBytes, base64::standard_decode)
}

/// True when `a` and `b` are the same bytes, in time that depends only on their lengths
/// (`payseal::ct::eq`). The one boolean of the API: a comparison, not a verification.
#[napi(js_name = "compareDigest", catch_unwind)]
pub fn compare_digest(env: &Env, a: Unknown<'_>, b: Unknown<'_>) -> napi::Result<bool, Failure> {
    let a = args::bytes(env, &a, "a", Accept::TextOrBytes)?;
    let b = args::bytes(env, &b, "b", Accept::TextOrBytes)?;
    Ok(payseal::ct::eq(&a, &b))
}
