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
    verify_signature_with::<true, K>(token, keys, algorithms, buf, tape)
}

/// [`verify_signature`]; `FAST` false sends every header through the JSON engine (for the
/// tests that compare the two paths).
fn verify_signature_with<'a, const FAST: bool, K: KeySource + ?Sized>(
    token: &'a [u8],
    keys: &K,
    algorithms: &[Algorithm],
    buf: &'a mut [u8],
    tape: &mut Tape<'_>,
) -> Result<Verified<'a>, Error> {
    let seg = split(token)?;
    let (header, payload, sig_len) = decode(&seg, buf)?;
    // The common header in one pass without the tape; any other through the JSON engine.
    let plain = if FAST { header::scan(header) } else { None };
    let (alg, kid) = match plain {
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

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;
    use crate::jose::header::tests::near_headers;
    use crate::jose::KeySet;
    use crate::json::Tape;
    use crate::mac::{Algorithm as H, HmacKey, MAX_OUTPUT};
    use alloc::vec::Vec;
    use proptest::prelude::*;

    const K1: &[u8; 32] = b"0123456789abcdef0123456789abcdef";

    /// A compact token of `header` and `payload` with an HMAC-SHA-256 signature under `K1`,
    /// whatever the header says (so every header reaches every check).
    fn token(header: &[u8], payload: &[u8]) -> Vec<u8> {
        let mut t = Vec::new();
        let seg = |bytes: &[u8]| {
            let mut out = alloc::vec![0u8; b64::encoded_len(bytes.len())];
            let n = b64::encode(bytes, &mut out);
            out.truncate(n);
            out
        };
        t.extend(seg(header));
        t.push(b'.');
        t.extend(seg(payload));
        let mut tag = [0u8; MAX_OUTPUT];
        let n = HmacKey::new(H::Sha256, K1).mac(&t, &mut tag);
        t.push(b'.');
        t.extend(seg(&tag[..n]));
        t
    }

    type Outcome = Result<(Algorithm, Vec<u8>), Error>;

    fn verify<const FAST: bool>(token: &[u8], keys: &KeySet, algs: &[Algorithm]) -> Outcome {
        let mut buf = alloc::vec![0u8; crate::jose::scratch_len(token.len())];
        let mut tape = Tape::new();
        verify_signature_with::<FAST, _>(token, keys, algs, &mut buf, &mut tape).map(|v| (v.alg, v.payload.to_vec()))
    }

    prop_compose! {
        /// Headers with an `alg` (mostly HS256, sometimes escaped or of another type), often a
        /// `kid` (of either key, escaped, unknown, not a string), a few other members (`crit`,
        /// repeated names, nested values), in any order, now and then one byte edited.
        fn headers()(
            alg in prop::sample::select(&[r#""HS256""#, r#""HS256""#, r#""HS256""#, r#""RS256""#, r#""HS\u0032\u00356""#, r#""none""#, "1"][..]),
            kid in prop::sample::select(&[None, Some(r#""k1""#), Some(r#""k1""#), Some(r#""a\"b""#), Some(r#""k\u0031""#), Some(r#""zz""#), Some("1")][..]),
            extra in proptest::collection::vec((
                prop::sample::select(&["typ", "cty", "crit", "b64", "alg", "kid", "k\u{e9}", r"t\u0079p"][..]),
                prop::sample::select(&[r#""JWT""#, r#""""#, r#"["b64"]"#, "[]", "false", "{}", r#""\u00e9""#][..]),
            ), 0..3),
            space in prop::sample::select(&["", " ", "\n "][..]),
            edit in prop::option::weighted(0.1, (any::<prop::sample::Index>(), any::<u8>())),
        )(
            members in Just({
                let mut m: Vec<alloc::string::String> = alloc::vec![alloc::format!(r#""alg":{space}{alg}"#)];
                if let Some(kid) = kid {
                    m.push(alloc::format!(r#""kid"{space}:{kid}"#));
                }
                m.extend(extra.iter().map(|(n, v)| alloc::format!(r#"{space}"{n}":{v}"#)));
                m
            }).prop_shuffle(),
            edit in Just(edit),
        ) -> Vec<u8> {
            let mut h = alloc::format!("{{{}}}", members.join(",")).into_bytes();
            if let Some((at, byte)) = edit {
                let i = at.index(h.len());
                h[i] = byte;
            }
            h
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The header's fast path changes no verdict: the same result (or the same first error)
        /// as sending every header through the JSON engine, for headers near the common shape,
        /// two key sets (one key; two keys that only `kid` tells apart) and two allow-lists.
        #[test]
        fn the_fast_path_changes_no_verdict(h in prop_oneof![headers(), near_headers()], two_keys: bool, rs256_too: bool) {
            let k1 = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY";
            let set = if two_keys {
                alloc::format!(r#"{{"keys":[{{"kty":"oct","kid":"k1","k":"{k1}"}},{{"kty":"oct","kid":"a\"b","k":"{k1}"}}]}}"#)
            } else {
                alloc::format!(r#"{{"keys":[{{"kty":"oct","kid":"k1","k":"{k1}"}}]}}"#)
            };
            let keys = KeySet::from_json(set.as_bytes()).expect("set");
            let algs: &[Algorithm] = if rs256_too { &[Algorithm::Rs256, Algorithm::Hs256] } else { &[Algorithm::Hs256] };
            let t = token(&h, br#"{"sub":"x"}"#);
            prop_assert_eq!(verify::<true>(&t, &keys, algs), verify::<false>(&t, &keys, algs), "{}", alloc::string::String::from_utf8_lossy(&h));
        }
    }

    #[test]
    fn both_paths_verify_the_common_header() {
        let keys = KeySet::from_json(
            br#"{"keys":[{"kty":"oct","kid":"k1","k":"MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY"}]}"#,
        )
        .expect("set");
        let t = token(br#"{"alg":"HS256","kid":"k1","typ":"JWT"}"#, b"{}");
        let want: Outcome = Ok((Algorithm::Hs256, b"{}".to_vec()));
        assert_eq!(verify::<true>(&t, &keys, &[Algorithm::Hs256]), want);
        assert_eq!(verify::<false>(&t, &keys, &[Algorithm::Hs256]), want);
    }
}
