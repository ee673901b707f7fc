//! Properties of `payseal::webhooks`: the hand-written HMAC against the `hmac` crate, any
//! delivery to any scheme (typed errors only), and deliveries signed by an independent
//! implementation of each provider's construction (they verify; tampered ones do not).

use arbitrary::{Arbitrary, Unstructured};
use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use hmac::digest::KeyInit;
use hmac::{Hmac, Mac as _};
use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
use payseal::webhooks::{Error, Freshness, KeySet, Scheme};

/// Header names the schemes read, spelled in mixed case below.
const NAMES: [&str; 13] = [
    "X-EuPay-Signature",
    "X-Hub-Signature-256",
    "Stripe-Signature",
    "webhook-id",
    "webhook-timestamp",
    "webhook-signature",
    "svix-id",
    "svix-timestamp",
    "svix-signature",
    "X-Shopify-Hmac-Sha256",
    "Cko-Signature",
    "X-Initialization-Vector",
    "X-Authentication-Tag",
];

/// The secrets each scheme is keyed with in this target (two: rotation).
fn secrets(scheme: Scheme) -> [&'static str; 2] {
    match scheme {
        Scheme::Standard => ["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "whsec_c2Vjb25kLXNlY3JldA=="],
        Scheme::AdyenItem => ["44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056", "00ff"],
        Scheme::Oppwa | Scheme::OppwaBase64 => [
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
            "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100",
        ],
        Scheme::Stripe => ["whsec_test_secret", "whsec_old"],
        _ => ["It's a Secret to Everybody", "old-secret"],
    }
}

/// The HMAC key bytes the providers use for `secrets(scheme)[i]`.
fn key_bytes(scheme: Scheme, i: usize) -> Vec<u8> {
    let s = secrets(scheme)[i];
    match scheme {
        Scheme::Standard => STANDARD.decode(&s[6..]).expect("base64 secret"),
        _ => s.as_bytes().to_vec(),
    }
}

#[derive(Debug, Arbitrary)]
pub struct Input {
    pub scheme: u8,
    pub headers: Vec<(HeaderName, Vec<u8>)>,
    pub body: Vec<u8>,
    pub now: i64,
    pub tolerance: u16,
    pub sign: Option<Signing>,
    pub mac: MacCase,
}

#[derive(Debug, Arbitrary)]
pub enum HeaderName {
    Known(u8, u32),
    Other(Vec<u8>),
}

/// How to sign the delivery independently: which key, the timestamp offset from `now`, the
/// message id (Standard Webhooks), signature lists, and where to tamper.
#[derive(Debug, Arbitrary)]
pub struct Signing {
    pub key: bool,
    pub offset: i16,
    pub id: Vec<u8>,
    pub decoys: u8,
    pub uppercase: bool,
    pub tamper: Option<u16>,
}

/// A MAC computation: algorithm, key, message and where to split the updates.
#[derive(Debug, Arbitrary)]
pub struct MacCase {
    pub alg: u8,
    pub key: Vec<u8>,
    pub data: Vec<u8>,
    pub splits: Vec<u16>,
}

fn mixed_case(name: &str, bits: u32) -> Vec<u8> {
    name.bytes()
        .enumerate()
        .map(|(i, b)| if bits >> (i % 32) & 1 == 1 { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() })
        .collect()
}

pub fn run(data: &[u8]) {
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else { return };
    check_mac(&input.mac);
    let scheme = Scheme::ALL[usize::from(input.scheme) % Scheme::ALL.len()];
    let keys = KeySet::new(scheme, &secrets(scheme)).expect("the target's secrets are valid");
    let at = Freshness::new(input.now, u64::from(input.tolerance));

    // Any delivery: a typed answer, the same through verify and open.
    let headers: Vec<(Vec<u8>, Vec<u8>)> = input
        .headers
        .iter()
        .map(|(n, v)| match n {
            HeaderName::Known(i, bits) => (mixed_case(NAMES[usize::from(*i) % NAMES.len()], *bits), v.clone()),
            HeaderName::Other(n) => (n.clone(), v.clone()),
        })
        .collect();
    let verified = keys.verify(&headers, &input.body, at);
    let mut out = vec![0u8; keys.open_len(&input.body)];
    let opened = keys.open(&headers, &input.body, at, &mut out);
    assert_eq!(verified, opened.map(|_| ()), "verify and open disagree");
    if let Ok(n) = opened {
        assert!(n <= out.len());
    }
    assert!(!matches!(verified, Err(Error::BufferTooSmall { .. })), "open_len was too small");
    if !scheme.is_encrypted() {
        assert_eq!(opened, verified.map(|()| 0));
    }
    if let Some(signing) = &input.sign {
        check_signed(scheme, &keys, &input, signing);
    }
}

/// payseal's HMAC against RustCrypto's, one-shot and in arbitrary pieces.
fn check_mac(case: &MacCase) {
    let alg = [Algorithm::Sha1, Algorithm::Sha256, Algorithm::Sha384, Algorithm::Sha512][usize::from(case.alg % 4)];
    macro_rules! reference {
        ($digest:ty) => {{
            let mut m = <Hmac<$digest> as KeyInit>::new_from_slice(&case.key).expect("any key length");
            m.update(&case.data);
            m.finalize().into_bytes().to_vec()
        }};
    }
    let expected = match alg {
        Algorithm::Sha1 => reference!(sha1::Sha1),
        Algorithm::Sha256 => reference!(sha2::Sha256),
        Algorithm::Sha384 => reference!(sha2::Sha384),
        _ => reference!(sha2::Sha512),
    };
    let key = HmacKey::new(alg, &case.key);
    let mut out = [0u8; MAX_OUTPUT];
    let n = key.mac(&case.data, &mut out);
    assert_eq!(n, alg.output_len());
    assert_eq!(
        &out[..n],
        &expected[..],
        "{alg:?} one-shot, key {} bytes, data {} bytes",
        case.key.len(),
        case.data.len()
    );
    let mut mac = key.start();
    let mut rest = &case.data[..];
    for &s in &case.splits {
        let (head, tail) = rest.split_at(usize::from(s).min(rest.len()));
        mac.update(head);
        rest = tail;
    }
    mac.update(rest);
    let mut out2 = [0u8; MAX_OUTPUT];
    assert_eq!(mac.finish(&mut out2), n);
    assert_eq!(out2[..n], out[..n], "{alg:?} in pieces at {:?}", case.splits);
}

fn hmac256(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut m = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(key).expect("any key length");
    for p in parts {
        m.update(p);
    }
    m.finalize().into_bytes().into()
}

fn hex(bytes: &[u8], upper: bool) -> String {
    let s: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    if upper {
        s.to_uppercase()
    } else {
        s
    }
}

/// Signs the body the provider's way (outside payseal), checks it verifies, that a changed body
/// does not, and that the timestamp rules hold.
fn check_signed(scheme: Scheme, keys: &KeySet, input: &Input, s: &Signing) {
    let key = key_bytes(scheme, usize::from(s.key));
    let body = &input.body[..];
    let now = input.now.clamp(0, 999_999_999_999);
    let tolerance = u64::from(input.tolerance);
    let ts = (now + i64::from(s.offset)).max(0);
    let ts_text = ts.to_string();
    // Header values are capped at MAX_HEADER_LEN (8 KiB); keep the id well inside.
    let id: String =
        String::from_utf8_lossy(&s.id).replace([' ', ',', '\r', '\n', '\t', '\x0c'], "_").chars().take(256).collect();
    let headers_for = |body: &[u8]| -> Option<Vec<(String, String)>> {
        Some(match scheme {
            Scheme::EuPay | Scheme::Github => {
                let name = if scheme == Scheme::EuPay { NAMES[0] } else { NAMES[1] };
                vec![(name.to_owned(), format!("sha256={}", hex(&hmac256(&key, &[body]), s.uppercase)))]
            }
            Scheme::Checkout => vec![(NAMES[10].to_owned(), hex(&hmac256(&key, &[body]), s.uppercase))],
            Scheme::Shopify => vec![(NAMES[9].to_owned(), STANDARD.encode(hmac256(&key, &[body])))],
            Scheme::Stripe => {
                let sig = hex(&hmac256(&key, &[ts_text.as_bytes(), b".", body]), false);
                let mut v = format!("t={ts_text}");
                for i in 0..s.decoys % 4 {
                    v.push_str(&format!(",v0={},v1={}", "ab".repeat(32), format!("{i:02x}").repeat(32)));
                }
                v.push_str(&format!(",v1={sig}"));
                vec![(NAMES[2].to_owned(), v)]
            }
            Scheme::Standard => {
                if id.is_empty() {
                    return None;
                }
                let mac = hmac256(&key, &[id.as_bytes(), b".", ts_text.as_bytes(), b".", body]);
                let mut list = String::new();
                for _ in 0..s.decoys % 4 {
                    list.push_str("v1,AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA= v2,xyz ");
                }
                list.push_str(&format!("v1,{}", STANDARD.encode(mac)));
                let prefix = if s.uppercase { "svix" } else { "webhook" };
                vec![
                    (format!("{prefix}-id"), id.clone()),
                    (format!("{prefix}-timestamp"), ts_text.clone()),
                    (format!("{prefix}-signature"), list),
                ]
            }
            _ => return None,
        })
    };
    let Some(headers) = headers_for(body) else { return };
    let timed = matches!(scheme, Scheme::Stripe | Scheme::Standard);
    let at = Freshness::new(now, tolerance);
    let result = keys.verify(&headers, body, at);
    if body.len() > payseal::webhooks::limits::MAX_BODY_LEN {
        assert_eq!(result, Err(Error::TooLarge));
        return;
    }
    let age = i128::from(now) - i128::from(ts);
    let expected = if !timed || age.abs() <= i128::from(tolerance) {
        Ok(())
    } else if age > 0 {
        Err(Error::TimestampTooOld)
    } else {
        Err(Error::TimestampTooNew)
    };
    assert_eq!(result, expected, "{scheme:?} signed delivery {headers:?}");
    if timed {
        assert_eq!(keys.verify(&headers, body, Freshness::new(ts, 0)), Ok(()), "{scheme:?} at its own timestamp");
    }
    if let Some(at_byte) = s.tamper {
        // A different body under the same headers never verifies.
        let mut changed = body.to_vec();
        if changed.is_empty() {
            changed.push(b'x');
        } else {
            let i = usize::from(at_byte) % changed.len();
            changed[i] ^= 1 << (at_byte >> 13);
        }
        let when = if timed { Freshness::new(ts, 0) } else { at };
        assert_eq!(
            keys.verify(&headers, &changed, when),
            Err(Error::BadSignature),
            "{scheme:?} tampered body verified"
        );
    }
}
