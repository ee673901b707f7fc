//! `eupay_webhook.jsonl` and `webhooks_more.jsonl`: verify each delivery and compare the
//! outcome code (`ok` or the error's code) with `expect`; for OPPWA also compare the
//! plaintext with `plaintext_b64`.

use payseal::webhooks::{Freshness, KeySet, Scheme};

use super::fields::unknown;
use super::{CaseResult, Fields};

const EXPECTS: &[&str] = &[
    "ok",
    "bad_signature",
    "missing_header",
    "malformed_header",
    "malformed_body",
    "timestamp_too_old",
    "timestamp_too_new",
];

/// An `eupay_webhook.jsonl` case: one secret, the `X-EuPay-Signature` value, the body.
pub fn eupay_case(f: &Fields<'_>) -> CaseResult {
    let expect = known_expect(f)?;
    let secret = f.b64("secret_b64")?;
    let body = f.b64("body_b64")?;
    let headers = [("X-EuPay-Signature", f.str("header")?)];
    let keys = KeySet::new(Scheme::EuPay, &[secret]).map_err(|e| format!("key set: {e}"))?;
    let got = keys.verify(&headers[..], &body, Freshness::new(0, 0));
    compare(got.map(|()| None), expect, None)
}

/// A `webhooks_more.jsonl` case.
pub fn more_case(f: &Fields<'_>) -> CaseResult {
    let expect = known_expect(f)?;
    let name = f.str("scheme")?;
    let scheme = Scheme::from_name(name).ok_or_else(|| unknown("scheme", name))?;
    let secrets = f.b64_list("secrets_b64")?;
    let body = f.b64("body_b64")?;
    let headers: Vec<(&str, &str)> = f
        .get("headers")
        .and_then(|h| h.as_object())
        .ok_or("field `headers` missing or not an object")?
        .iter()
        .map(|(k, v)| v.as_str().map(|v| (k.as_str(), v)).ok_or_else(|| format!("header {k}: not a string")))
        .collect::<Result<_, _>>()?;
    let tolerance = u64::try_from(f.i64("tolerance")?).map_err(|_| "negative tolerance")?;
    let at = Freshness::new(f.i64("now")?, tolerance);
    let keys = KeySet::new(scheme, &secrets).map_err(|e| format!("key set: {e}"))?;
    let mut plaintext = vec![0u8; keys.open_len(&body)];
    let got = keys.open(&headers, &body, at, &mut plaintext).map(|n| scheme.is_encrypted().then(|| &plaintext[..n]));
    let want_plaintext = f.opt_b64("plaintext_b64")?;
    compare(got, expect, want_plaintext.as_deref())
}

fn known_expect<'a>(f: &Fields<'a>) -> Result<&'a str, String> {
    let expect = f.str("expect")?;
    if EXPECTS.contains(&expect) {
        Ok(expect)
    } else {
        Err(unknown("expect", expect))
    }
}

fn compare(
    got: Result<Option<&[u8]>, payseal::webhooks::Error>,
    expect: &str,
    want_plaintext: Option<&[u8]>,
) -> CaseResult {
    match got {
        Ok(plaintext) if expect == "ok" => match (plaintext, want_plaintext) {
            (Some(p), Some(w)) if p != w => {
                Err(format!("plaintext {:?}, expected {:?}", String::from_utf8_lossy(p), String::from_utf8_lossy(w)))
            }
            (Some(_), None) => Err("decrypted, but the case has no `plaintext_b64` to compare".to_owned()),
            _ => Ok(()),
        },
        Ok(_) => Err(format!("ok, expected {expect}")),
        Err(e) if e.code() == expect => Ok(()),
        Err(e) => Err(format!("{}, expected {expect}", e.code())),
    }
}
