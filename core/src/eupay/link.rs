//! From scanned text to envelope bytes: find the `data` parameter, undo percent-encoding and
//! base64url (padding optional), into caller scratch.

use super::{Malformed, QrError, DEEP_LINK_PREFIX, MAX_QR_LEN, URL_PREFIX};
use crate::encoding::base64::{decoded_len_upper, url_decode};
use crate::encoding::EncodingError;

/// The part of the prefixes up to and including `?`.
fn link_bases() -> [&'static [u8]; 2] {
    let url = URL_PREFIX.as_bytes();
    let deep = DEEP_LINK_PREFIX.as_bytes();
    [&url[..url.len() - "data=".len()], &deep[..deep.len() - "data=".len()]]
}

/// Decodes scanned text (URL, deep link or bare data) into the envelope bytes in `buf`
/// (at least [`decoded_len_upper`]`(qr.len())` bytes); returns the envelope's length.
///
/// The usual QR (`data=` is the only parameter, no percent-encoding) is decoded in one
/// vectorised pass: `%`, `&`, `#` and URL punctuation are not base64url characters, so when
/// that pass succeeds none were present and the general path would have found the same bytes.
/// Otherwise the general path parses the query and undoes percent-encoding.
pub(crate) fn decode_qr(qr: &[u8], buf: &mut [u8]) -> Result<usize, QrError> {
    if qr.len() > MAX_QR_LEN {
        return Err(Malformed::TooLarge { len: qr.len(), max: MAX_QR_LEN }.into());
    }
    let text = qr.trim_ascii();
    let candidate = match link_bases().iter().find_map(|base| text.strip_prefix(*base)) {
        Some(query) => query.strip_prefix(b"data=").unwrap_or(query),
        None => text,
    };
    let needed = decoded_len_upper(candidate.len());
    if buf.len() < needed {
        return Err(QrError::BufferTooSmall { needed });
    }
    if !candidate.is_empty() {
        if let Ok(n) = url_decode(candidate, buf) {
            return Ok(n);
        }
    }
    decode_data(data_param(text)?, buf)
}

/// The `data` parameter of an EU Pay URL or deep link, or the whole text when it is bare data
/// (already trimmed). Prefixes are matched exactly; the query may hold other parameters and a
/// `#fragment`, which are ignored.
fn data_param(text: &[u8]) -> Result<&[u8], Malformed> {
    let Some(query) = link_bases().iter().find_map(|base| text.strip_prefix(*base)) else {
        // Bare data never holds URL punctuation; anything else is someone else's link.
        if text.iter().any(|b| matches!(b, b':' | b'/' | b'?' | b'&' | b'#')) {
            return Err(Malformed::UnrecognisedLink);
        }
        return non_empty(text);
    };
    let query = query.split(|&b| b == b'#').next().unwrap_or_default();
    let mut found = None;
    for param in query.split(|&b| b == b'&') {
        if let Some(value) = param.strip_prefix(b"data=") {
            if found.replace(value).is_some() {
                return Err(Malformed::DuplicateData);
            }
        }
    }
    non_empty(found.unwrap_or_default())
}

fn non_empty(data: &[u8]) -> Result<&[u8], Malformed> {
    if data.is_empty() {
        Err(Malformed::MissingData)
    } else {
        Ok(data)
    }
}

/// Base64 characters percent-decoded per batch: a multiple of 4, so that every full batch
/// decodes to whole bytes.
const BATCH: usize = 256;

/// Decodes the data parameter into `buf` (at least [`decoded_len_upper`]`(data.len())`
/// bytes); returns the envelope's length.
fn decode_data(data: &[u8], buf: &mut [u8]) -> Result<usize, QrError> {
    let needed = decoded_len_upper(data.len());
    if buf.len() < needed {
        return Err(QrError::BufferTooSmall { needed });
    }
    if !data.contains(&b'%') {
        return url_decode(data, buf).map_err(base64_error);
    }
    // Percent-encoded: undo it in batches on the stack and decode each batch into `buf`.
    // Only the last batch may carry padding.
    let mut batch = [0u8; BATCH];
    let mut batch_len = 0;
    let mut written = 0;
    let mut rest = data;
    while let Some((&b, tail)) = rest.split_first() {
        let (byte, tail) = if b == b'%' {
            match tail {
                [h, l, tail @ ..] => (hex_digit(*h)? << 4 | hex_digit(*l)?, tail),
                _ => return Err(Malformed::BadPercentEncoding.into()),
            }
        } else {
            (b, tail)
        };
        rest = tail;
        if batch_len == BATCH {
            // More input follows: this batch is not the last, so it must not hold padding.
            if batch.contains(&b'=') {
                return Err(Malformed::BadBase64.into());
            }
            written += url_decode(&batch, &mut buf[written..]).map_err(base64_error)?;
            batch_len = 0;
        }
        batch[batch_len] = byte;
        batch_len += 1;
    }
    written += url_decode(&batch[..batch_len], &mut buf[written..]).map_err(base64_error)?;
    Ok(written)
}

fn hex_digit(c: u8) -> Result<u8, QrError> {
    match c {
        b'0'..=b'9' => Ok(c - b'0'),
        b'a'..=b'f' => Ok(c - b'a' + 10),
        b'A'..=b'F' => Ok(c - b'A' + 10),
        _ => Err(Malformed::BadPercentEncoding.into()),
    }
}

fn base64_error(e: EncodingError) -> QrError {
    match e {
        // The buffer was sized from the text's length, which bounds any decoding.
        EncodingError::BufferTooSmall { needed } => QrError::BufferTooSmall { needed },
        _ => Malformed::BadBase64.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::prelude::rust_2021::*;
    use std::{format, vec};

    fn decode(qr: &str) -> Result<Vec<u8>, QrError> {
        let mut buf = vec![0u8; decoded_len_upper(qr.len())];
        let n = decode_qr(qr.as_bytes(), &mut buf)?;
        buf.truncate(n);
        Ok(buf)
    }

    #[test]
    fn finds_the_data_parameter() {
        let hello = Ok(b"hello".to_vec());
        assert_eq!(decode("aGVsbG8"), hello);
        assert_eq!(decode(" aGVsbG8=\n"), hello);
        assert_eq!(decode("https://www.european-pay.fr/pay?data=aGVsbG8"), hello);
        assert_eq!(decode("https://www.european-pay.fr/pay?lang=fr&data=aGVsbG8&x=1#top"), hello);
        assert_eq!(decode("eupay://pay?data=aGVsbG8%3D"), hello);
        assert_eq!(decode("eupay://pay?data=%61%47VsbG8"), hello);
        let m = |r: Malformed| Err(QrError::Malformed(r));
        assert_eq!(decode(""), m(Malformed::MissingData));
        assert_eq!(decode("https://www.european-pay.fr/pay?data="), m(Malformed::MissingData));
        assert_eq!(decode("https://www.european-pay.fr/pay?x=1"), m(Malformed::MissingData));
        assert_eq!(decode("eupay://pay?data=aGVs&data=bG8"), m(Malformed::DuplicateData));
        assert_eq!(decode("https://evil.example/pay?data=aGVsbG8"), m(Malformed::UnrecognisedLink));
        assert_eq!(decode("HTTPS://www.european-pay.fr/pay?data=aGVsbG8"), m(Malformed::UnrecognisedLink));
        assert_eq!(decode("eupay://pay?data=aGVsbG8%3"), m(Malformed::BadPercentEncoding));
        assert_eq!(decode("eupay://pay?data=aGVsbG8%zz"), m(Malformed::BadPercentEncoding));
        assert_eq!(decode("aGVsbG9"), m(Malformed::BadBase64)); // non-zero trailing bits
        assert_eq!(decode("aGVs bG8"), m(Malformed::BadBase64));
        assert_eq!(decode("aGVsbG8+"), m(Malformed::BadBase64));
        let long = "A".repeat(MAX_QR_LEN + 1);
        assert_eq!(decode(&long), m(Malformed::TooLarge { len: MAX_QR_LEN + 1, max: MAX_QR_LEN }));
    }

    #[test]
    fn percent_batches_only_allow_padding_at_the_end() {
        let plain: Vec<u8> = (0..700u32).map(|i| (i * 31) as u8).collect();
        let mut text = vec![0u8; crate::encoding::base64::url_encoded_len(plain.len())];
        let n = crate::encoding::base64::url_encode(&plain, &mut text).unwrap();
        let text = core::str::from_utf8(&text[..n]).unwrap();
        let encoded: String = text.bytes().map(|b| format!("%{b:02X}")).collect();
        assert_eq!(decode(&format!("eupay://pay?data={encoded}")), Ok(plain.clone()));
        let mixed = format!("{}%3D{}", &text[..300], &text[300..]);
        assert_eq!(decode(&mixed), Err(QrError::Malformed(Malformed::BadBase64)));
    }
}
