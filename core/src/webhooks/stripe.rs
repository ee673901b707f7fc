//! Stripe: `Stripe-Signature: t=<unix>,v1=<hex>[,v1=<hex>...][,v0=...]`, HMAC-SHA256 keyed by
//! the endpoint secret's text (`whsec_` included) over `"<t>.<body>"` (Stripe, "Verify
//! webhook signatures manually"). Any `v1` may match (Stripe sends one per active secret
//! while rolling); `v0` and unknown schemes are ignored. The timestamp must be within the
//! tolerance on both sides.
//!
//! Stricter than Stripe's libraries, on purpose: a repeated `t`, an element without `=` or a
//! `v1` that is not hex is [`Error::MalformedHeader`] rather than ignored.

use super::headers::{required, Headers};
use super::sig::{check_fresh, decimal, timestamp, verify_any, Candidate, Candidates};
use super::{Error, Freshness, KeySet};

const HEADER: &str = "Stripe-Signature";
const MALFORMED: Error = Error::MalformedHeader { name: HEADER };

pub(crate) fn verify<H: Headers + ?Sized>(keys: &KeySet, headers: &H, body: &[u8], at: Freshness) -> Result<(), Error> {
    let value = required(headers, HEADER)?;
    let mut signed_at = None;
    let mut candidates = Candidates::new();
    for item in value.split(|&b| b == b',') {
        let eq = item.iter().position(|&b| b == b'=').ok_or(MALFORMED)?;
        let (key, val) = (&item[..eq], &item[eq + 1..]);
        match key {
            b"t" if signed_at.is_none() => signed_at = Some(timestamp(val, HEADER)?),
            b"t" => return Err(MALFORMED),
            b"v1" => candidates.push(Candidate::hex(val, HEADER)?)?,
            _ => {}
        }
    }
    let signed_at = signed_at.ok_or(MALFORMED)?;
    check_fresh(signed_at, at)?;
    if candidates.is_empty() {
        return Err(Error::BadSignature);
    }
    let mut digits = [0u8; 20];
    let t = decimal(signed_at, &mut digits);
    verify_any(keys.hmac_sha256(), candidates.as_slice(), |mac| {
        mac.write(t);
        mac.write(b".");
        mac.write(body);
        Ok(())
    })
}
