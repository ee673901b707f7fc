//! bcrypt: every error, the OpenBSD semantics payseal promises, and a hash → verify round trip.
//! (The reference engines' answers are in `../shared/vectors/bcrypt.jsonl`, run by the CLI
//! conformance runner.)

use payseal::secrets::bcrypt::{self, BcryptError, HASH_LEN, MAX_SECRET_LEN, SALT_LEN};
use payseal::secrets::{RandomSource, RandomnessError};
use proptest::prelude::*;

const SALT: [u8; SALT_LEN] = [0x5a; SALT_LEN];

fn hash_of(secret: &[u8], cost: u32) -> String {
    let mut buf = [0u8; HASH_LEN];
    let n = bcrypt::hash(secret, cost, &SALT, &mut buf).expect("hash");
    String::from_utf8(buf[..n].to_vec()).expect("ascii")
}

/// A well-formed cost-4 hash with one byte replaced.
fn with_byte(hash: &str, at: usize, byte: u8) -> Vec<u8> {
    let mut h = hash.as_bytes().to_vec();
    h[at] = byte;
    h
}

#[test]
fn malformed_hashes_are_typed_errors() {
    let good = hash_of(b"secret", 4);
    assert_eq!(bcrypt::verify(b"secret", &good), Ok(()));
    let salt_last = 7 + 21;
    let digest_last = HASH_LEN - 1;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("too short", good.as_bytes()[..59].to_vec()),
        ("too long", [good.as_bytes(), b"a"].concat()),
        ("$2x$", good.replacen("$2b$", "$2x$", 1).into_bytes()),
        ("$2$", with_byte(&good, 2, b'$')),
        ("$2c$", with_byte(&good, 2, b'c')),
        ("$2B$", with_byte(&good, 2, b'B')),
        ("$3b$", with_byte(&good, 1, b'3')),
        ("no leading $", with_byte(&good, 0, b'x')),
        ("cost 03", good.replacen("$04$", "$03$", 1).into_bytes()),
        ("cost 32", good.replacen("$04$", "$32$", 1).into_bytes()),
        ("cost 99", good.replacen("$04$", "$99$", 1).into_bytes()),
        ("cost digit", with_byte(&good, 5, b'x')),
        ("no $ after cost", with_byte(&good, 6, b'.')),
        ("bad alphabet in salt", with_byte(&good, 10, b'!')),
        ("bad alphabet in digest", with_byte(&good, 40, b'+')),
        ("padding char", with_byte(&good, 40, b'=')),
        ("non-ASCII", with_byte(&good, 40, 0xC3)),
        ("NUL in hash", with_byte(&good, 40, 0)),
        ("non-canonical salt tail", with_byte(&good, salt_last, b'/')),
        ("non-canonical digest tail", with_byte(&good, digest_last, b'/')),
        ("argon2", b"$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG".to_vec()),
    ];
    for (what, hash) in cases {
        assert_eq!(bcrypt::verify(b"secret", &hash), Err(BcryptError::MalformedHash), "{what}");
    }
}

#[test]
fn canonical_tails_are_what_hash_writes() {
    // The last salt character carries 2 bits (values 0, 16, 32, 48: '.', 'O', 'e', 'u'); the
    // last digest character 4 bits (multiples of 4). Flipping the low bit breaks the form.
    let good = hash_of(b"secret", 4);
    let salt_last = good.as_bytes()[7 + 21];
    assert!(b".Oeu".contains(&salt_last), "{good}");
}

#[test]
fn mismatch_and_the_72_byte_limit() {
    let long = [b'k'; 100];
    let h = hash_of(&long[..MAX_SECRET_LEN], 4);
    assert_eq!(bcrypt::verify(&long[..MAX_SECRET_LEN], &h), Ok(()));
    // Bytes past 72 do not count when verifying, as in every compatible verifier.
    assert_eq!(bcrypt::verify(&long[..], &h), Ok(()));
    assert_eq!(bcrypt::verify(&long[..71], &h), Err(BcryptError::Mismatch));
    assert_eq!(bcrypt::verify(b"", &h), Err(BcryptError::Mismatch));
}

#[test]
fn nul_is_data_not_a_terminator() {
    // PHP's password_verify would accept "abc\0junk" for a hash of "abc"; payseal must not.
    let h = hash_of(b"abc", 4);
    assert_eq!(bcrypt::verify(b"abc", &h), Ok(()));
    assert_eq!(bcrypt::verify(b"abc\0junk", &h), Err(BcryptError::Mismatch));
    assert_eq!(bcrypt::verify(b"abc\0", &h), Err(BcryptError::Mismatch));
}

#[test]
fn minor_versions_a_b_y_verify_alike() {
    let h = hash_of(b"sk_live_x", 4);
    for minor in ["$2a$", "$2y$"] {
        assert_eq!(bcrypt::verify(b"sk_live_x", h.replacen("$2b$", minor, 1)), Ok(()), "{minor}");
    }
}

#[test]
fn hash_refuses_instead_of_truncating() {
    let mut out = [0u8; HASH_LEN];
    assert_eq!(bcrypt::hash(&[b'x'; 73], 4, &SALT, &mut out), Err(BcryptError::SecretTooLong { len: 73 }));
    assert_eq!(bcrypt::hash(b"a\0b", 4, &SALT, &mut out), Err(BcryptError::SecretContainsNul));
    assert_eq!(bcrypt::hash(b"x", 3, &SALT, &mut out), Err(BcryptError::CostOutOfRange { cost: 3 }));
    assert_eq!(bcrypt::hash(b"x", 32, &SALT, &mut out), Err(BcryptError::CostOutOfRange { cost: 32 }));
    assert_eq!(
        bcrypt::hash(b"x", 4, &SALT, &mut [0u8; HASH_LEN - 1]),
        Err(BcryptError::BufferTooSmall { needed: HASH_LEN })
    );
    // A larger buffer is fine: the first 60 bytes are written.
    let mut big = [b'#'; 64];
    assert_eq!(bcrypt::hash(&[b'x'; 72], 4, &SALT, &mut big), Ok(HASH_LEN));
    assert_eq!(&big[HASH_LEN..], b"####");
}

#[test]
fn failing_randomness_is_an_error() {
    struct Broken;
    impl RandomSource for Broken {
        fn fill(&mut self, _: &mut [u8]) -> Result<(), RandomnessError> {
            Err(RandomnessError)
        }
    }
    let mut out = [0u8; HASH_LEN];
    assert_eq!(bcrypt::hash_with(b"x", 4, &mut Broken, &mut out), Err(BcryptError::Randomness));
}

#[test]
fn os_salts_differ() {
    let mut a = [0u8; HASH_LEN];
    let mut b = [0u8; HASH_LEN];
    bcrypt::hash_with_os_salt(b"same", 4, &mut a).expect("hash");
    bcrypt::hash_with_os_salt(b"same", 4, &mut b).expect("hash");
    assert_ne!(a, b);
    assert_eq!(bcrypt::verify(b"same", a), Ok(()));
    assert_eq!(bcrypt::verify(b"same", b), Ok(()));
}

#[test]
fn error_codes_and_messages() {
    let all = [
        (BcryptError::Mismatch, "mismatch"),
        (BcryptError::MalformedHash, "malformed_hash"),
        (BcryptError::CostOutOfRange { cost: 2 }, "cost_out_of_range"),
        (BcryptError::SecretTooLong { len: 80 }, "secret_too_long"),
        (BcryptError::SecretContainsNul, "secret_contains_nul"),
        (BcryptError::BufferTooSmall { needed: 60 }, "buffer_too_small"),
        (BcryptError::Randomness, "randomness"),
    ];
    for (e, code) in all {
        assert_eq!(e.code(), code);
        assert!(!e.to_string().is_empty());
    }
    assert_eq!(BcryptError::CostOutOfRange { cost: 2 }.to_string(), "bcrypt cost 2 is outside 4..=31");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn hash_then_verify_round_trips(
        secret in proptest::collection::vec(1u8..=255, 0..=MAX_SECRET_LEN),
        salt in proptest::array::uniform16(any::<u8>()),
        flip in any::<prop::sample::Index>(),
    ) {
        let mut out = [0u8; HASH_LEN];
        prop_assert_eq!(bcrypt::hash(&secret, 4, &salt, &mut out), Ok(HASH_LEN));
        prop_assert!(out.starts_with(b"$2b$04$"));
        prop_assert_eq!(bcrypt::verify(&secret, out), Ok(()));
        let mut wrong = secret.clone();
        if wrong.is_empty() {
            wrong.push(b'x');
        } else {
            let i = flip.index(wrong.len());
            wrong[i] ^= 0x01;
        }
        prop_assert_eq!(bcrypt::verify(&wrong, out), Err(BcryptError::Mismatch));
    }
}
