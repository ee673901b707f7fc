//! Canonical JSON throughput: every dialect (JavaScript, PHP with both flag sets, RFC 8785 JCS)
//! beside their floors (a validate-only parse by
//! payseal and by serde_json, and SHA-256 over the same bytes), on the 3.5 KiB notification
//! fixture, the Paylands notification and a size sweep.
//!
//! `simd_json_tape` is the design's candidate for the tokenizer: simd-json building its tape
//! of the same bytes (from a copy, which it unescapes in place: the copy is timed, since a
//! verifier cannot mutate the body it verifies). Its tape keeps no source offsets, so the
//! emitter could not print already-canonical spans as they are, and it allocates.

use criterion::{black_box, criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use payseal::json::{canonicalize, parse, Dialect, Tape};
use payseal_benches::{fixture, json_of_size};
use sha2::{Digest, Sha256};

fn group(c: &mut Criterion, name: &str, input: &[u8]) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(input.len() as u64));
    let mut tape = Tape::with_capacity_for(input.len());
    let mut out = Vec::with_capacity(input.len() * 4);
    for (label, dialect) in [
        ("js", Dialect::Js),
        ("php", Dialect::php_default()),
        ("php_unescaped", Dialect::php_unescaped()),
        ("jcs", Dialect::Jcs),
    ] {
        g.bench_function(BenchmarkId::new("canonicalize", label), |b| {
            b.iter(|| {
                out.clear();
                canonicalize(black_box(input), dialect, &mut tape, &mut out).expect("valid");
                black_box(out.len())
            })
        });
    }
    g.bench_function(BenchmarkId::new("canonicalize_sha256", "php"), |b| {
        b.iter(|| {
            let mut h = Sha256::new();
            canonicalize(black_box(input), Dialect::php_default(), &mut tape, &mut h).expect("valid");
            black_box(h.finalize())
        })
    });
    g.bench_function(BenchmarkId::new("floor", "payseal_parse_only"), |b| {
        b.iter(|| black_box(parse(black_box(input), Dialect::Js, &mut tape).is_ok()))
    });
    g.bench_function(BenchmarkId::new("floor", "serde_json_validate"), |b| {
        b.iter(|| black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(input)).is_ok()))
    });
    let mut copy = input.to_vec();
    let mut buffers = simd_json::Buffers::new(input.len());
    g.bench_function(BenchmarkId::new("floor", "simd_json_tape"), |b| {
        b.iter(|| {
            copy.copy_from_slice(black_box(input));
            let tape = simd_json::Deserializer::from_slice_with_buffers(&mut copy, &mut buffers).expect("valid");
            black_box(tape.into_tape().0.len())
        })
    });
    g.bench_function(BenchmarkId::new("floor", "sha256"), |b| b.iter(|| black_box(Sha256::digest(black_box(input)))));
    g.finish();
}

fn benches(c: &mut Criterion) {
    group(c, "json/notification-3k5", &fixture("notification-3k5.json"));
    group(c, "json/paylands-notification", &fixture("paylands-notification.json"));
    for size in [64usize, 256, 1024, 4096, 65536] {
        group(c, &format!("json/{size}B"), &json_of_size(size));
    }
}

criterion_group!(json, benches);
criterion_main!(json);
