//! Table QR links: `https://www.european-pay.fr/t/<merchant-uuid>/<token>`.
//!
//! A restaurant table carries a QR code with its merchant's UUID and a random 16-byte token
//! (32 lowercase hex digits). When a customer scans it, the gateway checks that the link names
//! that merchant and carries one of its table tokens. Every failure, whatever its cause (a bad
//! URL, an unknown merchant, a wrong token), is the one [`InvalidTableLink`] error, and the
//! comparisons are constant-time, so a scanner learns nothing that helps it enumerate merchants
//! or guess tokens.
//!
//! The link form is payseal's: `<base><uuid>/<token>`, with [`TABLE_URL_BASE`] as the usual
//! base (another base, such as an app deep link `eupay://t/`, can be passed explicitly). The
//! UUID is the canonical 8-4-4-4-12 hex form (either case); the token is 32 hex digits
//! (either case on input, lowercase on output); nothing may follow the token.

use zeroize::Zeroize;

use crate::encoding::hex;
use crate::secrets::random::{RandomSource, RandomnessError};

/// The base of table links on the EU Pay web site.
pub const TABLE_URL_BASE: &str = "https://www.european-pay.fr/t/";
/// Raw token length.
pub const TABLE_TOKEN_LEN: usize = 16;
/// Length of a token in hex.
pub const TABLE_TOKEN_HEX_LEN: usize = 2 * TABLE_TOKEN_LEN;
/// Length of a merchant UUID in its canonical text form.
pub const MERCHANT_ID_LEN: usize = 36;

/// Where the five hex groups of a UUID sit: (range in the 32 digits, range in the 36-byte text).
const UUID_GROUPS: [(core::ops::Range<usize>, core::ops::Range<usize>); 5] =
    [(0..8, 0..8), (8..12, 9..13), (12..16, 14..18), (16..20, 19..23), (20..32, 24..36)];

/// The one error of table-link validation; deliberately without detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InvalidTableLink;

impl core::fmt::Display for InvalidTableLink {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("invalid table link")
    }
}

#[cfg(feature = "std")]
impl std::error::Error for InvalidTableLink {}

/// A merchant's UUID (16 bytes; not secret).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MerchantId([u8; 16]);

impl MerchantId {
    /// Parses the canonical `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` form (hex of either case).
    ///
    /// ```
    /// use payseal::secrets::keys::MerchantId;
    ///
    /// let id = MerchantId::parse("3febce7d-03cd-40fe-b40f-fe9851b9c397").unwrap();
    /// assert_eq!(id.to_string(), "3febce7d-03cd-40fe-b40f-fe9851b9c397");
    /// assert!(MerchantId::parse("3febce7d03cd40feb40ffe9851b9c397").is_err());
    /// ```
    pub fn parse(text: &str) -> Result<Self, InvalidTableLink> {
        let t = text.as_bytes();
        if t.len() != MERCHANT_ID_LEN || t[8] != b'-' || t[13] != b'-' || t[18] != b'-' || t[23] != b'-' {
            return Err(InvalidTableLink);
        }
        let mut digits = [0u8; 32];
        for (in_digits, in_text) in UUID_GROUPS {
            digits[in_digits].copy_from_slice(&t[in_text]);
        }
        hex::decode_array(&digits).map(Self).map_err(|_| InvalidTableLink)
    }

    /// The 16 raw bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Writes the canonical lowercase form into a 36-byte array.
    #[must_use]
    pub fn to_text(&self) -> [u8; MERCHANT_ID_LEN] {
        let digits: [u8; 32] = hex::encode_array(&self.0);
        let mut out = [b'-'; MERCHANT_ID_LEN];
        for (in_digits, in_text) in UUID_GROUPS {
            out[in_text].copy_from_slice(&digits[in_digits]);
        }
        out
    }
}

impl core::fmt::Display for MerchantId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let text = self.to_text();
        f.write_str(core::str::from_utf8(&text).map_err(|_| core::fmt::Error)?)
    }
}

impl core::fmt::Debug for MerchantId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "MerchantId({self})")
    }
}

/// A table's QR token: 16 random bytes, shown as 32 lowercase hex digits. Zeroised on drop;
/// `Debug` is redacted.
/// No `PartialEq`: compare tokens only through [`TableLink::check`] (constant-time).
#[derive(Clone)]
pub struct TableToken([u8; TABLE_TOKEN_LEN]);

impl TableToken {
    /// A fresh token from `rng` (use [`OsRandom`](crate::secrets::OsRandom) in production).
    ///
    /// ```
    /// use payseal::secrets::keys::TableToken;
    ///
    /// let token = TableToken::generate(&mut |b: &mut [u8]| b.fill(0xab)).unwrap();
    /// assert_eq!(token.to_hex(), *b"abababababababababababababababab");
    /// assert_eq!(format!("{token:?}"), "TableToken([redacted])");
    /// ```
    pub fn generate(rng: &mut impl RandomSource) -> Result<Self, RandomnessError> {
        let mut bytes = [0u8; TABLE_TOKEN_LEN];
        rng.fill(&mut bytes)?;
        Ok(Self(bytes))
    }

    /// Parses a stored token: exactly 32 hex digits (either case).
    pub fn from_hex(text: &str) -> Result<Self, InvalidTableLink> {
        hex::decode_array(text.as_bytes()).map(Self).map_err(|_| InvalidTableLink)
    }

    /// The token as 32 lowercase hex digits.
    #[must_use]
    pub fn to_hex(&self) -> [u8; TABLE_TOKEN_HEX_LEN] {
        hex::encode_array(&self.0)
    }

    /// The raw bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; TABLE_TOKEN_LEN] {
        &self.0
    }
}

impl core::fmt::Debug for TableToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("TableToken([redacted])")
    }
}

impl Drop for TableToken {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

/// A parsed table link: the merchant it names and the token it carries.
#[derive(Debug, Clone)]
pub struct TableLink {
    merchant: MerchantId,
    token: TableToken,
}

impl TableLink {
    /// Parses `<base><uuid>/<token>` exactly.
    ///
    /// ```
    /// use payseal::secrets::keys::{TableLink, TABLE_URL_BASE};
    ///
    /// let url = "https://www.european-pay.fr/t/3febce7d-03cd-40fe-b40f-fe9851b9c397/00112233445566778899aabbccddeeff";
    /// let link = TableLink::parse(url, TABLE_URL_BASE).unwrap();
    /// assert_eq!(link.merchant().to_string(), "3febce7d-03cd-40fe-b40f-fe9851b9c397");
    /// assert!(TableLink::parse(&format!("{url}?x=1"), TABLE_URL_BASE).is_err());
    /// ```
    pub fn parse(url: &str, base: &str) -> Result<Self, InvalidTableLink> {
        let rest = url.strip_prefix(base).ok_or(InvalidTableLink)?;
        let (uuid, token) = rest.split_once('/').ok_or(InvalidTableLink)?;
        Ok(Self { merchant: MerchantId::parse(uuid)?, token: TableToken::from_hex(token)? })
    }

    /// The merchant the link names (to look up its tokens).
    #[must_use]
    pub fn merchant(&self) -> &MerchantId {
        &self.merchant
    }

    /// Checks the link against the merchant and token on record, comparing both in constant
    /// time and without an early exit.
    pub fn check(&self, merchant: &MerchantId, token: &TableToken) -> Result<(), InvalidTableLink> {
        let same_merchant = crate::ct::eq(&self.merchant.0, &merchant.0);
        let same_token = crate::ct::eq(&self.token.0, &token.0);
        if same_merchant & same_token {
            Ok(())
        } else {
            Err(InvalidTableLink)
        }
    }

    /// Writes the URL `<base><uuid>/<token>` into `out`, returning its length; `None` when
    /// `out` is shorter than [`TableLink::url_len`].
    #[must_use]
    pub fn write_url(merchant: &MerchantId, token: &TableToken, base: &str, out: &mut [u8]) -> Option<usize> {
        let len = Self::url_len(base);
        let out = out.get_mut(..len)?;
        let (b, rest) = out.split_at_mut(base.len());
        b.copy_from_slice(base.as_bytes());
        rest[..MERCHANT_ID_LEN].copy_from_slice(&merchant.to_text());
        rest[MERCHANT_ID_LEN] = b'/';
        rest[MERCHANT_ID_LEN + 1..].copy_from_slice(&token.to_hex());
        Some(len)
    }

    /// Length of a table URL under `base`.
    #[must_use]
    pub fn url_len(base: &str) -> usize {
        base.len() + MERCHANT_ID_LEN + 1 + TABLE_TOKEN_HEX_LEN
    }
}

/// Validates a scanned table `url` (under `base`) against the merchant and token on record.
/// Every failure is the same [`InvalidTableLink`].
///
/// ```
/// use payseal::secrets::keys::{verify_table_url, InvalidTableLink, MerchantId, TableToken, TABLE_URL_BASE};
///
/// let merchant = MerchantId::parse("3febce7d-03cd-40fe-b40f-fe9851b9c397").unwrap();
/// let token = TableToken::from_hex("00112233445566778899aabbccddeeff").unwrap();
/// let url = "https://www.european-pay.fr/t/3febce7d-03cd-40fe-b40f-fe9851b9c397/00112233445566778899aabbccddeeff";
/// assert_eq!(verify_table_url(url, TABLE_URL_BASE, &merchant, &token), Ok(()));
/// let wrong = "https://www.european-pay.fr/t/3febce7d-03cd-40fe-b40f-fe9851b9c397/00112233445566778899aabbccddeef0";
/// assert_eq!(verify_table_url(wrong, TABLE_URL_BASE, &merchant, &token), Err(InvalidTableLink));
/// ```
pub fn verify_table_url(
    url: &str,
    base: &str,
    merchant: &MerchantId,
    token: &TableToken,
) -> Result<(), InvalidTableLink> {
    TableLink::parse(url, base)?.check(merchant, token)
}
