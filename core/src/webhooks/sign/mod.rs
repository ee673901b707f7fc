//! Signing webhooks: the mirror of every verifier, for gateways that send webhooks and for
//! test suites that need correctly signed deliveries.
//!
//! [`KeySet::sign`] takes the body to send and [`SignOptions`] (`now`, and the scheme's own
//! inputs) and writes everything into one caller buffer ([`KeySet::sign_len`] sizes it): the
//! header values, and for the schemes whose signature lives in the body (`adyen_item`,
//! `spreedly`) or whose body is encrypted (`oppwa`, `oppwa_base64`) the body to send instead
//! of the one given. The result, [`Signed`], borrows that buffer; it implements [`Headers`],
//! so it can be handed straight to [`KeySet::verify`].
//!
//! **Which secret signs.** The *first* secret of the set, the newest: key sets list secrets
//! newest first (`KeySet::new(scheme, &[new, old])`, `PAYSEAL_WEBHOOK_SECRET` one per line, newest first), so a
//! rotation adds the new secret at the front of the sender's list once every receiver lists
//! it, and the old one is dropped from the end later. Exactly one signature is produced.
//!
//! | scheme | writes | signed bytes |
//! |---|---|---|
//! | `eupay` | `X-EuPay-Signature: sha256=<hex>` | body |
//! | `github` | `X-Hub-Signature-256: sha256=<hex>` | body |
//! | `stripe` | `Stripe-Signature: t=<now>,v1=<hex>` | `now.body` |
//! | `standard` | `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<b64>` | `id.now.body` |
//! | `shopify` | `X-Shopify-Hmac-Sha256: <b64>` | body |
//! | `checkout` | `Cko-Signature: <hex>` | body |
//! | `adyen_item` | the item with `additionalData.hmacSignature` set (b64) | the 8 fields |
//! | `spreedly` | the document with its `<signed>` block (hex) | the listed fields |
//! | `oppwa` | hex ciphertext body, `X-Initialization-Vector`, `X-Authentication-Tag` | (AEAD) |
//!
//! The MAC schemes allocate nothing; Adyen items too large for the stack tape use a heap tape
//! with `alloc` (as the verifier does). Randomness (the Standard Webhooks message id when none
//! is given, the OPPWA IV when none is given) comes from [`KeySet::sign_with`]'s
//! [`RandomSource`], or from the OS generator with [`KeySet::sign`] (feature `std`).
//!
//! ```
//! use payseal::webhooks::{Freshness, KeySet, Scheme, SignOptions};
//!
//! let keys = KeySet::new(Scheme::Stripe, &["whsec_new", "whsec_old"])?;
//! let body = br#"{"id":"evt_1","type":"charge.succeeded"}"#;
//! let opts = SignOptions::at(1_781_699_238);
//! let mut out = [0u8; 128];
//! let signed = keys.sign(body, &opts, &mut out)?;
//! for (name, value) in signed.headers() {
//!     println!("{name}: {value}"); // Stripe-Signature: t=1781699238,v1=…
//! }
//! keys.verify(&signed, body, Freshness::new(1_781_699_238, 300))?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod adyen;
mod error;
mod oppwa;
mod spreedly;

pub use error::SignError;

use super::headers::Headers;
use super::limits::{MAX_BODY_LEN, MAX_HEADER_LEN};
use super::mac::{HmacKey, MAX_OUTPUT};
use super::sig::decimal;
use super::{KeySet, Scheme};
use crate::secrets::{RandomSource, RandomnessError};

/// The largest timestamp the verifiers read (18 decimal digits).
const MAX_TIMESTAMP: i64 = 999_999_999_999_999_999;

/// Bytes of a generated Standard Webhooks message id: `msg_` and 32 hex digits (128 random bits).
const GENERATED_ID_LEN: usize = 4 + 32;

/// Hex of a SHA-256 MAC.
const HEX_LEN: usize = 64;
/// Standard base64 of a SHA-256 MAC.
const B64_LEN: usize = 44;

/// Most headers one scheme writes (Standard Webhooks: three).
const MAX_HEADERS: usize = 3;

/// What a signature needs besides the key set and the body.
///
/// `now` is a parameter (Unix seconds; [`SignOptions::now`] reads the clock): only Stripe and
/// Standard Webhooks sign it. The other fields apply to one scheme each and are ignored by the
/// others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignOptions<'a> {
    /// The signing time, Unix seconds, 0 to 999999999999999999 (what the verifiers read).
    pub now: i64,
    /// Standard Webhooks: the `webhook-id` (printable ASCII without spaces, at most
    /// [`MAX_HEADER_LEN`] bytes). `None`: `msg_` and 32 random hex digits.
    pub id: Option<&'a str>,
    /// OPPWA: the 12-byte AES-GCM nonce. `None`: random. Never reuse one under the same key.
    pub iv: Option<[u8; 12]>,
    /// Spreedly: the names of the `<transaction>` children to sign, separated by spaces, in
    /// order. `None`: every child with text content (or `nil="true"`), in document order.
    pub fields: Option<&'a str>,
    /// Spreedly: `sha1`, `sha256` or `sha512`. `None`: `sha256`.
    pub algorithm: Option<&'a str>,
}

impl<'a> SignOptions<'a> {
    /// Options signing at `now` (Unix seconds), everything else defaulted.
    #[must_use]
    pub const fn at(now: i64) -> Self {
        Self { now, id: None, iv: None, fields: None, algorithm: None }
    }

    /// Options signing at the system clock's current time.
    #[cfg(feature = "std")]
    #[must_use]
    pub fn now() -> Self {
        Self::at(super::Freshness::now().now)
    }

    /// With the Standard Webhooks message id `id`.
    #[must_use]
    pub const fn with_id(mut self, id: &'a str) -> Self {
        self.id = Some(id);
        self
    }

    /// With the OPPWA IV `iv`.
    #[must_use]
    pub const fn with_iv(mut self, iv: [u8; 12]) -> Self {
        self.iv = Some(iv);
        self
    }

    /// With the Spreedly field list `fields` (space-separated names).
    #[must_use]
    pub const fn with_fields(mut self, fields: &'a str) -> Self {
        self.fields = Some(fields);
        self
    }

    /// With the Spreedly algorithm `algorithm` (`sha1`, `sha256`, `sha512`).
    #[must_use]
    pub const fn with_algorithm(mut self, algorithm: &'a str) -> Self {
        self.algorithm = Some(algorithm);
        self
    }
}

/// A signed delivery, borrowing the caller's buffer: the headers to add and, for the schemes
/// that carry the signature in the body or encrypt it, the body to send.
#[derive(Clone, Copy)]
pub struct Signed<'o> {
    names: [&'static str; MAX_HEADERS],
    /// Ranges of `text`.
    values: [(usize, usize); MAX_HEADERS],
    count: usize,
    text: &'o str,
    body: Option<&'o [u8]>,
    used: usize,
}

impl core::fmt::Debug for Signed<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Signed")
            .field("headers", &self.names[..self.count].iter().zip(self.values()).collect::<HeaderList<'_>>())
            .field("body_len", &self.body.map(<[u8]>::len))
            .finish()
    }
}

/// Debug helper: the headers as a list without allocating.
struct HeaderList<'a>([(&'static str, &'a str); MAX_HEADERS], usize);

impl<'a> FromIterator<(&'a &'static str, &'a str)> for HeaderList<'a> {
    fn from_iter<I: IntoIterator<Item = (&'a &'static str, &'a str)>>(iter: I) -> Self {
        let mut list = HeaderList([("", ""); MAX_HEADERS], 0);
        for (slot, (n, v)) in list.0.iter_mut().zip(iter) {
            *slot = (n, v);
            list.1 += 1;
        }
        list
    }
}

impl core::fmt::Debug for HeaderList<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(&self.0[..self.1]).finish()
    }
}

impl<'o> Signed<'o> {
    fn values(&self) -> impl Iterator<Item = &'o str> + '_ {
        let text = self.text;
        self.values[..self.count].iter().map(move |&(a, b)| &text[a..b])
    }

    /// The headers to add, `(name, value)`, in the order the provider sends them.
    pub fn headers(&self) -> impl ExactSizeIterator<Item = (&'static str, &'o str)> + '_ {
        let text = self.text;
        self.names[..self.count].iter().zip(&self.values[..self.count]).map(move |(n, &(a, b))| (*n, &text[a..b]))
    }

    /// The value of header `name` (ASCII case-insensitive), if this scheme writes it.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&'o str> {
        self.headers().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v)
    }

    /// The body to send when it is not the body given: the signed Adyen item, the Spreedly
    /// document with its `<signed>` block, the OPPWA ciphertext. `None` for the schemes that
    /// sign the body as it is (send it unchanged).
    #[must_use]
    pub const fn body(&self) -> Option<&'o [u8]> {
        self.body
    }

    /// Bytes of the caller's buffer used.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.used
    }

    /// True when nothing was written (never, for a successful signature).
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.used == 0
    }
}

impl Headers for Signed<'_> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.headers().filter(move |(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_bytes())
    }
}

/// A randomness source for builds without `std`: it always fails, so a signature that needs
/// randomness must be given it (an `id`, an `iv`) or use [`KeySet::sign_with`].
#[cfg(not(feature = "std"))]
struct NoRandomness;

#[cfg(not(feature = "std"))]
impl RandomSource for NoRandomness {
    fn fill(&mut self, _: &mut [u8]) -> Result<(), RandomnessError> {
        Err(RandomnessError)
    }
}

impl KeySet {
    /// An upper bound of the buffer [`KeySet::sign`] needs for `body` with `opts` (exact for
    /// the MAC schemes). A buffer that is too small is reported with the exact size needed.
    #[must_use]
    pub fn sign_len(&self, body: &[u8], opts: &SignOptions<'_>) -> usize {
        match self.scheme() {
            Scheme::EuPay | Scheme::Github => 7 + HEX_LEN,
            Scheme::Checkout => HEX_LEN,
            Scheme::Shopify => B64_LEN,
            Scheme::Stripe => stripe_len(opts.now),
            Scheme::Standard => standard_len(opts),
            Scheme::AdyenItem => adyen::output_len_upper(body),
            Scheme::Spreedly => spreedly::output_len_upper(body, opts),
            Scheme::Oppwa => oppwa::output_len(body, false),
            Scheme::OppwaBase64 => oppwa::output_len(body, true),
        }
    }

    /// Signs `body` with the newest (first) secret of the set and writes the result into `out`
    /// (sized with [`KeySet::sign_len`]). Randomness, when `opts` leaves some to draw, comes
    /// from the operating system (feature `std`; without it such a call fails with
    /// [`SignError::Randomness`]: give the `id` or `iv`, or use [`KeySet::sign_with`]).
    pub fn sign<'o>(&self, body: &[u8], opts: &SignOptions<'_>, out: &'o mut [u8]) -> Result<Signed<'o>, SignError> {
        #[cfg(feature = "std")]
        let mut rng = crate::secrets::OsRandom;
        #[cfg(not(feature = "std"))]
        let mut rng = NoRandomness;
        self.sign_with(body, opts, &mut rng, out)
    }

    /// [`KeySet::sign`] drawing the randomness it needs from `rng`.
    pub fn sign_with<'o, R: RandomSource + ?Sized>(
        &self,
        body: &[u8],
        opts: &SignOptions<'_>,
        rng: &mut R,
        out: &'o mut [u8],
    ) -> Result<Signed<'o>, SignError> {
        if body.len() > MAX_BODY_LEN {
            return Err(SignError::TooLarge);
        }
        let mut w = Layout::new();
        let body_len = match self.scheme() {
            Scheme::EuPay => mac_header(self, &mut w, out, "X-EuPay-Signature", b"sha256=", Encoding::Hex, body)?,
            Scheme::Github => mac_header(self, &mut w, out, "X-Hub-Signature-256", b"sha256=", Encoding::Hex, body)?,
            Scheme::Shopify => mac_header(self, &mut w, out, "X-Shopify-Hmac-Sha256", b"", Encoding::Base64, body)?,
            Scheme::Checkout => mac_header(self, &mut w, out, "Cko-Signature", b"", Encoding::Hex, body)?,
            Scheme::Stripe => stripe(self, &mut w, out, opts.now, body)?,
            Scheme::Standard => standard(self, &mut w, out, opts, rng, body)?,
            Scheme::AdyenItem => Some(adyen::sign(newest_hmac(self)?, body, out)?),
            Scheme::Spreedly => Some(spreedly::sign(self, body, opts, out)?),
            Scheme::Oppwa => Some(oppwa::sign(self, &mut w, body, opts, rng, false, out)?),
            Scheme::OppwaBase64 => Some(oppwa::sign(self, &mut w, body, opts, rng, true, out)?),
        };
        Ok(w.finish(out, body_len))
    }

    /// [`KeySet::sign`] into owned buffers: the headers and the body to send (a copy of
    /// `body` for the schemes that sign it as it is).
    ///
    /// ```
    /// use payseal::webhooks::{Freshness, KeySet, Scheme, SignOptions};
    /// let keys = KeySet::new(Scheme::Github, &["It's a Secret to Everybody"])?;
    /// let delivery = keys.sign_to_vec(b"Hello, World!", &SignOptions::now())?;
    /// assert_eq!(
    ///     delivery.headers,
    ///     [("X-Hub-Signature-256", "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17".to_owned())]
    /// );
    /// keys.verify(&delivery, &delivery.body, Freshness::now())?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[cfg(feature = "alloc")]
    pub fn sign_to_vec(&self, body: &[u8], opts: &SignOptions<'_>) -> Result<Delivery, SignError> {
        let mut out = alloc::vec![0u8; self.sign_len(body, opts)];
        let signed = match self.sign(body, opts, &mut out) {
            Err(SignError::BufferTooSmall { needed }) => {
                out.resize(needed, 0);
                self.sign(body, opts, &mut out)?
            }
            other => other?,
        };
        Ok(Delivery {
            headers: signed.headers().map(|(n, v)| (n, alloc::string::String::from(v))).collect(),
            body: signed.body().unwrap_or(body).to_vec(),
        })
    }
}

/// A signed delivery in owned buffers ([`KeySet::sign_to_vec`]).
#[cfg(feature = "alloc")]
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Delivery {
    /// The headers to add, `(name, value)`.
    pub headers: alloc::vec::Vec<(&'static str, alloc::string::String)>,
    /// The body to send.
    pub body: alloc::vec::Vec<u8>,
}

#[cfg(feature = "alloc")]
impl Headers for Delivery {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.headers.as_slice().values(name)
    }
}

/// Where the header values go in the caller's buffer: appended from offset 0, one after the
/// other; a body, if any, follows them.
pub(crate) struct Layout {
    names: [&'static str; MAX_HEADERS],
    values: [(usize, usize); MAX_HEADERS],
    count: usize,
    used: usize,
}

impl Layout {
    const fn new() -> Self {
        Self { names: [""; MAX_HEADERS], values: [(0, 0); MAX_HEADERS], count: 0, used: 0 }
    }

    /// Records the `len` bytes just written at `used` as header `name`'s value.
    pub(crate) fn push(&mut self, name: &'static str, len: usize) {
        self.names[self.count] = name;
        self.values[self.count] = (self.used, self.used + len);
        self.count += 1;
        self.used += len;
    }

    /// The result: header text (ASCII by construction), then `body_len` body bytes.
    fn finish(self, out: &mut [u8], body_len: Option<usize>) -> Signed<'_> {
        let total = self.used + body_len.unwrap_or(0);
        let (text, rest) = out[..total].split_at(self.used);
        // Every header byte was written by an encoder of this module or copied from an id
        // checked to be printable ASCII.
        let text = core::str::from_utf8(text).unwrap_or_default();
        Signed {
            names: self.names,
            values: self.values,
            count: self.count,
            text,
            body: body_len.map(|_| rest),
            used: total,
        }
    }
}

/// How a MAC is written.
#[derive(Clone, Copy)]
enum Encoding {
    Hex,
    Base64,
}

impl Encoding {
    fn write(self, mac: &[u8], out: &mut [u8]) -> Result<usize, SignError> {
        let r = match self {
            Self::Hex => crate::encoding::hex::encode(mac, out),
            Self::Base64 => crate::encoding::base64::standard_encode(mac, out),
        };
        r.map_err(|_| SignError::BufferTooSmall { needed: out.len() + 1 })
    }

    const fn len(self, mac_len: usize) -> usize {
        match self {
            Self::Hex => 2 * mac_len,
            Self::Base64 => crate::encoding::base64::standard_encoded_len(mac_len),
        }
    }
}

/// The HMAC-SHA256 schedule of the newest secret.
fn newest_hmac(keys: &KeySet) -> Result<&HmacKey, SignError> {
    keys.hmac_sha256().next().ok_or(SignError::InvalidArgument { name: "keys" })
}

fn need(out: &[u8], needed: usize) -> Result<(), SignError> {
    if out.len() < needed {
        Err(SignError::BufferTooSmall { needed })
    } else {
        Ok(())
    }
}

fn mac_header(
    keys: &KeySet,
    w: &mut Layout,
    out: &mut [u8],
    name: &'static str,
    prefix: &[u8],
    enc: Encoding,
    body: &[u8],
) -> Result<Option<usize>, SignError> {
    let key = newest_hmac(keys)?;
    need(out, prefix.len() + enc.len(32))?;
    out[..prefix.len()].copy_from_slice(prefix);
    let n = enc.write(&mac_tag(key, &[body]), &mut out[prefix.len()..])?;
    w.push(name, prefix.len() + n);
    Ok(None)
}

/// The decimal digits of a signable timestamp.
fn timestamp(now: i64, digits: &mut [u8; 20]) -> Result<&[u8], SignError> {
    if !(0..=MAX_TIMESTAMP).contains(&now) {
        return Err(SignError::InvalidArgument { name: "now" });
    }
    Ok(decimal(now, digits))
}

fn stripe_len(now: i64) -> usize {
    let mut digits = [0u8; 20];
    2 + timestamp(now, &mut digits).map_or(18, <[u8]>::len) + 4 + HEX_LEN
}

fn stripe(keys: &KeySet, w: &mut Layout, out: &mut [u8], now: i64, body: &[u8]) -> Result<Option<usize>, SignError> {
    let key = newest_hmac(keys)?;
    let mut digits = [0u8; 20];
    let t = timestamp(now, &mut digits)?;
    let prefix_len = 2 + t.len() + 4;
    need(out, prefix_len + HEX_LEN)?;
    out[..2].copy_from_slice(b"t=");
    out[2..2 + t.len()].copy_from_slice(t);
    out[2 + t.len()..prefix_len].copy_from_slice(b",v1=");
    let n = Encoding::Hex.write(&mac_tag(key, &[t, b".", body]), &mut out[prefix_len..])?;
    w.push("Stripe-Signature", prefix_len + n);
    Ok(None)
}

fn mac_tag(key: &HmacKey, parts: &[&[u8]]) -> [u8; 32] {
    let mut mac = key.start();
    for p in parts {
        mac.update(p);
    }
    let mut tag = [0u8; MAX_OUTPUT];
    mac.finish(&mut tag);
    // Every scheme calling this uses HMAC-SHA256.
    let mut t = [0u8; 32];
    t.copy_from_slice(&tag[..32]);
    t
}

fn standard_len(opts: &SignOptions<'_>) -> usize {
    let mut digits = [0u8; 20];
    let id = opts.id.map_or(GENERATED_ID_LEN, str::len);
    id + timestamp(opts.now, &mut digits).map_or(18, <[u8]>::len) + 3 + B64_LEN
}

/// A Standard Webhooks message id must survive as one header value: printable ASCII, no
/// spaces (the verifier trims whitespace), within the header cap.
fn check_id(id: &str) -> Result<(), SignError> {
    let ok = !id.is_empty() && id.len() <= MAX_HEADER_LEN && id.bytes().all(|b| b.is_ascii_graphic());
    if ok {
        Ok(())
    } else {
        Err(SignError::InvalidArgument { name: "id" })
    }
}

fn standard<R: RandomSource + ?Sized>(
    keys: &KeySet,
    w: &mut Layout,
    out: &mut [u8],
    opts: &SignOptions<'_>,
    rng: &mut R,
    body: &[u8],
) -> Result<Option<usize>, SignError> {
    let key = newest_hmac(keys)?;
    let mut digits = [0u8; 20];
    let t = timestamp(opts.now, &mut digits)?;
    if let Some(id) = opts.id {
        check_id(id)?;
    }
    need(out, standard_len(opts))?;
    // webhook-id
    let id_len = match opts.id {
        Some(id) => {
            out[..id.len()].copy_from_slice(id.as_bytes());
            id.len()
        }
        None => {
            let mut random = [0u8; 16];
            rng.fill(&mut random).map_err(|RandomnessError| SignError::Randomness)?;
            out[..4].copy_from_slice(b"msg_");
            4 + Encoding::Hex.write(&random, &mut out[4..GENERATED_ID_LEN])?
        }
    };
    w.push("webhook-id", id_len);
    let (id, rest) = out.split_at_mut(id_len);
    // webhook-timestamp
    rest[..t.len()].copy_from_slice(t);
    w.push("webhook-timestamp", t.len());
    // webhook-signature
    let sig = &mut rest[t.len()..];
    sig[..3].copy_from_slice(b"v1,");
    let n = Encoding::Base64.write(&mac_tag(key, &[id, b".", t, b".", body]), &mut sig[3..])?;
    w.push("webhook-signature", 3 + n);
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_documented_example() {
        let keys = KeySet::new(Scheme::Github, &["It's a Secret to Everybody", "old"]).expect("keys");
        let mut out = [0u8; 71];
        let signed = keys.sign(b"Hello, World!", &SignOptions::at(0), &mut out).expect("signs");
        assert_eq!(
            signed.header("x-hub-signature-256"),
            Some("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")
        );
        assert_eq!(signed.body(), None);
        let mut small = [0u8; 70];
        assert_eq!(
            keys.sign(b"x", &SignOptions::at(0), &mut small).err(),
            Some(SignError::BufferTooSmall { needed: 71 })
        );
    }

    #[test]
    fn timestamps_and_ids_are_checked() {
        let keys = KeySet::new(Scheme::Standard, &["whsec_dGVzdA=="]).expect("keys");
        let mut out = [0u8; 256];
        for (now, id) in [(-1, "msg_1"), (MAX_TIMESTAMP + 1, "msg_1"), (1, ""), (1, "a b"), (1, "caf\u{e9}")] {
            let opts = SignOptions::at(now).with_id(id);
            assert!(matches!(keys.sign(b"{}", &opts, &mut out), Err(SignError::InvalidArgument { .. })));
        }
        let signed = keys.sign(b"{}", &SignOptions::at(MAX_TIMESTAMP).with_id("m"), &mut out).expect("signs");
        assert_eq!(signed.header("webhook-timestamp"), Some("999999999999999999"));
    }
}
