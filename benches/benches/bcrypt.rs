//! bcrypt verification at cost 10: payseal against the `bcrypt` crate (and, when `php` is on
//! the PATH, PHP's `password_verify`, timed by a small PHP script), plus a `SecretVerifier`
//! cache hit.
//!
//! `cargo bench -p payseal-benches --bench bcrypt`

use std::hint::black_box;
use std::process::Command;
use std::time::Duration;

use criterion::{criterion_group, Criterion, SamplingMode};
use payseal::secrets::bcrypt;
use payseal::secrets::SecretVerifier;

const SECRET: &[u8] = b"sk_live_dE3xKJm8GAF0wAwaIINYNvDMbZoOlJLl3fZJZ207";
const COST: u32 = 10;

/// A cost-10 hash of `SECRET` (fixed salt, so every run measures the same work).
fn stored_hash() -> String {
    let mut buf = [0u8; bcrypt::HASH_LEN];
    let n = bcrypt::hash(SECRET, COST, &[0x5a; bcrypt::SALT_LEN], &mut buf).expect("hash");
    String::from_utf8(buf[..n].to_vec()).expect("ascii")
}

fn verify_cost10(c: &mut Criterion) {
    let hash = stored_hash();
    // The two implementations must agree before their speeds are compared.
    assert_eq!(bcrypt::verify(SECRET, &hash), Ok(()));
    assert!(matches!(::bcrypt::verify(SECRET, &hash), Ok(true)));

    let mut group = c.benchmark_group("bcrypt_verify_cost10");
    group.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(4));
    group.bench_function("payseal", |b| b.iter(|| bcrypt::verify(black_box(SECRET), black_box(&hash))));
    group.bench_function("bcrypt_crate", |b| b.iter(|| ::bcrypt::verify(black_box(SECRET), black_box(&hash))));
    group.finish();
}

fn verifier_hit(c: &mut Criterion) {
    let hash = stored_hash();
    let verifier = SecretVerifier::new(1024, Duration::from_secs(3600)).expect("os randomness");
    assert_eq!(verifier.verify(SECRET, &hash), Ok(()));
    c.bench_function("secret_verifier_cache_hit", |b| {
        b.iter(|| verifier.verify(black_box(SECRET), black_box(&hash)));
    });
}

criterion_group!(benches, verify_cost10, verifier_hit);

/// Times PHP's `password_verify` at the same cost on the same secret and hash (best and mean
/// of 20 calls), when `php` is installed.
fn php_comparison() {
    let hash = stored_hash();
    let script = r#"
        $secret = getenv('BENCH_SECRET'); $hash = getenv('BENCH_HASH');
        if (!password_verify($secret, $hash)) { fwrite(STDERR, "php disagrees\n"); exit(1); }
        $n = 20; $best = INF; $sum = 0;
        for ($i = 0; $i < $n; $i++) {
            $t = hrtime(true); password_verify($secret, $hash); $d = hrtime(true) - $t;
            $sum += $d; $best = min($best, $d);
        }
        printf("php %s password_verify cost 10: mean %.2f ms, best %.2f ms\n", PHP_VERSION, $sum / $n / 1e6, $best / 1e6);
    "#;
    let out = Command::new("php")
        .arg("-r")
        .arg(script)
        .env("BENCH_SECRET", std::str::from_utf8(SECRET).expect("ascii"))
        .env("BENCH_HASH", &hash)
        .output();
    match out {
        Ok(o) if o.status.success() => print!("{}", String::from_utf8_lossy(&o.stdout)),
        Ok(o) => println!("php comparison failed: {}", String::from_utf8_lossy(&o.stderr)),
        Err(_) => println!("php not installed: no PHP comparison (apt-get install -y php-cli)"),
    }
}

fn main() {
    benches();
    Criterion::default().configure_from_args().final_summary();
    php_comparison();
}
