//! EU Pay API keys: `pk_live_…`, `pk_test_…`, `sk_live_…`, `sk_test_…`.

use zeroize::Zeroize;

use crate::secrets::random::RandomSource;

/// Shortest key body accepted (characters after the 8-byte prefix).
pub const BODY_MIN_LEN: usize = 32;
/// Longest key body accepted.
pub const BODY_MAX_LEN: usize = 128;
/// Body length of generated keys: 32 characters of `[A-Za-z0-9]`, about 190 bits.
pub const GENERATED_BODY_LEN: usize = 32;
/// Length of every prefix (`sk_live_`).
pub const PREFIX_LEN: usize = 8;
/// Longest key accepted, prefix included.
pub const MAX_KEY_LEN: usize = PREFIX_LEN + BODY_MAX_LEN;

const BASE62: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// What a key may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    /// `pk_`: identifies the merchant in browsers and apps; not a credential.
    Publishable,
    /// `sk_`: authenticates the merchant's server; a credential.
    Secret,
}

/// Which system a key belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Environment {
    /// `_live_`: real money.
    Live,
    /// `_test_`: the sandbox.
    Test,
}

impl Environment {
    /// `"live"` or `"test"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Live => "live",
            Self::Test => "test",
        }
    }
}

impl KeyKind {
    /// `"publishable"` or `"secret"`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Publishable => "publishable",
            Self::Secret => "secret",
        }
    }
}

/// Why a key (or a pair of keys) was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyError {
    /// The key does not start with `pk_live_`, `pk_test_`, `sk_live_` or `sk_test_`.
    UnknownPrefix,
    /// The body (after the prefix) is not [`BODY_MIN_LEN`]..=[`BODY_MAX_LEN`] characters.
    BadLength {
        /// The body's length in bytes.
        len: usize,
    },
    /// The body has a byte outside `[A-Za-z0-9]`.
    BadCharacter {
        /// Position of the first such byte in the whole key.
        offset: usize,
    },
    /// A pair mixes a live and a test key.
    EnvironmentMismatch,
    /// The key given as the publishable half of a pair is a secret key.
    NotPublishable,
    /// The key given as the secret half of a pair is a publishable key.
    NotSecret,
    /// The randomness source failed while generating a key.
    Randomness,
}

impl KeyError {
    /// A stable snake_case name (`unknown_prefix`, `bad_length`, …).
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::UnknownPrefix => "unknown_prefix",
            Self::BadLength { .. } => "bad_length",
            Self::BadCharacter { .. } => "bad_character",
            Self::EnvironmentMismatch => "environment_mismatch",
            Self::NotPublishable => "not_publishable",
            Self::NotSecret => "not_secret",
            Self::Randomness => "randomness",
        }
    }
}

impl core::fmt::Display for KeyError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::UnknownPrefix => {
                f.write_str("unknown key prefix (expected pk_live_, pk_test_, sk_live_ or sk_test_)")
            }
            Self::BadLength { len } => {
                write!(f, "key body is {len} characters; expected {BODY_MIN_LEN} to {BODY_MAX_LEN}")
            }
            Self::BadCharacter { offset } => write!(f, "key has a character outside [A-Za-z0-9] at offset {offset}"),
            Self::EnvironmentMismatch => f.write_str("the keys mix live and test environments"),
            Self::NotPublishable => f.write_str("expected a publishable (pk_) key, got a secret key"),
            Self::NotSecret => f.write_str("expected a secret (sk_) key, got a publishable key"),
            Self::Randomness => f.write_str("the randomness source failed"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KeyError {}

/// Reads a key's kind and environment without copying it.
///
/// The accepted form is `<pk|sk>_<live|test>_<body>`, the body being
/// [`BODY_MIN_LEN`]..=[`BODY_MAX_LEN`] characters of `[A-Za-z0-9]`.
///
/// ```
/// use payseal::secrets::keys::{inspect, Environment, KeyError, KeyKind};
///
/// assert_eq!(inspect("sk_test_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh"), Ok((KeyKind::Secret, Environment::Test)));
/// assert_eq!(inspect("rk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh"), Err(KeyError::UnknownPrefix));
/// assert_eq!(inspect("pk_live_short"), Err(KeyError::BadLength { len: 5 }));
/// ```
pub fn inspect(key: &str) -> Result<(KeyKind, Environment), KeyError> {
    let bytes = key.as_bytes();
    let (kind, env) = match bytes.get(..PREFIX_LEN).ok_or(KeyError::UnknownPrefix)? {
        b"pk_live_" => (KeyKind::Publishable, Environment::Live),
        b"pk_test_" => (KeyKind::Publishable, Environment::Test),
        b"sk_live_" => (KeyKind::Secret, Environment::Live),
        b"sk_test_" => (KeyKind::Secret, Environment::Test),
        _ => return Err(KeyError::UnknownPrefix),
    };
    let body = &bytes[PREFIX_LEN..];
    if !(BODY_MIN_LEN..=BODY_MAX_LEN).contains(&body.len()) {
        return Err(KeyError::BadLength { len: body.len() });
    }
    if let Some(i) = body.iter().position(|b| !b.is_ascii_alphanumeric()) {
        return Err(KeyError::BadCharacter { offset: PREFIX_LEN + i });
    }
    Ok((kind, env))
}

/// A validated API key, held in a fixed buffer that is zeroised on drop. `Debug` shows the
/// prefix only.
///
/// ```
/// use payseal::secrets::keys::{ApiKey, Environment, KeyKind};
///
/// let key: ApiKey = "sk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh".parse().unwrap();
/// assert_eq!(key.kind(), KeyKind::Secret);
/// assert_eq!(key.environment(), Environment::Live);
/// assert_eq!(format!("{key:?}"), "ApiKey(sk_live_[redacted])");
/// ```
#[derive(Clone)]
pub struct ApiKey {
    buf: [u8; MAX_KEY_LEN],
    len: usize,
    kind: KeyKind,
    env: Environment,
}

impl ApiKey {
    /// Validates and copies `key` (see [`inspect`] for the form).
    pub fn parse(key: &str) -> Result<Self, KeyError> {
        let (kind, env) = inspect(key)?;
        let mut buf = [0u8; MAX_KEY_LEN];
        buf[..key.len()].copy_from_slice(key.as_bytes());
        Ok(Self { buf, len: key.len(), kind, env })
    }

    /// A new key of `kind` for `env` with a [`GENERATED_BODY_LEN`]-character body drawn
    /// uniformly from `[A-Za-z0-9]` (rejection sampling, no modulo bias).
    ///
    /// ```
    /// use payseal::secrets::keys::{ApiKey, Environment, KeyKind};
    /// use payseal::secrets::OsRandom;
    ///
    /// let key = ApiKey::generate(KeyKind::Secret, Environment::Test, &mut OsRandom).unwrap();
    /// assert!(key.expose().starts_with("sk_test_"));
    /// assert_eq!(key.expose().len(), 8 + 32);
    /// ```
    pub fn generate(kind: KeyKind, env: Environment, rng: &mut impl RandomSource) -> Result<Self, KeyError> {
        let prefix: &[u8; PREFIX_LEN] = match (kind, env) {
            (KeyKind::Publishable, Environment::Live) => b"pk_live_",
            (KeyKind::Publishable, Environment::Test) => b"pk_test_",
            (KeyKind::Secret, Environment::Live) => b"sk_live_",
            (KeyKind::Secret, Environment::Test) => b"sk_test_",
        };
        let mut buf = [0u8; MAX_KEY_LEN];
        buf[..PREFIX_LEN].copy_from_slice(prefix);
        fill_base62(&mut buf[PREFIX_LEN..PREFIX_LEN + GENERATED_BODY_LEN], rng)?;
        Ok(Self { buf, len: PREFIX_LEN + GENERATED_BODY_LEN, kind, env })
    }

    /// Publishable or secret.
    #[must_use]
    pub fn kind(&self) -> KeyKind {
        self.kind
    }

    /// Live or test.
    #[must_use]
    pub fn environment(&self) -> Environment {
        self.env
    }

    /// The whole key text. Named so that every place that reveals a key is easy to find.
    #[must_use]
    pub fn expose(&self) -> &str {
        // Only ASCII ever enters `buf` (checked by `inspect` or written from BASE62).
        core::str::from_utf8(&self.buf[..self.len]).unwrap_or_default()
    }

    /// The prefix, e.g. `"sk_live_"` (not secret).
    #[must_use]
    pub fn prefix(&self) -> &str {
        &self.expose()[..PREFIX_LEN]
    }
}

impl core::str::FromStr for ApiKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, KeyError> {
        Self::parse(s)
    }
}

impl core::fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ApiKey({}[redacted])", self.prefix())
    }
}

impl Drop for ApiKey {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}

/// A publishable key and the secret key that goes with it, same environment.
#[derive(Clone, Debug)]
pub struct KeyPair {
    /// `pk_…`.
    pub publishable: ApiKey,
    /// `sk_…`.
    pub secret: ApiKey,
}

impl KeyPair {
    /// Generates both keys for `env` from `rng`.
    ///
    /// ```
    /// use payseal::secrets::keys::{check_pair, Environment, KeyPair};
    ///
    /// // Deterministic bytes for the example; use `payseal::secrets::OsRandom` in production.
    /// let mut n = 0u8;
    /// let mut rng = |buf: &mut [u8]| buf.iter_mut().for_each(|b| { *b = n; n = n.wrapping_add(7); });
    /// let pair = KeyPair::generate(Environment::Live, &mut rng).unwrap();
    /// assert!(pair.publishable.expose().starts_with("pk_live_"));
    /// assert_eq!(check_pair(&pair.publishable, &pair.secret), Ok(Environment::Live));
    /// ```
    pub fn generate(env: Environment, rng: &mut impl RandomSource) -> Result<Self, KeyError> {
        Ok(Self {
            publishable: ApiKey::generate(KeyKind::Publishable, env, rng)?,
            secret: ApiKey::generate(KeyKind::Secret, env, rng)?,
        })
    }
}

/// Checks that `publishable` and `secret` can be configured together: the first is `pk_`, the
/// second `sk_`, both of the same environment (a live/test mix is the classic deployment
/// mistake). Returns that environment.
///
/// ```
/// use payseal::secrets::keys::{check_pair, ApiKey, KeyError};
///
/// let pk: ApiKey = "pk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh".parse().unwrap();
/// let sk: ApiKey = "sk_test_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh".parse().unwrap();
/// assert_eq!(check_pair(&pk, &sk), Err(KeyError::EnvironmentMismatch));
/// ```
pub fn check_pair(publishable: &ApiKey, secret: &ApiKey) -> Result<Environment, KeyError> {
    if publishable.kind != KeyKind::Publishable {
        return Err(KeyError::NotPublishable);
    }
    if secret.kind != KeyKind::Secret {
        return Err(KeyError::NotSecret);
    }
    if publishable.env != secret.env {
        return Err(KeyError::EnvironmentMismatch);
    }
    Ok(secret.env)
}

/// Fills `out` with uniform `[A-Za-z0-9]`: random bytes below 248 (= 4 * 62) map by `% 62`,
/// the others are discarded. A source that keeps producing only discarded bytes is an error.
fn fill_base62(out: &mut [u8], rng: &mut impl RandomSource) -> Result<(), KeyError> {
    const ACCEPT_BELOW: u8 = 248;
    let mut pool = [0u8; 64];
    let mut filled = 0;
    for _ in 0..16 {
        rng.fill(&mut pool).map_err(|_| KeyError::Randomness)?;
        for &b in &pool {
            if filled == out.len() {
                break;
            }
            if b < ACCEPT_BELOW {
                out[filled] = BASE62[usize::from(b % 62)];
                filled += 1;
            }
        }
        if filled == out.len() {
            pool.zeroize();
            return Ok(());
        }
    }
    pool.zeroize();
    Err(KeyError::Randomness)
}
