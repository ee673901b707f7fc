//! Spreedly callbacks: a `<transaction>` document carrying
//! `<signed><signature/><fields/><algorithm/></signed>`. The signed string is the text of each
//! field listed in `<fields>` (space-separated names of direct children of `<transaction>`),
//! entity-decoded, `nil="true"` as empty, joined by `|`; the signature is hex
//! HMAC-`<algorithm>` (sha1, sha256 or sha512) of it.
//!
//! Only the listed fields are authenticated: anything else in the document is not, and a
//! caller must read nothing else from it. A listed field that is absent, repeated or has
//! element content is [`Error::MalformedBody`].

use super::limits::{MAX_SPREEDLY_FIELDS, MAX_XML_CHILDREN};
use super::sig::{verify_any, Candidate};
use super::xml::{attribute, decode_text, Event, Reader};
use super::{Error, KeySet};
use crate::mac::Algorithm;
use crate::sink::{Sink, SliceSink};

const MALFORMED: Error = Error::MalformedBody;

/// A direct child of `<transaction>`.
#[derive(Clone, Copy)]
struct Child<'a> {
    name: &'a [u8],
    /// [`name_hash`] of `name`: most comparisons stop at it.
    hash: u64,
    nil: bool,
    /// Raw text content; `None` when the element has element (or comment) content.
    text: Option<&'a [u8]>,
}

/// The parts of `<signed>`, raw.
#[derive(Default)]
struct Signed<'a> {
    signature: Option<&'a [u8]>,
    fields: Option<&'a [u8]>,
    algorithm: Option<&'a [u8]>,
}

pub(crate) fn verify(keys: &KeySet, body: &[u8]) -> Result<(), Error> {
    let mut children = [Child { name: &[], hash: 0, nil: false, text: None }; MAX_XML_CHILDREN];
    let mut count = 0;
    let mut signed = None;
    let mut r = Reader::new(body)?;
    loop {
        let depth = r.depth();
        let Some(event) = r.next()? else { break };
        let Event::Start { name, attrs, empty } = event else { continue };
        match depth {
            0 if name == b"transaction" => {}
            1 if name == b"signed" && !empty && signed.is_none() => signed = Some(read_signed(&mut r)?),
            1 if name != b"signed" => {
                let text = if empty { Some(&b""[..]) } else { simple_content(&mut r)? };
                let slot = children.get_mut(count).ok_or(Error::TooLarge)?;
                *slot = Child { name, hash: name_hash(name), nil: attribute(attrs, b"nil") == Some(b"true"), text };
                count += 1;
            }
            _ => return Err(MALFORMED),
        }
    }
    let children = &children[..count];
    let signed = signed.ok_or(MALFORMED)?;

    let mut buf = [0u8; 256];
    let signature = decode_small(signed.signature.ok_or(MALFORMED)?, &mut buf)?;
    let candidate = Candidate::hex(signature, "").map_err(|_| MALFORMED)?;

    let mut buf = [0u8; 16];
    let algorithm = match decode_small(signed.algorithm.ok_or(MALFORMED)?, &mut buf)? {
        b"sha1" => Algorithm::Sha1,
        b"sha256" => Algorithm::Sha256,
        b"sha512" => Algorithm::Sha512,
        _ => return Err(MALFORMED),
    };

    let mut buf = [0u8; 4096];
    let names = decode_small(signed.fields.ok_or(MALFORMED)?, &mut buf)?;
    let mut listed = [Child { name: &[], hash: 0, nil: false, text: None }; MAX_SPREEDLY_FIELDS];
    let mut n = 0;
    for name in names.split(|&b| b.is_ascii_whitespace()).filter(|s| !s.is_empty()) {
        let hash = name_hash(name);
        let mut found = children.iter().filter(|c| c.hash == hash && c.name == name);
        let child = *found.next().ok_or(MALFORMED)?;
        if found.next().is_some() || (child.text.is_none() && !child.nil) {
            return Err(MALFORMED);
        }
        *listed.get_mut(n).ok_or(Error::TooLarge)? = child;
        n += 1;
    }
    if n == 0 {
        return Err(MALFORMED);
    }
    let listed = &listed[..n];

    verify_any(keys.spreedly(algorithm), core::slice::from_ref(&candidate), |mac| {
        for (i, field) in listed.iter().enumerate() {
            if i > 0 {
                mac.write(b"|");
            }
            if let (false, Some(text)) = (field.nil, field.text) {
                decode_text(text, &mut |chunk| mac.write(chunk))?;
            }
        }
        Ok(())
    })
}

/// FNV-1a, to compare names by one integer first (every listed field is looked up among all
/// children, and duplicates are looked for too).
fn name_hash(name: &[u8]) -> u64 {
    name.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// Reads `<signed>`'s children up to `</signed>`.
fn read_signed<'a>(r: &mut Reader<'a>) -> Result<Signed<'a>, Error> {
    let depth = r.depth();
    let mut s = Signed::default();
    loop {
        match r.next()?.ok_or(MALFORMED)? {
            Event::End if r.depth() < depth => return Ok(s),
            Event::Start { name, empty, .. } => {
                let text = if empty { Some(&b""[..]) } else { simple_content(r)? };
                let slot = match name {
                    b"signature" => &mut s.signature,
                    b"fields" => &mut s.fields,
                    b"algorithm" => &mut s.algorithm,
                    _ => continue,
                };
                if slot.is_some() {
                    return Err(MALFORMED);
                }
                *slot = Some(text.ok_or(MALFORMED)?);
            }
            _ => {}
        }
    }
}

/// Reads the content of the element just opened, through its end tag: the raw text when it
/// is text only, `None` when it holds elements, comments or instructions.
pub(crate) fn simple_content<'a>(r: &mut Reader<'a>) -> Result<Option<&'a [u8]>, Error> {
    let depth = r.depth();
    let mut text = Some(&b""[..]);
    loop {
        match r.next()?.ok_or(MALFORMED)? {
            Event::End if r.depth() < depth => return Ok(text),
            Event::Text(t) if r.depth() == depth && text == Some(b"") => text = Some(t),
            _ => text = None,
        }
    }
}

/// Entity-decodes a short value into `buf` and trims surrounding whitespace.
fn decode_small<'b>(raw: &[u8], buf: &'b mut [u8]) -> Result<&'b [u8], Error> {
    let mut sink = SliceSink::new(buf);
    decode_text(raw, &mut |chunk| sink.write(chunk))?;
    let n = sink.finish().map_err(|_| Error::TooLarge)?;
    Ok(buf[..n].trim_ascii())
}
