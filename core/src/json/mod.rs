//! Canonical JSON, streaming and allocation-free, in three dialects reproduced byte for byte:
//!
//! * [`Dialect::Js`]: JavaScript `JSON.stringify(JSON.parse(x))` (ECMA-262 §25.5).
//! * [`Dialect::Php`]: PHP `json_encode(json_decode(x, true))` with default flags, or with
//!   `JSON_UNESCAPED_SLASHES` / `JSON_UNESCAPED_UNICODE` ([`PhpFlags`]).
//! * [`Dialect::Jcs`]: RFC 8785, the JSON Canonicalization Scheme, as its reference
//!   implementation (`canonicalize`) prints it.
//!
//! One tokenizer validates the input and records a flat tape of its tokens into caller-owned
//! scratch ([`Tape`]); one emitter walks the tape and writes canonical bytes into a [`Sink`]
//! (a caller buffer, a SHA-256 or HMAC context, a `Vec`). Dialects differ only in hooks:
//! string escaping, number printing, key order and list detection.

mod document;
mod emit;
mod error;
mod number;
pub(crate) mod parser;
mod strings;
mod tape;

pub use document::{emit_members, Document, Elements, Key, Members, Value};
pub use error::Error;
pub use tape::{Kind, Node, Tape};

use crate::sink::{CountingSink, SliceSink};
use crate::Sink;

/// Which engine's output to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `JSON.stringify(JSON.parse(x))` as Node.js prints it.
    Js,
    /// `json_encode(json_decode(x, true), flags)` as PHP 8 prints it.
    Php(PhpFlags),
    /// RFC 8785 (JCS): no whitespace; members sorted by their names' UTF-16 code units
    /// (§3.2.3; U+1F600 sorts before U+FB33, unlike UTF-8 byte order); numbers as ECMAScript
    /// `Number.prototype.toString` (§3.2.2.3); strings escaping only `"`, `\\` and U+0000-U+001F
    /// (`\b \t \n \f \r`, else lowercase `\u00xx`), everything else as UTF-8 (§3.2.2.2).
    /// I-JSON (RFC 7493) rules apply: a `\u` escape that leaves an unpaired surrogate is
    /// [`Error::LoneSurrogate`]; the engine's policy adds duplicate names ([`Error::DuplicateKey`]),
    /// nesting deeper than 512 ([`Error::Depth`]) and overflow ([`Error::NumberRange`]).
    ///
    /// Objects of up to 16 members are sorted as they are printed, on the stack; larger ones
    /// when they are parsed, in the tape's order area: the scratch [`Tape::required_len`] gives
    /// for the input's length is enough (no more than JavaScript's), so [`canonicalize_into`]
    /// with a [`Tape::from_slice`] never allocates.
    Jcs,
}

/// The `json_encode` flags payseal reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PhpFlags {
    /// `JSON_UNESCAPED_SLASHES`: print `/` rather than `\/`.
    pub unescaped_slashes: bool,
    /// `JSON_UNESCAPED_UNICODE`: print non-ASCII characters raw (U+2028/2029 stay escaped).
    pub unescaped_unicode: bool,
}

impl Dialect {
    /// PHP with default flags.
    #[must_use]
    pub const fn php_default() -> Self {
        Self::Php(PhpFlags { unescaped_slashes: false, unescaped_unicode: false })
    }

    /// PHP with `JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES`.
    #[must_use]
    pub const fn php_unescaped() -> Self {
        Self::Php(PhpFlags { unescaped_slashes: true, unescaped_unicode: true })
    }

    /// The dialect a binding or the CLI names: `"js"`, `"jcs"`, or `"php"` with `flags`
    /// (flags apply to PHP only: `None` for any other combination, so a caller cannot ask for a
    /// dialect that does not exist). Every language parses dialect names here, never by itself.
    ///
    /// ```
    /// use payseal::json::{Dialect, PhpFlags};
    /// assert_eq!(Dialect::from_name("jcs", PhpFlags::default()), Some(Dialect::Jcs));
    /// assert_eq!(Dialect::from_name("jcs", PhpFlags { unescaped_slashes: true, ..PhpFlags::default() }), None);
    /// assert_eq!(Dialect::Jcs.name(), "jcs");
    /// ```
    #[must_use]
    pub fn from_name(name: &str, flags: PhpFlags) -> Option<Self> {
        match name {
            "js" if flags == PhpFlags::default() => Some(Self::Js),
            "jcs" if flags == PhpFlags::default() => Some(Self::Jcs),
            "php" => Some(Self::Php(flags)),
            _ => None,
        }
    }

    /// The name [`Dialect::from_name`] reads (`"js"`, `"php"`, `"jcs"`).
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::Js => "js",
            Self::Php(_) => "php",
            Self::Jcs => "jcs",
        }
    }
}

/// Validates `input` for `dialect` and records its tokens on `tape`.
///
/// ```
/// use payseal::json::{parse, Dialect, Tape};
/// let mut tape = Tape::new();
/// let doc = parse(br#"{"amount": 12.5, "currency": "EUR"}"#, Dialect::Js, &mut tape)?;
/// assert!(doc.root().get("currency").is_some_and(|v| v.str_eq("EUR")));
/// # Ok::<(), payseal::json::Error>(())
/// ```
pub fn parse<'a>(input: &'a [u8], dialect: Dialect, tape: &'a mut Tape<'_>) -> Result<Document<'a>, Error> {
    parse_observed(input, dialect, tape, &mut ())
}

/// Test probe, not API: parses `input` and returns the outcome with the number of objects whose
/// keys were checked for duplicates by sorting (those with more than 64 members; smaller ones
/// are checked pairwise as each key arrives). Lets tests assert that they reach the sorted
/// path; the ordinary parse counts nothing (its observer's hook compiles away).
#[doc(hidden)]
#[cfg(feature = "alloc")]
pub fn sorted_duplicate_checks(input: &[u8], dialect: Dialect) -> (Result<(), Error>, usize) {
    struct Count(usize);
    impl parser::Progress for Count {
        fn closed(&mut self, _: &[u8], _: usize, _: usize) {}
        fn sorted_duplicate_check(&mut self) {
            self.0 += 1;
        }
    }
    let mut count = Count(0);
    let mut tape = Tape::new();
    let parsed = parser::parse_observed(input, dialect, &mut tape, &mut count);
    (parsed, count.0)
}

/// [`parse`], telling `progress` how far it has read (see [`parser::Progress`]).
pub(crate) fn parse_observed<'a, P: parser::Progress>(
    input: &'a [u8],
    dialect: Dialect,
    tape: &'a mut Tape<'_>,
    progress: &mut P,
) -> Result<Document<'a>, Error> {
    parser::parse_observed(input, dialect, tape, progress)?;
    let tape: &'a Tape<'_> = tape;
    Ok(Document {
        parsed: emit::Parsed { input, nodes: tape.nodes(), order: tape.order(), max_depth: tape.max_depth },
        dialect,
    })
}

/// Canonicalises `input` into `sink` (a hasher, a MAC, a buffer). Nothing is written unless
/// the whole input is valid.
///
/// ```
/// use payseal::json::{canonicalize, Dialect, Tape};
/// use sha2::{Digest, Sha256};
/// let mut tape = Tape::new();
/// let mut hasher = Sha256::new();
/// canonicalize(br#"{"b": 1.50, "a": "/"}"#, Dialect::php_default(), &mut tape, &mut hasher)?;
/// assert_eq!(hasher.finalize()[..], Sha256::digest(br#"{"b":1.5,"a":"\/"}"#)[..]);
/// # Ok::<(), payseal::json::Error>(())
/// ```
pub fn canonicalize<S: Sink + ?Sized>(
    input: &[u8],
    dialect: Dialect,
    tape: &mut Tape<'_>,
    sink: &mut S,
) -> Result<(), Error> {
    parse(input, dialect, tape)?.emit(dialect, sink)
}

/// Canonicalises `input` into `out`; returns the bytes written. When `out` is too small the
/// error says how large it must be, and `out`'s contents are unspecified.
///
/// ```
/// use payseal::json::{canonicalize_into, Dialect, Node, Tape};
/// let mut scratch = [Node::default(); 64];
/// let mut tape = Tape::from_slice(&mut scratch);
/// let mut out = [0u8; 64];
/// let n = canonicalize_into(br#"{"1": "b", "x": 1e21, "0": "a"}"#, Dialect::Js, &mut tape, &mut out)?;
/// assert_eq!(&out[..n], br#"{"0":"a","1":"b","x":1e+21}"#);
/// # Ok::<(), payseal::json::Error>(())
/// ```
pub fn canonicalize_into(input: &[u8], dialect: Dialect, tape: &mut Tape<'_>, out: &mut [u8]) -> Result<usize, Error> {
    let mut sink = SliceSink::new(out);
    canonicalize(input, dialect, tape, &mut sink)?;
    sink.finish().map_err(|e| Error::BufferTooSmall { needed: e.needed })
}

/// The length of `input`'s canonical form: the size query for [`canonicalize_into`].
pub fn canonical_len(input: &[u8], dialect: Dialect, tape: &mut Tape<'_>) -> Result<usize, Error> {
    let mut sink = CountingSink::default();
    canonicalize(input, dialect, tape, &mut sink)?;
    Ok(sink.count)
}

/// A reusable canonicaliser that owns its tape: after it has seen its largest document it
/// no longer allocates.
#[cfg(feature = "alloc")]
#[derive(Debug, Default)]
pub struct Canonicalizer {
    tape: Tape<'static>,
}

#[cfg(feature = "alloc")]
impl Canonicalizer {
    /// A canonicaliser with an empty tape.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Canonicalises `input` into `sink`.
    pub fn canonicalize<S: Sink + ?Sized>(
        &mut self,
        input: &[u8],
        dialect: Dialect,
        sink: &mut S,
    ) -> Result<(), Error> {
        canonicalize(input, dialect, &mut self.tape, sink)
    }

    /// Canonicalises `input` into `out`; see [`canonicalize_into`].
    pub fn canonicalize_into(&mut self, input: &[u8], dialect: Dialect, out: &mut [u8]) -> Result<usize, Error> {
        canonicalize_into(input, dialect, &mut self.tape, out)
    }

    /// Parses `input` onto this canonicaliser's tape.
    pub fn parse<'a>(&'a mut self, input: &'a [u8], dialect: Dialect) -> Result<Document<'a>, Error> {
        parse(input, dialect, &mut self.tape)
    }

    /// Canonicalises `input` into a new `Vec`.
    pub fn to_vec(&mut self, input: &[u8], dialect: Dialect) -> Result<alloc::vec::Vec<u8>, Error> {
        let mut out = alloc::vec::Vec::with_capacity(input.len());
        self.canonicalize(input, dialect, &mut out)?;
        Ok(out)
    }
}

/// Canonicalises `input` into a new `Vec` (a convenience that allocates).
///
/// ```
/// use payseal::json::{canonicalize_to_vec, Dialect};
/// let js = canonicalize_to_vec(br#"{"a": 1.0, "b": "caf\u00e9", "c": {}}"#, Dialect::Js)?;
/// assert_eq!(js, "{\"a\":1,\"b\":\"café\",\"c\":{}}".as_bytes());
/// let php = canonicalize_to_vec(br#"{"a": 1.0, "b": "caf\u00e9", "c": {}}"#, Dialect::php_default())?;
/// assert_eq!(php, br#"{"a":1,"b":"caf\u00e9","c":[]}"#);
/// # Ok::<(), payseal::json::Error>(())
/// ```
#[cfg(feature = "alloc")]
pub fn canonicalize_to_vec(input: &[u8], dialect: Dialect) -> Result<alloc::vec::Vec<u8>, Error> {
    Canonicalizer::new().to_vec(input, dialect)
}
