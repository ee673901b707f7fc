//! Every case of `jws.jsonl` (from `$PAYSEAL_VECTORS`, default `../shared/vectors`), through
//! the allocation-free path (slice-backed tape, caller buffer) for verification.

use std::path::PathBuf;

use base64::Engine as _;
use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};
use payseal::json::{Node, Tape};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

const ERRORS: &[&str] = &[
    "malformed",
    "alg_not_allowed",
    "crit_unsupported",
    "key_not_found",
    "bad_signature",
    "expired",
    "not_yet_valid",
    "audience",
    "issuer",
];

fn s<'a>(v: &'a Value, name: &str) -> Result<&'a str, String> {
    v.get(name).and_then(Value::as_str).ok_or_else(|| format!("field `{name}` missing"))
}

fn verdict(got: Result<(), &'static str>, expect: &str) -> Result<(), String> {
    if expect != "ok" && expect != "invalid" && !ERRORS.contains(&expect) {
        return Err(format!("unknown expect {expect:?}"));
    }
    match (got, expect) {
        (Ok(()), "ok") | (Err(_), "invalid") => Ok(()),
        (Err(e), want) if e == want => Ok(()),
        (got, want) => Err(format!("got {:?}, expected {want}", got.err().unwrap_or("ok"))),
    }
}

fn case(v: &Value) -> Result<(), String> {
    let op = s(v, "op")?;
    let expect = s(v, "expect")?;
    if op == "jws_sign" {
        let key = SigningKey::from_jwk(v["jwk"].to_string().as_bytes()).map_err(|e| format!("key: {e}"))?;
        let payload =
            base64::engine::general_purpose::STANDARD.decode(s(v, "payload_b64")?).map_err(|e| e.to_string())?;
        let token = jose::sign_to_string(s(v, "header")?.as_bytes(), &payload, &key).map_err(|e| e.to_string())?;
        return if token == expect { Ok(()) } else { Err(format!("signed {token}")) };
    }
    let token = s(v, "token")?.as_bytes();
    let keys = KeySet::from_json(v["jwks"].to_string().as_bytes()).map_err(|e| format!("jwks: {e}"))?;
    let algs: Vec<Algorithm> = v["algorithms"]
        .as_array()
        .ok_or("algorithms")?
        .iter()
        .filter_map(Value::as_str)
        .filter_map(Algorithm::from_name)
        .collect();
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut nodes = vec![Node::default(); jose::tape_len(token.len())];
    let mut tape = Tape::from_slice(&mut nodes);
    match op {
        "jws_verify" => {
            let got = jose::verify_jws(token, &keys, &algs, &mut buf, &mut tape);
            verdict(got.as_ref().map(|_| ()).map_err(|e| e.code()), expect)?;
            if let (Ok(ok), Some(want)) = (got, v.get("payload_b64").and_then(Value::as_str)) {
                let want = base64::engine::general_purpose::STANDARD.decode(want).map_err(|e| e.to_string())?;
                if ok.payload != want {
                    return Err("payload differs".into());
                }
            }
            Ok(())
        }
        "jwt_verify" => {
            let mut val = Validation::at(&algs, v["now"].as_i64().ok_or("now")?);
            val.leeway = v["leeway"].as_u64().ok_or("leeway")?;
            val.audience = v["audience"].as_str();
            val.issuer = v["issuer"].as_str();
            let got = jose::verify_jwt(token, &keys, &val, &mut buf, &mut tape);
            verdict(got.as_ref().map(|_| ()).map_err(|e| e.code()), expect)?;
            if let (Ok(jwt), Some(want)) = (got, v.get("claims")) {
                let have: Value = serde_json::from_slice(jwt.payload).map_err(|e| e.to_string())?;
                if &have != want {
                    return Err(format!("claims {have}"));
                }
                // The typed view reads the same registered claims.
                if jwt.claims.exp() != want.get("exp").and_then(Value::as_f64) {
                    return Err("exp view differs".into());
                }
            }
            Ok(())
        }
        other => Err(format!("unknown op {other:?}")),
    }
}

#[test]
fn every_jws_vector() {
    let path = vectors_dir().join("jws.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let (mut passed, mut failures) = (0, Vec::new());
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).expect("vector line is JSON");
        match case(&v) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{}: {why}", v["id"])),
        }
    }
    assert!(failures.is_empty(), "{} failed:\n{}", failures.len(), failures.join("\n"));
    assert!(passed > 600, "only {passed} cases");
}
