//! The calling conventions every export shares, in one place, and the only code that turns
//! C pointers into Rust references.
//!
//! * [`boundary`]: the panic boundary; a Rust panic never unwinds into C. A failure is also
//!   remembered for `payseal_last_error`.
//! * Pointer arguments go through a handful of typed helpers, each used through a macro that
//!   holds the one `unsafe` block and its `SAFETY` reasoning:
//!   - [`bytes!`]/[`slice!`]: `(ptr, len)` inputs -> `&[u8]`/`&[T]`; NULL only with a zero
//!     length, sizes above `PTRDIFF_MAX` refused.
//!   - [`output!`]: caller buffers `(out, out_cap, *out_written)` -> [`Output`].
//!     `*out_written` is always set (0 on failure); on `PAYSEAL_BUFFER_TOO_SMALL` it holds the
//!     size needed. Nothing is written to `out` unless the call succeeds. `out` may be NULL
//!     when `out_cap` is 0 (a size query).
//!   - [`out_param!`]: a scalar out-parameter -> `&mut T`.
//!   - [`handle!`], [`new_handle!`], [`free_handle!`] (in `handle.rs`): opaque handles.
//!
//!   The macros may only be applied to the arguments of the exported `unsafe extern "C" fn`
//!   whose body they are in: every such export documents, in its `# Safety` section, that a
//!   non-NULL pointer argument is valid for the access its length or type describes, for the
//!   whole call. That caller guarantee is the whole of their safety argument.
//! * [`scratch`]: a per-thread reusable buffer for outputs whose size is known only at the end,
//!   so that a failure never leaves partial output in the caller's buffer.

use core::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::vec::Vec;

use payseal::json::Tape;

pub(crate) use crate::result::Fail;
use crate::result::{remember, Detail, PaysealResult};

/// What the body of an export returns: `Err` carries the failure code and its details.
pub(crate) type Outcome = Result<(), Fail>;

/// Runs `body` behind the panic boundary: a panic becomes `PAYSEAL_INTERNAL`. A failure is
/// kept as this thread's last (`payseal_last_error`).
pub(crate) fn boundary(body: impl FnOnce() -> Outcome) -> PaysealResult {
    let fail = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => return PaysealResult::PAYSEAL_OK,
        Ok(Err(fail)) => fail,
        Err(_) => PaysealResult::PAYSEAL_INTERNAL.into(),
    };
    remember(fail);
    fail.code
}

/// Borrows a caller's array `(ptr, len)` of `T` (bytes for inputs).
///
/// # Safety
/// When `ptr` is not NULL and `len` is not 0, it must point to `len` readable, initialised
/// `T`s that stay valid and unmodified for `'a`.
pub(crate) unsafe fn slice<'a, T>(ptr: *const T, len: usize) -> Result<&'a [T], PaysealResult> {
    if len == 0 {
        return Ok(&[]);
    }
    if ptr.is_null() {
        return Err(PaysealResult::PAYSEAL_NULL_POINTER);
    }
    if len > isize::MAX as usize / core::mem::size_of::<T>().max(1) {
        return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT);
    }
    // SAFETY: non-NULL, the size fits `isize`, and the caller guarantees `len` readable `T`s
    // that outlive `'a`.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// An export's `(const uint8_t *ptr, size_t len)` argument as `&[u8]`, or `?`-returns
/// `PAYSEAL_NULL_POINTER` (NULL with a length) / `PAYSEAL_INVALID_ARGUMENT` (over
/// `PTRDIFF_MAX`). Only for the arguments of the export it is used in (module docs).
macro_rules! bytes {
    ($ptr:expr, $len:expr) => {
        slice!($ptr, $len)
    };
}

/// An export's `(const T *ptr, size_t count)` array argument as `&[T]` (rules of [`bytes!`]).
macro_rules! slice {
    ($ptr:expr, $len:expr) => {{
        let (ptr, len) = ($ptr, $len);
        // SAFETY: `ptr`/`len` are arguments of the enclosing export, whose `# Safety` section
        // makes the caller guarantee `len` readable elements at a non-NULL `ptr` for the call.
        unsafe { $crate::abi::slice(ptr, len) }?
    }};
}

/// An export's scalar out-parameter (`uint32_t *`, `uint64_t *`, ...) as `&mut T`, or
/// `?`-returns `PAYSEAL_NULL_POINTER`.
macro_rules! out_param {
    ($ptr:expr) => {{
        let ptr = $ptr;
        // SAFETY: an argument of the enclosing export, whose `# Safety` section makes the
        // caller guarantee that a non-NULL pointer is valid for writing one value, unaliased,
        // for the call.
        unsafe { ptr.as_mut() }.ok_or($crate::result::PaysealResult::PAYSEAL_NULL_POINTER)?
    }};
}

/// An export's `(out, out_cap, out_written)` triple as an [`Output`] (`*out_written` set to
/// 0), or `?`-returns `PAYSEAL_NULL_POINTER`/`PAYSEAL_INVALID_ARGUMENT`.
macro_rules! output {
    ($out:expr, $cap:expr, $written:expr) => {{
        let (out, cap, written) = ($out, $cap, $written);
        // SAFETY: arguments of the enclosing export, whose `# Safety` section makes the caller
        // guarantee that `out_written` is a valid `size_t *` and a non-NULL `out` is writable
        // for `out_cap` bytes, for the call.
        unsafe { $crate::abi::Output::new(out, cap, written) }?
    }};
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

    /// Records the byte offset of an input error in `*out_written` (the JSON functions'
    /// contract) and passes the failure on.
    pub(crate) fn fail(&self, fail: impl Into<Fail>) -> Fail {
        let fail = fail.into();
        if let Some(offset) = fail.detail.offset {
            self.set_written(offset);
        }
        fail
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
    pub(crate) fn fill(self, needed: usize, produce: impl FnOnce(&mut [u8]) -> Result<usize, Fail>) -> Outcome {
        if needed > self.cap {
            self.set_written(needed);
            let detail = Detail { needed: Some(needed), ..Detail::default() };
            return Err(Fail::with(PaysealResult::PAYSEAL_BUFFER_TOO_SMALL, detail));
        }
        if needed > 0 {
            // SAFETY: `out` is non-NULL (cap >= needed > 0), writable for `cap` >= `needed`
            // bytes per `new`'s contract, and disjoint from any input borrowed for this call
            // (checked by `disjoint_from` wherever an input exists).
            let dst = unsafe { core::slice::from_raw_parts_mut(self.out, needed) };
            match produce(dst) {
                Ok(n) if n == needed => {}
                _ => return Err(PaysealResult::PAYSEAL_INTERNAL.into()),
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

/// A borrowed input as UTF-8 text; `invalid` is the outcome for bytes that are not.
pub(crate) fn text(bytes: &[u8], invalid: PaysealResult) -> Result<&str, PaysealResult> {
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
            assert_eq!(slice::<u8>(core::ptr::null(), 0), Ok(&[][..]));
            assert_eq!(slice::<u8>(core::ptr::null(), 1), Err(PaysealResult::PAYSEAL_NULL_POINTER));
            let wide: *const u64 = core::ptr::NonNull::dangling().as_ptr();
            assert_eq!(slice(wide, usize::MAX / 4), Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT));
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
