//! Canonical unpadded base64url (RFC 7515 §2, RFC 4648 §5): the only spelling JOSE accepts.
//!
//! `base64-simd`'s no-padding engine rejects `=`, `+`, `/`, whitespace and every other byte,
//! a length of 4n+1, and a nonzero unused bit in the last character, so each byte string has
//! exactly one accepted encoding (checked by the tests below).

use base64_simd::URL_SAFE_NO_PAD;

use super::Error;

/// Decoded length of a canonical segment, or `Malformed`.
pub(crate) fn decoded_len(seg: &[u8]) -> Result<usize, Error> {
    URL_SAFE_NO_PAD.decoded_length(seg).map_err(|_| Error::Malformed)
}

/// Checks that `seg` is canonical without decoding it.
pub(crate) fn check(seg: &[u8]) -> Result<(), Error> {
    URL_SAFE_NO_PAD.check(seg).map_err(|_| Error::Malformed)
}

/// Decodes `seg` into the front of `out`; `ScratchTooSmall` when `out` is too short.
pub(crate) fn decode<'o>(seg: &[u8], out: &'o mut [u8]) -> Result<&'o mut [u8], Error> {
    let needed = decoded_len(seg)?;
    let Some(dst) = out.get_mut(..needed) else {
        check(seg)?;
        return Err(Error::ScratchTooSmall { needed });
    };
    URL_SAFE_NO_PAD.decode(seg, base64_simd::Out::from_slice(dst)).map_err(|_| Error::Malformed)
}

/// Encoded length of `n` bytes.
#[cfg(feature = "alloc")]
pub(crate) const fn encoded_len(n: usize) -> usize {
    (n * 4).div_ceil(3)
}

/// Encodes `src` into the front of `out` (which must hold [`encoded_len`] bytes).
#[cfg(feature = "alloc")]
pub(crate) fn encode(src: &[u8], out: &mut [u8]) -> usize {
    let n = encoded_len(src.len());
    URL_SAFE_NO_PAD.encode(src, base64_simd::Out::from_slice(&mut out[..n])).len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_canonical_spelling_decodes() {
        let mut out = [0u8; 16];
        assert_eq!(decode(b"-_8", &mut out).map(|s| *s == [0xfb, 0xff]), Ok(true));
        assert_eq!(decode(b"", &mut out).map(|s| s.len()), Ok(0));
        for bad in [&b"-_9"[..], b"-_8=", b"+/8", b"-_8 ", b" -_8", b"A", b"AAAAA", b"QQ==", b"QR", b"QUF=", b"QUG"] {
            assert_eq!(decode(bad, &mut out).map(|s| s.len()), Err(Error::Malformed), "{bad:?}");
            assert_eq!(check(bad), Err(Error::Malformed), "{bad:?}");
        }
        assert_eq!(decode(b"QUE", &mut out).map(|s| &*s == b"AA"), Ok(true));
        assert_eq!(decode(b"QQ", &mut out).map(|s| &*s == b"A"), Ok(true));
    }

    #[cfg(feature = "alloc")]
    #[test]
    fn round_trip_and_small_scratch() {
        let mut enc = [0u8; 8];
        let n = encode(b"\xfb\xff\x01\x02", &mut enc);
        assert_eq!(&enc[..n], b"-_8BAg");
        let mut small = [0u8; 3];
        assert_eq!(decode(&enc[..n], &mut small).map(|s| s.len()), Err(Error::ScratchTooSmall { needed: 4 }));
    }
}
