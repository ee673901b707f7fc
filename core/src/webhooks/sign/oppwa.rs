//! OPPWA / ACI: the body given is the notification; the body to send is its AES-256-GCM
//! ciphertext (hex, or standard base64 for `oppwa_base64`) under the newest key, with no
//! additional data, and the headers are the 12-byte IV (`X-Initialization-Vector`) and the
//! 16-byte tag (`X-Authentication-Tag`), hex (ACI, "Webhooks: decryption", mirrored).
//!
//! The ciphertext is made in place inside the caller's buffer and then expanded to its text
//! encoding in place, a chunk at a time through a small stack buffer: no allocation.

use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::AeadInPlace;

use super::super::limits::MAX_BODY_LEN;
use super::super::KeySet;
use super::{need, Encoding, Layout, SignError, SignOptions};
use crate::secrets::RandomSource;

const IV: &str = "X-Initialization-Vector";
const TAG: &str = "X-Authentication-Tag";
const HEADERS_LEN: usize = 2 * 12 + 2 * 16;

/// Bytes of ciphertext expanded per step (a multiple of 3, for base64).
const CHUNK: usize = 192;

const fn body_len(plaintext_len: usize, base64: bool) -> usize {
    if base64 {
        crate::encoding::base64::standard_encoded_len(plaintext_len)
    } else {
        2 * plaintext_len
    }
}

pub(super) const fn output_len(body: &[u8], base64: bool) -> usize {
    HEADERS_LEN + body_len(body.len(), base64)
}

pub(super) fn sign<R: RandomSource + ?Sized>(
    keys: &KeySet,
    w: &mut Layout,
    body: &[u8],
    opts: &SignOptions<'_>,
    rng: &mut R,
    base64: bool,
    out: &mut [u8],
) -> Result<usize, SignError> {
    let key = keys.aes().next().ok_or(SignError::InvalidArgument { name: "keys" })?;
    let text_len = body_len(body.len(), base64);
    if text_len > MAX_BODY_LEN {
        return Err(SignError::TooLarge);
    }
    need(out, HEADERS_LEN + text_len)?;
    let iv = match opts.iv {
        Some(iv) => iv,
        None => {
            let mut iv = [0u8; 12];
            rng.fill(&mut iv).map_err(|_| SignError::Randomness)?;
            iv
        }
    };
    let (headers, text) = out[..HEADERS_LEN + text_len].split_at_mut(HEADERS_LEN);
    // The plaintext goes at the end of the body area and is encrypted there.
    let start = text_len - body.len();
    let sealed = &mut text[start..];
    sealed.copy_from_slice(body);
    let tag =
        key.encrypt_in_place_detached(GenericArray::from_slice(&iv), b"", sealed).map_err(|_| SignError::TooLarge)?;
    // Expand front to back: chunk k's text ends before chunk k+1's ciphertext starts
    // (the text is at least 4/3 of the ciphertext), so nothing unread is overwritten.
    let (enc, per_chunk) = if base64 { (Encoding::Base64, 4 * CHUNK / 3) } else { (Encoding::Hex, 2 * CHUNK) };
    let mut scratch = [0u8; CHUNK];
    for k in 0..body.len().div_ceil(CHUNK) {
        let from = start + k * CHUNK;
        let n = CHUNK.min(text_len - from);
        scratch[..n].copy_from_slice(&text[from..from + n]);
        let dst = k * per_chunk;
        enc.write(&scratch[..n], &mut text[dst..dst + enc.len(n)])?;
    }
    Encoding::Hex.write(&iv, &mut headers[..24])?;
    w.push(IV, 24);
    Encoding::Hex.write(&tag, &mut headers[24..])?;
    w.push(TAG, 32);
    Ok(text_len)
}
