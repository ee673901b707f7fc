//! EksBlowfish, the "expensive key schedule" Blowfish of Provos and Mazières, "A
//! Future-Adaptable Password Scheme" (USENIX 1999), exactly as OpenBSD's `lib/libc/crypt/bcrypt.c`
//! and `blowfish.c` compute it (`$2b$`).
//!
//! This is the hot path: `2^cost` rounds of two full re-keyings, each 521 chained Blowfish
//! encryptions. The chain is strictly sequential (every encryption depends on the previous
//! output), so speed is the latency of one Feistel round: byte extraction, four S-box loads,
//! add/xor/add, xor: about 11 cycles on a current x86 core, which is where PHP's C
//! `crypt_blowfish` sits too. The code keeps exactly that on the critical path: indices are `u8`
//! casts into fixed-size arrays (no bounds checks survive), `P` is xored into the other half off
//! the chain, and the S-boxes are one flat array so the four loads share one base register.

use core::hint::black_box;

use zeroize::Zeroize;

use super::pi;

/// Bytes of the secret that count; the rest is ignored, as in every bcrypt implementation.
pub(crate) const MAX_KEY_LEN: usize = 72;

/// The 18 subkeys: the number of 32-bit words the key stream is stretched to.
const P_WORDS: usize = 18;

/// `"OrpheanBeholderScryDoubt"` as six big-endian words: the plaintext bcrypt encrypts.
const MAGIC: [u32; 6] = [0x4F72_7068, 0x6561_6E42, 0x6568_6F6C, 0x6465_7253, 0x6372_7944, 0x6F75_6274];

/// The Blowfish state: subkeys and the four S-boxes (S0 at `s[0..256]`, S1 at `s[256..512]`, ...).
struct State {
    p: [u32; P_WORDS],
    s: [u32; 1024],
}

impl State {
    /// Schneier's initial state (pi's digits).
    fn initial() -> Self {
        Self { p: pi::P, s: pi::S }
    }

    /// The Feistel function `F(x) = ((S0[a] + S1[b]) ^ S2[c]) + S3[d]`, `x = a|b|c|d` big-endian.
    #[inline(always)]
    fn f(&self, x: u32) -> u32 {
        let s = &self.s;
        let a = s[usize::from((x >> 24) as u8)];
        let b = s[256 + usize::from((x >> 16) as u8)];
        let c = s[512 + usize::from((x >> 8) as u8)];
        let d = s[768 + usize::from(x as u8)];
        (a.wrapping_add(b) ^ c).wrapping_add(d)
    }

    /// One Blowfish block encryption (16 rounds, unrolled), returning the swapped halves.
    #[inline(always)]
    fn encrypt(&self, mut l: u32, mut r: u32) -> (u32, u32) {
        let p = &self.p;
        l ^= p[0];
        // The chain: `x_next = F(x) ^ (y ^ p[i])`, where `y ^ p[i]` is known a whole round
        // earlier. Written plainly, LLVM reassociates the three-way xor into
        // `(F(x) ^ p[i]) ^ y`, putting two xors on the chain (~8% slower at cost 10).
        // `black_box` on the early half keeps it one xor; it changes no value.
        macro_rules! two_rounds {
            ($i:literal) => {
                r = black_box(r ^ p[$i]) ^ self.f(l);
                l = black_box(l ^ p[$i + 1]) ^ self.f(r);
            };
        }
        two_rounds!(1);
        two_rounds!(3);
        two_rounds!(5);
        two_rounds!(7);
        two_rounds!(9);
        two_rounds!(11);
        two_rounds!(13);
        two_rounds!(15);
        (r ^ p[17], l)
    }

    /// Re-keys the whole state by chained encryption of a zero block (OpenBSD's
    /// `Blowfish_expand0state` after the `P ^= key` step).
    #[inline(always)]
    fn rekey_chain(&mut self) {
        let (mut l, mut r) = (0u32, 0u32);
        for i in 0..P_WORDS / 2 {
            (l, r) = self.encrypt(l, r);
            self.p[2 * i] = l;
            self.p[2 * i + 1] = r;
        }
        for i in 0..512 {
            (l, r) = self.encrypt(l, r);
            self.s[2 * i] = l;
            self.s[2 * i + 1] = r;
        }
    }

    /// The same chain with the salt xored into every block first (`Blowfish_expandstate`'s
    /// data stream: the 16 salt bytes are four words, consumed two per block, cyclically, and
    /// the stream runs on from the P-array into the S-boxes).
    fn rekey_chain_salted(&mut self, salt: &[u32; 4]) {
        let (mut l, mut r) = (0u32, 0u32);
        let mut block = 0usize;
        let mut next = |l: u32, r: u32| {
            let k = (2 * block) % 4;
            block += 1;
            (l ^ salt[k], r ^ salt[k + 1])
        };
        for i in 0..P_WORDS / 2 {
            let (sl, sr) = next(l, r);
            (l, r) = self.encrypt(sl, sr);
            self.p[2 * i] = l;
            self.p[2 * i + 1] = r;
        }
        for i in 0..512 {
            let (sl, sr) = next(l, r);
            (l, r) = self.encrypt(sl, sr);
            self.s[2 * i] = l;
            self.s[2 * i + 1] = r;
        }
    }

    #[inline(always)]
    fn xor_p(&mut self, words: &[u32; P_WORDS]) {
        for (p, w) in self.p.iter_mut().zip(words) {
            *p ^= w;
        }
    }
}

impl Drop for State {
    fn drop(&mut self) {
        self.p.zeroize();
        self.s.zeroize();
    }
}

/// The key stream: the secret's first 72 bytes plus the terminating NUL that C passes along,
/// repeated to fill 18 big-endian words (`Blowfish_stream2word` wraps at `key_len`). An inner
/// NUL byte is data here, as in OpenBSD with an explicit length, pyca/bcrypt and node's bcrypt.
fn key_words(secret: &[u8]) -> [u32; P_WORDS] {
    let used = &secret[..secret.len().min(MAX_KEY_LEN)];
    let cycle = used.len() + 1;
    let mut words = [0u32; P_WORDS];
    let mut j = 0;
    for w in &mut words {
        for _ in 0..4 {
            let byte = used.get(j).copied().unwrap_or(0);
            *w = (*w << 8) | u32::from(byte);
            j += 1;
            if j == cycle {
                j = 0;
            }
        }
    }
    words
}

/// The raw 24-byte bcrypt output for `secret` under `salt` at `cost` (the encoded hash keeps
/// the first 23). `cost` must already be checked to lie in `4..=31`.
pub(crate) fn bcrypt_raw(cost: u32, salt: &[u8; 16], secret: &[u8]) -> [u8; 24] {
    let mut key = key_words(secret);
    let mut salt_words = [0u32; 4];
    for (w, chunk) in salt_words.iter_mut().zip(salt.chunks_exact(4)) {
        *w = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
    }
    let mut salt_p = [0u32; P_WORDS];
    for (i, w) in salt_p.iter_mut().enumerate() {
        *w = salt_words[i % 4];
    }

    // EksBlowfishSetup: ExpandKey(state, salt, key), then 2^cost times ExpandKey(state, 0, key)
    // and ExpandKey(state, 0, salt).
    let mut state = State::initial();
    state.xor_p(&key);
    state.rekey_chain_salted(&salt_words);
    let rounds = 1u64 << cost.min(31);
    for _ in 0..rounds {
        state.xor_p(&key);
        state.rekey_chain();
        state.xor_p(&salt_p);
        state.rekey_chain();
    }
    key.zeroize();

    let mut blocks = MAGIC;
    for _ in 0..64 {
        for pair in blocks.chunks_exact_mut(2) {
            (pair[0], pair[1]) = state.encrypt(pair[0], pair[1]);
        }
    }
    let mut out = [0u8; 24];
    for (chunk, w) in out.chunks_exact_mut(4).zip(blocks) {
        chunk.copy_from_slice(&w.to_be_bytes());
    }
    blocks.zeroize();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_stream_wraps_after_the_terminating_nul() {
        let words = key_words(b"ab");
        // "ab\0ab\0ab\0..." in big-endian words.
        assert_eq!(words[0], u32::from_be_bytes(*b"ab\0a"));
        assert_eq!(words[1], u32::from_be_bytes(*b"b\0ab"));
        assert_eq!(key_words(b""), [0; P_WORDS]);
    }

    #[test]
    fn only_the_first_72_bytes_count() {
        let long = [b'x'; 100];
        assert_eq!(key_words(&long), key_words(&long[..72]));
        assert_ne!(key_words(&long[..71]), key_words(&long[..72]));
    }
}
