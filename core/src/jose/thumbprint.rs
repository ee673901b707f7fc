//! JWK thumbprints (RFC 7638): SHA-256 over the required members, in lexicographic order,
//! without whitespace (`{"e":..,"kty":"RSA","n":..}`, `{"crv":..,"kty":"EC","x":..,"y":..}`,
//! `{"k":..,"kty":"oct"}`, and RFC 8037 §2's `{"crv":..,"kty":"OKP","x":..}`).

use sha2::{Digest, Sha256};

use super::{b64, Error};
use crate::json::Value;

/// The RFC 7638 thumbprint of a parsed JWK (public or private: only the required members are
/// read). [`Error::InvalidKey`] when `kty` is not one of `RSA`, `EC`, `oct`, `OKP`, or a
/// required member is missing, escaped, or (for key material) not canonical base64url.
pub fn thumbprint(jwk: Value<'_>) -> Result<[u8; 32], Error> {
    let kty = jwk.get("kty").and_then(|v| v.as_str()).ok_or(Error::InvalidKey)?;
    let members: &[(&str, bool)] = match kty {
        "RSA" => &[("e", true), ("kty", false), ("n", true)],
        "EC" => &[("crv", false), ("kty", false), ("x", true), ("y", true)],
        "oct" => &[("k", true), ("kty", false)],
        "OKP" => &[("crv", false), ("kty", false), ("x", true)],
        _ => return Err(Error::InvalidKey),
    };
    let mut h = Sha256::new();
    for (i, (name, is_b64)) in members.iter().enumerate() {
        let value = jwk.get(name).and_then(|v| v.as_str()).ok_or(Error::InvalidKey)?;
        if *is_b64 {
            b64::check(value.as_bytes()).map_err(|_| Error::InvalidKey)?;
        } else if value.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
            return Err(Error::InvalidKey);
        }
        h.update(if i == 0 { "{\"" } else { ",\"" });
        h.update(name);
        h.update("\":\"");
        h.update(value);
        h.update("\"");
    }
    h.update("}");
    Ok(h.finalize().into())
}

/// The thumbprint of a JWK document, base64url (the usual `kid`).
#[cfg(feature = "alloc")]
pub fn thumbprint_string(jwk_json: &[u8]) -> Result<alloc::string::String, Error> {
    let mut tape = crate::json::Tape::new();
    let doc = crate::json::parse(jwk_json, crate::json::Dialect::Js, &mut tape).map_err(|_| Error::InvalidKey)?;
    let digest = thumbprint(doc.root())?;
    let mut out = [0u8; 43];
    let n = b64::encode(&digest, &mut out);
    Ok(alloc::string::String::from_utf8_lossy(&out[..n]).into_owned())
}
