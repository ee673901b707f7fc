//! Verification keys: one borrowed [`VerifyingKey`], and (with `alloc`) JWKs and JWK Sets
//! (RFC 7517) parsed once.
//!
//! Which keys are usable for a token (the `jws.jsonl` rules): the algorithm's key type
//! (`oct`; `RSA`; `EC` with the algorithm's `crv`; `OKP` `Ed25519`), the token's `kid` when it
//! has one (exact match), and a key is unusable when its `use` is not `sig`, its `key_ops`
//! lacks `verify`, its own `alg` differs from the token's, its RSA modulus is under 2048 bits
//! (or over ring's 8192), or an `oct` key is shorter than the hash (RFC 7518 §3.2). Without a
//! `kid`, more than one usable key is ambiguous ([`Error::KeyNotFound`]).

use ring::signature::{self as sig, UnparsedPublicKey};

use super::Kid;
use super::{Algorithm, Error, KeyKind};

/// An elliptic curve of JWS ECDSA.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Curve {
    /// NIST P-256 (`ES256`).
    P256,
    /// NIST P-384 (`ES384`).
    P384,
}

impl Curve {
    /// The JWK `crv` name.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::P256 => "P-256",
            Self::P384 => "P-384",
        }
    }

    /// Bytes of one coordinate (and of `r`, `s` and `d`).
    #[must_use]
    pub const fn field_len(self) -> usize {
        match self {
            Self::P256 => 32,
            Self::P384 => 48,
        }
    }
}

/// One public (or secret, for HMAC) key, borrowed: what a [`KeySource`] hands the verifier.
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum VerifyingKey<'k> {
    /// An HMAC secret (`oct`).
    Oct(&'k [u8]),
    /// An HMAC secret with precomputed key schedules (what a [`KeySet`] holds).
    #[cfg(feature = "alloc")]
    Hmac(&'k super::HmacSecret),
    /// An RSA public key: modulus and exponent, big-endian.
    #[cfg(feature = "alloc")]
    Rsa {
        /// Modulus.
        n: &'k [u8],
        /// Public exponent.
        e: &'k [u8],
    },
    /// An uncompressed EC point `04‖x‖y`.
    Ec {
        /// The curve.
        curve: Curve,
        /// `04‖x‖y`.
        point: &'k [u8],
    },
    /// An Ed25519 public key (32 bytes).
    Ed25519(&'k [u8]),
}

impl core::fmt::Debug for VerifyingKey<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Oct(k) => f.debug_struct("Oct").field("len", &k.len()).finish_non_exhaustive(),
            #[cfg(feature = "alloc")]
            Self::Hmac(k) => f.debug_struct("Oct").field("len", &k.len()).finish_non_exhaustive(),
            #[cfg(feature = "alloc")]
            Self::Rsa { n, .. } => f.debug_struct("Rsa").field("bits", &rsa_bits(n)).finish_non_exhaustive(),
            Self::Ec { curve, .. } => f.debug_struct("Ec").field("curve", curve).finish_non_exhaustive(),
            Self::Ed25519(_) => f.write_str("Ed25519"),
        }
    }
}

/// Bits of a big-endian integer (leading zero bytes ignored).
#[cfg(feature = "alloc")]
pub(crate) fn rsa_bits(n: &[u8]) -> usize {
    let n = strip_zeros(n);
    n.first().map_or(0, |&b| (n.len() - 1) * 8 + (8 - b.leading_zeros() as usize))
}

#[cfg(feature = "alloc")]
fn strip_zeros(n: &[u8]) -> &[u8] {
    let z = n.iter().take_while(|&&b| b == 0).count();
    &n[z..]
}

impl VerifyingKey<'_> {
    pub(crate) fn kind(&self) -> KeyKind {
        match self {
            Self::Oct(_) => KeyKind::Oct,
            #[cfg(feature = "alloc")]
            Self::Hmac(_) => KeyKind::Oct,
            #[cfg(feature = "alloc")]
            Self::Rsa { .. } => KeyKind::Rsa,
            Self::Ec { curve, .. } => KeyKind::Ec(*curve),
            Self::Ed25519(_) => KeyKind::Ed25519,
        }
    }

    /// True when this key can verify `alg` (type, curve and size; not `kid`, `use`, `alg`).
    #[must_use]
    pub fn fits(&self, alg: Algorithm) -> bool {
        if self.kind() != alg.key_kind() {
            return false;
        }
        match self {
            Self::Oct(k) => k.len() >= alg.hmac_len(),
            #[cfg(feature = "alloc")]
            Self::Hmac(k) => k.len() >= alg.hmac_len(),
            #[cfg(feature = "alloc")]
            Self::Rsa { n, .. } => (2048..=8192).contains(&rsa_bits(n)),
            _ => true,
        }
    }

    /// Verifies `signature` over `message` (the JWS signing input) with `alg`, which the key
    /// must [fit](Self::fits) (else [`Error::KeyNotFound`]).
    pub fn verify(&self, alg: Algorithm, message: &[u8], signature: &[u8]) -> Result<(), Error> {
        if !self.fits(alg) {
            return Err(Error::KeyNotFound);
        }
        let ok = match *self {
            Self::Oct(key) => {
                let mut tag = [0u8; 64];
                let n = super::hmac(alg, key, message, &mut tag);
                let same = n == alg.hmac_len() && crate::ct::eq(&tag[..n], signature);
                zeroize::Zeroize::zeroize(&mut tag);
                same
            }
            #[cfg(feature = "alloc")]
            Self::Hmac(key) => {
                let mut tag = [0u8; 64];
                let n = key.mac(alg, message, &mut tag);
                let same = n == alg.hmac_len() && crate::ct::eq(&tag[..n], signature);
                zeroize::Zeroize::zeroize(&mut tag);
                same
            }
            #[cfg(feature = "alloc")]
            Self::Rsa { n, e } => {
                let params: &sig::RsaParameters = match alg {
                    Algorithm::Rs256 => &sig::RSA_PKCS1_2048_8192_SHA256,
                    Algorithm::Rs384 => &sig::RSA_PKCS1_2048_8192_SHA384,
                    Algorithm::Rs512 => &sig::RSA_PKCS1_2048_8192_SHA512,
                    Algorithm::Ps256 => &sig::RSA_PSS_2048_8192_SHA256,
                    Algorithm::Ps384 => &sig::RSA_PSS_2048_8192_SHA384,
                    _ => &sig::RSA_PSS_2048_8192_SHA512,
                };
                sig::RsaPublicKeyComponents { n: strip_zeros(n), e: strip_zeros(e) }
                    .verify(params, message, signature)
                    .is_ok()
            }
            Self::Ec { curve, point } => {
                let params = match curve {
                    Curve::P256 => &sig::ECDSA_P256_SHA256_FIXED,
                    Curve::P384 => &sig::ECDSA_P384_SHA384_FIXED,
                };
                UnparsedPublicKey::new(params, point).verify(message, signature).is_ok()
            }
            Self::Ed25519(x) => UnparsedPublicKey::new(&sig::ED25519, x).verify(message, signature).is_ok(),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::BadSignature)
        }
    }
}

/// Where the verifier finds the key for a token: a [`KeySet`], or one [`VerifyingKey`].
pub trait KeySource {
    /// The single usable key for `alg` and the header's `kid` (a JSON string), or
    /// [`Error::KeyNotFound`].
    fn select(&self, alg: Algorithm, kid: Option<Kid<'_>>) -> Result<VerifyingKey<'_>, Error>;
}

/// One key given by the caller: usable when it fits the algorithm; `kid` is not compared.
impl KeySource for VerifyingKey<'_> {
    fn select(&self, alg: Algorithm, _kid: Option<Kid<'_>>) -> Result<VerifyingKey<'_>, Error> {
        if self.fits(alg) {
            Ok(*self)
        } else {
            Err(Error::KeyNotFound)
        }
    }
}

#[cfg(feature = "alloc")]
pub use owned::{Jwk, KeySet};

#[cfg(feature = "alloc")]
pub(crate) mod owned {
    use alloc::string::String;
    use alloc::vec::Vec;

    use zeroize::Zeroizing;

    use super::super::{b64, limits, Algorithm, Error, KeyKind};
    use super::{rsa_bits, Curve, KeySource, Kid, VerifyingKey};
    use crate::json::{self, Dialect, Kind, Tape, Value};

    /// A JWK's own `alg`: absent (any algorithm of its type), one algorithm, or a name that is
    /// not a JWS algorithm (`RSA-OAEP`: never usable for signatures).
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub(crate) enum KeyAlg {
        Any,
        Only(Algorithm),
        Other,
    }

    impl KeyAlg {
        pub(crate) fn allows(self, alg: Algorithm) -> bool {
            match self {
                Self::Any => true,
                Self::Only(a) => a == alg,
                Self::Other => false,
            }
        }
    }

    #[derive(Clone)]
    pub(crate) enum Material {
        Oct(alloc::boxed::Box<super::super::HmacSecret>),
        Rsa { n: Vec<u8>, e: Vec<u8> },
        Ec { curve: Curve, point: Vec<u8> },
        Ed25519([u8; 32]),
    }

    /// One JWK (public part; an `oct` secret is wiped on drop and never printed).
    #[derive(Clone)]
    pub struct Jwk {
        kid: Option<String>,
        alg: KeyAlg,
        /// `use` absent or `sig`, and `key_ops` absent or containing `verify`.
        for_verify: bool,
        material: Material,
        thumbprint: [u8; 32],
    }

    impl core::fmt::Debug for Jwk {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("Jwk")
                .field("kid", &self.kid)
                .field("kty", &self.key_type())
                .field("key", &self.verifying_key())
                .finish_non_exhaustive()
        }
    }

    /// A string member, decoded (escapes allowed); `Err` when present and not a UTF-8 string.
    pub(crate) fn string_member(obj: Value<'_>, name: &str) -> Result<Option<String>, ()> {
        let Some(v) = obj.get(name) else { return Ok(None) };
        let raw_len = v.raw().map_or(0, <[u8]>::len);
        let mut buf = alloc::vec![0u8; raw_len];
        let n = v.decode_str(&mut buf).ok_or(())?.map_err(|_| ())?;
        buf.truncate(n);
        String::from_utf8(buf).map(Some).map_err(|_| ())
    }

    /// A base64url member (canonical, unescaped), decoded.
    pub(crate) fn b64_member(obj: Value<'_>, name: &str) -> Result<Vec<u8>, ()> {
        let text = obj.get(name).and_then(|v| v.as_str()).ok_or(())?;
        let mut out = alloc::vec![0u8; b64::decoded_len(text.as_bytes()).map_err(|_| ())?];
        b64::decode(text.as_bytes(), &mut out).map_err(|_| ())?;
        Ok(out)
    }

    /// The key type and material of a JWK; `Ok(None)` for a type payseal does not use
    /// (unknown `kty`, another `crv`); `Err` for a known type with broken members.
    pub(crate) fn material(v: Value<'_>) -> Result<Option<Material>, ()> {
        let kty = v.get("kty").ok_or(())?;
        if kty.kind() != Kind::String {
            return Err(());
        }
        if kty.str_eq("oct") {
            let k = Zeroizing::new(b64_member(v, "k")?);
            return if k.is_empty() {
                Err(())
            } else {
                Ok(Some(Material::Oct(alloc::boxed::Box::new(super::super::HmacSecret::new(&k)))))
            };
        }
        if kty.str_eq("RSA") {
            let (n, e) = (b64_member(v, "n")?, b64_member(v, "e")?);
            let e_bits = rsa_bits(&e);
            if !(2..=33).contains(&e_bits) || e.last().is_none_or(|b| b & 1 == 0) {
                return Err(());
            }
            return Ok(Some(Material::Rsa { n, e }));
        }
        if kty.str_eq("EC") {
            let crv = v.get("crv").ok_or(())?;
            let curve = if crv.str_eq("P-256") {
                Curve::P256
            } else if crv.str_eq("P-384") {
                Curve::P384
            } else {
                return Ok(None);
            };
            let (x, y) = (b64_member(v, "x")?, b64_member(v, "y")?);
            if x.len() != curve.field_len() || y.len() != curve.field_len() {
                return Err(());
            }
            let mut point = Vec::with_capacity(1 + 2 * x.len());
            point.push(4);
            point.extend_from_slice(&x);
            point.extend_from_slice(&y);
            return Ok(Some(Material::Ec { curve, point }));
        }
        if kty.str_eq("OKP") {
            if !v.get("crv").is_some_and(|c| c.str_eq("Ed25519")) {
                return Ok(None);
            }
            let x: [u8; 32] = b64_member(v, "x")?.try_into().map_err(|_| ())?;
            return Ok(Some(Material::Ed25519(x)));
        }
        Ok(None)
    }

    /// `use` (absent or `sig`) and `key_ops` (absent or containing `op`); `Err` when their
    /// types are wrong.
    pub(crate) fn usage_allows(v: Value<'_>, op: &str) -> Result<bool, ()> {
        let use_ok = match v.get("use") {
            None => true,
            Some(u) if u.kind() == Kind::String => u.str_eq("sig"),
            Some(_) => return Err(()),
        };
        let ops_ok = match v.get("key_ops") {
            None => true,
            Some(ops) if ops.kind() == Kind::Array => {
                if ops.elements().any(|o| o.kind() != Kind::String) {
                    return Err(());
                }
                ops.elements().any(|o| o.str_eq(op))
            }
            Some(_) => return Err(()),
        };
        Ok(use_ok && ops_ok)
    }

    pub(crate) fn key_alg(v: Value<'_>) -> Result<KeyAlg, ()> {
        match v.get("alg") {
            None => Ok(KeyAlg::Any),
            Some(a) if a.kind() == Kind::String => {
                Ok(Algorithm::ALL.into_iter().find(|x| a.str_eq(x.name())).map_or(KeyAlg::Other, KeyAlg::Only))
            }
            Some(_) => Err(()),
        }
    }

    impl Jwk {
        /// Reads one JWK (a JSON object). `Ok(None)` for a key type payseal does not use
        /// (`kty` unknown, a curve other than P-256/P-384/Ed25519); [`Error::InvalidKey`] for
        /// a known type whose members are missing, of the wrong type, or not canonical
        /// base64url. Private members (`d`, ...) are ignored.
        pub fn from_value(v: Value<'_>) -> Result<Option<Self>, Error> {
            if v.kind() != Kind::Object {
                return Err(Error::InvalidKey);
            }
            let Some(material) = material(v).map_err(|()| Error::InvalidKey)? else { return Ok(None) };
            let for_verify = usage_allows(v, "verify").map_err(|()| Error::InvalidKey)?;
            let alg = key_alg(v).map_err(|()| Error::InvalidKey)?;
            let kid = string_member(v, "kid").map_err(|()| Error::InvalidKey)?;
            let thumbprint = super::super::thumbprint(v)?;
            Ok(Some(Self { kid, alg, for_verify, material, thumbprint }))
        }

        /// Parses one JWK document (see [`Jwk::from_value`]); a key type payseal does not use
        /// is [`Error::InvalidKey`] here.
        pub fn from_json(json: &[u8]) -> Result<Self, Error> {
            let mut tape = Tape::new();
            let doc = json::parse(json, Dialect::Js, &mut tape).map_err(|_| Error::InvalidKey)?;
            Self::from_value(doc.root())?.ok_or(Error::InvalidKey)
        }

        /// The `kid`, if any.
        #[must_use]
        pub fn kid(&self) -> Option<&str> {
            self.kid.as_deref()
        }

        /// The key's own `alg`, when it names a JWS algorithm.
        #[must_use]
        pub fn algorithm(&self) -> Option<Algorithm> {
            match self.alg {
                KeyAlg::Only(a) => Some(a),
                _ => None,
            }
        }

        /// `kty` (`"oct"`, `"RSA"`, `"EC"`, `"OKP"`).
        #[must_use]
        pub fn key_type(&self) -> &'static str {
            match self.material {
                Material::Oct(_) => "oct",
                Material::Rsa { .. } => "RSA",
                Material::Ec { .. } => "EC",
                Material::Ed25519(_) => "OKP",
            }
        }

        /// The RFC 7638 thumbprint (SHA-256 of the required members).
        #[must_use]
        pub fn thumbprint(&self) -> [u8; 32] {
            self.thumbprint
        }

        /// The key material, borrowed.
        #[must_use]
        pub fn verifying_key(&self) -> VerifyingKey<'_> {
            match &self.material {
                Material::Oct(k) => VerifyingKey::Hmac(k),
                Material::Rsa { n, e } => VerifyingKey::Rsa { n, e },
                Material::Ec { curve, point } => VerifyingKey::Ec { curve: *curve, point },
                Material::Ed25519(x) => VerifyingKey::Ed25519(x),
            }
        }

        /// True when this key may verify a token signed with `alg` (type, size, `use`,
        /// `key_ops`, `alg`); `kid` is the caller's business.
        #[must_use]
        pub fn usable_for(&self, alg: Algorithm) -> bool {
            self.for_verify && self.alg.allows(alg) && self.verifying_key().fits(alg)
        }

        pub(crate) fn kind(&self) -> KeyKind {
            self.verifying_key().kind()
        }
    }

    /// A JWK Set (RFC 7517 §5), parsed once. Keys payseal cannot use for verification
    /// (unknown `kty`, other curves, `use` other than `sig`, `key_ops` without `verify`,
    /// RSA under 2048 bits, broken members) are skipped, never an error of the whole set:
    /// Keycloak publishes an `RSA-OAEP` encryption key next to its signing keys.
    #[derive(Clone, Default)]
    pub struct KeySet {
        keys: Vec<Jwk>,
        skipped: usize,
    }

    impl core::fmt::Debug for KeySet {
        fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.debug_struct("KeySet").field("keys", &self.keys).field("skipped", &self.skipped).finish()
        }
    }

    impl KeySet {
        /// Parses `{"keys": [...]}`. [`Error::InvalidKey`] when the document is not JSON, not
        /// an object with a `keys` array, or larger than [`limits::MAX_JWKS_LEN`]; keys beyond
        /// [`limits::MAX_KEYS`] usable ones are [`Error::TooLarge`].
        pub fn from_json(json: &[u8]) -> Result<Self, Error> {
            if json.len() > limits::MAX_JWKS_LEN {
                return Err(Error::TooLarge);
            }
            let mut tape = Tape::new();
            let doc = json::parse(json, Dialect::Js, &mut tape).map_err(|_| Error::InvalidKey)?;
            Self::from_value(doc.root())
        }

        /// Reads a parsed JWK Set (see [`KeySet::from_json`]).
        pub fn from_value(set: Value<'_>) -> Result<Self, Error> {
            let keys = set.get("keys").filter(|k| k.kind() == Kind::Array).ok_or(Error::InvalidKey)?;
            let mut out = Self::default();
            for v in keys.elements() {
                match Jwk::from_value(v) {
                    Ok(Some(k)) if k.for_verify && !matches!(k.alg, KeyAlg::Other) && k.fits_any() => {
                        if out.keys.len() == limits::MAX_KEYS {
                            return Err(Error::TooLarge);
                        }
                        out.keys.push(k);
                    }
                    _ => out.skipped += 1,
                }
            }
            Ok(out)
        }

        /// A set of the given keys (no filtering: unusable keys simply never match).
        #[must_use]
        pub fn from_keys(keys: Vec<Jwk>) -> Self {
            Self { keys, skipped: 0 }
        }

        /// The keys kept.
        #[must_use]
        pub fn keys(&self) -> &[Jwk] {
            &self.keys
        }

        /// How many entries of the document were skipped.
        #[must_use]
        pub fn skipped(&self) -> usize {
            self.skipped
        }

        /// Number of keys kept.
        #[must_use]
        pub fn len(&self) -> usize {
            self.keys.len()
        }

        /// True when no key was kept.
        #[must_use]
        pub fn is_empty(&self) -> bool {
            self.keys.is_empty()
        }

        /// The key with this `kid`, if exactly one has it.
        #[must_use]
        pub fn get(&self, kid: &str) -> Option<&Jwk> {
            let mut it = self.keys.iter().filter(|k| k.kid() == Some(kid));
            let first = it.next()?;
            it.next().is_none().then_some(first)
        }
    }

    impl Jwk {
        /// Some algorithm could use this key (RSA size within ring's range).
        fn fits_any(&self) -> bool {
            match &self.material {
                Material::Rsa { n, .. } => (2048..=8192).contains(&rsa_bits(n)),
                _ => true,
            }
        }
    }

    impl KeySource for KeySet {
        fn select(&self, alg: Algorithm, kid: Option<Kid<'_>>) -> Result<VerifyingKey<'_>, Error> {
            let kind = alg.key_kind();
            let mut found: Option<&Jwk> = None;
            for k in &self.keys {
                if k.kind() != kind || !k.usable_for(alg) {
                    continue;
                }
                if let Some(want) = kid {
                    match k.kid() {
                        Some(have) if want.str_eq(have) => {}
                        _ => continue,
                    }
                }
                if found.is_some() {
                    return Err(Error::KeyNotFound);
                }
                found = Some(k);
            }
            found.map(Jwk::verifying_key).ok_or(Error::KeyNotFound)
        }
    }

    impl KeySource for Jwk {
        fn select(&self, alg: Algorithm, kid: Option<Kid<'_>>) -> Result<VerifyingKey<'_>, Error> {
            // One key given by the caller: a `kid` on both sides must match; a key without one fits.
            let kid_ok = kid.is_none_or(|want| self.kid().is_none_or(|have| want.str_eq(have)));
            if kid_ok && self.usable_for(alg) {
                Ok(self.verifying_key())
            } else {
                Err(Error::KeyNotFound)
            }
        }
    }
}
