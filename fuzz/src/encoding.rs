//! Properties of `payseal::encoding` and `payseal::ct`.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use payseal::encoding::{base64 as b64, hex, EncodingError};

/// base64url as `payseal::encoding::base64::url_decode` documents it: padding optional, but
/// canonical when present, and no stray trailing bits.
const URL_UNPADDED: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_encode_padding(false).with_decode_padding_mode(DecodePaddingMode::RequireNone),
);
const URL_PADDED: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

fn reference_url_decode(text: &[u8]) -> Option<Vec<u8>> {
    if text.ends_with(b"=") { URL_PADDED.decode(text) } else { URL_UNPADDED.decode(text) }.ok()
}

type Codec = fn(&[u8], &mut [u8]) -> Result<usize, EncodingError>;

/// Encodes with a buffer of exactly `len` bytes and checks one byte less fails cleanly.
fn encode_exact(encode: Codec, src: &[u8], len: usize) -> Vec<u8> {
    let mut out = vec![0u8; len];
    assert_eq!(encode(src, &mut out), Ok(len), "encoded length");
    if let Some(short) = len.checked_sub(1) {
        assert_eq!(encode(src, &mut vec![0u8; short]), Err(EncodingError::BufferTooSmall { needed: len }));
    }
    out
}

/// Decodes with an ample buffer; when it succeeds, one byte less than needed fails cleanly.
fn decode(decode: Codec, src: &[u8], upper: usize) -> Option<Vec<u8>> {
    let mut out = vec![0u8; upper];
    let n = match decode(src, &mut out) {
        Ok(n) => n,
        Err(EncodingError::Invalid) => return None,
        Err(e) => panic!("{e:?} with a buffer of the upper bound {upper} for {} bytes", src.len()),
    };
    if let Some(short) = n.checked_sub(1) {
        assert!(matches!(decode(src, &mut vec![0u8; short]), Err(EncodingError::BufferTooSmall { .. })));
    }
    out.truncate(n);
    Some(out)
}

pub fn check(data: &[u8]) {
    // Round trips of any bytes.
    let hex_text = encode_exact(hex::encode, data, hex::encoded_len(data.len()));
    assert!(hex_text.iter().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b)), "lowercase hex");
    assert_eq!(decode(hex::decode, &hex_text, data.len()).as_deref(), Some(data));
    assert_eq!(decode(hex::decode, &hex_text.to_ascii_uppercase(), data.len()).as_deref(), Some(data));

    let url = encode_exact(b64::url_encode, data, b64::url_encoded_len(data.len()));
    assert_eq!(url, URL_UNPADDED.encode(data).into_bytes(), "base64url encoding");
    assert_eq!(decode(b64::url_decode, &url, data.len()).as_deref(), Some(data));
    let mut padded = url.clone();
    while padded.len() % 4 != 0 {
        padded.push(b'=');
    }
    assert_eq!(decode(b64::url_decode, &padded, data.len()).as_deref(), Some(data), "padded base64url");

    let std = encode_exact(b64::standard_encode, data, b64::standard_encoded_len(data.len()));
    assert_eq!(std, STANDARD.encode(data).into_bytes(), "standard base64 encoding");
    assert_eq!(decode(b64::standard_decode, &std, data.len()).as_deref(), Some(data));

    // Any bytes as text: the reference decoders' verdicts and bytes.
    let upper = b64::decoded_len_upper(data.len());
    assert_eq!(decode(b64::url_decode, data, upper), reference_url_decode(data), "url_decode");
    assert_eq!(decode(b64::standard_decode, data, upper), STANDARD.decode(data).ok(), "standard_decode");
    let hex_ok = data.len() % 2 == 0 && data.iter().all(u8::is_ascii_hexdigit);
    let decoded = decode(hex::decode, data, data.len() / 2);
    assert_eq!(decoded.is_some(), hex_ok, "hex::decode verdict");
    if let Some(bytes) = decoded {
        assert_eq!(encode_exact(hex::encode, &bytes, data.len()), data.to_ascii_lowercase());
        assert_eq!(hex::decode_array::<4>(data).ok().map(Vec::from), (bytes.len() == 4).then_some(bytes));
    }

    // ct::eq is ==, for equal and unequal lengths.
    let (a, b) = data.split_at(data.len() / 2);
    assert_eq!(payseal::ct::eq(a, b), a == b);
    assert!(payseal::ct::eq(data, data));
}
