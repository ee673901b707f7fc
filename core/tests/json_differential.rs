//! Differential tests: payseal's two dialects against the real engines on generated documents.
//!
//! `node` and `php` must be on PATH (`scripts/test` installs php-cli; Node ships with the
//! machine). A missing engine fails the test when `PAYSEAL_REQUIRE_NODE=1` /
//! `PAYSEAL_REQUIRE_PHP=1` (as `scripts/test` sets them); unset, the test skips with a note. `PAYSEAL_DIFF_COUNT` sets the number of documents (default 2000 per dialect)
//! and `PAYSEAL_DIFF_SEED` the first seed.

mod engines;
mod support;

use std::io::Write as _;
use std::process::{Command, Stdio};

use base64::Engine as _;
use payseal::json::{canonicalize_to_vec, Dialect, Error};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::STANDARD;

const NODE_SCRIPT: &str = r#"
const lines = require('fs').readFileSync(0, 'utf8').split('\n').filter(Boolean);
const out = [];
for (const line of lines) {
  try {
    out.push('OK ' + Buffer.from(JSON.stringify(JSON.parse(Buffer.from(line, 'base64').toString('utf8')))).toString('base64'));
  } catch (e) { out.push('ERR'); }
}
process.stdout.write(out.join('\n') + '\n');
"#;

const PHP_SCRIPT: &str = r#"
$flags = (int)($argv[1] ?? 0);
while (($line = fgets(STDIN)) !== false) {
  $line = trim($line);
  if ($line === '') continue;
  $v = json_decode(base64_decode($line), true);
  if (json_last_error() !== JSON_ERROR_NONE) { echo "ERR ", json_last_error(), "\n"; continue; }
  $s = json_encode($v, $flags);
  if ($s === false) { echo "ERR encode\n"; continue; }
  echo "OK ", base64_encode($s), "\n";
}
"#;

fn count() -> u64 {
    std::env::var("PAYSEAL_DIFF_COUNT").ok().and_then(|s| s.parse().ok()).unwrap_or(2000)
}

fn seed() -> u64 {
    std::env::var("PAYSEAL_DIFF_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(1)
}

/// Runs `cmd` with one base64 document per line on stdin; returns one answer per line.
fn run_engine(mut cmd: Command, docs: &[String]) -> Vec<String> {
    let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).spawn().expect("spawn engine");
    let mut input = String::new();
    for d in docs {
        input.push_str(&B64.encode(d));
        input.push('\n');
    }
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().expect("engine output");
    writer.join().expect("writer thread").expect("write stdin");
    assert!(out.status.success(), "engine failed");
    String::from_utf8(out.stdout).expect("utf8").lines().map(str::to_owned).collect()
}

/// Errors that are payseal's policy (stricter than the engines), not disagreements.
fn is_policy(e: &Error) -> bool {
    matches!(e, Error::DuplicateKey { .. } | Error::NumberRange { .. } | Error::Depth { .. })
}

fn compare(name: &str, dialect: Dialect, docs: &[String], answers: &[String]) {
    assert_eq!(docs.len(), answers.len(), "{name}: engine answered {} of {} documents", answers.len(), docs.len());
    let (mut same, mut policy, mut both_err) = (0, 0, 0);
    let mut mismatches = Vec::new();
    for (doc, answer) in docs.iter().zip(answers) {
        let ours = canonicalize_to_vec(doc.as_bytes(), dialect);
        let theirs = answer.strip_prefix("OK ").map(|b| B64.decode(b).expect("engine base64"));
        match (&ours, &theirs) {
            (Ok(a), Some(b)) if a == b => same += 1,
            (Err(e), _) if is_policy(e) => policy += 1,
            (Err(_), None) => both_err += 1,
            _ => mismatches.push(format!(
                "input {doc:?}\n  payseal: {:?}\n  engine:  {:?}",
                ours.as_ref().map(|v| String::from_utf8_lossy(v).into_owned()),
                theirs.as_ref().map(|v| String::from_utf8_lossy(v).into_owned()).ok_or(answer)
            )),
        }
    }
    println!(
        "{name}: {same} identical, {both_err} rejected by both, {policy} rejected by policy, {} mismatches",
        mismatches.len()
    );
    assert!(
        mismatches.is_empty(),
        "{name}: {} mismatches, first:\n{}",
        mismatches.len(),
        mismatches[..mismatches.len().min(5)].join("\n")
    );
    assert!(same > docs.len() / 2, "{name}: too few documents compared ({same})");
}

fn documents(opts: support::Options) -> Vec<String> {
    let first = seed();
    (first..first + count()).map(|s| support::document(&mut support::Rng::new(s), opts)).collect()
}

#[test]
fn js_dialect_matches_node() {
    if !engines::available("node") {
        return;
    }
    let docs = documents(support::Options::default());
    let mut cmd = Command::new("node");
    cmd.arg("-e").arg(NODE_SCRIPT);
    let answers = run_engine(cmd, &docs);
    compare("node JSON.stringify(JSON.parse)", Dialect::Js, &docs, &answers);
}

#[test]
fn php_dialects_match_php() {
    if !engines::available("php") {
        return;
    }
    // Lone surrogates are a PHP error: keep them rare so most documents are compared.
    let mut docs = documents(support::Options { lone_surrogates: false, ..support::Options::default() });
    docs.extend(documents(support::Options::default()).into_iter().take(docs.len() / 10));
    for (flags, dialect) in [(0, Dialect::php_default()), (64 | 256, Dialect::php_unescaped())] {
        let mut cmd = Command::new("php");
        cmd.arg("-r").arg(PHP_SCRIPT).arg(flags.to_string());
        let answers = run_engine(cmd, &docs);
        compare(&format!("php json_encode(json_decode(x, true), {flags})"), dialect, &docs, &answers);
    }
}
