//! Paylands `validation_hash` over `payseal::paylands`: verify a notification or API response
//! (and learn which `json_encode` flags it was signed with), compute the hash, or print the
//! JSON that is hashed.

use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey};

use crate::abi::{boundary, scratch, with_tape, Fail};
use crate::handle::Handle;
use crate::result::PaysealResult;

/// Which members are hashed (the `mode` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealPaylandsMode {
    /// A payment notification: `order`, `client`, and `extra_data` when present, in that order.
    PAYSEAL_PAYLANDS_NOTIFICATION = 0,
    /// An API response: every top-level member except `message`, `code`, `current_time` and
    /// `validation_hash`, in the order received.
    PAYSEAL_PAYLANDS_RESPONSE = 1,
}

/// The `json_encode` flags the hash covers (the `flags` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealPaylandsFlags {
    /// `json_encode($data)`: `\/` and `\uXXXX` escapes (the documented form).
    PAYSEAL_PAYLANDS_FLAGS_DEFAULT = 0,
    /// `json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES)`.
    PAYSEAL_PAYLANDS_FLAGS_UNESCAPED = 1,
    /// Verification only: either of the above (default first); the one that matched is
    /// reported.
    PAYSEAL_PAYLANDS_FLAGS_AUTO = 2,
}

use PaysealPaylandsFlags as F;

fn mode(number: u32) -> Result<Mode, PaysealResult> {
    match number {
        n if n == PaysealPaylandsMode::PAYSEAL_PAYLANDS_NOTIFICATION as u32 => Ok(Mode::Notification),
        n if n == PaysealPaylandsMode::PAYSEAL_PAYLANDS_RESPONSE as u32 => Ok(Mode::Response),
        _ => Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT),
    }
}

fn policy(number: u32) -> Result<FlagsPolicy, PaysealResult> {
    match number {
        n if n == F::PAYSEAL_PAYLANDS_FLAGS_AUTO as u32 => Ok(FlagsPolicy::Auto),
        n => flags(n).map(FlagsPolicy::Only),
    }
}

fn flags(number: u32) -> Result<Flags, PaysealResult> {
    match number {
        n if n == F::PAYSEAL_PAYLANDS_FLAGS_DEFAULT as u32 => Ok(Flags::Default),
        n if n == F::PAYSEAL_PAYLANDS_FLAGS_UNESCAPED as u32 => Ok(Flags::Unescaped),
        _ => Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT),
    }
}

fn flags_number(flags: Flags) -> u32 {
    match flags {
        Flags::Unescaped => F::PAYSEAL_PAYLANDS_FLAGS_UNESCAPED as u32,
        _ => F::PAYSEAL_PAYLANDS_FLAGS_DEFAULT as u32,
    }
}

/// The merchant's Paylands signature (opaque; zeroised when freed). Create with
/// `payseal_paylands_key_new`, release with `payseal_paylands_key_free`. Immutable: one key
/// may serve several threads at once.
#[derive(Debug)]
pub struct PaysealPaylandsKey {
    key: SignatureKey,
}

impl Handle for PaysealPaylandsKey {}

/// Keeps the Paylands *signature* (the service's shared secret, 1 to 256 bytes) in a new
/// handle at `*out_key` (set to NULL first). Empty is `PAYSEAL_EMPTY_SIGNATURE`, longer
/// `PAYSEAL_SIGNATURE_TOO_LONG`.
///
/// # Safety
/// `signature` must point to `signature_len` readable bytes; `out_key` must be a valid
/// `PaysealPaylandsKey **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_key_new(
    signature: *const u8,
    signature_len: usize,
    out_key: *mut *mut PaysealPaylandsKey,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_key, || Ok(PaysealPaylandsKey { key: SignatureKey::new(bytes!(signature, signature_len))? }))
    })
}

/// Releases a Paylands key, zeroising it first. NULL is a no-op.
///
/// # Safety
/// `key` must be NULL or a live handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_key_free(key: *mut PaysealPaylandsKey) {
    free_handle!(key);
}

/// Verifies a notification (or API response, per `mode`): its `validation_hash` must be
/// `hex(sha256(json_encode($data, flags) . signature))`, compared in constant time.
/// `flags` is a `PaysealPaylandsFlags` (`_AUTO` accepts either set); on `PAYSEAL_OK`,
/// `*out_matched_flags` says which one matched (`_DEFAULT` or `_UNESCAPED`).
///
/// Failures: `PAYSEAL_MISMATCH` (forged, tampered with, another signature or other flags);
/// `PAYSEAL_MALFORMED` (not JSON as PHP reads it, duplicate keys, top level not an object,
/// `validation_hash` missing or not 64 hex digits, `order` missing in notification mode).
///
/// # Safety
/// `key` must be a live handle; `body` must point to `body_len` readable bytes;
/// `out_matched_flags` must be a valid `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_verify(
    key: *const PaysealPaylandsKey,
    body: *const u8,
    body_len: usize,
    mode: u32,
    flags: u32,
    out_matched_flags: *mut u32,
) -> PaysealResult {
    let (mode_arg, flags_arg) = (mode, flags);
    boundary(|| {
        let (key, body, matched_out) = (handle!(key), bytes!(body, body_len), out_param!(out_matched_flags));
        let (mode, policy) = (self::mode(mode_arg)?, policy(flags_arg)?);
        let matched =
            with_tape(body.len(), |tape| paylands::verify(body, mode, policy, &key.key, tape)).map_err(Fail::from)?;
        *matched_out = flags_number(matched.flags);
        Ok(())
    })
}

/// Writes the lowercase hex `validation_hash` (64 bytes) Paylands would send for `body` under
/// `mode` and `flags` (`_DEFAULT` or `_UNESCAPED`; `_AUTO` is `PAYSEAL_INVALID_ARGUMENT`):
/// to simulate notifications or test a handler. The body's own `validation_hash`, if any, is
/// ignored. `PAYSEAL_MALFORMED` as for verification.
///
/// # Safety
/// `key` must be a live handle; `body` must point to `body_len` readable bytes; `out` must be
/// writable for `out_cap` bytes (or NULL with `out_cap == 0`) and must not overlap `body`;
/// `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_hash(
    key: *const PaysealPaylandsKey,
    body: *const u8,
    body_len: usize,
    mode: u32,
    flags: u32,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    let (mode_arg, flags_arg) = (mode, flags);
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (key, body) = (handle!(key), bytes!(body, body_len));
        let out = out.disjoint_from(body)?;
        let (mode, flags) = (self::mode(mode_arg)?, self::flags(flags_arg)?);
        let mut hex = [0u8; 64];
        with_tape(body.len(), |tape| paylands::hash_hex(body, mode, flags, &key.key, tape, &mut hex))
            .map_err(Fail::from)?;
        out.write_all(&hex)
    })
}

/// Writes the JSON that is hashed, `json_encode($data, flags)` without the signature: what to
/// compare when a hash does not match. No key needed. `PAYSEAL_MALFORMED` as for verification.
///
/// # Safety
/// As for `payseal_paylands_hash`, without the key.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_encode_data(
    body: *const u8,
    body_len: usize,
    mode: u32,
    flags: u32,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    let (mode_arg, flags_arg) = (mode, flags);
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let body = bytes!(body, body_len);
        let out = out.disjoint_from(body)?;
        let (mode, flags) = (self::mode(mode_arg)?, self::flags(flags_arg)?);
        scratch(false, |buf| {
            with_tape(body.len(), |tape| paylands::encode_data(body, mode, flags, tape, buf)).map_err(Fail::from)?;
            out.write_all(buf)
        })
    })
}

/// The mode called `name` (`"notification"`, `"response"`: the core's names) into `*out_mode`
/// (a `PaysealPaylandsMode`); an unknown name is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `name` must point to `name_len` readable bytes; `out_mode` must be a valid `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_mode_from_name(
    name: *const u8,
    name_len: usize,
    out_mode: *mut u32,
) -> PaysealResult {
    boundary(|| {
        let (name, out) = (bytes!(name, name_len), out_param!(out_mode));
        let parsed = core::str::from_utf8(name).ok().and_then(|n| n.parse::<Mode>().ok());
        *out = match parsed.ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)? {
            Mode::Response => PaysealPaylandsMode::PAYSEAL_PAYLANDS_RESPONSE,
            _ => PaysealPaylandsMode::PAYSEAL_PAYLANDS_NOTIFICATION,
        } as u32;
        Ok(())
    })
}

/// The flag set called `name` (`"default"`, `"unescaped"`, `"auto"`: the core's names) into
/// `*out_flags` (a `PaysealPaylandsFlags`); an unknown name is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `name` must point to `name_len` readable bytes; `out_flags` must be a valid `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_flags_from_name(
    name: *const u8,
    name_len: usize,
    out_flags: *mut u32,
) -> PaysealResult {
    boundary(|| {
        let (name, out) = (bytes!(name, name_len), out_param!(out_flags));
        let parsed = core::str::from_utf8(name).ok().and_then(|n| n.parse::<FlagsPolicy>().ok());
        *out = match parsed.ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)? {
            FlagsPolicy::Only(flags) => flags_number(flags),
            _ => F::PAYSEAL_PAYLANDS_FLAGS_AUTO as u32,
        };
        Ok(())
    })
}

/// The core's name of a `PaysealPaylandsFlags` (`"default"`, `"unescaped"`, `"auto"`) into
/// `*out_name`/`*out_len` (static, not NUL-terminated; never free it).
///
/// # Safety
/// `out_name` must be a valid `const uint8_t **`, `out_len` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_paylands_flags_name(
    flags: u32,
    out_name: *mut *const u8,
    out_len: *mut usize,
) -> PaysealResult {
    let number = flags;
    boundary(|| {
        let (name_out, len_out) = (out_param!(out_name), out_param!(out_len));
        let name = match policy(number)? {
            FlagsPolicy::Only(flags) => flags.as_str(),
            _ => "auto",
        };
        (*name_out, *len_out) = (name.as_ptr(), name.len());
        Ok(())
    })
}
