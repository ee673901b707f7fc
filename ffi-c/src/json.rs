//! Canonical JSON over `payseal::json`: JavaScript `JSON.stringify(JSON.parse(x))` or PHP
//! `json_encode(json_decode(x, true), flags)`, byte for byte.

use core::cell::Cell;

use payseal::json::{Canonicalizer, Dialect, PhpFlags};
use payseal::sink::CountingSink;
use payseal::Sink;

use crate::abi::{boundary, scratch, Outcome, Output};
use crate::result::PaysealResult;

/// Which engine's output to reproduce (the `dialect` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealJsonDialect {
    /// `JSON.stringify(JSON.parse(x))` as Node.js prints it. `flags` must be 0.
    PAYSEAL_JSON_JS = 0,
    /// `json_encode(json_decode(x, true), flags)` as PHP 8 prints it.
    PAYSEAL_JSON_PHP = 1,
    /// RFC 8785, the JSON Canonicalization Scheme (members sorted by UTF-16 code units).
    /// `flags` must be 0.
    PAYSEAL_JSON_JCS = 2,
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
        d if d == PaysealJsonDialect::PAYSEAL_JSON_JCS as u32 && flags == 0 => Ok(Dialect::Jcs),
        d if d == PaysealJsonDialect::PAYSEAL_JSON_PHP as u32 && flags & !(SLASHES | UNICODE) == 0 => {
            Ok(Dialect::Php(PhpFlags {
                unescaped_slashes: flags & SLASHES != 0,
                unescaped_unicode: flags & UNICODE != 0,
            }))
        }
        _ => Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT),
    }
}

std::thread_local! {
    /// Each thread's canonicaliser: its tape is reused, so steady traffic does not allocate.
    static CANONICALIZER: Cell<Option<Canonicalizer>> = const { Cell::new(None) };
}

/// Runs `f` with this thread's canonicaliser (taken out of its slot for the call, so a nested
/// call would simply get a fresh one). A tape grown for an input above `KEEP_FOR` bytes is not
/// kept.
fn with_canonicalizer<T>(input_len: usize, f: impl FnOnce(&mut Canonicalizer) -> T) -> T {
    const KEEP_FOR: usize = 1 << 20;
    let mut canonicalizer = CANONICALIZER.try_with(Cell::take).ok().flatten().unwrap_or_default();
    let result = f(&mut canonicalizer);
    if input_len <= KEEP_FOR {
        let _ = CANONICALIZER.try_with(|slot| slot.set(Some(canonicalizer)));
    }
    result
}

/// Canonicalises `src` into `sink`, reporting JSON input errors through `out` with their offset.
fn canonical(src: &[u8], dialect: Dialect, out: &Output, sink: &mut dyn Sink) -> Outcome {
    with_canonicalizer(src.len(), |c| c.canonicalize(src, dialect, sink)).map_err(|e| out.fail(e))
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
        let out = output!(out, out_cap, out_written);
        let src = bytes!(in_ptr, in_len);
        let out = out.disjoint_from(src)?;
        let dialect = self::dialect(dialect_arg, flags)?;
        // Into scratch first: a too-small buffer must not receive a truncated prefix.
        scratch(false, |buf| {
            canonical(src, dialect, &out, buf)?;
            out.write_all(buf)
        })
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
        let out = output!(core::ptr::null_mut(), 0, out_len);
        let src = bytes!(in_ptr, in_len);
        let dialect = self::dialect(dialect_arg, flags)?;
        let mut counter = CountingSink::default();
        canonical(src, dialect, &out, &mut counter)?;
        out.report_len(counter.count)
    })
}

/// The dialect called `name` (`"js"`, `"php"`, `"jcs"`: the core's `Dialect::from_name`) with PHP's
/// flags, into `*out_dialect` (a `PaysealJsonDialect`) and `*out_flags` (the `PaysealJsonFlags`
/// for `payseal_json_canonicalize`). An unknown name, or flags with `"js"`, is
/// `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `name` must point to `name_len` readable bytes; `out_dialect`/`out_flags` must be valid
/// `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_json_dialect_from_name(
    name: *const u8,
    name_len: usize,
    unescaped_slashes: bool,
    unescaped_unicode: bool,
    out_dialect: *mut u32,
    out_flags: *mut u32,
) -> PaysealResult {
    boundary(|| {
        let (name, dialect_out, flags_out) = (bytes!(name, name_len), out_param!(out_dialect), out_param!(out_flags));
        let flags = PhpFlags { unescaped_slashes, unescaped_unicode };
        let found = core::str::from_utf8(name).ok().and_then(|n| Dialect::from_name(n, flags));
        (*dialect_out, *flags_out) = match found.ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)? {
            Dialect::Php(f) => (
                PaysealJsonDialect::PAYSEAL_JSON_PHP as u32,
                if f.unescaped_slashes { SLASHES } else { 0 } | if f.unescaped_unicode { UNICODE } else { 0 },
            ),
            Dialect::Jcs => (PaysealJsonDialect::PAYSEAL_JSON_JCS as u32, 0),
            _ => (PaysealJsonDialect::PAYSEAL_JSON_JS as u32, 0),
        };
        Ok(())
    })
}
