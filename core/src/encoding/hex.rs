//! Hexadecimal: lowercase output, either case accepted on input (`const-hex`).

use super::EncodingError;

/// Length of the hex encoding of `n` bytes.
#[must_use]
pub const fn encoded_len(n: usize) -> usize {
    n * 2
}

/// Writes the lowercase hex of `src` into `dst`; returns the bytes written.
pub fn encode(src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    let needed = encoded_len(src.len());
    let out = dst.get_mut(..needed).ok_or(EncodingError::BufferTooSmall { needed })?;
    const_hex::encode_to_slice(src, out).map_err(|_| EncodingError::Invalid)?;
    Ok(needed)
}

/// Encodes a fixed-size digest into a fixed-size array (no error is possible).
#[must_use]
pub fn encode_array<const N: usize, const M: usize>(src: &[u8; N]) -> [u8; M] {
    const { assert!(M == 2 * N) };
    let mut out = [0u8; M];
    // The sizes are checked at compile time, so this cannot fail.
    let _ = const_hex::encode_to_slice(src, &mut out);
    out
}

/// Decodes hex (either case) from `src` into `dst`; returns the bytes written.
/// An odd length or a non-hex character is [`EncodingError::Invalid`].
pub fn decode(src: &[u8], dst: &mut [u8]) -> Result<usize, EncodingError> {
    if src.len() % 2 != 0 {
        return Err(EncodingError::Invalid);
    }
    let needed = src.len() / 2;
    let out = dst.get_mut(..needed).ok_or(EncodingError::BufferTooSmall { needed })?;
    const_hex::decode_to_slice(src, out).map_err(|_| EncodingError::Invalid)?;
    Ok(needed)
}

/// Decodes exactly `N` bytes of hex (either case).
pub fn decode_array<const N: usize>(src: &[u8]) -> Result<[u8; N], EncodingError> {
    if src.len() != 2 * N {
        return Err(EncodingError::Invalid);
    }
    let mut out = [0u8; N];
    const_hex::decode_to_slice(src, &mut out).map_err(|_| EncodingError::Invalid)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_errors() {
        let mut buf = [0u8; 8];
        assert_eq!(encode(&[0xde, 0xad, 0xBE, 0xef], &mut buf), Ok(8));
        assert_eq!(&buf, b"deadbeef");
        let mut out = [0u8; 4];
        assert_eq!(decode(b"DEADbeef", &mut out), Ok(4));
        assert_eq!(out, [0xde, 0xad, 0xbe, 0xef]);
        assert_eq!(decode(b"abc", &mut out), Err(EncodingError::Invalid));
        assert_eq!(decode(b"zz", &mut out), Err(EncodingError::Invalid));
        assert_eq!(encode(&[1, 2, 3], &mut [0u8; 5]), Err(EncodingError::BufferTooSmall { needed: 6 }));
        assert_eq!(decode_array::<2>(b"0aFF"), Ok([0x0a, 0xff]));
        let a: [u8; 4] = encode_array(&[0xab, 0xcd]);
        assert_eq!(&a, b"abcd");
    }
}
