//! bcrypt verification at cost 10: payseal against the `bcrypt` crate (and, when `php` is on
//! the PATH, PHP's `password_verify`, timed by a small PHP script), plus a `SecretVerifier`
//! cache hit.
//!
//! Times are the benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID` through the `cpu-time`
//! crate; wall time where that clock is missing): on a shared machine wall time mostly measures
//! the neighbours, while bcrypt is pure computation. The PHP script reports CPU time
//! (`getrusage`) and wall time likewise.
//!
//! `cargo bench -p payseal-benches --bench bcrypt`

use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
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

/// CPU time of the calling thread, when the platform has that clock.
fn thread_cpu_ns() -> Option<u64> {
    let t = cpu_time::ThreadTime::try_now().ok()?;
    u64::try_from(t.as_duration().as_nanos()).ok()
}

/// A criterion measurement of the thread's CPU time (falls back to wall time).
struct ThreadCpuTime {
    cpu_clock: bool,
    epoch: Instant,
    wall: WallTime,
}

impl ThreadCpuTime {
    fn new() -> Self {
        Self { cpu_clock: thread_cpu_ns().is_some(), epoch: Instant::now(), wall: WallTime }
    }

    fn now_ns(&self) -> u64 {
        let wall = || u64::try_from(self.epoch.elapsed().as_nanos()).unwrap_or(u64::MAX);
        if self.cpu_clock {
            thread_cpu_ns().unwrap_or_else(wall)
        } else {
            wall()
        }
    }
}

impl Measurement for ThreadCpuTime {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        self.now_ns()
    }
    fn end(&self, start: u64) -> u64 {
        self.now_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, value: &u64) -> f64 {
        *value as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

fn verify_cost10(c: &mut Criterion<ThreadCpuTime>) {
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

fn verifier_hit(c: &mut Criterion<ThreadCpuTime>) {
    let hash = stored_hash();
    let verifier = SecretVerifier::new(1024, Duration::from_secs(3600)).expect("os randomness");
    assert_eq!(verifier.verify(SECRET, &hash), Ok(()));
    c.bench_function("secret_verifier_cache_hit", |b| {
        b.iter(|| verifier.verify(black_box(SECRET), black_box(&hash)));
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().with_measurement(ThreadCpuTime::new());
    targets = verify_cost10, verifier_hit
}

/// Times PHP's `password_verify` at the same cost on the same secret and hash (CPU and wall
/// time, best and mean of 20 calls), when `php` is installed.
fn php_comparison() {
    let hash = stored_hash();
    let script = r#"
        $secret = getenv('BENCH_SECRET'); $hash = getenv('BENCH_HASH');
        if (!password_verify($secret, $hash)) { fwrite(STDERR, "php disagrees\n"); exit(1); }
        function cpu_ns() { $r = getrusage(); return ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) * 1e9 + ($r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']) * 1e3; }
        $n = 20; $cpu = []; $wall = [];
        for ($i = 0; $i < $n; $i++) {
            $c = cpu_ns(); $t = hrtime(true); password_verify($secret, $hash);
            $wall[] = hrtime(true) - $t; $cpu[] = cpu_ns() - $c;
        }
        printf("php %s password_verify cost 10: CPU mean %.2f ms, best %.2f ms; wall mean %.2f ms, best %.2f ms\n",
            PHP_VERSION, array_sum($cpu) / $n / 1e6, min($cpu) / 1e6, array_sum($wall) / $n / 1e6, min($wall) / 1e6);
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
