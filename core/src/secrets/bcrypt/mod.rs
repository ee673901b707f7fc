//! bcrypt: verify and create `$2a$`/`$2b$`/`$2y$` hashes of API secrets, allocation-free.
//!
//! Semantics are OpenBSD's (`bcrypt.c`, `$2b$`), shared by pyca/bcrypt and node's `bcrypt`:
//!
//! * `$2a$`, `$2b$` and `$2y$` verify identically. `$2x$` (PHP's emulation of the old
//!   sign-extension bug) and every other prefix are [`BcryptError::MalformedHash`], as are costs
//!   outside `04..=31`, a length other than 60, characters outside bcrypt's base64 alphabet and
//!   non-canonical base64 (see below).
//! * When verifying, only the first 72 bytes of the secret count (every compatible verifier
//!   truncates there), and a NUL byte is data. PHP's `password_verify` stops at the first NUL
//!   and so accepts `"abc\0anything"` for a hash of `"abc"`; payseal does not (vector
//!   `bcrypt1_64_nul_truncation`).
//! * When hashing, a secret longer than 72 bytes or containing NUL is refused
//!   ([`BcryptError::SecretTooLong`], [`BcryptError::SecretContainsNul`]) rather than silently
//!   truncated, so every hash payseal creates verifies the same way in PHP, Python and Node.
//!
//! The final digest comparison is constant-time ([`crate::ct::eq`]). The Blowfish state is
//! zeroised after use. Non-canonical hashes (non-zero unused bits in the last salt or digest
//! character) are malformed: the reference engines re-encode and compare the whole string, so
//! such a hash can never verify there either.
//!
//! ```
//! use payseal::secrets::bcrypt::{self, BcryptError};
//!
//! let salt = [7u8; bcrypt::SALT_LEN]; // in production: bcrypt::hash_with_os_salt
//! let mut buf = [0u8; bcrypt::HASH_LEN];
//! let n = bcrypt::hash(b"sk_live_example", 4, &salt, &mut buf)?;
//! let stored = core::str::from_utf8(&buf[..n]).unwrap();
//! assert!(stored.starts_with("$2b$04$"));
//!
//! assert_eq!(bcrypt::verify("sk_live_example", stored), Ok(()));
//! assert_eq!(bcrypt::verify("sk_live_wrong", stored), Err(BcryptError::Mismatch));
//! assert_eq!(bcrypt::verify("sk_live_example", "$2x$04$abc"), Err(BcryptError::MalformedHash));
//! # Ok::<(), BcryptError>(())
//! ```

mod eks;
mod format;
mod pi;

use core::ops::RangeInclusive;

use super::random::RandomSource;

/// Length of an encoded hash (`$2b$10$` + 22 salt + 31 digest characters).
pub const HASH_LEN: usize = format::HASH_LEN;
/// Length of a raw salt.
pub const SALT_LEN: usize = format::SALT_LEN;
/// The longest secret [`hash`] accepts; [`verify`] ignores bytes beyond it.
pub const MAX_SECRET_LEN: usize = eks::MAX_KEY_LEN;
/// Valid costs (log2 of the number of key-schedule rounds).
pub const COST_RANGE: RangeInclusive<u32> = 4..=31;
/// A reasonable cost for API secrets checked on every request behind a
/// [`SecretVerifier`](super::SecretVerifier) (PHP's `password_hash` default).
pub const DEFAULT_COST: u32 = 10;

/// Why a bcrypt operation did not succeed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum BcryptError {
    /// The hash is well formed and the secret does not match it.
    Mismatch,
    /// The hash is not a bcrypt hash payseal accepts (prefix, cost, length, alphabet).
    MalformedHash,
    /// The requested cost is outside [`COST_RANGE`].
    CostOutOfRange {
        /// The cost asked for.
        cost: u32,
    },
    /// The secret to hash is longer than [`MAX_SECRET_LEN`] bytes.
    SecretTooLong {
        /// The secret's length.
        len: usize,
    },
    /// The secret to hash contains a NUL byte (C-string implementations would truncate it).
    SecretContainsNul,
    /// The output buffer is too small.
    BufferTooSmall {
        /// Bytes needed ([`HASH_LEN`]).
        needed: usize,
    },
    /// The randomness source failed while drawing a salt.
    Randomness,
}

impl BcryptError {
    /// A stable snake_case name: `mismatch`, `malformed_hash`, `cost_out_of_range`,
    /// `secret_too_long`, `secret_contains_nul`, `buffer_too_small`, `randomness`.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Mismatch => "mismatch",
            Self::MalformedHash => "malformed_hash",
            Self::CostOutOfRange { .. } => "cost_out_of_range",
            Self::SecretTooLong { .. } => "secret_too_long",
            Self::SecretContainsNul => "secret_contains_nul",
            Self::BufferTooSmall { .. } => "buffer_too_small",
            Self::Randomness => "randomness",
        }
    }
}

impl core::fmt::Display for BcryptError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Mismatch => f.write_str("the secret does not match the hash"),
            Self::MalformedHash => f.write_str("not a valid $2a$/$2b$/$2y$ bcrypt hash"),
            Self::CostOutOfRange { cost } => write!(f, "bcrypt cost {cost} is outside 4..=31"),
            Self::SecretTooLong { len } => {
                write!(f, "secret is {len} bytes; bcrypt uses at most {MAX_SECRET_LEN}")
            }
            Self::SecretContainsNul => f.write_str("secret contains a NUL byte"),
            Self::BufferTooSmall { needed } => write!(f, "output buffer too small ({needed} bytes needed)"),
            Self::Randomness => f.write_str("the randomness source failed"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for BcryptError {}

/// Checks `secret` against a stored bcrypt `hash`.
///
/// Returns [`BcryptError::Mismatch`] when the hash is valid and the secret is not the one it
/// was made from, and [`BcryptError::MalformedHash`] when the hash cannot be checked at all.
/// Only the first [`MAX_SECRET_LEN`] bytes of `secret` count; NUL bytes are data. Allocates
/// nothing; costs `2^cost` key-schedule rounds (about 45 ms at cost 10 on a current x86 core).
///
/// ```
/// use payseal::secrets::bcrypt::{verify, BcryptError};
///
/// // pyca/bcrypt's test vector for "U*U" at cost 5.
/// let hash = "$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW";
/// assert_eq!(verify(b"U*U", hash), Ok(()));
/// assert_eq!(verify(b"U*U*", hash), Err(BcryptError::Mismatch));
/// assert_eq!(verify(b"U*U", "$2y$32$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW"), Err(BcryptError::MalformedHash));
/// ```
pub fn verify(secret: impl AsRef<[u8]>, hash: impl AsRef<[u8]>) -> Result<(), BcryptError> {
    verify_bytes(secret.as_ref(), hash.as_ref())
}

fn verify_bytes(secret: &[u8], hash: &[u8]) -> Result<(), BcryptError> {
    let parsed = format::parse(hash)?;
    let raw = eks::bcrypt_raw(parsed.cost, &parsed.salt, secret);
    if crate::ct::eq(&raw[..format::DIGEST_LEN], &parsed.digest) {
        Ok(())
    } else {
        Err(BcryptError::Mismatch)
    }
}

/// Hashes `secret` at `cost` with the caller's 16-byte `salt`, writing the 60-byte `$2b$` hash
/// into `out` and returning its length ([`HASH_LEN`]).
///
/// The salt must be fresh random bytes for every hash ([`hash_with`] or
/// [`hash_with_os_salt`] draw it for you). Refuses, rather than truncates, secrets longer than
/// [`MAX_SECRET_LEN`] or containing NUL. `$2b$` verifies in PHP (`password_verify`), pyca and
/// node's bcrypt alike.
///
/// ```
/// use payseal::secrets::bcrypt::{hash, BcryptError, HASH_LEN};
///
/// let mut out = [0u8; HASH_LEN];
/// // pyca/bcrypt's vector for "U*U", salt "CCCC…C.", cost 5 (written `$2a$` there: same digest).
/// let salt = [0x10, 0x41, 0x04, 0x10, 0x41, 0x04, 0x10, 0x41, 0x04, 0x10, 0x41, 0x04, 0x10, 0x41, 0x04, 0x10];
/// let n = hash(b"U*U", 5, &salt, &mut out)?;
/// assert_eq!(&out[..n], b"$2b$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW");
///
/// assert_eq!(hash(b"a\0b", 5, &salt, &mut out), Err(BcryptError::SecretContainsNul));
/// assert_eq!(hash(&[b'x'; 73], 5, &salt, &mut out), Err(BcryptError::SecretTooLong { len: 73 }));
/// assert_eq!(hash(b"x", 3, &salt, &mut out), Err(BcryptError::CostOutOfRange { cost: 3 }));
/// # Ok::<(), BcryptError>(())
/// ```
pub fn hash(secret: &[u8], cost: u32, salt: &[u8; SALT_LEN], out: &mut [u8]) -> Result<usize, BcryptError> {
    if !COST_RANGE.contains(&cost) {
        return Err(BcryptError::CostOutOfRange { cost });
    }
    if secret.len() > MAX_SECRET_LEN {
        return Err(BcryptError::SecretTooLong { len: secret.len() });
    }
    if secret.contains(&0) {
        return Err(BcryptError::SecretContainsNul);
    }
    let out: &mut [u8; HASH_LEN] = out
        .get_mut(..HASH_LEN)
        .and_then(|o| o.try_into().ok())
        .ok_or(BcryptError::BufferTooSmall { needed: HASH_LEN })?;
    let raw = eks::bcrypt_raw(cost, salt, secret);
    let mut digest = [0u8; format::DIGEST_LEN];
    digest.copy_from_slice(&raw[..format::DIGEST_LEN]);
    format::write(cost, salt, &digest, out);
    Ok(HASH_LEN)
}

/// [`hash`] with a salt drawn from `rng`.
///
/// ```
/// use payseal::secrets::bcrypt::{hash_with, verify, HASH_LEN};
///
/// let mut fixed = |buf: &mut [u8]| buf.fill(0x42);
/// let mut out = [0u8; HASH_LEN];
/// hash_with(b"secret", 4, &mut fixed, &mut out).unwrap();
/// assert_eq!(verify(b"secret", &out), Ok(()));
/// ```
pub fn hash_with(secret: &[u8], cost: u32, rng: &mut impl RandomSource, out: &mut [u8]) -> Result<usize, BcryptError> {
    let mut salt = [0u8; SALT_LEN];
    rng.fill(&mut salt).map_err(|_| BcryptError::Randomness)?;
    hash(secret, cost, &salt, out)
}

/// [`hash`] with a salt from the operating system's generator.
///
/// ```
/// use payseal::secrets::bcrypt::{hash_with_os_salt, verify, HASH_LEN};
///
/// let mut out = [0u8; HASH_LEN];
/// let n = hash_with_os_salt(b"sk_live_example", 4, &mut out).unwrap();
/// assert_eq!(verify(b"sk_live_example", &out[..n]), Ok(()));
/// ```
#[cfg(feature = "std")]
pub fn hash_with_os_salt(secret: &[u8], cost: u32, out: &mut [u8]) -> Result<usize, BcryptError> {
    hash_with(secret, cost, &mut super::random::OsRandom, out)
}
