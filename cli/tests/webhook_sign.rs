//! `payseal webhook sign`, end to end: what it prints is what `payseal webhook verify` accepts,
//! for every scheme; the exit codes scripts rely on (0 signed, 1 cannot sign, 2 usage).

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run(args: &[&str], stdin: &[u8], secret: Option<&str>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_payseal"));
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env_remove("PAYSEAL_WEBHOOK_SECRET");
    if let Some(s) = secret {
        cmd.env("PAYSEAL_WEBHOOK_SECRET", s);
    }
    let mut child = cmd.spawn().expect("spawn payseal");
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("payseal output")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

/// Splits `sign`'s output into header lines and, after a blank line, the body.
fn split(out: &[u8]) -> (Vec<String>, Option<Vec<u8>>) {
    let mut headers = Vec::new();
    let mut rest = out;
    while let Some(nl) = rest.iter().position(|&b| b == b'\n') {
        let line = &rest[..nl];
        rest = &rest[nl + 1..];
        if line.is_empty() {
            return (headers, Some(rest.to_vec()));
        }
        headers.push(String::from_utf8(line.to_vec()).expect("ASCII header"));
    }
    assert!(rest.is_empty(), "unterminated header line");
    (headers, None)
}

/// Signs `body` with `scheme`, then verifies what was printed through the CLI.
fn sign_then_verify(scheme: &str, secrets: &str, body: &[u8], extra: &[&str]) -> (Vec<String>, Vec<u8>) {
    let mut args = vec!["webhook", "sign", "--scheme", scheme, "--now", "1781699238"];
    args.extend_from_slice(extra);
    let signed = run(&args, body, Some(secrets));
    assert_eq!(code(&signed), 0, "{scheme}: {}", String::from_utf8_lossy(&signed.stderr));
    let (headers, sent) = split(&signed.stdout);
    let carries_body = matches!(scheme, "adyen_item" | "spreedly" | "oppwa" | "oppwa_base64");
    assert_eq!(sent.is_some(), carries_body, "{scheme}");
    let sent = sent.unwrap_or_else(|| body.to_vec());
    let mut verify = vec!["webhook", "verify", "--scheme", scheme, "--now", "1781699300"];
    for h in &headers {
        verify.extend(["--header", h.as_str()]);
    }
    // The verifier holds the old secret first: any rotation order verifies.
    let mut rotated: Vec<&str> = secrets.split('\n').collect();
    rotated.reverse();
    let out = run(&verify, &sent, Some(&rotated.join("\n")));
    assert_eq!(
        code(&out),
        0,
        "{scheme}: {} {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if scheme.starts_with("oppwa") {
        assert_eq!(out.stdout, body, "the plaintext comes back");
    }
    // A one-bit change of the body sent is rejected (exit 1).
    if !sent.is_empty() && !scheme.starts_with("spreedly") && scheme != "adyen_item" {
        let mut changed = sent.clone();
        let last = changed.len() - 1;
        changed[last] ^= 0x01;
        let out = run(&verify, &changed, Some(secrets));
        assert_eq!(code(&out), 1, "{scheme}: a changed body verified");
    }
    (headers, sent)
}

#[test]
fn every_scheme_signs_what_verify_accepts() {
    let json = br#"{"id":"evt_1","type":"payment.completed","amount":1999,"note":"caf\u00e9 / th\u00e9"}"#;
    let hex_key = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    let cases: [(&str, String, &[u8]); 10] = [
        ("eupay", "eu-new\neu-old".into(), json),
        ("github", "gh-new\ngh-old".into(), json),
        ("stripe", "whsec_new\nwhsec_old".into(), json),
        ("standard", "whsec_bmV3LWtleQ==\nwhsec_b2xkLWtleQ==".into(), json),
        ("shopify", "shp-new\nshp-old".into(), json),
        ("checkout", "cko-new\ncko-old".into(), json),
        ("adyen_item", format!("{hex_key}\n00ff"), br#"{"pspReference":"7914073381342284","merchantAccountCode":"M","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true"}"#),
        ("spreedly", "sp-new\nsp-old".into(), b"<transaction><amount>100</amount><order_id>a&amp;b</order_id></transaction>"),
        ("oppwa", format!("{}\n{}", "ab".repeat(32), "cd".repeat(32)), json),
        ("oppwa_base64", format!("{}\n{}", "ab".repeat(32), "cd".repeat(32)), json),
    ];
    for (scheme, secrets, body) in &cases {
        sign_then_verify(scheme, secrets, body, &[]);
    }
    let (headers, _) = sign_then_verify("stripe", "whsec_new", json, &[]);
    assert!(headers[0].starts_with("Stripe-Signature: t=1781699238,v1="), "{headers:?}");
    let (headers, _) = sign_then_verify("standard", "whsec_bmV3LWtleQ==", json, &["--id", "msg_fixture"]);
    assert_eq!(headers[..2], ["webhook-id: msg_fixture".to_owned(), "webhook-timestamp: 1781699238".to_owned()]);
    let (_, sent) = sign_then_verify(
        "spreedly",
        "sp",
        b"<transaction><amount>100</amount><state>ok</state></transaction>",
        &["--fields", "state", "--algorithm", "sha512"],
    );
    assert!(String::from_utf8(sent).expect("utf-8").contains("<fields>state</fields><algorithm>sha512</algorithm>"));
    let iv = ["--iv", "000102030405060708090a0b"];
    let (headers, _) = sign_then_verify("oppwa", &"ab".repeat(32), json, &iv);
    assert_eq!(headers[0], "X-Initialization-Vector: 000102030405060708090a0b");
    // The EU Pay alias.
    let out = run(&["eupay", "webhook", "sign", "--now", "1"], b"{}", Some("eu"));
    assert_eq!(code(&out), 0);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("X-EuPay-Signature: sha256="));
}

#[test]
fn exit_codes() {
    // 1: the body cannot be signed (the error code on stdout).
    let out = run(&["webhook", "sign", "--scheme", "adyen_item"], b"not json", Some("00ff"));
    assert_eq!((code(&out), String::from_utf8_lossy(&out.stdout).trim()), (1, "malformed_body"));
    let out = run(&["webhook", "sign", "--scheme", "spreedly"], b"<transaction/>", Some("s"));
    assert_eq!(code(&out), 1);
    // 2: usage and configuration.
    for (args, secret) in [
        (&["webhook", "sign"][..], Some("s")),
        (&["webhook", "sign", "--scheme", "nope"], Some("s")),
        (&["webhook", "sign", "--scheme", "github"], None),
        (&["webhook", "sign", "--scheme", "github", "--bogus"], Some("s")),
        (&["webhook", "sign", "--scheme", "oppwa"], Some("abcd")),
        (&["webhook", "sign", "--scheme", "standard", "--id", "a b"], Some("whsec_dGVzdA==")),
        (&["webhook", "sign", "--scheme", "stripe", "--now", "-5"], Some("whsec_x")),
        (&["webhook", "sign", "--scheme", "spreedly", "--algorithm", "md5"], Some("s")),
        (&["webhook", "sign", "--scheme", "oppwa", "--iv", "00"], Some(&"ab".repeat(32))),
    ] {
        let out = run(args, b"<transaction><a>1</a></transaction>", secret);
        assert_eq!(code(&out), 2, "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
}
