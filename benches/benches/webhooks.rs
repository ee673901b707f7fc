//! Webhook verification at a ~1 KiB body, beside the bare primitives over the same bytes:
//! HMAC-SHA256 from the `hmac` crate (key schedule precomputed), from `ring`, and from
//! payseal's own zeroising schedule; AES-256-GCM decryption for OPPWA. The ratio of a scheme
//! to the floor is the cost of parsing headers, decoding and comparing. The batch group
//! measures `verify_batch_on` with 1 and 2 threads; the sizes group sets EU Pay verification
//! beside the bare HMAC at 64 B, 1 KiB and 64 KiB.
//!
//! The signing group (`webhooks_sign_1k`) measures `KeySet::sign` for every scheme into a
//! caller buffer, beside the same bare HMACs: the ratio is the cost of formatting headers
//! (and, for Adyen and Spreedly, of parsing the body and splicing the signature in).
//!
//! `cargo bench -p payseal-benches --bench webhooks -- --warm-up-time 1 --measurement-time 2`

use std::hint::black_box;
use std::num::NonZeroUsize;

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::Aes256Gcm;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use hmac::{Hmac, Mac};
use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
use payseal::webhooks::{verify_batch_on, Freshness, Item, KeySet, Scheme, SignOptions};

const NOW: i64 = 1_781_699_400;
const AT: Freshness = Freshness::new(NOW, 300);
const AES_KEY: [u8; 32] = [0x42; 32];

type Headers = Vec<(String, String)>;

/// The shared ~1 KiB EU Pay webhook body (`PAYSEAL_FIXTURES` may point elsewhere).
fn body_1k() -> Vec<u8> {
    payseal_benches::fixture("eupay-webhook-1k.json")
}

fn hmac256(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    let mut m = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).expect("any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn b64(bytes: &[u8]) -> String {
    let mut out = vec![0u8; payseal::encoding::base64::standard_encoded_len(bytes.len())];
    let n = payseal::encoding::base64::standard_encode(bytes, &mut out).expect("sized");
    String::from_utf8(out[..n].to_vec()).expect("ascii")
}

fn h(pairs: &[(&str, String)]) -> Headers {
    pairs.iter().map(|(n, v)| ((*n).to_owned(), v.clone())).collect()
}

/// (scheme, key set, headers, body) for every scheme at about 1 KiB.
fn deliveries(body: &[u8]) -> Vec<(Scheme, KeySet, Headers, Vec<u8>)> {
    let s = b"bench-secret";
    let t = NOW.to_string();
    let std_key = b"standard-webhooks-key-32-bytes!!";
    let id = "msg_2Lh9KRb0pzN4LePd3XiA4";
    let keys = |scheme, secret: &str| KeySet::new(scheme, &[secret]).expect("key set");
    let mut v = vec![
        (
            Scheme::EuPay,
            keys(Scheme::EuPay, "bench-secret"),
            h(&[("X-EuPay-Signature", format!("sha256={}", hex(&hmac256(s, &[body]))))]),
            body.to_vec(),
        ),
        (
            Scheme::Github,
            keys(Scheme::Github, "bench-secret"),
            h(&[("X-Hub-Signature-256", format!("sha256={}", hex(&hmac256(s, &[body]))))]),
            body.to_vec(),
        ),
        (
            Scheme::Stripe,
            keys(Scheme::Stripe, "bench-secret"),
            h(&[("Stripe-Signature", format!("t={t},v1={}", hex(&hmac256(s, &[t.as_bytes(), b".", body]))))]),
            body.to_vec(),
        ),
        (
            Scheme::Standard,
            keys(Scheme::Standard, &format!("whsec_{}", b64(std_key))),
            h(&[
                ("webhook-id", id.to_owned()),
                ("webhook-timestamp", t.clone()),
                (
                    "webhook-signature",
                    format!("v1,{}", b64(&hmac256(std_key, &[id.as_bytes(), b".", t.as_bytes(), b".", body]))),
                ),
            ]),
            body.to_vec(),
        ),
        (
            Scheme::Shopify,
            keys(Scheme::Shopify, "bench-secret"),
            h(&[("X-Shopify-Hmac-Sha256", b64(&hmac256(s, &[body])))]),
            body.to_vec(),
        ),
        (
            Scheme::Checkout,
            keys(Scheme::Checkout, "bench-secret"),
            h(&[("Cko-Signature", hex(&hmac256(s, &[body])))]),
            body.to_vec(),
        ),
    ];

    // Adyen: an item padded with additionalData to ~1 KiB.
    let adyen_key = [0xA5u8; 32];
    let signed = "7914073381342284::TestMerchant:order-1:1130:EUR:AUTHORISATION:true";
    let pad: String = (0..24).map(|i| format!(r#""field{i:02}":"value-{i:04}-abcdef","#)).collect();
    let item = format!(
        r#"{{"pspReference":"7914073381342284","merchantAccountCode":"TestMerchant","merchantReference":"order-1","amount":{{"value":1130,"currency":"EUR"}},"eventCode":"AUTHORISATION","success":"true","additionalData":{{{pad}"hmacSignature":"{}"}}}}"#,
        b64(&hmac256(&adyen_key, &[signed.as_bytes()]))
    );
    v.push((Scheme::AdyenItem, keys(Scheme::AdyenItem, &hex(&adyen_key)), Vec::new(), item.into_bytes()));

    // Spreedly: a transaction of ~1 KiB, every field signed with SHA-256.
    let fields: Vec<(String, String)> =
        (0..30).map(|i| (format!("field_{i:02}"), format!("value {i} &amp; more"))).collect();
    let decoded: Vec<String> = fields.iter().map(|(_, v)| v.replace("&amp;", "&")).collect();
    let sig = hex(&hmac256(s, &[decoded.join("|").as_bytes()]));
    let mut doc = String::from("<transaction>");
    for (n, v) in &fields {
        doc += &format!("<{n}>{v}</{n}>");
    }
    let names: Vec<&str> = fields.iter().map(|(n, _)| n.as_str()).collect();
    doc += &format!(
        "<signed><signature>{sig}</signature><fields>{}</fields><algorithm>sha256</algorithm></signed></transaction>",
        names.join(" ")
    );
    v.push((Scheme::Spreedly, keys(Scheme::Spreedly, "bench-secret"), Vec::new(), doc.into_bytes()));

    // OPPWA: the 1 KiB body encrypted, hex.
    let mut ct = body.to_vec();
    let iv = [7u8; 12];
    let tag = Aes256Gcm::new_from_slice(&AES_KEY)
        .expect("key")
        .encrypt_in_place_detached((&iv).into(), b"", &mut ct)
        .expect("encrypts");
    v.push((
        Scheme::Oppwa,
        keys(Scheme::Oppwa, &hex(&AES_KEY)),
        h(&[("X-Initialization-Vector", hex(&iv)), ("X-Authentication-Tag", hex(&tag))]),
        hex(&ct).into_bytes(),
    ));
    v
}

fn schemes(c: &mut Criterion) {
    let body = body_1k();
    let mut g = c.benchmark_group("webhooks_1k");
    g.throughput(Throughput::Bytes(body.len() as u64));

    let keyed = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"bench-secret").expect("key");
    g.bench_function("floor/hmac_crate_sha256", |b| {
        b.iter(|| {
            let mut m = keyed.clone();
            m.update(black_box(&body));
            black_box(m.finalize().into_bytes())
        });
    });
    let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, b"bench-secret");
    g.bench_function("floor/ring_sha256", |b| b.iter(|| black_box(ring::hmac::sign(&ring_key, black_box(&body)))));
    let ours = HmacKey::new(Algorithm::Sha256, b"bench-secret");
    g.bench_function("floor/payseal_mac_sha256", |b| {
        b.iter(|| {
            let mut out = [0u8; MAX_OUTPUT];
            black_box(ours.mac(black_box(&body), &mut out))
        });
    });
    let aes = Aes256Gcm::new_from_slice(&AES_KEY).expect("key");
    let iv = [7u8; 12];
    let mut ct = body.clone();
    let tag = aes.encrypt_in_place_detached((&iv).into(), b"", &mut ct).expect("encrypts");
    g.bench_function("floor/aes256gcm_decrypt", |b| {
        let mut buf = ct.clone();
        b.iter(|| {
            buf.copy_from_slice(&ct);
            black_box(aes.decrypt_in_place_detached((&iv).into(), b"", &mut buf, &tag)).expect("tag verifies");
        });
    });

    for (scheme, keys, headers, body) in deliveries(&body) {
        assert_eq!(keys.verify(&headers, &body, AT), Ok(()), "{scheme:?} fixture must verify");
        if scheme.is_encrypted() {
            let mut out = vec![0u8; keys.open_len(&body)];
            g.bench_function(scheme.name(), |b| {
                b.iter(|| black_box(keys.open(&headers, black_box(&body), AT, &mut out)).expect("verifies"));
            });
        } else {
            g.bench_function(scheme.name(), |b| {
                b.iter(|| black_box(keys.verify(&headers, black_box(&body), AT)).expect("verifies"));
            });
        }
    }
    g.finish();
}

/// Signing at ~1 KiB: every scheme into a caller buffer, beside the bare HMAC-SHA256 of the
/// same bytes (payseal's schedule, which the signers use, and the `hmac` crate's).
fn signing(c: &mut Criterion) {
    let body = body_1k();
    let mut g = c.benchmark_group("webhooks_sign_1k");
    g.throughput(Throughput::Bytes(body.len() as u64));
    let ours = HmacKey::new(Algorithm::Sha256, b"bench-secret");
    g.bench_function("floor/payseal_mac_sha256", |b| {
        b.iter(|| {
            let mut out = [0u8; MAX_OUTPUT];
            black_box(ours.mac(black_box(&body), &mut out))
        });
    });
    let keyed = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"bench-secret").expect("key");
    g.bench_function("floor/hmac_crate_sha256", |b| {
        b.iter(|| {
            let mut m = keyed.clone();
            m.update(black_box(&body));
            black_box(m.finalize().into_bytes())
        });
    });
    let opts = SignOptions::at(NOW).with_id("msg_2Lh9KRb0pzN4LePd3XiA4").with_iv([7; 12]);
    for (scheme, keys, _, delivered) in deliveries(&body) {
        // The MAC schemes and OPPWA sign the 1 KiB body; Adyen and Spreedly their ~1 KiB item.
        let input = if matches!(scheme, Scheme::AdyenItem | Scheme::Spreedly) { delivered } else { body.clone() };
        let mut out = vec![0u8; keys.sign_len(&input, &opts)];
        let signed = keys.sign(&input, &opts, &mut out).expect("signs");
        let sent = signed.body().unwrap_or(&input).to_vec();
        assert_eq!(keys.verify(&signed, &sent, AT), Ok(()), "{scheme:?} signature must verify");
        g.bench_function(scheme.name(), |b| {
            b.iter(|| black_box(keys.sign(black_box(&input), &opts, &mut out).map(|s| s.len())).expect("signs"));
        });
    }
    g.finish();
}

fn batch(c: &mut Criterion) {
    let body = body_1k();
    let keys = KeySet::new(Scheme::EuPay, &["bench-secret"]).expect("key set");
    let headers = h(&[("X-EuPay-Signature", format!("sha256={}", hex(&hmac256(b"bench-secret", &[&body]))))]);
    // 512 deliveries (~0.35 ms on one thread: starting a thread is a visible share of it) and
    // 8192 (~5.5 ms: the start is amortised).
    for count in [512usize, 8192] {
        let items: Vec<Item<'_, Headers>> =
            (0..count).map(|_| Item { keys: &keys, headers: &headers, body: &body }).collect();
        let mut g = c.benchmark_group(format!("webhooks_batch_{count}x1k"));
        g.throughput(Throughput::Elements(items.len() as u64));
        for threads in [1usize, 2] {
            let n = NonZeroUsize::new(threads).expect("nonzero");
            g.bench_with_input(BenchmarkId::new("eupay_threads", threads), &n, |b, &n| {
                b.iter(|| black_box(verify_batch_on(&items, AT, n)));
            });
        }
        g.finish();
    }
}

/// EU Pay verification (header parse, hex decode, HMAC, constant-time compare) beside the bare
/// HMAC-SHA256 of the same body, from 64 B (fixed costs dominate) to 64 KiB (the hash does).
fn sizes(c: &mut Criterion) {
    let small = br#"{"id":"evt_1937b268813f031a","type":"payment.succeeded","amt":1}"#.to_vec();
    let mut g = c.benchmark_group("webhooks_sizes");
    for body in [small, body_1k(), payseal_benches::json_of_size(65536)] {
        let size = body.len();
        let keys = KeySet::new(Scheme::EuPay, &["bench-secret"]).expect("key set");
        let headers = h(&[("X-EuPay-Signature", format!("sha256={}", hex(&hmac256(b"bench-secret", &[&body]))))]);
        assert_eq!(keys.verify(&headers, &body, AT), Ok(()));
        let keyed = <Hmac<sha2::Sha256> as Mac>::new_from_slice(b"bench-secret").expect("key");
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_with_input(BenchmarkId::new("floor/hmac_crate_sha256", size), &body, |b, body| {
            b.iter(|| {
                let mut m = keyed.clone();
                m.update(black_box(body));
                black_box(m.finalize().into_bytes())
            });
        });
        g.bench_with_input(BenchmarkId::new("eupay", size), &body, |b, body| {
            b.iter(|| black_box(keys.verify(&headers, black_box(body), AT)).expect("verifies"));
        });
    }
    g.finish();
}

criterion_group!(benches, schemes, signing, batch, sizes);
criterion_main!(benches);
