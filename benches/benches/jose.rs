//! JOSE verification beside the irreducible work on the same bytes:
//!
//! * HS256, a ~400-byte JWT signed here: `payseal::jose::verify_jws`/`verify_jwt` (caller
//!   scratch, slice tape, key set of one `oct` key) against base64url-decoding the three
//!   segments (`base64-simd`) plus HMAC-SHA256 of the signing input (the `hmac` crate, key
//!   schedule precomputed on both sides) and a constant-time compare.
//!   Target: ≤ 1.3×.
//! * RS256 and ES256, tokens of `jws.jsonl` (`jwt_verify_0012_RS256_ok`,
//!   `jwt_verify_0033_ES256_ok`): payseal against ring's bare verify of the same signing input
//!   and the already-decoded signature with the same key. Target: ≤ 1.1×.
//!
//! `cargo bench -p payseal-benches --bench jose -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use payseal::encoding::base64::url_decode;
use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};
use payseal::json::{Node, Tape};
use ring::signature::{self as rs, UnparsedPublicKey};
use serde_json::Value;
use sha2::Sha256;

const OCT_K: &str = "IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0";
const NOW: i64 = 1_781_740_000;

fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

#[allow(clippy::panic)]
fn vector(id: &str) -> Value {
    let path = vectors_dir().join("jws.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap_or(Value::Null))
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("vector {id} not found"))
}

fn b64(s: &str) -> Vec<u8> {
    let mut out = vec![0u8; s.len()];
    let n = url_decode(s.as_bytes(), &mut out).expect("base64url");
    out.truncate(n);
    out
}

fn bench_hs256(c: &mut Criterion) {
    let jwk = format!(r#"{{"kty":"oct","kid":"ppro-1","k":"{OCT_K}"}}"#);
    let keys = KeySet::from_json(format!(r#"{{"keys":[{jwk}]}}"#).as_bytes()).expect("keys");
    let signer = SigningKey::from_jwk(jwk.as_bytes()).expect("key");
    let claims = br#"{"sub":"charge_79n1d4x-","iat":1781739433,"exp":1781740819,"nbf":1781739400,"iss":"https://auth.example.test/realms/sandbox","aud":["account","merchant-api"],"session":{"r":"charge_bfnx46jl","amount":12.5,"currency":"EUR"},"jti":"8f14e45f-ceea-467f-a1b2"}"#;
    let token = jose::sign_to_string(br#"{"alg":"HS256","kid":"ppro-1","typ":"JWT"}"#, claims, &signer).expect("sign");
    // Key schedule precomputed, as payseal's key set does (and as `compare`'s HMAC floors).
    let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&b64(OCT_K)).expect("key");
    let algs = [Algorithm::Hs256];
    let val = Validation::at(&algs, NOW).audience("merchant-api").issuer("https://auth.example.test/realms/sandbox");
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut nodes = vec![Node::default(); jose::tape_len(token.len())];
    let mut plain = vec![0u8; token.len()];
    let t = token.as_bytes();

    let mut g = c.benchmark_group(format!("jose_hs256_verify_{}B", token.len()));
    g.bench_function("payseal_verify_jws", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            jose::verify_jws(black_box(t), &keys, &algs, &mut buf, &mut tape).expect("verifies").payload.len()
        });
    });
    g.bench_function("payseal_verify_jwt_claims", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            jose::verify_jwt(black_box(t), &keys, &val, &mut buf, &mut tape).expect("verifies").payload.len()
        });
    });
    g.bench_function("baseline_b64url_decode_hmac_sha256", |b| {
        b.iter(|| {
            let t = black_box(t);
            let d1 = t.iter().position(|&c| c == b'.').expect("dot");
            let d2 = t.iter().rposition(|&c| c == b'.').expect("dot");
            let h = url_decode(&t[..d1], &mut plain).expect("b64");
            let p = url_decode(&t[d1 + 1..d2], &mut plain[h..]).expect("b64");
            let mut sig = [0u8; 32];
            url_decode(&t[d2 + 1..], &mut sig).expect("b64");
            let mut mac = keyed.clone();
            mac.update(&t[..d2]);
            let tag: [u8; 32] = mac.finalize().into_bytes().into();
            assert!(payseal::ct::eq(&tag, &sig));
            p
        });
    });
    g.finish();
}

/// A verify vector's token, its key set, the signing input, the decoded signature, and the
/// JWK (as JSON) of the key that verifies it.
struct Case {
    token: String,
    keys: KeySet,
    input: Vec<u8>,
    sig: Vec<u8>,
    jwks: Value,
}

fn case(id: &str) -> Case {
    let v = vector(id);
    let token = v["token"].as_str().expect("token").to_owned();
    let (input, sig) = token.rsplit_once('.').expect("dot");
    Case {
        keys: KeySet::from_json(v["jwks"].to_string().as_bytes()).expect("jwks"),
        input: input.as_bytes().to_vec(),
        sig: b64(sig),
        jwks: v["jwks"].clone(),
        token,
    }
}

fn bench_asymmetric(c: &mut Criterion) {
    // RS256.
    let rsa = case("jwt_verify_0012_RS256_ok");
    let (n, e) = rsa.jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter(|k| k["kty"] == "RSA")
        .map(|k| (b64(k["n"].as_str().expect("n")), b64(k["e"].as_str().expect("e"))))
        .find(|(n, e)| {
            rs::RsaPublicKeyComponents { n, e }.verify(&rs::RSA_PKCS1_2048_8192_SHA256, &rsa.input, &rsa.sig).is_ok()
        })
        .expect("the vector's key");
    // ES256.
    let ec = case("jwt_verify_0033_ES256_ok");
    let point = ec.jwks["keys"]
        .as_array()
        .expect("keys")
        .iter()
        .filter(|k| k["kty"] == "EC" && k["crv"] == "P-256")
        .map(|k| [vec![4u8], b64(k["x"].as_str().expect("x")), b64(k["y"].as_str().expect("y"))].concat())
        .find(|p| UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, p).verify(&ec.input, &ec.sig).is_ok())
        .expect("the vector's key");

    for (name, case, alg) in [("rs256", &rsa, Algorithm::Rs256), ("es256", &ec, Algorithm::Es256)] {
        let mut buf = vec![0u8; jose::scratch_len(case.token.len())];
        let mut nodes = vec![Node::default(); jose::tape_len(case.token.len())];
        let algs = [alg];
        let t = case.token.as_bytes();
        let mut g = c.benchmark_group(format!("jose_{name}_verify_{}B", t.len()));
        g.bench_function("payseal_verify_jws", |b| {
            b.iter(|| {
                let mut tape = Tape::from_slice(&mut nodes);
                jose::verify_jws(black_box(t), &case.keys, &algs, &mut buf, &mut tape).expect("verifies").payload.len()
            });
        });
        g.bench_function("ring_verify", |b| {
            b.iter(|| {
                let r = if alg == Algorithm::Rs256 {
                    rs::RsaPublicKeyComponents { n: &n, e: &e }.verify(
                        &rs::RSA_PKCS1_2048_8192_SHA256,
                        black_box(&case.input),
                        &case.sig,
                    )
                } else {
                    UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, &point)
                        .verify(black_box(&case.input), &case.sig)
                };
                r.expect("verifies");
            });
        });
        g.finish();
    }
}

criterion_group!(benches, bench_hs256, bench_asymmetric);
criterion_main!(benches);
