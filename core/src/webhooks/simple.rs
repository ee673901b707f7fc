//! Schemes with one signature header over the raw body, HMAC-SHA256:
//!
//! * EU Pay: `X-EuPay-Signature: sha256=<hex>`.
//! * GitHub: `X-Hub-Signature-256: sha256=<hex>` (GitHub, "Validating webhook deliveries").
//! * Shopify: `X-Shopify-Hmac-Sha256: <base64>` (Shopify, "Verify a webhook").
//! * Checkout.com: `Cko-Signature: <hex>`.
//!
//! Hex is accepted in either case. A missing `sha256=` prefix, another algorithm, a non-hex
//! (or non-base64) character or an empty value is [`Error::MalformedHeader`]; a well-encoded
//! digest of the wrong length is [`Error::BadSignature`].

use super::headers::{required, Headers};
use super::sig::{verify_any, Candidate};
use super::{Error, KeySet};

/// How a scheme carries its one signature.
#[derive(Clone, Copy)]
pub(crate) enum Format {
    /// `sha256=` then hex.
    PrefixedHex,
    /// Hex alone.
    Hex,
    /// Standard base64.
    Base64,
}

pub(crate) fn verify<H: Headers + ?Sized>(
    keys: &KeySet,
    headers: &H,
    body: &[u8],
    header: &'static str,
    format: Format,
) -> Result<(), Error> {
    let value = required(headers, header)?;
    let candidate = match format {
        Format::PrefixedHex => {
            let hex = value.strip_prefix(b"sha256=").ok_or(Error::MalformedHeader { name: header })?;
            Candidate::hex(hex, header)?
        }
        Format::Hex => Candidate::hex(value, header)?,
        Format::Base64 => Candidate::base64(value, header)?,
    };
    verify_any(keys.hmac_sha256(), core::slice::from_ref(&candidate), |mac| {
        mac.write(body);
        Ok(())
    })
}
