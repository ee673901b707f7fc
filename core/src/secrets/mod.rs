//! API secrets: bcrypt verification and hashing, a cache of successful checks, and EU Pay API
//! keys and table tokens.
//!
//! * [`bcrypt`]: `$2a$`/`$2b$`/`$2y$` with OpenBSD semantics, allocation-free, typed errors.
//! * [`SecretVerifier`] (feature `std`): bcrypt with a bounded, expiring cache of successes.
//! * [`store`]: bcrypt with successes kept in a store shared across processes and machines
//!   (the [`store::SecretStore`] trait; Redis in the crate `payseal-cache-redis`).
//! * [`keys`]: `pk_`/`sk_` keys (live/test), key pairs, table QR tokens and links.
//! * [`RandomSource`]: randomness as a parameter; [`OsRandom`] (feature `std`) in production.

pub mod bcrypt;
pub mod keys;
mod random;
pub mod store;
#[cfg(feature = "std")]
mod verifier;

#[cfg(feature = "std")]
pub use random::OsRandom;
pub use random::{RandomSource, RandomnessError};
#[cfg(feature = "std")]
pub use verifier::{CacheStats, SecretVerifier};

/// The examples of this module's `README.md` (the section for the project README), run as
/// doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("README.md")]
struct ReadmeExamples;
