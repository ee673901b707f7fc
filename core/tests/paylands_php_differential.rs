//! Differential test against real PHP: for generated notifications, payseal's hash must equal
//! `hash('sha256', json_encode($data, $flags) . $sig)` computed by `php` itself, in both modes
//! and with both flag sets.
//!
//! The documents come from a small deterministic PRNG (seed: `PAYSEAL_DIFF_SEED`, count:
//! `PAYSEAL_DIFF_CASES`, default 2000) and exercise what canonicalisation can get wrong: random
//! nesting, floats from random bits and near PHP's exponent-form boundaries, integers at and
//! beyond the int64 range, unicode raw and escaped (astral included), slashes, control
//! characters, empty objects, index-keyed objects (`{"0":..,"1":..}` is a PHP list), random
//! whitespace, random top-level member order, and responses whose data is a list or empty.
//! One `php` process hashes the whole batch. Each body is also checked as PHP itself would send
//! it (`json_encode(json_decode($body, true))`: compact and canonical, the form that
//! `paylands` hashes while it parses).
//!
//! A missing `php` fails the test when `PAYSEAL_REQUIRE_PHP=1` (`scripts/test` sets it after
//! installing php-cli); unset, the test skips with a note.

mod engines;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use base64::Engine as _;
use payseal::json::Tape;
use payseal::paylands::{self, encode_data, Error, Flags, Malformed, Mode, SignatureKey};

/// The reference: what a PHP merchant runs, for each mode and flag set.
const PHP_SCRIPT: &str = r#"<?php
$in = fopen($argv[1], 'r');
$out = fopen($argv[2], 'w');
$unescaped = JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES;
while (($line = fgets($in)) !== false) {
    [$b, $s] = explode(' ', rtrim($line, "\n"));
    $body = base64_decode($b);
    $sig = base64_decode($s);
    $n = json_decode($body, true);
    if (!is_array($n)) { fwrite($out, "ERR json_decode: " . json_last_error_msg() . "\n"); continue; }
    $row = [];
    if (array_key_exists('order', $n)) {
        $notification = ['order' => $n['order'], 'client' => array_key_exists('client', $n) ? $n['client'] : null];
        if (array_key_exists('extra_data', $n)) { $notification['extra_data'] = $n['extra_data']; }
    } else {
        $notification = null;
    }
    $response = $n;
    unset($response['message'], $response['code'], $response['current_time'], $response['validation_hash']);
    foreach ([$notification, $response] as $data) {
        foreach ([0, $unescaped] as $flags) {
            if ($data === null) { $row[] = 'NO_ORDER'; continue; }
            $json = json_encode($data, $flags);
            $row[] = $json === false ? 'ERR' : hash('sha256', $json . $sig);
        }
    }
    // The notification as PHP itself would send it: compact, canonical; and its notification
    // hashes (not always the same data: `-0.0` is sent as `-0`, which decodes as the integer 0).
    $sent = json_encode($n);
    $again = $sent === false ? null : json_decode($sent, true);
    if (is_array($again) && array_key_exists('order', $again)) {
        $data = ['order' => $again['order'], 'client' => array_key_exists('client', $again) ? $again['client'] : null];
        if (array_key_exists('extra_data', $again)) { $data['extra_data'] = $again['extra_data']; }
        $row[] = base64_encode($sent);
        foreach ([0, $unescaped] as $flags) { $row[] = hash('sha256', json_encode($data, $flags) . $sig); }
    }
    fwrite($out, implode(' ', $row) . "\n");
}
"#;

/// Prints `json_encode($data, flags)` for one body, to show what differed.
const PHP_EXPLAIN: &str = r#"<?php
$n = json_decode(base64_decode($argv[1]), true);
$data = ['order' => $n['order'], 'client' => array_key_exists('client', $n) ? $n['client'] : null];
if (array_key_exists('extra_data', $n)) { $data['extra_data'] = $n['extra_data']; }
if ($argv[2] === 'response') { $data = $n; unset($data['message'], $data['code'], $data['current_time'], $data['validation_hash']); }
echo json_encode($data, $argv[3] === 'unescaped' ? JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES : 0);
"#;

const COMBOS: [(Mode, Flags); 4] = [
    (Mode::Notification, Flags::Default),
    (Mode::Notification, Flags::Unescaped),
    (Mode::Response, Flags::Default),
    (Mode::Response, Flags::Unescaped),
];

/// SplitMix64: small, deterministic, good enough to pick shapes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Writes JSON text with the spellings a real sender (or an attacker) might use.
struct Gen {
    rng: Rng,
}

impl Gen {
    fn ws(&mut self, out: &mut String) {
        if self.rng.chance(25) {
            out.push_str(self.rng.pick(&[" ", "\n", "\t", "\r\n  ", "  "]));
        }
    }

    fn hex4(&mut self, unit: u32, out: &mut String) {
        if self.rng.chance(50) {
            write!(out, "\\u{unit:04x}").ok();
        } else {
            write!(out, "\\u{unit:04X}").ok();
        }
    }

    /// One character of a string, raw or escaped; returns nothing, appends JSON text.
    fn string_char(&mut self, out: &mut String) {
        const RAW: &[&str] = &[
            "a",
            "Z",
            "0",
            " ",
            "-",
            "_",
            ".",
            ":",
            "/",
            "é",
            "ñ",
            "ü",
            "€",
            "中",
            "文",
            "\u{2028}",
            "\u{2029}",
            "\u{7f}",
            "\u{ffff}",
            "\u{feff}",
            "😀",
            "𝄞",
            "\u{10ffff}",
            "'",
            "<",
            ">",
            "&",
            "%",
        ];
        match self.rng.below(10) {
            0..=5 => out.push_str(self.rng.pick(RAW)),
            6 => out.push_str(self.rng.pick(&["\\\"", "\\\\", "\\/", "\\n", "\\t", "\\r", "\\b", "\\f"])),
            7 => {
                let unit = self.rng.pick(&[0x00, 0x01, 0x1f, 0x2f, 0x41, 0x7f, 0x80, 0xe9, 0x20ac, 0x2028, 0xfffe]);
                self.hex4(unit, out);
            }
            8 => {
                // An astral character as a surrogate pair.
                let c = 0x10000 + (self.rng.next() % 0x100000) as u32;
                let v = c - 0x10000;
                self.hex4(0xD800 + (v >> 10), out);
                self.hex4(0xDC00 + (v & 0x3ff), out);
            }
            _ => {
                // A random BMP character outside the surrogates, raw (not `"` or `\`).
                let c = loop {
                    let c = (self.rng.next() % 0x10000) as u32;
                    if !(0xD800..0xE000).contains(&c) && c >= 0x20 && c != 0x22 && c != 0x5C {
                        break c;
                    }
                };
                out.push(char::from_u32(c).unwrap_or('?'));
            }
        }
    }

    fn string(&mut self, out: &mut String) {
        out.push('"');
        let len = self.rng.pick(&[0, 1, 2, 3, 5, 8, 13, 24]);
        for _ in 0..len {
            self.string_char(out);
        }
        out.push('"');
    }

    fn float_from_bits(&mut self) -> f64 {
        loop {
            let f = f64::from_bits(self.rng.next());
            if f.is_finite() {
                return f;
            }
        }
    }

    fn number(&mut self, out: &mut String) {
        match self.rng.below(12) {
            0 => write!(out, "{}", self.rng.next() % 1000).ok(),
            1 => write!(out, "{}", self.rng.next() as i64).ok(),
            2 => out
                .write_str(self.rng.pick(&[
                    "9223372036854775807",
                    "-9223372036854775808",
                    "9223372036854775808",
                    "-9223372036854775809",
                    "18446744073709551616",
                    "123456789012345678901234567890",
                    "9007199254740993",
                    "-0",
                    "0",
                ]))
                .ok(),
            3 => {
                let f = self.float_from_bits();
                write!(out, "{f:?}").ok()
            }
            4 => {
                let f = self.float_from_bits();
                write!(out, "{f:e}").ok()
            }
            5 => {
                let f = self.float_from_bits();
                write!(out, "{f:.17e}").ok()
            }
            6 => {
                // Near the exponent-form boundaries (1e15..1e21, 1e-3..1e-7) and round values.
                let mantissa = (self.rng.next() % 100_000) as f64 / 1000.0;
                let exp = self.rng.pick(&[-8, -7, -6, -5, -4, -3, -2, 0, 1, 14, 15, 16, 17, 18, 19, 20, 21, 22]);
                let f = mantissa * 10f64.powi(exp);
                write!(out, "{f:?}").ok()
            }
            7 => out
                .write_str(self.rng.pick(&[
                    "0.1",
                    "1.0",
                    "-0.0",
                    "1.5",
                    "100.0",
                    "1e2",
                    "1E+2",
                    "-1.5e-3",
                    "0.000001",
                    "1e-7",
                    "1e15",
                    "1e16",
                    "1e17",
                    "1.0e25",
                    "123456789012345678",
                    "0.30000000000000004",
                    "5e-324",
                    "1.7976931348623157e308",
                    "2.5E-5",
                ]))
                .ok(),
            8 => {
                let f = self.float_from_bits();
                if (1e-30..1e30).contains(&f.abs()) {
                    write!(out, "{f}").ok()
                } else {
                    write!(out, "{f:?}").ok()
                }
            }
            9 => write!(out, "{}.{:02}", self.rng.next() % 100_000, self.rng.next() % 100).ok(),
            10 => write!(out, "-{}", self.rng.next() % 1_000_000_000_000).ok(),
            _ => {
                let f = (self.rng.next() % 1_000_000) as f64 / 100.0;
                write!(out, "{f:?}").ok()
            }
        };
    }

    /// A member name, unique within its object (by decoded text).
    fn key(&mut self, taken: &mut Vec<String>, out: &mut String) {
        loop {
            let mut text = String::new();
            match self.rng.below(6) {
                0 => text.push_str(&format!("\"{}\"", self.rng.below(12))),
                1 => text.push_str(self.rng.pick(&[
                    "\"-1\"",
                    "\"01\"",
                    "\"1.0\"",
                    "\"4294967295\"",
                    "\"9223372036854775808\"",
                    "\" 1\"",
                    "\"\"",
                    "\"\\u0030\"",
                    "\"a/b\"",
                    "\"\\u0000x\"",
                    "\"é\"",
                    "\"😀\"",
                ])),
                2 => text.push_str(self.rng.pick(&[
                    "\"uuid\"",
                    "\"amount\"",
                    "\"currency\"",
                    "\"status\"",
                    "\"holder\"",
                    "\"token\"",
                    "\"created\"",
                ])),
                _ => self.string(&mut text),
            }
            let decoded: String = serde_json::from_str(&text).unwrap_or_default();
            if !taken.contains(&decoded) {
                taken.push(decoded);
                out.push_str(&text);
                return;
            }
        }
    }

    fn object(&mut self, depth: usize, out: &mut String) {
        out.push('{');
        self.ws(out);
        let n = if self.rng.chance(15) { 0 } else { 1 + self.rng.below(5) };
        let mut taken = Vec::new();
        for i in 0..n {
            if i > 0 {
                out.push(',');
                self.ws(out);
            }
            self.key(&mut taken, out);
            self.ws(out);
            out.push(':');
            self.ws(out);
            self.value(depth + 1, out);
            self.ws(out);
        }
        out.push('}');
    }

    /// `{"0":..,"1":..}` (a PHP list), or a near miss.
    fn index_keyed(&mut self, depth: usize, out: &mut String) {
        let n = 1 + self.rng.below(4);
        let mut keys: Vec<usize> = (0..n).collect();
        match self.rng.below(4) {
            0 => keys.reverse(),
            1 => keys[n - 1] += 1,
            _ => {}
        }
        out.push('{');
        for (i, k) in keys.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            write!(out, "\"{k}\":").ok();
            self.value(depth + 1, out);
        }
        out.push('}');
    }

    fn array(&mut self, depth: usize, out: &mut String) {
        out.push('[');
        self.ws(out);
        let n = if self.rng.chance(15) { 0 } else { 1 + self.rng.below(5) };
        for i in 0..n {
            if i > 0 {
                out.push(',');
                self.ws(out);
            }
            self.value(depth + 1, out);
            self.ws(out);
        }
        out.push(']');
    }

    fn value(&mut self, depth: usize, out: &mut String) {
        let container = depth < 5 && self.rng.chance(if depth < 2 { 60 } else { 30 });
        if container {
            match self.rng.below(10) {
                0..=4 => self.object(depth, out),
                5..=7 => self.array(depth, out),
                8 => self.index_keyed(depth, out),
                _ => out.push_str(self.rng.pick(&["{}", "[]", "{ }", "[ ]"])),
            }
            return;
        }
        match self.rng.below(10) {
            0 => out.push_str(self.rng.pick(&["null", "true", "false"])),
            1..=4 => self.number(out),
            _ => self.string(out),
        }
    }

    /// A notification: the Paylands envelope, `order`, usually `client`, sometimes
    /// `extra_data` (null included) and other members, in a random order now and then.
    fn notification(&mut self, out: &mut String) {
        let mut members: Vec<String> = Vec::new();
        let member = |g: &mut Self, members: &mut Vec<String>, name: &str, value: &dyn Fn(&mut Self, &mut String)| {
            let mut m = format!("\"{name}\":");
            g.ws(&mut m);
            value(g, &mut m);
            members.push(m);
        };
        member(self, &mut members, "message", &|_, o| o.push_str("\"OK\""));
        member(self, &mut members, "code", &|_, o| o.push_str("200"));
        member(self, &mut members, "current_time", &|_, o| o.push_str("\"2022-11-16T11:16:33+0100\""));
        if self.rng.chance(5) {
            // A response whose data is index-keyed (a PHP list) or empty (`[]`): no `order`.
            for i in 0..self.rng.below(4) {
                member(self, &mut members, &i.to_string(), &|g, o| g.value(1, o));
            }
        } else {
            member(self, &mut members, "order", &|g, o| if g.rng.chance(85) { g.object(1, o) } else { g.value(1, o) });
        }
        if self.rng.chance(95) {
            member(self, &mut members, "client", &|g, o| if g.rng.chance(85) { g.object(1, o) } else { g.value(1, o) });
        }
        match self.rng.below(3) {
            0 => {}
            1 => member(self, &mut members, "extra_data", &|_, o| o.push_str("null")),
            _ => member(self, &mut members, "extra_data", &|g, o| g.value(1, o)),
        }
        for i in 0..self.rng.below(3) {
            let name = ["service_note", "0", "1", "x/y", "caf\u{e9}"][(i + self.rng.below(5)) % 5];
            if !members.iter().any(|m| m.starts_with(&format!("\"{name}\""))) {
                member(self, &mut members, name, &|g, o| g.value(1, o));
            }
        }
        let hash: String = (0..64).map(|_| self.rng.pick(&['0', '9', 'a', 'f', 'A', 'F'])).collect();
        member(self, &mut members, "validation_hash", &|_, o| o.push_str(&format!("\"{hash}\"")));
        if self.rng.chance(30) {
            for i in (1..members.len()).rev() {
                let j = self.rng.below(i + 1);
                members.swap(i, j);
            }
        }
        out.push('{');
        for (i, m) in members.iter().enumerate() {
            if i > 0 {
                out.push(',');
                self.ws(out);
            }
            out.push_str(m);
        }
        out.push('}');
    }

    fn signature(&mut self) -> Vec<u8> {
        let len = 1 + self.rng.below(48);
        (0..len)
            .map(|_| match self.rng.below(4) {
                0 => (self.rng.next() & 0xff) as u8,
                _ => self.rng.pick(b"abcdefXYZ0123456789-_/+= "),
            })
            .collect()
    }
}

fn find_php() -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join("php")).find(|p| p.is_file())
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn php(php: &Path, script: &Path, args: &[&str]) -> std::process::Output {
    Command::new(php)
        .args(["-n", "-d", "serialize_precision=-1", "-d", "memory_limit=1G", "-d", "display_errors=stderr"])
        .arg(script)
        .args(args)
        .output()
        .expect("php runs")
}

fn ours(body: &[u8], sig: &[u8], mode: Mode, flags: Flags, tape: &mut Tape<'_>) -> String {
    let Ok(key) = SignatureKey::new(sig) else { return "ERR key".to_owned() };
    let mut hex = [0u8; 64];
    match paylands::hash_hex(body, mode, flags, &key, tape, &mut hex) {
        Ok(()) => String::from_utf8_lossy(&hex).into_owned(),
        Err(Error::Malformed(Malformed::MissingOrder)) => "NO_ORDER".to_owned(),
        Err(e) => format!("ERR {e}"),
    }
}

#[test]
fn payseal_hash_equals_php_hash_on_generated_notifications() {
    let Some(php_bin) = find_php() else {
        engines::missing("php");
        return;
    };
    let seed = env_number("PAYSEAL_DIFF_SEED", 0x5EA1_2024);
    let cases = env_number("PAYSEAL_DIFF_CASES", 2000) as usize;
    let mut gen = Gen { rng: Rng(seed) };
    let b64 = base64::engine::general_purpose::STANDARD;

    let mut docs = Vec::with_capacity(cases);
    let mut batch = String::new();
    for _ in 0..cases {
        let mut body = String::new();
        gen.notification(&mut body);
        let sig = gen.signature();
        writeln!(batch, "{} {}", b64.encode(&body), b64.encode(&sig)).ok();
        docs.push((body, sig));
    }
    let dir = std::env::temp_dir().join(format!("payseal-paylands-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let (input, output, script, explain) =
        (dir.join("cases.txt"), dir.join("hashes.txt"), dir.join("hash.php"), dir.join("explain.php"));
    std::fs::write(&input, &batch).expect("write cases");
    std::fs::write(&script, PHP_SCRIPT).expect("write script");
    std::fs::write(&explain, PHP_EXPLAIN).expect("write script");
    let run = php(&php_bin, &script, &[input.to_str().expect("utf-8 path"), output.to_str().expect("utf-8 path")]);
    assert!(run.status.success(), "php failed: {}", String::from_utf8_lossy(&run.stderr));
    let hashes = std::fs::read_to_string(&output).expect("php output");
    let rows: Vec<&str> = hashes.lines().collect();
    assert_eq!(rows.len(), cases, "php printed {} rows for {cases} cases", rows.len());

    let mut tape = Tape::new();
    let (mut compared, mut php_errors, mut failures) = (0usize, 0usize, Vec::new());
    let mut as_sent = 0usize;
    for (i, ((body, sig), row)) in docs.iter().zip(&rows).enumerate() {
        if row.starts_with("ERR") {
            php_errors += 1;
            let ours = ours(body.as_bytes(), sig, Mode::Response, Flags::Default, &mut tape);
            let verdict = if ours.starts_with("ERR") { "rejects it too" } else { "ACCEPTS it" };
            failures
                .push(format!("case {i}: php could not decode the generated body ({row}); payseal {verdict}: {body}"));
            continue;
        }
        let columns: Vec<&str> = row.split(' ').collect();
        if let [sent, default, unescaped] = columns.get(COMBOS.len()..).unwrap_or_default() {
            let sent = b64.decode(sent).unwrap_or_default();
            for (flags, want) in [(Flags::Default, default), (Flags::Unescaped, unescaped)] {
                as_sent += 1;
                let got = ours(&sent, sig, Mode::Notification, flags, &mut tape);
                if got != *want {
                    failures.push(format!(
                        "case {i} as sent by php, notification {}: payseal {got}, php {want}\n  body: {}",
                        flags.as_str(),
                        String::from_utf8_lossy(&sent)
                    ));
                }
            }
        }
        for ((mode, flags), want) in COMBOS.iter().zip(&columns) {
            compared += 1;
            let got = ours(body.as_bytes(), sig, *mode, *flags, &mut tape);
            if got != *want {
                let mut note =
                    format!("case {i} {} {}: payseal {got}, php {want}\n  body: {body}", mode.as_str(), flags.as_str());
                if failures.len() < 5 {
                    let mut mine = Vec::new();
                    let _ = encode_data(body.as_bytes(), *mode, *flags, &mut tape, &mut mine);
                    let theirs = php(&php_bin, &explain, &[&b64.encode(body), mode.as_str(), flags.as_str()]);
                    write!(
                        note,
                        "\n  payseal json_encode: {}\n  php     json_encode: {}",
                        String::from_utf8_lossy(&mine),
                        String::from_utf8_lossy(&theirs.stdout)
                    )
                    .ok();
                }
                failures.push(note);
            }
        }
    }
    println!(
        "paylands differential vs {}: {cases} notifications, {compared} hashes compared \
         (2 modes x 2 flag sets) and {as_sent} on the bodies as php sends them, {} differed, \
         {php_errors} rejected by php (seed {seed:#x})",
        php_bin.display(),
        failures.len() - php_errors
    );
    if failures.is_empty() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert!(
        failures.is_empty(),
        "{} failures (inputs kept in {}):\n{}",
        failures.len(),
        dir.display(),
        failures.join("\n")
    );
}
