//! What the schemes share: decoding a signature, matching it in constant time against the MAC
//! under every key, and the timestamp rules.

use super::limits::MAX_SIGNATURES;
use super::{Error, Freshness};
use crate::ct;
use crate::mac::{HmacKey, MAX_OUTPUT};
use crate::Sink;

/// A decoded signature, or one whose length no digest has (it never matches).
#[derive(Clone, Copy)]
pub(crate) struct Candidate {
    bytes: [u8; MAX_OUTPUT],
    /// `None` for a well-encoded signature of an impossible length.
    len: Option<usize>,
}

impl Candidate {
    const WRONG_LENGTH: Self = Self { bytes: [0; MAX_OUTPUT], len: None };

    /// Decodes hex (either case). A non-hex character or an empty string is malformed; an
    /// odd or over-long run of hex digits is a signature of the wrong length.
    pub(crate) fn hex(text: &[u8], header: &'static str) -> Result<Self, Error> {
        let malformed = Error::MalformedHeader { name: header };
        let mut c = Self::WRONG_LENGTH;
        if !text.is_empty() && text.len() % 2 == 0 && text.len() <= 2 * MAX_OUTPUT {
            // The usual case: one pass, const-hex validates while decoding.
            let n = crate::encoding::hex::decode(text, &mut c.bytes).map_err(|_| malformed)?;
            c.len = Some(n);
            return Ok(c);
        }
        if text.is_empty() || !text.iter().all(u8::is_ascii_hexdigit) {
            return Err(malformed);
        }
        Ok(c)
    }

    /// Decodes standard base64 with padding (RFC 4648 §4). Characters outside the alphabet,
    /// bad padding or an empty string are malformed; a decoded length over the largest
    /// digest is the wrong length.
    pub(crate) fn base64(text: &[u8], header: &'static str) -> Result<Self, Error> {
        let malformed = Error::MalformedHeader { name: header };
        let alphabet = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
        if text.is_empty() || text.len() % 4 != 0 || !text.iter().all(alphabet) {
            return Err(malformed);
        }
        let mut c = Self::WRONG_LENGTH;
        match crate::encoding::base64::standard_decode(text, &mut c.bytes) {
            Ok(n) => c.len = Some(n),
            Err(crate::encoding::EncodingError::BufferTooSmall { .. }) => {}
            Err(_) => return Err(malformed),
        }
        Ok(c)
    }

    fn matches(&self, mac: &[u8]) -> bool {
        match self.len {
            Some(n) => ct::eq(&self.bytes[..n], mac),
            None => false,
        }
    }
}

/// Up to [`MAX_SIGNATURES`] candidates from one header.
pub(crate) struct Candidates {
    items: [Candidate; MAX_SIGNATURES],
    len: usize,
}

impl Candidates {
    pub(crate) const fn new() -> Self {
        Self { items: [Candidate::WRONG_LENGTH; MAX_SIGNATURES], len: 0 }
    }

    pub(crate) fn push(&mut self, c: Candidate) -> Result<(), Error> {
        let slot = self.items.get_mut(self.len).ok_or(Error::TooManySignatures)?;
        *slot = c;
        self.len += 1;
        Ok(())
    }

    pub(crate) const fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub(crate) fn as_slice(&self) -> &[Candidate] {
        &self.items[..self.len]
    }
}

/// Computes the MAC of the message `feed` writes under each key in turn and accepts when it
/// equals any candidate (compared with [`ct::eq`]). One MAC per key, however many
/// candidates; no early exit within a key's candidates.
pub(crate) fn verify_any<K: core::borrow::Borrow<HmacKey>>(
    keys: impl Iterator<Item = K>,
    candidates: &[Candidate],
    mut feed: impl FnMut(&mut dyn Sink) -> Result<(), Error>,
) -> Result<(), Error> {
    let mut tag = [0u8; MAX_OUTPUT];
    for key in keys {
        let n = key.borrow().mac_with(&mut tag, &mut feed)?;
        let mut matched = false;
        for c in candidates {
            matched |= c.matches(&tag[..n]);
        }
        if matched {
            return Ok(());
        }
    }
    Err(Error::BadSignature)
}

/// Parses a Unix timestamp: 1 to 18 ASCII digits, nothing else.
pub(crate) fn timestamp(text: &[u8], header: &'static str) -> Result<i64, Error> {
    if text.is_empty() || text.len() > 18 || !text.iter().all(u8::is_ascii_digit) {
        return Err(Error::MalformedHeader { name: header });
    }
    Ok(text.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
}

/// Two-sided tolerance: more than `tolerance` seconds before `now` is too old, more than
/// `tolerance` after is too new (Stripe and Standard Webhooks reject both).
pub(crate) fn check_fresh(signed_at: i64, at: Freshness) -> Result<(), Error> {
    let age = i128::from(at.now) - i128::from(signed_at);
    let tolerance = i128::from(at.tolerance);
    if age > tolerance {
        Err(Error::TimestampTooOld)
    } else if -age > tolerance {
        Err(Error::TimestampTooNew)
    } else {
        Ok(())
    }
}

/// The decimal text of `v` (the form the providers' libraries sign after parsing).
pub(crate) fn decimal(mut v: i64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    &buf[i..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn candidates_and_timestamps() {
        assert!(Candidate::hex(b"", "h").is_err());
        assert!(Candidate::hex(b"0g", "h").is_err());
        assert_eq!(Candidate::hex(b"abc", "h").ok().map(|c| c.len), Some(None));
        assert_eq!(Candidate::hex(b"aBcD", "h").ok().map(|c| c.len), Some(Some(2)));
        assert!(Candidate::base64(b"AAA", "h").is_err());
        assert!(Candidate::base64(b"AA-_", "h").is_err());
        assert_eq!(Candidate::base64(b"AAAA", "h").ok().map(|c| c.len), Some(Some(3)));
        let long = [b'A'; 100];
        assert_eq!(Candidate::base64(&long, "h").ok().map(|c| c.len), Some(None));
        assert_eq!(timestamp(b"0012", "t"), Ok(12));
        assert!(timestamp(b"-1", "t").is_err());
        assert!(timestamp(b"1234567890123456789", "t").is_err());
        let at = Freshness::new(1000, 10);
        assert_eq!(check_fresh(990, at), Ok(()));
        assert_eq!(check_fresh(1010, at), Ok(()));
        assert_eq!(check_fresh(989, at), Err(Error::TimestampTooOld));
        assert_eq!(check_fresh(1011, at), Err(Error::TimestampTooNew));
        assert_eq!(check_fresh(i64::MIN, Freshness::new(i64::MAX, u64::MAX)), Ok(()));
        assert_eq!(check_fresh(i64::MIN, Freshness::new(i64::MAX, 0)), Err(Error::TimestampTooOld));
        assert_eq!(check_fresh(i64::MAX, Freshness::new(i64::MIN, 0)), Err(Error::TimestampTooNew));
        let mut b = [0u8; 20];
        assert_eq!(decimal(0, &mut b), b"0");
        assert_eq!(decimal(1_781_699_238, &mut b), b"1781699238");
    }
}
