//! Signing compact JWS (RFC 7515 §5.1) with private JWKs.
//!
//! HS*, RS* and EdDSA are deterministic (the `jws_sign` vectors are reproduced byte for
//! byte); PS* and ES* draw from the OS (ring's `SystemRandom`). RSA and ECDSA need `std`.

use alloc::string::String;
use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::keys::owned::{b64_member, key_alg, string_member, usage_allows, KeyAlg};
#[cfg(feature = "std")]
use super::Curve;
use super::{b64, limits, Algorithm, Error, KeyKind};
use crate::json::{self, Dialect, Kind, Node, Tape, Value};

/// Reads one base64url member of the JWK being loaded.
type Member<'m> = dyn Fn(&str) -> Result<Zeroizing<Vec<u8>>, Error> + 'm;

enum Secret {
    Oct(Zeroizing<Vec<u8>>),
    Ed25519(ring::signature::Ed25519KeyPair),
    #[cfg(feature = "std")]
    Rsa(ring::rsa::KeyPair),
    #[cfg(feature = "std")]
    Ec(ring::signature::EcdsaKeyPair, Curve),
}

/// A private JWK ready to sign: `oct` (`k`), `OKP` Ed25519 (`d`, `x`), and with `std`, `RSA`
/// (`n`, `e`, `d`, `p`, `q`, `dp`, `dq`, `qi`) and `EC` P-256/P-384 (`d`, `x`, `y`).
/// Secrets are wiped on drop (ring wipes its own key pairs) and never printed.
pub struct SigningKey {
    kid: Option<String>,
    alg: KeyAlg,
    secret: Secret,
}

impl core::fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("SigningKey").field("kid", &self.kid).field("kind", &self.kind()).finish_non_exhaustive()
    }
}

impl SigningKey {
    /// Reads a private JWK document. [`Error::InvalidKey`] when it is not a JWK of a type
    /// payseal signs with, lacks private members, its `use` is not `sig` or its `key_ops`
    /// lacks `sign`, or ring rejects the key (RSA under 2048 bits, inconsistent components).
    pub fn from_jwk(json: &[u8]) -> Result<Self, Error> {
        let mut tape = Tape::new();
        let doc = json::parse(json, Dialect::Js, &mut tape).map_err(|_| Error::InvalidKey)?;
        Self::from_value(doc.root())
    }

    /// Reads a parsed private JWK (see [`SigningKey::from_jwk`]).
    pub fn from_value(v: Value<'_>) -> Result<Self, Error> {
        let bad = |()| Error::InvalidKey;
        if v.kind() != Kind::Object || !usage_allows(v, "sign").map_err(bad)? {
            return Err(Error::InvalidKey);
        }
        let alg = key_alg(v).map_err(bad)?;
        let kid = string_member(v, "kid").map_err(bad)?;
        let kty = v.get("kty").ok_or(Error::InvalidKey)?;
        let member = |name: &str| b64_member(v, name).map(Zeroizing::new).map_err(|()| Error::InvalidKey);
        let secret = if kty.str_eq("oct") {
            let k = member("k")?;
            if k.is_empty() {
                return Err(Error::InvalidKey);
            }
            Secret::Oct(k)
        } else if kty.str_eq("OKP") && v.get("crv").is_some_and(|c| c.str_eq("Ed25519")) {
            let (d, x) = (member("d")?, member("x")?);
            let pair =
                ring::signature::Ed25519KeyPair::from_seed_and_public_key(&d, &x).map_err(|_| Error::InvalidKey)?;
            Secret::Ed25519(pair)
        } else {
            Self::rsa_or_ec(v, kty, &member)?
        };
        Ok(Self { kid, alg, secret })
    }

    #[cfg(feature = "std")]
    fn rsa_or_ec(v: Value<'_>, kty: Value<'_>, member: &Member<'_>) -> Result<Secret, Error> {
        use ring::rsa::{KeyPairComponents, PublicKeyComponents};
        if kty.str_eq("RSA") {
            let c = KeyPairComponents {
                public_key: PublicKeyComponents { n: member("n")?, e: member("e")? },
                d: member("d")?,
                p: member("p")?,
                q: member("q")?,
                dP: member("dp")?,
                dQ: member("dq")?,
                qInv: member("qi")?,
            };
            let pair = ring::rsa::KeyPair::from_components(&c).map_err(|_| Error::InvalidKey)?;
            // ring checks `dP`, `dQ` against `e` and `n` only when signing: sign once now, so
            // that an inconsistent key is refused here rather than failing every signature
            // (found by the `jose` fuzz target).
            let mut probe = alloc::vec![0u8; ring::signature::KeyPair::public_key(&pair).modulus_len()];
            let rng = ring::rand::SystemRandom::new();
            pair.sign(&ring::signature::RSA_PKCS1_SHA256, &rng, b"payseal key check", &mut probe)
                .map_err(|_| Error::InvalidKey)?;
            return Ok(Secret::Rsa(pair));
        }
        if kty.str_eq("EC") {
            let crv = v.get("crv").ok_or(Error::InvalidKey)?;
            let (curve, alg) = if crv.str_eq("P-256") {
                (Curve::P256, &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING)
            } else if crv.str_eq("P-384") {
                (Curve::P384, &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING)
            } else {
                return Err(Error::InvalidKey);
            };
            let (d, x, y) = (member("d")?, member("x")?, member("y")?);
            if x.len() != curve.field_len() || y.len() != curve.field_len() {
                return Err(Error::InvalidKey);
            }
            let mut point = Vec::with_capacity(1 + 2 * x.len());
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            let rng = ring::rand::SystemRandom::new();
            let pair = ring::signature::EcdsaKeyPair::from_private_key_and_public_key(alg, &d, &point, &rng)
                .map_err(|_| Error::InvalidKey)?;
            return Ok(Secret::Ec(pair, curve));
        }
        Err(Error::InvalidKey)
    }

    #[cfg(not(feature = "std"))]
    fn rsa_or_ec(_v: Value<'_>, _kty: Value<'_>, _member: &Member<'_>) -> Result<Secret, Error> {
        Err(Error::InvalidKey)
    }

    /// The `kid`, if the JWK has one.
    #[must_use]
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    fn kind(&self) -> KeyKind {
        match &self.secret {
            Secret::Oct(_) => KeyKind::Oct,
            Secret::Ed25519(_) => KeyKind::Ed25519,
            #[cfg(feature = "std")]
            Secret::Rsa(_) => KeyKind::Rsa,
            #[cfg(feature = "std")]
            Secret::Ec(_, c) => KeyKind::Ec(*c),
        }
    }

    /// True when this key can sign with `alg` (type, curve, `oct` length, the JWK's `alg`).
    #[must_use]
    pub fn fits(&self, alg: Algorithm) -> bool {
        let size_ok = match &self.secret {
            Secret::Oct(k) => k.len() >= alg.hmac_len(),
            _ => true,
        };
        self.kind() == alg.key_kind() && self.alg.allows(alg) && size_ok
    }

    /// The algorithm this key signs with when the caller names none (what every binding's
    /// `sign_jwt` uses): the JWK's own `alg` when it has one (the only algorithm it then fits),
    /// else its type's usual one (`oct` HS256, `RSA` RS256; EC and Ed25519 keys fit one
    /// algorithm only). `None` when it fits none (an `oct` key shorter than HS256's 32 bytes).
    #[must_use]
    pub fn default_algorithm(&self) -> Option<Algorithm> {
        let mut fitting = Algorithm::ALL.into_iter().filter(|a| self.fits(*a));
        match (fitting.next(), fitting.next()) {
            (Some(only), None) => Some(only),
            (None, _) => None,
            (Some(_), Some(_)) => [Algorithm::Hs256, Algorithm::Rs256].into_iter().find(|a| self.fits(*a)),
        }
    }

    /// The signature's length with `alg`.
    fn signature_len(&self, alg: Algorithm) -> usize {
        match &self.secret {
            Secret::Oct(_) => alg.hmac_len(),
            Secret::Ed25519(_) => 64,
            #[cfg(feature = "std")]
            Secret::Rsa(pair) => ring::signature::KeyPair::public_key(pair).modulus_len(),
            #[cfg(feature = "std")]
            Secret::Ec(_, c) => 2 * c.field_len(),
        }
    }

    fn sign_into(&self, alg: Algorithm, message: &[u8], out: &mut [u8]) -> Result<(), Error> {
        match &self.secret {
            Secret::Oct(k) => {
                let mut tag = Zeroizing::new([0u8; 64]);
                let n = super::hmac(alg, k, message, &mut tag);
                out.copy_from_slice(&tag[..n]);
            }
            Secret::Ed25519(pair) => out.copy_from_slice(pair.sign(message).as_ref()),
            #[cfg(feature = "std")]
            Secret::Rsa(pair) => {
                use ring::signature as s;
                let padding: &'static dyn s::RsaEncoding = match alg {
                    Algorithm::Rs256 => &s::RSA_PKCS1_SHA256,
                    Algorithm::Rs384 => &s::RSA_PKCS1_SHA384,
                    Algorithm::Rs512 => &s::RSA_PKCS1_SHA512,
                    Algorithm::Ps256 => &s::RSA_PSS_SHA256,
                    Algorithm::Ps384 => &s::RSA_PSS_SHA384,
                    _ => &s::RSA_PSS_SHA512,
                };
                let rng = ring::rand::SystemRandom::new();
                pair.sign(padding, &rng, message, out).map_err(|_| Error::Randomness)?;
            }
            #[cfg(feature = "std")]
            Secret::Ec(pair, _) => {
                let rng = ring::rand::SystemRandom::new();
                let sig = pair.sign(&rng, message).map_err(|_| Error::Randomness)?;
                out.copy_from_slice(sig.as_ref());
            }
        }
        Ok(())
    }
}

/// An upper bound of the token [`sign`] writes for a `header_len`-byte header and a
/// `payload_len`-byte payload with `key` (exact for every algorithm but the largest RSA).
#[must_use]
pub fn signed_len_upper(header_len: usize, payload_len: usize, key: &SigningKey) -> usize {
    let sig = Algorithm::ALL.into_iter().filter(|a| key.fits(*a)).map(|a| key.signature_len(a)).max().unwrap_or(0);
    b64::encoded_len(header_len) + 1 + b64::encoded_len(payload_len) + 1 + b64::encoded_len(sig)
}

/// Signs `payload` under the protected `header` (its exact JSON text, which is what gets
/// encoded) with `key`, writing the compact token into `out`; returns its length.
///
/// The header must be a JSON object (at most [`limits::MAX_SIGN_HEADER_LEN`] bytes) whose
/// string `alg` names an [`Algorithm`] the key [fits](SigningKey::fits) (else
/// [`Error::AlgNotAllowed`] for an unknown name, [`Error::InvalidKey`] for the wrong key),
/// without `crit` ([`Error::CritUnsupported`]).
pub fn sign(header: &[u8], payload: &[u8], key: &SigningKey, out: &mut [u8]) -> Result<usize, Error> {
    if header.len() > limits::MAX_SIGN_HEADER_LEN {
        return Err(Error::TooLarge);
    }
    let mut nodes = [Node::default(); limits::MAX_SIGN_HEADER_TOKENS];
    let mut tape = Tape::from_slice(&mut nodes);
    let doc = json::parse(header, Dialect::Js, &mut tape).map_err(|e| match e {
        json::Error::ScratchTooSmall { .. } => Error::TooLarge,
        _ => Error::Malformed,
    })?;
    let root = doc.root();
    if root.kind() != Kind::Object {
        return Err(Error::Malformed);
    }
    let alg_v = root.get("alg").filter(|a| a.kind() == Kind::String).ok_or(Error::Malformed)?;
    if root.get("crit").is_some() {
        return Err(Error::CritUnsupported);
    }
    let alg = Algorithm::ALL.into_iter().find(|a| alg_v.str_eq(a.name())).ok_or(Error::AlgNotAllowed)?;
    if !key.fits(alg) {
        return Err(Error::InvalidKey);
    }
    let (h, p, s) = (b64::encoded_len(header.len()), b64::encoded_len(payload.len()), key.signature_len(alg));
    let needed = h + 1 + p + 1 + b64::encoded_len(s);
    if out.len() < needed {
        return Err(Error::BufferTooSmall { needed });
    }
    b64::encode(header, out);
    out[h] = b'.';
    b64::encode(payload, &mut out[h + 1..]);
    out[h + 1 + p] = b'.';
    let mut sig = Zeroizing::new([0u8; limits::MAX_SIGNATURE_LEN]);
    let sig = &mut sig[..s];
    let (input, rest) = out.split_at_mut(h + 1 + p);
    key.sign_into(alg, input, sig)?;
    b64::encode(sig, &mut rest[1..]);
    Ok(needed)
}

/// [`sign`] into a new `String`.
pub fn sign_to_string(header: &[u8], payload: &[u8], key: &SigningKey) -> Result<String, Error> {
    let mut out = alloc::vec![0u8; signed_len_upper(header.len(), payload.len(), key)];
    let n = sign(header, payload, key, &mut out)?;
    out.truncate(n);
    String::from_utf8(out).map_err(|_| Error::Malformed)
}
