//! Spreedly: the `<transaction>` document given, with a `<signed>` block
//! (`<signature>`, `<fields>`, `<algorithm>`) for the listed fields: the hex HMAC-`algorithm`
//! of each field's entity-decoded text (`nil="true"` as empty), joined by `|`, exactly as the
//! verifier reads it. An existing `<signed>` element is replaced; otherwise the block is added
//! as the last child of `<transaction>`. Nothing else of the document is touched.

use super::super::limits::{MAX_SPREEDLY_FIELDS, MAX_XML_CHILDREN, MAX_XML_LEN};
use super::super::mac::{Algorithm, MAX_OUTPUT};
use super::super::spreedly::simple_content;
use super::super::xml::{attribute, decode_text, Event, Reader};
use super::super::KeySet;
use super::{need, Encoding, SignError, SignOptions};

/// The longest `<fields>` text the verifier reads.
const MAX_FIELDS_TEXT: usize = 4096;

const OPEN: &[u8] = b"<signed><signature>";
const MID: &[u8] = b"</signature><fields>";
const ALG: &[u8] = b"</fields><algorithm>";
const CLOSE: &[u8] = b"</algorithm></signed>";

/// A direct child of `<transaction>`.
#[derive(Clone, Copy)]
struct Child<'a> {
    name: &'a [u8],
    nil: bool,
    /// Raw text; `None` when the element has element content.
    text: Option<&'a [u8]>,
}

impl Child<'_> {
    const fn signable(&self) -> bool {
        self.nil || self.text.is_some()
    }
}

fn algorithm(opts: &SignOptions<'_>) -> Result<(Algorithm, &'static str), SignError> {
    match opts.algorithm.unwrap_or("sha256") {
        "sha1" => Ok((Algorithm::Sha1, "sha1")),
        "sha256" => Ok((Algorithm::Sha256, "sha256")),
        "sha512" => Ok((Algorithm::Sha512, "sha512")),
        _ => Err(SignError::InvalidArgument { name: "algorithm" }),
    }
}

pub(super) fn output_len_upper(body: &[u8], opts: &SignOptions<'_>) -> usize {
    let fields = opts.fields.map_or(body.len(), str::len);
    body.len() + OPEN.len() + 2 * MAX_OUTPUT + MID.len() + fields + ALG.len() + 6 + CLOSE.len()
}

pub(super) fn sign<'a>(
    keys: &KeySet,
    body: &'a [u8],
    opts: &SignOptions<'_>,
    out: &mut [u8],
) -> Result<usize, SignError> {
    let (alg, alg_name) = algorithm(opts)?;
    let key = keys.spreedly(alg).next().ok_or(SignError::InvalidArgument { name: "keys" })?;

    let mut children: [Child<'a>; MAX_XML_CHILDREN] = [Child { name: &[], nil: false, text: None }; MAX_XML_CHILDREN];
    let mut count = 0;
    let mut signed_span = None;
    let mut close = None;
    let mut r = Reader::new(body)?;
    loop {
        let depth = r.depth();
        let at = r.offset();
        let Some(event) = r.next()? else { break };
        match (depth, event) {
            (0, Event::Start { name: b"transaction", empty: false, .. }) => {}
            (1, Event::Start { name: b"signed", empty, .. }) if signed_span.is_none() => {
                if !empty {
                    simple_content(&mut r)?;
                }
                signed_span = Some(at..r.offset());
            }
            (1, Event::Start { name: b"signed", .. }) => return Err(SignError::MalformedBody),
            (1, Event::Start { name, attrs, empty }) => {
                let text = if empty { Some(&b""[..]) } else { simple_content(&mut r)? };
                let slot = children.get_mut(count).ok_or(SignError::TooLarge)?;
                *slot = Child { name, nil: attribute(attrs, b"nil") == Some(b"true"), text };
                count += 1;
            }
            (1, Event::End) => close = Some(at),
            (1, Event::Text(_) | Event::Other) | (0, Event::Other) => {}
            _ => return Err(SignError::MalformedBody),
        }
    }
    let children = &children[..count];
    let at = signed_span.unwrap_or_else(|| close.map_or(0..0, |c| c..c));
    if close.is_none() {
        return Err(SignError::MalformedBody);
    }

    // The fields to sign, as the verifier will look them up: each name exactly one child with
    // text content (or nil).
    let mut listed: [Child<'a>; MAX_SPREEDLY_FIELDS] =
        [Child { name: &[], nil: false, text: None }; MAX_SPREEDLY_FIELDS];
    let mut n = 0;
    let mut names_len = 0;
    let mut add = |child: Child<'a>, listed: &mut [Child<'a>]| -> Result<(), SignError> {
        *listed.get_mut(n).ok_or(SignError::TooLarge)? = child;
        n += 1;
        names_len += child.name.len() + usize::from(n > 1);
        Ok(())
    };
    let bad_fields = SignError::InvalidArgument { name: "fields" };
    match opts.fields {
        Some(names) => {
            for name in names.as_bytes().split(u8::is_ascii_whitespace).filter(|s| !s.is_empty()) {
                let mut found = children.iter().filter(|c| c.name == name);
                let child = *found.next().ok_or(bad_fields)?;
                if found.next().is_some() || !child.signable() {
                    return Err(bad_fields);
                }
                add(child, &mut listed)?;
            }
        }
        None => {
            for (i, child) in children.iter().enumerate().filter(|(_, c)| c.signable()) {
                if children[..i].iter().chain(&children[i + 1..]).any(|c| c.name == child.name) {
                    // A repeated name cannot be listed: the verifier would not know which.
                    return Err(SignError::MalformedBody);
                }
                add(*child, &mut listed)?;
            }
        }
    }
    let listed = &listed[..n];
    if listed.is_empty() {
        return Err(if opts.fields.is_some() { bad_fields } else { SignError::MalformedBody });
    }
    if names_len > MAX_FIELDS_TEXT {
        return Err(SignError::TooLarge);
    }

    let mut mac = key.start();
    for (i, field) in listed.iter().enumerate() {
        if i > 0 {
            mac.update(b"|");
        }
        if let (false, Some(text)) = (field.nil, field.text) {
            decode_text(text, &mut |chunk| mac.update(chunk))?;
        }
    }
    let mut tag = [0u8; MAX_OUTPUT];
    let tag_len = mac.finish(&mut tag);

    let block = OPEN.len() + 2 * tag_len + MID.len() + names_len + ALG.len() + alg_name.len() + CLOSE.len();
    let len = body.len() - at.len() + block;
    if len > MAX_XML_LEN {
        return Err(SignError::TooLarge);
    }
    need(out, len)?;
    let mut w = Cursor { out, at: 0 };
    w.put(&body[..at.start]);
    w.put(OPEN);
    w.at += Encoding::Hex.write(&tag[..tag_len], &mut w.out[w.at..w.at + 2 * tag_len])?;
    w.put(MID);
    for (i, field) in listed.iter().enumerate() {
        if i > 0 {
            w.put(b" ");
        }
        w.put(field.name);
    }
    w.put(ALG);
    w.put(alg_name.as_bytes());
    w.put(CLOSE);
    w.put(&body[at.end..]);
    Ok(w.at)
}

/// Appends to a buffer already checked to be large enough.
struct Cursor<'o> {
    out: &'o mut [u8],
    at: usize,
}

impl Cursor<'_> {
    fn put(&mut self, bytes: &[u8]) {
        self.out[self.at..self.at + bytes.len()].copy_from_slice(bytes);
        self.at += bytes.len();
    }
}
