//! The Rust core's side of `scripts/bench-compare`: every hot path beside its floor (the bare
//! primitive over the same bytes) and the Rust crates doing the same job, timed in one process.
//!
//! `cargo run --release -p payseal-benches --example compare -- [--quick] [--only CASE]`
//!
//! Instruction profiles of one implementation (repeatable on a noisy machine; valgrind hides
//! SHA-NI, so the hash runs its portable code there):
//! `valgrind --tool=callgrind compare --only webhook_verify_1k --profile payseal 20000`
//!
//! Prints one JSON line per measurement, the contract every language's comparison script
//! follows: `{"lang":"rust","case":…,"impl":…,"ns_per_op":…}`, plus `cpu_ns_per_op` (process
//! CPU time: at two threads, the sum over both) and `bytes` (input size, for throughput) where
//! they apply. Implementation names: `payseal` (what is compared), `floor_*` (the irreducible
//! work), anything else a peer.
//!
//! How: the implementations of a case are calibrated to a sample of a few milliseconds, then
//! sampled in turns (A B C, C B A, …) so that a neighbour's burst of load hits them alike; the
//! median sample is reported. Every implementation is checked to accept its input first.

use std::hint::black_box;
use std::num::NonZeroUsize;
use std::time::{Duration, Instant};

use hmac::{Hmac, Mac};
use payseal::encoding::{base64 as b64, hex};
use payseal::eupay::{scratch_len, tape_len, QrSigner, QrVerifier, MAX_QR_LEN, URL_PREFIX};
use payseal::json::{canonicalize, parse, Dialect, Node, Tape};
use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey};
use payseal::secrets::{bcrypt, SecretVerifier};
use payseal::webhooks::{verify_batch_on, Freshness, Item, KeySet, Scheme, SignOptions};
use payseal_benches::{fixture, json_of_size};
use sha2::{Digest, Sha256};

const NOW: i64 = 1_781_699_400;
const QR_NOW: i64 = 1_781_760_000;
const WEBHOOK_SECRET: &str = "bench-secret";
const BCRYPT_SECRET: &[u8] = b"sk_live_dE3xKJm8GAF0wAwaIINYNvDMbZoOlJLl3fZJZ207";

type HmacSha256 = Hmac<Sha256>;
type Headers = Vec<(String, String)>;

struct Config {
    /// Target duration of one sample.
    sample: Duration,
    /// Samples per implementation (the median is reported).
    samples: usize,
    /// Samples for the slow cases (bcrypt: one check is tens of milliseconds).
    slow_samples: usize,
    only: Option<String>,
    /// `--profile IMPL N`: run only IMPL, N times, print nothing (for callgrind).
    profile: Option<(String, u64)>,
}

/// One implementation of a case: a name and the operation, run `iters` times per sample.
struct Imp<'a> {
    name: &'static str,
    op: Box<dyn FnMut() + 'a>,
    iters: u64,
    wall: Vec<f64>,
    cpu: Vec<f64>,
}

fn imp<'a>(name: &'static str, op: impl FnMut() + 'a) -> Imp<'a> {
    Imp { name, op: Box::new(op), iters: 1, wall: Vec::new(), cpu: Vec::new() }
}

/// Keeps a result alive for the optimiser without using it.
fn keep<T>(value: T) {
    black_box(value);
}

fn process_cpu() -> Option<Duration> {
    cpu_time::ProcessTime::try_now().ok().map(|t| t.as_duration())
}

impl Imp<'_> {
    /// Times `iters` calls; records wall and process CPU nanoseconds per call.
    fn sample(&mut self) -> f64 {
        let cpu0 = process_cpu();
        let t0 = Instant::now();
        for _ in 0..self.iters {
            (self.op)();
        }
        let wall = t0.elapsed().as_nanos() as f64 / self.iters as f64;
        if let (Some(a), Some(b)) = (cpu0, process_cpu()) {
            self.cpu.push(b.saturating_sub(a).as_nanos() as f64 / self.iters as f64);
        }
        self.wall.push(wall);
        wall
    }

    /// Doubles the iteration count until one sample lasts `target` (this is also the warm-up).
    fn calibrate(&mut self, target: Duration) {
        let target = target.as_nanos() as f64;
        loop {
            let per_op = self.sample();
            if per_op * self.iters as f64 >= target || self.iters >= 1 << 30 {
                break;
            }
            let want = (target / per_op.max(0.1)).ceil() as u64;
            self.iters = want.clamp(self.iters * 2, self.iters * 100);
        }
        self.wall.clear();
        self.cpu.clear();
    }
}

fn median(v: &mut [f64]) -> Option<f64> {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// Measures every implementation of `case` in turns and prints one JSON line each.
fn run(cfg: &Config, case: &str, bytes: Option<usize>, slow: bool, mut imps: Vec<Imp<'_>>) {
    if cfg.only.as_deref().is_some_and(|only| !case.starts_with(only)) {
        return;
    }
    if let Some((name, n)) = &cfg.profile {
        for i in imps.iter_mut().filter(|i| i.name == name) {
            i.iters = *n;
            i.sample();
        }
        return;
    }
    let samples = if slow { cfg.slow_samples } else { cfg.samples };
    for i in &mut imps {
        if slow {
            i.sample(); // one warm-up call, one call per sample
            i.wall.clear();
            i.cpu.clear();
        } else {
            i.calibrate(cfg.sample);
        }
    }
    for s in 0..samples {
        if s % 2 == 0 {
            imps.iter_mut().for_each(|i| {
                i.sample();
            });
        } else {
            imps.iter_mut().rev().for_each(|i| {
                i.sample();
            });
        }
    }
    for i in &mut imps {
        let (Some(ns), cpu) = (median(&mut i.wall), median(&mut i.cpu)) else { continue };
        let mut line = format!(r#"{{"lang":"rust","case":"{case}","impl":"{}","ns_per_op":{ns:.1}"#, i.name);
        if let Some(cpu) = cpu {
            line += &format!(r#","cpu_ns_per_op":{cpu:.1}"#);
        }
        if let Some(b) = bytes {
            line += &format!(r#","bytes":{b}"#);
        }
        println!("{line}}}");
    }
}

fn hex_string(bytes: &[u8]) -> String {
    let mut out = vec![0u8; hex::encoded_len(bytes.len())];
    let n = hex::encode(bytes, &mut out).expect("sized");
    String::from_utf8(out[..n].to_vec()).expect("ascii")
}

fn hmac_key(key: &[u8]) -> HmacSha256 {
    <HmacSha256 as Mac>::new_from_slice(key).expect("any key length")
}

/// Bare HMAC-SHA256 over `body` with the key schedule precomputed: the floor of every
/// HMAC-signed webhook.
fn hmac_floor<'a>(keyed: &'a HmacSha256, body: &'a [u8]) -> impl FnMut() + 'a {
    move || {
        let mut m = keyed.clone();
        m.update(black_box(body));
        black_box(m.finalize().into_bytes());
    }
}

fn webhooks(cfg: &Config) {
    let keys = KeySet::new(Scheme::EuPay, &[WEBHOOK_SECRET]).expect("key set");
    let keyed = hmac_key(WEBHOOK_SECRET.as_bytes());
    // payseal's own HMAC (zeroising key schedule), without the header parsing and compare.
    let mac_key = HmacKey::new(Algorithm::Sha256, WEBHOOK_SECRET.as_bytes());
    let small = br#"{"id":"evt_1937b268813f031a","type":"payment.succeeded","amt":1}"#.to_vec();
    for (case, body) in [
        ("webhook_verify_64", small),
        ("webhook_verify_1k", fixture("eupay-webhook-1k.json")),
        ("webhook_verify_64k", json_of_size(65536)),
    ] {
        let mut m = keyed.clone();
        m.update(&body);
        let headers: Headers =
            vec![("X-EuPay-Signature".into(), format!("sha256={}", hex_string(&m.finalize().into_bytes())))];
        let at = Freshness::new(NOW, 300);
        assert_eq!(keys.verify(&headers, &body, at), Ok(()), "{case}: the delivery must verify");
        run(
            cfg,
            case,
            Some(body.len()),
            false,
            vec![
                imp("payseal", || keep(keys.verify(&headers, black_box(&body), at))),
                imp("floor_hmac_sha256", hmac_floor(&keyed, &body)),
                imp("payseal_mac_only", || {
                    let mut out = [0u8; MAX_OUTPUT];
                    keep(mac_key.mac(black_box(&body), &mut out));
                }),
                // The one-shot form a handler that keeps nothing writes (and PHP's
                // `verify_webhook()` runs): the key set made from the secret on every call,
                // beside the bare HMAC that also derives its key schedule every call.
                imp("payseal_keys_per_call", || {
                    let keys = KeySet::new(Scheme::EuPay, &[black_box(WEBHOOK_SECRET)]).expect("key set");
                    keep(keys.verify(&headers, black_box(&body), at));
                }),
                imp("floor_hmac_sha256_key_per_call", || {
                    let mut m = hmac_key(black_box(WEBHOOK_SECRET).as_bytes());
                    m.update(black_box(&body));
                    black_box(m.finalize().into_bytes());
                }),
            ],
        );
    }
}

/// Issue #20: signing 1 KiB for the sending side beside the bare HMAC of the same signed bytes
/// (EU Pay: the body; Stripe: `t.body`, whose hex goes into `t=…,v1=…`).
fn webhook_signing(cfg: &Config) {
    let body = fixture("eupay-webhook-1k.json");
    let opts = SignOptions::at(NOW);
    for (case, scheme, signed) in [
        ("webhook_sign_eupay_1k", Scheme::EuPay, body.clone()),
        ("webhook_sign_stripe_1k", Scheme::Stripe, [format!("{NOW}.").into_bytes(), body.clone()].concat()),
    ] {
        let keys = KeySet::new(scheme, &[WEBHOOK_SECRET]).expect("key set");
        let keyed = hmac_key(WEBHOOK_SECRET.as_bytes());
        let mut out = vec![0u8; keys.sign_len(&body, &opts)];
        let at = Freshness::new(NOW, 300);
        let check = keys.sign(&body, &opts, &mut out).expect("signs");
        assert_eq!(keys.verify(&check, &body, at), Ok(()), "{case}: the signed delivery must verify");
        run(
            cfg,
            case,
            Some(body.len()),
            false,
            vec![
                imp("payseal", || keep(keys.sign(black_box(&body), &opts, &mut out).map(|s| s.len()))),
                imp("floor_hmac_sha256", hmac_floor(&keyed, &signed)),
            ],
        );
    }
}

fn webhook_batch(cfg: &Config) {
    let body = fixture("eupay-webhook-1k.json");
    let keys = KeySet::new(Scheme::EuPay, &[WEBHOOK_SECRET]).expect("key set");
    let mut m = hmac_key(WEBHOOK_SECRET.as_bytes());
    m.update(&body);
    let headers: Headers =
        vec![("X-EuPay-Signature".into(), format!("sha256={}", hex_string(&m.finalize().into_bytes())))];
    let items: Vec<Item<'_, Headers>> =
        (0..512).map(|_| Item { keys: &keys, headers: &headers, body: &body }).collect();
    let at = Freshness::new(NOW, 300);
    assert!(verify_batch_on(&items, at, NonZeroUsize::MIN).iter().all(Result::is_ok));
    let batch_on = |threads: usize| {
        let n = NonZeroUsize::new(threads).expect("nonzero");
        let items = &items;
        move || {
            black_box(verify_batch_on(items, at, n));
        }
    };
    // ns_per_op is per batch of 512; the report divides by nothing: only the ratio matters.
    run(cfg, "batch_webhook_512x1k", None, false, vec![imp("threads_1", batch_on(1)), imp("threads_2", batch_on(2))]);
}

fn paylands_case(cfg: &Config) {
    let body = fixture("paylands-notification.json");
    let key = SignatureKey::new(&fixture("paylands-notification.signature")).expect("signature");
    let policy = FlagsPolicy::Only(Flags::Default);
    let mut scratch = vec![Node::default(); Tape::required_len(body.len())];
    assert!(paylands::verify(&body, Mode::Notification, policy, &key, &mut Tape::from_slice(&mut scratch)).is_ok());
    let mut scratch2 = scratch.clone();
    run(
        cfg,
        "paylands_verify",
        Some(body.len()),
        false,
        vec![
            imp("payseal", || {
                let mut tape = Tape::from_slice(&mut scratch);
                keep(paylands::verify(black_box(&body), Mode::Notification, policy, &key, &mut tape));
            }),
            imp("floor_sha256", || keep(Sha256::digest(black_box(&body)))),
            imp("floor_parse", || {
                let mut tape = Tape::from_slice(&mut scratch2);
                black_box(parse(black_box(&body), Dialect::php_default(), &mut tape).is_ok());
            }),
        ],
    );
}

fn canonical_json(cfg: &Config) {
    let input = fixture("notification-3k5.json");
    let mut out = Vec::with_capacity(input.len() * 4);
    let mut out2 = Vec::with_capacity(input.len() * 4);
    let mut tape = Tape::with_capacity_for(input.len());
    let mut tape2 = Tape::with_capacity_for(input.len());
    let mut tape3 = Tape::with_capacity_for(input.len());
    canonicalize(&input, Dialect::Js, &mut tape, &mut out).expect("fixture is valid");
    run(
        cfg,
        "canonical_json_3k5",
        Some(input.len()),
        false,
        vec![
            imp("payseal", || {
                out.clear();
                canonicalize(black_box(&input), Dialect::Js, &mut tape, &mut out).expect("valid");
                black_box(out.len());
            }),
            imp("payseal_php", || {
                out2.clear();
                canonicalize(black_box(&input), Dialect::php_default(), &mut tape2, &mut out2).expect("valid");
                black_box(out2.len());
            }),
            imp("floor_parse", || keep(parse(black_box(&input), Dialect::Js, &mut tape3).is_ok())),
            imp("floor_serde_json_validate", || {
                black_box(serde_json::from_slice::<serde::de::IgnoredAny>(black_box(&input)).is_ok());
            }),
            imp("floor_sha256", || keep(Sha256::digest(black_box(&input)))),
        ],
    );
}

/// JCS (RFC 8785) of the same notification: the member sort by UTF-16 code units and the
/// ECMAScript number printing on top of the parse. Its GB/s is a target row of the report
/// (issue #21); the bindings' `jcs_3k5` cases put it beside `canonicalize` (npm) and `rfc8785`.
fn jcs(cfg: &Config) {
    let input = fixture("notification-3k5.json");
    let mut out = Vec::with_capacity(input.len() * 4);
    let mut tape = Tape::with_capacity_for(input.len());
    let mut tape2 = Tape::with_capacity_for(input.len());
    canonicalize(&input, Dialect::Jcs, &mut tape, &mut out).expect("fixture is valid");
    run(
        cfg,
        "jcs_3k5",
        Some(input.len()),
        false,
        vec![
            imp("payseal", || {
                out.clear();
                canonicalize(black_box(&input), Dialect::Jcs, &mut tape, &mut out).expect("valid");
                black_box(out.len());
            }),
            imp("floor_parse", || keep(parse(black_box(&input), Dialect::Jcs, &mut tape2).is_ok())),
            imp("floor_sha256", || keep(Sha256::digest(black_box(&input)))),
        ],
    );
}

fn eupay_qr(cfg: &Config) {
    let payload = fixture("eupay-qr-payload.json");
    let secret = fixture("eupay-qr-payload.secret");
    let signer = QrSigner::new(&secret).expect("non-empty secret");
    let mut nodes = vec![Node::default(); tape_len(MAX_QR_LEN)];
    let mut url = vec![0u8; MAX_QR_LEN];
    let mut url2 = vec![0u8; MAX_QR_LEN];
    let envelope = {
        let mut tape = Tape::from_slice(&mut nodes);
        let signed = signer.sign(&payload, &mut tape).expect("fixture signs");
        let mut e = vec![0u8; signed.envelope_len()];
        signed.write_envelope(&mut e).expect("envelope");
        e
    };
    let keyed = hmac_key(&secret);
    let mut nodes2 = nodes.clone();
    run(
        cfg,
        "eupay_qr_sign",
        Some(payload.len()),
        false,
        vec![
            imp("payseal", || {
                let mut tape = Tape::from_slice(&mut nodes);
                black_box(signer.sign_url_into(black_box(&payload), &mut tape, &mut url).expect("sign"));
            }),
            imp("floor_hmac_hex_b64url", || {
                let mut mac = keyed.clone();
                mac.update(black_box(&payload));
                let tag: [u8; 32] = mac.finalize().into_bytes().into();
                black_box(hex::encode_array::<32, 64>(&tag));
                black_box(b64::url_encode(black_box(&envelope), &mut url2).expect("b64"));
            }),
            imp("payseal_parse_only", || {
                let mut tape = Tape::from_slice(&mut nodes2);
                black_box(parse(black_box(&payload), Dialect::Js, &mut tape).is_ok());
            }),
        ],
    );

    let signed_url = signer.sign_to_url(&payload).expect("fixture signs");
    let verifier = QrVerifier::new(&secret).expect("non-empty secret");
    let mut buf = vec![0u8; scratch_len(MAX_QR_LEN)];
    let mut buf2 = vec![0u8; scratch_len(MAX_QR_LEN)];
    let data = &signed_url.as_bytes()[URL_PREFIX.len()..];
    run(
        cfg,
        "eupay_qr_verify",
        Some(signed_url.len()),
        false,
        vec![
            imp("payseal", || {
                let mut tape = Tape::from_slice(&mut nodes);
                let p = verifier.verify_into(black_box(signed_url.as_bytes()), QR_NOW, &mut buf, &mut tape);
                black_box(p.expect("verifies").expires_at());
            }),
            imp("floor_b64url_decode_hmac", || {
                black_box(b64::url_decode(black_box(data), &mut buf2).expect("b64"));
                let mut mac = keyed.clone();
                mac.update(black_box(&payload));
                black_box(mac.finalize().into_bytes());
            }),
        ],
    );
}

fn encodings(cfg: &Config) {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine as _;
    let src: Vec<u8> = (0..1024usize).map(|i| (i.wrapping_mul(151) & 0xff) as u8).collect();
    let hex_text = ::hex::encode(&src).into_bytes();
    let b64_text = URL_SAFE_NO_PAD.encode(&src).into_bytes();
    let (mut a, mut b) = (vec![0u8; 4096], vec![0u8; 4096]);
    let mut c = vec![0u8; 4096];
    let mut d = vec![0u8; 4096];
    run(
        cfg,
        "hex_encode_1k",
        Some(src.len()),
        false,
        vec![
            imp("payseal", || keep(hex::encode(black_box(&src), &mut a))),
            imp("hex_crate", || keep(::hex::encode_to_slice(black_box(&src), &mut b[..2048]))),
        ],
    );
    run(
        cfg,
        "hex_decode_1k",
        Some(src.len()),
        false,
        vec![
            imp("payseal", || keep(hex::decode(black_box(&hex_text), &mut c))),
            imp("hex_crate", || keep(::hex::decode_to_slice(black_box(&hex_text), &mut d[..1024]))),
        ],
    );
    run(
        cfg,
        "b64url_encode_1k",
        Some(src.len()),
        false,
        vec![
            imp("payseal", || keep(b64::url_encode(black_box(&src), &mut a))),
            imp("base64_crate", || keep(URL_SAFE_NO_PAD.encode_slice(black_box(&src), &mut b))),
        ],
    );
    run(
        cfg,
        "b64url_decode_1k",
        Some(src.len()),
        false,
        vec![
            imp("payseal", || keep(b64::url_decode(black_box(&b64_text), &mut c))),
            imp("base64_crate", || keep(URL_SAFE_NO_PAD.decode_slice(black_box(&b64_text), &mut d))),
        ],
    );
}

fn stored_bcrypt_hash() -> Vec<u8> {
    let mut buf = [0u8; bcrypt::HASH_LEN];
    let n = bcrypt::hash(BCRYPT_SECRET, 10, &[0x5a; bcrypt::SALT_LEN], &mut buf).expect("hash");
    buf[..n].to_vec()
}

fn bcrypt_cases(cfg: &Config) {
    let hash = stored_bcrypt_hash();
    let hash_str = std::str::from_utf8(&hash).expect("ascii");
    assert_eq!(bcrypt::verify(BCRYPT_SECRET, &hash), Ok(()));
    assert!(matches!(::bcrypt::verify(BCRYPT_SECRET, hash_str), Ok(true)));
    run(
        cfg,
        "bcrypt_verify_cost10",
        None,
        true,
        vec![
            imp("payseal", || keep(bcrypt::verify(black_box(BCRYPT_SECRET), black_box(&hash)))),
            imp("bcrypt_crate", || keep(::bcrypt::verify(black_box(BCRYPT_SECRET), black_box(hash_str)))),
        ],
    );

    let verifier = SecretVerifier::new(1024, Duration::from_secs(3600)).expect("os randomness");
    assert_eq!(verifier.verify(BCRYPT_SECRET, &hash), Ok(()));
    run(
        cfg,
        "secret_verifier_hit",
        None,
        false,
        vec![imp("payseal", || keep(verifier.verify(black_box(BCRYPT_SECRET), black_box(&hash))))],
    );

    // Four cost-10 checks per batch: two per thread at two threads (core has no bcrypt batch
    // API; this is what a worker pool does with `bcrypt::verify`).
    let pairs: Vec<&[u8]> = vec![&hash; 4];
    let batch_on = |threads: usize| {
        let pairs = &pairs;
        move || {
            let chunk = pairs.len().div_ceil(threads);
            std::thread::scope(|s| {
                let mut parts = pairs.chunks(chunk);
                let first = parts.next();
                for part in parts {
                    s.spawn(move || part.iter().for_each(|h| keep(bcrypt::verify(BCRYPT_SECRET, h))));
                }
                first.into_iter().flatten().for_each(|h| keep(bcrypt::verify(BCRYPT_SECRET, h)));
            });
        }
    };
    run(cfg, "batch_bcrypt_4xcost10", None, true, vec![imp("threads_1", batch_on(1)), imp("threads_2", batch_on(2))]);
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut quick = false;
    let mut only = None;
    let mut profile = None;
    while let Some(a) = args.next() {
        match a.as_str() {
            "--quick" => quick = true,
            "--only" => only = args.next(),
            "--profile" => {
                let name = args.next().unwrap_or_default();
                let n = args.next().and_then(|n| n.parse().ok()).unwrap_or(1000);
                profile = Some((name, n));
            }
            other => {
                eprintln!(
                    "usage: compare [--quick] [--only CASE_PREFIX] [--profile IMPL N] (unknown argument {other})"
                );
                std::process::exit(2);
            }
        }
    }
    let cfg = if quick {
        Config { sample: Duration::from_micros(500), samples: 61, slow_samples: 5, only, profile }
    } else {
        Config { sample: Duration::from_millis(1), samples: 101, slow_samples: 11, only, profile }
    };
    webhooks(&cfg);
    webhook_signing(&cfg);
    paylands_case(&cfg);
    eupay_qr(&cfg);
    canonical_json(&cfg);
    jcs(&cfg);
    encodings(&cfg);
    webhook_batch(&cfg);
    bcrypt_cases(&cfg);
    jose_cases(&cfg);
}

/// `../shared/vectors` (relative to the repository root), or `PAYSEAL_VECTORS`.
fn jws_vector(id: &str) -> serde_json::Value {
    let dir = std::env::var_os("PAYSEAL_VECTORS")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"));
    let text = std::fs::read_to_string(dir.join("jws.jsonl")).expect("jws.jsonl (set PAYSEAL_VECTORS)");
    text.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["id"] == id)
        .expect("vector")
}

fn b64url(s: &str) -> Vec<u8> {
    let mut out = vec![0u8; s.len()];
    let n = b64::url_decode(s.as_bytes(), &mut out).expect("base64url");
    out.truncate(n);
    out
}

/// JOSE: HS256 verification of a ~440-byte JWT beside base64url-decoding its segments plus
/// HMAC-SHA256 of the signing input (key schedule precomputed on both sides) and a
/// constant-time compare; RS256/ES256 (tokens of `jws.jsonl`) beside ring's bare verify of the
/// same signing input and decoded signature.
fn jose_cases(cfg: &Config) {
    use payseal::jose::{self, Algorithm as JoseAlg, SigningKey, Validation};
    use ring::signature::{self as rs, UnparsedPublicKey};
    const K: &str = "IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0";
    let jwk = format!(r#"{{"kty":"oct","kid":"ppro-1","k":"{K}"}}"#);
    let keys = jose::KeySet::from_json(format!(r#"{{"keys":[{jwk}]}}"#).as_bytes()).expect("keys");
    let signer = SigningKey::from_jwk(jwk.as_bytes()).expect("key");
    let claims = br#"{"sub":"charge_79n1d4x-","iat":1781739433,"exp":1781740819,"nbf":1781739400,"iss":"https://auth.example.test/realms/sandbox","aud":["account","merchant-api"],"session":{"r":"charge_bfnx46jl","amount":12.5,"currency":"EUR"},"jti":"8f14e45f-ceea-467f-a1b2"}"#;
    let token = jose::sign_to_string(br#"{"alg":"HS256","kid":"ppro-1","typ":"JWT"}"#, claims, &signer).expect("sign");
    let t = token.as_bytes();
    let keyed = hmac_key(&b64url(K));
    let hs = [JoseAlg::Hs256];
    let val =
        Validation::at(&hs, 1_781_740_000).audience("merchant-api").issuer("https://auth.example.test/realms/sandbox");
    let mut buf = vec![0u8; jose::scratch_len(t.len())];
    let mut nodes = vec![Node::default(); jose::tape_len(t.len())];
    let mut plain = vec![0u8; t.len()];
    let floor = |plain: &mut [u8]| {
        let t = black_box(t);
        let d1 = t.iter().position(|&c| c == b'.').expect("dot");
        let d2 = t.iter().rposition(|&c| c == b'.').expect("dot");
        let h = b64::url_decode(&t[..d1], plain).expect("b64");
        b64::url_decode(&t[d1 + 1..d2], &mut plain[h..]).expect("b64");
        let mut sig = [0u8; 32];
        b64::url_decode(&t[d2 + 1..], &mut sig).expect("b64");
        let mut m = keyed.clone();
        m.update(&t[..d2]);
        let tag: [u8; 32] = m.finalize().into_bytes().into();
        assert!(payseal::ct::eq(&tag, &sig));
    };
    let mut nodes2 = nodes.clone();
    let mut buf2 = buf.clone();
    let mut plain2 = plain.clone();
    run(
        cfg,
        "jose_hs256_verify",
        Some(t.len()),
        false,
        vec![
            imp("payseal", || {
                let mut tape = Tape::from_slice(&mut nodes);
                keep(jose::verify_jws(black_box(t), &keys, &hs, &mut buf, &mut tape).expect("verifies").payload.len());
            }),
            imp("floor_b64url_hmac", || floor(&mut plain)),
        ],
    );
    run(
        cfg,
        "jose_hs256_jwt_claims",
        Some(t.len()),
        false,
        vec![
            imp("payseal", || {
                let mut tape = Tape::from_slice(&mut nodes2);
                keep(
                    jose::verify_jwt(black_box(t), &keys, &val, &mut buf2, &mut tape).expect("verifies").payload.len(),
                );
            }),
            imp("floor_b64url_hmac", || floor(&mut plain2)),
        ],
    );
    for (case, id, alg) in [
        ("jose_rs256_verify", "jwt_verify_0012_RS256_ok", JoseAlg::Rs256),
        ("jose_es256_verify", "jwt_verify_0033_ES256_ok", JoseAlg::Es256),
    ] {
        let v = jws_vector(id);
        let token = v["token"].as_str().expect("token").to_owned();
        let keys = jose::KeySet::from_json(v["jwks"].to_string().as_bytes()).expect("jwks");
        let (input, sig) = token.rsplit_once('.').expect("dot");
        let (input, sig) = (input.as_bytes().to_vec(), b64url(sig));
        let candidates: Vec<(Vec<u8>, Vec<u8>)> = v["jwks"]["keys"]
            .as_array()
            .expect("keys")
            .iter()
            .filter_map(|k| match (k["kty"].as_str(), alg) {
                (Some("RSA"), JoseAlg::Rs256) => Some((b64url(k["n"].as_str()?), b64url(k["e"].as_str()?))),
                (Some("EC"), JoseAlg::Es256) if k["crv"] == "P-256" => {
                    Some(([vec![4u8], b64url(k["x"].as_str()?), b64url(k["y"].as_str()?)].concat(), Vec::new()))
                }
                _ => None,
            })
            .collect();
        let ring_verify = |(a, e): &(Vec<u8>, Vec<u8>), input: &[u8], sig: &[u8]| {
            if alg == JoseAlg::Rs256 {
                rs::RsaPublicKeyComponents { n: a, e }.verify(&rs::RSA_PKCS1_2048_8192_SHA256, input, sig).is_ok()
            } else {
                UnparsedPublicKey::new(&rs::ECDSA_P256_SHA256_FIXED, a).verify(input, sig).is_ok()
            }
        };
        let key = candidates.iter().find(|k| ring_verify(k, &input, &sig)).expect("the vector's key").clone();
        let algs = [alg];
        let mut buf = vec![0u8; jose::scratch_len(token.len())];
        let mut nodes = vec![Node::default(); jose::tape_len(token.len())];
        run(
            cfg,
            case,
            Some(token.len()),
            false,
            vec![
                imp("payseal", || {
                    let mut tape = Tape::from_slice(&mut nodes);
                    keep(
                        jose::verify_jws(black_box(token.as_bytes()), &keys, &algs, &mut buf, &mut tape)
                            .expect("verifies")
                            .alg,
                    );
                }),
                imp("floor_ring_verify", || assert!(ring_verify(&key, black_box(&input), &sig))),
            ],
        );
    }
}
