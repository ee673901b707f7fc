//! HMAC (RFC 2104) with the key schedule precomputed once and zeroised on drop.
//!
//! The `hmac` crate (0.12) cannot zeroise its precomputed state, so this module keeps the two
//! chaining values HMAC derives from a key (the hash state after absorbing `K ^ ipad` and after
//! `K ^ opad`) as plain arrays that [`zeroize`] can wipe, and drives the RustCrypto compression
//! functions (`sha1::compress`, `sha2::compress256`, `sha2::compress512`, which pick SHA-NI /
//! ARMv8 / AVX2 at run time) with the Merkle–Damgård padding of FIPS 180-4 §5.1. Tests check it
//! against the `hmac` crate byte for byte.

use sha2::digest::consts::{U128, U64};
use sha2::digest::generic_array::{ArrayLength, GenericArray};
use zeroize::{Zeroize, ZeroizeOnDrop};

use crate::Sink;

/// The largest digest this module produces (SHA-512).
pub const MAX_OUTPUT: usize = 64;
const MAX_BLOCK: usize = 128;

/// A hash function HMAC is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Algorithm {
    /// SHA-1 (Spreedly only).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-512.
    Sha512,
}

impl Algorithm {
    /// Bytes per compression block.
    #[must_use]
    pub const fn block_len(self) -> usize {
        match self {
            Self::Sha1 | Self::Sha256 => 64,
            Self::Sha512 => 128,
        }
    }

    /// Bytes of output.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha512 => 64,
        }
    }

    /// Bytes of the message-length field in the final block.
    const fn length_field_len(self) -> usize {
        match self {
            Self::Sha1 | Self::Sha256 => 8,
            Self::Sha512 => 16,
        }
    }
}

/// A chaining value (FIPS 180-4 initial hash values in [`Chain::initial`]).
#[derive(Clone, Zeroize)]
enum Chain {
    Sha1([u32; 5]),
    Sha256([u32; 8]),
    Sha512([u64; 8]),
}

impl Chain {
    const fn initial(alg: Algorithm) -> Self {
        match alg {
            Algorithm::Sha1 => Self::Sha1([0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]),
            Algorithm::Sha256 => Self::Sha256([
                0x6a09_e667,
                0xbb67_ae85,
                0x3c6e_f372,
                0xa54f_f53a,
                0x510e_527f,
                0x9b05_688c,
                0x1f83_d9ab,
                0x5be0_cd19,
            ]),
            Algorithm::Sha512 => Self::Sha512([
                0x6a09_e667_f3bc_c908,
                0xbb67_ae85_84ca_a73b,
                0x3c6e_f372_fe94_f82b,
                0xa54f_f53a_5f1d_36f1,
                0x510e_527f_ade6_82d1,
                0x9b05_688c_2b3e_6c1f,
                0x1f83_d9ab_fb41_bd6b,
                0x5be0_cd19_137e_2179,
            ]),
        }
    }

    const fn algorithm(&self) -> Algorithm {
        match self {
            Self::Sha1(_) => Algorithm::Sha1,
            Self::Sha256(_) => Algorithm::Sha256,
            Self::Sha512(_) => Algorithm::Sha512,
        }
    }

    /// Absorbs whole blocks; `blocks.len()` is a multiple of the block length.
    ///
    /// The compression functions take slices of `GenericArray` blocks. Passing one block per
    /// call reloads the state every block; copying groups of blocks into an array and making
    /// one call per group is faster and needs no `unsafe` cast. The copies hold message bytes
    /// only: key blocks go through [`Chain::compress_key_block`].
    fn compress(&mut self, blocks: &[u8]) {
        match self {
            Self::Sha1(state) => grouped::<5, u32, U64>(state, blocks, sha1::compress),
            Self::Sha256(state) => grouped::<8, u32, U64>(state, blocks, sha2::compress256),
            Self::Sha512(state) => grouped::<8, u64, U128>(state, blocks, sha2::compress512),
        }
    }

    /// Absorbs one block of key material without copying it anywhere.
    fn compress_key_block(&mut self, block: &[u8]) {
        match self {
            Self::Sha1(state) => sha1::compress(state, core::slice::from_ref(GenericArray::from_slice(block))),
            Self::Sha256(state) => sha2::compress256(state, core::slice::from_ref(GenericArray::from_slice(block))),
            Self::Sha512(state) => sha2::compress512(state, core::slice::from_ref(GenericArray::from_slice(block))),
        }
    }

    /// Writes the big-endian digest into `out`; returns its length.
    fn write_digest(&self, out: &mut [u8; MAX_OUTPUT]) -> usize {
        match self {
            Self::Sha1(state) => write_words(state, out),
            Self::Sha256(state) => write_words(state, out),
            Self::Sha512(state) => {
                for (chunk, word) in out.chunks_exact_mut(8).zip(state) {
                    chunk.copy_from_slice(&word.to_be_bytes());
                }
                64
            }
        }
    }
}

/// Blocks per call of a compression function.
const GROUP: usize = 16;

#[inline(always)]
fn grouped<const W: usize, T, B: ArrayLength<u8>>(
    state: &mut [T; W],
    blocks: &[u8],
    compress: fn(&mut [T; W], &[GenericArray<u8, B>]),
) where
    B::ArrayType: Copy,
{
    let block_len = B::USIZE;
    if blocks.len() == block_len {
        compress(state, core::slice::from_ref(GenericArray::from_slice(blocks)));
        return;
    }
    let mut group = [GenericArray::<u8, B>::default(); GROUP];
    for chunk in blocks.chunks(GROUP * block_len) {
        let n = chunk.len() / block_len;
        for (dst, src) in group.iter_mut().zip(chunk.chunks_exact(block_len)) {
            dst.copy_from_slice(src);
        }
        compress(state, &group[..n]);
    }
}

fn write_words(state: &[u32], out: &mut [u8; MAX_OUTPUT]) -> usize {
    for (chunk, word) in out.chunks_exact_mut(4).zip(state) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    state.len() * 4
}

/// A running hash: a chaining value, the pending partial block and the byte count.
///
/// Only the chaining value is wiped on drop: it derives from the key. The pending bytes are
/// message (or inner digest) bytes, and wiping them byte by byte with volatile stores cost
/// about a quarter of a 1 KiB MAC.
struct Running {
    chain: Chain,
    pending: [u8; MAX_BLOCK],
    pending_len: usize,
    total: u64,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.chain.zeroize();
    }
}

impl Running {
    /// Continues from `chain`, which has already absorbed `absorbed` bytes (whole blocks).
    fn resume(chain: &Chain, absorbed: u64) -> Self {
        Self { chain: chain.clone(), pending: [0; MAX_BLOCK], pending_len: 0, total: absorbed }
    }

    fn update(&mut self, mut data: &[u8]) {
        let block = self.chain.algorithm().block_len();
        self.total = self.total.wrapping_add(data.len() as u64);
        if self.pending_len > 0 {
            let take = (block - self.pending_len).min(data.len());
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&data[..take]);
            self.pending_len += take;
            data = &data[take..];
            if self.pending_len < block {
                return;
            }
            let Self { chain, pending, .. } = self;
            chain.compress(&pending[..block]);
            self.pending_len = 0;
        }
        let whole = data.len() - data.len() % block;
        self.chain.compress(&data[..whole]);
        let rest = &data[whole..];
        self.pending[..rest.len()].copy_from_slice(rest);
        self.pending_len = rest.len();
    }

    /// Pads (FIPS 180-4 §5.1) and writes the digest; returns its length.
    fn finish(&mut self, out: &mut [u8; MAX_OUTPUT]) -> usize {
        let mut tail = [0u8; 2 * MAX_BLOCK];
        let used = pad(self.chain.algorithm(), &self.pending[..self.pending_len], self.total, &mut tail);
        self.chain.compress(&tail[..used]);
        self.chain.write_digest(out)
    }
}

/// Writes `rest` (the last partial block), the `0x80` marker, zeros and the message length
/// in bits into `tail`; returns the bytes used (one or two blocks).
fn pad(alg: Algorithm, rest: &[u8], total: u64, tail: &mut [u8; 2 * MAX_BLOCK]) -> usize {
    let block = alg.block_len();
    let length_len = alg.length_field_len();
    tail[..rest.len()].copy_from_slice(rest);
    tail[rest.len()] = 0x80;
    let used = if rest.len() + 1 + length_len <= block { block } else { 2 * block };
    let bits_be = (u128::from(total) * 8).to_be_bytes();
    tail[used - length_len..used].copy_from_slice(&bits_be[16 - length_len..]);
    used
}

/// Hashes a key longer than a block (RFC 2104 §2) without copying it into buffers that are
/// not wiped: whole blocks are compressed in place, the padded tail is wiped.
fn hash_secret(alg: Algorithm, key: &[u8], out: &mut [u8; MAX_OUTPUT]) -> usize {
    let block = alg.block_len();
    let mut chain = Chain::initial(alg);
    let whole = key.len() - key.len() % block;
    for b in key[..whole].chunks_exact(block) {
        chain.compress_key_block(b);
    }
    let mut tail = [0u8; 2 * MAX_BLOCK];
    let used = pad(alg, &key[whole..], key.len() as u64, &mut tail);
    for b in tail[..used].chunks_exact(block) {
        chain.compress_key_block(b);
    }
    tail.zeroize();
    let n = chain.write_digest(out);
    chain.zeroize();
    n
}

/// An HMAC key with its schedule precomputed: the chaining values after `K ^ ipad` and
/// `K ^ opad`. Never printed, wiped on drop.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct HmacKey {
    inner: Chain,
    outer: Chain,
}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacKey").field("algorithm", &self.algorithm()).finish_non_exhaustive()
    }
}

impl HmacKey {
    /// Precomputes the key schedule of HMAC-`alg` for `key` (RFC 2104 §2: keys longer than a
    /// block are hashed first).
    #[must_use]
    pub fn new(alg: Algorithm, key: &[u8]) -> Self {
        let block = alg.block_len();
        let mut padded = [0u8; MAX_BLOCK];
        if key.len() > block {
            let mut digest = [0u8; MAX_OUTPUT];
            let n = hash_secret(alg, key, &mut digest);
            padded[..n].copy_from_slice(&digest[..n]);
            digest.zeroize();
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        for b in &mut padded[..block] {
            *b ^= 0x36;
        }
        let mut inner = Chain::initial(alg);
        inner.compress_key_block(&padded[..block]);
        for b in &mut padded[..block] {
            *b ^= 0x36 ^ 0x5c;
        }
        let mut outer = Chain::initial(alg);
        outer.compress_key_block(&padded[..block]);
        padded.zeroize();
        Self { inner, outer }
    }

    /// The hash function.
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        self.inner.algorithm()
    }

    /// Starts a MAC computation (no key processing: the schedule is reused).
    #[must_use]
    pub fn start(&self) -> Mac<'_> {
        let block = self.algorithm().block_len() as u64;
        Mac { inner: Running::resume(&self.inner, block), key: self }
    }

    /// The MAC of `data` in one call; returns the tag length written into `out`.
    pub fn mac(&self, data: &[u8], out: &mut [u8; MAX_OUTPUT]) -> usize {
        let mut mac = self.start();
        mac.update(data);
        mac.finish(out)
    }
}

/// An HMAC computation in progress.
pub struct Mac<'k> {
    inner: Running,
    key: &'k HmacKey,
}

impl core::fmt::Debug for Mac<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mac").finish_non_exhaustive()
    }
}

impl Mac<'_> {
    /// Absorbs `data`.
    #[inline]
    pub fn update(&mut self, data: &[u8]) {
        self.inner.update(data);
    }

    /// Writes the tag into `out`; returns its length.
    pub fn finish(mut self, out: &mut [u8; MAX_OUTPUT]) -> usize {
        let n = self.inner.finish(out);
        let block = self.key.algorithm().block_len() as u64;
        let mut outer = Running::resume(&self.key.outer, block);
        outer.update(&out[..n]);
        outer.finish(out)
    }
}

impl Sink for Mac<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hmac::{Hmac, Mac as _};

    fn reference(alg: Algorithm, key: &[u8], data: &[u8]) -> [u8; MAX_OUTPUT] {
        let mut out = [0u8; MAX_OUTPUT];
        match alg {
            Algorithm::Sha1 => {
                let mut m = Hmac::<sha1::Sha1>::new_from_slice(key).expect("any key length");
                m.update(data);
                out[..20].copy_from_slice(&m.finalize().into_bytes());
            }
            Algorithm::Sha256 => {
                let mut m = Hmac::<sha2::Sha256>::new_from_slice(key).expect("any key length");
                m.update(data);
                out[..32].copy_from_slice(&m.finalize().into_bytes());
            }
            Algorithm::Sha512 => {
                let mut m = Hmac::<sha2::Sha512>::new_from_slice(key).expect("any key length");
                m.update(data);
                out[..64].copy_from_slice(&m.finalize().into_bytes());
            }
        }
        out
    }

    #[test]
    fn matches_the_hmac_crate_around_block_boundaries() {
        let data: [u8; 300] = core::array::from_fn(|i| (i * 7 + 3) as u8);
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha512] {
            for key_len in [0usize, 1, 20, 63, 64, 65, 127, 128, 129, 200] {
                let key = &data[..key_len];
                let hk = HmacKey::new(alg, key);
                for len in [0usize, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 255, 256, 300] {
                    let want = reference(alg, key, &data[..len]);
                    let mut got = [0u8; MAX_OUTPUT];
                    let n = hk.mac(&data[..len], &mut got);
                    assert_eq!(n, alg.output_len());
                    assert_eq!(got[..n], want[..n], "{alg:?} key {key_len} len {len}");
                    // The same bytes fed in uneven pieces.
                    let mut m = hk.start();
                    for piece in data[..len].chunks(37) {
                        m.update(piece);
                    }
                    let mut split = [0u8; MAX_OUTPUT];
                    m.finish(&mut split);
                    assert_eq!(split[..n], want[..n]);
                }
            }
        }
    }

    #[test]
    fn debug_is_redacted() {
        let k = HmacKey::new(Algorithm::Sha256, b"secret");
        let s = alloc::format!("{k:?}");
        assert!(!s.contains("0x") && s.contains("Sha256"), "{s}");
    }
}
