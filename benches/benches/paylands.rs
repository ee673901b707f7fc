//! Paylands `validation_hash` verification on the shared fixture (~3.5 KiB notification):
//! verify (default flags) beside its two floors, a bare SHA-256 of the same bytes and a
//! validate-only `json::parse`. Then, if `php` is installed, PHP's own
//! `json_decode` + `json_encode` + `hash` on the same file, and the ratio.
//!
//! `cargo bench -p payseal-benches --bench paylands -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;
use std::process::Command;
use std::time::Instant;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use payseal::json::{self, Dialect, Node, Tape};
use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey};
use payseal_benches::{fixture, fixtures_dir};
use sha2::{Digest, Sha256};

fn load() -> (Vec<u8>, Vec<u8>) {
    (fixture("paylands-notification.json"), fixture("paylands-notification.signature"))
}

fn bench(c: &mut Criterion) {
    let (body, sig) = load();
    let key = SignatureKey::new(&sig).expect("signature");
    let mut scratch = vec![Node::default(); Tape::required_len(body.len())];
    let policy = FlagsPolicy::Only(Flags::Default);
    assert!(paylands::verify(&body, Mode::Notification, policy, &key, &mut Tape::from_slice(&mut scratch)).is_ok());

    let mut group = c.benchmark_group("paylands");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("verify_default", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut scratch);
            paylands::verify(black_box(&body), Mode::Notification, policy, &key, &mut tape)
        });
    });
    group.bench_function("sha256_only", |b| b.iter(|| Sha256::digest(black_box(&body))));
    group.bench_function("json_parse_validate", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut scratch);
            json::parse(black_box(&body), Dialect::php_default(), &mut tape).map(|d| d.root().len())
        });
    });
    group.finish();

    php_comparison(&body, &key, &mut scratch);
}

/// PHP's own verification of the same notification, timed inside PHP (median of batches).
const PHP_BENCH: &str = r#"<?php
$body = file_get_contents($argv[1]);
$sig = file_get_contents($argv[2]);
$verify = function () use ($body, $sig) {
    $n = json_decode($body, true);
    $data = ['order' => $n['order'], 'client' => $n['client']];
    if (array_key_exists('extra_data', $n)) { $data['extra_data'] = $n['extra_data']; }
    return hash_equals(hash('sha256', json_encode($data) . $sig), strtolower($n['validation_hash']));
};
if (!$verify()) { fwrite(STDERR, "php: the fixture does not verify\n"); exit(1); }
$times = [];
for ($batch = 0; $batch < 41; $batch++) {
    $t = hrtime(true);
    for ($i = 0; $i < 500; $i++) { $verify(); }
    $times[] = (hrtime(true) - $t) / 500;
}
sort($times);
echo $times[20], " ", $times[0], "\n";
"#;

/// Median and best nanoseconds per call of `f` over 41 batches of 500 calls, measured the same
/// way as the PHP script (the best batch is the steadier figure on a busy machine).
fn batch_ns(mut f: impl FnMut()) -> (f64, f64) {
    let mut times: Vec<f64> = (0..41)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..500 {
                f();
            }
            t.elapsed().as_nanos() as f64 / 500.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[20], times[0])
}

fn php_comparison(body: &[u8], key: &SignatureKey, scratch: &mut [Node]) {
    let script = std::env::temp_dir().join(format!("payseal-paylands-bench-{}.php", std::process::id()));
    if std::fs::write(&script, PHP_BENCH).is_err() {
        return;
    }
    let dir = fixtures_dir();
    let out = Command::new("php")
        .args(["-n", "-d", "serialize_precision=-1"])
        .arg(&script)
        .arg(dir.join("paylands-notification.json"))
        .arg(dir.join("paylands-notification.signature"))
        .output();
    let _ = std::fs::remove_file(&script);
    let php: Option<(f64, f64)> = match out {
        Ok(o) if o.status.success() => {
            let text = String::from_utf8_lossy(&o.stdout).into_owned();
            let mut it = text.split_whitespace().filter_map(|t| t.parse::<f64>().ok());
            it.next().zip(it.next())
        }
        Ok(o) => {
            println!("php comparison failed: {}", String::from_utf8_lossy(&o.stderr).trim());
            return;
        }
        Err(_) => {
            println!("php comparison skipped: `php` is not installed");
            return;
        }
    };
    let Some((php_median, php_best)) = php else { return };
    let (ours_median, ours_best) = batch_ns(|| {
        let mut tape = Tape::from_slice(scratch);
        let ok =
            paylands::verify(black_box(body), Mode::Notification, FlagsPolicy::Only(Flags::Default), key, &mut tape);
        black_box(ok.is_ok());
    });
    println!(
        "paylands verify of the {}-byte fixture, per notification (median / best of 41 batches):\n  \
         php json_decode+json_encode+hash: {:.2} / {:.2} µs\n  payseal paylands::verify:        {:.2} / {:.2} µs\n  \
         payseal is {:.1}x (median) / {:.1}x (best) faster",
        body.len(),
        php_median / 1000.0,
        php_best / 1000.0,
        ours_median / 1000.0,
        ours_best / 1000.0,
        php_median / ours_median,
        php_best / ours_best
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
