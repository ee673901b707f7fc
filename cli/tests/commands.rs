//! End-to-end tests of the `payseal` commands: what an operator types, what comes back, and
//! the exit codes scripts rely on (0 accepted, 1 rejected, 2 usage or unusable input).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use hmac::{Hmac, Mac};
use sha2::Sha256;

fn fixtures() -> PathBuf {
    std::env::var_os("PAYSEAL_FIXTURES")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures"))
}

/// Runs `payseal ARGS` with `stdin` and extra environment variables.
fn run(args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_payseal"));
    cmd.args(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    for var in ["PAYSEAL_SECRET", "PAYSEAL_EUPAY_SECRET", "PAYSEAL_WEBHOOK_SECRET", "PAYSEAL_PAYLANDS_SIGNATURE"] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().expect("spawn payseal");
    // A command may exit before reading its input (usage errors): a broken pipe is fine.
    let _ = child.stdin.take().expect("stdin").write_all(stdin);
    child.wait_with_output().expect("payseal output")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).trim_end().to_owned()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

#[test]
fn json_canon_prints_each_dialect() {
    let input = br#"{"amount": 12.50, "note": "caf\u00e9 / th\u00e9", "items": {"1": "b", "0": "a"}}"#;
    let js = run(&["json", "canon", "--dialect", "js"], input, &[]);
    assert_eq!(stdout(&js), r#"{"amount":12.5,"note":"café / thé","items":{"0":"a","1":"b"}}"#);
    let php = run(&["json", "canon", "--dialect", "php"], input, &[]);
    // The README's example, byte for byte.
    assert_eq!(stdout(&php), r#"{"amount":12.5,"note":"caf\u00e9 \/ th\u00e9","items":{"1":"b","0":"a"}}"#);
    let unescaped =
        run(&["json", "canon", "--dialect", "php", "--unescaped-slashes", "--unescaped-unicode"], input, &[]);
    assert_eq!(stdout(&unescaped), r#"{"amount":12.5,"note":"café / thé","items":{"1":"b","0":"a"}}"#);
    let list = run(&["json", "canon", "--dialect", "php"], br#"{"0": "a", "1": "b"}"#, &[]);
    assert_eq!(stdout(&list), r#"["a","b"]"#);
    let dup = run(&["json", "canon", "--dialect", "js"], br#"{"a":1,"a":2}"#, &[]);
    assert_eq!(code(&dup), 1);
    assert!(String::from_utf8_lossy(&dup.stderr).contains("duplicate_key"));
    assert_eq!(code(&run(&["json", "canon"], b"{}", &[])), 2);
    assert_eq!(code(&run(&["json", "canon", "--dialect", "js", "--unescaped-slashes"], b"{}", &[])), 2);
}

#[test]
fn unknown_commands_are_usage_errors() {
    assert_eq!(code(&run(&["frobnicate"], b"", &[])), 2);
    assert_eq!(code(&run(&[], b"", &[])), 2);
    assert_eq!(code(&run(&["help"], b"", &[])), 0);
}

#[test]
fn eupay_qr_sign_verify_tamper() {
    let payload = std::fs::read(fixtures().join("eupay-qr-payload.json")).expect("fixture");
    let env = [("PAYSEAL_EUPAY_SECRET", "s3cr3t")];
    let signed = run(&["eupay", "qr", "sign"], &payload, &env);
    assert_eq!(code(&signed), 0, "{}", String::from_utf8_lossy(&signed.stderr));
    let url = stdout(&signed);
    assert!(url.starts_with("https://www.european-pay.fr/pay?data="));
    let before_expiry = "1781740000";
    assert_eq!(code(&run(&["eupay", "qr", "verify", "--now", before_expiry, &url], b"", &env)), 0);
    let after_expiry = "1781900000";
    let expired = run(&["eupay", "qr", "verify", "--now", after_expiry, &url], b"", &env);
    assert_eq!((code(&expired), stdout(&expired).as_str()), (1, "expired"));
    let wrong_key =
        run(&["eupay", "qr", "verify", "--now", before_expiry, &url], b"", &[("PAYSEAL_EUPAY_SECRET", "other")]);
    assert_eq!((code(&wrong_key), stdout(&wrong_key).as_str()), (1, "bad_signature"));
    let garbage = run(&["eupay", "qr", "verify", "--now", before_expiry, "not a qr"], b"", &env);
    assert_eq!((code(&garbage), stdout(&garbage).as_str()), (1, "malformed"));
    // Signing needs a secret; verification without one is a usage error too.
    assert_eq!(code(&run(&["eupay", "qr", "sign"], &payload, &[])), 2);
}

fn hex_hmac(key: &[u8], parts: &[&[u8]]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    for p in parts {
        mac.update(p);
    }
    const_hex::encode(mac.finalize().into_bytes())
}

#[test]
fn webhook_verify_accepts_signed_bodies_and_rejects_the_rest() {
    let body = std::fs::read(fixtures().join("eupay-webhook-1k.json")).expect("fixture");
    let env = [("PAYSEAL_WEBHOOK_SECRET", "whsec_demo")];
    let header = format!("X-EuPay-Signature: sha256={}", hex_hmac(b"whsec_demo", &[&body]));
    assert_eq!(code(&run(&["eupay", "webhook", "verify", "--header", &header], &body, &env)), 0);
    let mut tampered = body.clone();
    tampered[10] ^= 1;
    let bad = run(&["eupay", "webhook", "verify", "--header", &header], &tampered, &env);
    assert_eq!((code(&bad), stdout(&bad).as_str()), (1, "bad_signature"));
    let missing = run(&["eupay", "webhook", "verify"], &body, &env);
    assert_eq!((code(&missing), stdout(&missing).as_str()), (1, "missing_header"));

    // Stripe: "t.body", two-sided tolerance, rotation through a secret list (one per line).
    let t = "1781699400";
    let sig = hex_hmac(b"whsec_new", &[t.as_bytes(), b".", &body]);
    let header = format!("Stripe-Signature: t={t},v1={sig}");
    let env = [("PAYSEAL_WEBHOOK_SECRET", "whsec_old\nwhsec_new\n")];
    let args = ["webhook", "verify", "--scheme", "stripe", "--header", &header, "--now"];
    assert_eq!(code(&run(&[&args[..], &["1781699500"]].concat(), &body, &env)), 0);
    let old = run(&[&args[..], &["1781709400"]].concat(), &body, &env);
    assert_eq!((code(&old), stdout(&old).as_str()), (1, "timestamp_too_old"));
    let new = run(&[&args[..], &["1781689400"]].concat(), &body, &env);
    assert_eq!((code(&new), stdout(&new).as_str()), (1, "timestamp_too_new"));
    assert_eq!(code(&run(&["webhook", "verify", "--scheme", "nope"], &body, &env)), 2);
}

#[test]
fn paylands_verify_and_hash() {
    let body = std::fs::read(fixtures().join("paylands-notification.json")).expect("fixture");
    let signature = std::fs::read_to_string(fixtures().join("paylands-notification.signature")).expect("fixture");
    let env = [("PAYSEAL_PAYLANDS_SIGNATURE", signature.trim())];
    let ok = run(&["paylands", "verify", "--flags", "auto"], &body, &env);
    assert_eq!(code(&ok), 0, "{}", String::from_utf8_lossy(&ok.stderr));
    let wrong = run(&["paylands", "verify"], &body, &[("PAYSEAL_PAYLANDS_SIGNATURE", "not-the-signature")]);
    assert_eq!(code(&wrong), 1);
    let hash = run(&["paylands", "hash"], &body, &env);
    assert_eq!(code(&hash), 0);
    let text = String::from_utf8_lossy(&body);
    assert!(text.contains(stdout(&hash).as_str()), "the computed hash is the notification's own");
    assert_eq!(code(&run(&["paylands", "verify"], b"not json", &env)), 1);
}

#[test]
fn secrets_and_keys() {
    let env = [("PAYSEAL_SECRET", "sk_test_4eC39HqLyjWDarjtT1zdp7dc")];
    let hashed = run(&["secret", "hash", "--cost", "4"], b"", &env);
    assert_eq!(code(&hashed), 0);
    let hash = stdout(&hashed);
    assert!(hash.starts_with("$2b$04$") && hash.len() == 60, "{hash}");
    assert_eq!(code(&run(&["secret", "verify", "--hash", &hash], b"", &env)), 0);
    let other = [("PAYSEAL_SECRET", "sk_test_other")];
    assert_eq!(code(&run(&["secret", "verify", "--hash", &hash], b"", &other)), 1);
    assert_eq!(code(&run(&["secret", "verify", "--hash", "$2x$04$abc"], b"", &env)), 2);

    let pair = run(&["keys", "new", "--test"], b"", &[]);
    assert_eq!(code(&pair), 0);
    let keys = stdout(&pair);
    let pk = keys.split_whitespace().find(|w| w.starts_with("pk_test_")).expect("a publishable key");
    let inspected = run(&["keys", "inspect", pk], b"", &[]);
    assert_eq!((code(&inspected), stdout(&inspected).as_str()), (0, "publishable key, test environment"));
    assert_eq!(code(&run(&["keys", "inspect", "xk_live_abc"], b"", &[])), 1);
}

/// A command that takes a secret: its variable, its arguments, its stdin, and the secret the
/// test signed its input with.
struct SecretCommand {
    var: &'static str,
    args: Vec<String>,
    stdin: Vec<u8>,
    secret: String,
}

fn secret_commands() -> Vec<SecretCommand> {
    let body = std::fs::read(fixtures().join("eupay-webhook-1k.json")).expect("fixture");
    let payload = std::fs::read(fixtures().join("eupay-qr-payload.json")).expect("fixture");
    let notification = std::fs::read(fixtures().join("paylands-notification.json")).expect("fixture");
    let signature = std::fs::read_to_string(fixtures().join("paylands-notification.signature")).expect("fixture");
    let bcrypt_secret = "sk_test_4eC39HqLyjWDarjtT1zdp7dc";
    let hashed = run(&["secret", "hash", "--cost", "4"], b"", &[("PAYSEAL_SECRET", bcrypt_secret)]);
    assert_eq!(code(&hashed), 0);
    let strings = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    vec![
        SecretCommand {
            var: "PAYSEAL_SECRET",
            args: strings(&["secret", "verify", "--hash", &stdout(&hashed)]),
            stdin: Vec::new(),
            secret: bcrypt_secret.to_owned(),
        },
        SecretCommand {
            var: "PAYSEAL_EUPAY_SECRET",
            args: strings(&["eupay", "qr", "sign"]),
            stdin: payload,
            secret: "s3cr3t".to_owned(),
        },
        SecretCommand {
            var: "PAYSEAL_WEBHOOK_SECRET",
            args: strings(&[
                "eupay",
                "webhook",
                "verify",
                "--header",
                &format!("X-EuPay-Signature: sha256={}", hex_hmac(b"whsec_demo", &[&body])),
            ]),
            stdin: body,
            secret: "whsec_demo".to_owned(),
        },
        SecretCommand {
            var: "PAYSEAL_PAYLANDS_SIGNATURE",
            args: strings(&["paylands", "verify", "--flags", "auto"]),
            stdin: notification,
            secret: signature.trim_end_matches(['\r', '\n']).to_owned(),
        },
    ]
}

/// The one secret rule of every command: the variable or `--secret-file`, exactly one; one
/// trailing `\n` or `\r\n` removed from either; an empty secret refused; never from argv.
#[test]
fn every_command_reads_its_secret_by_one_rule() {
    let dir = std::env::temp_dir().join(format!("payseal-cli-secrets-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let file = dir.join("secret");
    let path = file.to_str().expect("utf-8 path");
    for c in secret_commands() {
        let args: Vec<&str> = c.args.iter().map(String::as_str).collect();
        let with_file: Vec<&str> = [&args[..], &["--secret-file", path]].concat();
        let name = &c.args[..2].join(" ");
        let plain = run(&args, &c.stdin, &[(c.var, &c.secret)]);
        assert_eq!(code(&plain), 0, "{name}: {}", String::from_utf8_lossy(&plain.stderr));
        for ending in ["", "\n", "\r\n"] {
            let value = format!("{}{ending}", c.secret);
            let by_env = run(&args, &c.stdin, &[(c.var, &value)]);
            assert_eq!((code(&by_env), &by_env.stdout), (0, &plain.stdout), "{name} env {ending:?}");
            std::fs::write(&file, &value).expect("write secret file");
            let by_file = run(&with_file, &c.stdin, &[]);
            assert_eq!((code(&by_file), &by_file.stdout), (0, &plain.stdout), "{name} file {ending:?}");
        }
        // Only one newline goes: a second one is part of the secret (so it no longer matches),
        // except for webhooks, which read one secret per line and skip empty lines.
        let two = run(&args, &c.stdin, &[(c.var, &format!("{}\n\n", c.secret))]);
        if c.var != "PAYSEAL_WEBHOOK_SECRET" {
            assert_ne!((code(&two), &two.stdout), (0, &plain.stdout), "{name}: two newlines");
        }
        // Both sources, neither, an empty secret, or the secret on the command line: usage.
        std::fs::write(&file, &c.secret).expect("write secret file");
        assert_eq!(code(&run(&with_file, &c.stdin, &[(c.var, &c.secret)])), 2, "{name}: both");
        assert_eq!(code(&run(&args, &c.stdin, &[])), 2, "{name}: neither");
        assert_eq!(code(&run(&args, &c.stdin, &[(c.var, "\n")])), 2, "{name}: empty");
        std::fs::write(&file, "").expect("write secret file");
        assert_eq!(code(&run(&with_file, &c.stdin, &[])), 2, "{name}: empty file");
        let argv: Vec<&str> = [&args[..], &["--secret", &c.secret]].concat();
        assert_eq!(code(&run(&argv, &c.stdin, &[])), 2, "{name}: argv");
    }
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
}
