//! The C ABI over [`payseal`], for C programs and PHP's FFI extension.
//!
//! The library translates types only: every capability lives once, in `payseal`. Conventions
//! shared by every export (see `README.md` for the full contract and examples):
//!
//! * Every function returns a `PaysealResult` (`uint32_t`, 0 = `PAYSEAL_OK`) and runs behind a
//!   panic boundary: a Rust panic becomes `PAYSEAL_INTERNAL`, never an unwind into C.
//! * Inputs are `(const uint8_t *ptr, size_t len)`; NULL is accepted only with `len == 0`.
//! * Outputs go into caller buffers `(uint8_t *out, size_t out_cap, size_t *out_written)`.
//!   `*out_written` is always set: the bytes written, the size needed on
//!   `PAYSEAL_BUFFER_TOO_SMALL`, the input offset on a JSON input error, else 0. Nothing is
//!   written to `out` unless the call succeeds; `out` may be NULL when `out_cap == 0`.
//! * Keys are opaque handles: `payseal_*_key_new(..., &handle)` and `payseal_*_key_free`
//!   (NULL allowed; the memory is zeroised).
#![forbid(unsafe_op_in_unsafe_fn)]
#![warn(clippy::undocumented_unsafe_blocks)]

#[macro_use]
mod abi;
#[macro_use]
mod handle;
pub mod encoding;
pub mod eupay;
pub mod hmac;
pub mod json;
pub mod paylands;
pub mod result;
pub mod secrets;
pub mod webhook;
pub mod webhook_sign;

use core::ffi::{c_char, CStr};

pub use result::PaysealResult;

/// The ABI generation: bumped only if an existing function's meaning or signature changes
/// (new functions and new result codes do not bump it).
pub const PAYSEAL_ABI_VERSION: u32 = 1;

const VERSION: &CStr = match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
    Ok(v) => v,
    Err(_) => c"unknown",
};

/// The library's version, e.g. `"0.1.0"` (static; never free it).
#[no_mangle]
pub extern "C" fn payseal_version() -> *const c_char {
    VERSION.as_ptr()
}

/// The ABI generation this library implements (see `PAYSEAL_ABI_VERSION`); compare it with the one
/// your header was generated for.
#[no_mangle]
pub extern "C" fn payseal_abi_version() -> u32 {
    PAYSEAL_ABI_VERSION
}
