//! Base64, over `base64-simd`: base64url without padding (EU Pay envelopes; decoding accepts
//! optional padding) and standard base64 with padding (Shopify, Standard Webhooks, Adyen).

use super::EncodingError;
use base64_simd::{Base64, STANDARD, URL_SAFE_NO_PAD};

/// Length of the unpadded base64url encoding of `n` bytes.
#[must_use]
pub const fn url_encoded_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

/// Length of the padded standard base64 encoding of `n` bytes.
#[must_use]
pub const fn standard_encoded_len(n: usize) -> usize {
    n.div_ceil(3) * 4
}

fn encode_with(engine: &Base64, src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    let needed = engine.encoded_length(src.len());
    let out = dst.get_mut(..needed).ok_or(EncodingError::BufferTooSmall { needed })?;
    let written = engine.encode(src, base64_simd::Out::from_slice(out)).len();
    Ok(written)
}

fn decode_with(engine: &Base64, src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    let needed = engine.decoded_length(src).map_err(|_| EncodingError::Invalid)?;
    let out = dst.get_mut(..needed).ok_or(EncodingError::BufferTooSmall { needed })?;
    let written = engine.decode(src, base64_simd::Out::from_slice(out)).map_err(|_| EncodingError::Invalid)?.len();
    Ok(written)
}

/// Writes unpadded base64url of `src` into `dst`.
pub fn url_encode(src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    encode_with(&URL_SAFE_NO_PAD, src, dst)
}

/// Upper bound of the decoded size of `n` base64 characters.
#[must_use]
pub const fn decoded_len_upper(n: usize) -> usize {
    n / 4 * 3 + 3
}

/// Decodes base64url; trailing `=` padding is optional but, when present, must be correct.
pub fn url_decode(src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    let unpadded = strip_padding(src)?;
    decode_with(&URL_SAFE_NO_PAD, unpadded, dst)
}

/// Writes padded standard base64 of `src` into `dst`.
pub fn standard_encode(src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    encode_with(&STANDARD, src, dst)
}

/// Decodes padded standard base64 (padding required, as RFC 4648 §4).
pub fn standard_decode(src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    decode_with(&STANDARD, src, dst)
}

/// Removes up to two `=` if they make the length a multiple of four.
fn strip_padding(src: &[u8]) -> Result<&[u8], EncodingError> {
    let pads = src.iter().rev().take_while(|&&b| b == b'=').count();
    if pads == 0 {
        return Ok(src);
    }
    if pads > 2 || src.len() % 4 != 0 {
        return Err(EncodingError::Invalid);
    }
    Ok(&src[..src.len() - pads])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_round_trip_padding_optional() {
        let mut enc = [0u8; 8];
        let n = url_encode(b"\xfb\xff\x01\x02", &mut enc).unwrap();
        assert_eq!(&enc[..n], b"-_8BAg");
        assert_eq!(n, url_encoded_len(4));
        let mut dec = [0u8; 8];
        assert_eq!(url_decode(b"-_8BAg", &mut dec), Ok(4));
        assert_eq!(url_decode(b"-_8BAg==", &mut dec), Ok(4));
        assert_eq!(&dec[..4], b"\xfb\xff\x01\x02");
        assert_eq!(url_decode(b"-_8BAg=", &mut dec), Err(EncodingError::Invalid));
        assert_eq!(url_decode(b"+/8BAg", &mut dec), Err(EncodingError::Invalid));
    }

    #[test]
    fn standard_round_trip() {
        let mut enc = [0u8; 8];
        let n = standard_encode(b"\xfb\xff\x01", &mut enc).unwrap();
        assert_eq!(&enc[..n], b"+/8B");
        let mut dec = [0u8; 3];
        assert_eq!(standard_decode(b"+/8B", &mut dec), Ok(3));
        assert_eq!(standard_decode(b"+/8", &mut dec), Err(EncodingError::Invalid));
    }
}
