//! The calling conventions every export shares, in one place:
//!
//! * [`boundary`]: the panic boundary; a Rust panic never unwinds into C.
//! * [`input`]: `(ptr, len)` inputs; NULL is accepted only with a zero length.
//! * [`Output`]: caller buffers `(out, out_cap, *out_written)`. `*out_written` is always set
//!   (0 on failure); on `PAYSEAL_BUFFER_TOO_SMALL` it holds the size needed. Nothing is
//!   written to `out` unless the call succeeds. `out` may be NULL when `out_cap` is 0 (a size
//!   query).
//! * [`scratch`]: a per-thread reusable buffer for outputs whose size is known only at the end,
//!   so that a failure never leaves partial output in the caller's buffer.

use core::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::vec::Vec;

use payseal::json::Tape;

use crate::result::PaysealResult;

/// What the body of an export returns: `Err` carries the failure code.
pub(crate) type Outcome = Result<(), PaysealResult>;

/// Runs `body` behind the panic boundary: a panic becomes `PAYSEAL_INTERNAL`.
pub(crate) fn boundary(body: impl FnOnce() -> Outcome) -> PaysealResult {
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => PaysealResult::PAYSEAL_OK,
        Ok(Err(code)) => code,
        Err(_) => PaysealResult::PAYSEAL_INTERNAL,
    }
}

/// Borrows a caller's input `(ptr, len)`.
///
/// # Safety
/// When `ptr` is not NULL it must point to `len` readable bytes that stay valid and unmodified
/// for `'a`.
pub(crate) unsafe fn input<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], PaysealResult> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(PaysealResult::PAYSEAL_NULL_POINTER);
    }
    if len > isize::MAX as usize {
        return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, `len` <= isize::MAX, and the caller guarantees `len` readable bytes
    // that outlive `'a`.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// A caller's output buffer `(out, out_cap, *out_written)`.
#[derive(Debug)]
pub(crate) struct Output {
    out: *mut u8,
    cap: usize,
    written: *mut usize,
}

impl Output {
    /// Validates the triple and sets `*out_written` to 0.
    ///
    /// # Safety
    /// `written`, when not NULL, must be valid for a `size_t` write. `out`, when not NULL,
    /// must be valid for `cap` byte writes for as long as the `Output` is used.
    pub(crate) unsafe fn new(out: *mut u8, cap: usize, written: *mut usize) -> Result<Self, PaysealResult> {
        if written.is_null() {
            return Err(PaysealResult::PAYSEAL_NULL_POINTER);
        }
        // SAFETY: non-NULL, and the caller guarantees it is writable.
        unsafe { written.write(0) };
        if out.is_null() && cap != 0 {
            return Err(PaysealResult::PAYSEAL_NULL_POINTER);
        }
        if cap > isize::MAX as usize {
            return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        }
        Ok(Self { out, cap, written })
    }

    /// Rejects an output that overlaps `input` (Rust must not alias a `&[u8]` with a `&mut [u8]`).
    pub(crate) fn disjoint_from(self, input: &[u8]) -> Result<Self, PaysealResult> {
        let (o, i) = (self.out as usize, input.as_ptr() as usize);
        let overlap =
            self.cap != 0 && !input.is_empty() && o < i.saturating_add(input.len()) && i < o.saturating_add(self.cap);
        if overlap {
            Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT)
        } else {
            Ok(self)
        }
    }

    fn set_written(&self, n: usize) {
        // SAFETY: checked non-NULL in `new`; the caller guarantees it is writable.
        unsafe { self.written.write(n) };
    }

    /// Records the byte offset of an input error in `*out_written`; returns `code`.
    pub(crate) fn fail_at(&self, code: PaysealResult, offset: usize) -> PaysealResult {
        self.set_written(offset);
        code
    }

    /// Reports a size without writing any byte (size queries).
    pub(crate) fn report_len(&self, n: usize) -> Outcome {
        self.set_written(n);
        Ok(())
    }

    /// Copies `bytes` to the caller, or reports the size needed.
    pub(crate) fn write_all(self, bytes: &[u8]) -> Outcome {
        self.fill(bytes.len(), |dst| {
            dst.copy_from_slice(bytes);
            Ok(dst.len())
        })
    }

    /// Lets `produce` write exactly `needed` bytes straight into the caller's buffer, or reports
    /// the size needed. Only for producers that cannot fail once the buffer is large enough
    /// (encoders, copies): a failure or a different length is reported as `PAYSEAL_INTERNAL`.
    pub(crate) fn fill(
        self,
        needed: usize,
        produce: impl FnOnce(&mut [u8]) -> Result<usize, PaysealResult>,
    ) -> Outcome {
        if needed > self.cap {
            self.set_written(needed);
            return Err(PaysealResult::PAYSEAL_BUFFER_TOO_SMALL);
        }
        if needed > 0 {
            // SAFETY: `out` is non-NULL (cap >= needed > 0), writable for `cap` >= `needed`
            // bytes per `new`'s contract, and disjoint from any input borrowed for this call
            // (checked by `disjoint_from` wherever an input exists).
            let dst = unsafe { core::slice::from_raw_parts_mut(self.out, needed) };
            match produce(dst) {
                Ok(n) if n == needed => {}
                _ => return Err(PaysealResult::PAYSEAL_INTERNAL),
            }
        }
        self.set_written(needed);
        Ok(())
    }
}

std::thread_local! {
    static SCRATCH: Cell<Vec<u8>> = const { Cell::new(Vec::new()) };
}

/// Scratch above this capacity is released after use, so one huge document does not pin memory.
const SCRATCH_KEEP: usize = 1 << 20;

/// Runs `f` with this thread's scratch buffer, empty. The buffer is taken out of its slot for
/// the call, so a nested call simply gets a fresh one. With `wipe`, the bytes are zeroised
/// afterwards (decoded data may be secret).
pub(crate) fn scratch<T>(wipe: bool, f: impl FnOnce(&mut Vec<u8>) -> T) -> T {
    let mut buf = SCRATCH.try_with(Cell::take).unwrap_or_default();
    buf.clear();
    let result = f(&mut buf);
    if wipe {
        zeroize::Zeroize::zeroize(buf.as_mut_slice());
    }
    buf.clear();
    if buf.capacity() <= SCRATCH_KEEP {
        let _ = SCRATCH.try_with(|slot| slot.set(buf));
    }
    result
}

std::thread_local! {
    /// Each thread's JSON token tape for the capabilities that parse (Paylands, EU Pay QR).
    static TAPE: Cell<Option<Tape<'static>>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's reusable JSON tape (taken out of its slot for the call, so a
/// nested call simply gets a fresh one). A tape grown for an input above `SCRATCH_KEEP` bytes
/// is not kept.
pub(crate) fn with_tape<T>(input_len: usize, f: impl FnOnce(&mut Tape<'static>) -> T) -> T {
    let mut tape = TAPE.try_with(Cell::take).ok().flatten().unwrap_or_default();
    let result = f(&mut tape);
    if input_len <= SCRATCH_KEEP {
        let _ = TAPE.try_with(|slot| slot.set(Some(tape)));
    }
    result
}

/// Reads a caller's `uint32_t`/`uint64_t`/... out-parameter slot: NULL is `PAYSEAL_NULL_POINTER`.
///
/// # Safety
/// `ptr`, when not NULL, must be valid for a `T` write for as long as the result is used.
pub(crate) unsafe fn out_param<'a, T>(ptr: *mut T) -> Result<&'a mut T, PaysealResult> {
    // SAFETY: forwarded caller guarantee; NULL is turned into an error.
    unsafe { ptr.as_mut() }.ok_or(PaysealResult::PAYSEAL_NULL_POINTER)
}

/// Borrows a caller's input as UTF-8 text; `invalid` is the outcome for bytes that are not.
///
/// # Safety
/// As for [`input`].
pub(crate) unsafe fn text<'a>(ptr: *const u8, len: usize, invalid: PaysealResult) -> Result<&'a str, PaysealResult> {
    // SAFETY: forwarded caller guarantee.
    let bytes = unsafe { input(ptr, len) }?;
    core::str::from_utf8(bytes).map_err(|_| invalid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_internal() {
        let code = boundary(|| {
            let v: Vec<u8> = Vec::new();
            let _ = v[usize::from(v.is_empty())]; // index out of bounds
            Ok(())
        });
        assert_eq!(code, PaysealResult::PAYSEAL_INTERNAL);
    }

    #[test]
    fn null_input_only_with_zero_length() {
        // SAFETY: NULL pointers are never dereferenced.
        unsafe {
            assert_eq!(input(core::ptr::null(), 0), Ok(&[][..]));
            assert_eq!(input(core::ptr::null(), 1), Err(PaysealResult::PAYSEAL_NULL_POINTER));
        }
    }

    #[test]
    fn scratch_is_reentrant_and_wiped() {
        let outer = scratch(true, |a| {
            a.extend_from_slice(b"secret");
            scratch(true, |b| {
                assert!(b.is_empty());
                b.push(1);
                b.len()
            }) + a.len()
        });
        assert_eq!(outer, 7);
        scratch(false, |a| assert!(a.is_empty()));
    }
}
