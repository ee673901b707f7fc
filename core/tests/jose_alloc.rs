//! JOSE verification with caller scratch allocates nothing: a counting global allocator
//! watches HS256/384/512 JWS and JWT verification (accepted and refused tokens) against a
//! key set parsed beforehand, and ES256/EdDSA verification (ring's ECDSA and Ed25519 do not
//! allocate; ring's RSA does, inside ring, so RS/PS are not in this test).

mod counting;

use base64::Engine as _;
use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};
use payseal::json::{Node, Tape};

fn b64u(bytes: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

#[test]
fn hs_verify_with_caller_scratch_allocates_nothing() {
    let k = b64u(&[0x42; 64]);
    let jwk = format!(r#"{{"kty":"oct","kid":"k1","k":"{k}"}}"#);
    let keys = KeySet::from_json(format!(r#"{{"keys":[{jwk}]}}"#).as_bytes()).unwrap();
    let signer = SigningKey::from_jwk(jwk.as_bytes()).unwrap();
    let claims = br#"{"sub":"charge_79n1d4x-","iat":1781739433,"exp":1781740819,"iss":"ppro","aud":["account","merchant-api"],"session":{"r":"charge_bfnx46jl","amount":12.5}}"#;
    let mut tokens = Vec::new();
    for alg in ["HS256", "HS384", "HS512"] {
        let header = format!(r#"{{"alg":"{alg}","kid":"k1","typ":"JWT"}}"#);
        let good = jose::sign_to_string(header.as_bytes(), claims, &signer).unwrap();
        let mut bad = good.clone();
        bad.replace_range(bad.len() - 2.., "AA");
        tokens.push(good);
        tokens.push(bad);
    }
    tokens.push("not.a.token!".to_owned());
    let algs = [Algorithm::Hs256, Algorithm::Hs384, Algorithm::Hs512];
    let val = Validation::at(&algs, 1_781_740_000).audience("account").issuer("ppro");
    let longest = tokens.iter().map(String::len).max().unwrap();
    let mut buf = vec![0u8; jose::scratch_len(longest)];
    let mut nodes = vec![Node::default(); jose::tape_len(longest)];

    let (results, allocated) = counting::allocations(|| {
        let mut results = Vec::with_capacity(2 * tokens.len());
        for t in &tokens {
            let mut tape = Tape::from_slice(&mut nodes);
            results.push(jose::verify_jws(t.as_bytes(), &keys, &algs, &mut buf, &mut tape).map(|_| ()));
            let mut tape = Tape::from_slice(&mut nodes);
            results.push(jose::verify_jwt(t.as_bytes(), &keys, &val, &mut buf, &mut tape).map(|_| ()));
        }
        results
    });
    assert_eq!(allocated, 1, "only the results vector may allocate ({allocated} allocations)");
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 6);
}

#[test]
fn es256_and_eddsa_verify_allocate_nothing() {
    // RFC 7515 A.3 (ES256) and RFC 8037 A.4 (Ed25519).
    let es = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#;
    let es_token = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ.DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";
    let ed = r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#;
    let ed_token = "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc.hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";
    let keys = KeySet::from_json(format!(r#"{{"keys":[{es},{ed}]}}"#).as_bytes()).unwrap();
    let algs = [Algorithm::Es256, Algorithm::EdDsa];
    let mut buf = vec![0u8; 1024];
    let mut nodes = vec![Node::default(); 1024];
    let (ok, allocated) = counting::allocations(|| {
        [es_token, ed_token].iter().all(|t| {
            let mut tape = Tape::from_slice(&mut nodes);
            jose::verify_jws(t.as_bytes(), &keys, &algs, &mut buf, &mut tape).is_ok()
        })
    });
    assert!(ok);
    assert_eq!(allocated, 0);
}

/// Not a promise, a record: ring's RSA verification allocates (its big-number arithmetic uses
/// boxed limbs), so RS*/PS* verification is not allocation-free even with caller scratch. This
/// test fails if that changes, so the documentation can be updated.
#[test]
fn rsa_verify_allocates_only_inside_ring() {
    let dir = std::env::var_os("PAYSEAL_VECTORS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"));
    let text = std::fs::read_to_string(dir.join("jws.jsonl")).expect("jws.jsonl");
    let line = text.lines().find(|l| l.contains("\"jwt_verify_0012_RS256_ok\"")).expect("vector");
    let v: serde_json::Value = serde_json::from_str(line).expect("json");
    let keys = KeySet::from_json(v["jwks"].to_string().as_bytes()).unwrap();
    let token = v["token"].as_str().unwrap().as_bytes();
    let (n, e) = v["jwks"]["keys"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|k| k["kty"] == "RSA")
        .map(|k| {
            let d = |m: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(k[m].as_str().unwrap()).unwrap();
            (d("n"), d("e"))
        })
        .collect::<Vec<_>>()
        .into_iter()
        .find(|(n, e)| {
            let (input, sig) = std::str::from_utf8(token).unwrap().rsplit_once('.').unwrap();
            let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).unwrap();
            ring::signature::RsaPublicKeyComponents { n, e }
                .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
                .is_ok()
        })
        .expect("the vector's key");
    let (input, sig) = std::str::from_utf8(token).unwrap().rsplit_once('.').unwrap();
    let sig = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(sig).unwrap();
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut nodes = vec![Node::default(); jose::tape_len(token.len())];
    let (ok, ours) = counting::allocations(|| {
        let mut tape = Tape::from_slice(&mut nodes);
        jose::verify_jws(token, &keys, &[Algorithm::Rs256], &mut buf, &mut tape).is_ok()
    });
    let (ring_ok, ring_alone) = counting::allocations(|| {
        ring::signature::RsaPublicKeyComponents { n: &n, e: &e }
            .verify(&ring::signature::RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
            .is_ok()
    });
    assert!(ok && ring_ok);
    assert_eq!(ours, ring_alone, "payseal adds no allocation of its own to ring's");
    assert!(ring_alone > 0, "ring's RSA no longer allocates: document RS*/PS* as allocation-free");
}
