//! Webhook signature verification for the providers a payment gateway hears from.
//!
//! Every scheme has the same shape: a [`KeySet`] (the scheme and one or more secrets, parsed
//! and precomputed once), the request [`Headers`], the raw body exactly as received, and a
//! [`Freshness`] (`now` and a tolerance, for the schemes that sign a timestamp).
//! [`KeySet::verify`] returns `Ok(())` or an [`Error`] saying why the delivery is rejected;
//! it never allocates (OPPWA excepted, see [`KeySet::open`]) and compares MACs only with
//! [`crate::ct::eq`].
//!
//! | [`Scheme`] | signature | signed bytes | key |
//! |---|---|---|---|
//! | `EuPay` | `X-EuPay-Signature: sha256=<hex>` | body | secret text |
//! | `Github` | `X-Hub-Signature-256: sha256=<hex>` | body | secret text |
//! | `Stripe` | `Stripe-Signature: t=..,v1=<hex>..` | `t.body` | secret text (`whsec_…`) |
//! | `Standard` | `webhook-signature: v1,<b64> ..` | `id.timestamp.body` | base64 after `whsec_` |
//! | `Shopify` | `X-Shopify-Hmac-Sha256: <b64>` | body | secret text |
//! | `Checkout` | `Cko-Signature: <hex>` | body | secret text |
//! | `AdyenItem` | `additionalData.hmacSignature` (b64) | 8 fields of the item, `:`-joined | hex |
//! | `Spreedly` | `<signed><signature>` (hex) | listed fields, `|`-joined | secret text |
//! | `Oppwa` | AES-256-GCM tag header | hex ciphertext body | 64 hex digits |
//!
//! All MACs are HMAC-SHA256 except Spreedly's (SHA-1, SHA-256 or SHA-512, named in the body).
//! Schemes without a signed timestamp cannot tell a replay: deduplicate on the event id.
//!
//! ```
//! use payseal::webhooks::{Freshness, KeySet, Scheme};
//!
//! // GitHub's documented example delivery.
//! let keys = KeySet::new(Scheme::Github, &["It's a Secret to Everybody"])?;
//! let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
//! let headers = [("X-Hub-Signature-256", sig)];
//! let at = Freshness::new(1_700_000_000, Freshness::DEFAULT_TOLERANCE);
//! keys.verify(&headers, b"Hello, World!", at)?;
//! assert_eq!(keys.verify(&headers, b"Hello, World?", at).unwrap_err().code(), "bad_signature");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod adyen;
#[cfg(feature = "std")]
mod batch;
mod error;
mod headers;
mod keys;
/// The HMAC the schemes use, at its old path: [`crate::mac`].
#[doc(hidden)]
pub use crate::mac;
mod oppwa;
mod sig;
mod sign;
mod simple;
mod spreedly;
mod standard;
mod stripe;
mod xml;

#[cfg(feature = "std")]
pub use batch::{verify_batch, verify_batch_on, Item};
pub use error::{Error, KeyError};
pub use headers::Headers;
pub use keys::KeySet;
#[cfg(feature = "alloc")]
pub use sign::Delivery;
pub use sign::{SignError, SignOptions, Signed};

use simple::Format;

/// The examples of this module's README run as doctests.
#[cfg(doctest)]
#[doc = include_str!("README.md")]
struct ReadmeExamples;

/// Caps that bound the work a hostile delivery can cause. Inputs beyond them are rejected
/// with [`Error::TooLarge`] (or [`Error::TooManySignatures`]).
pub mod limits {
    /// Longest header value looked at (bytes).
    pub const MAX_HEADER_LEN: usize = 8 * 1024;
    /// Most signatures one header may list (Stripe `v1=`, Standard Webhooks `v1,`).
    pub const MAX_SIGNATURES: usize = 8;
    /// Longest body (bytes). GitHub caps deliveries at 25 MB; the others are far smaller.
    pub const MAX_BODY_LEN: usize = 32 * 1024 * 1024;
    /// Longest Spreedly XML document (bytes).
    pub const MAX_XML_LEN: usize = 1024 * 1024;
    /// Deepest XML element nesting.
    pub const MAX_XML_DEPTH: usize = 16;
    /// Most direct children of Spreedly's `<transaction>`.
    pub const MAX_XML_CHILDREN: usize = 256;
    /// Most fields Spreedly's `<fields>` may list.
    pub const MAX_SPREEDLY_FIELDS: usize = 64;
    /// Longest Adyen notification item (bytes of JSON).
    pub const MAX_JSON_LEN: usize = 256 * 1024;
    /// Longest decoded secret (bytes).
    pub const MAX_SECRET_LEN: usize = 1024;
}

/// A provider's signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// EU Pay: `X-EuPay-Signature: sha256=<hex>` over the body.
    EuPay,
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>` over the body.
    Github,
    /// Stripe: `Stripe-Signature: t=<ts>,v1=<hex>` over `"<ts>.<body>"`.
    Stripe,
    /// Standard Webhooks / Svix: `webhook-id`, `webhook-timestamp`, `webhook-signature`.
    Standard,
    /// Shopify: `X-Shopify-Hmac-Sha256: <base64>` over the body.
    Shopify,
    /// Checkout.com: `Cko-Signature: <hex>` over the body.
    Checkout,
    /// Adyen: one `NotificationRequestItem` (JSON) with `additionalData.hmacSignature`.
    AdyenItem,
    /// Spreedly: a `<transaction>` XML document with its `<signed>` element.
    Spreedly,
    /// OPPWA / ACI: AES-256-GCM, hex ciphertext body.
    Oppwa,
    /// OPPWA / ACI with a standard base64 ciphertext body.
    OppwaBase64,
}

impl Scheme {
    /// Every scheme, in declaration order.
    pub const ALL: [Self; 10] = [
        Self::EuPay,
        Self::Github,
        Self::Stripe,
        Self::Standard,
        Self::Shopify,
        Self::Checkout,
        Self::AdyenItem,
        Self::Spreedly,
        Self::Oppwa,
        Self::OppwaBase64,
    ];

    /// The scheme's short name, as the CLI and the vector files spell it (`eupay`, `github`,
    /// `stripe`, `standard`, `shopify`, `checkout`, `adyen_item`, `spreedly`, `oppwa`,
    /// `oppwa_base64`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::EuPay => "eupay",
            Self::Github => "github",
            Self::Stripe => "stripe",
            Self::Standard => "standard",
            Self::Shopify => "shopify",
            Self::Checkout => "checkout",
            Self::AdyenItem => "adyen_item",
            Self::Spreedly => "spreedly",
            Self::Oppwa => "oppwa",
            Self::OppwaBase64 => "oppwa_base64",
        }
    }

    /// The scheme called `name` (see [`Scheme::name`]).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The headers this scheme reads (names as providers send them; lookups are
    /// case-insensitive). A binding can pass just these across its boundary.
    #[must_use]
    pub const fn header_names(self) -> &'static [&'static str] {
        match self {
            Self::EuPay => &["X-EuPay-Signature"],
            Self::Github => &["X-Hub-Signature-256"],
            Self::Stripe => &["Stripe-Signature"],
            Self::Standard => {
                &["webhook-id", "webhook-timestamp", "webhook-signature", "svix-id", "svix-timestamp", "svix-signature"]
            }
            Self::Shopify => &["X-Shopify-Hmac-Sha256"],
            Self::Checkout => &["Cko-Signature"],
            Self::AdyenItem | Self::Spreedly => &[],
            Self::Oppwa | Self::OppwaBase64 => &["X-Initialization-Vector", "X-Authentication-Tag"],
        }
    }

    /// True for the schemes whose payload is encrypted ([`KeySet::open`] returns it).
    #[must_use]
    pub const fn is_encrypted(self) -> bool {
        matches!(self, Self::Oppwa | Self::OppwaBase64)
    }

    /// True for the schemes that sign a timestamp and check it against [`Freshness`] (Stripe,
    /// Standard Webhooks); the others never read the clock, so a binding can skip reading it.
    #[must_use]
    pub const fn checks_timestamp(self) -> bool {
        matches!(self, Self::Stripe | Self::Standard)
    }
}

/// When the check runs and how far a signed timestamp may be from it, both ways.
///
/// Time is a parameter so that tests and replays are deterministic; [`Freshness::now`]
/// (feature `std`) reads the system clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Freshness {
    /// The current time, Unix seconds.
    pub now: i64,
    /// Seconds a timestamp may lie before or after `now`.
    pub tolerance: u64,
}

impl Freshness {
    /// Five minutes, as Stripe's and Standard Webhooks' libraries default to.
    pub const DEFAULT_TOLERANCE: u64 = 300;

    /// `now` (Unix seconds) with `tolerance` seconds either way.
    #[must_use]
    pub const fn new(now: i64, tolerance: u64) -> Self {
        Self { now, tolerance }
    }

    /// The system clock with [`Freshness::DEFAULT_TOLERANCE`].
    #[cfg(feature = "std")]
    #[must_use]
    pub fn now() -> Self {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Self::new(now, Self::DEFAULT_TOLERANCE)
    }
}

impl KeySet {
    /// Verifies one delivery: `headers` as received, `body` as received (not re-serialised),
    /// `at` for the timestamp check. `Ok(())` means authentic (and, for Stripe and Standard
    /// Webhooks, fresh); any error means reject.
    ///
    /// Allocation-free for every scheme but OPPWA, which needs room for the plaintext: it
    /// allocates a scratch buffer with the `alloc` feature (wiped after use) and otherwise
    /// returns [`Error::BufferTooSmall`]; prefer [`KeySet::open`] there.
    pub fn verify<H: Headers + ?Sized>(&self, headers: &H, body: &[u8], at: Freshness) -> Result<(), Error> {
        if !self.scheme().is_encrypted() {
            return self.open(headers, body, at, &mut []).map(|_| ());
        }
        #[cfg(feature = "alloc")]
        {
            use zeroize::Zeroize;
            let mut scratch = alloc::vec![0u8; self.open_len(body)];
            let result = self.open(headers, body, at, &mut scratch).map(|_| ());
            scratch.as_mut_slice().zeroize();
            result
        }
        #[cfg(not(feature = "alloc"))]
        {
            let _ = (headers, at);
            Err(Error::BufferTooSmall { needed: self.open_len(body) })
        }
    }

    /// Verifies like [`KeySet::verify`] and writes the authenticated payload into `out`,
    /// returning its length: the decrypted notification for OPPWA, nothing (0) for the MAC
    /// schemes, whose payload is `body` itself. Size `out` with [`KeySet::open_len`];
    /// [`KeySet::open_payload`] returns the payload's bytes in either case.
    ///
    /// ```
    /// use payseal::webhooks::{Freshness, KeySet, Scheme};
    /// // NIST GCM test case 13: AES-256, zero key and IV, empty plaintext.
    /// let keys = KeySet::new(Scheme::Oppwa, &["00".repeat(32)])?;
    /// let headers = [
    ///     ("X-Initialization-Vector", "000000000000000000000000"),
    ///     ("X-Authentication-Tag", "530f8afbc74536b9a963b4f1c4cb738b"),
    /// ];
    /// let mut out = [0u8; 0];
    /// assert_eq!(keys.open(&headers, b"", Freshness::now(), &mut out)?, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        at: Freshness,
        out: &mut [u8],
    ) -> Result<usize, Error> {
        if body.len() > limits::MAX_BODY_LEN {
            return Err(Error::TooLarge);
        }
        let checked = match self.scheme() {
            Scheme::EuPay => simple::verify(self, headers, body, "X-EuPay-Signature", Format::PrefixedHex),
            Scheme::Github => simple::verify(self, headers, body, "X-Hub-Signature-256", Format::PrefixedHex),
            Scheme::Shopify => simple::verify(self, headers, body, "X-Shopify-Hmac-Sha256", Format::Base64),
            Scheme::Checkout => simple::verify(self, headers, body, "Cko-Signature", Format::Hex),
            Scheme::Stripe => stripe::verify(self, headers, body, at),
            Scheme::Standard => standard::verify(self, headers, body, at),
            Scheme::AdyenItem => adyen::verify(self, body),
            Scheme::Spreedly => spreedly::verify(self, body),
            Scheme::Oppwa => return oppwa::open(self, headers, body, false, out),
            Scheme::OppwaBase64 => return oppwa::open(self, headers, body, true, out),
        };
        checked.map(|()| 0)
    }

    /// Verifies like [`KeySet::verify`] and returns the bytes a caller may act on: the
    /// decrypted notification (written into `out`, sized with [`KeySet::open_len`]) for OPPWA,
    /// `body` itself for every MAC scheme (nothing is written). This is what every binding's
    /// `open()` returns, so that each language hands back the same thing.
    ///
    /// For Spreedly only the fields listed in `<signed>` are authenticated, and for Adyen only
    /// the eight signed fields: read nothing else from the returned document.
    ///
    /// ```
    /// use payseal::webhooks::{Freshness, KeySet, Scheme};
    /// let keys = KeySet::new(Scheme::Github, &["It's a Secret to Everybody"])?;
    /// let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    /// let at = Freshness::new(1_700_000_000, Freshness::DEFAULT_TOLERANCE);
    /// let payload = keys.open_payload(&[("X-Hub-Signature-256", sig)], b"Hello, World!", at, &mut [])?;
    /// assert_eq!(payload, b"Hello, World!");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn open_payload<'a, H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &'a [u8],
        at: Freshness,
        out: &'a mut [u8],
    ) -> Result<&'a [u8], Error> {
        let n = self.open(headers, body, at, out)?;
        Ok(if self.scheme().is_encrypted() { &out[..n] } else { body })
    }

    /// [`KeySet::open_payload`] into a new vector (the plaintext for OPPWA, a copy of `body`
    /// for the MAC schemes). The scratch of a failed OPPWA decryption is wiped.
    #[cfg(feature = "alloc")]
    pub fn open_to_vec<H: Headers + ?Sized>(
        &self,
        headers: &H,
        body: &[u8],
        at: Freshness,
    ) -> Result<alloc::vec::Vec<u8>, Error> {
        if !self.scheme().is_encrypted() {
            self.open(headers, body, at, &mut [])?;
            return Ok(body.to_vec());
        }
        let mut out = alloc::vec![0u8; self.open_len(body)];
        match self.open(headers, body, at, &mut out) {
            Ok(n) => {
                out.truncate(n);
                Ok(out)
            }
            Err(e) => {
                zeroize::Zeroize::zeroize(out.as_mut_slice());
                Err(e)
            }
        }
    }

    /// The output size [`KeySet::open`] needs for `body` (an upper bound; 0 for MAC schemes).
    #[must_use]
    pub const fn open_len(&self, body: &[u8]) -> usize {
        match self.scheme() {
            Scheme::Oppwa => oppwa::plaintext_len(body, false),
            Scheme::OppwaBase64 => oppwa::plaintext_len(body, true),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scheme_names_round_trip() {
        for s in Scheme::ALL {
            assert_eq!(Scheme::from_name(s.name()), Some(s));
        }
        assert_eq!(Scheme::from_name("nope"), None);
    }

    #[test]
    fn only_stripe_and_standard_check_timestamps() {
        for s in Scheme::ALL {
            assert_eq!(s.checks_timestamp(), matches!(s, Scheme::Stripe | Scheme::Standard), "{}", s.name());
        }
    }

    /// `open_payload` (and `open_to_vec`) return what a caller may act on: the body for a MAC
    /// scheme, the plaintext for OPPWA; nothing on a rejection.
    #[test]
    fn open_returns_the_body_or_the_plaintext() {
        use aes_gcm::aead::{AeadInPlace, KeyInit};
        let at = Freshness::new(1_700_000_000, Freshness::DEFAULT_TOLERANCE);
        let keys = KeySet::new(Scheme::Github, &["It's a Secret to Everybody"]).expect("key");
        let sig = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
        let headers = [("X-Hub-Signature-256", sig)];
        assert_eq!(keys.open_payload(&headers, b"Hello, World!", at, &mut []), Ok(&b"Hello, World!"[..]));
        assert_eq!(keys.open_to_vec(&headers, b"Hello, World!", at).as_deref(), Ok(&b"Hello, World!"[..]));
        assert_eq!(keys.open_payload(&headers, b"Hello, World?", at, &mut []), Err(Error::BadSignature));

        let key = [7u8; 32];
        let iv = [9u8; 12];
        let plaintext = br#"{"type":"PAYMENT"}"#;
        let mut ct = plaintext.to_vec();
        let tag = aes_gcm::Aes256Gcm::new_from_slice(&key)
            .expect("key")
            .encrypt_in_place_detached((&iv).into(), b"", &mut ct)
            .expect("encrypts");
        let hex = |b: &[u8]| b.iter().map(|x| alloc::format!("{x:02x}")).collect::<alloc::string::String>();
        let keys = KeySet::new(Scheme::Oppwa, &[hex(&key)]).expect("key");
        let (iv_hex, tag_hex, body) = (hex(&iv), hex(&tag), hex(&ct));
        let headers = [("X-Initialization-Vector", iv_hex.as_str()), ("X-Authentication-Tag", tag_hex.as_str())];
        let mut out = alloc::vec![0u8; keys.open_len(body.as_bytes())];
        assert_eq!(keys.open_payload(&headers, body.as_bytes(), at, &mut out), Ok(&plaintext[..]));
        assert_eq!(keys.open_to_vec(&headers, body.as_bytes(), at).as_deref(), Ok(&plaintext[..]));
        let mut tampered = body.into_bytes();
        tampered[0] ^= 1;
        assert_eq!(keys.open_to_vec(&headers, &tampered, at), Err(Error::BadSignature));
    }
}
