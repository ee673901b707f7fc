//! `payseal jwt verify|sign|inspect` end to end (exit codes: 0 accepted, 1 rejected, 2 usage
//! or unusable keys), and the conformance runner's handling of `jws.jsonl`-format folders
//! (`invalid` is any error; an unknown `expect` fails the run).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_payseal"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn payseal");
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("payseal output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// A scratch folder under the target directory, fresh for each test.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("scratch dir");
    dir
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write");
    path.to_string_lossy().into_owned()
}

const K1: &str = r#"{"kty":"oct","kid":"k1","k":"IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0"}"#;

#[test]
fn sign_then_verify_and_every_rejection() {
    let dir = scratch("jwt_sign_verify");
    let jwk = write(&dir, "k1.json", K1);
    // Keycloak-like: an encryption key and an unknown type next to the signing key.
    let jwks = write(
        &dir,
        "jwks.json",
        &format!(
            r#"{{"keys":[{{"kty":"RSA","use":"enc","alg":"RSA-OAEP","kid":"e","n":"AQAB","e":"AQAB"}},{K1},{{"kty":"XYZ"}}]}}"#
        ),
    );
    let claims = br#"{"sub":"charge_1","exp":2000000000,"nbf":1000,"aud":["account","merchant-api"],"iss":"ppro"}"#;
    let signed = run(&["jwt", "sign", "--jwk", &jwk, "--alg", "HS256"], claims);
    assert_eq!(code(&signed), 0, "{}", String::from_utf8_lossy(&signed.stderr));
    let token = stdout(&signed);
    assert_eq!(token.split('.').count(), 3);

    let verify = |extra: &[&str], stdin: &[u8]| {
        let mut args = vec!["jwt", "verify", "--jwks", &jwks, "--alg", "HS256,RS256", "--now", "1500000000"];
        args.extend_from_slice(extra);
        run(&args, stdin)
    };
    let ok = verify(&["--aud", "account", "--iss", "ppro", &token], b"");
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stderr));
    assert_eq!(stdout(&ok).as_bytes(), claims);
    // Token on stdin, with a trailing newline.
    assert_eq!(code(&verify(&[], format!("{token}\n").as_bytes())), 0);
    for (extra, want) in [
        (vec!["--aud", "other"], "audience"),
        (vec!["--iss", "other"], "issuer"),
        (vec!["--now", "2000000000"], "expired"),
        (vec!["--now", "999"], "not_yet_valid"),
    ] {
        let mut args = extra.clone();
        args.push(&token);
        let out = verify(&args, b"");
        assert_eq!((code(&out), stdout(&out).as_str()), (1, want), "{extra:?}");
    }
    let leeway = verify(&["--now", "2000000000", "--leeway", "5", &token], b"");
    assert_eq!(code(&leeway), 0);
    let wrong_alg = run(&["jwt", "verify", "--jwks", &jwks, "--alg", "RS256", &token], b"");
    assert_eq!((code(&wrong_alg), stdout(&wrong_alg).as_str()), (1, "alg_not_allowed"));
    let mut tampered = token.clone();
    tampered.replace_range(tampered.len() - 2.., "AA");
    let bad = verify(&[&tampered], b"");
    assert_eq!((code(&bad), stdout(&bad).as_str()), (1, "bad_signature"));
    let garbage = verify(&["a.b"], b"");
    assert_eq!((code(&garbage), stdout(&garbage).as_str()), (1, "malformed"));

    // --jws: the payload as bytes, no claim checks; one JWK instead of a set.
    let jws = run(&["jwt", "sign", "--jwk", &jwk, "--header", r#"{"alg":"HS256"}"#], b"not json");
    let jws_token = stdout(&jws);
    let out = run(&["jwt", "verify", "--jwk", &jwk, "--alg", "HS256", "--jws", &jws_token], b"");
    assert_eq!((code(&out), stdout(&out).as_str()), (0, "not json"));
    let as_jwt = run(&["jwt", "verify", "--jwk", &jwk, "--alg", "HS256", &jws_token], b"");
    assert_eq!((code(&as_jwt), stdout(&as_jwt).as_str()), (1, "malformed"));
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("jwt_usage");
    let jwk = write(&dir, "k1.json", K1);
    let broken = write(&dir, "broken.json", r#"{"keys": 1}"#);
    for args in [
        vec!["jwt"],
        vec!["jwt", "verify", "--jwk", &jwk, "x.y.z"],
        vec!["jwt", "verify", "--jwk", &jwk, "--alg", "none", "x.y.z"],
        vec!["jwt", "verify", "--jwk", &jwk, "--alg", "hs256", "x.y.z"],
        vec!["jwt", "verify", "--alg", "HS256", "x.y.z"],
        vec!["jwt", "verify", "--jwks", &broken, "--alg", "HS256", "x.y.z"],
        vec!["jwt", "verify", "--jwks", "/nonexistent", "--alg", "HS256", "x.y.z"],
        vec!["jwt", "sign", "--alg", "HS256"],
        vec!["jwt", "sign", "--jwk", &jwk],
        vec!["jwt", "sign", "--jwk", &jwk, "--alg", "RS256"],
        vec!["jwt", "sign", "--jwk", &jwk, "--alg", "HS256", "--bogus"],
    ] {
        assert_eq!(code(&run(&args, b"{}")), 2, "{args:?}");
    }
}

#[test]
fn inspect_marks_everything_unverified() {
    let token = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
    let out = run(&["jwt", "inspect", token], b"");
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("UNVERIFIED header: {\"alg\":\"HS256\"}"), "{text}");
    assert!(text.contains("UNVERIFIED claims: {\"sub\":\"x\"}"), "{text}");
    assert!(text.contains("NOT checked"), "{text}");
    let bad = run(&["jwt", "inspect", "e30.e30.c2ln="], b"");
    assert_eq!((code(&bad), stdout(&bad).as_str()), (1, "malformed"));
}

#[test]
fn runner_reads_invalid_as_any_error_and_fails_on_unknown_expect() {
    let text = std::fs::read_to_string(vectors_dir().join("jws.jsonl")).expect("jws.jsonl");
    let mut malformed: serde_json::Value = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("json"))
        .find(|v| v["op"] == "jws_verify" && v["expect"] == "bad_signature")
        .expect("a bad_signature case");
    let run_with = |expect: &str, case: &mut serde_json::Value| {
        case["expect"] = serde_json::Value::from(expect);
        let dir = scratch(&format!("jws_runner_{expect}"));
        write(&dir, "jws.jsonl", &format!("{case}\n"));
        code(&run(&["conformance", &dir.to_string_lossy()], b""))
    };
    assert_eq!(run_with("invalid", &mut malformed), 0);
    assert_eq!(run_with("bad_signature", &mut malformed), 0);
    assert_eq!(run_with("malformed", &mut malformed), 1);
    assert_eq!(run_with("ok", &mut malformed), 1);
    assert_eq!(run_with("no_such_outcome", &mut malformed), 1);
}
