//! Hex and base64url over `payseal::encoding`.
//!
//! Encoders write lowercase hex and unpadded base64url; decoders accept either hex case and
//! base64url with or without correct `=` padding.

use payseal::encoding::{base64, hex, EncodingError};

use crate::abi::{boundary, input, scratch, Outcome, Output};
use crate::result::{from_encoding, PaysealResult};

type Codec = fn(&[u8], &mut [u8]) -> Result<usize, EncodingError>;

/// Encodes into the caller's buffer directly: an encoder cannot fail once sized.
///
/// # Safety
/// As for the exported functions.
unsafe fn encode(
    codec: Codec,
    encoded_len: fn(usize) -> usize,
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> Outcome {
    // SAFETY: forwarded caller guarantees on `out`/`out_cap`/`out_written`.
    let out = unsafe { Output::new(out, out_cap, out_written) }?;
    // SAFETY: forwarded caller guarantee on `in_ptr`/`in_len`.
    let src = unsafe { input(in_ptr, in_len) }?;
    let out = out.disjoint_from(src)?;
    if src.len() > usize::MAX / 4 {
        return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT);
    }
    out.fill(encoded_len(src.len()), |dst| codec(src, dst).map_err(from_encoding))
}

/// Decodes into scratch first, so invalid input never leaves partial output behind.
///
/// # Safety
/// As for the exported functions.
unsafe fn decode(
    codec: Codec,
    decoded_len_max: fn(usize) -> usize,
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> Outcome {
    // SAFETY: forwarded caller guarantees on `out`/`out_cap`/`out_written`.
    let out = unsafe { Output::new(out, out_cap, out_written) }?;
    // SAFETY: forwarded caller guarantee on `in_ptr`/`in_len`.
    let src = unsafe { input(in_ptr, in_len) }?;
    let out = out.disjoint_from(src)?;
    scratch(true, |buf| {
        buf.resize(decoded_len_max(src.len()), 0);
        let n = codec(src, buf).map_err(from_encoding)?;
        out.write_all(&buf[..n])
    })
}

/// Writes the lowercase hex of `in` (`2 * in_len` bytes) into `out`.
///
/// # Safety
/// `in_ptr` must point to `in_len` readable bytes (or be NULL with `in_len == 0`); `out` must
/// be writable for `out_cap` bytes (or be NULL with `out_cap == 0`) and must not overlap the
/// input; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_hex_encode(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    // SAFETY: the caller's guarantees are forwarded unchanged.
    boundary(|| unsafe { encode(hex::encode, hex::encoded_len, in_ptr, in_len, out, out_cap, out_written) })
}

/// Decodes hex (either case; `in_len / 2` bytes). An odd length or a non-hex character is
/// `PAYSEAL_INVALID_ENCODING`.
///
/// # Safety
/// As for `payseal_hex_encode`.
#[no_mangle]
pub unsafe extern "C" fn payseal_hex_decode(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    // SAFETY: the caller's guarantees are forwarded unchanged.
    boundary(|| unsafe { decode(hex::decode, |n| n / 2, in_ptr, in_len, out, out_cap, out_written) })
}

/// Writes the unpadded base64url (RFC 4648 §5) of `in` into `out`.
///
/// # Safety
/// As for `payseal_hex_encode`.
#[no_mangle]
pub unsafe extern "C" fn payseal_base64url_encode(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    // SAFETY: the caller's guarantees are forwarded unchanged.
    boundary(|| unsafe {
        encode(base64::url_encode, base64::url_encoded_len, in_ptr, in_len, out, out_cap, out_written)
    })
}

/// Decodes base64url; `=` padding is optional but must be correct when present. Anything
/// else (the standard alphabet's `+` and `/`, whitespace, a bad length) is
/// `PAYSEAL_INVALID_ENCODING`.
///
/// # Safety
/// As for `payseal_hex_encode`.
#[no_mangle]
pub unsafe extern "C" fn payseal_base64url_decode(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    // SAFETY: the caller's guarantees are forwarded unchanged.
    boundary(|| unsafe {
        decode(base64::url_decode, base64::decoded_len_upper, in_ptr, in_len, out, out_cap, out_written)
    })
}
