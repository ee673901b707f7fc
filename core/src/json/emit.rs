//! Pass two: walk the tape and write canonical bytes, with the dialect's hooks for strings,
//! numbers, key order (JavaScript, JCS) and list detection (PHP). Iterative: nesting never
//! recurses. JCS (RFC 8785) prints strings and numbers exactly as JavaScript does (§3.2.2: the
//! ECMAScript serialisation of primitives); only its member order differs.

use super::parser::{jcs_before, key_before, JCS_SMALL, MAX_DEPTH};
use super::tape::{flag, next_sibling, Kind, Node};
use super::{number, strings, Dialect};
use crate::{Buffered, Sink};

#[derive(Debug, Clone, Copy, Default)]
struct Frame {
    /// Next member: a tape index, or (ordered) an index into the order area.
    next: u32,
    end: u32,
    /// The offset of the closing bracket.
    close: u32,
    object: bool,
    ordered: bool,
    as_list: bool,
    first: bool,
}

/// The parts of a parsed document the emitter reads.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Parsed<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) nodes: &'a [Node],
    pub(crate) order: &'a [Node],
    /// The deepest nesting in the document.
    pub(crate) max_depth: usize,
}

/// Writes a string node (key or value).
#[inline]
pub(crate) fn string<S: Sink + ?Sized>(doc: &Parsed<'_>, n: &Node, dialect: Dialect, sink: &mut S) {
    let raw = &doc.input[n.start as usize..n.end as usize];
    match dialect {
        Dialect::Js | Dialect::Jcs => strings::emit_js(raw, n.flags, sink),
        Dialect::Php(php) => strings::emit_php(raw, n.flags, php, sink),
    }
}

#[inline]
fn scalar<S: Sink + ?Sized>(doc: &Parsed<'_>, n: &Node, dialect: Dialect, sink: &mut S) {
    match n.kind {
        Kind::Null => sink.write(b"null"),
        Kind::True => sink.write(b"true"),
        Kind::False => sink.write(b"false"),
        Kind::String => string(doc, n, dialect, sink),
        Kind::Number => {
            let text = &doc.input[n.start as usize..n.end as usize];
            match dialect {
                Dialect::Js | Dialect::Jcs => number::emit_js(text, n.flags, sink),
                Dialect::Php(_) => number::emit_php(text, n.flags, sink),
            }
        }
        Kind::Array | Kind::Object => {}
    }
}

/// The source of the member whose key is tape node `key`, `"key":value`, when the dialect
/// whose container bit is `verbatim` (`JSON.stringify`, and so JCS, or PHP with default flags)
/// prints it exactly as written: the key and the value print verbatim and nothing but the colon
/// stands between them. One write instead of one per token, for the members of objects that
/// are not verbatim themselves (JCS reorders most objects; PHP escapes `/` and non-ASCII).
#[inline(always)]
fn member_span<const PHP: bool>(doc: &Parsed<'_>, key: usize) -> Option<core::ops::Range<usize>> {
    let (k, v) = (&doc.nodes[key], doc.nodes.get(key + 1)?);
    // What makes a string print otherwise (as `Value::verbatim_span` reads the flags).
    let (differs, verbatim) = if PHP {
        (flag::PHP_DIFF | flag::SLASH | flag::NON_ASCII, flag::VERB_PHP)
    } else {
        (flag::JS_DIFF, flag::VERB_JS)
    };
    if k.flags & differs != 0 {
        return None;
    }
    let (start, end) = match v.kind {
        Kind::String if v.flags & differs == 0 => (v.start - 1, v.end + 1),
        Kind::Number if v.flags & flag::NUM_VERBATIM != 0 => (v.start, v.end),
        Kind::Null | Kind::True | Kind::False => (v.start, v.end),
        // A reordered object has lost its verbatim bit (and its `start` means something else);
        // a PHP list (or `{}`, printed `[]`) has lost PHP's.
        Kind::Array | Kind::Object if v.flags & verbatim != 0 => (v.start, v.close + 1),
        _ => return None,
    };
    // The value starts two bytes after the key's closing quote: the one byte between is the colon.
    (start == k.end + 2).then(|| k.start as usize - 1..end as usize)
}

/// The source of `"key":` when the dialect whose container bit is `verbatim` prints the key
/// as written and the colon follows its closing quote directly (compact input).
#[inline(always)]
fn key_span(doc: &Parsed<'_>, k: &Node, verbatim: u8) -> Option<core::ops::Range<usize>> {
    let differs = match verbatim {
        flag::VERB_JS => flag::JS_DIFF,
        flag::VERB_PHP => flag::PHP_DIFF | flag::SLASH | flag::NON_ASCII,
        _ => return None,
    };
    let colon = k.end as usize + 1;
    (k.flags & differs == 0 && doc.input.get(colon) == Some(&b':')).then(|| k.start as usize - 1..colon + 1)
}

/// The emitter's output: source spans that follow each other in the source are joined into
/// one copy (a run of members that print as written, with the brackets and commas around
/// them, goes out as one span however many tokens it has); anything else is written after
/// what is pending.
///
/// `JOIN` off, every span is written at once: [`value_jcs`]'s members, which are seldom next to
/// each other in the source when reordered (checking cost more than joining saved: callgrind,
/// 3.5 KiB notification, +1.5K instructions).
struct Out<'o, 's, S: Sink + ?Sized, const B: usize, const JOIN: bool> {
    sink: &'o mut Buffered<'s, S, B>,
    input: &'o [u8],
    /// The pending span, `input[from..to]` (empty when they are equal).
    from: usize,
    to: usize,
}

impl<'s, S: Sink + ?Sized, const B: usize, const JOIN: bool> Out<'_, 's, S, B, JOIN> {
    /// Writes `input[from..to]`: joined to the pending span when it starts where that ends.
    #[inline(always)]
    fn span(&mut self, from: usize, to: usize) {
        if !JOIN {
            self.sink.span(self.input, from, to);
            return;
        }
        if from != self.to {
            self.flush();
            self.from = from;
        }
        self.to = to;
    }

    /// Passes on the pending span.
    #[inline(always)]
    fn flush(&mut self) {
        if JOIN && self.from != self.to {
            self.sink.span(self.input, self.from, self.to);
            self.from = self.to;
        }
    }

    /// Writes bytes that are not the source's, after the pending span.
    #[inline(always)]
    fn write(&mut self, bytes: &[u8]) {
        self.flush();
        self.sink.write(bytes);
    }

    /// The sink, for a token written by its dialect's hook, after the pending span.
    #[inline(always)]
    fn sink(&mut self) -> &mut Buffered<'s, S, B> {
        self.flush();
        self.sink
    }
}

/// Writes a member's source span, after a comma unless it is the first: the source's own comma
/// when it is the byte before (compact input), in the same copy.
#[inline(always)]
fn member<S: Sink + ?Sized, const B: usize, const JOIN: bool>(
    out: &mut Out<'_, '_, S, B, JOIN>,
    first: &mut bool,
    span: core::ops::Range<usize>,
) {
    let from = if *first {
        span.start
    } else if out.input.get(span.start.wrapping_sub(1)) == Some(&b',') {
        span.start - 1
    } else {
        out.write(b",");
        span.start
    };
    out.span(from, span.end);
    *first = false;
}

/// The source span of scalar `n` when the dialect whose container bit is `verbatim` prints it
/// as written (as [`member_span`] reads the flags; strings only when that bit is not 0).
#[inline(always)]
fn scalar_span(n: &Node, verbatim: u8) -> Option<(usize, usize)> {
    let differs = match verbatim {
        flag::VERB_JS => flag::JS_DIFF,
        flag::VERB_PHP => flag::PHP_DIFF | flag::SLASH | flag::NON_ASCII,
        _ => u8::MAX,
    };
    match n.kind {
        Kind::String if n.flags & differs == 0 => Some((n.start as usize - 1, n.end as usize + 1)),
        Kind::Number if n.flags & flag::NUM_VERBATIM != 0 => Some((n.start as usize, n.end as usize)),
        Kind::Null | Kind::True | Kind::False => Some((n.start as usize, n.end as usize)),
        _ => None,
    }
}

/// Where the source of value `n` starts, when it is printed from there on (a reordered
/// object's `start` means something else).
#[inline(always)]
fn source_start(n: &Node) -> Option<usize> {
    match n.kind {
        Kind::String => Some(n.start as usize - 1),
        Kind::Object if n.flags & flag::REORDER != 0 => None,
        _ => Some(n.start as usize),
    }
}

/// Writes the value rooted at tape index `root`, with a stack sized for the document's depth
/// (an 8 KiB stack to clear on every call would cost as much as a small document).
pub(crate) fn value<S: Sink + ?Sized>(doc: &Parsed<'_>, root: usize, dialect: Dialect, sink: &mut S) {
    // JCS writes one short span per member (reordered members are seldom adjacent): a larger
    // buffer passes them on in fewer writes (callgrind, 3.5 KiB notification into a `Vec`:
    // -425 instructions with 1 KiB; JavaScript and PHP, whose spans are longer, +154 and +74).
    if dialect == Dialect::Jcs {
        let sink = &mut Buffered::<S, 1024>::new(sink);
        match doc.max_depth {
            0..=8 => value_jcs::<8, _, 1024>(doc, root, sink),
            9..=32 => value_jcs::<32, _, 1024>(doc, root, sink),
            _ => value_jcs::<{ MAX_DEPTH + 1 }, _, 1024>(doc, root, sink),
        }
        return;
    }
    let sink = &mut Buffered::<S, 256>::new(sink);
    match doc.max_depth {
        0..=8 => value_with::<8, _, 256, true>(doc, root, dialect, sink),
        9..=32 => value_with::<32, _, 256, true>(doc, root, dialect, sink),
        _ => value_with::<{ MAX_DEPTH + 1 }, _, 256, true>(doc, root, dialect, sink),
    }
}

/// How [`value_jcs`] walks an open container's members.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Walk {
    /// In document order: `next` is a tape index, `end` the one past the subtree.
    #[default]
    Document,
    /// Sorted when the object closed (a large one): `next..end` index the order area.
    Area,
    /// Sorted by the emitter as it opened the object: `next..end` index its sorted keys.
    Sorted,
    /// Sorted keys that did not fit: each next member is found among all of them (the
    /// smallest name above the last one written, `last`); `next` of `end` written.
    Select,
}

/// An open container of [`value_jcs`].
#[derive(Debug, Clone, Copy, Default)]
struct JcsFrame {
    next: u32,
    end: u32,
    /// [`Walk::Sorted`]: where its keys start among the sorted ones (freed when it closes).
    /// [`Walk::Select`]: the object's node.
    base: u32,
    /// [`Walk::Select`]: the key node written last (`u32::MAX` before the first).
    last: u32,
    walk: Walk,
    object: bool,
    first: bool,
}

/// Room for the sorted keys of the objects [`value_jcs`] has open and sorts itself (each has
/// at most [`JCS_SMALL`] members); past it, [`Walk::Select`].
const SORTED_KEYS: usize = 128;

/// [`value_with`] for JCS, which reorders most objects: one loop over the innermost open
/// container's members, each written as its source span when it prints as written (most
/// members: a key and a scalar), else key then value; a member whose value is a container that
/// does not print as written opens it. No span joining (reordered members are seldom next to
/// each other in the source), no PHP lists, no dialect hooks but JavaScript's.
///
/// A small object whose members are out of order (flag `SORT`) is sorted here, as it opens:
/// its keys by their sort halves ([`strings::jcs_half`], their texts on a tie), into an
/// array on the stack shared by the open objects (no allocation, nothing recorded by the
/// parser). A large one was sorted by the parser, into the tape's order area (flag `REORDER`).
fn value_jcs<const N: usize, S: Sink + ?Sized, const B: usize>(
    doc: &Parsed<'_>,
    root: usize,
    sink: &mut Buffered<'_, S, B>,
) {
    let (nodes, input) = (doc.nodes, doc.input);
    let mut stack = [JcsFrame::default(); N];
    let mut sorted = [0u64; SORTED_KEYS];
    let mut top = 0usize;
    let mut depth = 0usize;
    let mut open = jcs_value(doc, root, sink);
    loop {
        if let Some(i) = open.take() {
            let n = &nodes[i];
            let object = n.kind == Kind::Object;
            sink.write(if object { b"{" } else { b"[" });
            let frame = if object && n.flags & flag::REORDER != 0 {
                JcsFrame { next: n.start, end: n.start + n.end, walk: Walk::Area, ..JcsFrame::default() }
            } else if object && n.flags & flag::SORT != 0 {
                let members = n.end as usize;
                match sorted.get_mut(top..top + members) {
                    Some(keys) if members <= JCS_SMALL => {
                        sort_keys(input, nodes, i, keys);
                        let base = top as u32;
                        top += members;
                        JcsFrame { next: base, end: top as u32, base, walk: Walk::Sorted, ..JcsFrame::default() }
                    }
                    _ => JcsFrame {
                        next: 0,
                        end: n.end,
                        base: i as u32,
                        last: u32::MAX,
                        walk: Walk::Select,
                        ..JcsFrame::default()
                    },
                }
            } else {
                JcsFrame { next: i as u32 + 1, end: n.aux, ..JcsFrame::default() }
            };
            // `N` exceeds the document's depth (see `value`).
            stack[depth] = JcsFrame { object, first: true, ..frame };
            depth += 1;
        }
        if depth == 0 {
            return; // a scalar, or a container printed as written
        }
        let f = &mut stack[depth - 1];
        while f.next < f.end {
            let comma = !f.first;
            f.first = false;
            let value = if f.object {
                let key = match f.walk {
                    Walk::Document => {
                        let k = f.next as usize;
                        f.next = next_sibling(nodes, k + 1) as u32;
                        k
                    }
                    Walk::Area => {
                        let k = doc.order[f.next as usize].aux as usize;
                        f.next += 1;
                        k
                    }
                    Walk::Sorted => {
                        let k = sorted[f.next as usize] as u32 as usize;
                        f.next += 1;
                        k
                    }
                    Walk::Select => {
                        let k = select_next(input, nodes, f.base as usize, f.last);
                        (f.last, f.next) = (k as u32, f.next + 1);
                        k
                    }
                };
                if let Some(span) = member_span::<false>(doc, key) {
                    // Written at once (`JOIN` off), with the source's comma when it is the byte
                    // before (compact input, members in document order).
                    member(&mut Out::<S, B, false> { sink, input, from: 0, to: 0 }, &mut !comma, span);
                    continue;
                }
                if comma {
                    sink.write(b",");
                }
                let k = &nodes[key];
                match key_span(doc, k, flag::VERB_JS) {
                    Some(span) => sink.span(input, span.start, span.end),
                    None => {
                        string(doc, k, Dialect::Jcs, sink);
                        sink.write(b":");
                    }
                }
                key + 1
            } else {
                let v = f.next as usize;
                f.next = next_sibling(nodes, v) as u32;
                if comma {
                    sink.write(b",");
                }
                v
            };
            open = jcs_value(doc, value, sink);
            if open.is_some() {
                break;
            }
        }
        if open.is_none() {
            sink.write(if f.object { b"}" } else { b"]" });
            if f.walk == Walk::Sorted {
                top = f.base as usize;
            }
            depth -= 1;
            if depth == 0 {
                return;
            }
        }
    }
}

/// Writes value `i` for [`value_jcs`], unless it is a container that does not print as written:
/// then returns it, for the caller to open.
#[inline(always)]
fn jcs_value<S: Sink + ?Sized, const B: usize>(
    doc: &Parsed<'_>,
    i: usize,
    sink: &mut Buffered<'_, S, B>,
) -> Option<usize> {
    let n = &doc.nodes[i];
    if matches!(n.kind, Kind::Array | Kind::Object) {
        if n.flags & flag::VERB_JS == 0 {
            return Some(i);
        }
        sink.span(doc.input, n.start as usize, n.close as usize + 1);
    } else {
        match scalar_span(n, flag::VERB_JS) {
            Some((from, to)) => sink.span(doc.input, from, to),
            None => scalar(doc, n, Dialect::Jcs, sink),
        }
    }
    None
}

/// Fills `entries` (as many as object `obj` has members, at most [`JCS_SMALL`]) with the
/// object's key nodes in RFC 8785 order (names by their UTF-16 code units, §3.2.3), each entry
/// the key's node index below its sort half ([`strings::jcs_half`], which the parser left in
/// the key node's `close`): an insertion sort of plain integers as the keys are gathered,
/// exact wherever two halves differ (see [`strings::jcs_half`]). A tie, or a key without a
/// half, sends the object to [`sort_by_text`]. Names are distinct (duplicates were rejected).
#[inline(always)]
fn sort_keys(input: &[u8], nodes: &[Node], obj: usize, entries: &mut [u64]) {
    let mut k = obj + 1;
    let mut exact = true;
    for i in 0..entries.len() {
        let half = nodes[k].close;
        let entry = (u64::from(half) << 32) | k as u64;
        exact &= half != strings::NO_HALF;
        // Entries moved up have a greater half (a node index is never below an earlier one):
        // only the one it stops at can tie with it.
        let mut j = i;
        while let Some(&prev) = j.checked_sub(1).and_then(|p| entries.get(p)) {
            if prev < entry {
                exact &= (prev >> 32) as u32 != half;
                break;
            }
            entries[j] = prev;
            j -= 1;
        }
        entries[j] = entry;
        k = next_sibling(nodes, k + 1);
    }
    if !exact {
        sort_by_text(input, nodes, entries);
    }
}

/// [`sort_keys`] where sort halves tie or are missing: compares such keys by their texts. The
/// entries arrive sorted as integers (halves, then node indices): when every key has a half,
/// an entry stops at the first smaller half, so only runs of equal halves are compared.
#[cold]
#[inline(never)]
fn sort_by_text(input: &[u8], nodes: &[Node], entries: &mut [u64]) {
    let before = |a: u64, b: u64| {
        let (pa, pb) = ((a >> 32) as u32, (b >> 32) as u32);
        jcs_before(pa, a as u32, pb, b as u32, strings::NO_HALF, |x, y| key_before(input, nodes, x, y))
    };
    for i in 1..entries.len() {
        let entry = entries[i];
        let mut j = i;
        while j > 0 && before(entry, entries[j - 1]) {
            entries[j] = entries[j - 1];
            j -= 1;
        }
        entries[j] = entry;
    }
}

/// [`Walk::Select`]: the key node of object `obj`'s member whose name is the smallest above
/// key node `last`'s (any name when `last` is `u32::MAX`). Rare (the sorted keys of the open
/// objects did not fit): quadratic in the object's members, which are few.
#[cold]
#[inline(never)]
fn select_next(input: &[u8], nodes: &[Node], obj: usize, last: u32) -> usize {
    let end = nodes[obj].aux as usize;
    let mut best: Option<usize> = None;
    let mut k = obj + 1;
    while k < end {
        let above = last == u32::MAX || key_before(input, nodes, last, k as u32);
        if above && best.is_none_or(|b| key_before(input, nodes, k as u32, b as u32)) {
            best = Some(k);
        }
        k = next_sibling(nodes, k + 1);
    }
    best.unwrap_or(obj + 1)
}

fn value_with<const N: usize, S: Sink + ?Sized, const B: usize, const JOIN: bool>(
    doc: &Parsed<'_>,
    root: usize,
    dialect: Dialect,
    sink: &mut Buffered<'_, S, B>,
) {
    // Local, so that the pending span stays in registers.
    let out = &mut Out::<S, B, JOIN> { sink, input: doc.input, from: 0, to: 0 };
    let nodes = doc.nodes;
    let verbatim = match dialect {
        Dialect::Js | Dialect::Jcs => flag::VERB_JS,
        Dialect::Php(php) if !php.unescaped_slashes && !php.unescaped_unicode => flag::VERB_PHP,
        Dialect::Php(_) => 0,
    };
    let mut stack = [Frame::default(); N];
    let mut depth = 0usize;
    let mut pending = Some(root);
    loop {
        if let Some(i) = pending.take() {
            let n = nodes[i];
            if n.flags & verbatim != 0 && matches!(n.kind, Kind::Array | Kind::Object) {
                // Already canonical: the source span is the output.
                out.span(n.start as usize, n.close as usize + 1);
                if depth == 0 {
                    break;
                }
            }
            let frame = match (n.kind, dialect) {
                _ if n.flags & verbatim != 0 && matches!(n.kind, Kind::Array | Kind::Object) => Frame::default(),
                (Kind::Array, _) => {
                    out.span(n.start as usize, n.start as usize + 1);
                    Frame { next: i as u32 + 1, end: n.aux, close: n.close, ..Frame::default() }
                }
                (Kind::Object, Dialect::Php(_)) if n.flags & flag::LIST != 0 => {
                    out.write(b"[");
                    Frame { next: i as u32 + 1, end: n.aux, object: true, as_list: true, ..Frame::default() }
                }
                (Kind::Object, Dialect::Js | Dialect::Jcs) if n.flags & flag::REORDER != 0 => {
                    out.write(b"{");
                    Frame {
                        next: n.start,
                        end: n.start + n.end,
                        close: n.close,
                        object: true,
                        ordered: true,
                        ..Frame::default()
                    }
                }
                (Kind::Object, _) => {
                    out.span(n.start as usize, n.start as usize + 1);
                    Frame { next: i as u32 + 1, end: n.aux, close: n.close, object: true, ..Frame::default() }
                }
                _ => {
                    match scalar_span(&n, verbatim) {
                        Some((from, to)) => out.span(from, to),
                        None => scalar(doc, &n, dialect, out.sink()),
                    }
                    if depth == 0 {
                        break;
                    }
                    Frame::default()
                }
            };
            if matches!(n.kind, Kind::Array | Kind::Object) && n.flags & verbatim == 0 {
                stack[depth] = Frame { first: true, ..frame };
                depth += 1;
            }
        }
        if depth == 0 {
            break;
        }
        let f = &mut stack[depth - 1];
        // Members that print as written (most of them): one copy each, comma included, without
        // the general step below. Reordered objects (JavaScript, JCS) take theirs from the
        // order area; PHP's are in document order.
        if f.ordered {
            // Reordered members are seldom next to each other in the source: each is its own
            // copy, past the joining of spans.
            out.flush();
            while f.next < f.end {
                let key = doc.order[f.next as usize].aux as usize;
                let Some(span) = member_span::<false>(doc, key) else { break };
                let from = if f.first {
                    span.start
                } else if doc.input.get(span.start.wrapping_sub(1)) == Some(&b',') {
                    span.start - 1
                } else {
                    out.sink.write(b",");
                    span.start
                };
                out.sink.span(doc.input, from, span.end);
                f.first = false;
                f.next += 1;
            }
        } else if f.object && !f.as_list && verbatim != 0 {
            let php = verbatim == flag::VERB_PHP;
            while f.next < f.end {
                let key = f.next as usize;
                let span = if php { member_span::<true>(doc, key) } else { member_span::<false>(doc, key) };
                let Some(span) = span else { break };
                member(out, &mut f.first, span);
                f.next = next_sibling(nodes, key + 1) as u32;
            }
        }
        if f.next >= f.end {
            if f.as_list {
                out.write(b"]");
            } else {
                // The source's own closing bracket (the same in every dialect but PHP's lists).
                out.span(f.close as usize, f.close as usize + 1);
            }
            depth -= 1;
            continue;
        }
        let comma = !f.first;
        f.first = false;
        if f.object {
            let key = if f.ordered {
                let k = doc.order[f.next as usize].aux as usize;
                f.next += 1;
                k
            } else {
                let k = f.next as usize;
                f.next = next_sibling(nodes, k + 1) as u32;
                k
            };
            if !f.as_list {
                let k = &nodes[key];
                if let Some(span) = key_span(doc, k, verbatim) {
                    // `"key":` as written, with the source's comma before it when there is one.
                    let mut first = !comma;
                    member(out, &mut first, span);
                } else {
                    if comma {
                        out.write(b",");
                    }
                    string(doc, k, dialect, out.sink());
                    out.write(b":");
                }
            } else if comma {
                out.write(b",");
            }
            pending = Some(key + 1);
        } else {
            let v = f.next as usize;
            if comma {
                // The source's comma when it is the byte before the element.
                match source_start(&nodes[v]).and_then(|s| s.checked_sub(1)) {
                    Some(c) if doc.input[c] == b',' => out.span(c, c + 1),
                    _ => out.write(b","),
                }
            }
            f.next = next_sibling(nodes, v) as u32;
            pending = Some(v);
        }
    }
    out.flush();
}
