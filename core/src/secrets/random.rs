//! Randomness as a parameter: everything that draws random bytes (salts, keys, table tokens)
//! takes a [`RandomSource`], so tests can be deterministic and production uses [`OsRandom`].

/// The randomness source failed (the OS generator was unavailable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RandomnessError;

impl core::fmt::Display for RandomnessError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("the randomness source failed")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for RandomnessError {}

/// Fills buffers with random bytes.
///
/// Any `FnMut(&mut [u8])` closure is a source (infallible), which is how tests inject fixed
/// bytes; [`OsRandom`] (feature `std`) reads the operating system's generator.
///
/// ```
/// use payseal::secrets::RandomSource;
///
/// let mut counter = 0u8;
/// let mut fixed = |buf: &mut [u8]| {
///     for b in buf {
///         *b = counter;
///         counter = counter.wrapping_add(1);
///     }
/// };
/// let mut out = [0u8; 3];
/// fixed.fill(&mut out).unwrap();
/// assert_eq!(out, [0, 1, 2]);
/// ```
pub trait RandomSource {
    /// Overwrites all of `buf` with random bytes.
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), RandomnessError>;
}

impl<F: FnMut(&mut [u8])> RandomSource for F {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), RandomnessError> {
        self(buf);
        Ok(())
    }
}

/// The operating system's cryptographic generator (`getrandom`).
#[cfg(feature = "std")]
#[derive(Debug, Clone, Copy, Default)]
pub struct OsRandom;

#[cfg(feature = "std")]
impl RandomSource for OsRandom {
    fn fill(&mut self, buf: &mut [u8]) -> Result<(), RandomnessError> {
        getrandom::fill(buf).map_err(|_| RandomnessError)
    }
}
