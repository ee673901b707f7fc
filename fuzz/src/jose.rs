//! Properties of `payseal::jose`: any bytes as a compact token (no panic; slice and owned
//! tapes agree; the structure check agrees with the `base64` crate's strict unpadded decoder;
//! an accepted HS* token's MAC recomputed with the `hmac` crate), any bytes as a JWK Set, a
//! JWK and a private JWK (typed errors; thumbprints of what loads), and any bytes as a payload
//! (signed, verified back, and not accepted after any one-byte change).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac as _};
use payseal::jose::{self, limits, Algorithm, Jwk, KeySet, SigningKey, Validation};
use payseal::json::{Node, Tape};

/// 32 bytes of 0x42: the `oct` key every mode uses (HS256 only: shorter than HS384/512 need).
const OCT: &str = r#"{"kty":"oct","kid":"h","k":"QkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkJCQkI"}"#;
/// RFC 7515 A.3's P-256 public key and RFC 8037 A's Ed25519 public key.
const EC: &str = r#"{"kty":"EC","crv":"P-256","kid":"e","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
const ED: &str = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;

fn keys() -> KeySet {
    KeySet::from_json(format!(r#"{{"keys":[{OCT},{EC},{ED}]}}"#).as_bytes()).expect("key set")
}

pub fn run(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else { return };
    match mode % 3 {
        0 => token(rest),
        1 => key_documents(rest),
        _ => payload(rest),
    }
}

/// The reference structure check: three segments, each strict unpadded base64url.
fn reference_parts(token: &[u8]) -> Option<[Vec<u8>; 3]> {
    let parts: Vec<&[u8]> = token.split(|&b| b == b'.').collect();
    if parts.len() != 3 {
        return None;
    }
    let mut out = [Vec::new(), Vec::new(), Vec::new()];
    for (o, p) in out.iter_mut().zip(parts) {
        *o = URL_SAFE_NO_PAD.decode(p).ok()?;
    }
    Some(out)
}

fn token(token: &[u8]) {
    let keys = keys();
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let inspected = jose::inspect(token, &mut buf).map(|i| (i.header.to_vec(), i.payload.to_vec(), i.signature_len));
    if token.len() <= limits::MAX_TOKEN_LEN {
        let reference = reference_parts(token);
        assert_eq!(inspected.is_ok(), reference.is_some(), "structure check disagrees with base64");
        if let (Ok((h, p, s)), Some([rh, rp, rs])) = (&inspected, &reference) {
            assert_eq!((h, p, *s), (rh, rp, rs.len()));
        }
    }
    let val = Validation::at(&Algorithm::ALL, 1_781_740_000).leeway(30);
    let mut nodes = vec![Node::default(); jose::tape_len(token.len())];
    let fixed =
        jose::verify_jwt(token, &keys, &val, &mut buf, &mut Tape::from_slice(&mut nodes)).map(|j| j.payload.to_vec());
    let mut owned_buf = vec![0u8; jose::scratch_len(token.len())];
    let mut tape = Tape::new();
    let owned = jose::verify_jwt(token, &keys, &val, &mut owned_buf, &mut tape).map(|j| j.payload.to_vec());
    assert_eq!(fixed, owned, "slice tape and owned tape disagree");
    assert!(!matches!(owned, Err(jose::Error::ScratchTooSmall { .. })), "documented scratch sizes must suffice");
    let jws =
        jose::verify_jws(token, &keys, &Algorithm::ALL, &mut owned_buf, &mut tape).map(|v| (v.alg, v.payload.to_vec()));
    if let Ok((alg, _)) = &jws {
        let [_, _, sig] = reference_parts(token).expect("an accepted token has the reference structure");
        if *alg == Algorithm::Hs256 {
            let dot = token.iter().rposition(|&b| b == b'.').expect("dot");
            let mut mac = Hmac::<sha2::Sha256>::new_from_slice(&[0x42; 32]).expect("key");
            mac.update(&token[..dot]);
            assert_eq!(mac.finalize().into_bytes().as_slice(), &sig[..], "accepted HS256 token with another MAC");
        }
    }
    // A JWT that verifies is a JWS that verifies, with the same payload.
    if let Ok(p) = &owned {
        assert_eq!(jws.as_ref().map(|(_, q)| q), Ok(p));
    }
}

fn key_documents(doc: &[u8]) {
    if let Ok(set) = KeySet::from_json(doc) {
        assert!(set.len() <= limits::MAX_KEYS);
        for k in set.keys() {
            let _ = (k.thumbprint(), k.kid(), k.algorithm(), format!("{k:?}"));
        }
    }
    if let Ok(k) = Jwk::from_json(doc) {
        assert_eq!(jose::thumbprint_string(doc).map(|t| t.len()), Ok(43), "a loaded JWK has a thumbprint");
        let _ = k.verifying_key();
    }
    if let Ok(key) = SigningKey::from_jwk(doc) {
        for alg in Algorithm::ALL.into_iter().filter(|a| key.fits(*a)) {
            let header = format!(r#"{{"alg":"{alg}"}}"#);
            let token = jose::sign_to_string(header.as_bytes(), b"{}", &key).expect("a fitting key signs");
            assert!(jose::inspect(token.as_bytes(), &mut vec![0u8; token.len()]).is_ok());
        }
    }
}

fn payload(payload: &[u8]) {
    let key = SigningKey::from_jwk(OCT.as_bytes()).expect("oct key");
    let keys = keys();
    let Ok(token) = jose::sign_to_string(br#"{"alg":"HS256","kid":"h"}"#, payload, &key) else {
        assert!(payload.len() > limits::MAX_TOKEN_LEN / 2, "signing failed on a small payload");
        return;
    };
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut tape = Tape::new();
    let got =
        jose::verify_jws(token.as_bytes(), &keys, &[Algorithm::Hs256], &mut buf, &mut tape).map(|v| v.payload.to_vec());
    if token.len() <= limits::MAX_TOKEN_LEN {
        assert_eq!(got.as_deref(), Ok(payload));
    }
    let mut bad = token.into_bytes();
    let i = payload.first().map_or(0, |&b| usize::from(b) * 7) % bad.len();
    bad[i] ^= 0x01;
    let mut buf = vec![0u8; jose::scratch_len(bad.len())];
    assert!(jose::verify_jws(&bad, &keys, &[Algorithm::Hs256], &mut buf, &mut tape).is_err(), "changed token accepted");
}
