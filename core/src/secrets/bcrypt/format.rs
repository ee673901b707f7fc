//! The modular-crypt text form of a bcrypt hash, `$2b$10$<22 salt chars><31 digest chars>`,
//! and bcrypt's own base64 (alphabet `./A-Za-z0-9`, most significant bits first, no padding).
//!
//! Parsing is strict: exactly 60 bytes, prefix `$2a$`, `$2b$` or `$2y$`, two decimal cost
//! digits in `04..=31`, and canonical base64 (the unused low bits of the last salt and digest
//! characters must be zero). OpenBSD, PHP's `crypt_blowfish` and pyca re-encode what they decode
//! and compare the whole string, so a non-canonical hash can never verify there either: here it
//! is reported as [`BcryptError::MalformedHash`] instead of an anonymous mismatch.

use super::BcryptError;

/// Length of an encoded hash.
pub(crate) const HASH_LEN: usize = 60;
/// Raw salt bytes.
pub(crate) const SALT_LEN: usize = 16;
/// Raw digest bytes kept in the encoding (bcrypt drops the 24th).
pub(crate) const DIGEST_LEN: usize = 23;

const PREFIX_LEN: usize = 7; // "$2b$10$"
const SALT_CHARS: usize = 22;

const ALPHABET: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Character to 6-bit value, `INVALID` for bytes outside the alphabet.
const DECODE: [u8; 256] = {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[ALPHABET[i] as usize] = i as u8;
        i += 1;
    }
    table
};
const INVALID: u8 = 0xFF;

/// A parsed hash (the minor version is checked, not kept: all three verify alike).
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) cost: u32,
    pub(crate) salt: [u8; SALT_LEN],
    pub(crate) digest: [u8; DIGEST_LEN],
}

/// Parses `hash`; every defect is [`BcryptError::MalformedHash`].
pub(crate) fn parse(hash: &[u8]) -> Result<Parsed, BcryptError> {
    let bad = BcryptError::MalformedHash;
    let hash: &[u8; HASH_LEN] = hash.try_into().map_err(|_| bad)?;
    if !matches!(hash[..4], [b'$', b'2', b'a' | b'b' | b'y', b'$']) {
        return Err(bad);
    }
    let cost = match (hash[4], hash[5], hash[6]) {
        (t @ b'0'..=b'9', u @ b'0'..=b'9', b'$') => u32::from(t - b'0') * 10 + u32::from(u - b'0'),
        _ => return Err(bad),
    };
    if !super::COST_RANGE.contains(&cost) {
        return Err(bad);
    }
    let mut salt = [0u8; SALT_LEN];
    decode(&hash[PREFIX_LEN..PREFIX_LEN + SALT_CHARS], &mut salt).map_err(|()| bad)?;
    let mut digest = [0u8; DIGEST_LEN];
    decode(&hash[PREFIX_LEN + SALT_CHARS..], &mut digest).map_err(|()| bad)?;
    Ok(Parsed { cost, salt, digest })
}

/// Writes the 60-byte hash `$2b$<cost>$<salt><digest>` into `out` (`$2b$`: OpenBSD's current
/// name, accepted by PHP, pyca and node alike).
pub(crate) fn write(cost: u32, salt: &[u8; SALT_LEN], digest: &[u8; DIGEST_LEN], out: &mut [u8; HASH_LEN]) {
    // `cost` is at most 31: both digits are single decimal digits.
    let (tens, units) = ((cost / 10 % 10) as u8, (cost % 10) as u8);
    out[..PREFIX_LEN].copy_from_slice(&[b'$', b'2', b'b', b'$', b'0' + tens, b'0' + units, b'$']);
    let (salt_out, digest_out) = out[PREFIX_LEN..].split_at_mut(SALT_CHARS);
    encode(salt, salt_out);
    encode(digest, digest_out);
}

/// Encodes `input` into exactly `ceil(len * 4 / 3)` characters of `out`.
fn encode(input: &[u8], out: &mut [u8]) {
    let mut o = 0;
    for chunk in input.chunks(3) {
        let b0 = chunk[0];
        let b1 = chunk.get(1).copied().unwrap_or(0);
        let b2 = chunk.get(2).copied().unwrap_or(0);
        let sextets = [b0 >> 2, ((b0 & 0x03) << 4) | (b1 >> 4), ((b1 & 0x0F) << 2) | (b2 >> 6), b2 & 0x3F];
        for &v in &sextets[..chunk.len() + 1] {
            out[o] = ALPHABET[usize::from(v)];
            o += 1;
        }
    }
}

/// Decodes exactly `out.len()` bytes from `chars` (which must hold `ceil(len * 4 / 3)`
/// characters), rejecting characters outside the alphabet and non-zero unused low bits.
fn decode(chars: &[u8], out: &mut [u8]) -> Result<(), ()> {
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    let mut o = 0;
    for &c in chars {
        let v = DECODE[usize::from(c)];
        if v == INVALID {
            return Err(());
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            if o == out.len() {
                return Err(());
            }
            out[o] = (acc >> bits) as u8;
            o += 1;
            acc &= (1 << bits) - 1;
        }
    }
    if o != out.len() || acc != 0 {
        return Err(());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trip_and_canonical_tail() {
        let salt: [u8; 16] = core::array::from_fn(|i| (i as u8).wrapping_mul(37));
        let mut text = [0u8; 22];
        encode(&salt, &mut text);
        let mut back = [0u8; 16];
        assert_eq!(decode(&text, &mut back), Ok(()));
        assert_eq!(back, salt);
        // The last salt character carries 2 data bits and 4 zero bits: a set low bit is rejected.
        let last = DECODE[usize::from(text[21])];
        text[21] = ALPHABET[usize::from(last | 1)];
        assert_eq!(decode(&text, &mut back), Err(()));
    }

    #[test]
    fn known_encoding() {
        // OpenBSD's test salt "CCCCCCCCCCCCCCCCCCCCC." decodes to 16 bytes of 0x10 0x41 0x04...
        let mut raw = [0u8; 16];
        assert_eq!(decode(b"CCCCCCCCCCCCCCCCCCCCC.", &mut raw), Ok(()));
        let mut again = [0u8; 22];
        encode(&raw, &mut again);
        assert_eq!(&again, b"CCCCCCCCCCCCCCCCCCCCC.");
    }
}
