//! `jws.jsonl`: JWS and JWT verification and JWS signing (`op`: `jws_verify`, `jwt_verify`,
//! `jws_sign`). `expect` is `ok` (verify), the compact token (sign), one of the error names,
//! or `invalid` (any error; used by further vector sets of the same format).

use payseal::jose::{self, Algorithm, KeySet, SigningKey, Validation};
use payseal::json::Tape;
use serde_json::Value;

use super::fields::unknown;
use super::{CaseResult, Fields};

/// The error names `jws.jsonl` uses.
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

/// A `jws.jsonl` case.
pub fn case(f: &Fields<'_>) -> CaseResult {
    match f.str("op")? {
        "jws_verify" => verify_case(f, false),
        "jwt_verify" => verify_case(f, true),
        "jws_sign" => sign_case(f),
        other => Err(unknown("op", other)),
    }
}

/// Compares a verdict (`Ok` or an error name) with `expect`.
fn compare(got: Result<(), &'static str>, expect: &str) -> CaseResult {
    match (got, expect) {
        (Ok(()), "ok") => Ok(()),
        (Err(_), "invalid") => Ok(()),
        (Err(e), want) if e == want => Ok(()),
        (got, want) => Err(format!("got {}, expected {want}", got.err().unwrap_or("ok"))),
    }
}

fn check_expect(expect: &str) -> CaseResult {
    if expect == "ok" || expect == "invalid" || ERRORS.contains(&expect) {
        Ok(())
    } else {
        Err(unknown("expect", expect))
    }
}

fn algorithms(f: &Fields<'_>) -> Result<Vec<Algorithm>, String> {
    let list = f.get("algorithms").and_then(Value::as_array).ok_or("field `algorithms` missing or not an array")?;
    // Names that are not algorithms (`none`, any spelling) can never be allowed: dropped.
    Ok(list.iter().filter_map(Value::as_str).filter_map(Algorithm::from_name).collect())
}

fn json_text(f: &Fields<'_>, name: &str) -> Result<String, String> {
    let v = f.get(name).ok_or_else(|| format!("field `{name}` missing"))?;
    serde_json::to_string(v).map_err(|e| e.to_string())
}

fn opt_str<'a>(f: &Fields<'a>, name: &str) -> Result<Option<&'a str>, String> {
    match f.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("field `{name}` is neither a string nor null")),
    }
}

fn verify_case(f: &Fields<'_>, jwt: bool) -> CaseResult {
    let expect = f.str("expect")?;
    check_expect(expect)?;
    let token = f.str("token")?.as_bytes();
    let keys = match KeySet::from_json(json_text(f, "jwks")?.as_bytes()) {
        Ok(k) => k,
        Err(e) => return compare(Err(e.code()), expect),
    };
    let algs = algorithms(f)?;
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut tape = Tape::new();
    if !jwt {
        let got = jose::verify_jws(token, &keys, &algs, &mut buf, &mut tape);
        let verdict = got.as_ref().map(|_| ()).map_err(|e| e.code());
        compare(verdict, expect)?;
        if let (Ok(v), Some(want)) = (got, f.opt_b64("payload_b64")?) {
            if v.payload != want {
                return Err(format!("payload {:?}, expected {:?}", v.payload, want));
            }
        }
        return Ok(());
    }
    let mut validation =
        Validation::at(&algs, f.i64("now")?).leeway(f.i64("leeway")?.try_into().map_err(|_| "leeway")?);
    validation.audience = opt_str(f, "audience")?;
    validation.issuer = opt_str(f, "issuer")?;
    let got = jose::verify_jwt(token, &keys, &validation, &mut buf, &mut tape);
    let verdict = got.as_ref().map(|_| ()).map_err(|e| e.code());
    compare(verdict, expect)?;
    if let (Ok(jwt), Some(want)) = (got, f.get("claims")) {
        // Compared as JSON values (numbers numerically: `-0.0` equals `0`).
        let have: Value = serde_json::from_slice(jwt.payload).map_err(|e| e.to_string())?;
        if &have != want {
            return Err(format!("claims {have}, expected {want}"));
        }
    }
    Ok(())
}

fn sign_case(f: &Fields<'_>) -> CaseResult {
    let expect = f.str("expect")?;
    let key = SigningKey::from_jwk(json_text(f, "jwk")?.as_bytes());
    let header = f.str("header")?.as_bytes();
    let payload = f.b64("payload_b64")?;
    let got = key.and_then(|k| jose::sign_to_string(header, &payload, &k));
    if ERRORS.contains(&expect) || expect == "invalid" {
        return compare(got.map(|_| ()).map_err(|e| e.code()), expect);
    }
    if expect == "ok" || expect.split('.').count() != 3 {
        return Err(unknown("expect", expect));
    }
    match got {
        Ok(token) if token == expect => Ok(()),
        Ok(token) => Err(format!("signed {token}, expected {expect}")),
        Err(e) => Err(format!("signing failed: {}", e.code())),
    }
}
