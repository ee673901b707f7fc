//! Hashing while parsing. SHA-256 is a chain of dependent rounds: alone it leaves most of the
//! core idle, and a parse is mostly branches and loads. Fed the notification's bytes while the
//! parser is still reading, the two overlap.
//!
//! What is fed is a guess: that the body is PHP's own compact `json_encode` output, where the
//! hashed JSON, `{"order":…,"client":…,"extra_data":…}`, is `{` followed by the source bytes
//! from the top-level `"order"` key to the end of the last hashed value. After the parse,
//! [`Speculation::finish`] accepts the guess only if the tape proves it byte for byte (the
//! members adjacent and in that order, each value printing exactly as written); otherwise the
//! caller hashes the selected members the ordinary way. A wrong guess costs time, never a
//! wrong digest.

use super::data::Located;
use super::SignatureKey;
use crate::json::parser::Progress;
use crate::json::Dialect;
use crate::mac::{sha256_block, Sha256ThenSecret, SHA256_IV};

/// The hashed JSON's prefix as PHP prints it, which the guessed region starts with.
const ORDER: &[u8] = br#""order":"#;
const CLIENT: &[u8] = br#","client":"#;
const EXTRA_DATA: &[u8] = br#","extra_data":"#;
const BLOCK: usize = 64;

/// A SHA-256 of `{` + the body from `start`, fed whole blocks as the parser reads: the
/// compression function (`sha2::compress256`, SHA-NI when the CPU has it) on the body's bytes
/// in place, one block at a time, with no buffer; the tail and the padding in
/// [`Speculation::finish`].
pub(crate) struct Speculation {
    /// The chaining value after `blocks` blocks of the message.
    state: [u32; 8],
    /// Offset of the quote of the guessed top-level `"order"` key; `None`: no guess.
    start: Option<usize>,
    /// Whole blocks of the message (`{` + `body[start..]`) hashed so far.
    blocks: usize,
    /// Where the parser must be before the next block is whole (`usize::MAX` with no guess).
    next: usize,
}

impl Speculation {
    /// A guess for `body`: where `"order":{` first appears (an object, compact).
    pub(crate) fn new(body: &[u8]) -> Self {
        let start = find_order(body);
        // Message byte `i > 0` is `body[start + i - 1]`: block `k` is whole once the parser
        // has read up to `start + 64 k + 63`.
        Self { state: SHA256_IV, start, blocks: 0, next: start.map_or(usize::MAX, |s| s + BLOCK - 1) }
    }

    /// No guess: [`Speculation::finish`] returns `None`.
    pub(crate) fn none() -> Self {
        Self { state: SHA256_IV, start: None, blocks: 0, next: usize::MAX }
    }

    /// The message's bytes `[64 blocks, ..)` that are in `body[..end]` (none of the `{`: only
    /// called with `blocks > 0`).
    fn after_blocks<'b>(&self, body: &'b [u8], start: usize, end: usize) -> Option<&'b [u8]> {
        body.get(start + self.blocks * BLOCK - 1..end)
    }

    /// The digest of the PHP default-flags encoding of `found`'s members and `key`, if the
    /// guess holds for the parsed body.
    pub(crate) fn finish(self, body: &[u8], found: &Located<'_>, key: &SignatureKey) -> Option<[u8; 32]> {
        let start = self.start?;
        let dialect = Dialect::php_default();
        let mut at = start;
        let mut next = |prefix: &[u8], value: crate::json::Value<'_>| -> Option<()> {
            let span = value.verbatim_span(dialect)?;
            (body.get(at..span.start)? == prefix).then(|| at = span.end)
        };
        next(ORDER, found.order()?)?;
        next(CLIENT, found.client()?)?;
        if let Some(extra) = found.extra_data() {
            next(EXTRA_DATA, extra)?;
        }
        let mut hash = if self.blocks == 0 {
            let mut hash = Sha256ThenSecret::new();
            hash.update(b"{");
            hash.update(body.get(start..at)?);
            hash
        } else {
            let mut hash = Sha256ThenSecret::resume(self.state, self.blocks);
            hash.update(self.after_blocks(body, start, at)?);
            hash
        };
        hash.update(b"}");
        Some(hash.finish(key.expose()))
    }

    /// Hashes the whole blocks of the message read before `pos`.
    #[inline(never)]
    fn feed(&mut self, body: &[u8], pos: usize) {
        let Some(start) = self.start else { return };
        let whole = (pos + 1 - start) / BLOCK;
        if self.blocks == 0 {
            let Some(rest) = body.get(start..start + BLOCK - 1) else { return };
            let mut first = [b'{'; BLOCK];
            first[1..].copy_from_slice(rest);
            sha256_block(&mut self.state, &first);
            self.blocks = 1;
        }
        while self.blocks < whole {
            let from = start + self.blocks * BLOCK - 1;
            let Some(block) = body.get(from..from + BLOCK) else { return };
            sha256_block(&mut self.state, block);
            self.blocks += 1;
        }
        self.next = start + self.blocks * BLOCK + BLOCK - 1;
    }
}

impl Progress for Speculation {
    /// Hashes whole blocks of what was read inside the top-level members' values (depth 2 and
    /// more). The end of the hashed region is only known later, at depth 1, so nothing read at
    /// depth 1 is fed here.
    #[inline]
    fn closed(&mut self, body: &[u8], pos: usize, depth: usize) {
        self.member(body, pos, depth);
    }

    /// As [`Speculation::closed`], at an object's member separators: a block or so at a time,
    /// so that each block's rounds (a chain of dependent instructions) run beside the parse
    /// that follows instead of in bursts at closing brackets.
    #[inline]
    fn member(&mut self, body: &[u8], pos: usize, depth: usize) {
        if pos >= self.next && depth >= 2 {
            self.feed(body, pos);
        }
    }
}

/// The offset of the first `"order":{` in `body`.
fn find_order(body: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(quote) = body.get(from..)?.iter().position(|&b| b == b'"') {
        let at = from + quote;
        if body[at..].starts_with(br#""order":{"#) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{self, Tape};
    use crate::paylands::{Flags, Mode};

    fn both(body: &[u8]) -> (Option<[u8; 32]>, [u8; 32]) {
        let key = SignatureKey::new(b"s1gnature").expect("key");
        let mut speculation = Speculation::new(body);
        let mut tape = Tape::new();
        let doc = json::parse_observed(body, Dialect::php_default(), &mut tape, &mut speculation).expect("json");
        let found = Located::find(doc.root()).expect("object");
        let ordinary = super::super::digest_of(&found, Mode::Notification, Flags::Default, &key).expect("digest");
        (speculation.finish(body, &found, &key), ordinary)
    }

    /// A notification with these members (already joined), the order of its top-level keys
    /// as given.
    fn notification(members: &str) -> std::vec::Vec<u8> {
        std::format!(r#"{{"message":"OK","code":200,{members},"validation_hash":"00"}}"#).into_bytes()
    }

    #[test]
    fn compact_canonical_notifications_are_hashed_while_parsing() {
        let order = r#""order":{"uuid":"B25A","amount":1050,"items":[{"sku":"a\/b","holder":"Jo\u00e3o"},{"n":1.5}],"paid":true}"#;
        for members in [
            std::format!(r#"{order},"client":{{"uuid":"C1","tags":["x","y"]}},"extra_data":{{"k":null}}"#),
            std::format!(r#"{order},"client":{{"uuid":"C1"}}"#),
            std::format!(r#"{order},"client":{{"uuid":"C1"}},"extra_data":null"#),
            std::format!(r#"{order},"client":null,"extra_data":"x""#),
            std::format!(r#"{order},"client":[],"extra_data":[1,"a"]"#),
        ] {
            let (speculated, ordinary) = both(&notification(&members));
            assert_eq!(speculated, Some(ordinary), "{members}");
        }
    }

    #[test]
    #[allow(clippy::useless_format)] // one spelling for every case, formatted or not
    fn anything_else_falls_back_to_the_ordinary_digest() {
        let order = r#""order":{"uuid":"B25A","amount":1050}"#;
        for members in [
            // Not PHP's canonical form, so not the bytes PHP hashes.
            std::format!(r#""order":{{"ref":"a/b"}},"client":{{}}"#),
            std::format!("\"order\":{{\"name\":\"Jo\u{e3}o\"}},\"client\":{{}}"),
            std::format!(r#""order":{{"name":"Jo\u00E3o"}},"client":{{}}"#),
            std::format!(r#""order":{{"n":1.50}},"client":{{}}"#),
            std::format!(r#""order":{{"e":{{}}}},"client":[]"#),
            std::format!(r#"{order},"client":{{}}"#),
            std::format!(r#""order":{{"0":"a","1":"b"}},"client":{{}}"#),
            std::format!(r#""order":{{"a": 1}},"client":{{}}"#),
            std::format!(r#"{order},"client": {{}}"#),
            std::format!(r#"{order} ,"client":{{}}"#),
            // Members missing, apart, or in another order.
            std::format!(r#"{order}"#),
            std::format!(r#"{order},"code2":1,"client":{{}}"#),
            std::format!(r#""client":{{}},{order}"#),
            std::format!(r#"{order},"extra_data":{{}},"client":{{}}"#),
            // A nested "order" object before the top-level one.
            std::format!(r#""meta":{{"order":{{"a":1}}}},{order},"client":{{}}"#),
            // Read past the hashed region before it was known to end.
            std::format!(r#"{order},"client":{{}},"after":{{"pad":"{}"}}"#, "p".repeat(300)),
        ] {
            let (speculated, ordinary) = both(&notification(&members));
            assert!(speculated.is_none_or(|digest| digest == ordinary), "{members}");
        }
    }

    /// Past 64 open containers the parser starts again from the beginning and reports
    /// progress a second time: the digest is still the ordinary one.
    #[test]
    fn a_deep_order_parsed_twice_keeps_its_digest() {
        for depth in [60, 64, 65, 100] {
            let pad = "x".repeat(90);
            let deep = std::format!("{}\"{pad}\"{}", "[".repeat(depth), "]".repeat(depth));
            let members = std::format!(r#""order":{{"pad":"{pad}","deep":{deep},"n":1}},"client":{{"c":"{pad}"}}"#);
            let (speculated, ordinary) = both(&notification(&members));
            assert_eq!(speculated, Some(ordinary), "{depth}");
        }
    }

    #[test]
    fn the_fixture_is_hashed_while_parsing() {
        let dir = std::env::var_os("PAYSEAL_FIXTURES").map_or_else(
            || std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/fixtures")),
            std::path::PathBuf::from,
        );
        let body = std::fs::read(dir.join("paylands-notification.json")).expect("fixture");
        let (speculated, ordinary) = both(&body);
        assert_eq!(speculated, Some(ordinary));
        // And most of it while parsing: all but the tail read after the last nested close.
        let mut speculation = Speculation::new(&body);
        json::parse_observed(&body, Dialect::php_default(), &mut Tape::new(), &mut speculation).expect("json");
        assert!(speculation.start.is_some(), "guess");
        let fed = speculation.blocks * BLOCK;
        assert!(fed > body.len() / 2, "fed {fed} of {}", body.len());
    }
}
