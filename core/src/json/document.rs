//! Read access to a parsed document without a DOM: values are handles into the tape.

use super::emit::{self, Parsed};
use super::tape::{flag, next_sibling, Kind, Node};
use super::{number, strings, Dialect, Error};
use crate::sink::SliceSink;
use crate::Sink;

/// A validated document: the input and its tape. Cheap to copy.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    pub(crate) parsed: Parsed<'a>,
    pub(crate) dialect: Dialect,
}

/// A value inside a [`Document`].
#[derive(Debug, Clone, Copy)]
pub struct Value<'a> {
    doc: Document<'a>,
    index: usize,
}

/// An object member's key.
#[derive(Debug, Clone, Copy)]
pub struct Key<'a> {
    doc: Document<'a>,
    index: usize,
}

impl<'a> Document<'a> {
    /// The top-level value.
    #[must_use]
    pub fn root(&self) -> Value<'a> {
        Value { doc: *self, index: 0 }
    }

    /// The dialect the document was parsed (validated) for.
    #[must_use]
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// Writes the whole document canonically (see [`Value::emit`]).
    pub fn emit<S: Sink + ?Sized>(&self, dialect: Dialect, sink: &mut S) -> Result<(), Error> {
        self.root().emit(dialect, sink)
    }

    fn node(&self, i: usize) -> &'a Node {
        &self.parsed.nodes[i]
    }

    fn check_dialect(&self, dialect: Dialect) -> Result<(), Error> {
        match (self.dialect, dialect) {
            (Dialect::Js, Dialect::Js) | (Dialect::Php(_), Dialect::Php(_)) | (Dialect::Jcs, Dialect::Jcs) => Ok(()),
            _ => Err(Error::DialectMismatch),
        }
    }
}

fn raw_of<'a>(doc: &Document<'a>, n: &Node) -> &'a [u8] {
    &doc.parsed.input[n.start as usize..n.end as usize]
}

/// Decodes a string node into `out` (WTF-8: lone surrogates as three bytes).
fn decode_into(raw: &[u8], escaped: bool, out: &mut [u8]) -> Result<usize, Error> {
    let mut sink = SliceSink::new(out);
    if escaped {
        for piece in strings::Pieces::new(raw) {
            match piece {
                strings::Piece::Run(r) => sink.write(r),
                strings::Piece::Char(c) => {
                    let mut buf = [0u8; 4];
                    sink.write(strings::encode_wtf8(c, &mut buf));
                }
            }
        }
    } else {
        sink.write(raw);
    }
    sink.finish().map_err(|e| Error::BufferTooSmall { needed: e.needed })
}

fn str_eq(raw: &[u8], escaped: bool, s: &str) -> bool {
    if escaped {
        strings::decoded_eq(raw, true, s.as_bytes(), false)
    } else {
        raw == s.as_bytes()
    }
}

impl<'a> Key<'a> {
    /// True when the decoded key equals `s`.
    #[must_use]
    pub fn str_eq(&self, s: &str) -> bool {
        let n = self.doc.node(self.index);
        str_eq(raw_of(&self.doc, n), n.flags & flag::ESCAPED != 0, s)
    }

    /// The key as written between the quotes (escapes not decoded).
    #[must_use]
    pub fn raw(&self) -> &'a [u8] {
        raw_of(&self.doc, self.doc.node(self.index))
    }

    /// The key without copying, when it has no escapes.
    #[must_use]
    pub fn as_str(&self) -> Option<&'a str> {
        let n = self.doc.node(self.index);
        if n.flags & flag::ESCAPED != 0 {
            return None;
        }
        core::str::from_utf8(self.raw()).ok()
    }

    /// Decodes the key into `out`; returns its length.
    pub fn decode(&self, out: &mut [u8]) -> Result<usize, Error> {
        let n = self.doc.node(self.index);
        decode_into(self.raw(), n.flags & flag::ESCAPED != 0, out)
    }

    /// Writes the key as a canonical JSON string.
    pub fn emit<S: Sink + ?Sized>(&self, dialect: Dialect, sink: &mut S) -> Result<(), Error> {
        self.doc.check_dialect(dialect)?;
        emit::string(&self.doc.parsed, self.doc.node(self.index), dialect, sink);
        Ok(())
    }

    /// Orders two keys by the UTF-16 code units of their decoded text (RFC 8785's member
    /// order).
    fn utf16_cmp(&self, other: &Key<'_>) -> core::cmp::Ordering {
        let (a, b) = (self.doc.node(self.index), other.doc.node(other.index));
        strings::utf16_cmp(self.raw(), a.flags & flag::ESCAPED != 0, other.raw(), b.flags & flag::ESCAPED != 0)
    }

    /// The key's array-index value ("0".."4294967294"), if it is one.
    #[must_use]
    pub fn array_index(&self) -> Option<u32> {
        let n = self.doc.node(self.index);
        (n.flags & flag::INDEX != 0).then_some(n.aux)
    }
}

impl<'a> Value<'a> {
    /// The value's source span when it prints exactly as written in `dialect` (JavaScript, or
    /// PHP with default flags): the bytes the emitter would copy. `None` otherwise.
    pub(crate) fn verbatim_span(&self, dialect: Dialect) -> Option<core::ops::Range<usize>> {
        let n = self.node();
        let (container, string) = match dialect {
            Dialect::Js | Dialect::Jcs => (flag::VERB_JS, flag::JS_DIFF),
            Dialect::Php(php) if !php.unescaped_slashes && !php.unescaped_unicode => {
                (flag::VERB_PHP, flag::PHP_DIFF | flag::SLASH | flag::NON_ASCII)
            }
            Dialect::Php(_) => return None,
        };
        let (start, end) = (n.start as usize, n.end as usize);
        match n.kind {
            Kind::Array | Kind::Object => (n.flags & container != 0).then(|| start..n.close as usize + 1),
            Kind::String => (n.flags & string == 0).then(|| start - 1..end + 1),
            Kind::Number => (n.flags & flag::NUM_VERBATIM != 0).then_some(start..end),
            Kind::Null | Kind::True | Kind::False => Some(start..end),
        }
    }

    /// Where the value sits in the input: a string's text between its quotes, a number's or
    /// literal's text, an array's or object's closing bracket (one byte). For splicing a
    /// document without re-serialising it (the Adyen signer).
    pub(crate) fn source_range(&self) -> core::ops::Range<usize> {
        let n = self.node();
        match n.kind {
            Kind::Array | Kind::Object => n.close as usize..n.close as usize + 1,
            _ => n.start as usize..n.end as usize,
        }
    }

    /// The value's kind.
    #[must_use]
    pub fn kind(&self) -> Kind {
        self.doc.node(self.index).kind
    }

    fn node(&self) -> &'a Node {
        self.doc.node(self.index)
    }

    /// The source text of a scalar (for strings: between the quotes, escapes not decoded);
    /// `None` for arrays and objects.
    #[must_use]
    pub fn raw(&self) -> Option<&'a [u8]> {
        let n = self.node();
        match n.kind {
            Kind::Array | Kind::Object => None,
            _ => Some(raw_of(&self.doc, n)),
        }
    }

    /// A string without copying, when it has no escapes.
    #[must_use]
    pub fn as_str(&self) -> Option<&'a str> {
        let n = self.node();
        if n.kind != Kind::String || n.flags & flag::ESCAPED != 0 {
            return None;
        }
        core::str::from_utf8(raw_of(&self.doc, n)).ok()
    }

    /// True when the value is a string whose decoded text equals `s`.
    #[must_use]
    pub fn str_eq(&self, s: &str) -> bool {
        let n = self.node();
        n.kind == Kind::String && str_eq(raw_of(&self.doc, n), n.flags & flag::ESCAPED != 0, s)
    }

    /// Decodes a string value into `out` (WTF-8); `None` if the value is not a string.
    pub fn decode_str(&self, out: &mut [u8]) -> Option<Result<usize, Error>> {
        let n = self.node();
        (n.kind == Kind::String).then(|| decode_into(raw_of(&self.doc, n), n.flags & flag::ESCAPED != 0, out))
    }

    /// A number as the nearest double.
    #[must_use]
    pub fn as_f64(&self) -> Option<f64> {
        let n = self.node();
        (n.kind == Kind::Number).then(|| number::parse_f64(raw_of(&self.doc, n)))
    }

    /// An integer literal (no fraction or exponent) that fits in `i64`.
    #[must_use]
    pub fn as_i64(&self) -> Option<i64> {
        let n = self.node();
        if n.kind != Kind::Number || n.flags & flag::INT == 0 {
            return None;
        }
        core::str::from_utf8(raw_of(&self.doc, n)).ok()?.parse().ok()
    }

    /// `Some(b)` for `true`/`false`.
    #[must_use]
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind() {
            Kind::True => Some(true),
            Kind::False => Some(false),
            _ => None,
        }
    }

    /// Members of an object or elements of an array.
    #[must_use]
    pub fn len(&self) -> usize {
        match self.kind() {
            Kind::Array | Kind::Object => self.node().end as usize,
            _ => 0,
        }
    }

    /// True for an empty container or a scalar.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// An object's members in document order (empty for other kinds).
    #[must_use]
    pub fn members(&self) -> Members<'a> {
        let n = self.node();
        let (next, end) = if n.kind == Kind::Object { (self.index + 1, n.aux as usize) } else { (0, 0) };
        Members { doc: self.doc, next, end }
    }

    /// An array's elements (empty for other kinds).
    #[must_use]
    pub fn elements(&self) -> Elements<'a> {
        let n = self.node();
        let (next, end) = if n.kind == Kind::Array { (self.index + 1, n.aux as usize) } else { (0, 0) };
        Elements { doc: self.doc, next, end }
    }

    /// The value of an object's member whose decoded key is `key`.
    #[must_use]
    pub fn get(&self, key: &str) -> Option<Value<'a>> {
        self.members().find(|(k, _)| k.str_eq(key)).map(|(_, v)| v)
    }

    /// Writes this value canonically in `dialect`, which must be of the family the document
    /// was parsed for (PHP flags may differ).
    pub fn emit<S: Sink + ?Sized>(&self, dialect: Dialect, sink: &mut S) -> Result<(), Error> {
        self.doc.check_dialect(dialect)?;
        emit::value(&self.doc.parsed, self.index, dialect, sink);
        Ok(())
    }
}

/// Iterator over an object's members.
#[derive(Debug, Clone)]
pub struct Members<'a> {
    doc: Document<'a>,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Members<'a> {
    type Item = (Key<'a>, Value<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let key = self.next;
        self.next = next_sibling(self.doc.parsed.nodes, key + 1);
        Some((Key { doc: self.doc, index: key }, Value { doc: self.doc, index: key + 1 }))
    }
}

/// Iterator over an array's elements.
#[derive(Debug, Clone)]
pub struct Elements<'a> {
    doc: Document<'a>,
    next: usize,
    end: usize,
}

impl<'a> Iterator for Elements<'a> {
    type Item = Value<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.end {
            return None;
        }
        let v = self.next;
        self.next = next_sibling(self.doc.parsed.nodes, v);
        Some(Value { doc: self.doc, index: v })
    }
}

/// Writes selected members as one object, the way the dialect prints an associative array
/// built from them: PHP prints a list when the keys are exactly "0".."n-1" in order (and `[]`
/// when there are none); JavaScript puts array-index keys first, ascending; JCS sorts every
/// member by its name's UTF-16 code units.
///
/// Used where a provider signs a subset of a document (Paylands' `order`, `client`,
/// `extra_data`). Work is linear, plus O(k²) in the number k of selected array-index keys
/// (JCS: of selected members) when they are out of order (selections are small). The members
/// must have distinct names (a parsed object's do).
pub fn emit_members<'a, S, I>(members: I, dialect: Dialect, sink: &mut S) -> Result<(), Error>
where
    S: Sink + ?Sized,
    I: Iterator<Item = (Key<'a>, Value<'a>)> + Clone,
{
    let as_list = matches!(dialect, Dialect::Php(_))
        && members.clone().enumerate().all(|(i, (k, _))| k.array_index() == Some(i as u32));
    let write = |first: &mut bool, k: &Key<'a>, v: &Value<'a>, sink: &mut S| -> Result<(), Error> {
        if !*first {
            sink.write(b",");
        }
        *first = false;
        if !as_list {
            k.emit(dialect, sink)?;
            sink.write(b":");
        }
        v.emit(dialect, sink)
    };
    let mut first = true;
    sink.write(if as_list { b"[" } else { b"{" });
    if dialect == Dialect::Js {
        // Array-index keys ascending (selection by repeated minimum), then the rest in order.
        let mut last: Option<u32> = None;
        loop {
            let next = members
                .clone()
                .filter_map(|(k, v)| k.array_index().map(|i| (i, k, v)))
                .filter(|(i, _, _)| last.is_none_or(|l| *i > l))
                .min_by_key(|(i, _, _)| *i);
            let Some((i, k, v)) = next else { break };
            write(&mut first, &k, &v, sink)?;
            last = Some(i);
        }
        for (k, v) in members.filter(|(k, _)| k.array_index().is_none()) {
            write(&mut first, &k, &v, sink)?;
        }
    } else if dialect == Dialect::Jcs {
        // Names ascending by UTF-16 code units (selection by repeated minimum).
        let mut last: Option<Key<'a>> = None;
        loop {
            let next = members
                .clone()
                .filter(|(k, _)| last.as_ref().is_none_or(|l| k.utf16_cmp(l).is_gt()))
                .min_by(|(a, _), (b, _)| a.utf16_cmp(b));
            let Some((k, v)) = next else { break };
            write(&mut first, &k, &v, sink)?;
            last = Some(k);
        }
    } else {
        for (k, v) in members {
            write(&mut first, &k, &v, sink)?;
        }
    }
    sink.write(if as_list { b"]" } else { b"}" });
    Ok(())
}
