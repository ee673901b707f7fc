//! API secrets: bcrypt verification and hashing, and a cache of successful checks.
//!
//! * [`bcrypt`]: `$2a$`/`$2b$`/`$2y$` with OpenBSD semantics, allocation-free, typed errors.
//! * [`SecretVerifier`] (feature `std`): bcrypt with a bounded, expiring cache of successes.
//! * [`RandomSource`]: randomness as a parameter; [`OsRandom`] (feature `std`) in production.

pub mod bcrypt;
mod random;
#[cfg(feature = "std")]
mod verifier;

#[cfg(feature = "std")]
pub use random::OsRandom;
pub use random::{RandomSource, RandomnessError};
#[cfg(feature = "std")]
pub use verifier::{CacheStats, SecretVerifier};
