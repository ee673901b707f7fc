//! A small, bounded XML reader for Spreedly's `<transaction>` callbacks (XML 1.0 §2–§4, the
//! subset those documents use): elements, attributes, text, the five predefined entities and
//! character references, comments, processing instructions and the XML declaration.
//!
//! A document type declaration is rejected (so no entity can be defined, let alone expanded)
//! and so is CDATA. Work is linear in the input, the input is capped at
//! [`MAX_XML_LEN`] and nesting at
//! [`MAX_XML_DEPTH`]. Nothing is allocated: events borrow the
//! input, and text is decoded piecewise into a callback.

use super::limits::{MAX_XML_DEPTH, MAX_XML_LEN};
use super::Error;

const MALFORMED: Error = Error::MalformedBody;

/// One step through the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Event<'a> {
    /// `<name attrs>` or, with `empty`, `<name attrs/>`.
    Start { name: &'a [u8], attrs: &'a [u8], empty: bool },
    /// `</name>`.
    End,
    /// Character data inside the root element, raw (references validated, not decoded).
    Text(&'a [u8]),
    /// A comment or processing instruction.
    Other,
}

/// A pull reader that checks well-formedness as it goes.
pub(crate) struct Reader<'a> {
    src: &'a [u8],
    pos: usize,
    open: [&'a [u8]; MAX_XML_DEPTH],
    depth: usize,
    root_closed: bool,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(src: &'a [u8]) -> Result<Self, Error> {
        if src.len() > MAX_XML_LEN {
            return Err(Error::TooLarge);
        }
        Ok(Self { src, pos: 0, open: [&[]; MAX_XML_DEPTH], depth: 0, root_closed: false })
    }

    /// Elements currently open.
    pub(crate) const fn depth(&self) -> usize {
        self.depth
    }

    /// Bytes of the input consumed so far: where the next event starts.
    pub(crate) const fn offset(&self) -> usize {
        self.pos
    }

    /// The next event; `Ok(None)` once the document is complete.
    pub(crate) fn next(&mut self) -> Result<Option<Event<'a>>, Error> {
        loop {
            let rest = &self.src[self.pos..];
            if rest.is_empty() {
                return if self.root_closed { Ok(None) } else { Err(MALFORMED) };
            }
            if rest[0] != b'<' {
                let len = rest.iter().position(|&b| b == b'<').unwrap_or(rest.len());
                let text = &rest[..len];
                self.pos += len;
                if self.depth == 0 {
                    if !text.iter().all(|&b| is_space(b)) {
                        return Err(MALFORMED);
                    }
                    continue;
                }
                decode_text(text, &mut |_| {})?;
                return Ok(Some(Event::Text(text)));
            }
            if let Some(body) = rest.strip_prefix(b"<!--") {
                self.pos += 4 + find(body, b"-->").ok_or(MALFORMED)? + 3;
                return Ok(Some(Event::Other));
            }
            if let Some(body) = rest.strip_prefix(b"<?") {
                self.pos += 2 + find(body, b"?>").ok_or(MALFORMED)? + 2;
                return Ok(Some(Event::Other));
            }
            if rest.starts_with(b"<!") {
                // DOCTYPE, CDATA: not part of the supported subset.
                return Err(MALFORMED);
            }
            let end = rest.iter().position(|&b| b == b'>').ok_or(MALFORMED)?;
            let tag = &rest[1..end];
            self.pos += end + 1;
            return if let Some(close) = tag.strip_prefix(b"/") {
                self.close(close.trim_ascii_end())
            } else {
                self.start(tag)
            };
        }
    }

    fn close(&mut self, name: &[u8]) -> Result<Option<Event<'a>>, Error> {
        if self.depth == 0 || self.open[self.depth - 1] != name {
            return Err(MALFORMED);
        }
        self.depth -= 1;
        self.root_closed = self.depth == 0;
        Ok(Some(Event::End))
    }

    fn start(&mut self, tag: &'a [u8]) -> Result<Option<Event<'a>>, Error> {
        if self.root_closed {
            return Err(MALFORMED);
        }
        let (tag, empty) = match tag.strip_suffix(b"/") {
            Some(t) => (t, true),
            None => (tag, false),
        };
        let name_len = tag.iter().position(|&b| is_space(b)).unwrap_or(tag.len());
        let (name, attrs) = tag.split_at(name_len);
        if !is_name(name) {
            return Err(MALFORMED);
        }
        for attr in Attributes(attrs) {
            let (_, value) = attr?;
            decode_text(value, &mut |_| {})?;
        }
        if empty {
            self.root_closed = self.depth == 0;
        } else {
            let slot = self.open.get_mut(self.depth).ok_or(Error::TooLarge)?;
            *slot = name;
            self.depth += 1;
        }
        Ok(Some(Event::Start { name, attrs, empty }))
    }
}

/// The raw value of attribute `name` in a start tag's attribute text.
pub(crate) fn attribute<'a>(attrs: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    Attributes(attrs).filter_map(Result::ok).find(|(n, _)| *n == name).map(|(_, v)| v)
}

/// `name="value"` pairs (either quote), separated by whitespace.
struct Attributes<'a>(&'a [u8]);

impl<'a> Iterator for Attributes<'a> {
    type Item = Result<(&'a [u8], &'a [u8]), Error>;

    fn next(&mut self) -> Option<Self::Item> {
        let rest = self.0.trim_ascii_start();
        if rest.is_empty() {
            return None;
        }
        let parsed = (|| {
            let eq = rest.iter().position(|&b| b == b'=').ok_or(MALFORMED)?;
            let name = rest[..eq].trim_ascii_end();
            if !is_name(name) {
                return Err(MALFORMED);
            }
            let after = rest[eq + 1..].trim_ascii_start();
            let quote = *after.first().ok_or(MALFORMED)?;
            if quote != b'"' && quote != b'\'' {
                return Err(MALFORMED);
            }
            let len = after[1..].iter().position(|&b| b == quote).ok_or(MALFORMED)?;
            let value = &after[1..1 + len];
            if value.contains(&b'<') {
                return Err(MALFORMED);
            }
            let tail = &after[len + 2..];
            if tail.first().is_some_and(|&b| !is_space(b)) {
                return Err(MALFORMED);
            }
            Ok((name, value, tail))
        })();
        match parsed {
            Ok((name, value, tail)) => {
                self.0 = tail;
                Some(Ok((name, value)))
            }
            Err(e) => {
                self.0 = &[];
                Some(Err(e))
            }
        }
    }
}

/// Decodes character data: passes runs of plain bytes and the UTF-8 of each reference
/// (`&amp;` `&lt;` `&gt;` `&quot;` `&apos;` `&#N;` `&#xH;`) to `out`, in order.
pub(crate) fn decode_text(mut raw: &[u8], out: &mut impl FnMut(&[u8])) -> Result<(), Error> {
    while let Some(amp) = raw.iter().position(|&b| b == b'&') {
        if amp > 0 {
            out(&raw[..amp]);
        }
        let after = &raw[amp + 1..];
        let semi = after.iter().take(12).position(|&b| b == b';').ok_or(MALFORMED)?;
        let mut utf8 = [0u8; 4];
        let decoded: &[u8] = match &after[..semi] {
            b"amp" => b"&",
            b"lt" => b"<",
            b"gt" => b">",
            b"quot" => b"\"",
            b"apos" => b"'",
            reference => {
                let c = char_reference(reference).ok_or(MALFORMED)?;
                c.encode_utf8(&mut utf8).as_bytes()
            }
        };
        out(decoded);
        raw = &after[semi + 1..];
    }
    if !raw.is_empty() {
        out(raw);
    }
    Ok(())
}

/// `#N` or `#xH` naming a character XML allows (XML 1.0 §2.2, §4.1).
fn char_reference(r: &[u8]) -> Option<char> {
    let digits = r.strip_prefix(b"#")?;
    let (digits, radix) = match digits.strip_prefix(b"x") {
        Some(hex) => (hex, 16),
        None => (digits, 10),
    };
    if digits.is_empty() || digits.len() > 8 {
        return None;
    }
    let mut v: u32 = 0;
    for &d in digits {
        v = v * radix + char::from(d).to_digit(radix)?;
    }
    let c = char::from_u32(v)?;
    let allowed = matches!(v, 0x9 | 0xA | 0xD | 0x20..=0xD7FF | 0xE000..=0xFFFD | 0x1_0000..);
    allowed.then_some(c)
}

const fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// A plausible XML name: non-empty, no markup or quote characters, no whitespace.
fn is_name(n: &[u8]) -> bool {
    !n.is_empty()
        && !n[0].is_ascii_digit()
        && !matches!(n[0], b'-' | b'.')
        && n.iter()
            .all(|&b| !is_space(b) && !matches!(b, b'<' | b'>' | b'&' | b'"' | b'\'' | b'=' | b'/' | b'!' | b'?'))
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(doc: &str) -> Result<usize, Error> {
        let mut r = Reader::new(doc.as_bytes())?;
        let mut n = 0;
        while r.next()?.is_some() {
            n += 1;
        }
        Ok(n)
    }

    fn decoded(raw: &str) -> Result<alloc::vec::Vec<u8>, Error> {
        let mut v = alloc::vec::Vec::new();
        decode_text(raw.as_bytes(), &mut |b| v.extend_from_slice(b))?;
        Ok(v)
    }

    #[test]
    fn well_formed_documents() {
        assert_eq!(events("<?xml version=\"1.0\"?>\n<a x='1'><b nil=\"true\"/><c>t&amp;</c><!-- c --></a>\n"), Ok(8));
        assert_eq!(events("<a/>"), Ok(1));
        assert_eq!(decoded("a&lt;b&gt;&quot;&apos;&#65;&#x1F600;"), Ok("a<b>\"'A\u{1F600}".into()));
    }

    #[test]
    fn malformed_documents() {
        for doc in [
            "",
            "<a>",
            "<a></b>",
            "<a/><b/>",
            "x<a/>",
            "<a>&bogus;</a>",
            "<a>&#0;</a>",
            "<a>&#xD800;</a>",
            "<a>&amp</a>",
            "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
            "<a><![CDATA[x]]></a>",
            "<a b=c/>",
            "<a b=\"<\"/>",
            "<a b=\"1\"c=\"2\"/>",
            "<a><!-- open </a>",
            "<1a/>",
        ] {
            assert_eq!(events(doc), Err(Error::MalformedBody), "{doc}");
        }
    }

    #[test]
    fn depth_and_size_are_capped() {
        let deep = "<a>".repeat(MAX_XML_DEPTH + 1);
        assert_eq!(events(&deep), Err(Error::TooLarge));
        let big = alloc::vec![b' '; MAX_XML_LEN + 1];
        assert_eq!(Reader::new(&big).err(), Some(Error::TooLarge));
    }

    #[test]
    fn attribute_lookup() {
        assert_eq!(attribute(b" nil=\"true\" x='y'", b"x"), Some(&b"y"[..]));
        assert_eq!(attribute(b" nil=\"true\"", b"none"), None);
    }
}
