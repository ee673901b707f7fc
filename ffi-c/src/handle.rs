//! Opaque handles: a value boxed on the Rust side, known to C only by pointer.
//!
//! Only types marked [`Handle`] are handed out. `*_new` functions use [`new_handle!`]: the
//! out-parameter is set to NULL first (a failed `*_new` leaves nothing behind), then to the
//! `Box` of the value once it is built. `*_free` functions use [`free_handle!`]: NULL is a
//! no-op; otherwise the value is dropped and its memory zeroised before release, since
//! handles hold key material. Calls borrow with [`handle!`]. A handle is immutable after
//! `*_new`, so one handle may be used from several threads at once; freeing it while in use,
//! or twice, is the caller's bug (each export's `# Safety` section forbids it).

use core::mem::MaybeUninit;
use std::boxed::Box;

use zeroize::Zeroize;

use crate::abi::Outcome;
use crate::result::PaysealResult;

/// A type handed to C as an opaque `T *` by a `*_new` function and taken back by its `*_free`.
/// Every `*const T`/`*mut T` an export receives for such a `T` is, by the export's contract,
/// NULL or a pointer that [`create`] made and [`free`] has not yet released.
pub(crate) trait Handle: Sized + Send + Sync {}

/// Checks `*out`, sets it to NULL, builds the value and stores its `Box` in `*out`.
///
/// # Safety
/// `out`, when not NULL, must be valid for writing a pointer.
pub(crate) unsafe fn create<T: Handle>(
    out: *mut *mut T,
    make: impl FnOnce() -> Result<T, crate::abi::Fail>,
) -> Outcome {
    if out.is_null() {
        return Err(PaysealResult::PAYSEAL_NULL_POINTER.into());
    }
    // SAFETY: non-NULL, and the caller guarantees it is writable.
    unsafe { out.write(core::ptr::null_mut()) };
    let value = make()?;
    // SAFETY: as above.
    unsafe { out.write(Box::into_raw(Box::new(value))) };
    Ok(())
}

/// Borrows a live handle.
///
/// # Safety
/// `ptr` must be NULL or a live pointer from [`create`] for this `T`, live for `'a`.
pub(crate) unsafe fn borrow<'a, T: Handle>(ptr: *const T) -> Result<&'a T, PaysealResult> {
    // SAFETY: per the contract, a non-NULL `ptr` is a live, immutably shared `Box<T>`.
    unsafe { ptr.as_ref() }.ok_or(PaysealResult::PAYSEAL_NULL_POINTER)
}

/// Drops the value behind `ptr`, zeroises its memory, and releases it. NULL is a no-op.
///
/// # Safety
/// `ptr` must be NULL or a pointer from [`create`] for this `T` that has not been freed and is
/// not in use.
pub(crate) unsafe fn free<T: Handle>(ptr: *mut T) {
    if ptr.is_null() {
        return;
    }
    // SAFETY: `ptr` owns a live `T` (contract); it is dropped exactly once, here.
    unsafe { core::ptr::drop_in_place(ptr) };
    // SAFETY: `MaybeUninit<T>` has `T`'s layout, so the allocation is released with the layout
    // it was made with; after the drop its bytes are plain memory, which `zeroize` overwrites
    // with volatile writes before the box frees it.
    let mut dead = unsafe { Box::from_raw(ptr.cast::<MaybeUninit<T>>()) };
    dead.zeroize();
}

/// `*_new`: `new_handle!(out_ptr, || Ok(Value { .. }))`, evaluating to the export's [`Outcome`].
macro_rules! new_handle {
    ($out:expr, $make:expr) => {{
        let (out, make) = ($out, $make);
        // SAFETY: `out` is the `*_new` export's out-parameter, which its `# Safety` section
        // makes the caller pass NULL or valid for writing a pointer.
        unsafe { $crate::handle::create(out, make) }
    }};
}

/// A call's handle argument as `&T`, or `?`-returns `PAYSEAL_NULL_POINTER`.
macro_rules! handle {
    ($ptr:expr) => {{
        let ptr = $ptr;
        // SAFETY: a handle argument of the enclosing export, whose `# Safety` section makes
        // the caller pass NULL or a live handle of this type, not freed during the call.
        unsafe { $crate::handle::borrow(ptr) }?
    }};
}

/// `*_free`: releases the handle (NULL is a no-op) behind the panic boundary.
macro_rules! free_handle {
    ($ptr:expr) => {{
        let ptr = $ptr;
        let _ = $crate::abi::boundary(|| {
            // SAFETY: the `*_free` export's argument, which its `# Safety` section makes the
            // caller pass NULL or a live handle of this type, freed once and not in use.
            unsafe { $crate::handle::free(ptr) };
            Ok(())
        });
    }};
}
