//! Adyen: the `NotificationRequestItem` given, with `additionalData.hmacSignature` set to the
//! base64 HMAC-SHA256 of its eight signed fields (Adyen, "Verify HMAC signatures").
//!
//! The fields are read by the verifier's own code ([`signed_parts`]), so what is signed is
//! exactly what a verifier reads back. The item is not re-serialised: the signature is spliced
//! into the text given. An existing `hmacSignature` is replaced; otherwise it is added as the
//! last member of `additionalData` (created as the item's last member when absent).

use crate::json::{parse, Dialect, Kind, Node, Tape, Value};

use super::super::adyen::{item_of, signed_parts, STACK_NODES, TEXT_SCRATCH};
use super::super::limits::MAX_JSON_LEN;
use super::super::mac::HmacKey;
use super::{mac_tag, need, Encoding, SignError, B64_LEN};

/// The most bytes signing adds: `,"additionalData":{"hmacSignature":"<44>"}`.
const MAX_GROWTH: usize = r#","additionalData":{"hmacSignature":""}"#.len() + B64_LEN;

pub(super) const fn output_len_upper(body: &[u8]) -> usize {
    body.len() + MAX_GROWTH
}

/// Writes the signed item into `out`; returns its length.
pub(super) fn sign(key: &HmacKey, body: &[u8], out: &mut [u8]) -> Result<usize, SignError> {
    if body.len() > MAX_JSON_LEN {
        return Err(SignError::TooLarge);
    }
    let mut nodes = [Node::default(); STACK_NODES];
    let mut tape = Tape::from_slice(&mut nodes);
    match parse(body, Dialect::Js, &mut tape) {
        Ok(doc) => sign_item(key, body, doc.root(), out),
        Err(crate::json::Error::ScratchTooSmall { .. }) => sign_with_heap_tape(key, body, out),
        Err(_) => Err(SignError::MalformedBody),
    }
}

#[cfg(feature = "alloc")]
fn sign_with_heap_tape(key: &HmacKey, body: &[u8], out: &mut [u8]) -> Result<usize, SignError> {
    let mut tape = Tape::with_capacity_for(body.len());
    let doc = parse(body, Dialect::Js, &mut tape).map_err(|_| SignError::MalformedBody)?;
    sign_item(key, body, doc.root(), out)
}

#[cfg(not(feature = "alloc"))]
fn sign_with_heap_tape(_: &HmacKey, _: &[u8], _: &mut [u8]) -> Result<usize, SignError> {
    Err(SignError::TooLarge)
}

fn sign_item(key: &HmacKey, body: &[u8], root: Value<'_>, out: &mut [u8]) -> Result<usize, SignError> {
    let item = item_of(root)?;
    let mut scratch = [0u8; TEXT_SCRATCH];
    let parts = signed_parts(item, &mut scratch)?;
    let mut joined: [&[u8]; 15] = [b":"; 15];
    for (i, part) in parts.iter().enumerate() {
        joined[2 * i] = part;
    }
    let mut sig = [0u8; B64_LEN];
    Encoding::Base64.write(&mac_tag(key, &joined), &mut sig)?;

    // Where the signature goes: (range of `body` replaced, text before, after the signature).
    let (range, before, after): (core::ops::Range<usize>, &[u8], &[u8]) = match item.get("additionalData") {
        Some(data) if data.kind() == Kind::Object => match data.get("hmacSignature") {
            Some(old) if old.kind() == Kind::String => (old.source_range(), b"", b""),
            Some(old) if matches!(old.kind(), Kind::Array | Kind::Object) => return Err(SignError::MalformedBody),
            // A number or literal: replaced by the string.
            Some(old) => (old.source_range(), b"\"", b"\""),
            None => insert_before_close(data, br#""hmacSignature":""#, br#","hmacSignature":""#, b"\""),
        },
        Some(_) => return Err(SignError::MalformedBody),
        None => insert_before_close(
            item,
            br#""additionalData":{"hmacSignature":""#,
            br#","additionalData":{"hmacSignature":""#,
            b"\"}",
        ),
    };
    let len = body.len() - range.len() + before.len() + B64_LEN + after.len();
    if len > MAX_JSON_LEN {
        return Err(SignError::TooLarge);
    }
    need(out, len)?;
    let mut at = 0;
    for piece in [&body[..range.start], before, &sig, after, &body[range.end..]] {
        out[at..at + piece.len()].copy_from_slice(piece);
        at += piece.len();
    }
    Ok(at)
}

/// An insertion as the last member of `object`, before its closing bracket: `first` when it
/// is empty, `later` (with a leading comma) when it has members.
fn insert_before_close(
    object: Value<'_>,
    first: &'static [u8],
    later: &'static [u8],
    after: &'static [u8],
) -> (core::ops::Range<usize>, &'static [u8], &'static [u8]) {
    let close = object.source_range().start;
    (close..close, if object.is_empty() { first } else { later }, after)
}
