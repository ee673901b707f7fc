//! Results handed to JavaScript: ASCII text (hex, base64) and UTF-8 text (canonical JSON).

use napi::{Env, JsString};

use crate::failure::{self, Failure};

/// Outputs up to this many bytes are produced on the stack before becoming a string.
const INLINE: usize = 1024;

/// Runs `produce` on a scratch buffer of `len` bytes and returns what it wrote as a JavaScript
/// string. The bytes must be ASCII (hex and base64 alphabets), which Latin-1 creation takes as is.
pub fn ascii_string<'e, E>(
    env: &'e Env,
    len: usize,
    produce: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    map: impl FnOnce(E) -> napi::Error<Failure>,
) -> napi::Result<JsString<'e>, Failure> {
    let mut stack = [0u8; INLINE];
    let mut heap = Vec::new();
    let buf = if len <= INLINE {
        stack.get_mut(..len).unwrap_or_default()
    } else {
        heap.resize(len, 0);
        heap.as_mut_slice()
    };
    let n = produce(buf).map_err(map)?;
    let text = buf.get(..n).unwrap_or_default();
    if !text.is_ascii() {
        return Err(failure::fail("internal", None, "encoder produced non-ASCII output"));
    }
    env.create_string_latin1(text).map_err(|e| failure::internal(&e))
}

/// A JavaScript string from UTF-8 bytes, which are checked: core output is valid UTF-8 by
/// construction, and a silent U+FFFD substitution here would change signed bytes.
///
/// ASCII text becomes a Latin-1 string (V8 copies it as is); other text longer than
/// [`INLINE`] is transcoded to UTF-16 here, a word at a time over ASCII runs (`encoding_rs`),
/// rather than by V8's UTF-8 decoder, which measures and decodes a byte at a time.
pub fn utf8_string<'e>(env: &'e Env, bytes: &[u8]) -> napi::Result<JsString<'e>, Failure> {
    // ASCII is UTF-8: checked once, not validated and then scanned again.
    if bytes.is_ascii() {
        return env.create_string_latin1(bytes).map_err(|e| failure::internal(&e));
    }
    let text = core::str::from_utf8(bytes).map_err(|_| failure::fail("internal", None, "output is not UTF-8"))?;
    if text.len() <= INLINE {
        return env.create_string(text).map_err(|e| failure::internal(&e));
    }
    // UTF-8 never has fewer bytes than the UTF-16 code units it encodes.
    let mut wide = vec![0u16; text.len()];
    let n = encoding_rs::mem::convert_str_to_utf16(text, &mut wide);
    env.create_string_utf16(wide.get(..n).unwrap_or_default()).map_err(|e| failure::internal(&e))
}
