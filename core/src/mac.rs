//! HMAC (RFC 2104) with the key schedule precomputed once and zeroised on drop: the one HMAC
//! of payseal (webhooks, EU Pay QR codes, the secret verifier's cache tags, and JOSE's
//! HS256/384/512).
//!
//! A key's schedule is the two chaining values HMAC derives from it (the hash state after
//! absorbing the block `K ^ ipad`, and after `K ^ opad`), kept as plain arrays that
//! [`zeroize`] wipes on drop. A MAC then costs only the message blocks: the RustCrypto
//! compression functions (`sha1::compress`, `sha2::compress256`, `sha2::compress512`, which
//! pick SHA-NI / ARMv8 / AVX2 at run time) run over the caller's whole blocks in place, as
//! `block-buffer` hands them out, and the partial block and the FIPS 180-4 §5.1 padding go
//! through its buffer. The outer hash is always a single block (a digest, `0x80`, the length).
//!
//! What is wiped: the schedule when the key is dropped, and the running chaining values of
//! every computation when it ends (they derive from the key). The buffered message bytes and
//! the inner digest are not key material and are not wiped; key bytes are never buffered
//! anywhere that is not wiped. Tests check every algorithm against the `hmac` crate.
//!
//! The same pieces serve a plain SHA-256 that ends with a secret (`Sha256ThenSecret`,
//! Paylands' `sha256(json . signature)`): the secret goes through the wiped tail that hashes
//! an HMAC key longer than a block.
//!
//! ```
//! use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
//! // RFC 4231 test case 2.
//! let key = HmacKey::new(Algorithm::Sha256, b"Jefe");
//! let mut tag = [0u8; MAX_OUTPUT];
//! let n = key.mac(b"what do ya want for nothing?", &mut tag);
//! assert_eq!(payseal::encoding::hex::encode_array::<32, 64>(tag[..n].try_into()?),
//!            *b"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
//! assert!(format!("{key:?}").starts_with("HmacKey { algorithm: Sha256"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use block_buffer::EagerBuffer;
use sha2::digest::consts::{U128, U64};
use sha2::digest::generic_array::GenericArray;
use zeroize::Zeroize;

use crate::Sink;

/// The largest digest this module produces (SHA-512).
pub const MAX_OUTPUT: usize = 64;
const MAX_BLOCK: usize = 128;

/// A hash function HMAC is built on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// SHA-1 (Spreedly only).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384 (JOSE HS384).
    Sha384,
    /// SHA-512.
    Sha512,
}

impl Algorithm {
    /// Bytes per compression block.
    #[must_use]
    pub const fn block_len(self) -> usize {
        match self {
            Self::Sha1 | Self::Sha256 => 64,
            Self::Sha384 | Self::Sha512 => 128,
        }
    }

    /// Bytes of output.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }
}

/// One hash function's compression function, initial value and padding (FIPS 180-4).
trait Core {
    /// The chaining value.
    type State: Copy + Zeroize;
    /// The partial-block buffer of a running hash.
    type Buffer: Default;
    const ALG: Algorithm;
    const IV: Self::State;
    /// Absorbs `data` (whole blocks in place, the rest through `buffer`).
    fn absorb(state: &mut Self::State, buffer: &mut Self::Buffer, data: &[u8]);
    /// Pads (`0x80`, zeros, the length in bits of `total` bytes) and absorbs the last blocks.
    fn pad(state: &mut Self::State, buffer: &mut Self::Buffer, total: u64);
    /// Absorbs exactly one block.
    fn compress_block(state: &mut Self::State, block: &[u8]);
    /// Writes the big-endian digest into `out`; returns its length.
    fn write(state: &Self::State, out: &mut [u8; MAX_OUTPUT]) -> usize;
}

macro_rules! core_impl {
    ($name:ident, $alg:expr, $state:ty, $block:ty, $compress:path, $len_pad:ident, $len_ty:ty, $out:expr, $iv:expr) => {
        #[derive(Clone, Copy)]
        struct $name;
        impl Core for $name {
            type State = $state;
            type Buffer = EagerBuffer<$block>;
            const ALG: Algorithm = $alg;
            const IV: $state = $iv;
            #[inline(always)]
            fn absorb(state: &mut $state, buffer: &mut Self::Buffer, data: &[u8]) {
                buffer.digest_blocks(data, |blocks| $compress(state, blocks));
            }
            #[inline(always)]
            fn pad(state: &mut $state, buffer: &mut Self::Buffer, total: u64) {
                buffer.$len_pad(<$len_ty>::from(total) * 8, |block| $compress(state, core::slice::from_ref(block)));
            }
            #[inline(always)]
            fn compress_block(state: &mut $state, block: &[u8]) {
                $compress(state, core::slice::from_ref(GenericArray::<u8, $block>::from_slice(block)));
            }
            #[inline(always)]
            fn write(state: &$state, out: &mut [u8; MAX_OUTPUT]) -> usize {
                let size = core::mem::size_of_val(&state[0]);
                for (chunk, word) in out[..$out].chunks_exact_mut(size).zip(state.iter()) {
                    chunk.copy_from_slice(&word.to_be_bytes()[..chunk.len()]);
                }
                $out
            }
        }
    };
}

core_impl!(
    Sha1,
    Algorithm::Sha1,
    [u32; 5],
    U64,
    sha1::compress,
    len64_padding_be,
    u64,
    20,
    [0x6745_2301, 0xEFCD_AB89, 0x98BA_DCFE, 0x1032_5476, 0xC3D2_E1F0]
);
core_impl!(
    Sha256,
    Algorithm::Sha256,
    [u32; 8],
    U64,
    sha2::compress256,
    len64_padding_be,
    u64,
    32,
    [0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19]
);
core_impl!(
    Sha384,
    Algorithm::Sha384,
    [u64; 8],
    U128,
    sha2::compress512,
    len128_padding_be,
    u128,
    48,
    [
        0xcbbb_9d5d_c105_9ed8,
        0x629a_292a_367c_d507,
        0x9159_015a_3070_dd17,
        0x152f_ecd8_f70e_5939,
        0x6733_2667_ffc0_0b31,
        0x8eb4_4a87_6858_1511,
        0xdb0c_2e0d_64f9_8fa7,
        0x47b5_481d_befa_4fa4
    ]
);
core_impl!(
    Sha512,
    Algorithm::Sha512,
    [u64; 8],
    U128,
    sha2::compress512,
    len128_padding_be,
    u128,
    64,
    [
        0x6a09_e667_f3bc_c908,
        0xbb67_ae85_84ca_a73b,
        0x3c6e_f372_fe94_f82b,
        0xa54f_f53a_5f1d_36f1,
        0x510e_527f_ade6_82d1,
        0x9b05_688c_2b3e_6c1f,
        0x1f83_d9ab_fb41_bd6b,
        0x5be0_cd19_137e_2179
    ]
);

/// The two chaining values of one key; wiped on drop.
#[derive(Clone)]
struct Schedule<H: Core> {
    inner: H::State,
    outer: H::State,
}

impl<H: Core> Drop for Schedule<H> {
    fn drop(&mut self) {
        self.inner.zeroize();
        self.outer.zeroize();
    }
}

impl<H: Core> Schedule<H> {
    /// RFC 2104 §2: a key longer than a block is hashed first, then padded with zeros to a
    /// block; the schedule absorbs `K ^ ipad` and `K ^ opad`. Every copy of key bytes is wiped.
    fn new(key: &[u8]) -> Self {
        let block = H::ALG.block_len();
        let mut padded = [0u8; MAX_BLOCK];
        if key.len() > block {
            let mut digest = [0u8; MAX_OUTPUT];
            let n = hash_key::<H>(key, &mut digest);
            padded[..n].copy_from_slice(&digest[..n]);
            digest.zeroize();
        } else {
            padded[..key.len()].copy_from_slice(key);
        }
        for b in &mut padded[..block] {
            *b ^= 0x36;
        }
        let mut inner = H::IV;
        H::compress_block(&mut inner, &padded[..block]);
        for b in &mut padded[..block] {
            *b ^= 0x36 ^ 0x5c;
        }
        let mut outer = H::IV;
        H::compress_block(&mut outer, &padded[..block]);
        padded.zeroize();
        Self { inner, outer }
    }

    #[inline(always)]
    fn start(&self) -> Running<H> {
        Running { state: self.inner, buffer: H::Buffer::default(), total: H::ALG.block_len() as u64 }
    }

    /// Pads the inner hash and runs the outer one: a single block, the inner digest then the
    /// padding, on the running state (so that one wipe, when `running` drops, covers both).
    /// Writes the tag into `out`; returns its length.
    #[inline(always)]
    fn finish(&self, mut running: Running<H>, out: &mut [u8; MAX_OUTPUT]) -> usize {
        H::pad(&mut running.state, &mut running.buffer, running.total);
        let n = H::write(&running.state, out);
        let block = H::ALG.block_len();
        let mut last = [0u8; MAX_BLOCK];
        last[..n].copy_from_slice(&out[..n]);
        last[n] = 0x80;
        let bits = ((block + n) as u64 * 8).to_be_bytes();
        last[block - 8..block].copy_from_slice(&bits);
        running.state = self.outer;
        H::compress_block(&mut running.state, &last[..block]);
        H::write(&running.state, out)
    }
}

/// Hashes a key longer than a block without copying it into buffers that are not wiped.
fn hash_key<H: Core>(key: &[u8], out: &mut [u8; MAX_OUTPUT]) -> usize {
    let mut state = H::IV;
    absorb_secret_and_pad::<H>(&mut state, &[], key, key.len() as u64);
    let n = H::write(&state, out);
    state.zeroize();
    n
}

/// Ends a hash whose buffer holds `pending` (less than a block) with `secret` and the padding
/// for a message of `total` bytes in all, copying the secret only into a wiped array: the
/// block it completes and its tail go through that array, its whole blocks are compressed in
/// place.
fn absorb_secret_and_pad<H: Core>(state: &mut H::State, pending: &[u8], secret: &[u8], total: u64) {
    let block = H::ALG.block_len();
    let length_len = if block == 128 { 16 } else { 8 };
    let mut tail = [0u8; 2 * MAX_BLOCK];
    let fill = (block - pending.len()).min(secret.len());
    tail[..pending.len()].copy_from_slice(pending);
    tail[pending.len()..pending.len() + fill].copy_from_slice(&secret[..fill]);
    let mut at = pending.len() + fill;
    let rest = &secret[fill..];
    if !rest.is_empty() {
        H::compress_block(state, &tail[..block]);
        let whole = rest.len() - rest.len() % block;
        for b in rest[..whole].chunks_exact(block) {
            H::compress_block(state, b);
        }
        at = rest.len() - whole;
        tail[..at].copy_from_slice(&rest[whole..]);
    }
    tail[at] = 0x80;
    tail[at + 1..].fill(0);
    let used = if at + 1 + length_len <= block { block } else { 2 * block };
    let bits = (u128::from(total) * 8).to_be_bytes();
    tail[used - length_len..used].copy_from_slice(&bits[16 - length_len..]);
    for b in tail[..used].chunks_exact(block) {
        H::compress_block(state, b);
    }
    tail.zeroize();
}

/// SHA-256 of public bytes followed by a secret (Paylands' `validation_hash`:
/// `sha256(json . signature)`): the public bytes go through as a MAC's message does, the
/// secret through [`absorb_secret_and_pad`], so it is never left in a buffer that is not wiped.
pub(crate) struct Sha256ThenSecret(Running<Sha256>);

/// SHA-256's initial chaining value (FIPS 180-4 §5.3.3).
pub(crate) const SHA256_IV: [u32; 8] = <Sha256 as Core>::IV;

/// Compresses one 64-byte `block` into a SHA-256 chaining value (SHA-NI where the CPU has it).
#[inline(always)]
pub(crate) fn sha256_block(state: &mut [u32; 8], block: &[u8]) {
    <Sha256 as Core>::compress_block(state, block);
}

impl Sha256ThenSecret {
    pub(crate) fn new() -> Self {
        Self::resume(SHA256_IV, 0)
    }

    /// A hash whose first `blocks` whole blocks left the chaining value `state`.
    pub(crate) fn resume(state: [u32; 8], blocks: usize) -> Self {
        Self(Running { state, buffer: EagerBuffer::default(), total: (blocks * 64) as u64 })
    }

    /// Absorbs public `bytes`.
    #[inline]
    pub(crate) fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    /// The digest of what was written followed by `secret`.
    pub(crate) fn finish(mut self, secret: &[u8]) -> [u8; 32] {
        let r = &mut self.0;
        let total = r.total + secret.len() as u64;
        absorb_secret_and_pad::<Sha256>(&mut r.state, r.buffer.get_data(), secret, total);
        let mut out = [0u8; MAX_OUTPUT];
        <Sha256 as Core>::write(&r.state, &mut out);
        let mut digest = [0u8; 32];
        digest.copy_from_slice(&out[..32]);
        digest
    }
}

impl Sink for Sha256ThenSecret {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

/// A running inner hash: its chaining value is wiped on drop, the buffered message bytes are
/// not (they are the caller's data, not key material).
struct Running<H: Core> {
    state: H::State,
    buffer: H::Buffer,
    total: u64,
}

impl<H: Core> Drop for Running<H> {
    #[inline(always)]
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

impl<H: Core> Running<H> {
    #[inline(always)]
    fn update(&mut self, data: &[u8]) {
        self.total = self.total.wrapping_add(data.len() as u64);
        H::absorb(&mut self.state, &mut self.buffer, data);
    }
}

impl<H: Core> Sink for Running<H> {
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        self.update(bytes);
    }
}

#[derive(Clone)]
enum Key {
    Sha1(Schedule<Sha1>),
    Sha256(Schedule<Sha256>),
    Sha384(Schedule<Sha384>),
    Sha512(Schedule<Sha512>),
}

/// An HMAC key with its schedule precomputed: the chaining values after `K ^ ipad` and
/// `K ^ opad`. Never printed (`Debug` shows the algorithm only), wiped on drop.
#[derive(Clone)]
pub struct HmacKey(Key);

/// One key's HMAC-SHA1, -SHA256 and -SHA512 schedules, each at its own size: 232 bytes where
/// three [`HmacKey`]s take 408 (for Spreedly, whose deliveries name the hash). A webhook key
/// set holds four slots of its largest secret, and a one-shot verification builds and moves
/// one per call. Wiped on drop, as is every key [`HmacKeyTrio::get`] hands out.
#[derive(Clone)]
pub(crate) struct HmacKeyTrio {
    sha1: Schedule<Sha1>,
    sha256: Schedule<Sha256>,
    sha512: Schedule<Sha512>,
}

impl HmacKeyTrio {
    /// The three schedules of `key` (as [`HmacKey::new`] computes each).
    pub(crate) fn new(key: &[u8]) -> Self {
        Self { sha1: Schedule::new(key), sha256: Schedule::new(key), sha512: Schedule::new(key) }
    }

    /// The key for `alg` (a copy of its schedule), or `None` for an algorithm it does not hold.
    pub(crate) fn get(&self, alg: Algorithm) -> Option<HmacKey> {
        Some(HmacKey(match alg {
            Algorithm::Sha1 => Key::Sha1(self.sha1.clone()),
            Algorithm::Sha256 => Key::Sha256(self.sha256.clone()),
            Algorithm::Sha512 => Key::Sha512(self.sha512.clone()),
            Algorithm::Sha384 => return None,
        }))
    }
}

impl zeroize::ZeroizeOnDrop for HmacKey {}

impl core::fmt::Debug for HmacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacKey").field("algorithm", &self.algorithm()).finish_non_exhaustive()
    }
}

impl HmacKey {
    /// Precomputes the key schedule of HMAC-`alg` for `key` (RFC 2104 §2: any length; keys
    /// longer than a block are hashed first). Refusing an empty key is the caller's rule
    /// (RFC 2104 allows it; every payseal scheme refuses it before getting here).
    #[must_use]
    pub fn new(alg: Algorithm, key: &[u8]) -> Self {
        Self(match alg {
            Algorithm::Sha1 => Key::Sha1(Schedule::new(key)),
            Algorithm::Sha256 => Key::Sha256(Schedule::new(key)),
            Algorithm::Sha384 => Key::Sha384(Schedule::new(key)),
            Algorithm::Sha512 => Key::Sha512(Schedule::new(key)),
        })
    }

    /// The hash function.
    #[must_use]
    pub const fn algorithm(&self) -> Algorithm {
        match self.0 {
            Key::Sha1(_) => Algorithm::Sha1,
            Key::Sha256(_) => Algorithm::Sha256,
            Key::Sha384(_) => Algorithm::Sha384,
            Key::Sha512(_) => Algorithm::Sha512,
        }
    }

    /// Starts a MAC computation (no key processing: the schedule is reused).
    #[must_use]
    #[inline(always)]
    pub fn start(&self) -> Mac<'_> {
        Mac(match &self.0 {
            Key::Sha1(k) => State::Sha1(k, k.start()),
            Key::Sha256(k) => State::Sha256(k, k.start()),
            Key::Sha384(k) => State::Sha384(k, k.start()),
            Key::Sha512(k) => State::Sha512(k, k.start()),
        })
    }

    /// The MAC of `data` in one call; returns the tag length written into `out`.
    #[inline]
    pub fn mac(&self, data: &[u8], out: &mut [u8; MAX_OUTPUT]) -> usize {
        fn one<H: Core>(k: &Schedule<H>, data: &[u8], out: &mut [u8; MAX_OUTPUT]) -> usize {
            let mut running = k.start();
            running.update(data);
            k.finish(running, out)
        }
        match &self.0 {
            Key::Sha1(k) => one(k, data, out),
            Key::Sha256(k) => one(k, data, out),
            Key::Sha384(k) => one(k, data, out),
            Key::Sha512(k) => one(k, data, out),
        }
    }

    /// The MAC of what `feed` writes, in one call; returns the tag length written into `out`
    /// (or `feed`'s error, when nothing is written). Dispatches on the algorithm once, so the
    /// writes go straight to that hash's code: the fastest way to MAC a message written in
    /// pieces.
    ///
    /// ```
    /// use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
    /// let key = HmacKey::new(Algorithm::Sha256, b"whsec_demo");
    /// let (mut a, mut b) = ([0u8; MAX_OUTPUT], [0u8; MAX_OUTPUT]);
    /// let n = key.mac_with(&mut a, |mac| {
    ///     mac.write(b"1781699238.");
    ///     mac.write(b"{}");
    ///     Ok::<(), ()>(())
    /// })?;
    /// key.mac(b"1781699238.{}", &mut b);
    /// assert_eq!(a[..n], b[..n]);
    /// # Ok::<(), ()>(())
    /// ```
    #[inline]
    pub fn mac_with<E>(
        &self,
        out: &mut [u8; MAX_OUTPUT],
        feed: impl FnOnce(&mut dyn Sink) -> Result<(), E>,
    ) -> Result<usize, E> {
        #[inline(always)]
        fn one<H: Core, E>(
            k: &Schedule<H>,
            out: &mut [u8; MAX_OUTPUT],
            feed: impl FnOnce(&mut dyn Sink) -> Result<(), E>,
        ) -> Result<usize, E> {
            let mut running = k.start();
            feed(&mut running)?;
            Ok(k.finish(running, out))
        }
        match &self.0 {
            Key::Sha1(k) => one(k, out, feed),
            Key::Sha256(k) => one(k, out, feed),
            Key::Sha384(k) => one(k, out, feed),
            Key::Sha512(k) => one(k, out, feed),
        }
    }

    /// Checks `tag` against the MAC of `data` in constant time ([`crate::ct::eq`]); a tag of
    /// another length never matches. Says nothing of where a tag differs.
    pub fn verify(&self, data: &[u8], tag: &[u8]) -> Result<(), MacError> {
        let mut out = [0u8; MAX_OUTPUT];
        let n = self.mac(data, &mut out);
        if crate::ct::eq(&out[..n], tag) {
            Ok(())
        } else {
            Err(MacError::Mismatch)
        }
    }
}

/// Why [`HmacKey::verify`] (or [`Mac::verify`]) rejected a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MacError {
    /// The tag is not the MAC of the message under the key (or has another length); code
    /// `bad_signature`. Never says where it differs.
    Mismatch,
}

impl core::fmt::Display for MacError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Mismatch => f.write_str("bad_signature: the MAC does not match"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for MacError {}

impl crate::codes::ErrorCode for MacError {
    fn code(&self) -> &'static str {
        match self {
            Self::Mismatch => "bad_signature",
        }
    }
}

enum State<'k> {
    Sha1(&'k Schedule<Sha1>, Running<Sha1>),
    Sha256(&'k Schedule<Sha256>, Running<Sha256>),
    Sha384(&'k Schedule<Sha384>, Running<Sha384>),
    Sha512(&'k Schedule<Sha512>, Running<Sha512>),
}

/// An HMAC computation in progress (a [`Sink`]); its running state is wiped when it ends.
pub struct Mac<'k>(State<'k>);

impl core::fmt::Debug for Mac<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Mac").finish_non_exhaustive()
    }
}

impl Mac<'_> {
    /// Absorbs `data`.
    #[inline(always)]
    pub fn update(&mut self, data: &[u8]) {
        match &mut self.0 {
            State::Sha1(_, r) => r.update(data),
            State::Sha256(_, r) => r.update(data),
            State::Sha384(_, r) => r.update(data),
            State::Sha512(_, r) => r.update(data),
        }
    }

    /// Writes the tag into `out`; returns its length.
    #[inline(always)]
    pub fn finish(self, out: &mut [u8; MAX_OUTPUT]) -> usize {
        match self.0 {
            State::Sha1(k, r) => k.finish(r, out),
            State::Sha256(k, r) => k.finish(r, out),
            State::Sha384(k, r) => k.finish(r, out),
            State::Sha512(k, r) => k.finish(r, out),
        }
    }

    /// Compares `tag` with the MAC in constant time ([`crate::ct::eq`]).
    pub fn verify(self, tag: &[u8]) -> Result<(), MacError> {
        let mut out = [0u8; MAX_OUTPUT];
        let n = self.finish(&mut out);
        if crate::ct::eq(&out[..n], tag) {
            Ok(())
        } else {
            Err(MacError::Mismatch)
        }
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
        macro_rules! run {
            ($d:ty) => {{
                let mut m = Hmac::<$d>::new_from_slice(key).expect("any key length");
                m.update(data);
                let t = m.finalize().into_bytes();
                out[..t.len()].copy_from_slice(&t);
            }};
        }
        match alg {
            Algorithm::Sha1 => run!(sha1::Sha1),
            Algorithm::Sha256 => run!(sha2::Sha256),
            Algorithm::Sha384 => run!(sha2::Sha384),
            Algorithm::Sha512 => run!(sha2::Sha512),
        }
        out
    }

    #[test]
    fn matches_the_hmac_crate_around_block_boundaries() {
        let data: [u8; 300] = core::array::from_fn(|i| (i * 7 + 3) as u8);
        for alg in [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha384, Algorithm::Sha512] {
            for key_len in [0usize, 1, 20, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 200, 300] {
                let key = &data[..key_len];
                let hk = HmacKey::new(alg, key);
                for len in [0usize, 1, 55, 56, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 255, 256, 300] {
                    let want = reference(alg, key, &data[..len]);
                    let mut got = [0u8; MAX_OUTPUT];
                    let n = hk.mac(&data[..len], &mut got);
                    assert_eq!(n, alg.output_len());
                    assert_eq!(got[..n], want[..n], "{alg:?} key {key_len} len {len}");
                    assert_eq!(hk.verify(&data[..len], &want[..n]), Ok(()));
                    assert_eq!(hk.verify(&data[..len], &want[..n - 1]), Err(MacError::Mismatch));
                    let mut bad = want;
                    bad[n - 1] ^= 1;
                    assert_eq!(hk.verify(&data[..len], &bad[..n]), Err(MacError::Mismatch));
                    // The same bytes fed in uneven pieces.
                    for piece in [1usize, 37, 64, 129] {
                        let mut m = hk.start();
                        for chunk in data[..len].chunks(piece) {
                            m.update(chunk);
                        }
                        let mut split = [0u8; MAX_OUTPUT];
                        m.finish(&mut split);
                        assert_eq!(split[..n], want[..n], "{alg:?} key {key_len} len {len} pieces {piece}");
                        let mut fed = [0u8; MAX_OUTPUT];
                        let got = hk.mac_with(&mut fed, |mac| {
                            for chunk in data[..len].chunks(piece) {
                                mac.write(chunk);
                            }
                            Ok::<(), ()>(())
                        });
                        assert_eq!((got, &fed[..n]), (Ok(n), &want[..n]), "mac_with {alg:?} {key_len} {len} {piece}");
                    }
                }
            }
        }
    }

    #[test]
    fn debug_is_redacted() {
        let k = HmacKey::new(Algorithm::Sha256, b"secret");
        let s = alloc::format!("{k:?}");
        assert!(!s.contains("0x") && s.contains("Sha256"), "{s}");
        assert_eq!(alloc::format!("{:?}", k.start()), "Mac { .. }");
    }

    /// Public bytes then a secret, every split of lengths around the block boundaries, against
    /// `sha2`'s digest of the same bytes.
    #[test]
    fn sha256_then_secret_matches_sha2() {
        use sha2::Digest;
        let data: std::vec::Vec<u8> = (0..300u16).map(|i| (i * 7) as u8).collect();
        for secret_len in [0, 1, 31, 55, 56, 63, 64, 65, 128, 200, 256] {
            let secret: std::vec::Vec<u8> = (0..secret_len).map(|i| (i * 13 + 1) as u8).collect();
            for len in [0, 1, 54, 55, 56, 63, 64, 65, 127, 128, 300] {
                let mut hash = Sha256ThenSecret::new();
                let (a, b) = data[..len].split_at(len / 3);
                hash.update(a);
                Sink::write(&mut hash, b);
                let want: [u8; 32] =
                    sha2::Sha256::new().chain_update(&data[..len]).chain_update(&secret).finalize().into();
                assert_eq!(hash.finish(&secret), want, "data {len}, secret {secret_len}");
            }
        }
    }

    /// Resuming after whole blocks gives the digest of hashing from the start.
    #[test]
    fn sha256_then_secret_resumes() {
        let data = [0x5au8; 200];
        let mut state = SHA256_IV;
        for block in data[..128].chunks_exact(64) {
            sha256_block(&mut state, block);
        }
        let mut resumed = Sha256ThenSecret::resume(state, 2);
        resumed.update(&data[128..]);
        let mut whole = Sha256ThenSecret::new();
        whole.update(&data);
        assert_eq!(resumed.finish(b"s1gnature"), whole.finish(b"s1gnature"));
    }
}
