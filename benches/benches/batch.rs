//! Throughput on two threads against one, for the work that is worth spreading over cores:
//! bcrypt verification at cost 10 (`payseal::secrets::bcrypt::verify`; core has no batch API,
//! so the batch is cut in two halves under `std::thread::scope`, as a gateway's worker pool
//! would). The webhook batch (`verify_batch_on`, 512 × 1 KiB) is in `webhooks.rs`.
//!
//! Wall time, unlike `bcrypt.rs`: the point is how many checks per second two cores give. On a
//! machine whose second core is busy with other work the ratio falls toward 1; read it beside
//! the load average.
//!
//! `cargo bench -p payseal-benches --bench batch -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, SamplingMode, Throughput};
use payseal::secrets::bcrypt::{self, BcryptError};

const SECRET: &[u8] = b"sk_live_dE3xKJm8GAF0wAwaIINYNvDMbZoOlJLl3fZJZ207";
const COST: u32 = 10;
/// Checks per batch: two per thread at two threads.
const BATCH: usize = 4;

fn stored_hash() -> Vec<u8> {
    let mut buf = [0u8; bcrypt::HASH_LEN];
    let n = bcrypt::hash(SECRET, COST, &[0x5a; bcrypt::SALT_LEN], &mut buf).expect("hash");
    buf[..n].to_vec()
}

/// Verifies every (secret, hash) pair, the slice cut into `threads` contiguous chunks, the
/// calling thread taking the first; returns one outcome per pair, in order.
fn verify_all(pairs: &[(&[u8], &[u8])], threads: usize) -> Vec<Result<(), BcryptError>> {
    let mut out = vec![Ok(()); pairs.len()];
    let chunk = pairs.len().div_ceil(threads.max(1)).max(1);
    let run = |pairs: &[(&[u8], &[u8])], out: &mut [Result<(), BcryptError>]| {
        for ((secret, hash), slot) in pairs.iter().zip(out) {
            *slot = bcrypt::verify(secret, hash);
        }
    };
    std::thread::scope(|scope| {
        let mut parts = pairs.chunks(chunk).zip(out.chunks_mut(chunk));
        let first = parts.next();
        for (pairs, out) in parts {
            scope.spawn(move || run(pairs, out));
        }
        if let Some((pairs, out)) = first {
            run(pairs, out);
        }
    });
    out
}

fn bcrypt_batch(c: &mut Criterion) {
    let hash = stored_hash();
    let pairs: Vec<(&[u8], &[u8])> = (0..BATCH).map(|_| (SECRET, &hash[..])).collect();
    assert!(verify_all(&pairs, 2).iter().all(Result::is_ok));

    let mut g = c.benchmark_group("bcrypt_batch_cost10");
    g.sampling_mode(SamplingMode::Flat).sample_size(10).warm_up_time(Duration::from_secs(1));
    g.throughput(Throughput::Elements(BATCH as u64));
    for threads in [1usize, 2] {
        g.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &threads| {
            b.iter(|| black_box(verify_all(black_box(&pairs), threads)));
        });
    }
    g.finish();
}

criterion_group!(benches, bcrypt_batch);
criterion_main!(benches);
