//! Hex and base64url over `payseal::encoding`.
//!
//! Encoders write lowercase hex and unpadded base64url; decoders accept either hex case and
//! base64url with or without correct `=` padding.

use payseal::encoding::{base64, hex, EncodingError};

use crate::abi::{boundary, scratch, Fail, Outcome, Output};
use crate::result::PaysealResult;

type Codec = fn(&[u8], &mut [u8]) -> Result<usize, EncodingError>;

/// Encodes into the caller's buffer directly: an encoder cannot fail once sized.
fn encode(codec: Codec, encoded_len: fn(usize) -> usize, src: &[u8], out: Output) -> Outcome {
    let out = out.disjoint_from(src)?;
    if src.len() > usize::MAX / 4 {
        return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into());
    }
    out.fill(encoded_len(src.len()), |dst| codec(src, dst).map_err(Fail::from))
}

/// Decodes into scratch first, so invalid input never leaves partial output behind.
fn decode(codec: Codec, decoded_len_max: fn(usize) -> usize, src: &[u8], out: Output) -> Outcome {
    let out = out.disjoint_from(src)?;
    scratch(true, |buf| {
        buf.resize(decoded_len_max(src.len()), 0);
        let n = codec(src, buf)?;
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
    boundary(|| encode(hex::encode, hex::encoded_len, bytes!(in_ptr, in_len), output!(out, out_cap, out_written)))
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
    boundary(|| decode(hex::decode, |n| n / 2, bytes!(in_ptr, in_len), output!(out, out_cap, out_written)))
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
    boundary(|| {
        encode(base64::url_encode, base64::url_encoded_len, bytes!(in_ptr, in_len), output!(out, out_cap, out_written))
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
    boundary(|| {
        decode(
            base64::url_decode,
            base64::decoded_len_upper,
            bytes!(in_ptr, in_len),
            output!(out, out_cap, out_written),
        )
    })
}

/// Writes the padded standard base64 (RFC 4648 §4) of `in` into `out`.
///
/// # Safety
/// As for `payseal_hex_encode`.
#[no_mangle]
pub unsafe extern "C" fn payseal_base64_encode(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        encode(
            base64::standard_encode,
            base64::standard_encoded_len,
            bytes!(in_ptr, in_len),
            output!(out, out_cap, out_written),
        )
    })
}

/// Decodes padded standard base64 (padding required, RFC 4648 §4); anything else (the url
/// alphabet's `-` and `_`, whitespace, missing padding) is `PAYSEAL_INVALID_ENCODING`.
///
/// # Safety
/// As for `payseal_hex_encode`.
#[no_mangle]
pub unsafe extern "C" fn payseal_base64_decode(
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        decode(
            base64::standard_decode,
            base64::decoded_len_upper,
            bytes!(in_ptr, in_len),
            output!(out, out_cap, out_written),
        )
    })
}

/// Compares `a` and `b` in constant time (for equal lengths; the length itself is not secret)
/// and writes whether they are equal to `*out_equal`: a comparison, not a verification, so
/// `PAYSEAL_OK` either way.
///
/// # Safety
/// `a`/`b` must point to their lengths of readable bytes (or be NULL with a zero length);
/// `out_equal` must be a valid `bool *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_compare_digest(
    a: *const u8,
    a_len: usize,
    b: *const u8,
    b_len: usize,
    out_equal: *mut bool,
) -> PaysealResult {
    boundary(|| {
        let (a, b, equal) = (bytes!(a, a_len), bytes!(b, b_len), out_param!(out_equal));
        *equal = payseal::ct::eq(a, b);
        Ok(())
    })
}
