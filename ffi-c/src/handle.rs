//! Opaque handles: a value boxed on the Rust side, known to C only by pointer.
//!
//! `*_new` functions hand out [`into_raw`] pointers through an out-parameter (set to NULL
//! first, so a failed `*_new` never leaves a dangling value behind); `*_free` functions accept
//! NULL and call [`free_wiped`], which zeroises the value's memory before releasing it, since
//! handles hold key material. A handle is immutable after `*_new`, so one handle may be used
//! from several threads at once; freeing it while in use, or twice, is the caller's bug.

use core::mem::MaybeUninit;
use std::boxed::Box;

use zeroize::Zeroize;

use crate::result::PaysealResult;

/// Moves `value` to the heap and returns the pointer the caller will own.
pub(crate) fn into_raw<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Checks a `*_new` out-parameter and sets `*out` to NULL, so that a failed `*_new` leaves
/// nothing to free.
///
/// # Safety
/// `out`, when not NULL, must be valid for a pointer write.
pub(crate) unsafe fn reset<T>(out: *mut *mut T) -> Result<(), PaysealResult> {
    if out.is_null() {
        return Err(PaysealResult::PAYSEAL_NULL_POINTER);
    }
    // SAFETY: non-NULL, and the caller guarantees it is writable.
    unsafe { out.write(core::ptr::null_mut()) };
    Ok(())
}

/// Stores `value`'s handle in `*out`.
///
/// # Safety
/// `out` must be non-NULL and valid for a pointer write.
pub(crate) unsafe fn hand_out<T>(out: *mut *mut T, value: T) {
    // SAFETY: the caller guarantees `out` is writable.
    unsafe { out.write(into_raw(value)) };
}

/// Borrows a live handle.
///
/// # Safety
/// `ptr` must be NULL or a pointer from [`into_raw::<T>`] that has not been freed, and must
/// stay live for `'a`.
pub(crate) unsafe fn borrow<'a, T>(ptr: *const T) -> Result<&'a T, PaysealResult> {
    // SAFETY: per the contract, a non-NULL `ptr` is a live, immutably shared `Box<T>`.
    unsafe { ptr.as_ref() }.ok_or(PaysealResult::PAYSEAL_NULL_POINTER)
}

/// Drops the value behind `ptr`, zeroises its memory, and releases it. NULL is a no-op.
///
/// # Safety
/// `ptr` must be NULL or a pointer from [`into_raw::<T>`] that has not been freed.
pub(crate) unsafe fn free_wiped<T>(ptr: *mut T) {
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
