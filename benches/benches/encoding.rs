//! Byte encodings: `payseal::encoding` (over `const-hex` and `base64-simd`) against the common
//! crates doing the same work into the same caller buffers: `hex` for lowercase hex,
//! `base64` (`URL_SAFE_NO_PAD`) for base64url. Sizes are the input of the encoder (and the
//! decoded size for the decoders): 64 B, 256 B, 1 KiB, 4 KiB, 64 KiB.
//!
//! The crates are the floor here: payseal adds a length check and a typed error, so its ratio to
//! them is the cost of that wrapping (or the gain of the SIMD engines underneath).
//!
//! `cargo bench -p payseal-benches --bench encoding -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use payseal::encoding::{base64 as b64, hex};

const SIZES: [usize; 5] = [64, 256, 1024, 4096, 65536];

/// Deterministic, non-repetitive bytes (every value occurs, no runs a decoder could shortcut).
fn input(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i.wrapping_mul(151).wrapping_add(i >> 8) & 0xff) as u8).collect()
}

fn hex_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("hex");
    for size in SIZES {
        let src = input(size);
        let mut text = vec![0u8; hex::encoded_len(size)];
        let mut back = vec![0u8; size];
        g.throughput(Throughput::Bytes(size as u64));

        g.bench_function(BenchmarkId::new("encode/payseal", size), |b| {
            b.iter(|| hex::encode(black_box(&src), &mut text).expect("sized"))
        });
        g.bench_function(BenchmarkId::new("encode/hex_crate", size), |b| {
            b.iter(|| ::hex::encode_to_slice(black_box(&src), &mut text).expect("sized"))
        });

        hex::encode(&src, &mut text).expect("sized");
        assert_eq!(::hex::encode(&src).as_bytes(), &text[..], "the two encoders must agree");
        g.bench_function(BenchmarkId::new("decode/payseal", size), |b| {
            b.iter(|| hex::decode(black_box(&text), &mut back).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("decode/hex_crate", size), |b| {
            b.iter(|| ::hex::decode_to_slice(black_box(&text), &mut back).expect("valid"))
        });
        assert_eq!(back, src);
    }
    g.finish();
}

fn base64url_group(c: &mut Criterion) {
    let mut g = c.benchmark_group("base64url");
    for size in SIZES {
        let src = input(size);
        let mut text = vec![0u8; b64::url_encoded_len(size)];
        let mut back = vec![0u8; b64::decoded_len_upper(text.len())];
        g.throughput(Throughput::Bytes(size as u64));

        g.bench_function(BenchmarkId::new("encode/payseal", size), |b| {
            b.iter(|| b64::url_encode(black_box(&src), &mut text).expect("sized"))
        });
        g.bench_function(BenchmarkId::new("encode/base64_crate", size), |b| {
            b.iter(|| URL_SAFE_NO_PAD.encode_slice(black_box(&src), &mut text).expect("sized"))
        });

        b64::url_encode(&src, &mut text).expect("sized");
        assert_eq!(URL_SAFE_NO_PAD.encode(&src).as_bytes(), &text[..], "the two encoders must agree");
        g.bench_function(BenchmarkId::new("decode/payseal", size), |b| {
            b.iter(|| b64::url_decode(black_box(&text), &mut back).expect("valid"))
        });
        g.bench_function(BenchmarkId::new("decode/base64_crate", size), |b| {
            b.iter(|| URL_SAFE_NO_PAD.decode_slice(black_box(&text), &mut back).expect("valid"))
        });
        assert_eq!(back[..size], src[..]);
    }
    g.finish();
}

criterion_group!(benches, hex_group, base64url_group);
criterion_main!(benches);
