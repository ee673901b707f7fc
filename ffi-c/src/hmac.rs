//! HMAC-SHA256 with a precomputed key (the key-handle pattern every keyed capability follows).
//!
//! The handle holds `payseal::webhooks::mac::HmacKey`: the core's key schedule (the chaining
//! values after `K ^ ipad` and `K ^ opad`), zeroised on drop, so each MAC costs only the
//! message's blocks. Comparisons go through `payseal::ct::eq`.

use core::fmt;

use payseal::webhooks::mac::{Algorithm, HmacKey, MAX_OUTPUT};

use crate::abi::boundary;
use crate::handle::Handle;
use crate::result::PaysealResult;

/// Bytes in an HMAC-SHA256 tag.
const TAG_LEN: usize = 32;

/// A precomputed HMAC-SHA256 key (opaque). Create with `payseal_hmac_sha256_key_new`, release
/// with `payseal_hmac_sha256_key_free`. Immutable: one key may serve several threads at once.
pub struct PaysealHmacKey {
    schedule: HmacKey,
}

impl Handle for PaysealHmacKey {}

impl fmt::Debug for PaysealHmacKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PaysealHmacKey(<redacted>)")
    }
}

impl PaysealHmacKey {
    fn tag(&self, msg: &[u8]) -> [u8; TAG_LEN] {
        let mut full = [0u8; MAX_OUTPUT];
        let n = self.schedule.mac(msg, &mut full);
        let mut tag = [0u8; TAG_LEN];
        tag.copy_from_slice(&full[..n.min(TAG_LEN)]);
        tag
    }
}

/// Precomputes an HMAC-SHA256 key from `key_len` raw key bytes and stores a new handle in
/// `*out_key` (set to NULL first). An empty key is `PAYSEAL_EMPTY_SECRET`: it would let anyone
/// forge a MAC.
///
/// # Safety
/// `key_ptr` must point to `key_len` readable bytes; `out_key` must be a valid
/// `PaysealHmacKey **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_hmac_sha256_key_new(
    key_ptr: *const u8,
    key_len: usize,
    out_key: *mut *mut PaysealHmacKey,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_key, || {
            let key = bytes!(key_ptr, key_len);
            if key.is_empty() {
                return Err(PaysealResult::PAYSEAL_EMPTY_SECRET.into());
            }
            Ok(PaysealHmacKey { schedule: HmacKey::new(Algorithm::Sha256, key) })
        })
    })
}

/// Releases a key from `payseal_hmac_sha256_key_new`, zeroising it first. NULL is a no-op.
///
/// # Safety
/// `key` must be NULL or a live key handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_hmac_sha256_key_free(key: *mut PaysealHmacKey) {
    free_handle!(key);
}

/// Writes the 32-byte HMAC-SHA256 tag of `msg` into `out`.
///
/// # Safety
/// `key` must be a live key handle; `msg_ptr` must point to `msg_len` readable bytes (or be
/// NULL with `msg_len == 0`); `out` must be writable for `out_cap` bytes (or be NULL with
/// `out_cap == 0`) and must not overlap `msg`; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_hmac_sha256(
    key: *const PaysealHmacKey,
    msg_ptr: *const u8,
    msg_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (key, msg) = (handle!(key), bytes!(msg_ptr, msg_len));
        let out = out.disjoint_from(msg)?;
        out.write_all(&key.tag(msg))
    })
}

/// Checks in constant time that `tag` is the HMAC-SHA256 of `msg`: `PAYSEAL_OK` or
/// `PAYSEAL_BAD_SIGNATURE` (a tag of the wrong length included).
///
/// # Safety
/// `key` must be a live key handle; `msg_ptr`/`tag_ptr` must point to `msg_len`/`tag_len`
/// readable bytes (or be NULL with a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_hmac_sha256_verify(
    key: *const PaysealHmacKey,
    msg_ptr: *const u8,
    msg_len: usize,
    tag_ptr: *const u8,
    tag_len: usize,
) -> PaysealResult {
    boundary(|| {
        let (key, msg, tag) = (handle!(key), bytes!(msg_ptr, msg_len), bytes!(tag_ptr, tag_len));
        if payseal::ct::eq(&key.tag(msg), tag) {
            Ok(())
        } else {
            Err(PaysealResult::PAYSEAL_BAD_SIGNATURE.into())
        }
    })
}
