//! Properties of `payseal::secrets`: bcrypt hash strings judged against an independent reading
//! of the format (prefix, cost, length, alphabet, canonical trailing bits), hashing round
//! trips, and the API key and table link parsers against plain re-implementations.
//!
//! Input: the first 60 bytes are a bcrypt hash string, the rest the secret. A cost between 05
//! and 31 is rewritten to 04 before verifying (the format is the same; only the time differs).

use payseal::secrets::bcrypt::{self, BcryptError, HASH_LEN, MAX_SECRET_LEN, SALT_LEN};
use payseal::secrets::keys::{
    inspect, ApiKey, Environment, KeyError, KeyKind, MerchantId, TableLink, TableToken, BODY_MAX_LEN, BODY_MIN_LEN,
    TABLE_URL_BASE,
};

const ALPHABET: &[u8; 64] = b"./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// `$2a$`/`$2b$`/`$2y$`, cost 04..31, `$`, 22 salt and 31 digest characters of bcrypt's
/// alphabet, with the unused low bits of the last salt (4) and digest (2) characters zero.
fn well_formed(hash: &[u8]) -> bool {
    let value = |c: u8| ALPHABET.iter().position(|&a| a == c);
    hash.len() == 60
        && matches!(&hash[..4], b"$2a$" | b"$2b$" | b"$2y$")
        && hash[4].is_ascii_digit()
        && hash[5].is_ascii_digit()
        && (4..=31).contains(&((hash[4] - b'0') * 10 + hash[5] - b'0'))
        && hash[6] == b'$'
        && hash[7..].iter().all(|&c| value(c).is_some())
        && value(hash[28]).is_some_and(|v| v & 0xF == 0)
        && value(hash[59]).is_some_and(|v| v & 0x3 == 0)
}

pub fn run(data: &[u8]) {
    let split = data.len().min(HASH_LEN);
    let (hash, secret) = data.split_at(split);
    let mut hash = hash.to_vec();
    if hash.len() >= 6 && hash[4].is_ascii_digit() && hash[5].is_ascii_digit() {
        let cost = (hash[4] - b'0') * 10 + hash[5] - b'0';
        if (5..=31).contains(&cost) {
            hash[4..6].copy_from_slice(b"04");
        }
    }
    let result = bcrypt::verify(secret, &hash);
    match result {
        Err(BcryptError::MalformedHash) => assert!(!well_formed(&hash), "well-formed hash refused: {hash:?}"),
        Ok(()) | Err(BcryptError::Mismatch) => assert!(well_formed(&hash), "malformed hash accepted: {hash:?}"),
        Err(e) => panic!("verify: {e:?}"),
    }

    // Hashing round trip, on inputs that ask for it (a '#' after the hash).
    if let Some((b'#', rest)) = secret.split_first() {
        let mut salt = [0u8; SALT_LEN];
        for (i, b) in hash.iter().enumerate() {
            salt[i % SALT_LEN] ^= b;
        }
        let mut out = [0u8; HASH_LEN];
        match bcrypt::hash(rest, 4, &salt, &mut out) {
            Ok(n) => {
                assert_eq!(n, HASH_LEN);
                assert!(well_formed(&out) && out.starts_with(b"$2b$04$"), "hash output {out:?}");
                assert_eq!(bcrypt::verify(rest, out), Ok(()));
                for prefix in [b"$2a$", b"$2y$"] {
                    let mut other = out;
                    other[..4].copy_from_slice(prefix);
                    assert_eq!(bcrypt::verify(rest, other), Ok(()), "{prefix:?} variant");
                }
                // Only the first 72 bytes count when verifying.
                let longer = [rest, b"x"].concat();
                let expect = if rest.len() >= MAX_SECRET_LEN { Ok(()) } else { Err(BcryptError::Mismatch) };
                assert_eq!(bcrypt::verify(&longer, out), expect);
                assert_eq!(
                    bcrypt::hash(rest, 4, &salt, &mut [0u8; HASH_LEN - 1]),
                    Err(BcryptError::BufferTooSmall { needed: HASH_LEN })
                );
            }
            Err(BcryptError::SecretTooLong { len }) => assert!(len == rest.len() && len > MAX_SECRET_LEN),
            Err(BcryptError::SecretContainsNul) => assert!(rest.contains(&0)),
            Err(e) => panic!("hash: {e:?}"),
        }
    }

    if let Ok(text) = core::str::from_utf8(data) {
        check_key(text);
        check_table(text);
    }
}

/// `<pk|sk>_<live|test>_<body>`, body of `[A-Za-z0-9]`, length in range.
fn check_key(text: &str) {
    let expected = match text.as_bytes().get(..8) {
        Some(b"pk_live_") => Some((KeyKind::Publishable, Environment::Live)),
        Some(b"pk_test_") => Some((KeyKind::Publishable, Environment::Test)),
        Some(b"sk_live_") => Some((KeyKind::Secret, Environment::Live)),
        Some(b"sk_test_") => Some((KeyKind::Secret, Environment::Test)),
        _ => None,
    };
    let got = inspect(text);
    match expected {
        None => assert_eq!(got, Err(KeyError::UnknownPrefix)),
        Some(kind_env) => {
            let body = &text.as_bytes()[8..];
            if !(BODY_MIN_LEN..=BODY_MAX_LEN).contains(&body.len()) {
                assert_eq!(got, Err(KeyError::BadLength { len: body.len() }));
            } else if let Some(i) = body.iter().position(|b| !b.is_ascii_alphanumeric()) {
                assert_eq!(got, Err(KeyError::BadCharacter { offset: 8 + i }));
            } else {
                assert_eq!(got, Ok(kind_env));
            }
        }
    }
    match ApiKey::parse(text) {
        Ok(key) => {
            assert_eq!(Ok((key.kind(), key.environment())), got);
            assert_eq!(key.expose(), text);
            assert_eq!(key.prefix(), &text[..8]);
            assert!(!format!("{key:?}").contains(&text[8..]), "Debug shows the key body");
        }
        Err(e) => assert_eq!(Err(e), got),
    }
}

fn uuid_ok(s: &[u8]) -> bool {
    s.len() == 36
        && s.iter()
            .enumerate()
            .all(|(i, b)| if matches!(i, 8 | 13 | 18 | 23) { *b == b'-' } else { b.is_ascii_hexdigit() })
}

/// Merchant UUIDs, table tokens and `<base><uuid>/<token>` links.
fn check_table(text: &str) {
    let merchant = MerchantId::parse(text);
    assert_eq!(merchant.is_ok(), uuid_ok(text.as_bytes()), "MerchantId::parse({text:?})");
    if let Ok(m) = &merchant {
        assert_eq!(&m.to_text()[..], text.to_ascii_lowercase().as_bytes());
    }
    let token = TableToken::from_hex(text);
    assert_eq!(token.is_ok(), text.len() == 32 && text.bytes().all(|b| b.is_ascii_hexdigit()), "TableToken({text:?})");
    if let Ok(t) = &token {
        assert_eq!(&t.to_hex()[..], text.to_ascii_lowercase().as_bytes());
    }
    let link = TableLink::parse(text, TABLE_URL_BASE);
    let expected = text
        .strip_prefix(TABLE_URL_BASE)
        .and_then(|rest| rest.split_once('/'))
        .is_some_and(|(u, t)| uuid_ok(u.as_bytes()) && t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(link.is_ok(), expected, "TableLink::parse({text:?})");
    if let Ok(link) = link {
        let rest = &text[TABLE_URL_BASE.len()..];
        let (u, t) = rest.split_once('/').expect("checked");
        let m = MerchantId::parse(u).expect("uuid");
        let tok = TableToken::from_hex(t).expect("token");
        assert_eq!(link.check(&m, &tok), Ok(()));
        let mut out = vec![0u8; TableLink::url_len(TABLE_URL_BASE)];
        let n = TableLink::write_url(&m, &tok, TABLE_URL_BASE, &mut out).expect("url_len suffices");
        assert_eq!(&out[..n], text.to_ascii_lowercase().as_bytes());
        assert!(TableLink::write_url(&m, &tok, TABLE_URL_BASE, &mut out[..n - 1]).is_none());
        let other = TableToken::from_hex("00000000000000000000000000000001").expect("token");
        if other.to_hex() != tok.to_hex() {
            assert!(link.check(&m, &other).is_err());
        }
    }
}
