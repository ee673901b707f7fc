//! A verified payload, read in place: typed accessors over the parsed envelope, borrowing
//! strings from the decoding scratch when they hold no escapes.

use super::TextError;
use crate::json::{Dialect, Kind, Value};
use crate::sink::CountingSink;
use crate::Sink;

/// The payload of a QR code whose signature and expiry were checked. Borrowed from the
/// scratch passed to [`QrVerifier::verify_into`](super::QrVerifier::verify_into).
///
/// The named accessors cover the fields EU Pay documents; a field that is absent or of
/// another JSON type reads as `None`. Anything else is reachable through [`QrPayload::get`]
/// and [`QrPayload::value`].
#[derive(Debug, Clone, Copy)]
pub struct QrPayload<'a> {
    value: Value<'a>,
    expires_at_ms: Option<i64>,
}

impl<'a> QrPayload<'a> {
    pub(crate) fn new(value: Value<'a>, expires_at_ms: Option<i64>) -> Self {
        Self { value, expires_at_ms }
    }

    /// The payload object itself.
    #[must_use]
    pub fn value(&self) -> Value<'a> {
        self.value
    }

    /// A top-level member of the payload.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.value.get(key)
    }

    /// A top-level string member of the payload.
    #[must_use]
    pub fn text(&self, key: &str) -> Option<QrText<'a>> {
        QrText::of(self.get(key)?)
    }

    /// `v`, the payload format version, when it is an integer.
    #[must_use]
    pub fn version(&self) -> Option<i64> {
        self.get("v")?.as_i64()
    }

    /// `type`, e.g. `gateway_qr_payment` or `powens_qr_payment_request`.
    #[must_use]
    pub fn payment_type(&self) -> Option<QrText<'a>> {
        self.text("type")
    }

    /// `amount` as the nearest double (what `JSON.parse` gives).
    #[must_use]
    pub fn amount(&self) -> Option<f64> {
        self.get("amount")?.as_f64()
    }

    /// `amount` exactly as written in the QR (e.g. `123456.78`), for decimal arithmetic.
    #[must_use]
    pub fn amount_text(&self) -> Option<&'a str> {
        let v = self.get("amount")?;
        if v.kind() != Kind::Number {
            return None;
        }
        core::str::from_utf8(v.raw()?).ok()
    }

    /// `currency`, e.g. `EUR`.
    #[must_use]
    pub fn currency(&self) -> Option<QrText<'a>> {
        self.text("currency")
    }

    /// `expiresAt` in Unix seconds (rounded down); `None` when absent or `null`.
    #[must_use]
    pub fn expires_at(&self) -> Option<i64> {
        self.expires_at_ms.map(|ms| ms.div_euclid(1000))
    }

    /// `expiresAt` in Unix milliseconds; `None` when absent or `null`.
    #[must_use]
    pub fn expires_at_millis(&self) -> Option<i64> {
        self.expires_at_ms
    }

    /// `requestId`, the payment request's reference.
    #[must_use]
    pub fn request_id(&self) -> Option<QrText<'a>> {
        self.text("requestId")
    }

    /// `gateway_reference`, the gateway's own reference (gateway QR codes).
    #[must_use]
    pub fn gateway_reference(&self) -> Option<QrText<'a>> {
        self.text("gateway_reference")
    }

    /// `label`, a free-text description, when present.
    #[must_use]
    pub fn label(&self) -> Option<QrText<'a>> {
        self.text("label")
    }

    /// `merchant`, when it is an object.
    #[must_use]
    pub fn merchant(&self) -> Option<QrMerchant<'a>> {
        let v = self.get("merchant")?;
        (v.kind() == Kind::Object).then_some(QrMerchant { value: v })
    }

    /// Writes the canonical payload (`JSON.stringify` of it: the bytes that were signed).
    pub fn write_canonical<S: Sink + ?Sized>(&self, sink: &mut S) {
        // The document was parsed for JavaScript, so emitting it as JavaScript cannot fail.
        let _ = self.value.emit(Dialect::Js, sink);
    }

    /// The length of the canonical payload.
    #[must_use]
    pub fn canonical_len(&self) -> usize {
        let mut count = CountingSink::default();
        self.write_canonical(&mut count);
        count.count
    }
}

/// The `merchant` object of a payload.
#[derive(Debug, Clone, Copy)]
pub struct QrMerchant<'a> {
    value: Value<'a>,
}

impl<'a> QrMerchant<'a> {
    /// The merchant object itself.
    #[must_use]
    pub fn value(&self) -> Value<'a> {
        self.value
    }

    /// A string member of the merchant object.
    #[must_use]
    pub fn text(&self, key: &str) -> Option<QrText<'a>> {
        QrText::of(self.value.get(key)?)
    }

    /// `id`, EU Pay's merchant UUID.
    #[must_use]
    pub fn id(&self) -> Option<QrText<'a>> {
        self.text("id")
    }

    /// `name`, the name shown to the payer.
    #[must_use]
    pub fn name(&self) -> Option<QrText<'a>> {
        self.text("name")
    }

    /// `merchantId`, the merchant's account reference, when present.
    #[must_use]
    pub fn merchant_id(&self) -> Option<QrText<'a>> {
        self.text("merchantId")
    }

    /// `euPayId`, when present.
    #[must_use]
    pub fn eu_pay_id(&self) -> Option<QrText<'a>> {
        self.text("euPayId")
    }
}

/// A JSON string of the payload, not yet decoded. Most have no escapes and are borrowed as
/// they are ([`QrText::as_str`]); the others decode into a caller buffer ([`QrText::to_str`]).
///
/// ```
/// use payseal::eupay::QrText;
/// use payseal::json::{parse, Dialect, Tape};
/// let mut tape = Tape::new();
/// let doc = parse(br#"{"a": "plain", "b": "Caf\u00e9"}"#, Dialect::Js, &mut tape)?;
/// let a = QrText::of(doc.root().get("a").unwrap()).unwrap();
/// let b = QrText::of(doc.root().get("b").unwrap()).unwrap();
/// assert_eq!(a.as_str(), Some("plain"));
/// assert_eq!(b.as_str(), None); // escaped: decode it
/// let mut buf = [0u8; 16];
/// assert_eq!(b.to_str(&mut buf), Ok("Café"));
/// assert!(b == "Café");
/// # Ok::<(), payseal::json::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct QrText<'a> {
    value: Value<'a>,
}

impl<'a> QrText<'a> {
    /// Wraps a JSON string value; `None` for other kinds.
    #[must_use]
    pub fn of(value: Value<'a>) -> Option<Self> {
        (value.kind() == Kind::String).then_some(Self { value })
    }

    /// The text without copying, when it holds no escapes.
    #[must_use]
    pub fn as_str(&self) -> Option<&'a str> {
        self.value.as_str()
    }

    /// The string as written between the quotes (escapes not decoded).
    #[must_use]
    pub fn raw(&self) -> &'a [u8] {
        self.value.raw().unwrap_or_default()
    }

    /// A buffer size that always suffices for [`QrText::to_str`]: decoding never lengthens
    /// a JSON string.
    #[must_use]
    pub fn max_len(&self) -> usize {
        self.raw().len()
    }

    /// Decodes the string into `buf` as WTF-8 (UTF-8, except that a lone surrogate, which
    /// JSON allows, takes its three-byte generalised form); returns the length.
    pub fn decode(&self, buf: &mut [u8]) -> Result<usize, TextError> {
        match self.value.decode_str(buf) {
            Some(Ok(n)) => Ok(n),
            Some(Err(crate::json::Error::BufferTooSmall { needed })) => Err(TextError::BufferTooSmall { needed }),
            Some(Err(_)) | None => Err(TextError::BufferTooSmall { needed: self.max_len() }),
        }
    }

    /// The text: borrowed when it holds no escapes, otherwise decoded into `buf`.
    pub fn to_str<'b>(&self, buf: &'b mut [u8]) -> Result<&'b str, TextError>
    where
        'a: 'b,
    {
        if let Some(s) = self.as_str() {
            return Ok(s);
        }
        let n = self.decode(buf)?;
        // WTF-8 is UTF-8 unless it holds a lone surrogate.
        core::str::from_utf8(&buf[..n]).map_err(|_| TextError::LoneSurrogate)
    }

    /// The decoded text in a new `String`.
    #[cfg(feature = "alloc")]
    pub fn to_string_checked(&self) -> Result<alloc::string::String, TextError> {
        if let Some(s) = self.as_str() {
            return Ok(s.into());
        }
        let mut buf = alloc::vec![0u8; self.max_len()];
        let n = self.to_str(&mut buf)?.len();
        buf.truncate(n);
        alloc::string::String::from_utf8(buf).map_err(|_| TextError::LoneSurrogate)
    }
}

/// Compares the decoded text, without copying.
impl PartialEq<str> for QrText<'_> {
    fn eq(&self, other: &str) -> bool {
        self.value.str_eq(other)
    }
}

impl PartialEq<&str> for QrText<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.value.str_eq(other)
    }
}
