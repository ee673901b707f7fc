//! Pass one: validate a document and record its tokens on the tape.
//!
//! An iterative recursive-descent parser (explicit stack, so hostile nesting cannot overflow
//! the call stack) over the RFC 8259 grammar, which `JSON.parse` and PHP's `json_decode` both
//! implement. Invalid UTF-8 anywhere is reported first; otherwise the first error in document
//! order. Per object it computes what the emitter needs (JavaScript key order, PHP list
//! detection, whether the members are in RFC 8785's order, and that order for large objects)
//! and rejects duplicate keys.
//!
//! Work is linear in the input, except duplicate-key detection: each key carries a hash of its
//! decoded text; objects with at most [`PAIRWISE_MAX`] members keep a 64-bit filter of their
//! keys (one bit each) and compare a key's hash with its siblings' only when its bit is
//! already set (and texts only when hashes agree); larger ones sort copies of their keys by
//! (hash, text): O(n log n) in the worst case, however the hashes collide.

use super::tape::{flag, next_sibling, Kind, Node, OrderArea, SliceStore, Storage, Store, Tape};
use super::{number, strings, Dialect, Error};

/// Objects with at most this many members are checked for duplicates as each key arrives,
/// against its siblings' hashes (eight at a time, see [`may_repeat`]).
const PAIRWISE_MAX: usize = 64;

/// The deepest nesting any dialect allows.
pub(crate) const MAX_DEPTH: usize = 512;

/// The parser's modes, one compiled parser each (a const generic): JavaScript, PHP, JCS.
const MODE_JS: u8 = 0;
const MODE_PHP: u8 = 1;
const MODE_JCS: u8 = 2;

/// What differs between the dialects while parsing.
#[derive(Debug, Clone, Copy)]
struct Rules {
    /// `JSON.parse` accepts 512 levels (policy, and JCS's); PHP's `json_decode` default depth
    /// 512 allows 511.
    max_depth: usize,
    /// PHP (`JSON_ERROR_UTF16`) and JCS (I-JSON, RFC 7493 §2.1) reject unpaired surrogate
    /// escapes.
    reject_lone_surrogates: bool,
    /// PHP needs strings' raw slash and non-ASCII flags.
    php_flags: bool,
    /// JavaScript prints array-index keys first: record the order objects need.
    js_key_order: bool,
    /// JCS prints members sorted by their names' UTF-16 code units (RFC 8785 §3.2.3): when an
    /// object closes, record the sorted order if its keys arrived out of it.
    jcs_key_order: bool,
}

impl Rules {
    /// The rules of a mode: a constant, so that the parser is compiled once per dialect and
    /// never tests the dialect per token.
    const fn of(mode: u8) -> Self {
        match mode {
            MODE_PHP => Self {
                max_depth: MAX_DEPTH - 1,
                reject_lone_surrogates: true,
                php_flags: true,
                js_key_order: false,
                jcs_key_order: false,
            },
            MODE_JCS => Self {
                max_depth: MAX_DEPTH,
                reject_lone_surrogates: true,
                php_flags: false,
                js_key_order: false,
                jcs_key_order: true,
            },
            _ => Self {
                max_depth: MAX_DEPTH,
                reject_lone_surrogates: false,
                php_flags: false,
                js_key_order: true,
                jcs_key_order: false,
            },
        }
    }
}

/// Open containers the first attempt at a document has room for. Deeper documents (rare) are
/// parsed again with room for [`MAX_DEPTH`]: the first attempt's stack is cheap to set up.
const SHALLOW_DEPTH: usize = 64;

/// Told how far the parser has read, container by container: lets a caller overlap its own
/// work on the bytes read so far with the rest of the parse (`paylands` hashes while it
/// parses). What it sees is not yet known to be valid; it must check the finished parse before
/// relying on it. Told at closing brackets and at objects' member separators (not after every
/// value: that cost more than the overlap saved, 5.3K instructions per Paylands verify).
pub(crate) trait Progress {
    /// A container closed just before `pos`; `depth` containers are still open. Positions
    /// grow, except that a document nested deeper than [`SHALLOW_DEPTH`] is parsed again from
    /// its start.
    fn closed(&mut self, input: &[u8], pos: usize, depth: usize);

    /// A member separator of an object was read just before `pos`; `depth` containers are
    /// open. Nothing by default; compiles away.
    #[inline(always)]
    fn member(&mut self, _input: &[u8], _pos: usize, _depth: usize) {}

    /// An object's keys were checked for duplicates by sorting (it has more than
    /// [`PAIRWISE_MAX`] members): for tests that must reach that path (see
    /// [`super::sorted_duplicate_checks`]). Nothing by default; compiles away.
    #[inline(always)]
    fn sorted_duplicate_check(&mut self) {}
}

/// No observer: the ordinary parse (the calls compile away).
impl Progress for () {
    #[inline(always)]
    fn closed(&mut self, _: &[u8], _: usize, _: usize) {}
}

/// Parses `input` onto `tape` (cleared first), telling `progress` how far it has read.
pub(crate) fn parse_observed<P: Progress>(
    input: &[u8],
    dialect: Dialect,
    tape: &mut Tape<'_>,
    progress: &mut P,
) -> Result<(), Error> {
    tape.clear();
    if input.len() >= u32::MAX as usize {
        return Err(Error::TooLarge { len: input.len() });
    }
    if simdutf8::basic::from_utf8(input).is_err() {
        let offset = simdutf8::compat::from_utf8(input).err().map_or(0, |e| e.valid_up_to());
        return Err(Error::InvalidUtf8 { offset });
    }
    let mode = match dialect {
        Dialect::Js => MODE_JS,
        Dialect::Php(_) => MODE_PHP,
        Dialect::Jcs => MODE_JCS,
    };
    let max_depth = match &mut tape.storage {
        Storage::Slice { buf, len, order_base, order_len } => {
            // `order_base <= buf.len()` by construction (`Tape::from_slice`).
            let needed = Tape::required_len(input.len());
            let (tokens, order) = buf.split_at_mut_checked(*order_base).ok_or(Error::ScratchTooSmall { needed })?;
            let mut area = OrderArea { nodes: order, len: *order_len };
            let store = SliceStore { tokens, order: &mut area, len: *len };
            let (store, parsed) = parse_into(input, mode, store, progress);
            *len = store.len;
            *order_len = area.len;
            parsed?
        }
        #[cfg(feature = "alloc")]
        Storage::Vec { nodes, order } => parse_into(input, mode, super::tape::VecStore { nodes, order }, progress).1?,
    };
    tape.max_depth = max_depth;
    Ok(())
}

/// Parses into a concrete store, which the parser owns meanwhile (its counters one load away,
/// not two) and hands back; returns the deepest nesting seen.
fn parse_into<St: Store, P: Progress>(
    input: &[u8],
    mode: u8,
    store: St,
    progress: &mut P,
) -> (St, Result<usize, Error>) {
    let mut attempt = |store: St, stack: &mut [u32], saved: &mut [Open]| match mode {
        MODE_PHP => parse_php::<St, P>(input, store, progress, stack, saved),
        MODE_JCS => parse_jcs::<St, P>(input, store, progress, stack, saved),
        _ => parse_js::<St, P>(input, store, progress, stack, saved),
    };
    match attempt(store, &mut [0u32; SHALLOW_DEPTH], &mut [Open::ROOT; SHALLOW_DEPTH]) {
        (store, Ok(parsed)) => (store, parsed),
        (store, Err(Deeper)) => {
            let (store, parsed) = attempt(store, &mut [0u32; MAX_DEPTH], &mut [Open::ROOT; MAX_DEPTH]);
            (store, parsed.unwrap_or_else(|Deeper| unreachable_deeper()))
        }
    }
}

/// [`parse_with`] for JCS, compiled apart: its key sort would otherwise share one function
/// with the JavaScript and PHP parsers and change how the compiler lays those out (+900
/// instructions per 3.5 KiB JavaScript parse in callgrind).
#[inline(never)]
fn parse_jcs<St: Store, P: Progress>(
    input: &[u8],
    store: St,
    progress: &mut P,
    stack: &mut [u32],
    saved: &mut [Open],
) -> (St, Result<Result<usize, Error>, Deeper>) {
    parse_with::<St, P, MODE_JCS>(input, store, progress, stack, saved)
}

/// [`parse_with`] for JavaScript, compiled apart from PHP's for the same reason as
/// [`parse_jcs`]: sharing one function, a change to either parser moved the other's code
/// (callgrind, 3.5 KiB notification into a growable tape: JavaScript -4.2K instructions,
/// PHP -3.4K, JCS -1.6K once both are apart; into a slice tape, Paylands' PHP parse +0.3K).
#[inline(never)]
fn parse_js<St: Store, P: Progress>(
    input: &[u8],
    store: St,
    progress: &mut P,
    stack: &mut [u32],
    saved: &mut [Open],
) -> (St, Result<Result<usize, Error>, Deeper>) {
    parse_with::<St, P, MODE_JS>(input, store, progress, stack, saved)
}

/// [`parse_with`] for PHP, compiled apart (see [`parse_js`]).
#[inline(never)]
fn parse_php<St: Store, P: Progress>(
    input: &[u8],
    store: St,
    progress: &mut P,
    stack: &mut [u32],
    saved: &mut [Open],
) -> (St, Result<Result<usize, Error>, Deeper>) {
    parse_with::<St, P, MODE_PHP>(input, store, progress, stack, saved)
}

/// The open-container stack was too small for the document: start again with a deeper one.
struct Deeper;

/// A parse with room for [`MAX_DEPTH`] open containers is never too deep: the dialects stop
/// at their own limit first.
#[cold]
fn unreachable_deeper() -> Result<usize, Error> {
    Err(Error::Depth { offset: 0 })
}

/// One attempt with `stack` for the open containers (and `saved` beside it), on a cleared
/// store.
#[inline(always)]
fn parse_with<St: Store, P: Progress, const MODE: u8>(
    input: &[u8],
    mut store: St,
    progress: &mut P,
    stack: &mut [u32],
    saved: &mut [Open],
) -> (St, Result<Result<usize, Error>, Deeper>) {
    store.clear();
    let mut nest = Nest { cur: Open::ROOT, stack, saved, max_depth: 0, open: 0, deeper: false };
    let mut parser = Parser::<St, P, MODE> { input, tape: store, nest: &mut nest, depth: 0, progress };
    let parsed = parser.run();
    let Parser { input, mut tape, depth, progress, nest, .. } = parser;
    let Nest { cur, stack, saved, max_depth, deeper, .. } = nest;
    if *deeper {
        return (tape, Err(Deeper));
    }
    let outcome = match parsed {
        Ok(()) => Ok(*max_depth),
        Err(e @ Error::ScratchTooSmall { .. }) => Err(e),
        // A big open ancestor (checked only when it closes) may hold an earlier duplicate.
        Err(e) => match tape.detached(|tape| {
            // The open containers' states, as the search reads them, on their nodes.
            for d in 0..depth {
                let state = if d + 1 == depth { *cur } else { saved[d + 1] };
                tape.nodes_mut()[stack[d] as usize].flags = state.flags;
            }
            earlier_duplicate(input, tape, &stack[..depth], progress)
        }) {
            Err(scratch) => Err(scratch),
            Ok(earlier) => Err(match (earlier, e) {
                (Some(Error::DuplicateKey { offset: a }), Error::DuplicateKey { offset: b }) => {
                    Error::DuplicateKey { offset: a.min(b) }
                }
                (Some(dup), _) => dup,
                (None, e) => e,
            }),
        },
    };
    (tape, Ok(outcome))
}

/// What the parser expects after a step.
enum Step {
    /// A value starts at this offset with this byte (a container's first member, or a member
    /// after a key; 0 at the input's end).
    Value(usize, u8),
    /// A value ended; a separator, a closing bracket or the end follows from this offset.
    After(usize),
}

/// The innermost open container's own state while it is parsed (members so far, last index
/// key, key order and list flags, key filter), in the parser rather than in its tape node, so
/// that the per-token updates are register operations, not bounds-checked stores; written to
/// the node when the container closes. A parent's state is saved while a child is open.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Open {
    /// The keys of an object, one bit each (six bits of the key's `aux`): a key whose bit is
    /// clear cannot repeat a sibling, and skips the comparison with them.
    filter: u64,
    /// Members or elements so far (the node's `end` when closed).
    count: u32,
    /// JavaScript: the last array-index key seen. JCS: the last key's node.
    last_index: u32,
    /// JCS: the sort key of the last key seen ([`strings::jcs_half`]), which the next one must
    /// exceed for the members to be in order already.
    last_half: u32,
    /// The node's flags, [`flag::WHILE_OPEN`] ones included.
    flags: u8,
    /// An object (else an array).
    object: bool,
}

impl Open {
    /// Outside any container: the state updates made there are never read.
    const ROOT: Self = Self { filter: 0, last_half: 0, count: 0, last_index: 0, flags: 0, object: false };
}

/// The parser's state. The stack holds open containers' indices; the innermost one's own
/// state is [`Parser::cur`].
struct Parser<'i, 'k, St: Store, P: Progress, const MODE: u8> {
    input: &'i [u8],
    tape: St,
    /// The open containers, one pointer away: what is read per token is the innermost one's
    /// state; the rest only when a container opens or closes.
    nest: &'k mut Nest<'k>,
    depth: usize,
    progress: &'k mut P,
}

/// The parser's open containers. In memory on purpose (the parser holds its address): held in
/// registers with the input, the position and the tape, they pushed those out to the stack
/// (callgrind, 3.5 KiB parse: +4.5K instructions with the innermost state by value).
struct Nest<'k> {
    /// The innermost open container's state ([`Open::ROOT`] outside any).
    cur: Open,
    stack: &'k mut [u32],
    /// `saved[d]`: the [`Nest::cur`] of the container open at depth `d`, saved while a deeper
    /// one is open.
    saved: &'k mut [Open],
    max_depth: usize,
    /// The innermost open container (`stack[depth - 1]` when `depth > 0`).
    open: usize,
    /// The document is nested deeper than `stack` has room for.
    deeper: bool,
}

#[inline]
fn skip_ws(input: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = input.get(pos) {
        pos += 1;
    }
    pos
}

impl<St: Store, P: Progress, const MODE: u8> Parser<'_, '_, St, P, MODE> {
    const RULES: Rules = Rules::of(MODE);

    /// Which verbatim bits a string (value or key) with these flags keeps. Only this dialect's
    /// bit is computed: a document is only ever printed in the dialect family it was parsed
    /// for ([`Document`](super::Document) checks), so the other bit is never read and stays set.
    /// JCS uses the JavaScript bit: its strings and numbers print as `JSON.stringify`'s.
    #[inline(always)]
    fn string_verbatim(flags: u8) -> u8 {
        if Self::RULES.php_flags {
            let differs = flags & (flag::PHP_DIFF | flag::NON_ASCII | flag::SLASH) != 0;
            if differs {
                flag::VERB_JS
            } else {
                flag::VERBATIM
            }
        } else if flags & flag::JS_DIFF != 0 {
            flag::VERB_PHP
        } else {
            flag::VERBATIM
        }
    }

    /// [`Parser::ws`], and the byte found there (0 at the input's end, which no token starts
    /// with, like a NUL byte): the caller dispatches on it without reading it again.
    #[inline(always)]
    fn peek(&mut self, pos: usize) -> (usize, u8) {
        if let Some(&b) = self.input.get(pos) {
            if b > b' ' {
                return (pos, b);
            }
        }
        let next = self.ws(pos);
        (next, self.input.get(next).copied().unwrap_or(0))
    }

    /// Skips whitespace inside the innermost container; any at all means its source span is
    /// not already canonical.
    #[inline(always)]
    fn ws(&mut self, pos: usize) -> usize {
        // Compact input: the next byte is already a token (whitespace is 0x20 and below).
        if self.input.get(pos).is_some_and(|&b| b > b' ') {
            return pos;
        }
        let next = skip_ws(self.input, pos);
        if next != pos {
            self.keep_verbatim(0);
        }
        next
    }

    #[inline(always)]
    fn scan_string(&self, pos: usize) -> Result<(usize, u8), Error> {
        match (Self::RULES.php_flags, Self::RULES.reject_lone_surrogates) {
            (true, true) => strings::scan::<true, true>(self.input, pos),
            (true, false) => strings::scan::<true, false>(self.input, pos),
            (false, true) => strings::scan::<false, true>(self.input, pos),
            (false, false) => strings::scan::<false, false>(self.input, pos),
        }
    }

    /// [`strings::short_key`] in this dialect.
    #[inline]
    fn short_key(&self, pos: usize) -> Option<(usize, u8, u32, u64)> {
        if Self::RULES.php_flags {
            strings::short_key::<true>(self.input, pos)
        } else {
            strings::short_key::<false>(self.input, pos)
        }
    }

    /// Clears the innermost open container's verbatim bits that `keep` does not carry.
    #[inline]
    fn keep_verbatim(&mut self, keep: u8) {
        self.nest.cur.flags &= keep | !flag::VERBATIM;
    }

    fn run(&mut self) -> Result<(), Error> {
        let input = self.input;
        let mut pos = skip_ws(input, 0);
        let mut b = input.get(pos).copied().unwrap_or(0);
        'value: loop {
            // A container's opening (which may be followed by its first member's value), or a
            // scalar, which returns only where it ends: the common case carries no step enum.
            pos = if b == b'[' || b == b'{' {
                match self.open(pos, b == b'{')? {
                    Step::Value(next, byte) => {
                        (pos, b) = (next, byte);
                        continue 'value;
                    }
                    Step::After(next) => next,
                }
            } else {
                self.scalar(pos, b)?
            };
            // After a value: a separator, a closing bracket, or the end of the document.
            loop {
                if self.depth == 0 {
                    let pos = skip_ws(input, pos);
                    return if pos == input.len() { Ok(()) } else { Err(Error::Syntax { offset: pos }) };
                }
                // A comma first: most values are followed by one.
                let (at, byte) = self.peek(pos);
                let object = self.nest.cur.object;
                if byte == b',' {
                    if object {
                        self.progress.member(input, at + 1, self.depth);
                        let (next, byte) = self.peek(at + 1);
                        (pos, b) = self.key(next, byte)?;
                    } else {
                        (pos, b) = self.peek(at + 1);
                        self.nest.cur.count += 1;
                    }
                    continue 'value;
                }
                if byte != if object { b'}' } else { b']' } {
                    return Err(Error::Syntax { offset: at });
                }
                self.close(at)?;
                pos = at + 1;
                self.progress.closed(input, pos, self.depth);
            }
        }
    }

    /// Parses the scalar at `pos`, whose first byte is `b`, and returns where it ends (a
    /// container's opening is [`Parser::open`]'s, so that nesting never recurses).
    #[inline]
    fn scalar(&mut self, pos: usize, b: u8) -> Result<usize, Error> {
        let input = self.input;
        let scalar = |kind, end, flags| Node { start: pos as u32, end: end as u32, close: 0, aux: 0, kind, flags };
        match b {
            b'"' => {
                let (end, flags) = self.scan_string(pos + 1)?;
                self.tape.push(Node {
                    start: pos as u32 + 1,
                    end: end as u32,
                    close: 0,
                    aux: 0,
                    kind: Kind::String,
                    flags,
                })?;
                let keep = Self::string_verbatim(flags);
                if keep != flag::VERBATIM {
                    self.keep_verbatim(keep);
                }
                Ok(end + 1)
            }
            b'-' | b'0'..=b'9' => {
                let (end, flags) = number::scan(input, pos, b)?;
                self.tape.push(scalar(Kind::Number, end, flags))?;
                if flags & flag::NUM_VERBATIM == 0 {
                    self.keep_verbatim(0);
                }
                Ok(end)
            }
            b't' => self.literal(pos, b"true", Kind::True),
            b'f' => self.literal(pos, b"false", Kind::False),
            b'n' => self.literal(pos, b"null", Kind::Null),
            _ => Err(Error::Syntax { offset: pos }),
        }
    }

    /// The literal `word` at `pos` (its first byte already matched). A fixed-size compare: no
    /// call for a four- or five-byte word.
    #[inline(always)]
    fn literal<const N: usize>(&mut self, pos: usize, word: &[u8; N], kind: Kind) -> Result<usize, Error> {
        let input = self.input;
        let found = input.get(pos..pos + N).and_then(|bytes| <&[u8; N]>::try_from(bytes).ok());
        if found != Some(word) {
            let matched = word.iter().zip(&input[pos..]).take_while(|(a, b)| a == b).count();
            return Err(Error::Syntax { offset: pos + matched });
        }
        let end = pos + N;
        self.tape.push(Node { start: pos as u32, end: end as u32, close: 0, aux: 0, kind, flags: 0 })?;
        Ok(end)
    }

    fn open(&mut self, pos: usize, is_object: bool) -> Result<Step, Error> {
        if self.depth >= Self::RULES.max_depth {
            return Err(Error::Depth { offset: pos });
        }
        let (Some(slot), Some(saved)) = (self.nest.stack.get_mut(self.depth), self.nest.saved.get_mut(self.depth))
        else {
            self.nest.deeper = true;
            return Err(Error::Depth { offset: pos });
        };
        let node = self.tape.len() as u32;
        let (kind, flags) = if is_object {
            (Kind::Object, flag::OPEN | flag::LIST | flag::VERBATIM)
        } else {
            (Kind::Array, flag::OPEN | flag::VERBATIM)
        };
        // The node's `OPEN` flag is what the duplicate search reads of it until it closes.
        self.tape.push(Node { start: pos as u32, end: 0, close: 0, aux: 0, kind, flags })?;
        *saved = self.nest.cur;
        self.nest.cur = Open { filter: 0, last_half: 0, count: 0, last_index: 0, flags, object: is_object };
        *slot = node;
        self.depth += 1;
        self.nest.open = node as usize;
        self.nest.max_depth = self.nest.max_depth.max(self.depth);
        let (next, byte) = self.peek(pos + 1);
        let closing = if is_object { b'}' } else { b']' };
        if byte == closing {
            self.close(next)?;
            return Ok(Step::After(next + 1));
        }
        if is_object {
            self.key(next, byte).map(|(pos, b)| Step::Value(pos, b))
        } else {
            self.nest.cur.count = 1;
            Ok(Step::Value(next, byte))
        }
    }

    /// Parses `"key" :` at `pos`, whose byte is `b`, and returns the offset of the value that
    /// follows and its first byte (see [`Parser::peek`]).
    #[inline(always)]
    fn key(&mut self, pos: usize, b: u8) -> Result<(usize, u8), Error> {
        let input = self.input;
        if b != b'"' {
            return Err(Error::Syntax { offset: pos });
        }
        let (end, mut flags, index, hash, head) = match self.short_key(pos + 1) {
            Some((end, flags, hash, head)) => {
                // Most keys are not array indices: a short key (no escape) whose first byte
                // (its head's low byte, 0 when it is empty) is no digit is settled at once.
                let index = if (head as u8).is_ascii_digit() {
                    strings::array_index(&input[pos + 1..end], false)
                } else {
                    None
                };
                (end, flags, index, hash, Some(head))
            }
            None => {
                let (end, flags, index, hash) = match (Self::RULES.php_flags, Self::RULES.reject_lone_surrogates) {
                    (true, true) => long_key::<true, true>(input, pos + 1)?,
                    (true, false) => long_key::<true, false>(input, pos + 1)?,
                    (false, true) => long_key::<false, true>(input, pos + 1)?,
                    (false, false) => long_key::<false, false>(input, pos + 1)?,
                };
                (end, flags, index, hash, None)
            }
        };
        let open = self.nest.open;
        let key_node = self.tape.len() as u32;
        let obj = &mut self.nest.cur;
        obj.flags &= Self::string_verbatim(flags) | !flag::VERBATIM;
        let aux = match index {
            Some(i) => {
                if Self::RULES.js_key_order {
                    if obj.flags & flag::SEEN_OTHER != 0 || (obj.flags & flag::HAS_INDEX != 0 && i <= obj.last_index) {
                        obj.flags |= flag::REORDER;
                    }
                    obj.flags |= flag::HAS_INDEX;
                    obj.last_index = i;
                }
                flags |= flag::INDEX;
                i
            }
            None => {
                if Self::RULES.js_key_order {
                    obj.flags |= flag::SEEN_OTHER;
                }
                hash
            }
        };
        // Only PHP prints an object as a list (the flag is never set in the other dialects).
        if index != Some(obj.count) {
            obj.flags &= !flag::LIST;
        }
        obj.count += 1;
        let (big, members) = (obj.flags & flag::BIG != 0, obj.count as usize);
        let mut half = 0;
        if Self::RULES.jcs_key_order {
            // JCS: whether the members are still in order, against the last key; objects that
            // are not are sorted when printed (see `close`). The keys' sort halves settle it
            // unless they tie or either has none: then their texts do (out of line).
            half = match head {
                Some(head) => strings::jcs_half_of_head(head),
                None => strings::jcs_half(input, pos + 1, end, flags),
            };
            // `jcs_before`'s rule, written out: the halves first, the texts only on a tie or a
            // missing half. Through `jcs_before` itself the loop compiled worse (canonicalise
            // JCS +2.6K instructions a call, callgrind).
            let last = obj.last_half;
            if obj.flags & flag::REORDER == 0
                && (half <= last || half == strings::NO_HALF)
                && members > 1
                && ((half < last && last != strings::NO_HALF)
                    || jcs_out_of_order(input, &self.tape.nodes()[obj.last_index as usize], pos + 1, end, flags))
            {
                obj.flags |= flag::REORDER;
            }
            obj.last_half = half;
            obj.last_index = key_node;
        }
        // JCS: the key node keeps its sort half, which the emitter sorts by (a string's `close`
        // is otherwise unused).
        let close = if Self::RULES.jcs_key_order { half } else { 0 };
        let node = Node { start: pos as u32 + 1, end: end as u32, close, aux, kind: Kind::String, flags };
        if !big {
            // The key's siblings are on the tape, compared only when its filter bit is already
            // set.
            if members <= PAIRWISE_MAX {
                if filter_hit(&mut self.nest.cur.filter, aux) {
                    // A copy for the comparison, so that `node` itself never needs an address.
                    let probe = Node { ..node };
                    if repeats_sibling(input, self.tape.nodes(), open, key_node as usize, &probe) {
                        return Err(Error::DuplicateKey { offset: pos });
                    }
                }
            } else {
                self.nest.cur.flags |= flag::BIG;
            }
        }
        self.tape.push(node)?;
        // Compact input has the colon right after the key and the value right after it.
        if input.get(end + 1) == Some(&b':') {
            return Ok(self.peek(end + 2));
        }
        let colon = self.ws(end + 1);
        if input.get(colon) != Some(&b':') {
            return Err(Error::Syntax { offset: colon });
        }
        Ok(self.peek(colon + 1))
    }

    /// Closes the innermost container, whose closing bracket is at `at`: links its subtree,
    /// settles its flags (passing its verbatim bits up), checks its keys. Inline (callgrind,
    /// 3.5 KiB parse: JavaScript -2.4K instructions, PHP -1.3K).
    #[inline(always)]
    fn close(&mut self, at: usize) -> Result<(), Error> {
        self.depth -= 1;
        let state = self.nest.cur;
        // The parent's state again (the root's outside any container).
        self.nest.cur = self.nest.saved.get(self.depth).copied().unwrap_or(Open::ROOT);
        let idx = self.nest.open;
        let after = self.tape.len() as u32;
        let (members, reorder, is_object) = (state.count, state.flags & flag::REORDER != 0, state.object);
        let big = state.flags & flag::BIG != 0;
        let mut flags = state.flags & !(flag::WHILE_OPEN | flag::REORDER | flag::BIG);
        if reorder {
            flags &= !flag::VERB_JS;
        }
        if is_object && flags & flag::LIST != 0 {
            flags &= !flag::VERB_PHP; // printed as a list
        }
        let node = &mut self.tape.nodes_mut()[idx];
        node.end = members;
        node.aux = after;
        node.close = at as u32;
        node.flags = flags;
        if let Some(&parent) = self.depth.checked_sub(1).and_then(|d| self.nest.stack.get(d)) {
            self.nest.open = parent as usize;
        }
        self.keep_verbatim(flags & flag::VERBATIM);
        if !is_object || members < 2 {
            return Ok(());
        }
        if big {
            self.no_duplicate_among(idx, after as usize)?;
        }
        if reorder && Self::RULES.js_key_order {
            self.tape.detached(|tape| record_js_order(tape, idx))?;
        }
        if reorder && Self::RULES.jcs_key_order {
            // JCS: members out of order. A small object is sorted by the emitter as it prints
            // it (no order area: see `emit`); a large one here, in the order area.
            if members as usize > JCS_SMALL {
                let input = self.input;
                self.tape.detached(|tape| record_jcs_order_large(input, tape, idx))?;
            } else {
                self.tape.nodes_mut()[idx].flags |= flag::SORT;
            }
        }
        Ok(())
    }

    /// The duplicate-key check of an object too big for the pairwise check as its keys arrived
    /// (flag `BIG`): object `idx`, whose subtree ends before tape index `after`.
    #[inline(always)]
    fn no_duplicate_among(&mut self, idx: usize, after: usize) -> Result<(), Error> {
        let (input, progress) = (self.input, &mut *self.progress);
        match self.tape.detached(|tape| find_duplicate(input, tape, idx, after, progress))? {
            Some(offset) => Err(Error::DuplicateKey { offset }),
            None => Ok(()),
        }
    }
}

/// A key that [`strings::short_key`] does not settle (sixteen bytes or more, or escaped),
/// from its first byte at `start`: the offset of its closing quote, its flags, its array-index
/// value if it is one, else its [`strings::key_hash`]. Out of line: keep the parser's hot loop
/// small (its register allocation, and so its spills, depend on its size).
#[inline(never)]
fn long_key<const PHP: bool, const REJECT: bool>(
    input: &[u8],
    start: usize,
) -> Result<(usize, u8, Option<u32>, u32), Error> {
    let (end, flags) = strings::scan::<PHP, REJECT>(input, start)?;
    let raw = &input[start..end];
    let escaped = flags & flag::ESCAPED != 0;
    let index =
        if escaped || raw.first().is_some_and(u8::is_ascii_digit) { strings::array_index(raw, escaped) } else { None };
    let hash = if index.is_none() { strings::key_hash(raw, escaped) } else { 0 };
    Ok((end, flags, index, hash))
}

/// On an error inside open objects (`open`, outermost first): a duplicate key among the members
/// read so far comes earlier in document order than the error itself. Out of line, and given
/// the parser's parts rather than the parser, so that the parser's state never needs an address
/// and stays in registers in the hot loop.
#[cold]
#[inline(never)]
fn earlier_duplicate<St: Store, P: Progress>(
    input: &[u8],
    tape: &mut St,
    open: &[u32],
    progress: &mut P,
) -> Result<Option<Error>, Error> {
    let upto = tape.len();
    let mut first: Option<usize> = None;
    for &open in open {
        let open = open as usize;
        let node = tape.nodes()[open];
        if node.kind == Kind::Object && node.flags & flag::BIG != 0 {
            if let Some(offset) = find_duplicate(input, tape, open, upto, progress)? {
                first = Some(first.map_or(offset, |f| f.min(offset)));
            }
        }
    }
    Ok(first.map(|offset| Error::DuplicateKey { offset }))
}

/// Whether the key `probe` repeats one of the keys of object `obj` on the tape before `upto`
/// (the siblings read so far, all closed): hashes first, texts when they agree. Out of line:
/// called only when the key's filter bit was already set.
#[inline(never)]
fn repeats_sibling(input: &[u8], nodes: &[Node], obj: usize, upto: usize, probe: &Node) -> bool {
    let mut i = obj + 1;
    while i < upto {
        let Some(key) = nodes.get(i) else { break };
        if key.aux == probe.aux && keys_equal(input, key, probe) {
            return true;
        }
        i = next_sibling(nodes, i + 1);
    }
    false
}

/// Sets key hash `aux`'s bit in the open object's 64-bit `filter` and returns whether it was
/// set already (only then can a sibling have the same key). Fibonacci hashing: the top six bits
/// of `aux` times 2^32/phi, which depend on every bit of it (key hashes of keys sharing a
/// prefix agree in their low bits; index keys are small numbers).
#[inline(always)]
fn filter_hit(filter: &mut u64, aux: u32) -> bool {
    let bit = 1u64 << (aux.wrapping_mul(0x9E37_79B9) >> 26);
    let seen = *filter & bit != 0;
    *filter |= bit;
    seen
}

/// The key node indices of object `obj`'s members that are on the tape before `upto`.
fn for_each_key(nodes: &[Node], obj: usize, upto: usize, mut f: impl FnMut(usize)) {
    let mut i = obj + 1;
    while i < upto {
        f(i);
        let value = i + 1;
        if value >= upto {
            break;
        }
        let v = nodes[value];
        if matches!(v.kind, Kind::Array | Kind::Object) && v.flags & flag::OPEN != 0 {
            break; // still open: the error is inside it
        }
        i = next_sibling(nodes, value);
    }
}

#[inline]
fn key_raw<'i>(input: &'i [u8], n: &Node) -> &'i [u8] {
    &input[n.start as usize..n.end as usize]
}

/// Index keys compare by value, other keys by hash and then by decoded text.
#[inline]
fn keys_equal(input: &[u8], a: &Node, b: &Node) -> bool {
    if a.aux != b.aux || (a.flags ^ b.flags) & flag::INDEX != 0 {
        return false;
    }
    if a.flags & flag::INDEX != 0 {
        return true;
    }
    let (ra, rb) = (key_raw(input, a), key_raw(input, b));
    let (ea, eb) = (a.flags & flag::ESCAPED != 0, b.flags & flag::ESCAPED != 0);
    if !ea && !eb {
        return ra == rb;
    }
    strings::decoded_eq(ra, ea, rb, eb)
}

/// The offset of the later key of the earliest duplicate pair among `obj`'s keys, if any.
fn find_duplicate<St: Store, P: Progress>(
    input: &[u8],
    tape: &mut St,
    obj: usize,
    upto: usize,
    progress: &mut P,
) -> Result<Option<usize>, Error> {
    let mut small = [0u32; PAIRWISE_MAX];
    let mut count = 0usize;
    let nodes = tape.nodes();
    for_each_key(nodes, obj, upto, |k| {
        if count < PAIRWISE_MAX {
            small[count] = k as u32;
        }
        count += 1;
    });
    let mut first: Option<usize> = None;
    let mut note = |a: &Node, b: &Node| {
        let later = a.start.max(b.start) as usize - 1;
        first = Some(first.map_or(later, |f| f.min(later)));
    };
    if count <= PAIRWISE_MAX {
        let keys = &small[..count];
        for (i, &a) in keys.iter().enumerate() {
            for &b in &keys[i + 1..] {
                let (na, nb) = (&nodes[a as usize], &nodes[b as usize]);
                if keys_equal(input, na, nb) {
                    note(na, nb);
                }
            }
        }
        return Ok(first);
    }
    // Many members: sort copies of the keys in the order area, then compare neighbours.
    progress.sorted_duplicate_check();
    let base = tape.order_len();
    let mut result = Ok(());
    let mut i = obj + 1;
    while i < upto {
        let key = tape.nodes()[i];
        if let Err(e) = tape.order_push(key) {
            result = Err(e);
            break;
        }
        let value = i + 1;
        if value >= upto {
            break;
        }
        let v = tape.nodes()[value];
        if matches!(v.kind, Kind::Array | Kind::Object) && v.flags & flag::OPEN != 0 {
            break;
        }
        i = next_sibling(tape.nodes(), value);
    }
    if let Err(e) = result {
        tape.order_truncate(base);
        return Err(e);
    }
    let copies = &mut tape.order_mut()[base..];
    copies.sort_unstable_by(|a, b| {
        let (ea, eb) = (a.flags & flag::ESCAPED != 0, b.flags & flag::ESCAPED != 0);
        (a.flags & flag::INDEX, a.aux)
            .cmp(&(b.flags & flag::INDEX, b.aux))
            .then_with(|| strings::decoded_cmp(key_raw(input, a), ea, key_raw(input, b), eb))
            // Equal keys in document order: the first pair is the first and second occurrence.
            .then(a.start.cmp(&b.start))
    });
    for pair in copies.windows(2) {
        if keys_equal(input, &pair[0], &pair[1]) {
            note(&pair[0], &pair[1]);
        }
    }
    tape.order_truncate(base);
    Ok(first)
}

/// Records the ECMAScript key order of object `obj` (array-index keys ascending, then the
/// others in insertion order) in the order area, and points the object at it.
fn record_js_order<St: Store>(tape: &mut St, obj: usize) -> Result<(), Error> {
    let base = tape.order_len();
    let end = tape.nodes()[obj].aux as usize;
    // Index keys first (sorted below), then the rest in order.
    for pass_index in [true, false] {
        let mut i = obj + 1;
        while i < end {
            let key = tape.nodes()[i];
            if (key.flags & flag::INDEX != 0) == pass_index {
                tape.order_push(Node {
                    start: 0,
                    end: key.aux,
                    close: 0,
                    aux: i as u32,
                    kind: Kind::String,
                    flags: 0,
                })?;
            }
            i = next_sibling(tape.nodes(), i + 1);
        }
        if pass_index {
            tape.order_mut()[base..].sort_unstable_by_key(|n| n.end);
        }
    }
    flag_reordered(tape, obj, base);
    Ok(())
}

/// Marks object `obj` as printed in the order recorded at `base` of the order area; `true`.
#[inline]
fn flag_reordered<St: Store>(tape: &mut St, obj: usize, base: usize) -> bool {
    let node = &mut tape.nodes_mut()[obj];
    node.flags |= flag::REORDER;
    node.start = base as u32;
    true
}

/// JCS: whether the key `input[start..end]` (flags `flags`) sorts before key node `last`, by
/// their texts: for keys whose sort halves tie or are missing (out of line: the parser's key
/// step stays small). Keys are distinct (a repeated one is rejected as a duplicate), so "not
/// after" is "before".
#[cold]
#[inline(never)]
fn jcs_out_of_order(input: &[u8], last: &Node, start: usize, end: usize, flags: u8) -> bool {
    let key = Node { start: start as u32, end: end as u32, close: 0, aux: 0, kind: Kind::String, flags };
    !text_before(input, last, &key)
}

/// Whether key node `a` sorts before key node `b` by their text's UTF-16 code units: what
/// settles a tie of prefixes (rare: out of line).
#[cold]
#[inline(never)]
pub(crate) fn key_before(input: &[u8], nodes: &[Node], a: u32, b: u32) -> bool {
    text_before(input, &nodes[a as usize], &nodes[b as usize])
}

/// Whether key `a` sorts before key `b` by their texts' UTF-16 code units (RFC 8785 §3.2.3).
#[inline]
fn text_before(input: &[u8], a: &Node, b: &Node) -> bool {
    strings::utf16_cmp(key_raw(input, a), a.flags & flag::ESCAPED != 0, key_raw(input, b), b.flags & flag::ESCAPED != 0)
        .is_lt()
}

/// Whether key node `a` (JCS sort key `pa`) sorts before key node `b` (sort key `pb`): by the
/// sort keys when both keys have one (`none` is none: [`strings::NO_PREFIX`] for the parser's
/// 64-bit prefixes, [`strings::NO_HALF`] for the emitter's 32-bit halves) and they differ,
/// else by `text`, the keys' UTF-16 code units.
#[inline(always)]
pub(crate) fn jcs_before<P: Ord + Copy>(
    pa: P,
    a: u32,
    pb: P,
    b: u32,
    none: P,
    text: impl Fn(u32, u32) -> bool,
) -> bool {
    if pa != pb && pa != none && pb != none {
        pa < pb
    } else {
        text(a, b)
    }
}

/// Records the RFC 8785 member order of object `obj`, one of more than [`JCS_SMALL`] members
/// (names sorted by their UTF-16 code units, §3.2.3), in the order area and points the object
/// at it, unless the members are already in that order; returns whether it did. Entries hold
/// the key's [`strings::jcs_prefix`] in `start`/`end` (its halves) and the key node in `aux`,
/// checked, then sorted; the input is read again only on a tie of prefixes or for a key
/// without one. Smaller objects are sorted by the emitter (see `emit`). No allocation.
#[cold]
#[inline(never)]
fn record_jcs_order_large<St: Store>(input: &[u8], tape: &mut St, obj: usize) -> Result<bool, Error> {
    let base = tape.order_len();
    let end = tape.nodes()[obj].aux as usize;
    let mut i = obj + 1;
    while i < end {
        let key = &tape.nodes()[i];
        let prefix = strings::jcs_prefix(input, key.start, key.end, key.flags);
        tape.order_push(Node {
            start: (prefix >> 32) as u32,
            end: prefix as u32,
            close: 0,
            aux: i as u32,
            kind: Kind::String,
            flags: 0,
        })?;
        i = next_sibling(tape.nodes(), i + 1);
    }
    let prefix = |n: &Node| (u64::from(n.start) << 32) | u64::from(n.end);
    let (nodes, order) = tape.split_order_mut();
    let entries = &mut order[base..];
    let before = |a: &Node, b: &Node| {
        jcs_before(prefix(a), a.aux, prefix(b), b.aux, strings::NO_PREFIX, |x, y| key_before(input, nodes, x, y))
    };
    if entries.windows(2).all(|w| before(&w[0], &w[1])) {
        tape.order_truncate(base);
        return Ok(false);
    }
    entries.sort_unstable_by(
        |a, b| {
            if before(a, b) {
                core::cmp::Ordering::Less
            } else {
                core::cmp::Ordering::Greater
            }
        },
    );
    Ok(flag_reordered(tape, obj, base))
}

/// JCS: objects out of order with at most this many members are sorted by the emitter as it
/// prints them (see `emit`); larger ones when they close, in the order area
/// ([`record_jcs_order_large`]).
pub(crate) const JCS_SMALL: usize = 16;
