//! Differential test against the reference engine: Node.js signs 2,000+ generated payloads
//! the way EU Pay does (`JSON.stringify(JSON.parse(text))`, `crypto.createHmac`,
//! `Buffer.toString('base64url')`) in one process, and every URL must equal payseal's.
//! A missing `node` fails the test when `PAYSEAL_REQUIRE_NODE=1` (as `scripts/test` sets it);
//! unset, the test skips with a note.

mod engines;
mod eupay_support;

use std::io::Write;
use std::process::{Command, Stdio};

use base64::Engine as _;
use eupay_support::{payload, Mode, Rng};
use payseal::eupay::QrSigner;

const CASES: usize = 2_500;

const SCRIPT: &str = r#"
const crypto = require('crypto');
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = [];
for (const line of lines) {
  const { secret, payload } = JSON.parse(line);
  const key = Buffer.from(secret, 'base64');
  const p = JSON.parse(Buffer.from(payload, 'base64').toString('utf8'));
  const canonical = JSON.stringify(p);
  const sig = crypto.createHmac('sha256', key).update(canonical).digest('hex');
  const envelope = JSON.stringify({ payload: p, sig });
  out.push('https://www.european-pay.fr/pay?data=' + Buffer.from(envelope).toString('base64url'));
}
process.stdout.write(out.join('\n') + '\n');
"#;

#[test]
fn urls_match_node() {
    if !engines::available("node") {
        return;
    }
    let b64 = &base64::engine::general_purpose::STANDARD;
    let mut rng = Rng::new(0x5eed_e0fa);
    let mut cases = Vec::with_capacity(CASES);
    let mut input = String::new();
    for i in 0..CASES {
        let secret_len = [1, 2, 6, 32, 64, 65, 100][i % 7];
        let secret = rng.bytes(secret_len);
        let mode = if i % 4 == 0 { Mode::Tame } else { Mode::Wild };
        let expires = rng.chance(50).then_some("2026-06-18T05:28:20.000Z");
        let text = payload(&mut rng, mode, expires);
        input.push_str(&format!(r#"{{"secret":"{}","payload":"{}"}}"#, b64.encode(&secret), b64.encode(&text)));
        input.push('\n');
        cases.push((secret, text));
    }

    let mut child = Command::new("node")
        .args(["-e", SCRIPT])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start node");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("node output");
    writer.join().expect("writer thread").expect("write to node");
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).expect("node prints ASCII");
    let urls: Vec<&str> = text.lines().collect();
    assert_eq!(urls.len(), CASES);

    let mut wild_with_escapes = 0;
    for ((secret, payload), want) in cases.iter().zip(&urls) {
        let got = QrSigner::new(secret)
            .expect("non-empty secret")
            .sign_to_url(payload.as_bytes())
            .unwrap_or_else(|e| panic!("{payload}: {e}"));
        assert_eq!(got, *want, "payload {payload:?} secret {secret:?}");
        wild_with_escapes += usize::from(payload.contains("\\u"));
    }
    assert!(wild_with_escapes > CASES / 4, "the generator should exercise escapes");
    println!("eupay_node: {CASES} payloads signed identically by payseal and node {}", node_version());
}

fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_default()
}
