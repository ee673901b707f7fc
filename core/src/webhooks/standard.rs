//! Standard Webhooks (and Svix, its origin): `webhook-id`, `webhook-timestamp` and
//! `webhook-signature` (or the `svix-` names), HMAC-SHA256 keyed by the base64 after `whsec_`
//! over `"<id>.<timestamp>.<body>"`; the signature header is a space-separated list of
//! `v1,<base64>` (other versions are ignored) (standardwebhooks.com, spec §"Verifying
//! webhooks"). The timestamp must be within the tolerance on both sides.
//!
//! A list entry without a comma, or a `v1` entry that is not base64, is
//! [`Error::MalformedHeader`].

use super::headers::{required_either, Headers};
use super::sig::{check_fresh, decimal, timestamp, verify_any, Candidate, Candidates};
use super::{Error, Freshness, KeySet};

const ID: &str = "webhook-id";
const TIMESTAMP: &str = "webhook-timestamp";
const SIGNATURE: &str = "webhook-signature";

pub(crate) fn verify<H: Headers + ?Sized>(keys: &KeySet, headers: &H, body: &[u8], at: Freshness) -> Result<(), Error> {
    let id = required_either(headers, ID, "svix-id")?;
    let signed_at = timestamp(required_either(headers, TIMESTAMP, "svix-timestamp")?, TIMESTAMP)?;
    let list = required_either(headers, SIGNATURE, "svix-signature")?;
    check_fresh(signed_at, at)?;
    let mut candidates = Candidates::new();
    for entry in list.split(|&b| b == b' ').filter(|e| !e.is_empty()) {
        let comma = entry.iter().position(|&b| b == b',').ok_or(Error::MalformedHeader { name: SIGNATURE })?;
        if &entry[..comma] == b"v1" {
            candidates.push(Candidate::base64(&entry[comma + 1..], SIGNATURE)?)?;
        }
    }
    if candidates.is_empty() {
        return Err(Error::BadSignature);
    }
    let mut digits = [0u8; 20];
    let ts = decimal(signed_at, &mut digits);
    verify_any(keys.hmac_sha256(), candidates.as_slice(), |mac| {
        mac.write(id);
        mac.write(b".");
        mac.write(ts);
        mac.write(b".");
        mac.write(body);
        Ok(())
    })
}
