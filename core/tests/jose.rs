//! JOSE beyond the vectors: RFC examples (RFC 7638 §3.1 thumbprint, RFC 7515 A.3 ES256),
//! sign → verify round trips for every algorithm, header members that must never be trusted,
//! `Debug` redaction, and a property test that no single-byte change of a token verifies.

use base64::Engine as _;
use payseal::jose::{self, Algorithm, Error, Jwk, KeySet, SigningKey, Validation, VerifyingKey};
use payseal::json::{self, Dialect, Tape};
use proptest::prelude::*;
use serde_json::{json, Value};

fn b64u(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// RFC 7517 A.1 / RFC 7638 §3.1's RSA key.
const RFC7638_JWK: &str = r#"{"kty":"RSA","n":"0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw","e":"AQAB","alg":"RS256","kid":"2011-04-29"}"#;

/// RFC 7515 A.3's P-256 key and token.
const A3_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
const A3_TOKEN: &str = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

fn set_of(jwks: &[&str]) -> KeySet {
    KeySet::from_json(format!(r#"{{"keys":[{}]}}"#, jwks.join(",")).as_bytes()).expect("key set")
}

fn verify(token: &str, keys: &KeySet, algs: &[Algorithm]) -> Result<Vec<u8>, Error> {
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut tape = Tape::new();
    jose::verify_jws(token.as_bytes(), keys, algs, &mut buf, &mut tape).map(|v| v.payload.to_vec())
}

/// Private JWKs from the vectors (RSA, Ed25519), so the tests need no key generation there.
fn vector_jwk(id_prefix: &str) -> String {
    let dir = std::env::var_os("PAYSEAL_VECTORS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"));
    let text = std::fs::read_to_string(dir.join("jws.jsonl")).expect("jws.jsonl");
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).expect("json"))
        .find(|v| v["id"].as_str().is_some_and(|id| id.starts_with(id_prefix)))
        .map(|v| v["jwk"].to_string())
        .expect("vector with a private JWK")
}

/// The public half of a private JWK (drops `d`, `p`, `q`, `dp`, `dq`, `qi`).
fn public(jwk: &str) -> String {
    let mut v: Value = serde_json::from_str(jwk).expect("jwk");
    for m in ["d", "p", "q", "dp", "dq", "qi"] {
        v.as_object_mut().expect("object").remove(m);
    }
    v.to_string()
}

/// A P-384 private JWK from a key ring generates (d located in ring's fixed PKCS#8 template).
fn p384_jwk() -> String {
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P384_SHA384_FIXED_SIGNING as ALG};
    let rng = ring::rand::SystemRandom::new();
    let doc = EcdsaKeyPair::generate_pkcs8(&ALG, &rng).expect("generate");
    let pair = EcdsaKeyPair::from_pkcs8(&ALG, doc.as_ref(), &rng).expect("parse");
    let der = doc.as_ref();
    let at = der.windows(5).position(|w| w == [0x02, 0x01, 0x01, 0x04, 0x30]).expect("ECPrivateKey") + 5;
    let d = &der[at..at + 48];
    let point = pair.public_key().as_ref();
    json!({"kty":"EC","crv":"P-384","x": b64u(&point[1..49]),"y": b64u(&point[49..]),"d": b64u(d)}).to_string()
}

#[test]
fn rfc7638_thumbprint_example() {
    assert_eq!(
        jose::thumbprint_string(RFC7638_JWK.as_bytes()),
        Ok("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs".into())
    );
    let jwk = Jwk::from_json(RFC7638_JWK.as_bytes()).expect("jwk");
    assert_eq!(b64u(&jwk.thumbprint()), "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs");
    // Member order and extra members do not change it.
    let reordered: Value = serde_json::from_str(RFC7638_JWK).expect("json");
    let mut tape = Tape::new();
    let text = reordered.to_string();
    let doc = json::parse(text.as_bytes(), Dialect::Js, &mut tape).expect("json");
    assert_eq!(jose::thumbprint(doc.root()), Ok(jwk.thumbprint()));
    assert_eq!(jose::thumbprint_string(br#"{"kty":"XYZ"}"#), Err(Error::InvalidKey));
}

#[test]
fn rfc7515_a3_es256_example() {
    let keys = set_of(&[&public(A3_JWK)]);
    let payload = verify(A3_TOKEN, &keys, &[Algorithm::Es256]).expect("A.3 verifies");
    assert!(payload.starts_with(b"{\"iss\":\"joe\""));
    assert_eq!(verify(A3_TOKEN, &keys, &[Algorithm::Es384]), Err(Error::AlgNotAllowed));
    // The same r||s as DER is bad_signature, never accepted.
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(A3_TOKEN.rsplit('.').next().unwrap()).unwrap();
    let der_int = |x: &[u8]| {
        let mut v = vec![0x02];
        let x: Vec<u8> = if x[0] >= 0x80 { [&[0u8][..], x].concat() } else { x.to_vec() };
        v.push(x.len() as u8);
        v.extend(x);
        v
    };
    let body = [der_int(&sig[..32]), der_int(&sig[32..])].concat();
    let der = [vec![0x30, body.len() as u8], body].concat();
    let (input, _) = A3_TOKEN.rsplit_once('.').unwrap();
    assert_eq!(verify(&format!("{input}.{}", b64u(&der)), &keys, &[Algorithm::Es256]), Err(Error::BadSignature));
}

#[test]
fn every_algorithm_round_trips() {
    let rsa = vector_jwk("jws_sign_0617_RS256");
    let ed = vector_jwk("jws_sign_0597_EdDSA");
    let p384 = p384_jwk();
    let oct = |n: usize| json!({"kty":"oct","k": b64u(&vec![0x5a; n])}).to_string();
    let cases: Vec<(Algorithm, String)> = vec![
        (Algorithm::Hs256, oct(32)),
        (Algorithm::Hs384, oct(48)),
        (Algorithm::Hs512, oct(64)),
        (Algorithm::Rs256, rsa.clone()),
        (Algorithm::Rs384, rsa.clone()),
        (Algorithm::Rs512, rsa.clone()),
        (Algorithm::Ps256, rsa.clone()),
        (Algorithm::Ps384, rsa.clone()),
        (Algorithm::Ps512, rsa),
        (Algorithm::Es256, A3_JWK.to_owned()),
        (Algorithm::Es384, p384),
        (Algorithm::EdDsa, ed),
    ];
    for (alg, private) in cases {
        let key = SigningKey::from_jwk(private.as_bytes()).unwrap_or_else(|e| panic!("{alg}: {e}"));
        let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
        let payload = br#"{"sub":"x","exp":2000000000,"aud":["a","b"],"iss":"me"}"#;
        let t1 = jose::sign_to_string(header.as_bytes(), payload, &key).expect("sign");
        let t2 = jose::sign_to_string(header.as_bytes(), payload, &key).expect("sign");
        let randomized =
            matches!(alg, Algorithm::Ps256 | Algorithm::Ps384 | Algorithm::Ps512 | Algorithm::Es256 | Algorithm::Es384);
        assert_eq!(t1 != t2, randomized, "{alg}");
        let keys = set_of(&[&public(&private)]);
        for t in [&t1, &t2] {
            assert_eq!(verify(t, &keys, &[alg]).as_deref(), Ok(&payload[..]), "{alg}");
        }
        let mut buf = vec![0u8; jose::scratch_len(t1.len())];
        let mut tape = Tape::new();
        let one = [alg];
        let val = Validation::at(&one, 1_900_000_000).audience("b").issuer("me");
        let jwt = jose::verify_jwt(t1.as_bytes(), &keys, &val, &mut buf, &mut tape).expect("jwt");
        assert_eq!(jwt.claims.audiences().count(), 2);
        assert!(jwt.claims.sub().is_some_and(|s| s.str_eq("x")));
        // Any other algorithm of the allow-list does not help: the header names `alg`.
        let others: Vec<Algorithm> = Algorithm::ALL.into_iter().filter(|a| *a != alg).collect();
        assert_eq!(verify(&t1, &keys, &others), Err(Error::AlgNotAllowed), "{alg}");
    }
}

/// The algorithm `sign_jwt` uses in every binding when the caller names none (the core's one
/// rule): the JWK's own `alg`, else HS256 / RS256 / the one algorithm an EC or Ed25519 key fits.
#[test]
fn default_algorithm_of_a_signing_key() {
    let oct = |n: usize, alg: Option<&str>| {
        let mut jwk = json!({"kty":"oct","k": b64u(&vec![0x5a; n])});
        if let Some(a) = alg {
            jwk["alg"] = json!(a);
        }
        SigningKey::from_jwk(jwk.to_string().as_bytes()).expect("oct key")
    };
    let of = |jwk: String| SigningKey::from_jwk(jwk.as_bytes()).expect("key").default_algorithm();
    assert_eq!(oct(64, None).default_algorithm(), Some(Algorithm::Hs256));
    assert_eq!(oct(64, Some("HS512")).default_algorithm(), Some(Algorithm::Hs512));
    assert_eq!(oct(16, None).default_algorithm(), None, "too short for any HS algorithm");
    assert_eq!(of(vector_jwk("jws_sign_0617_RS256")), Some(Algorithm::Rs256));
    assert_eq!(of(A3_JWK.to_owned()), Some(Algorithm::Es256));
    assert_eq!(of(p384_jwk()), Some(Algorithm::Es384));
    assert_eq!(of(vector_jwk("jws_sign_0597_EdDSA")), Some(Algorithm::EdDsa));
}

#[test]
fn signing_checks_header_and_key() {
    let key = SigningKey::from_jwk(br#"{"kty":"oct","k":"IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0"}"#).unwrap();
    let sign = |h: &str| jose::sign_to_string(h.as_bytes(), b"x", &key);
    assert_eq!(sign(r#"{"alg":"none"}"#), Err(Error::AlgNotAllowed));
    assert_eq!(sign(r#"{"alg":"RS256"}"#), Err(Error::InvalidKey));
    assert_eq!(sign(r#"{"alg":"HS384"}"#), Err(Error::InvalidKey), "32-byte key is short for HS384");
    assert_eq!(sign(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#), Err(Error::CritUnsupported));
    assert_eq!(sign(r#"{"alg":"HS256","alg":"HS256"}"#), Err(Error::Malformed));
    assert_eq!(sign(r#"["alg"]"#), Err(Error::Malformed));
    let mut small = [0u8; 10];
    assert!(matches!(jose::sign(br#"{"alg":"HS256"}"#, b"x", &key, &mut small), Err(Error::BufferTooSmall { .. })));
    assert_eq!(SigningKey::from_jwk(br#"{"kty":"oct","k":"AAAA","use":"enc"}"#).err(), Some(Error::InvalidKey));
    assert_eq!(
        SigningKey::from_jwk(br#"{"kty":"oct","k":"AAAA","key_ops":["verify"]}"#).err(),
        Some(Error::InvalidKey)
    );
    assert_eq!(SigningKey::from_jwk(&public(&vector_jwk("jws_sign_0617")).into_bytes()).err(), Some(Error::InvalidKey));
}

#[test]
fn header_keys_and_urls_are_never_trusted() {
    // An attacker signs with their own key and embeds it (`jwk`), or points at it (`jku`,
    // `x5u`): the set's key decides, so the signature is bad.
    let attacker = json!({"kty":"oct","k": b64u(&[7u8; 32])});
    let victim = json!({"kty":"oct","k": b64u(&[9u8; 32])}).to_string();
    let key = SigningKey::from_jwk(attacker.to_string().as_bytes()).unwrap();
    for extra in
        [json!({"jwk": attacker}), json!({"jku": "https://evil.test/jwks"}), json!({"x5u": "https://evil.test/c"})]
    {
        let mut header = json!({"alg":"HS256"});
        header.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        let token = jose::sign_to_string(header.to_string().as_bytes(), b"{}", &key).unwrap();
        assert_eq!(verify(&token, &set_of(&[&victim]), &[Algorithm::Hs256]), Err(Error::BadSignature));
        assert_eq!(verify(&token, &KeySet::default(), &[Algorithm::Hs256]), Err(Error::KeyNotFound));
    }
}

#[test]
fn precedence_and_structure() {
    let key = json!({"kty":"oct","k": b64u(&[1u8; 32])}).to_string();
    let keys = set_of(&[&key]);
    let hs = [Algorithm::Hs256];
    let tok = |h: &str, p: &str, s: &str| format!("{}.{}.{s}", b64u(h.as_bytes()), b64u(p.as_bytes()));
    // crit beats alg_not_allowed; a malformed signature segment beats crit.
    assert_eq!(verify(&tok(r#"{"alg":"none","crit":["exp"]}"#, "{}", ""), &keys, &hs), Err(Error::CritUnsupported));
    assert_eq!(verify(&tok(r#"{"alg":"HS256","crit":["x"]}"#, "{}", "a+b"), &keys, &hs), Err(Error::Malformed));
    assert_eq!(verify(&tok(r#"{"alg":"HS256","crit":[]}"#, "{}", ""), &keys, &hs), Err(Error::Malformed));
    assert_eq!(verify(&tok(r#"{"alg":"HS256"}"#, "{}", ""), &keys, &hs), Err(Error::BadSignature));
    assert_eq!(verify(&tok(r#"{"alg":"HS256","kid":7}"#, "{}", ""), &keys, &hs), Err(Error::Malformed));
    for spelling in ["none", "None", "NONE", "nOnE"] {
        assert_eq!(Algorithm::from_name(spelling), None);
        assert_eq!(
            verify(&tok(&format!(r#"{{"alg":"{spelling}"}}"#), "{}", ""), &keys, &Algorithm::ALL),
            Err(Error::AlgNotAllowed)
        );
    }
    assert_eq!(verify("a.b", &keys, &hs), Err(Error::Malformed));
    assert_eq!(verify("a.b.c.d", &keys, &hs), Err(Error::Malformed));
    let huge = "a".repeat(jose::limits::MAX_TOKEN_LEN);
    assert_eq!(verify(&format!("{huge}.b.c"), &keys, &hs), Err(Error::TooLarge));
    // Scratch that is too small is reported, not truncated.
    let t = tok(r#"{"alg":"HS256"}"#, "{}", "");
    let mut buf = [0u8; 4];
    let mut tape = Tape::new();
    assert!(matches!(
        jose::verify_jws(t.as_bytes(), &keys, &hs, &mut buf, &mut tape),
        Err(Error::ScratchTooSmall { .. })
    ));
}

#[test]
fn key_sets_skip_what_they_cannot_use_and_select_by_kid() {
    let k = |kid: &str, n: u8| json!({"kty":"oct","kid": kid,"k": b64u(&[n; 32])}).to_string();
    let keys = set_of(&[
        &k("a", 1),
        &k("b", 2),
        r#"{"kty":"XYZ","foo":1}"#,
        r#"{"kty":"RSA","use":"enc","alg":"RSA-OAEP","n":"AQAB","e":"AQAB"}"#,
        r#"{"kty":"oct","k":"not base64!"}"#,
    ]);
    assert_eq!(keys.len(), 2);
    assert_eq!(keys.skipped(), 3);
    let signer = SigningKey::from_jwk(k("b", 2).as_bytes()).unwrap();
    let with_kid = jose::sign_to_string(br#"{"alg":"HS256","kid":"b"}"#, b"p", &signer).unwrap();
    let without = jose::sign_to_string(br#"{"alg":"HS256"}"#, b"p", &signer).unwrap();
    let unknown = jose::sign_to_string(br#"{"alg":"HS256","kid":"c"}"#, b"p", &signer).unwrap();
    assert_eq!(verify(&with_kid, &keys, &[Algorithm::Hs256]).as_deref(), Ok(&b"p"[..]));
    assert_eq!(verify(&without, &keys, &[Algorithm::Hs256]), Err(Error::KeyNotFound), "ambiguous without kid");
    assert_eq!(verify(&unknown, &keys, &[Algorithm::Hs256]), Err(Error::KeyNotFound));
    assert_eq!(KeySet::from_json(b"[]").err(), Some(Error::InvalidKey));
    assert_eq!(KeySet::from_json(br#"{"keys":{}}"#).err(), Some(Error::InvalidKey));
    // A borrowed single key (no_std path) verifies too; kid is not compared.
    let secret = [2u8; 32];
    let mut buf = vec![0u8; 256];
    let mut tape = Tape::new();
    let one = VerifyingKey::Oct(&secret);
    assert!(jose::verify_jws(without.as_bytes(), &one, &[Algorithm::Hs256], &mut buf, &mut tape).is_ok());
    assert_eq!(
        jose::verify_jws(
            without.as_bytes(),
            &VerifyingKey::Oct(&secret[..16]),
            &[Algorithm::Hs256],
            &mut buf,
            &mut tape
        )
        .err(),
        Some(Error::KeyNotFound),
        "short HMAC keys are unusable"
    );
}

#[test]
fn claims_checks_in_order() {
    let key = json!({"kty":"oct","k": b64u(&[3u8; 32])}).to_string();
    let keys = set_of(&[&key]);
    let signer = SigningKey::from_jwk(key.as_bytes()).unwrap();
    let check = |claims: &str, val: Validation<'_>| {
        let t = jose::sign_to_string(br#"{"alg":"HS256"}"#, claims.as_bytes(), &signer).unwrap();
        let mut buf = vec![0u8; jose::scratch_len(t.len())];
        let mut tape = Tape::new();
        jose::verify_jwt(t.as_bytes(), &keys, &val, &mut buf, &mut tape).map(|_| ())
    };
    let at = |now| Validation::at(&[Algorithm::Hs256], now);
    assert_eq!(check(r#"{"exp":100}"#, at(99)), Ok(()));
    assert_eq!(check(r#"{"exp":100}"#, at(100)), Err(Error::Expired));
    assert_eq!(check(r#"{"exp":100}"#, at(104).leeway(5)), Ok(()));
    assert_eq!(check(r#"{"exp":100}"#, at(105).leeway(5)), Err(Error::Expired));
    assert_eq!(check(r#"{"nbf":100}"#, at(100)), Ok(()));
    assert_eq!(check(r#"{"nbf":100}"#, at(99)), Err(Error::NotYetValid));
    assert_eq!(check(r#"{"nbf":100}"#, at(95).leeway(5)), Ok(()));
    assert_eq!(check(r#"{"exp":"100"}"#, at(0)), Err(Error::Malformed), "a string exp is malformed, not absent");
    assert_eq!(check(r#"{"aud":["a",1]}"#, at(0)), Err(Error::Malformed));
    assert_eq!(check(r#"{"iss":1}"#, at(0)), Err(Error::Malformed));
    assert_eq!(check(r#"[1]"#, at(0)), Err(Error::Malformed));
    assert_eq!(check(r#"{"exp":1,"nbf":900,"aud":"x"}"#, at(10).audience("y")), Err(Error::Expired));
    assert_eq!(check(r#"{"aud":"x","iss":"i"}"#, at(10).audience("y").issuer("j")), Err(Error::Audience));
    assert_eq!(check(r#"{"aud":"x","iss":"i"}"#, at(10).audience("x").issuer("j")), Err(Error::Issuer));
    assert_eq!(check(r#"{}"#, at(10).audience("x")), Err(Error::Audience));
    assert_eq!(check(r#"{}"#, at(10).issuer("x")), Err(Error::Issuer));
    assert_eq!(check(r#"{"aud":["x","Y"],"iss":"i\u0021"}"#, at(10).audience("Y").issuer("i!")), Ok(()));
    assert_eq!(check(r#"{"aud":["x"]}"#, at(10).audience("X")), Err(Error::Audience), "case-sensitive");
}

#[test]
fn debug_never_prints_secrets() {
    let secret = b64u(b"0123456789abcdef0123456789abcdef");
    let oct = json!({"kty":"oct","k": secret,"kid":"k1"}).to_string();
    let ed = vector_jwk("jws_sign_0597_EdDSA");
    let d: Value = serde_json::from_str(&ed).unwrap();
    let shown = [
        format!("{:?}", set_of(&[&oct])),
        format!("{:?}", SigningKey::from_jwk(oct.as_bytes()).unwrap()),
        format!("{:?}", SigningKey::from_jwk(ed.as_bytes()).unwrap()),
        format!("{:?}", VerifyingKey::Oct(b"0123456789abcdef0123456789abcdef")),
    ];
    for s in &shown {
        assert!(!s.contains(&secret) && !s.contains("0123456789") && !s.contains("48, 49"), "{s}");
        assert!(!s.contains(d["d"].as_str().unwrap()), "{s}");
    }
    assert!(shown[0].contains("k1"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Signing then verifying returns the payload; changing any one byte of the token makes
    /// it fail (no second spelling of the same bytes is accepted).
    #[test]
    fn hs256_round_trip_and_no_malleability(payload in proptest::collection::vec(any::<u8>(), 0..200), at in any::<usize>(), to in any::<u8>()) {
        let key = json!({"kty":"oct","k": b64u(&[4u8; 32])}).to_string();
        let keys = set_of(&[&key]);
        let signer = SigningKey::from_jwk(key.as_bytes()).unwrap();
        let token = jose::sign_to_string(br#"{"alg":"HS256"}"#, &payload, &signer).unwrap();
        prop_assert_eq!(verify(&token, &keys, &[Algorithm::Hs256]), Ok(payload));
        let mut bad = token.clone().into_bytes();
        let i = at % bad.len();
        prop_assume!(bad[i] != to);
        bad[i] = to;
        let bad = String::from_utf8_lossy(&bad).into_owned();
        prop_assert!(verify(&bad, &keys, &[Algorithm::Hs256]).is_err());
    }
}
