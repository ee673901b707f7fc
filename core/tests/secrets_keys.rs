//! API keys, key pairs, table tokens and table links: parsing, every error, deterministic
//! generation, redaction.

use payseal::secrets::keys::{
    check_pair, inspect, verify_table_url, ApiKey, Environment, InvalidTableLink, KeyError, KeyKind, KeyPair,
    MerchantId, TableLink, TableToken, BODY_MAX_LEN, BODY_MIN_LEN, GENERATED_BODY_LEN, TABLE_URL_BASE,
};
use payseal::secrets::{OsRandom, RandomSource, RandomnessError};
use proptest::prelude::*;

const BODY: &str = "4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh";

/// A deterministic source: 0, 1, 2, … (wrapping).
fn counter() -> impl FnMut(&mut [u8]) {
    let mut n = 0u8;
    move |buf: &mut [u8]| {
        for b in buf {
            *b = n;
            n = n.wrapping_add(1);
        }
    }
}

#[test]
fn prefixes_give_kind_and_environment() {
    for (prefix, kind, env) in [
        ("pk_live_", KeyKind::Publishable, Environment::Live),
        ("pk_test_", KeyKind::Publishable, Environment::Test),
        ("sk_live_", KeyKind::Secret, Environment::Live),
        ("sk_test_", KeyKind::Secret, Environment::Test),
    ] {
        let text = format!("{prefix}{BODY}");
        assert_eq!(inspect(&text), Ok((kind, env)));
        let key = ApiKey::parse(&text).expect("valid");
        assert_eq!((key.kind(), key.environment(), key.prefix(), key.expose()), (kind, env, prefix, text.as_str()));
    }
}

#[test]
fn every_key_error() {
    assert_eq!(inspect(""), Err(KeyError::UnknownPrefix));
    assert_eq!(inspect("sk_live"), Err(KeyError::UnknownPrefix));
    assert_eq!(inspect(&format!("rk_live_{BODY}")), Err(KeyError::UnknownPrefix));
    assert_eq!(inspect(&format!("SK_LIVE_{BODY}")), Err(KeyError::UnknownPrefix));
    assert_eq!(inspect(&format!("sk_prod_{BODY}")), Err(KeyError::UnknownPrefix));
    assert_eq!(inspect("sk_live_"), Err(KeyError::BadLength { len: 0 }));
    let short = "a".repeat(BODY_MIN_LEN - 1);
    assert_eq!(inspect(&format!("sk_live_{short}")), Err(KeyError::BadLength { len: BODY_MIN_LEN - 1 }));
    let longest = "a".repeat(BODY_MAX_LEN);
    assert!(inspect(&format!("sk_live_{longest}")).is_ok());
    assert_eq!(inspect(&format!("sk_live_{longest}a")), Err(KeyError::BadLength { len: BODY_MAX_LEN + 1 }));
    let mut bad = format!("sk_live_{BODY}");
    bad.replace_range(12..13, "_");
    assert_eq!(inspect(&bad), Err(KeyError::BadCharacter { offset: 12 }));
    assert_eq!(inspect(&format!("sk_live_{BODY} ")), Err(KeyError::BadCharacter { offset: 8 + BODY.len() }));
    // Non-ASCII is refused, not mangled: "é" is two bytes, so the body length stays right.
    assert_eq!(inspect(&format!("sk_live_é{}", &BODY[2..])), Err(KeyError::BadCharacter { offset: 8 }));
    assert_eq!(ApiKey::parse("nope").map(|k| k.kind()), Err(KeyError::UnknownPrefix));
}

#[test]
fn pair_checks() {
    let key = |p: &str| ApiKey::parse(&format!("{p}{BODY}")).expect("valid");
    assert_eq!(check_pair(&key("pk_live_"), &key("sk_live_")), Ok(Environment::Live));
    assert_eq!(check_pair(&key("pk_test_"), &key("sk_test_")), Ok(Environment::Test));
    assert_eq!(check_pair(&key("pk_live_"), &key("sk_test_")), Err(KeyError::EnvironmentMismatch));
    assert_eq!(check_pair(&key("pk_test_"), &key("sk_live_")), Err(KeyError::EnvironmentMismatch));
    assert_eq!(check_pair(&key("sk_live_"), &key("sk_live_")), Err(KeyError::NotPublishable));
    assert_eq!(check_pair(&key("pk_live_"), &key("pk_live_")), Err(KeyError::NotSecret));
}

#[test]
fn generation_is_deterministic_under_injected_randomness() {
    let a = KeyPair::generate(Environment::Test, &mut counter()).expect("generate");
    let b = KeyPair::generate(Environment::Test, &mut counter()).expect("generate");
    assert_eq!(a.publishable.expose(), b.publishable.expose());
    assert_eq!(a.secret.expose(), b.secret.expose());
    // Bytes 0..61 map to A..9 in order.
    assert_eq!(a.publishable.expose(), "pk_test_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef");
    assert_ne!(a.publishable.expose()[8..], a.secret.expose()[8..], "the two halves draw separately");
    assert_eq!(check_pair(&a.publishable, &a.secret), Ok(Environment::Test));
    for key in [&a.publishable, &a.secret] {
        assert_eq!(key.expose().len(), 8 + GENERATED_BODY_LEN);
        assert!(inspect(key.expose()).is_ok());
    }
}

#[test]
fn generation_rejects_biased_bytes_and_broken_sources() {
    // Bytes >= 248 are discarded (no modulo bias): 248 is skipped, 249..255 too, then 0 → 'A'.
    let mut seq = [248u8, 249, 250, 251, 252, 253, 254, 255, 61].into_iter().cycle();
    let mut rng = |buf: &mut [u8]| buf.iter_mut().for_each(|b| *b = seq.next().unwrap_or(0));
    let key = ApiKey::generate(KeyKind::Secret, Environment::Live, &mut rng).expect("generate");
    assert_eq!(&key.expose()[8..], "9".repeat(GENERATED_BODY_LEN));

    let mut useless = |buf: &mut [u8]| buf.fill(0xff);
    assert_eq!(
        ApiKey::generate(KeyKind::Secret, Environment::Live, &mut useless).map(|k| k.kind()),
        Err(KeyError::Randomness)
    );
    struct Broken;
    impl RandomSource for Broken {
        fn fill(&mut self, _: &mut [u8]) -> Result<(), RandomnessError> {
            Err(RandomnessError)
        }
    }
    assert_eq!(KeyPair::generate(Environment::Live, &mut Broken).map(|_| ()), Err(KeyError::Randomness));
    assert_eq!(TableToken::generate(&mut Broken).map(|_| ()), Err(RandomnessError));
}

#[test]
fn os_generated_keys_differ() {
    let a = KeyPair::generate(Environment::Live, &mut OsRandom).expect("os randomness");
    let b = KeyPair::generate(Environment::Live, &mut OsRandom).expect("os randomness");
    assert_ne!(a.secret.expose(), b.secret.expose());
}

#[test]
fn debug_is_redacted() {
    let pair = KeyPair::generate(Environment::Live, &mut counter()).expect("generate");
    let text = format!("{pair:?}");
    assert_eq!(text, "KeyPair { publishable: ApiKey(pk_live_[redacted]), secret: ApiKey(sk_live_[redacted]) }");
    assert!(!text.contains(&pair.secret.expose()[8..]));
    let token = TableToken::generate(&mut counter()).expect("generate");
    let token_hex = token.to_hex();
    let token_text = std::str::from_utf8(&token_hex).expect("hex");
    assert_eq!(format!("{token:?}"), "TableToken([redacted])");
    let link =
        TableLink::parse(&format!("{TABLE_URL_BASE}3febce7d-03cd-40fe-b40f-fe9851b9c397/{token_text}"), TABLE_URL_BASE)
            .expect("valid");
    assert!(!format!("{link:?}").contains(token_text));
}

#[test]
fn error_codes_and_messages() {
    for (e, code) in [
        (KeyError::UnknownPrefix, "unknown_prefix"),
        (KeyError::BadLength { len: 3 }, "bad_length"),
        (KeyError::BadCharacter { offset: 9 }, "bad_character"),
        (KeyError::EnvironmentMismatch, "environment_mismatch"),
        (KeyError::NotPublishable, "not_publishable"),
        (KeyError::NotSecret, "not_secret"),
        (KeyError::Randomness, "randomness"),
    ] {
        assert_eq!(e.code(), code);
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(InvalidTableLink.to_string(), "invalid table link");
}

const MERCHANT: &str = "3febce7d-03cd-40fe-b40f-fe9851b9c397";
const TOKEN: &str = "00112233445566778899aabbccddeeff";

#[test]
fn table_links_validate_with_one_uniform_error() {
    let merchant = MerchantId::parse(MERCHANT).expect("uuid");
    let token = TableToken::from_hex(TOKEN).expect("token");
    let url = format!("{TABLE_URL_BASE}{MERCHANT}/{TOKEN}");
    assert_eq!(verify_table_url(&url, TABLE_URL_BASE, &merchant, &token), Ok(()));
    // Either case of hex is the same link.
    let upper = format!("{TABLE_URL_BASE}{}/{}", MERCHANT.to_uppercase(), TOKEN.to_uppercase());
    assert_eq!(verify_table_url(&upper, TABLE_URL_BASE, &merchant, &token), Ok(()));
    // Another base (an app deep link).
    let deep = format!("eupay://t/{MERCHANT}/{TOKEN}");
    assert_eq!(verify_table_url(&deep, "eupay://t/", &merchant, &token), Ok(()));

    let other_merchant = MerchantId::parse("3febce7d-03cd-40fe-b40f-fe9851b9c398").expect("uuid");
    let other_token = TableToken::from_hex("00112233445566778899aabbccddeef0").expect("token");
    assert_eq!(verify_table_url(&url, TABLE_URL_BASE, &other_merchant, &token), Err(InvalidTableLink));
    assert_eq!(verify_table_url(&url, TABLE_URL_BASE, &merchant, &other_token), Err(InvalidTableLink));
    let bad_urls = [
        String::new(),
        format!("{TABLE_URL_BASE}{MERCHANT}"),
        format!("{TABLE_URL_BASE}{MERCHANT}/"),
        format!("{TABLE_URL_BASE}{MERCHANT}/{TOKEN}?utm=x"),
        format!("{TABLE_URL_BASE}{MERCHANT}/{TOKEN}/"),
        format!("{TABLE_URL_BASE}{MERCHANT}/{}", &TOKEN[..31]),
        format!("{TABLE_URL_BASE}{MERCHANT}/{TOKEN}0"),
        format!("{TABLE_URL_BASE}{MERCHANT}/{}g", &TOKEN[..31]),
        format!("{TABLE_URL_BASE}{}/{TOKEN}", MERCHANT.replace('-', "")),
        format!("{TABLE_URL_BASE}{}/{TOKEN}", &MERCHANT[..35]),
        format!("{TABLE_URL_BASE}{}x/{TOKEN}", &MERCHANT[..35]),
        format!("http://www.european-pay.fr/t/{MERCHANT}/{TOKEN}"),
        format!("https://evil.example/t/{MERCHANT}/{TOKEN}"),
        format!("{TABLE_URL_BASE}/{MERCHANT}/{TOKEN}"),
    ];
    for bad in &bad_urls {
        assert_eq!(verify_table_url(bad, TABLE_URL_BASE, &merchant, &token), Err(InvalidTableLink), "{bad}");
    }
}

#[test]
fn table_urls_are_written_and_read_back() {
    let merchant = MerchantId::parse(MERCHANT).expect("uuid");
    let token = TableToken::generate(&mut counter()).expect("generate");
    let mut buf = [0u8; 128];
    let n = TableLink::write_url(&merchant, &token, TABLE_URL_BASE, &mut buf).expect("fits");
    assert_eq!(n, TableLink::url_len(TABLE_URL_BASE));
    let url = std::str::from_utf8(&buf[..n]).expect("ascii");
    assert_eq!(url, format!("{TABLE_URL_BASE}{MERCHANT}/000102030405060708090a0b0c0d0e0f"));
    let link = TableLink::parse(url, TABLE_URL_BASE).expect("valid");
    assert_eq!(link.merchant(), &merchant);
    assert_eq!(link.check(&merchant, &token), Ok(()));
    assert_eq!(TableLink::write_url(&merchant, &token, TABLE_URL_BASE, &mut buf[..n - 1]), None);
    assert_eq!(merchant.to_string(), MERCHANT);
    assert_eq!(format!("{merchant:?}"), format!("MerchantId({MERCHANT})"));
}

proptest! {
    #[test]
    fn generated_keys_parse_back(seed in any::<u8>(), live in any::<bool>()) {
        let env = if live { Environment::Live } else { Environment::Test };
        let mut n = seed;
        let mut rng = |buf: &mut [u8]| buf.iter_mut().for_each(|b| { *b = n; n = n.wrapping_mul(5).wrapping_add(7); });
        let pair = KeyPair::generate(env, &mut rng).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(inspect(pair.publishable.expose()), Ok((KeyKind::Publishable, env)));
        prop_assert_eq!(inspect(pair.secret.expose()), Ok((KeyKind::Secret, env)));
    }

    #[test]
    fn inspect_never_panics(text in "\\PC{0,150}") {
        let _ = inspect(&text);
        let _ = TableLink::parse(&text, TABLE_URL_BASE);
        let _ = MerchantId::parse(&text);
    }
}
