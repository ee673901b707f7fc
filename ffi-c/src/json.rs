//! Canonical JSON over `payseal::json`: JavaScript `JSON.stringify(JSON.parse(x))` or PHP
//! `json_encode(json_decode(x, true), flags)`, byte for byte.

use std::vec::Vec;

use payseal::json::{self, Dialect, PhpFlags};

use crate::abi::{boundary, input, Output};
use crate::result::{from_json, PaysealResult};

/// Which engine's output to reproduce (the `dialect` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealJsonDialect {
    /// `JSON.stringify(JSON.parse(x))` as Node.js prints it. `flags` must be 0.
    PAYSEAL_JSON_JS = 0,
    /// `json_encode(json_decode(x, true), flags)` as PHP 8 prints it.
    PAYSEAL_JSON_PHP = 1,
}

/// `json_encode` flags for `PAYSEAL_JSON_PHP` (the `flags` argument, OR-ed). The values are
/// PHP's own, so PHP code can pass `JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE` as is.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealJsonFlags {
    /// `JSON_UNESCAPED_SLASHES`: print `/` rather than `\/`.
    PAYSEAL_JSON_UNESCAPED_SLASHES = 64,
    /// `JSON_UNESCAPED_UNICODE`: print non-ASCII characters raw (U+2028/U+2029 stay escaped).
    PAYSEAL_JSON_UNESCAPED_UNICODE = 256,
}

const SLASHES: u32 = PaysealJsonFlags::PAYSEAL_JSON_UNESCAPED_SLASHES as u32;
const UNICODE: u32 = PaysealJsonFlags::PAYSEAL_JSON_UNESCAPED_UNICODE as u32;

fn dialect(dialect: u32, flags: u32) -> Result<Dialect, PaysealResult> {
    match dialect {
        d if d == PaysealJsonDialect::PAYSEAL_JSON_JS as u32 && flags == 0 => Ok(Dialect::Js),
        d if d == PaysealJsonDialect::PAYSEAL_JSON_PHP as u32 && flags & !(SLASHES | UNICODE) == 0 => {
            Ok(Dialect::Php(PhpFlags {
                unescaped_slashes: flags & SLASHES != 0,
                unescaped_unicode: flags & UNICODE != 0,
            }))
        }
        _ => Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT),
    }
}

/// Canonicalises `src`, reporting JSON input errors through `out` (with their offset).
fn canonical(src: &[u8], dialect: Dialect, out: &Output) -> Result<Vec<u8>, PaysealResult> {
    json::canonicalize_to_vec(src, dialect).map_err(|e| {
        let (code, offset) = from_json(e);
        out.fail_at(code, offset)
    })
}

/// Canonicalises the JSON text `in` into `out`.
///
/// `dialect` is a `PaysealJsonDialect`; `flags` OR-s `PaysealJsonFlags` (PHP only, else 0).
/// On a JSON input error (`PAYSEAL_JSON_*`), `*out_written` holds the byte offset in `in`
/// where it was found. Invalid UTF-8 anywhere wins over every other error; otherwise the
/// first error in document order is reported.
///
/// # Safety
/// `in_ptr` must point to `in_len` readable bytes (or be NULL with `in_len == 0`); `out` must
/// be writable for `out_cap` bytes (or be NULL with `out_cap == 0`) and must not overlap the
/// input; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_json_canonicalize(
    dialect: u32,
    flags: u32,
    in_ptr: *const u8,
    in_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    let dialect_arg = dialect;
    boundary(|| {
        // SAFETY: forwarded caller guarantees on `out`/`out_cap`/`out_written`.
        let out = unsafe { Output::new(out, out_cap, out_written) }?;
        // SAFETY: forwarded caller guarantee on `in_ptr`/`in_len`.
        let src = unsafe { input(in_ptr, in_len) }?;
        let out = out.disjoint_from(src)?;
        let dialect = self::dialect(dialect_arg, flags)?;
        let bytes = canonical(src, dialect, &out)?;
        out.write_all(&bytes)
    })
}

/// The size of the canonical form of `in` (the size query for `payseal_json_canonicalize`):
/// `*out_len` receives it, or on a JSON input error the error's byte offset.
///
/// # Safety
/// `in_ptr` must point to `in_len` readable bytes (or be NULL with `in_len == 0`); `out_len`
/// must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_json_canonical_len(
    dialect: u32,
    flags: u32,
    in_ptr: *const u8,
    in_len: usize,
    out_len: *mut usize,
) -> PaysealResult {
    let dialect_arg = dialect;
    boundary(|| {
        // SAFETY: forwarded caller guarantee on `out_len`; no buffer is written.
        let out = unsafe { Output::new(core::ptr::null_mut(), 0, out_len) }?;
        // SAFETY: forwarded caller guarantee on `in_ptr`/`in_len`.
        let src = unsafe { input(in_ptr, in_len) }?;
        let dialect = self::dialect(dialect_arg, flags)?;
        let bytes = canonical(src, dialect, &out)?;
        out.report_len(bytes.len())
    })
}
