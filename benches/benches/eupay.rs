//! EU Pay QR signing and verification of the shared fixture payload (~300 B), beside the
//! irreducible work: HMAC-SHA256 of the same bytes plus base64url of the envelope.
//!
//! `cargo bench -p payseal-benches --bench eupay -- --warm-up-time 1 --measurement-time 3`

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use hmac::{Hmac, Mac};
use payseal::encoding::{base64, hex};
use payseal::eupay::{scratch_len, tape_len, QrSigner, QrVerifier, MAX_QR_LEN};
use payseal::json::{Node, Tape};
use payseal_benches::fixture;
use sha2::Sha256;

/// The fixture expires at 2026-06-18T05:28:20Z; verify just before.
const NOW: i64 = 1_781_760_000;

fn bench_sign(c: &mut Criterion) {
    let payload = fixture("eupay-qr-payload.json");
    let secret = fixture("eupay-qr-payload.secret");
    let signer = QrSigner::new(&secret).expect("non-empty secret");
    let mut nodes = vec![Node::default(); tape_len(MAX_QR_LEN)];
    let mut url = vec![0u8; MAX_QR_LEN];

    let envelope = {
        let mut tape = Tape::from_slice(&mut nodes);
        let signed = signer.sign(&payload, &mut tape).expect("fixture signs");
        let mut e = vec![0u8; signed.envelope_len()];
        signed.write_envelope(&mut e).expect("envelope");
        e
    };
    let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("any key length");

    let mut g = c.benchmark_group("eupay_qr_sign");
    g.throughput(Throughput::Bytes(payload.len() as u64));
    g.bench_function("payseal_sign_url_into", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            signer.sign_url_into(black_box(&payload), &mut tape, &mut url).expect("sign")
        });
    });
    g.bench_function("payseal_sign_then_write_url", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            let signed = signer.sign(black_box(&payload), &mut tape).expect("sign");
            signed.write_url(&mut url).expect("url")
        });
    });
    g.bench_function("baseline_hmac_hex_b64url", |b| {
        b.iter(|| {
            let mut mac = keyed.clone();
            mac.update(black_box(&payload));
            let tag: [u8; 32] = mac.finalize().into_bytes().into();
            let sig: [u8; 64] = hex::encode_array(&tag);
            black_box(sig);
            base64::url_encode(black_box(&envelope), &mut url).expect("b64")
        });
    });
    g.bench_function("payseal_sign_only", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            signer.sign(black_box(&payload), &mut tape).expect("sign").url_len()
        });
    });
    g.finish();
}

fn bench_verify(c: &mut Criterion) {
    let payload = fixture("eupay-qr-payload.json");
    let secret = fixture("eupay-qr-payload.secret");
    let url = QrSigner::new(&secret).expect("non-empty secret").sign_to_url(&payload).expect("fixture signs");
    let verifier = QrVerifier::new(&secret).expect("non-empty secret");
    let mut nodes = vec![Node::default(); tape_len(MAX_QR_LEN)];
    let mut buf = vec![0u8; scratch_len(MAX_QR_LEN)];
    let keyed = <Hmac<Sha256> as Mac>::new_from_slice(&secret).expect("any key length");
    let data = &url.as_bytes()[payseal::eupay::URL_PREFIX.len()..];

    let mut g = c.benchmark_group("eupay_qr_verify");
    g.throughput(Throughput::Bytes(url.len() as u64));
    g.bench_function("payseal_verify_into", |b| {
        b.iter(|| {
            let mut tape = Tape::from_slice(&mut nodes);
            let p = verifier.verify_into(black_box(url.as_bytes()), NOW, &mut buf, &mut tape).expect("verify");
            p.expires_at()
        });
    });
    g.bench_function("baseline_b64url_decode_hmac", |b| {
        b.iter(|| {
            let n = base64::url_decode(black_box(data), &mut buf).expect("b64");
            let mut mac = keyed.clone();
            mac.update(&payload);
            black_box(n);
            <[u8; 32]>::from(mac.finalize().into_bytes())
        });
    });
    g.finish();
}

criterion_group!(benches, bench_sign, bench_verify);
criterion_main!(benches);
