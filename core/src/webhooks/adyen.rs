//! Adyen: one `NotificationRequestItem` (JSON), HMAC-SHA256 keyed by the hex key from the
//! Customer Area over
//! `pspReference:originalReference:merchantAccountCode:merchantReference:value:currency:eventCode:success`
//! (Adyen, "Verify HMAC signatures"), compared with the base64 `additionalData.hmacSignature`.
//!
//! The item is parsed with payseal's own JSON engine, which rejects duplicate keys (a second
//! `value` could otherwise be signed while the first is acted on) and invalid UTF-8. Absent
//! fields (or `null`) sign as empty text; strings sign decoded, without escaping; `value` signs
//! as its JSON number text; `success` as `true`/`false` (string or boolean). The item may also
//! be wrapped as `{"NotificationRequestItem": {...}}`.

use crate::json::{parse, Dialect, Kind, Node, Tape, Value};

use super::limits::MAX_JSON_LEN;
use super::sig::{verify_any, Candidate};
use super::{Error, KeySet};

const MALFORMED: Error = Error::MalformedBody;

/// Tape entries on the stack: enough for any ordinary item, so verifying allocates nothing.
pub(crate) const STACK_NODES: usize = 512;

/// Room for the decoded text of the string fields (they are short identifiers).
pub(crate) const TEXT_SCRATCH: usize = 2048;

pub(crate) fn verify(keys: &KeySet, body: &[u8]) -> Result<(), Error> {
    if body.len() > MAX_JSON_LEN {
        return Err(Error::TooLarge);
    }
    let mut nodes = [Node::default(); STACK_NODES];
    let mut tape = Tape::from_slice(&mut nodes);
    match parse(body, Dialect::Js, &mut tape) {
        Ok(doc) => verify_item(keys, doc.root()),
        Err(crate::json::Error::ScratchTooSmall { .. }) => verify_with_heap_tape(keys, body),
        Err(_) => Err(MALFORMED),
    }
}

#[cfg(feature = "alloc")]
fn verify_with_heap_tape(keys: &KeySet, body: &[u8]) -> Result<(), Error> {
    let mut tape = Tape::with_capacity_for(body.len());
    let doc = parse(body, Dialect::Js, &mut tape).map_err(|_| MALFORMED)?;
    verify_item(keys, doc.root())
}

#[cfg(not(feature = "alloc"))]
fn verify_with_heap_tape(_: &KeySet, _: &[u8]) -> Result<(), Error> {
    Err(Error::TooLarge)
}

fn verify_item(keys: &KeySet, root: Value<'_>) -> Result<(), Error> {
    let item = item_of(root)?;
    let signature =
        item.get("additionalData").and_then(|a| a.get("hmacSignature")).and_then(|s| s.as_str()).ok_or(MALFORMED)?;
    let candidate = Candidate::base64(signature.as_bytes(), "").map_err(|_| MALFORMED)?;
    let mut scratch = [0u8; TEXT_SCRATCH];
    let parts = signed_parts(item, &mut scratch)?;
    verify_any(keys.hmac_sha256(), core::slice::from_ref(&candidate), |mac| {
        for (i, part) in parts.iter().enumerate() {
            if i > 0 {
                mac.write(b":");
            }
            mac.write(part);
        }
        Ok(())
    })
}

/// The item in `root`: `root` itself, or the object wrapped as
/// `{"NotificationRequestItem": {...}}`.
pub(crate) fn item_of(root: Value<'_>) -> Result<Value<'_>, Error> {
    if root.kind() != Kind::Object {
        return Err(MALFORMED);
    }
    Ok(match root.get("NotificationRequestItem") {
        Some(inner) if root.len() == 1 && inner.kind() == Kind::Object => inner,
        _ => root,
    })
}

/// The eight signed fields of `item`, in order (the signer and the verifier share this, so
/// they read an item the same way); decoded string text goes into `scratch`.
pub(crate) fn signed_parts<'a: 's, 's>(
    item: Value<'a>,
    scratch: &'s mut [u8; TEXT_SCRATCH],
) -> Result<[&'s [u8]; 8], Error> {
    let amount = item.get("amount");
    let mut used = 0;
    let mut ranges = [(0usize, 0usize); 6];
    let strings = [
        item.get("pspReference"),
        item.get("originalReference"),
        item.get("merchantAccountCode"),
        item.get("merchantReference"),
        amount.and_then(|a| a.get("currency")),
        item.get("eventCode"),
    ];
    for (range, value) in ranges.iter_mut().zip(strings) {
        let n = match value {
            None => 0,
            Some(v) if v.kind() == Kind::Null => 0,
            Some(v) => v.decode_str(&mut scratch[used..]).ok_or(MALFORMED)?.map_err(|_| Error::TooLarge)?,
        };
        *range = (used, used + n);
        used += n;
    }
    let value = match amount.and_then(|a| a.get("value")) {
        None => &b""[..],
        Some(v) if v.kind() == Kind::Null => b"",
        Some(v) if v.kind() == Kind::Number => v.raw().ok_or(MALFORMED)?,
        Some(_) => return Err(MALFORMED),
    };
    let success: &[u8] = match item.get("success") {
        None => b"",
        Some(v) if v.kind() == Kind::Null => b"",
        Some(v) if v.kind() == Kind::True || v.str_eq("true") => b"true",
        Some(v) if v.kind() == Kind::False || v.str_eq("false") => b"false",
        Some(_) => return Err(MALFORMED),
    };
    let scratch: &'s [u8] = scratch;
    let text = |i: usize| &scratch[ranges[i].0..ranges[i].1];
    Ok([text(0), text(1), text(2), text(3), value, text(4), text(5), success])
}
