//! SHA-256 of public bytes (the JSON Paylands hashes) followed by the signature, a secret: the
//! signature's bytes go only through a block array that is wiped when the digest is done,
//! never through a hash's partial-block buffer, which nothing wipes.
//!
//! The compression function is `sha2::compress256` (SHA-NI where the CPU has it), run over
//! whole blocks in place, as [`crate::mac`] does; the padding is FIPS 180-4 §5.1.1.

use block_buffer::EagerBuffer;
use sha2::digest::consts::U64;
use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroizing;

use super::key::MAX_SIGNATURE_LEN;
use super::SignatureKey;
use crate::Sink;

/// Bytes per SHA-256 block.
pub(crate) const BLOCK: usize = 64;

/// SHA-256's initial hash value (FIPS 180-4 §5.3.3).
pub(crate) const IV: [u32; 8] =
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19];

/// The last blocks: what the buffer holds (under a block), the longest signature, `0x80` and
/// the 8-byte length, rounded up to whole blocks.
const TAIL: usize = (BLOCK - 1 + MAX_SIGNATURE_LEN + 9).div_ceil(BLOCK) * BLOCK;

/// Compresses one block (`block` is [`BLOCK`] bytes long).
#[inline(always)]
pub(crate) fn compress(state: &mut [u32; 8], block: &[u8]) {
    sha2::compress256(state, core::slice::from_ref(GenericArray::from_slice(block)));
}

/// A running SHA-256 of public bytes, to be finished with the signature.
pub(crate) struct Stream {
    state: [u32; 8],
    buffer: EagerBuffer<U64>,
    /// Bytes hashed so far, the buffered ones included.
    total: u64,
}

impl Stream {
    pub(crate) fn new() -> Self {
        Self::resume(IV, 0)
    }

    /// A hash whose first `blocks` whole blocks left the chaining value `state`.
    pub(crate) fn resume(state: [u32; 8], blocks: usize) -> Self {
        Self { state, buffer: EagerBuffer::default(), total: (blocks * BLOCK) as u64 }
    }

    /// Absorbs public `bytes`: whole blocks in place, the rest through the buffer.
    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.total += bytes.len() as u64;
        let state = &mut self.state;
        self.buffer.digest_blocks(bytes, |blocks| sha2::compress256(state, blocks));
    }

    /// The digest of what was written followed by `key`'s bytes. The buffered public bytes,
    /// the key and the padding are laid out in one wiped array and compressed from there.
    pub(crate) fn finish(mut self, key: &SignatureKey) -> [u8; 32] {
        let (pending, secret) = (self.buffer.get_data(), key.expose());
        let used = pending.len() + secret.len(); // < 64 + MAX_SIGNATURE_LEN: fits `TAIL`
        let end = (used + 9).div_ceil(BLOCK) * BLOCK;
        let mut tail = Zeroizing::new([0u8; TAIL]);
        tail[..pending.len()].copy_from_slice(pending);
        tail[pending.len()..used].copy_from_slice(secret);
        tail[used] = 0x80;
        let bits = (self.total + secret.len() as u64) * 8;
        tail[end - 8..end].copy_from_slice(&bits.to_be_bytes());
        for block in tail[..end].chunks_exact(BLOCK) {
            compress(&mut self.state, block);
        }
        let mut digest = [0u8; 32];
        for (out, word) in digest.chunks_exact_mut(4).zip(self.state) {
            out.copy_from_slice(&word.to_be_bytes());
        }
        digest
    }
}

impl Sink for Stream {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use sha2::{Digest, Sha256};

    use super::*;

    /// Every split of public bytes and signature lengths, against `sha2`'s own digest.
    #[test]
    fn digest_with_signature_matches_sha2() {
        let data: std::vec::Vec<u8> = (0..300u16).map(|i| (i * 7) as u8).collect();
        for key_len in [1, 31, 55, 56, 63, 64, 65, 200, MAX_SIGNATURE_LEN] {
            let secret: std::vec::Vec<u8> = (0..key_len).map(|i| (i * 13 + 1) as u8).collect();
            let key = SignatureKey::new(&secret).expect("key");
            for len in [0, 1, 54, 55, 56, 63, 64, 65, 127, 128, 300] {
                let mut stream = Stream::new();
                let (a, b) = data[..len].split_at(len / 3);
                stream.update(a);
                stream.write(b);
                let want: [u8; 32] = Sha256::new().chain_update(&data[..len]).chain_update(&secret).finalize().into();
                assert_eq!(stream.finish(&key), want, "data {len}, key {key_len}");
            }
        }
    }

    /// Resuming after whole blocks gives the same digest as hashing from the start.
    #[test]
    fn resume_after_blocks() {
        let data = [0x5au8; 200];
        let key = SignatureKey::new(b"s1gnature").expect("key");
        let mut state = IV;
        for block in data[..128].chunks_exact(BLOCK) {
            compress(&mut state, block);
        }
        let mut resumed = Stream::resume(state, 2);
        resumed.update(&data[128..]);
        let mut whole = Stream::new();
        whole.update(&data);
        assert_eq!(resumed.finish(&key), whole.finish(&key));
    }
}
