//! Sinks used to build the envelope without materialising it: a streaming base64url encoder,
//! a tee, and a small staging buffer that turns the emitter's many short writes into few long
//! ones for the MAC.

use crate::encoding::base64::{url_encode, url_encoded_len};
use crate::sink::BufferTooSmall;
use crate::Sink;

/// Input bytes staged before each encoder call: a multiple of 3, so that every full chunk
/// encodes to whole base64 groups and the concatenation equals the encoding of the whole.
const CHUNK: usize = 3 * 128;

/// Encodes everything written to it as unpadded base64url into a caller buffer, in 3-byte
/// groups, with a small stack buffer for the partial chunk. Like [`crate::sink::SliceSink`],
/// it keeps counting past the end of the buffer so that [`Base64UrlSink::finish`] can say how
/// large it had to be.
pub(crate) struct Base64UrlSink<'a> {
    dst: Dst<'a>,
    pending: [u8; CHUNK],
    pending_len: usize,
}

/// The output side, apart from the staging buffer so that both can be borrowed at once.
struct Dst<'a> {
    out: &'a mut [u8],
    /// Base64 characters produced (or that would have been).
    written: usize,
    overflow: bool,
}

impl Dst<'_> {
    /// Encodes `src` (a multiple of 3 bytes, or the final piece) at the current position.
    fn encode(&mut self, src: &[u8]) {
        let encoded =
            !self.overflow && self.out.get_mut(self.written..).is_some_and(|dst| url_encode(src, dst).is_ok());
        self.overflow = !encoded;
        self.written += url_encoded_len(src.len());
    }
}

impl<'a> Base64UrlSink<'a> {
    pub(crate) fn new(out: &'a mut [u8]) -> Self {
        Self { dst: Dst { out, written: 0, overflow: false }, pending: [0; CHUNK], pending_len: 0 }
    }

    fn flush_pending(&mut self) {
        self.dst.encode(&self.pending[..self.pending_len]);
        self.pending_len = 0;
    }

    /// Encodes what is left and returns the characters written, or the size needed.
    pub(crate) fn finish(mut self) -> Result<usize, BufferTooSmall> {
        if self.pending_len > 0 {
            self.flush_pending();
        }
        if self.dst.overflow {
            Err(BufferTooSmall { needed: self.dst.written })
        } else {
            Ok(self.dst.written)
        }
    }
}

impl Sink for Base64UrlSink<'_> {
    fn write(&mut self, mut bytes: &[u8]) {
        if self.pending_len > 0 {
            let take = bytes.len().min(CHUNK - self.pending_len);
            self.pending[self.pending_len..self.pending_len + take].copy_from_slice(&bytes[..take]);
            self.pending_len += take;
            bytes = &bytes[take..];
            if self.pending_len < CHUNK {
                return;
            }
            self.flush_pending();
        }
        // Long runs go straight to the encoder in whole groups.
        if bytes.len() >= CHUNK {
            let whole = bytes.len() - bytes.len() % 3;
            self.dst.encode(&bytes[..whole]);
            bytes = &bytes[whole..];
        }
        self.pending[..bytes.len()].copy_from_slice(bytes);
        self.pending_len = bytes.len();
    }
}

/// Writes every byte to two sinks.
pub(crate) struct Tee<'x, A: ?Sized, B: ?Sized>(pub(crate) &'x mut A, pub(crate) &'x mut B);

impl<A: Sink + ?Sized, B: Sink + ?Sized> Sink for Tee<'_, A, B> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
        self.1.write(bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use std::prelude::rust_2021::*;
    use std::vec;

    fn encode_in_pieces(data: &[u8], piece: usize, out_len: usize) -> Result<Vec<u8>, BufferTooSmall> {
        let mut out = vec![0u8; out_len];
        let mut sink = Base64UrlSink::new(&mut out);
        for p in data.chunks(piece.max(1)) {
            sink.write(p);
        }
        let n = sink.finish()?;
        out.truncate(n);
        Ok(out)
    }

    #[test]
    fn streaming_equals_one_shot_for_any_split() {
        let data: Vec<u8> = (0..1000u32).map(|i| (i * 7 + 3) as u8).collect();
        for len in [0, 1, 2, 3, 4, 383, 384, 385, 767, 768, 1000] {
            let want = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&data[..len]);
            for piece in [1, 2, 5, 64, 383, 384, 385, 1000] {
                let got = encode_in_pieces(&data[..len], piece, want.len()).unwrap();
                assert_eq!(got, want.as_bytes(), "len {len} piece {piece}");
            }
            if !want.is_empty() {
                assert_eq!(
                    encode_in_pieces(&data[..len], 7, want.len() - 1),
                    Err(BufferTooSmall { needed: want.len() })
                );
            }
        }
    }
}
