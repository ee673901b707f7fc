//! Where canonical bytes go: a caller buffer, a hash or MAC context, or a `Vec`.
//!
//! Emitters write through [`Sink`] so that the same pass can fill a buffer or feed a
//! SHA-256/HMAC context without ever materialising the output.

/// A destination for bytes. Writing never fails: a bounded destination such as
/// [`SliceSink`] records the overflow and reports it when it is finished.
pub trait Sink {
    /// Appends `bytes`.
    fn write(&mut self, bytes: &[u8]);
}

impl<S: Sink + ?Sized> Sink for &mut S {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        (**self).write(bytes);
    }
}

/// Counts bytes without storing them: the size query behind every `*_len` function.
#[derive(Debug, Default, Clone, Copy)]
pub struct CountingSink {
    /// Bytes written so far.
    pub count: usize,
}

impl Sink for CountingSink {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.count += bytes.len();
    }
}

/// Writes into a caller buffer. Once the buffer is full it keeps counting, so that
/// [`SliceSink::finish`] can say how large the buffer had to be.
#[derive(Debug)]
pub struct SliceSink<'a> {
    buf: &'a mut [u8],
    len: usize,
}

/// The caller buffer was too small; `needed` bytes are required.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BufferTooSmall {
    /// The size the output needs.
    pub needed: usize,
}

impl<'a> SliceSink<'a> {
    /// A sink over `buf`, initially empty.
    pub fn new(buf: &'a mut [u8]) -> Self {
        Self { buf, len: 0 }
    }

    /// Bytes written (or, after an overflow, bytes that would have been written).
    #[must_use]
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when nothing was written.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The number of bytes written, or the size that was needed.
    pub fn finish(self) -> Result<usize, BufferTooSmall> {
        if self.len <= self.buf.len() {
            Ok(self.len)
        } else {
            Err(BufferTooSmall { needed: self.len })
        }
    }
}

impl Sink for SliceSink<'_> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let end = self.len + bytes.len();
        if end <= self.buf.len() {
            self.buf[self.len..end].copy_from_slice(bytes);
        }
        self.len = end;
    }
}

/// Gathers small writes into a stack buffer and passes them on in blocks: a hash or MAC
/// context pays per `update` call, and canonical JSON arrives a few bytes at a time.
/// Writes of at least `N` bytes go straight through. Flushes when dropped.
pub struct Buffered<'s, S: Sink + ?Sized, const N: usize> {
    inner: &'s mut S,
    buf: [u8; N],
    len: usize,
}

impl<S: Sink + ?Sized, const N: usize> core::fmt::Debug for Buffered<'_, S, N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Buffered").field("pending", &self.len).finish_non_exhaustive()
    }
}

impl<'s, S: Sink + ?Sized, const N: usize> Buffered<'s, S, N> {
    /// Buffers writes to `inner`.
    pub fn new(inner: &'s mut S) -> Self {
        Self { inner, buf: [0; N], len: 0 }
    }

    /// Writes `input[from..to]`: the canonical JSON emitter's most common write, a span of its
    /// source. A short span is moved as one fixed 32-byte copy when the input and the buffer
    /// both have 32 bytes there (the bytes past the span land in the buffer's free part and are
    /// overwritten by the next write): no copy call, no branch on the length.
    #[inline(always)]
    pub(crate) fn span(&mut self, input: &[u8], from: usize, to: usize) {
        const SHORT: usize = 32;
        let n = to - from;
        if n <= SHORT {
            if let (Some(src), Some(dst)) =
                (input.get(from..from + SHORT), self.buf.get_mut(self.len..self.len + SHORT))
            {
                dst.copy_from_slice(src);
                self.len += n;
                return;
            }
        }
        self.write(&input[from..to]);
    }

    /// Passes on what is pending.
    #[inline]
    pub fn flush(&mut self) {
        if self.len > 0 {
            self.inner.write(&self.buf[..self.len]);
            self.len = 0;
        }
    }
}

impl<S: Sink + ?Sized, const N: usize> Sink for Buffered<'_, S, N> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        if let Some(room) = self.buf.get_mut(self.len..self.len + bytes.len()) {
            room.copy_from_slice(bytes);
            self.len += bytes.len();
            return;
        }
        self.flush();
        if bytes.len() >= N {
            self.inner.write(bytes);
        } else {
            self.buf[..bytes.len()].copy_from_slice(bytes);
            self.len = bytes.len();
        }
    }
}

impl<S: Sink + ?Sized, const N: usize> Drop for Buffered<'_, S, N> {
    fn drop(&mut self) {
        self.flush();
    }
}

#[cfg(feature = "alloc")]
impl Sink for alloc::vec::Vec<u8> {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.extend_from_slice(bytes);
    }
}

impl Sink for sha2::Sha256 {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        sha2::Digest::update(self, bytes);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffered_passes_everything_on_in_order() {
        let mut buf = [0u8; 64];
        let mut out = SliceSink::new(&mut buf);
        {
            let mut b = Buffered::<_, 4>::new(&mut out);
            for piece in [&b"ab"[..], b"c", b"defgh", b"", b"ij", b"k"] {
                b.write(piece);
            }
        }
        let n = out.finish().unwrap();
        assert_eq!(&buf[..n], b"abcdefghijk");
    }

    #[test]
    fn slice_sink_counts_past_the_end() {
        let mut buf = [0u8; 4];
        let mut s = SliceSink::new(&mut buf);
        s.write(b"abc");
        s.write(b"de");
        assert_eq!(s.finish(), Err(BufferTooSmall { needed: 5 }));
        let mut s = SliceSink::new(&mut buf);
        s.write(b"ab");
        assert_eq!(s.finish(), Ok(2));
        assert_eq!(&buf[..2], b"ab");
    }
}
