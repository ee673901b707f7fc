//! Differential fuzzing of payseal's JSON dialects against the real engines: JavaScript with
//! `node` (`JSON.stringify(JSON.parse(x))`), PHP with `php` (`json_encode(json_decode(x, true))`
//! with default flags and with `JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES`), and RFC 8785
//! (JCS) with the RFC's JavaScript reference, the `canonicalize` npm package
//! (`canonicalize(JSON.parse(x))`; the package's directory in `PAYSEAL_CANONICALIZE`, which
//! `scripts/diff-fuzz` installs).
//!
//! Documents come from `payseal_fuzz::gen` (seed `S` .. `S + N`) and go to one engine process
//! per batch. Each comparison is one of: identical; rejected by both; rejected by payseal's
//! policy (stricter than the engine on purpose: duplicate keys, overflow to infinity, nesting,
//! invalid UTF-8), and only when an independent check (node's own tokenizer, or Rust's UTF-8
//! validation) confirms the document has that property; or a mismatch. Mismatches are
//! minimised (by re-running the engines on smaller candidates) and printed; the exit status is
//! 1 when there is any.
//!
//! Usage: diff_fuzz --count N [--seed S] [--batch B] [--dialects js,php,jcs] [--show K]

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Command, ExitCode, Stdio};
use std::time::Instant;

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine as _;
use payseal::json::{canonicalize_to_vec, Dialect, Error};

/// For each base64 line: `OK <canonical b64> <dup 0|1> <overflow 0|1> <max depth> <lone 0|1>`
/// or `ERR` (`lone`: a string or name holds an unpaired surrogate).
/// The facts come from a small tokenizer over the accepted text, independent of payseal. The
/// canonical form is `JSON.stringify`'s, or (JCS) `canonicalize`'s when `PAYSEAL_JCS=1`.
const NODE_SCRIPT: &str = r#"
const TOKEN = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|[{}\[\]:,]|true|false|null|[ \t\n\r]+/gy;
function facts(t) {
  let depth = 0, max = 0, dup = 0, range = 0, lone = 0, key = false;
  const stack = [];
  TOKEN.lastIndex = 0;
  let m;
  while ((m = TOKEN.exec(t)) !== null) {
    const tok = m[0], c = tok[0];
    if (c === '{') { stack.push(new Set()); depth++; key = true; }
    else if (c === '[') { stack.push(null); depth++; key = false; }
    else if (c === '}' || c === ']') { stack.pop(); depth--; }
    else if (c === ',') { key = stack[stack.length - 1] !== null; }
    else if (c === '"') {
      const top = stack[stack.length - 1];
      const s = JSON.parse(tok);
      if (!s.isWellFormed()) lone = 1;
      if (top && key) { if (top.has(s)) dup = 1; top.add(s); }
      key = false;
    } else if (c === '-' || (c >= '0' && c <= '9')) { if (!isFinite(Number(tok))) range = 1; }
    if (depth > max) max = depth;
  }
  return dup + ' ' + range + ' ' + max + ' ' + lone;
}
function run(print) {
  const rl = require('readline').createInterface({ input: process.stdin, crlfDelay: Infinity });
  const out = [];
  rl.on('line', (line) => {
    let r;
    try {
      const text = Buffer.from(line, 'base64').toString('utf8');
      const s = print(JSON.parse(text));
      r = 'OK ' + Buffer.from(s, 'utf8').toString('base64') + ' ' + facts(text);
    } catch (e) { r = 'ERR'; }
    out.push(r);
    if (out.length >= 4096) { process.stdout.write(out.join('\n') + '\n'); out.length = 0; }
  });
  rl.on('close', () => { if (out.length) process.stdout.write(out.join('\n') + '\n'); });
}
if (process.env.PAYSEAL_JCS === '1') {
  // canonicalize 3+ is an ES module: import it by path.
  const path = require('path'), url = require('url');
  const dir = process.env.PAYSEAL_CANONICALIZE;
  const main = path.join(dir, require(path.join(dir, 'package.json')).main || 'index.js');
  import(url.pathToFileURL(main).href).then((m) => run(m.default || m), (e) => { console.error(e); process.exit(1); });
} else {
  run(JSON.stringify);
}
"#;

/// For each base64 line: `OK <b64>`, `ERR <json_last_error>` or `ERR encode <code>`.
const PHP_SCRIPT: &str = r#"
$flags = (int)($argv[1] ?? 0);
while (($line = fgets(STDIN)) !== false) {
  $line = rtrim($line, "\n");
  $v = json_decode(base64_decode($line), true);
  if (json_last_error() !== JSON_ERROR_NONE) { echo "ERR ", json_last_error(), "\n"; continue; }
  $s = json_encode($v, $flags);
  if ($s === false) { echo "ERR encode ", json_last_error(), "\n"; continue; }
  echo "OK ", base64_encode($s), "\n";
}
"#;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Engine {
    Node,
    /// `canonicalize(JSON.parse(x))` in node.
    NodeJcs,
    Php {
        flags: u32,
    },
}

impl Engine {
    fn command(self) -> Command {
        match self {
            Self::Node => {
                let mut c = Command::new("node");
                c.arg("-e").arg(NODE_SCRIPT).env("PAYSEAL_JCS", "0");
                c
            }
            Self::NodeJcs => {
                let mut c = Command::new("node");
                c.arg("-e").arg(NODE_SCRIPT).env("PAYSEAL_JCS", "1");
                c
            }
            Self::Php { flags } => {
                let mut c = Command::new("php");
                c.arg("-d").arg("memory_limit=-1").arg("-r").arg(PHP_SCRIPT).arg(flags.to_string());
                c
            }
        }
    }

    /// Starts the engine on `docs` (fed and read on threads); join for the answers.
    fn start(self, docs: &[Vec<u8>]) -> std::thread::JoinHandle<Vec<Answer>> {
        let mut input = String::with_capacity(docs.iter().map(|d| d.len() * 4 / 3 + 4).sum());
        for d in docs {
            B64.encode_string(d, &mut input);
            input.push('\n');
        }
        let expected = docs.len();
        std::thread::spawn(move || {
            let mut child = self
                .command()
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {self:?}: {e}"));
            let mut stdin = child.stdin.take().expect("stdin");
            let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
            let stdout = BufReader::new(child.stdout.take().expect("stdout"));
            let answers: Vec<Answer> = stdout.lines().map(|l| Answer::parse(&l.expect("engine output"))).collect();
            writer.join().expect("writer").expect("write to engine");
            assert!(child.wait().expect("engine exit").success(), "{self:?} failed");
            assert_eq!(answers.len(), expected, "{self:?} answered {} of {expected} documents", answers.len());
            answers
        })
    }
}

#[derive(Debug, Clone)]
enum Answer {
    Ok { out: Vec<u8>, facts: Option<Facts> },
    Err(String),
}

/// What node's tokenizer saw in a document it accepted.
#[derive(Debug, Clone, Copy)]
struct Facts {
    duplicate: bool,
    overflow: bool,
    max_depth: u32,
    lone_surrogate: bool,
}

impl Answer {
    fn parse(line: &str) -> Self {
        let mut parts = line.split(' ');
        match parts.next() {
            Some("OK") => {
                let out = B64.decode(parts.next().unwrap_or("")).expect("engine base64");
                let rest: Vec<&str> = parts.collect();
                let facts = (rest.len() == 4).then(|| Facts {
                    duplicate: rest[0] == "1",
                    overflow: rest[1] == "1",
                    max_depth: rest[2].parse().expect("depth"),
                    lone_surrogate: rest[3] == "1",
                });
                Self::Ok { out, facts }
            }
            _ => Self::Err(line.strip_prefix("ERR").unwrap_or(line).trim().to_owned()),
        }
    }

    fn facts(&self) -> Option<Facts> {
        match self {
            Self::Ok { facts, .. } => *facts,
            Self::Err(_) => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Outcome {
    Identical,
    BothRejected,
    /// Both rejected, but PHP's `json_last_error` names another reason than payseal.
    BothRejectedOtherReason,
    /// Both rejected, for the one documented difference from the local `php`: an unpaired
    /// surrogate escape followed by a syntax error in the same string is `syntax` for the PHP
    /// that made the vectors (and payseal), `JSON_ERROR_UTF16` for Debian's PHP 8.2
    /// (`core/tests/fuzz_regressions.rs`, `php_later_syntax_error_in_the_same_string_wins…`).
    BothRejectedKnownDivergence,
    Policy(&'static str),
    Mismatch(&'static str),
}

/// PHP `json_last_error()` codes that match a payseal error code.
fn php_codes(e: &Error) -> &'static [&'static str] {
    match e.code() {
        "syntax" => &["2", "3", "4"], // JSON_ERROR_STATE_MISMATCH, _CTRL_CHAR, _SYNTAX
        "invalid_utf8" => &["5"],
        "depth" => &["1"],
        "lone_surrogate" => &["10"],
        "number_range" => &["encode 7"], // JSON_ERROR_INF_OR_NAN from json_encode
        _ => &[],
    }
}

/// Sorts one comparison. `node` is the answer whose facts confirm a policy error: node's
/// `JSON.parse` run (for JCS, the `canonicalize` run itself, which computes the same facts).
fn classify(doc: &[u8], dialect: Dialect, ours: &Result<Vec<u8>, Error>, theirs: &Answer, node: &Answer) -> Outcome {
    let facts = node.facts();
    let php = matches!(dialect, Dialect::Php(_));
    match (ours, theirs) {
        (Ok(a), Answer::Ok { out, .. }) if a == out => Outcome::Identical,
        (Ok(_), Answer::Ok { .. }) => Outcome::Mismatch("different output"),
        (Ok(_), Answer::Err(_)) => Outcome::Mismatch("payseal accepts, engine rejects"),
        (Err(e), Answer::Err(reason)) => {
            // Policy errors and invalid UTF-8 take precedence by design; the rest must be PHP's.
            let comparable = matches!(e, Error::Syntax { .. } | Error::LoneSurrogate { .. } | Error::Depth { .. });
            if php && matches!(e, Error::Syntax { .. }) && reason == "10" {
                Outcome::BothRejectedKnownDivergence
            } else if php && comparable && !php_codes(e).contains(&reason.as_str()) {
                Outcome::BothRejectedOtherReason
            } else {
                Outcome::BothRejected
            }
        }
        (Err(e), Answer::Ok { .. }) => {
            let confirmed = match e {
                Error::DuplicateKey { .. } => facts.is_some_and(|f| f.duplicate),
                Error::NumberRange { .. } => facts.is_some_and(|f| f.overflow),
                Error::Depth { .. } => facts.is_some_and(|f| f.max_depth > if php { 511 } else { 512 }),
                Error::InvalidUtf8 { .. } => !php && core::str::from_utf8(doc).is_err(),
                // JCS: `canonicalize` rejects lone surrogates too, but never sees one in a value
                // that a later duplicate name replaced (JSON.parse keeps the last); payseal
                // reports the first error in document order.
                Error::LoneSurrogate { .. } if dialect == Dialect::Jcs => {
                    facts.is_some_and(|f| f.lone_surrogate && f.duplicate)
                }
                _ => return Outcome::Mismatch("payseal rejects, engine accepts"),
            };
            if confirmed {
                Outcome::Policy(e.code())
            } else {
                Outcome::Mismatch("payseal policy error the document does not have")
            }
        }
    }
}

struct Comparison {
    name: &'static str,
    dialect: Dialect,
    engine: Engine,
    counts: BTreeMap<String, u64>,
    /// Disagreements by signature (what differs, payseal's result, the engine's): how many,
    /// and the first few documents.
    findings: BTreeMap<String, (u64, Vec<Vec<u8>>)>,
}

/// Which dialects to compare.
#[derive(Debug, Clone, Copy)]
struct Which {
    js: bool,
    php: bool,
    jcs: bool,
}

fn parse_args() -> Result<(u64, u64, usize, Which, usize), String> {
    let (mut count, mut seed, mut batch, mut show) = (None, 1u64, 20_000usize, 5usize);
    let mut which = Which { js: true, php: true, jcs: true };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--count" => count = Some(value()?.parse().map_err(|e| format!("--count: {e}"))?),
            "--seed" => seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
            "--batch" => batch = value()?.parse().map_err(|e| format!("--batch: {e}"))?,
            "--show" => show = value()?.parse().map_err(|e| format!("--show: {e}"))?,
            "--dialects" => {
                let v = value()?;
                if let Some(bad) = v.split(',').find(|d| !matches!(*d, "js" | "php" | "jcs")) {
                    return Err(format!("--dialects: unknown dialect {bad}"));
                }
                which = Which {
                    js: v.split(',').any(|d| d == "js"),
                    php: v.split(',').any(|d| d == "php"),
                    jcs: v.split(',').any(|d| d == "jcs"),
                };
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let count = count.ok_or("--count N is required")?;
    Ok((count, seed, batch.max(1), which, show))
}

fn main() -> ExitCode {
    let (count, seed, batch, which, show) = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("{e}\nusage: diff_fuzz --count N [--seed S] [--batch B] [--dialects js,php,jcs] [--show K]");
            return ExitCode::from(2);
        }
    };
    if which.jcs && std::env::var_os("PAYSEAL_CANONICALIZE").is_none() {
        eprintln!("diff_fuzz: JCS needs PAYSEAL_CANONICALIZE (the canonicalize npm package's directory)");
        return ExitCode::from(2);
    }
    let (js, php) = (which.js, which.php);
    let mut comparisons = Vec::new();
    if js {
        comparisons.push(Comparison::new("js (node JSON.stringify)", Dialect::Js, Engine::Node));
    }
    if php {
        comparisons.push(Comparison::new("php default flags", Dialect::php_default(), Engine::Php { flags: 0 }));
        comparisons.push(Comparison::new(
            "php UNESCAPED_UNICODE|SLASHES",
            Dialect::php_unescaped(),
            Engine::Php { flags: 64 | 256 },
        ));
    }
    if which.jcs {
        comparisons.push(Comparison::new("jcs (canonicalize npm)", Dialect::Jcs, Engine::NodeJcs));
    }
    // node's JSON.parse run: the JavaScript engine, and the facts behind PHP's policy errors.
    let need_node = js || php;
    let started = Instant::now();
    let mut next = seed;
    let end = seed + count;
    while next < end {
        let n = batch.min((end - next) as usize);
        let docs: Vec<Vec<u8>> = (next..next + n as u64).map(payseal_fuzz::gen::document).collect();
        let node = need_node.then(|| Engine::Node.start(&docs));
        let engines: Vec<_> = comparisons
            .iter()
            .filter(|c| c.engine != Engine::Node)
            .map(|c| (c.engine, c.engine.start(&docs)))
            .collect();
        let ours: Vec<Vec<Result<Vec<u8>, Error>>> =
            comparisons.iter().map(|c| docs.iter().map(|d| canonicalize_to_vec(d, c.dialect)).collect()).collect();
        let node = node.map(|h| h.join().expect("node thread")).unwrap_or_default();
        let mut answers: BTreeMap<String, Vec<Answer>> = BTreeMap::new();
        for (engine, handle) in engines {
            answers.insert(format!("{engine:?}"), handle.join().expect("engine thread"));
        }
        for (c, ours) in comparisons.iter_mut().zip(&ours) {
            let theirs = if c.engine == Engine::Node { &node } else { &answers[&format!("{:?}", c.engine)] };
            let facts = if c.engine == Engine::NodeJcs { theirs } else { &node };
            for (i, doc) in docs.iter().enumerate() {
                let outcome = classify(doc, c.dialect, &ours[i], &theirs[i], &facts[i]);
                c.record(doc, outcome, &ours[i], &theirs[i]);
            }
        }
        next += n as u64;
        eprintln!("  {} documents ({:.0?})", next - seed, started.elapsed());
    }
    let mut failed = false;
    println!("diff-fuzz: {count} documents per dialect, seeds {seed}..{end}, {:.1?}", started.elapsed());
    for c in &comparisons {
        failed |= c.report(show);
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

impl Comparison {
    fn new(name: &'static str, dialect: Dialect, engine: Engine) -> Self {
        Self { name, dialect, engine, counts: BTreeMap::new(), findings: BTreeMap::new() }
    }

    fn record(&mut self, doc: &[u8], outcome: Outcome, ours: &Result<Vec<u8>, Error>, theirs: &Answer) {
        let (key, finding) = match &outcome {
            Outcome::Identical => ("identical".to_owned(), None),
            Outcome::BothRejected => ("rejected by both".to_owned(), None),
            Outcome::BothRejectedOtherReason => {
                ("rejected by both, another error".to_owned(), Some("ERROR CODE DIFFERS"))
            }
            Outcome::BothRejectedKnownDivergence => ("rejected by both, known divergence".to_owned(), None),
            Outcome::Policy(code) => (format!("policy {code}"), None),
            Outcome::Mismatch(why) => (format!("mismatch: {why}"), Some("MISMATCH")),
        };
        *self.counts.entry(key.clone()).or_default() += 1;
        if let Some(what) = finding {
            let ours = ours.as_ref().map_or_else(|e| e.code(), |_| "ok");
            let theirs = match theirs {
                Answer::Ok { .. } => "ok".to_owned(),
                Answer::Err(code) => format!("error {code}"),
            };
            let signature = format!("{what} ({key}): payseal {ours}, engine {theirs}");
            let (n, docs) = self.findings.entry(signature).or_default();
            *n += 1;
            if docs.len() < 20 {
                docs.push(doc.to_vec());
            }
        }
    }

    /// Prints totals and, per kind of disagreement, the first few minimised documents; true
    /// when there were mismatches.
    fn report(&self, show: usize) -> bool {
        let get = |k: &str| self.counts.get(k).copied().unwrap_or(0);
        let policy: u64 = self.counts.iter().filter(|(k, _)| k.starts_with("policy ")).map(|(_, v)| v).sum();
        let mismatches: u64 = self.counts.iter().filter(|(k, _)| k.starts_with("mismatch")).map(|(_, v)| v).sum();
        let policies: Vec<String> = self
            .counts
            .iter()
            .filter(|(k, _)| k.starts_with("policy "))
            .map(|(k, v)| format!("{}: {v}", &k[7..]))
            .collect();
        let other = get("rejected by both, another error");
        let known = get("rejected by both, known divergence");
        let mut notes = Vec::new();
        if known > 0 {
            notes.push(format!("{known} syntax where this php says UTF16 and the vectors' php does not"));
        }
        if other > 0 {
            notes.push(format!("{other} with another error than PHP's"));
        }
        println!(
            "{}: {} identical, {} rejected by both{}, {policy} rejected by payseal policy ({}), {mismatches} mismatches",
            self.name,
            get("identical"),
            get("rejected by both") + other + known,
            if notes.is_empty() { String::new() } else { format!(" ({})", notes.join("; ")) },
            policies.join(", "),
        );
        for (signature, (n, docs)) in &self.findings {
            println!("  {signature}: {n} documents");
            let mut shown: Vec<Vec<u8>> = Vec::new();
            for doc in docs {
                if shown.len() >= show {
                    break;
                }
                let small = self.minimise(doc);
                if shown.contains(&small) {
                    continue;
                }
                let ours = canonicalize_to_vec(&small, self.dialect)
                    .map(|v| String::from_utf8_lossy(&v).into_owned())
                    .map_err(|e| e.to_string());
                println!("    minimised from {} bytes: {}", doc.len(), literal(&small));
                println!("      payseal: {ours:?}");
                println!("      engine:  {:?}", self.run_one(&small));
                shown.push(small);
            }
        }
        mismatches > 0
    }

    fn run_one(&self, doc: &[u8]) -> Answer {
        self.engine.start(&[doc.to_vec()]).join().expect("engine").remove(0)
    }

    fn outcomes(&self, docs: &[Vec<u8>]) -> Vec<Outcome> {
        // The facts' source: node's JSON.parse run, or (JCS) the canonicalize run itself.
        let facts_engine = if self.engine == Engine::NodeJcs { Engine::NodeJcs } else { Engine::Node };
        let node = facts_engine.start(docs);
        let theirs = (self.engine != facts_engine).then(|| self.engine.start(docs));
        let node = node.join().expect("node");
        let theirs = theirs.map_or_else(|| node.clone(), |h| h.join().expect("engine"));
        docs.iter()
            .zip(theirs.iter().zip(&node))
            .map(|(d, (t, n))| classify(d, self.dialect, &canonicalize_to_vec(d, self.dialect), t, n))
            .collect()
    }

    /// Greedy delta debugging: removes the largest chunks that keep the same kind of mismatch,
    /// one engine run per round over every candidate of the round.
    fn minimise(&self, doc: &[u8]) -> Vec<u8> {
        let Some(target) = self.outcomes(&[doc.to_vec()]).pop() else { return doc.to_vec() };
        let mut best = doc.to_vec();
        for _round in 0..400 {
            let mut candidates = Vec::new();
            let mut chunk = best.len().next_power_of_two() / 2;
            while chunk >= 1 {
                let mut at = 0;
                while at < best.len() {
                    let mut c = best[..at].to_vec();
                    c.extend_from_slice(&best[(at + chunk).min(best.len())..]);
                    candidates.push(c);
                    at += chunk.max(1);
                }
                chunk /= 2;
            }
            let outcomes = self.outcomes(&candidates);
            match candidates.into_iter().zip(outcomes).find(|(_, o)| *o == target) {
                Some((c, _)) => best = c,
                None => break,
            }
        }
        best
    }
}

/// A byte-string literal for a regression test.
fn literal(doc: &[u8]) -> String {
    format!("b\"{}\"", doc.escape_ascii())
}
