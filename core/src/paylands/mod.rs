#![doc = include_str!("README.md")]

mod data;
mod error;
mod key;
mod speculate;

pub use error::{Error, Malformed};
pub use key::{KeyError, SignatureKey, MAX_SIGNATURE_LEN};

use crate::json::{self, Dialect, Tape};
use crate::Sink;
use data::Located;
use speculate::Speculation;

/// Which members are hashed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Mode {
    /// A payment notification: `order`, `client`, and `extra_data` when present, in that order.
    Notification,
    /// An API response: every top-level member except `message`, `code`, `current_time` and
    /// `validation_hash`, in the order received.
    Response,
}

/// The `json_encode` flags the hashed JSON was printed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Flags {
    /// `json_encode($data)`: `\/` and `\uXXXX` escapes (the documented form).
    Default,
    /// `json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)`.
    Unescaped,
}

/// Which flag sets a verification accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FlagsPolicy {
    /// Exactly this flag set.
    Only(Flags),
    /// [`Flags::Default`], then [`Flags::Unescaped`]; [`Matched`] says which one matched.
    Auto,
}

/// A successful verification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Matched {
    /// The flag set whose encoding the `validation_hash` covers.
    pub flags: Flags,
}

/// A name that is not one of the accepted spellings (see the `FromStr` impls).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownName;

impl core::fmt::Display for UnknownName {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("unknown name")
    }
}

impl Mode {
    /// `notification` or `response`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Notification => "notification",
            Self::Response => "response",
        }
    }
}

impl core::str::FromStr for Mode {
    type Err = UnknownName;

    /// Parses `notification` or `response`.
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        match s {
            "notification" => Ok(Self::Notification),
            "response" => Ok(Self::Response),
            _ => Err(UnknownName),
        }
    }
}

impl Flags {
    /// `default` or `unescaped`.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Default => "default",
            Self::Unescaped => "unescaped",
        }
    }

    /// The JSON dialect that prints what `json_encode` prints with these flags.
    #[must_use]
    pub const fn dialect(self) -> Dialect {
        match self {
            Self::Default => Dialect::php_default(),
            Self::Unescaped => Dialect::php_unescaped(),
        }
    }
}

impl core::str::FromStr for Flags {
    type Err = UnknownName;

    /// Parses `default` or `unescaped`.
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        match s {
            "default" => Ok(Self::Default),
            "unescaped" => Ok(Self::Unescaped),
            _ => Err(UnknownName),
        }
    }
}

impl FlagsPolicy {
    /// The flag sets to try, in order.
    const fn candidates(self) -> [Option<Flags>; 2] {
        match self {
            Self::Only(flags) => [Some(flags), None],
            Self::Auto => [Some(Flags::Default), Some(Flags::Unescaped)],
        }
    }
}

impl From<Flags> for FlagsPolicy {
    fn from(flags: Flags) -> Self {
        Self::Only(flags)
    }
}

impl core::str::FromStr for FlagsPolicy {
    type Err = UnknownName;

    /// Parses `default`, `unescaped` or `auto`.
    fn from_str(s: &str) -> Result<Self, UnknownName> {
        match s {
            "auto" => Ok(Self::Auto),
            other => other.parse().map(Self::Only),
        }
    }
}

/// Parses a notification once for PHP (`json_decode($body, true)`) and finds its members.
fn locate<'a>(body: &'a [u8], tape: &'a mut Tape<'_>) -> Result<Located<'a>, Error> {
    let doc = json::parse(body, Dialect::php_default(), tape)?;
    Ok(Located::find(doc.root())?)
}

/// Parses a notification, hashing it meanwhile when the default flags' digest may be needed
/// in notification mode (see [`speculate`]).
fn locate_hashing<'a>(
    body: &'a [u8],
    mode: Mode,
    default_flags: bool,
    tape: &'a mut Tape<'_>,
) -> Result<(Located<'a>, Speculation), Error> {
    let mut speculation =
        if default_flags && mode == Mode::Notification { Speculation::new(body) } else { Speculation::none() };
    let doc = json::parse_observed(body, Dialect::php_default(), tape, &mut speculation)?;
    Ok((Located::find(doc.root())?, speculation))
}

/// `sha256(json_encode($data, flags) . signature)`, streamed: the JSON is never materialised.
fn digest_of(found: &Located<'_>, mode: Mode, flags: Flags, key: &SignatureKey) -> Result<[u8; 32], Error> {
    let mut hash = crate::mac::Sha256ThenSecret::new();
    found.emit(mode, flags, &mut hash)?;
    Ok(hash.finish(key.expose()))
}

/// Verifies a Paylands notification (or API response): its `validation_hash` must be
/// `hex(sha256(json_encode($data) . signature))`, compared case-insensitively and in constant
/// time. `tape` is caller scratch for the parser ([`Tape::from_slice`] for no allocation at
/// all; [`Tape::required_len`] entries always suffice).
///
/// Errors: [`Error::Mismatch`]; [`Error::Malformed`] when the body is JSON but not a Paylands
/// notification (top level not an object; `validation_hash` missing, not a string or not 64
/// hex digits; `order` missing in notification mode); [`Error::Json`] when the body is not
/// JSON (or `tape` is too small).
///
/// ```
/// use payseal::json::{Node, Tape};
/// use payseal::paylands::{self, Error, Flags, FlagsPolicy, Mode, SignatureKey};
/// let key = SignatureKey::new(b"s1gnature")?;
/// // Signed as sha256('{"order":{"amount":1050},"client":{"uuid":"C1"}}' . 's1gnature').
/// let body = br#"{"message":"OK","code":200,"order":{"amount":1050},"client":{"uuid":"C1"},
///     "validation_hash":"E0F15850F570CF1EDEEEAD70C6FA60C1B1F8B2EFF7AB110672B32E9698433F54"}"#;
/// let mut scratch = [Node::default(); 64];
/// let mut tape = Tape::from_slice(&mut scratch);
/// match paylands::verify(body, Mode::Notification, FlagsPolicy::Auto, &key, &mut tape) {
///     Ok(matched) => assert_eq!(matched.flags, Flags::Default),
///     Err(Error::Mismatch) => panic!("forged or tampered with"),
///     Err(e) => panic!("rejected: {e}"),
/// }
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn verify(
    body: &[u8],
    mode: Mode,
    flags: FlagsPolicy,
    key: &SignatureKey,
    tape: &mut Tape<'_>,
) -> Result<Matched, Error> {
    let candidates = flags.candidates();
    let default_flags = candidates.contains(&Some(Flags::Default));
    let (found, speculation) = locate_hashing(body, mode, default_flags, tape)?;
    let claimed = found.claimed_digest()?;
    found.check(mode)?;
    let mut speculation = Some(speculation);
    for flags in candidates.into_iter().flatten() {
        let hashed = match (flags, speculation.take()) {
            (Flags::Default, Some(s)) => s.finish(body, &found, key),
            _ => None,
        };
        let computed = match hashed {
            Some(digest) => digest,
            None => digest_of(&found, mode, flags, key)?,
        };
        if crate::ct::eq(&computed, &claimed) {
            return Ok(Matched { flags });
        }
    }
    Err(Error::Mismatch)
}

/// The raw digest `sha256(json_encode($data, flags) . signature)` of a notification (its own
/// `validation_hash`, if any, is ignored).
///
/// ```
/// use payseal::json::Tape;
/// use payseal::paylands::{digest, Flags, Mode, SignatureKey};
/// use sha2::{Digest, Sha256};
/// let key = SignatureKey::new(b"s1gnature")?;
/// let body = br#"{"order": {"ref": "a/b", "holder": "Jo\u00e3o"}, "client": {}}"#;
/// let d = digest(body, Mode::Notification, Flags::Default, &key, &mut Tape::new())?;
/// let php = br#"{"order":{"ref":"a\/b","holder":"Jo\u00e3o"},"client":[]}s1gnature"#;
/// assert_eq!(d[..], Sha256::digest(php)[..]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn digest(
    body: &[u8],
    mode: Mode,
    flags: Flags,
    key: &SignatureKey,
    tape: &mut Tape<'_>,
) -> Result<[u8; 32], Error> {
    let (found, speculation) = locate_hashing(body, mode, flags == Flags::Default, tape)?;
    found.check(mode)?;
    // A speculation is only made for the default flags (`Speculation::none` otherwise).
    match speculation.finish(body, &found, key) {
        Some(digest) => Ok(digest),
        None => digest_of(&found, mode, flags, key),
    }
}

/// Signs: writes the lowercase hex `validation_hash` Paylands would send for `body` into
/// `out` (to simulate notifications, or to test a handler).
///
/// ```
/// use payseal::json::Tape;
/// use payseal::paylands::{hash_hex, verify, Flags, FlagsPolicy, Mode, SignatureKey};
/// let key = SignatureKey::new(b"s1gnature")?;
/// let data = br#"{"order":{"amount":1050,"ref":"caf\u00e9/1"},"client":{"uuid":"C1"}}"#;
/// let mut hex = [0u8; 64];
/// hash_hex(data, Mode::Notification, Flags::Unescaped, &key, &mut Tape::new(), &mut hex)?;
/// let hex = std::str::from_utf8(&hex)?;
/// let body = format!(r#"{{"order":{{"amount":1050,"ref":"café/1"}},"client":{{"uuid":"C1"}},"validation_hash":"{hex}"}}"#);
/// let matched = verify(body.as_bytes(), Mode::Notification, FlagsPolicy::Auto, &key, &mut Tape::new())?;
/// assert_eq!(matched.flags, Flags::Unescaped);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hash_hex(
    body: &[u8],
    mode: Mode,
    flags: Flags,
    key: &SignatureKey,
    tape: &mut Tape<'_>,
    out: &mut [u8; 64],
) -> Result<(), Error> {
    let d = digest(body, mode, flags, key, tape)?;
    *out = crate::encoding::hex::encode_array(&d);
    Ok(())
}

/// Writes the hashed JSON itself, `json_encode($data, flags)` (without the signature), into
/// `sink`: what Paylands hashes, for diagnosing a mismatch.
///
/// ```
/// use payseal::json::Tape;
/// use payseal::paylands::{encode_data, Flags, Mode};
/// let body = br#"{"code":200,"extra_data":null,"client":{"id":1},"order":{"n":1.50}}"#;
/// let mut out = Vec::new();
/// encode_data(body, Mode::Notification, Flags::Default, &mut Tape::new(), &mut out)?;
/// assert_eq!(out, br#"{"order":{"n":1.5},"client":{"id":1},"extra_data":null}"#);
/// # Ok::<(), payseal::paylands::Error>(())
/// ```
pub fn encode_data<S: Sink + ?Sized>(
    body: &[u8],
    mode: Mode,
    flags: Flags,
    tape: &mut Tape<'_>,
    sink: &mut S,
) -> Result<(), Error> {
    let found = locate(body, tape)?;
    found.check(mode)?;
    found.emit(mode, flags, sink)
}

/// A verifier that owns the signature and a reusable tape: once it has seen its largest
/// notification it no longer allocates. One per thread (it is `Send`, not shared).
///
/// ```
/// use payseal::paylands::{Error, FlagsPolicy, Mode, SignatureKey, Verifier};
/// let mut verifier = Verifier::new(SignatureKey::new(b"s1gnature")?);
/// let forged = br#"{"order":{"amount":1},"client":{},"validation_hash":"00000000000000000000000000000000000000000000000000000000000000ff"}"#;
/// assert_eq!(verifier.verify(forged, Mode::Notification, FlagsPolicy::Auto), Err(Error::Mismatch));
/// # Ok::<(), payseal::paylands::KeyError>(())
/// ```
#[cfg(feature = "alloc")]
#[derive(Debug)]
pub struct Verifier {
    key: SignatureKey,
    tape: Tape<'static>,
}

#[cfg(feature = "alloc")]
impl Verifier {
    /// A verifier for `key`, with an empty tape.
    #[must_use]
    pub fn new(key: SignatureKey) -> Self {
        Self { key, tape: Tape::new() }
    }

    /// See [`verify`].
    pub fn verify(&mut self, body: &[u8], mode: Mode, flags: FlagsPolicy) -> Result<Matched, Error> {
        verify(body, mode, flags, &self.key, &mut self.tape)
    }

    /// See [`hash_hex`].
    pub fn hash_hex(&mut self, body: &[u8], mode: Mode, flags: Flags, out: &mut [u8; 64]) -> Result<(), Error> {
        hash_hex(body, mode, flags, &self.key, &mut self.tape, out)
    }

    /// See [`digest`].
    pub fn digest(&mut self, body: &[u8], mode: Mode, flags: Flags) -> Result<[u8; 32], Error> {
        digest(body, mode, flags, &self.key, &mut self.tape)
    }
}
