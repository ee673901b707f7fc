//! The token tape: a flat record of a validated document, written by the parser into
//! caller-owned scratch and read by the emitter and by [`Document`](super::Document).
//!
//! Each token is one [`Node`]. Containers record where their subtree ends so that a reader can
//! skip them in O(1); object members are a key node followed by the value's subtree.

use super::Error;

/// One token of a parsed document (opaque; 20 bytes).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Node {
    /// Strings: offset after the opening quote. Numbers, literals: first byte. Containers:
    /// offset of the bracket, except reordered objects: where their order entries start.
    pub(crate) start: u32,
    /// Strings: offset of the closing quote. Numbers, literals: one past the last byte.
    /// Containers: number of members or elements. Order entries: the key's index value.
    pub(crate) end: u32,
    /// Containers: offset of the closing bracket. Keys (JCS): the top half of their sort prefix
    /// (`u32::MAX`: none; see the parser). Others: 0.
    pub(crate) close: u32,
    /// Containers: index of the first node after the subtree (while open: the last array-index
    /// key seen). Keys: the array-index value (flag `INDEX`), else a hash of the decoded key.
    /// Order entries: the key's node index (a large JCS object's entries hold its sort prefix
    /// in `start` and `end` while it is sorted).
    pub(crate) aux: u32,
    pub(crate) kind: Kind,
    pub(crate) flags: u8,
}

/// The kind of a JSON value.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[repr(u8)]
pub enum Kind {
    /// `null`
    #[default]
    Null,
    /// `false`
    False,
    /// `true`
    True,
    /// A number.
    Number,
    /// A string.
    String,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// Node flags; their meaning depends on the node's kind.
pub(crate) mod flag {
    /// Strings: the source contains a backslash escape.
    pub const ESCAPED: u8 = 1;
    /// Strings: the source contains a byte >= 0x80.
    pub const NON_ASCII: u8 = 2;
    /// Strings: the source contains a raw `/`.
    pub const SLASH: u8 = 4;
    /// Keys: an array index ("0".."4294967294" in canonical decimal), value in `aux`.
    pub const INDEX: u8 = 8;
    /// Strings: an escape that `JSON.stringify` would print differently (or not at all).
    pub const JS_DIFF: u8 = 16;
    /// Strings: an escape that `json_encode` (default flags) would print differently.
    pub const PHP_DIFF: u8 = 32;
    /// Numbers: no fraction and no exponent.
    pub const INT: u8 = 8;
    /// Numbers: both dialects print the literal exactly as written.
    pub const NUM_VERBATIM: u8 = 16;
    /// Containers: `JSON.stringify` prints the source span unchanged.
    pub const VERB_JS: u8 = 64;
    /// Containers: `json_encode` with default flags prints the source span unchanged.
    pub const VERB_PHP: u8 = 128;
    /// Both verbatim bits.
    pub const VERBATIM: u8 = VERB_JS | VERB_PHP;
    /// Open containers: still being parsed.
    pub const OPEN: u8 = 1;
    /// Open objects (JavaScript): an array-index key was seen.
    pub const HAS_INDEX: u8 = 2;
    /// Closed objects (JCS; an open object's [`HAS_INDEX`] bit): members out of order, few
    /// enough ([`JCS_SMALL`](crate::json::parser::JCS_SMALL) at most) for the emitter to sort.
    pub const SORT: u8 = 2;
    /// Open objects: a key that is not an array index was seen.
    pub const SEEN_OTHER: u8 = 4;
    /// Objects (JavaScript, JCS): members are not already in the dialect's key order.
    pub const REORDER: u8 = 16;
    /// Objects (PHP): keys are exactly "0".."n-1" in order (or there are none).
    pub const LIST: u8 = 32;
    /// Open objects: too many members for the incremental duplicate check; checked on close.
    pub const BIG: u8 = 8;
    /// Flags that only mean something while a container is open.
    pub const WHILE_OPEN: u8 = OPEN | HAS_INDEX | SEEN_OTHER;
}

/// Scratch for the token tape: a caller slice (no allocation, for `no_std`) or, with the
/// `alloc` feature, `Vec`s that grow and are reused across documents.
///
/// Besides the tokens, the tape keeps an *order area*: for every JavaScript object whose keys
/// must be reordered (and every JCS object of more than 16 members out of order), the member
/// order to print, and temporary copies of keys while duplicate keys are looked for. [`Tape::required_len`] entries always suffice for an input of a given
/// length.
#[derive(Debug)]
pub struct Tape<'s> {
    pub(crate) storage: Storage<'s>,
    /// The deepest nesting of the last document parsed (sizes the emitter's stack).
    pub(crate) max_depth: usize,
}

#[derive(Debug)]
pub(crate) enum Storage<'s> {
    /// Tokens grow in `buf[..order_base]`, the order area in `buf[order_base..]`.
    Slice { buf: &'s mut [Node], len: usize, order_base: usize, order_len: usize },
    #[cfg(feature = "alloc")]
    Vec { nodes: alloc::vec::Vec<Node>, order: alloc::vec::Vec<Node> },
}

#[cfg(feature = "alloc")]
impl Default for Tape<'static> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(feature = "alloc")]
impl Tape<'static> {
    /// An empty growable tape. It allocates while it grows and keeps its capacity, so a tape
    /// reused across documents stops allocating once it has seen the largest.
    #[must_use]
    pub fn new() -> Self {
        Self { storage: Storage::Vec { nodes: alloc::vec::Vec::new(), order: alloc::vec::Vec::new() }, max_depth: 0 }
    }

    /// A growable tape with room for documents of `input_len` bytes.
    #[must_use]
    pub fn with_capacity_for(input_len: usize) -> Self {
        let nodes = input_len / 2 + 2;
        Self {
            storage: Storage::Vec {
                nodes: alloc::vec::Vec::with_capacity(nodes),
                order: alloc::vec::Vec::with_capacity(nodes / 2 + 1),
            },
            max_depth: 0,
        }
    }
}

impl<'s> Tape<'s> {
    /// A fixed tape over caller scratch (two thirds for tokens, one third for the order area);
    /// documents that need more fail with [`Error::ScratchTooSmall`].
    pub fn from_slice(buf: &'s mut [Node]) -> Self {
        let order_base = buf.len() - buf.len() / 3;
        Self { storage: Storage::Slice { buf, len: 0, order_base, order_len: 0 }, max_depth: 0 }
    }

    /// Entries of scratch that always suffice for an input of `input_len` bytes, valid or not:
    /// every token takes at least one byte of input (an unclosed run of brackets is one token
    /// per byte, and it is only known to be invalid at its end), and the order area needs at
    /// most one entry per object member, half as many: the same for every dialect (JCS's
    /// sorted member order lives there too, so [`Dialect::Jcs`](super::Dialect::Jcs) needs no
    /// more scratch than JavaScript).
    #[must_use]
    pub const fn required_len(input_len: usize) -> usize {
        (input_len + 2) * 3 / 2 + 3
    }

    pub(crate) fn clear(&mut self) {
        self.max_depth = 0;
        match &mut self.storage {
            Storage::Slice { len, order_len, .. } => {
                *len = 0;
                *order_len = 0;
            }
            #[cfg(feature = "alloc")]
            Storage::Vec { nodes, order } => {
                nodes.clear();
                order.clear();
            }
        }
    }

    #[inline]
    pub(crate) fn nodes(&self) -> &[Node] {
        match &self.storage {
            Storage::Slice { buf, len, .. } => &buf[..*len],
            #[cfg(feature = "alloc")]
            Storage::Vec { nodes, .. } => nodes,
        }
    }

    #[inline]
    pub(crate) fn order(&self) -> &[Node] {
        match &self.storage {
            Storage::Slice { buf, order_base, order_len, .. } => &buf[*order_base..*order_base + *order_len],
            #[cfg(feature = "alloc")]
            Storage::Vec { order, .. } => order,
        }
    }
}

/// What the parser needs of a tape: one implementation per storage, so that the hot loop is
/// compiled once for each and never dispatches on the storage per token.
pub(crate) trait Store {
    /// The same store borrowed for a shorter time (see [`Store::detached`]).
    type Detached<'b>: Store
    where
        Self: 'b;
    /// Calls `f` with a copy of this store's handle (its counters written back afterwards), so
    /// that code calling out of line with the store never takes the address of the original:
    /// the parser keeps its store in registers only while nothing needs its address.
    fn detached<R>(&mut self, f: impl FnOnce(&mut Self::Detached<'_>) -> R) -> R;
    fn push(&mut self, node: Node) -> Result<(), Error>;
    fn nodes(&self) -> &[Node];
    fn nodes_mut(&mut self) -> &mut [Node];
    fn order_push(&mut self, node: Node) -> Result<(), Error>;
    fn order_len(&self) -> usize;
    fn order_truncate(&mut self, len: usize);
    /// Forgets every token and order entry (a parse starting again).
    fn clear(&mut self);
    fn order_mut(&mut self) -> &mut [Node];
    /// The tokens, and the order area to write (a sort of order entries that reads the keys).
    fn split_order_mut(&mut self) -> (&[Node], &mut [Node]);
    #[inline]
    fn len(&self) -> usize {
        self.nodes().len()
    }
}

/// A caller slice, split: tokens in `tokens` (the first two thirds), the order area in `order`.
/// The tokens' length is held by value while parsing (the hot path's counter stays out of
/// double indirection) and written back to the tape afterwards; the order area, used only when
/// objects close, is one pointer away (three values fewer for the parser to keep at hand).
pub(crate) struct SliceStore<'a, 'o> {
    pub(crate) tokens: &'a mut [Node],
    pub(crate) order: &'a mut OrderArea<'o>,
    pub(crate) len: usize,
}

/// The order area of a slice tape, and how much of it is used.
pub(crate) struct OrderArea<'o> {
    pub(crate) nodes: &'o mut [Node],
    pub(crate) len: usize,
}

impl<'o> Store for SliceStore<'_, 'o> {
    type Detached<'b>
        = SliceStore<'b, 'o>
    where
        Self: 'b;
    #[inline(always)]
    fn detached<R>(&mut self, f: impl FnOnce(&mut SliceStore<'_, 'o>) -> R) -> R {
        let mut copy = SliceStore { tokens: &mut *self.tokens, order: &mut *self.order, len: self.len };
        let result = f(&mut copy);
        self.len = copy.len;
        result
    }
    #[inline]
    fn push(&mut self, node: Node) -> Result<(), Error> {
        let Some(slot) = self.tokens.get_mut(self.len) else {
            return Err(Error::ScratchTooSmall { needed: (self.len + 1) * 3 / 2 });
        };
        // Field by field: a node assembled in registers is stored directly (a whole-struct
        // copy can go through a stack temporary, whose wide reload misses store forwarding).
        slot.start = node.start;
        slot.end = node.end;
        slot.close = node.close;
        slot.aux = node.aux;
        slot.kind = node.kind;
        slot.flags = node.flags;
        self.len += 1;
        Ok(())
    }
    #[inline]
    fn nodes(&self) -> &[Node] {
        &self.tokens[..self.len]
    }
    /// The counter itself (the default slices the tokens first: a bounds check per call).
    #[inline]
    fn len(&self) -> usize {
        self.len
    }
    #[inline]
    fn nodes_mut(&mut self) -> &mut [Node] {
        &mut self.tokens[..self.len]
    }
    #[inline]
    fn order_push(&mut self, node: Node) -> Result<(), Error> {
        let at = self.order.len;
        let needed = (self.tokens.len() + at + 1) * 3 / 2;
        let slot = self.order.nodes.get_mut(at).ok_or(Error::ScratchTooSmall { needed })?;
        *slot = node;
        self.order.len += 1;
        Ok(())
    }
    #[inline]
    fn order_len(&self) -> usize {
        self.order.len
    }
    #[inline]
    fn order_truncate(&mut self, len: usize) {
        self.order.len = self.order.len.min(len);
    }
    #[inline]
    fn order_mut(&mut self) -> &mut [Node] {
        &mut self.order.nodes[..self.order.len]
    }
    #[inline]
    fn split_order_mut(&mut self) -> (&[Node], &mut [Node]) {
        (&self.tokens[..self.len], &mut self.order.nodes[..self.order.len])
    }
    #[inline]
    fn clear(&mut self) {
        (self.len, self.order.len) = (0, 0);
    }
}

/// Growable vectors (the `alloc` feature).
#[cfg(feature = "alloc")]
pub(crate) struct VecStore<'a> {
    pub(crate) nodes: &'a mut alloc::vec::Vec<Node>,
    pub(crate) order: &'a mut alloc::vec::Vec<Node>,
}

#[cfg(feature = "alloc")]
impl Store for VecStore<'_> {
    type Detached<'b>
        = VecStore<'b>
    where
        Self: 'b;
    #[inline(always)]
    fn detached<R>(&mut self, f: impl FnOnce(&mut VecStore<'_>) -> R) -> R {
        f(&mut VecStore { nodes: &mut *self.nodes, order: &mut *self.order })
    }
    #[inline]
    fn push(&mut self, node: Node) -> Result<(), Error> {
        self.nodes.push(node);
        Ok(())
    }
    #[inline]
    fn nodes(&self) -> &[Node] {
        self.nodes
    }
    #[inline]
    fn nodes_mut(&mut self) -> &mut [Node] {
        self.nodes
    }
    #[inline]
    fn order_push(&mut self, node: Node) -> Result<(), Error> {
        self.order.push(node);
        Ok(())
    }
    #[inline]
    fn order_len(&self) -> usize {
        self.order.len()
    }
    #[inline]
    fn order_truncate(&mut self, len: usize) {
        self.order.truncate(len);
    }
    #[inline]
    fn order_mut(&mut self) -> &mut [Node] {
        self.order
    }
    #[inline]
    fn split_order_mut(&mut self) -> (&[Node], &mut [Node]) {
        (self.nodes, self.order)
    }
    #[inline]
    fn clear(&mut self) {
        self.nodes.clear();
        self.order.clear();
    }
}

/// Index of the first node after the subtree rooted at `i`.
#[inline]
pub(crate) fn next_sibling(nodes: &[Node], i: usize) -> usize {
    let n = nodes[i];
    match n.kind {
        Kind::Array | Kind::Object => n.aux as usize,
        _ => i + 1,
    }
}
