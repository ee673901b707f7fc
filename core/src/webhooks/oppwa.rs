//! OPPWA / ACI Worldwide encrypted notifications: the body is AES-256-GCM ciphertext (hex, or
//! standard base64 for [`Scheme::OppwaBase64`](super::Scheme::OppwaBase64)), the key is the
//! 64 hex digits shown in the merchant portal, `X-Initialization-Vector` (12 bytes) and
//! `X-Authentication-Tag` (16 bytes) are hex, and there is no additional data (ACI,
//! "Webhooks: decryption"). A tag that verifies under one of the keys is the signature check;
//! the plaintext is then the notification.
//!
//! An undecodable body is [`Error::MalformedBody`]; an undecodable or wrongly sized IV, or an
//! undecodable tag, is [`Error::MalformedHeader`]; a tag that does not verify (or has the
//! wrong length) is [`Error::BadSignature`]. The tag comparison is `aes-gcm`'s own
//! constant-time check, made before any plaintext is released.

use aes_gcm::aead::generic_array::GenericArray;
use aes_gcm::AeadInPlace;

use super::headers::{required, Headers};
use super::{Error, KeySet};

const IV: &str = "X-Initialization-Vector";
const TAG: &str = "X-Authentication-Tag";

/// The largest plaintext `body` can decrypt to.
pub(crate) const fn plaintext_len(body: &[u8], base64: bool) -> usize {
    if base64 {
        crate::encoding::base64::decoded_len_upper(body.len())
    } else {
        body.len() / 2
    }
}

pub(crate) fn open<H: Headers + ?Sized>(
    keys: &KeySet,
    headers: &H,
    body: &[u8],
    base64: bool,
    out: &mut [u8],
) -> Result<usize, Error> {
    let iv = crate::encoding::hex::decode_array::<12>(required(headers, IV)?)
        .map_err(|_| Error::MalformedHeader { name: IV })?;
    let tag_text = required(headers, TAG)?;
    if tag_text.is_empty() || !tag_text.iter().all(u8::is_ascii_hexdigit) {
        return Err(Error::MalformedHeader { name: TAG });
    }
    let tag = crate::encoding::hex::decode_array::<16>(tag_text).map_err(|_| Error::BadSignature)?;
    let n = if base64 {
        decode(crate::encoding::base64::standard_decode(body, out))?
    } else {
        decode(crate::encoding::hex::decode(body, out))?
    };
    let ciphertext = &mut out[..n];
    for key in keys.aes() {
        // On a tag mismatch aes-gcm leaves the buffer as it was, so the next key sees the
        // ciphertext again.
        if key
            .decrypt_in_place_detached(GenericArray::from_slice(&iv), b"", ciphertext, GenericArray::from_slice(&tag))
            .is_ok()
        {
            return Ok(n);
        }
    }
    // Nothing that failed authentication is left where plaintext is expected.
    zeroize::Zeroize::zeroize(ciphertext);
    Err(Error::BadSignature)
}

fn decode(r: Result<usize, crate::encoding::EncodingError>) -> Result<usize, Error> {
    match r {
        Ok(n) => Ok(n),
        Err(crate::encoding::EncodingError::BufferTooSmall { needed }) => Err(Error::BufferTooSmall { needed }),
        Err(_) => Err(Error::MalformedBody),
    }
}
