//! JOSE: JWS (RFC 7515) compact tokens and JWTs (RFC 7519), verified against JWK Sets
//! (RFC 7517) and signed, with the algorithms of RFC 7518 §3 and EdDSA (RFC 8037).
//!
//! What this module refuses, on purpose (each a CVE class of popular libraries):
//!
//! * anything but exactly three `.`-separated segments of *canonical* unpadded base64url
//!   (no `=`, `+`, `/`, whitespace, or nonzero unused bits: the same bytes never have two
//!   spellings), and tokens over [`limits::MAX_TOKEN_LEN`];
//! * a protected header that is not a JSON object read by payseal's own JSON engine (duplicate
//!   member names rejected), or without a string `alg` (headers of plain string members are
//!   read in one pass without the engine; anything else, and every refusal, goes through it);
//! * an algorithm not in the caller's explicit allow-list ([`Algorithm`] has no `none`, so no
//!   spelling of it is ever accepted), and a key of another type than the algorithm's (no
//!   HS256-with-the-RSA-public-key confusion);
//! * `crit` of any kind ([`Error::CritUnsupported`]; `b64: false` included);
//! * key material from the token itself: `jwk`, `jku`, `x5u`, `x5c` header members are never
//!   read;
//! * ECDSA signatures in DER (JOSE's fixed-size `r‖s` only, RFC 7518 §3.4);
//! * claims of the wrong type (`exp` as a string is malformed, not absent).
//!
//! Verification is allocation-free with caller scratch ([`verify_jws`], [`verify_jwt`]; HS*,
//! ES* and EdDSA: ring's RSA arithmetic allocates inside ring, payseal adds nothing, tested):
//! the decoded header and payload go into a caller buffer of [`scratch_len`] bytes, the JSON
//! tokens onto a [`Tape`](crate::json::Tape), and the claims are read in place ([`Claims`]).
//! Key sets ([`KeySet`]) and signing keys ([`SigningKey`]) are parsed once and need `alloc`;
//! RSA needs `alloc` (ring's RSA does), and signing with RSA/ECDSA needs `std` (OS randomness).
//! Without `alloc`, a single [`VerifyingKey`] (an HMAC secret, an EC point, an Ed25519 key)
//! verifies.
//!
//! ```
//! # #[cfg(feature = "std")] {
//! use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};
//! let jwk = br#"{"kty":"oct","k":"IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0","kid":"k1"}"#;
//! let signer = SigningKey::from_jwk(jwk)?;
//! let token = jose::sign_to_string(br#"{"alg":"HS256","kid":"k1"}"#, br#"{"sub":"x","exp":2000000000}"#, &signer)?;
//!
//! let keys = KeySet::from_json(&format!(r#"{{"keys":[{}]}}"#, std::str::from_utf8(jwk).unwrap()).into_bytes())?;
//! let validation = Validation::at(&[Algorithm::Hs256], 1_900_000_000);
//! let mut buf = vec![0u8; jose::scratch_len(token.len())];
//! let mut tape = payseal::json::Tape::new();
//! let jwt = jose::verify_jwt(token.as_bytes(), &keys, &validation, &mut buf, &mut tape)?;
//! assert!(jwt.claims.sub().is_some_and(|s| s.str_eq("x")));
//! # }
//! # Ok::<(), payseal::jose::Error>(())
//! ```

mod b64;
mod claims;
mod compact;
mod error;
mod header;
mod keys;
mod mac;
pub mod refresh;
#[cfg(feature = "alloc")]
mod sign;
mod thumbprint;

#[cfg(feature = "std")]
pub use claims::unix_now;
pub use claims::{Audiences, Claims, Validation};
pub use compact::{inspect, verify_jws, verify_jwt, Inspected, Jwt, Verified};
pub use error::Error;
pub use header::Kid;
pub use keys::{Curve, KeySource, VerifyingKey};
#[cfg(feature = "alloc")]
pub use keys::{Jwk, KeySet};
use mac::hmac;
#[cfg(feature = "alloc")]
pub use mac::HmacSecret;
#[cfg(feature = "alloc")]
pub use sign::{sign, sign_to_string, signed_len_upper, SigningKey};
pub use thumbprint::thumbprint;
#[cfg(feature = "alloc")]
pub use thumbprint::thumbprint_string;

/// Size caps. Everything larger is refused before any work.
pub mod limits {
    /// Longest compact token accepted, in bytes (64 KiB: Keycloak access tokens with many
    /// roles are a few KiB).
    pub const MAX_TOKEN_LEN: usize = 64 * 1024;
    /// Longest decoded signature (RSA-8192, the largest modulus ring verifies).
    pub const MAX_SIGNATURE_LEN: usize = 1024;
    /// Longest JWK Set document accepted by [`KeySet::from_json`](super::KeySet::from_json).
    pub const MAX_JWKS_LEN: usize = 1024 * 1024;
    /// Most keys a [`KeySet`](super::KeySet) keeps (after skipping unusable ones).
    pub const MAX_KEYS: usize = 256;
    /// Largest header [`sign`](super::sign) accepts, in bytes.
    pub const MAX_SIGN_HEADER_LEN: usize = 4096;
    /// Most JSON tokens in a header [`sign`](super::sign) accepts (it parses on the stack).
    pub const MAX_SIGN_HEADER_TOKENS: usize = 128;
}

/// Bytes of scratch [`verify_jws`]/[`verify_jwt`] need for a token of `token_len` bytes:
/// room for the decoded header and payload.
#[must_use]
pub const fn scratch_len(token_len: usize) -> usize {
    token_len / 4 * 3 + 3
}

/// Entries of a slice-backed [`Tape`](crate::json::Tape) that always suffice for a token of
/// `token_len` bytes (header and claims are parsed one after the other on the same tape).
#[must_use]
pub const fn tape_len(token_len: usize) -> usize {
    crate::json::Tape::required_len(scratch_len(token_len))
}

/// A JWS algorithm (RFC 7518 §3.1, RFC 8037 §3.1). There is no `none`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Algorithm {
    /// HMAC-SHA-256.
    Hs256,
    /// HMAC-SHA-384.
    Hs384,
    /// HMAC-SHA-512.
    Hs512,
    /// RSASSA-PKCS1-v1_5 with SHA-256.
    Rs256,
    /// RSASSA-PKCS1-v1_5 with SHA-384.
    Rs384,
    /// RSASSA-PKCS1-v1_5 with SHA-512.
    Rs512,
    /// RSASSA-PSS with SHA-256 (MGF1 SHA-256, 32-byte salt).
    Ps256,
    /// RSASSA-PSS with SHA-384.
    Ps384,
    /// RSASSA-PSS with SHA-512.
    Ps512,
    /// ECDSA P-256 with SHA-256, signature `r‖s` (64 bytes).
    Es256,
    /// ECDSA P-384 with SHA-384, signature `r‖s` (96 bytes).
    Es384,
    /// EdDSA over Ed25519.
    EdDsa,
}

/// The kind of key an algorithm uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Oct,
    Rsa,
    Ec(Curve),
    Ed25519,
}

impl Algorithm {
    /// Every algorithm, in RFC 7518's order.
    pub const ALL: [Algorithm; 12] = [
        Self::Hs256,
        Self::Hs384,
        Self::Hs512,
        Self::Rs256,
        Self::Rs384,
        Self::Rs512,
        Self::Ps256,
        Self::Ps384,
        Self::Ps512,
        Self::Es256,
        Self::Es384,
        Self::EdDsa,
    ];

    /// The `alg` name (`"HS256"`, ..., `"EdDSA"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Hs256 => "HS256",
            Self::Hs384 => "HS384",
            Self::Hs512 => "HS512",
            Self::Rs256 => "RS256",
            Self::Rs384 => "RS384",
            Self::Rs512 => "RS512",
            Self::Ps256 => "PS256",
            Self::Ps384 => "PS384",
            Self::Ps512 => "PS512",
            Self::Es256 => "ES256",
            Self::Es384 => "ES384",
            Self::EdDsa => "EdDSA",
        }
    }

    /// The algorithm with this exact (case-sensitive) name; `None` for anything else,
    /// `none` in every spelling included.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.name() == name)
    }

    pub(crate) const fn key_kind(self) -> KeyKind {
        match self {
            Self::Hs256 | Self::Hs384 | Self::Hs512 => KeyKind::Oct,
            Self::Rs256 | Self::Rs384 | Self::Rs512 | Self::Ps256 | Self::Ps384 | Self::Ps512 => KeyKind::Rsa,
            Self::Es256 => KeyKind::Ec(Curve::P256),
            Self::Es384 => KeyKind::Ec(Curve::P384),
            Self::EdDsa => KeyKind::Ed25519,
        }
    }

    /// HMAC output length, the least `oct` key length usable (RFC 7518 §3.2).
    pub(crate) const fn hmac_len(self) -> usize {
        match self {
            Self::Hs256 => 32,
            Self::Hs384 => 48,
            Self::Hs512 => 64,
            _ => 0,
        }
    }
}

impl core::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

impl core::str::FromStr for Algorithm {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self, Error> {
        Self::from_name(s).ok_or(Error::AlgNotAllowed)
    }
}
