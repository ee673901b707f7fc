//! API secrets: bcrypt verification and hashing.
//!
//! * [`bcrypt`]: `$2a$`/`$2b$`/`$2y$` with OpenBSD semantics, allocation-free, typed errors.
//! * [`RandomSource`]: randomness as a parameter; [`OsRandom`] (feature `std`) in production.

pub mod bcrypt;
mod random;

#[cfg(feature = "std")]
pub use random::OsRandom;
pub use random::{RandomSource, RandomnessError};
