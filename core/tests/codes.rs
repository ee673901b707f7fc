//! The one table of outcomes (`payseal::codes`): every core error names a row of it, and the
//! committed `core/codes.json` (which the PHP, Python and Node tests read to check their error
//! classes) is the table as it is. Regenerate with `PAYSEAL_BLESS=1 cargo test -p payseal --test codes`.

use payseal::codes::{self, ErrorCode, CLASSES, CODES};
use payseal::{encoding, eupay, jose, json, paylands, secrets, webhooks};

fn table_json() -> String {
    let classes: Vec<serde_json::Value> =
        CLASSES.iter().map(|(c, p)| serde_json::json!({ "name": c.name(), "parent": p.map(|p| p.name()) })).collect();
    let codes: Vec<serde_json::Value> = CODES
        .iter()
        .map(|c| serde_json::json!({ "number": c.number, "name": c.name, "class": c.class.name(), "message": c.message }))
        .collect();
    let doc = serde_json::json!({ "classes": classes, "codes": codes });
    let mut text = serde_json::to_string_pretty(&doc).unwrap_or_default();
    text.push('\n');
    text
}

#[test]
fn committed_codes_json_is_the_table() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/codes.json");
    let want = table_json();
    if std::env::var_os("PAYSEAL_BLESS").is_some() {
        std::fs::write(path, &want).expect("write core/codes.json");
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "core/codes.json is stale: PAYSEAL_BLESS=1 cargo test -p payseal --test codes");
}

#[test]
fn every_core_error_names_a_row() {
    let mut names: Vec<&'static str> = Vec::new();
    let mut add = |e: &dyn ErrorCode| names.push(e.code());
    use json::Error as J;
    for e in [
        J::Syntax { offset: 0 },
        J::InvalidUtf8 { offset: 0 },
        J::DuplicateKey { offset: 0 },
        J::Depth { offset: 0 },
        J::NumberRange { offset: 0 },
        J::LoneSurrogate { offset: 0 },
        J::TooLarge { len: 0 },
        J::BufferTooSmall { needed: 0 },
        J::DialectMismatch,
        J::ScratchTooSmall { needed: 0 },
    ] {
        add(&e);
    }
    use webhooks::Error as W;
    for e in [
        W::MissingHeader { name: "x" },
        W::MalformedHeader { name: "x" },
        W::MalformedBody,
        W::BadSignature,
        W::TimestampTooOld,
        W::TimestampTooNew,
        W::TooManySignatures,
        W::TooLarge,
        W::BufferTooSmall { needed: 0 },
    ] {
        add(&e);
    }
    use webhooks::KeyError as WK;
    for e in [WK::NoSecret, WK::TooManySecrets, WK::Empty { index: 0 }, WK::Malformed { index: 0 }] {
        add(&e);
    }
    for e in [
        paylands::Error::Mismatch,
        paylands::Error::Malformed(paylands::Malformed::MissingOrder),
        paylands::Error::Json(J::Syntax { offset: 0 }),
    ] {
        add(&e);
    }
    for e in [paylands::KeyError::Empty, paylands::KeyError::TooLong { len: 0 }] {
        add(&e);
    }
    for e in [
        eupay::QrError::BadSignature,
        eupay::QrError::Expired { expires_at: 0 },
        eupay::QrError::Malformed(eupay::Malformed::MissingSig),
        eupay::QrError::BufferTooSmall { needed: 0 },
    ] {
        add(&e);
    }
    for e in [
        eupay::SignError::Json(J::Depth { offset: 0 }),
        eupay::SignError::PayloadNotObject,
        eupay::SignError::TooLarge { len: 0, max: 0 },
        eupay::SignError::BufferTooSmall { needed: 0 },
    ] {
        add(&e);
    }
    add(&eupay::KeyError::EmptySecret);
    add(&payseal::mac::MacError::Mismatch);
    use secrets::bcrypt::BcryptError as B;
    for e in [
        B::Mismatch,
        B::MalformedHash,
        B::CostOutOfRange { cost: 0 },
        B::SecretTooLong { len: 0 },
        B::SecretContainsNul,
        B::BufferTooSmall { needed: 0 },
        B::Randomness,
    ] {
        add(&e);
    }
    use secrets::keys::KeyError as K;
    for e in [
        K::UnknownPrefix,
        K::BadLength { len: 0 },
        K::BadCharacter { offset: 0 },
        K::EnvironmentMismatch,
        K::NotPublishable,
        K::NotSecret,
        K::Randomness,
    ] {
        add(&e);
    }
    use jose::Error as JO;
    for e in [
        JO::Malformed,
        JO::TooLarge,
        JO::CritUnsupported,
        JO::AlgNotAllowed,
        JO::KeyNotFound,
        JO::BadSignature,
        JO::Expired,
        JO::NotYetValid,
        JO::Audience,
        JO::Issuer,
        JO::InvalidKey,
        JO::BufferTooSmall { needed: 0 },
        JO::ScratchTooSmall { needed: 0 },
        JO::Randomness,
    ] {
        add(&e);
    }
    add(&encoding::EncodingError::Invalid);
    add(&encoding::EncodingError::BufferTooSmall { needed: 0 });
    add(&secrets::keys::InvalidTableLink);
    add(&secrets::RandomnessError);
    for name in names {
        assert!(codes::by_name(name).is_some(), "{name} is not in payseal::codes::CODES");
    }
}
