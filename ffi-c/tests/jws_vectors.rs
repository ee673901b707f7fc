//! `jws.jsonl` through the C ABI from Rust: every case of the three operations
//! (`jws_verify`, `jwt_verify`, `jws_sign`) via `payseal_jwk_set_new`, `payseal_jws_verify`,
//! `payseal_jwt_verify` and `payseal_jws_sign`, with the result code's name compared with
//! `expect` (`invalid`: any error) and the payload, claims or token compared with the vector's.
//! The vectors are read from `$PAYSEAL_VECTORS` (else `../shared/vectors` beside the
//! repository); a missing file fails.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use std::ffi::CStr;
use std::path::PathBuf;

use payseal::encoding::base64;
use payseal::json::{self, Dialect, Kind, Tape, Value};
use payseal_ffi::jose::{
    payseal_jwk_set_free, payseal_jwk_set_new, payseal_jws_sign, payseal_jws_verify, payseal_jwt_verify,
};
use payseal_ffi::result::payseal_result_name;
use payseal_ffi::PaysealResult;

fn vectors() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

fn name(rc: PaysealResult) -> String {
    // SAFETY: payseal_result_name returns a static NUL-terminated string.
    unsafe { CStr::from_ptr(payseal_result_name(rc as u32)) }.to_str().unwrap().to_owned()
}

/// A string member, escapes decoded.
fn text(v: Value<'_>, field: &str) -> Vec<u8> {
    let s = v.get(field).unwrap_or_else(|| panic!("missing {field}"));
    let mut out = vec![0u8; s.raw().map_or(0, <[u8]>::len)];
    let n = s.decode_str(&mut out).expect("a string").expect("decodes");
    out.truncate(n);
    out
}

/// A member as JSON text again (JavaScript's canonical form).
fn json_of(v: Value<'_>, field: &str) -> Vec<u8> {
    let mut out = Vec::new();
    v.get(field).unwrap_or_else(|| panic!("missing {field}")).emit(Dialect::Js, &mut out).expect("emits");
    out
}

fn canonical(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    json::canonicalize(input, Dialect::Js, &mut Tape::new(), &mut out).expect("JSON");
    out
}

fn b64(v: Value<'_>, field: &str) -> Vec<u8> {
    let t = text(v, field);
    let mut out = vec![0u8; t.len()];
    let n = base64::standard_decode(&t, &mut out).expect("base64");
    out.truncate(n);
    out
}

/// Runs one case; `None` when the ABI agrees with the vector.
fn run(case: Value<'_>) -> Option<String> {
    let op = text(case, "op");
    let expect = String::from_utf8(text(case, "expect")).unwrap();
    let mut out = vec![0u8; 128 * 1024];
    let mut n = 0usize;
    if op == b"jws_sign" {
        let (jwk, header, payload) = (json_of(case, "jwk"), text(case, "header"), b64(case, "payload_b64"));
        // SAFETY: every pointer is a live local for the call.
        let rc = unsafe {
            payseal_jws_sign(
                jwk.as_ptr(),
                jwk.len(),
                header.as_ptr(),
                header.len(),
                payload.as_ptr(),
                payload.len(),
                out.as_mut_ptr(),
                out.len(),
                &mut n,
            )
        };
        return (rc != PaysealResult::PAYSEAL_OK || out[..n] != *expect.as_bytes())
            .then(|| format!("{}: {:?}", name(rc), String::from_utf8_lossy(&out[..n])));
    }
    let doc = json_of(case, "jwks");
    let token = text(case, "token");
    let algs: Vec<String> = case
        .get("algorithms")
        .expect("algorithms")
        .elements()
        .map(|a| String::from_utf8(text_value(a)).unwrap())
        .collect();
    let algs = algs.join(",");
    let mut set = core::ptr::null_mut();
    // SAFETY: live locals.
    let mut rc = unsafe { payseal_jwk_set_new(doc.as_ptr(), doc.len(), &mut set) };
    if rc == PaysealResult::PAYSEAL_OK {
        rc = if op == b"jws_verify" {
            // SAFETY: a live handle and locals.
            unsafe {
                payseal_jws_verify(
                    set,
                    token.as_ptr(),
                    token.len(),
                    algs.as_ptr(),
                    algs.len(),
                    out.as_mut_ptr(),
                    out.len(),
                    &mut n,
                )
            }
        } else {
            let opt = |f: &str| case.get(f).filter(|v| v.kind() == Kind::String).map(|_| text(case, f));
            let (aud, iss) = (opt("audience"), opt("issuer"));
            let ptr = |o: &Option<Vec<u8>>| o.as_ref().map_or((core::ptr::null(), 0), |v| (v.as_ptr(), v.len()));
            let ((a, al), (i, il)) = (ptr(&aud), ptr(&iss));
            let leeway = case.get("leeway").and_then(|v| v.as_i64()).expect("leeway");
            let now = case.get("now").and_then(|v| v.as_i64()).expect("now");
            // SAFETY: a live handle and locals.
            unsafe {
                payseal_jwt_verify(
                    set,
                    token.as_ptr(),
                    token.len(),
                    algs.as_ptr(),
                    algs.len(),
                    a,
                    al,
                    i,
                    il,
                    u64::try_from(leeway).unwrap(),
                    now,
                    out.as_mut_ptr(),
                    out.len(),
                    &mut n,
                )
            }
        };
    }
    // SAFETY: the set (or NULL) is freed once.
    unsafe { payseal_jwk_set_free(set) };
    let got = name(rc);
    let agrees = match expect.as_str() {
        "invalid" => rc != PaysealResult::PAYSEAL_OK,
        "ok" | "malformed" | "alg_not_allowed" | "crit_unsupported" | "key_not_found" | "bad_signature" | "expired"
        | "not_yet_valid" | "audience" | "issuer" => got == expect,
        other => return Some(format!("unknown expect {other:?}")),
    };
    if !agrees {
        return Some(format!("got {got}, expected {expect}"));
    }
    if rc == PaysealResult::PAYSEAL_OK && op == b"jws_verify" && case.get("payload_b64").is_some() {
        let want = b64(case, "payload_b64");
        return (out[..n] != want[..]).then(|| "payload differs".to_owned());
    }
    if rc == PaysealResult::PAYSEAL_OK && op == b"jwt_verify" && case.get("claims").is_some() {
        let (got, want) = (canonical(&out[..n]), json_of(case, "claims"));
        return (got != want).then(|| format!("claims {}", String::from_utf8_lossy(&got)));
    }
    None
}

fn text_value(v: Value<'_>) -> Vec<u8> {
    let mut out = vec![0u8; v.raw().map_or(0, <[u8]>::len)];
    let n = v.decode_str(&mut out).expect("a string").expect("decodes");
    out.truncate(n);
    out
}

#[test]
fn every_jws_vector_through_the_c_abi() {
    let path = vectors().join("jws.jsonl");
    let file =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e} (set PAYSEAL_VECTORS)", path.display()));
    let (mut passed, mut failures) = (0, Vec::new());
    for line in file.lines().filter(|l| !l.trim().is_empty()) {
        let mut tape = Tape::new();
        let doc = json::parse(line.as_bytes(), Dialect::Js, &mut tape).expect("a JSON line");
        let case = doc.root();
        let id = String::from_utf8(text(case, "id")).unwrap();
        match run(case) {
            None => passed += 1,
            Some(why) => failures.push(format!("{id}: {why}")),
        }
    }
    assert!(failures.is_empty(), "{} passed, {} failed:\n{}", passed, failures.len(), failures.join("\n"));
    assert!(passed > 600, "only {passed} cases");
}
