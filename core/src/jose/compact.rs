//! Compact serialisation (RFC 7515 §7.1): strict parsing and verification.

use super::claims::{check_claims, Claims, Validation};
use super::header::{self, Kid};
use super::{b64, limits, Algorithm, Error, KeySource};
use crate::json::{self, Dialect, Kind, Tape};

/// A verified JWS: the algorithm, the protected header's JSON text and the payload's bytes,
/// both decoded into the caller's buffer.
#[derive(Debug, Clone, Copy)]
pub struct Verified<'a> {
    /// The header's `alg`.
    pub alg: Algorithm,
    /// The protected header, decoded (JSON text).
    pub header: &'a [u8],
    /// The payload, decoded.
    pub payload: &'a [u8],
}

/// A verified JWT: [`Verified`] whose payload is a JSON object of claims that passed
/// [`Validation`].
#[derive(Debug, Clone, Copy)]
pub struct Jwt<'a> {
    /// The header's `alg`.
    pub alg: Algorithm,
    /// The protected header, decoded (JSON text).
    pub header: &'a [u8],
    /// The payload (the claims' JSON text), decoded.
    pub payload: &'a [u8],
    /// The claims, read in place.
    pub claims: Claims<'a>,
}

/// A token's decoded parts, NOT verified (for display and debugging only).
#[derive(Debug, Clone, Copy)]
pub struct Inspected<'a> {
    /// The protected header, decoded (not checked to be JSON).
    pub header: &'a [u8],
    /// The payload, decoded.
    pub payload: &'a [u8],
    /// The signature's length in bytes.
    pub signature_len: usize,
}

/// The three segments and the signing input (`header.payload`).
struct Segments<'t> {
    signing_input: &'t [u8],
    header: &'t [u8],
    payload: &'t [u8],
    signature: &'t [u8],
}

/// Exactly three `.`-separated segments, each canonical base64url.
fn split(token: &[u8]) -> Result<Segments<'_>, Error> {
    if token.len() > limits::MAX_TOKEN_LEN {
        return Err(Error::TooLarge);
    }
    // The first and the last dot; a third dot lies in the payload segment, where base64url
    // decoding refuses it (as `Malformed`, the same verdict), so the payload is not scanned
    // twice.
    let (Some(d1), Some(d2)) = (token.iter().position(|&b| b == b'.'), token.iter().rposition(|&b| b == b'.')) else {
        return Err(Error::Malformed);
    };
    if d1 == d2 {
        return Err(Error::Malformed);
    }
    Ok(Segments {
        signing_input: &token[..d2],
        header: &token[..d1],
        payload: &token[d1 + 1..d2],
        signature: &token[d2 + 1..],
    })
}

/// The decoded header and payload, and the signature's decoded length.
type Decoded<'a> = (&'a [u8], &'a [u8], usize);

/// Decodes header and payload into `buf` and checks the signature segment (decoded later, into
/// a buffer of its size, once the key is known).
fn decode<'a>(seg: &Segments<'_>, buf: &'a mut [u8]) -> Result<Decoded<'a>, Error> {
    let (h, p) = (b64::decoded_len(seg.header)?, b64::decoded_len(seg.payload)?);
    let s = b64::decoded_len(seg.signature)?;
    b64::check(seg.signature)?;
    if h + p > buf.len() {
        b64::check(seg.header)?;
        b64::check(seg.payload)?;
        return Err(Error::ScratchTooSmall { needed: h + p });
    }
    let (hbuf, rest) = buf.split_at_mut(h);
    let header: &'a [u8] = b64::decode(seg.header, hbuf)?;
    let payload: &'a [u8] = b64::decode(seg.payload, &mut rest[..p])?;
    Ok((header, payload, s))
}

/// Decodes the (already checked) signature onto the stack and verifies it: a small buffer for
/// HMAC, ECDSA and EdDSA (at most 96 bytes), a large one for RSA; longer than any algorithm's
/// is [`Error::BadSignature`].
fn check_signature(key: &super::VerifyingKey<'_>, alg: Algorithm, seg: &Segments<'_>, len: usize) -> Result<(), Error> {
    const SMALL: usize = 96;
    if len <= SMALL {
        let mut sig = [0u8; SMALL];
        let sig = b64::decode(seg.signature, &mut sig)?;
        key.verify(alg, seg.signing_input, sig)
    } else if len <= limits::MAX_SIGNATURE_LEN {
        let mut sig = [0u8; limits::MAX_SIGNATURE_LEN];
        let sig = b64::decode(seg.signature, &mut sig)?;
        key.verify(alg, seg.signing_input, sig)
    } else {
        Err(Error::BadSignature)
    }
}

fn json_error(e: json::Error) -> Error {
    match e {
        json::Error::ScratchTooSmall { needed } => Error::ScratchTooSmall { needed },
        _ => Error::Malformed,
    }
}

/// The allowed algorithm named `name`, or [`Error::AlgNotAllowed`].
fn allowed(algorithms: &[Algorithm], name: impl Fn(&str) -> bool) -> Result<Algorithm, Error> {
    algorithms.iter().copied().find(|a| name(a.name())).ok_or(Error::AlgNotAllowed)
}

/// The header through payseal's JSON engine (duplicate names rejected): an object, a string
/// `alg`, a string `kid` if any, no `crit`; then `alg` against the allow-list. Every header
/// [`header::scan`] does not read comes here, and every refusal of a header is made here.
fn parse_header<'t>(
    header: &'t [u8],
    algorithms: &[Algorithm],
    tape: &'t mut Tape<'_>,
) -> Result<(Algorithm, Option<Kid<'t>>), Error> {
    let doc = json::parse(header, Dialect::Js, tape).map_err(json_error)?;
    let root = doc.root();
    if root.kind() != Kind::Object {
        return Err(Error::Malformed);
    }
    let alg = root.get("alg").filter(|a| a.kind() == Kind::String).ok_or(Error::Malformed)?;
    let kid = root.get("kid");
    if kid.is_some_and(|k| k.kind() != Kind::String) {
        return Err(Error::Malformed);
    }
    if let Some(crit) = root.get("crit") {
        // RFC 7515 §4.1.11: a non-empty array; payseal understands no extension.
        return Err(if crit.kind() == Kind::Array && !crit.is_empty() {
            Error::CritUnsupported
        } else {
            Error::Malformed
        });
    }
    Ok((allowed(algorithms, |name| alg.str_eq(name))?, kid.map(Kid::json)))
}

/// Everything up to and including the signature, in the vectors' precedence.
fn verify_signature<'a, K: KeySource + ?Sized>(
    token: &'a [u8],
    keys: &K,
    algorithms: &[Algorithm],
    buf: &'a mut [u8],
    tape: &mut Tape<'_>,
) -> Result<Verified<'a>, Error> {
    let seg = split(token)?;
    let (header, payload, sig_len) = decode(&seg, buf)?;
    // The common header in one pass without the tape; any other through the JSON engine.
    let (alg, kid) = match header::scan(header) {
        Some(plain) => (allowed(algorithms, |name| plain.alg == name.as_bytes())?, plain.kid.map(Kid::plain)),
        None => parse_header(header, algorithms, tape)?,
    };
    let key = keys.select(alg, kid)?;
    check_signature(&key, alg, &seg, sig_len)?;
    Ok(Verified { alg, header, payload })
}

/// Verifies a compact JWS against `keys`, accepting only `algorithms`. The header and payload
/// are decoded into `buf` (at least [`super::scratch_len`]`(token.len())` bytes), the header
/// is read in one pass when its members are plain strings, else parsed on `tape`; nothing is
/// allocated when `tape` is slice-backed.
///
/// Errors in the vectors' precedence: [`Error::Malformed`] (structure and header),
/// [`Error::CritUnsupported`], [`Error::AlgNotAllowed`], [`Error::KeyNotFound`],
/// [`Error::BadSignature`]. The payload may be any bytes.
pub fn verify_jws<'a, K: KeySource + ?Sized>(
    token: &'a [u8],
    keys: &K,
    algorithms: &[Algorithm],
    buf: &'a mut [u8],
    tape: &mut Tape<'_>,
) -> Result<Verified<'a>, Error> {
    verify_signature(token, keys, algorithms, buf, tape)
}

/// Verifies a JWT: [`verify_jws`] with `validation.algorithms`, then (only once the signature
/// verified) the payload must be a JSON object whose registered claims have their types
/// (`exp`, `nbf`, `iat` numbers; `aud` a string or an array of strings; `iss` a string), and
/// `exp`, `nbf`, `aud`, `iss` are checked against `validation` in that order. The claims are
/// parsed onto `tape` and returned as a view into `buf`.
pub fn verify_jwt<'a, K: KeySource + ?Sized>(
    token: &'a [u8],
    keys: &K,
    validation: &Validation<'_>,
    buf: &'a mut [u8],
    tape: &'a mut Tape<'_>,
) -> Result<Jwt<'a>, Error> {
    let v = verify_signature(token, keys, validation.algorithms, buf, tape)?;
    let doc = json::parse(v.payload, Dialect::Js, tape).map_err(json_error)?;
    let claims = Claims::new(doc)?;
    check_claims(&claims, validation)?;
    Ok(Jwt { alg: v.alg, header: v.header, payload: v.payload, claims })
}

/// Splits and decodes a token WITHOUT verifying anything but its structure (three canonical
/// base64url segments): for display only. Never trust what it returns.
pub fn inspect<'a>(token: &'a [u8], buf: &'a mut [u8]) -> Result<Inspected<'a>, Error> {
    let seg = split(token)?;
    let (header, payload, signature_len) = decode(&seg, buf)?;
    Ok(Inspected { header, payload, signature_len })
}
