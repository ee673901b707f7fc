//! Webhook verification over `payseal::webhooks`: a key-set handle (one scheme, one to four
//! secrets for rotation), one-delivery verification, OPPWA decryption into a caller buffer,
//! and batches spread over the cores.
//!
//! Headers are an array of `PaysealHeader` (name and value as `(ptr, len)`), exactly as
//! received: the core looks names up ASCII case-insensitively and trims optional whitespace.
//! The body is the raw bytes as received.

use core::num::NonZeroUsize;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::vec::Vec;

use payseal::mac::{Algorithm, HmacKey, MAX_OUTPUT};
use payseal::secrets::{OsRandom, RandomSource};
use payseal::webhooks::{self, Freshness, Headers, Item, KeySet, Scheme};

use crate::abi::{boundary, scratch, slice, Fail, Outcome, Output};
use crate::handle::Handle;
use crate::result::PaysealResult;

/// A provider's signature scheme (the `scheme` argument). Numbers are never reused.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealWebhookScheme {
    /// EU Pay: `X-EuPay-Signature: sha256=<hex>`, HMAC-SHA256 of the body.
    PAYSEAL_WEBHOOK_EUPAY = 0,
    /// GitHub: `X-Hub-Signature-256: sha256=<hex>`.
    PAYSEAL_WEBHOOK_GITHUB = 1,
    /// Stripe: `Stripe-Signature: t=..,v1=..` over `t.body`, timestamp within the tolerance.
    PAYSEAL_WEBHOOK_STRIPE = 2,
    /// Standard Webhooks / Svix: `webhook-id`, `-timestamp`, `-signature`; `whsec_` key.
    PAYSEAL_WEBHOOK_STANDARD = 3,
    /// Shopify: `X-Shopify-Hmac-Sha256: <base64>`.
    PAYSEAL_WEBHOOK_SHOPIFY = 4,
    /// Checkout.com: `Cko-Signature: <hex>`.
    PAYSEAL_WEBHOOK_CHECKOUT = 5,
    /// Adyen: one `NotificationRequestItem` (JSON body), hex key.
    PAYSEAL_WEBHOOK_ADYEN_ITEM = 6,
    /// Spreedly: a `<transaction>` XML body with its `<signed>` element.
    PAYSEAL_WEBHOOK_SPREEDLY = 7,
    /// OPPWA / ACI: AES-256-GCM, hex ciphertext body, 64-hex-digit key.
    PAYSEAL_WEBHOOK_OPPWA = 8,
    /// OPPWA / ACI with a standard base64 ciphertext body.
    PAYSEAL_WEBHOOK_OPPWA_BASE64 = 9,
}

use PaysealWebhookScheme as S;

/// Every scheme with its number (the one place the two meet).
const SCHEMES: [(PaysealWebhookScheme, Scheme); 10] = [
    (S::PAYSEAL_WEBHOOK_EUPAY, Scheme::EuPay),
    (S::PAYSEAL_WEBHOOK_GITHUB, Scheme::Github),
    (S::PAYSEAL_WEBHOOK_STRIPE, Scheme::Stripe),
    (S::PAYSEAL_WEBHOOK_STANDARD, Scheme::Standard),
    (S::PAYSEAL_WEBHOOK_SHOPIFY, Scheme::Shopify),
    (S::PAYSEAL_WEBHOOK_CHECKOUT, Scheme::Checkout),
    (S::PAYSEAL_WEBHOOK_ADYEN_ITEM, Scheme::AdyenItem),
    (S::PAYSEAL_WEBHOOK_SPREEDLY, Scheme::Spreedly),
    (S::PAYSEAL_WEBHOOK_OPPWA, Scheme::Oppwa),
    (S::PAYSEAL_WEBHOOK_OPPWA_BASE64, Scheme::OppwaBase64),
];

/// The core's scheme for a `PaysealWebhookScheme` number.
pub(crate) fn scheme(number: u32) -> Result<Scheme, PaysealResult> {
    SCHEMES.iter().find(|(n, _)| *n as u32 == number).map(|(_, s)| *s).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)
}

/// A byte string `(ptr, len)` inside an array argument; `ptr` may be NULL only when `len` is 0.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PaysealBytes {
    /// The first byte.
    pub ptr: *const u8,
    /// How many bytes.
    pub len: usize,
}

/// One request header as received: name and value, neither NUL-terminated.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PaysealHeader {
    /// The header's name (any case).
    pub name: *const u8,
    /// Bytes in `name`.
    pub name_len: usize,
    /// The header's value.
    pub value: *const u8,
    /// Bytes in `value`.
    pub value_len: usize,
}

/// One delivery of a batch (`payseal_webhook_verify_batch`).
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PaysealWebhookItem {
    /// The key set (and so the scheme) to verify with.
    pub keys: *const PaysealWebhookKeys,
    /// The request headers.
    pub headers: *const PaysealHeader,
    /// Entries in `headers`.
    pub header_count: usize,
    /// The raw body.
    pub body: *const u8,
    /// Bytes in `body`.
    pub body_len: usize,
}

/// A webhook key set (opaque): a scheme and one to four secrets, parsed and precomputed once.
/// Create with `payseal_webhook_keys_new`, release with `payseal_webhook_keys_free`.
/// Immutable: one key set may serve several threads at once. A handle from
/// `payseal_webhook_keys_shared` shares its key set with the process-wide registry.
#[derive(Debug)]
pub struct PaysealWebhookKeys {
    pub(crate) keys: Arc<KeySet>,
}

impl Handle for PaysealWebhookKeys {}

/// An export's `(const PaysealHeader *headers, size_t count)` as checked [`CHeaders`].
macro_rules! c_headers {
    ($ptr:expr, $count:expr) => {{
        let pairs = slice!($ptr, $count);
        // SAFETY: the headers argument of the enclosing export, whose `# Safety` section makes
        // the caller guarantee readable names and values of the given lengths for the call.
        unsafe { CHeaders::new(pairs) }?
    }};
}

/// A caller's header array whose every pointer has been checked (see [`CHeaders::new`]).
#[derive(Debug, Clone, Copy)]
struct CHeaders<'a> {
    pairs: &'a [PaysealHeader],
}

// SAFETY: `CHeaders` only reads through its pointers, and `new`'s contract makes the caller
// keep that memory valid and unmodified for the whole call, on every thread of a batch.
unsafe impl Sync for CHeaders<'_> {}

impl<'a> CHeaders<'a> {
    /// Checks every `(ptr, len)` of the array (NULL only with a zero length, `PTRDIFF_MAX`).
    ///
    /// # Safety
    /// The headers' names and values must point to readable bytes of their lengths, valid and
    /// unmodified for `'a`.
    unsafe fn new(pairs: &'a [PaysealHeader]) -> Result<Self, PaysealResult> {
        for h in pairs {
            // SAFETY: forwarded caller guarantee; this checks NULL and length limits only.
            unsafe {
                slice(h.name, h.name_len)?;
                slice(h.value, h.value_len)?;
            }
        }
        Ok(Self { pairs })
    }

    fn bytes(ptr: *const u8, len: usize) -> &'a [u8] {
        // SAFETY: every pointer was checked by `new` (non-NULL unless the length is 0, length
        // within `isize::MAX`) and the caller keeps the bytes valid for `'a`.
        unsafe { slice(ptr, len) }.unwrap_or_default()
    }

    /// Rejects an output buffer that overlaps any header byte.
    fn disjoint(&self, out: Output) -> Result<Output, PaysealResult> {
        self.pairs.iter().try_fold(out, |out, h| {
            out.disjoint_from(Self::bytes(h.name, h.name_len))?.disjoint_from(Self::bytes(h.value, h.value_len))
        })
    }
}

impl Headers for CHeaders<'_> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.pairs
            .iter()
            .filter(move |h| Self::bytes(h.name, h.name_len).eq_ignore_ascii_case(name.as_bytes()))
            .map(|h| Self::bytes(h.value, h.value_len))
    }
}

/// Headers packed into one byte string, for hosts where building C structs costs more than the
/// verification (PHP's FFI): for each header, its name's length as a 4-byte little-endian
/// integer, the name, the value's length (same), the value. Checked once by [`Packed::new`].
#[derive(Debug, Clone, Copy)]
struct Packed<'a> {
    bytes: &'a [u8],
}

impl<'a> Packed<'a> {
    /// Walks the block once: every length must fit in what follows it.
    fn new(bytes: &'a [u8]) -> Result<Self, PaysealResult> {
        let packed = Self { bytes };
        let mut rest = bytes;
        while !rest.is_empty() {
            let (_, after_name) = Self::field(rest).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            let (_, after_value) = Self::field(after_name).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
            rest = after_value;
        }
        Ok(packed)
    }

    /// One length-prefixed field and what follows it.
    fn field(bytes: &'a [u8]) -> Option<(&'a [u8], &'a [u8])> {
        let (len, rest) = bytes.split_first_chunk::<4>()?;
        let len = usize::try_from(u32::from_le_bytes(*len)).ok()?;
        (len <= rest.len()).then(|| rest.split_at(len))
    }

    fn pairs(self) -> impl Iterator<Item = (&'a [u8], &'a [u8])> {
        let mut rest = self.bytes;
        core::iter::from_fn(move || {
            let (name, after_name) = Self::field(rest)?;
            let (value, after_value) = Self::field(after_name)?;
            rest = after_value;
            Some((name, value))
        })
    }
}

impl Headers for Packed<'_> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        self.pairs().filter(move |(n, _)| n.eq_ignore_ascii_case(name.as_bytes())).map(|(_, v)| v)
    }
}

fn freshness(now: i64, tolerance: u64) -> Freshness {
    Freshness::new(now, tolerance)
}

/// The values of a scheme's first header names (`Scheme::header_names`), given one by one:
/// slot `i` holds the value received for name `i` (`None` when absent). Names past the slots
/// are absent.
#[derive(Debug, Clone, Copy)]
struct Slots<'a> {
    names: &'static [&'static str],
    values: [Option<&'a [u8]>; 2],
}

impl Headers for Slots<'_> {
    fn values<'s>(&'s self, name: &'s str) -> impl Iterator<Item = &'s [u8]> + 's {
        let slot = self.names.iter().take(self.values.len()).position(|n| n.eq_ignore_ascii_case(name));
        slot.and_then(|i| self.values[i]).into_iter()
    }
}

/// The scheme called `name` (`"eupay"`, `"github"`, `"stripe"`, `"standard"`, `"shopify"`,
/// `"checkout"`, `"adyen_item"`, `"spreedly"`, `"oppwa"`, `"oppwa_base64"`: the CLI's and the
/// vectors' names) into `*out_scheme`; an unknown name is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `name` must point to `name_len` readable bytes; `out_scheme` must be a valid `uint32_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_scheme_from_name(
    name: *const u8,
    name_len: usize,
    out_scheme: *mut u32,
) -> PaysealResult {
    boundary(|| {
        let (name, out) = (bytes!(name, name_len), out_param!(out_scheme));
        let found = core::str::from_utf8(name).ok().and_then(Scheme::from_name);
        let (number, _) =
            SCHEMES.iter().find(|(_, s)| Some(*s) == found).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
        *out = *number as u32;
        Ok(())
    })
}

/// What the core says about `scheme`: how many header names it reads (`*out_header_count`;
/// `payseal_webhook_header_name` gives them) and whether its payload is encrypted
/// (`*out_encrypted`: OPPWA, whose `open` returns the plaintext; for the MAC schemes the
/// payload is the body itself). An unknown scheme is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `out_header_count` must be a valid `size_t *`, `out_encrypted` a valid `bool *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_scheme_info(
    scheme: u32,
    out_header_count: *mut usize,
    out_encrypted: *mut bool,
) -> PaysealResult {
    let number = scheme;
    boundary(|| {
        let (count, encrypted) = (out_param!(out_header_count), out_param!(out_encrypted));
        let scheme = self::scheme(number)?;
        (*count, *encrypted) = (scheme.header_names().len(), scheme.is_encrypted());
        Ok(())
    })
}

/// Header name `index` (from 0) of `scheme`, as providers spell it (lookups are
/// case-insensitive), into `*out_name`/`*out_len` (static; not NUL-terminated; never free it).
/// These are the only headers the scheme reads, so a host can pass just their values
/// (`payseal_webhook_verify_values`). An index past the list is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `out_name` must be a valid `const uint8_t **`, `out_len` a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_header_name(
    scheme: u32,
    index: usize,
    out_name: *mut *const u8,
    out_len: *mut usize,
) -> PaysealResult {
    let number = scheme;
    boundary(|| {
        let (name_out, len_out) = (out_param!(out_name), out_param!(out_len));
        let names = self::scheme(number)?.header_names();
        let name = names.get(index).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
        (*name_out, *len_out) = (name.as_ptr(), name.len());
        Ok(())
    })
}

/// Builds a key set for `scheme` from `secret_count` (1 to 4) secrets, tried in order, and
/// stores the handle in `*out_keys` (set to NULL first).
///
/// Each secret is given as the provider shows it: the raw text for most schemes, `whsec_` +
/// base64 for Standard Webhooks, hex for Adyen, 64 hex digits for OPPWA. None at all is
/// `PAYSEAL_NO_SECRET`, more than 4 `PAYSEAL_TOO_MANY_SECRETS`, an empty one
/// `PAYSEAL_EMPTY_SECRET`, one not in the scheme's format `PAYSEAL_MALFORMED_SECRET`; an
/// unknown scheme is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// `secrets` must point to `secret_count` readable `PaysealBytes`, each pointing to readable
/// bytes; `out_keys` must be a valid `PaysealWebhookKeys **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_keys_new(
    scheme: u32,
    secrets: *const PaysealBytes,
    secret_count: usize,
    out_keys: *mut *mut PaysealWebhookKeys,
) -> PaysealResult {
    let scheme_arg = scheme;
    boundary(|| {
        new_handle!(out_keys, || {
            let scheme = self::scheme(scheme_arg)?;
            if secret_count > KeySet::MAX {
                return Err(webhooks::KeyError::TooManySecrets.into());
            }
            let list = slice!(secrets, secret_count);
            let mut slices: [&[u8]; KeySet::MAX] = [&[]; KeySet::MAX];
            for (slot, s) in slices.iter_mut().zip(list) {
                *slot = bytes!(s.ptr, s.len);
            }
            Ok(PaysealWebhookKeys { keys: Arc::new(KeySet::new(scheme, &slices[..list.len()])?) })
        })
    })
}

/// Secrets packed into one byte string: for each, its length as a 4-byte little-endian
/// integer, then its bytes (PHP: `pack('V', strlen($s)) . $s`), at most [`KeySet::MAX`].
fn packed_secrets(bytes: &[u8]) -> Result<([&[u8]; KeySet::MAX], usize), crate::abi::Fail> {
    let mut slices: [&[u8]; KeySet::MAX] = [&[]; KeySet::MAX];
    let (mut rest, mut n) = (bytes, 0);
    while !rest.is_empty() {
        let (secret, after) = Packed::field(rest).ok_or(PaysealResult::PAYSEAL_INVALID_ARGUMENT)?;
        *slices.get_mut(n).ok_or(webhooks::KeyError::TooManySecrets)? = secret;
        (rest, n) = (after, n + 1);
    }
    Ok((slices, n))
}

/// `payseal_webhook_keys_new` with the secrets packed into one byte string instead of an
/// array of `PaysealBytes`: for each secret, its length as a 4-byte little-endian integer,
/// then its bytes (PHP: `pack('V', strlen($s)) . $s`; an empty block is no secret). A block
/// whose lengths overrun it is `PAYSEAL_INVALID_ARGUMENT`; otherwise the same results. For
/// hosts where building an array of structs costs more than the key schedule (PHP's FFI).
///
/// # Safety
/// `secrets` must point to `secrets_len` readable bytes (or be NULL with a zero length);
/// `out_keys` must be a valid `PaysealWebhookKeys **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_keys_new_packed(
    scheme: u32,
    secrets: *const u8,
    secrets_len: usize,
    out_keys: *mut *mut PaysealWebhookKeys,
) -> PaysealResult {
    let scheme_arg = scheme;
    boundary(|| {
        let packed = bytes!(secrets, secrets_len);
        new_handle!(out_keys, || {
            let scheme = self::scheme(scheme_arg)?;
            let (slices, n) = packed_secrets(packed)?;
            Ok(PaysealWebhookKeys { keys: Arc::new(KeySet::new(scheme, &slices[..n])?) })
        })
    })
}

/// How many key sets the registry of `payseal_webhook_keys_shared` keeps (the least recently
/// asked for goes first): a process serves a few schemes, each with one or two secret lists
/// over a rotation; more only costs rebuilding.
const SHARED_KEY_SETS: usize = 16;

/// The process-wide key sets of `payseal_webhook_keys_shared`, each under the tag of its
/// scheme and secrets (never the secrets): HMAC-SHA256 under a key drawn once per process
/// from the operating system's generator. Most recently used last.
struct Registry {
    mac: HmacKey,
    sets: VecDeque<([u8; MAX_OUTPUT], Arc<KeySet>)>,
}

static REGISTRY: Mutex<Option<Registry>> = Mutex::new(None);

/// The registry's key set for `scheme` and the packed `secrets`: found by tag, or built and
/// added (dropping the least recently used beyond [`SHARED_KEY_SETS`]). A failure to build
/// adds nothing.
fn shared_keys(scheme: Scheme, number: u32, packed: &[u8]) -> Result<Arc<KeySet>, crate::abi::Fail> {
    let (slices, n) = packed_secrets(packed)?;
    let mut guard = REGISTRY.lock().unwrap_or_else(PoisonError::into_inner);
    let registry = match guard.as_mut() {
        Some(registry) => registry,
        None => {
            let mut key = zeroize::Zeroizing::new([0u8; 32]);
            OsRandom.fill(key.as_mut())?;
            guard.insert(Registry {
                mac: HmacKey::new(Algorithm::Sha256, key.as_ref()),
                sets: VecDeque::with_capacity(SHARED_KEY_SETS + 1),
            })
        }
    };
    // The tag covers the scheme and every secret, each length-prefixed: unambiguous.
    let mut tag = [0u8; MAX_OUTPUT];
    let mut mac = registry.mac.start();
    mac.update(&number.to_le_bytes());
    for secret in &slices[..n] {
        mac.update(&(secret.len() as u64).to_le_bytes());
        mac.update(secret);
    }
    mac.finish(&mut tag);
    if let Some(i) = registry.sets.iter().position(|(t, _)| payseal::ct::eq(t, &tag)) {
        let entry = registry.sets.remove(i).ok_or(PaysealResult::PAYSEAL_INTERNAL)?;
        let keys = Arc::clone(&entry.1);
        registry.sets.push_back(entry);
        return Ok(keys);
    }
    let keys = Arc::new(KeySet::new(scheme, &slices[..n])?);
    registry.sets.push_back((tag, Arc::clone(&keys)));
    if registry.sets.len() > SHARED_KEY_SETS {
        registry.sets.pop_front();
    }
    Ok(keys)
}

/// A handle on the process-wide key set for `scheme` and the packed `secrets` (the format of
/// `payseal_webhook_keys_new_packed`, same results for bad secrets), built on the first call
/// with these secrets and kept in the library: later calls with the same scheme and secrets
/// get it without parsing them or computing a key schedule again. For hosts that rebuild
/// their objects on every request (PHP under FPM). The registry keeps the 16
/// most recently asked for key sets, each under an HMAC tag of its scheme
/// and secrets under a per-process random key (never the secrets themselves); other secrets
/// (a rotation) make a new entry, never an old set answering for them. A key set dropped from
/// the registry lives on while handles use it. Release the handle with
/// `payseal_webhook_keys_free` (the registry's key set stays). The operating system's
/// generator failing on the first call is `PAYSEAL_RANDOMNESS`.
///
/// # Safety
/// `secrets` must point to `secrets_len` readable bytes (or be NULL with a zero length);
/// `out_keys` must be a valid `PaysealWebhookKeys **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_keys_shared(
    scheme: u32,
    secrets: *const u8,
    secrets_len: usize,
    out_keys: *mut *mut PaysealWebhookKeys,
) -> PaysealResult {
    let number = scheme;
    boundary(|| {
        let packed = bytes!(secrets, secrets_len);
        new_handle!(out_keys, || {
            let scheme = self::scheme(number)?;
            Ok(PaysealWebhookKeys { keys: shared_keys(scheme, number, packed)? })
        })
    })
}

/// Releases a key set, zeroising it first. NULL is a no-op.
///
/// # Safety
/// `keys` must be NULL or a live key set, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_keys_free(keys: *mut PaysealWebhookKeys) {
    free_handle!(keys);
}

/// Verifies one delivery: `PAYSEAL_OK` means authentic (and, for Stripe and Standard Webhooks,
/// signed no more than `tolerance` seconds before or after `now`, Unix seconds). Otherwise
/// the rejection: `PAYSEAL_BAD_SIGNATURE`, `PAYSEAL_MISSING_HEADER`,
/// `PAYSEAL_MALFORMED_HEADER`, `PAYSEAL_MALFORMED_BODY`, `PAYSEAL_TIMESTAMP_TOO_OLD`,
/// `PAYSEAL_TIMESTAMP_TOO_NEW`, `PAYSEAL_TOO_MANY_SIGNATURES`, `PAYSEAL_TOO_LARGE`
/// (`payseal_last_error` names the header concerned).
/// For OPPWA this checks the tag and discards the plaintext (`payseal_webhook_open` keeps it).
///
/// # Safety
/// `keys` must be a live key set; `headers` must point to `header_count` readable
/// `PaysealHeader`s whose names and values are readable; `body` must point to `body_len`
/// readable bytes (or be NULL with `body_len == 0`).
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_verify(
    keys: *const PaysealWebhookKeys,
    headers: *const PaysealHeader,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
) -> PaysealResult {
    boundary(|| {
        let (keys, headers, body) = (handle!(keys), c_headers!(headers, header_count), bytes!(body, body_len));
        verify_one(&keys.keys, &headers, body, freshness(now, tolerance))
    })
}

/// `payseal_webhook_verify` with the values of the scheme's first two header names
/// (`payseal_webhook_header_name` 0 and 1) as arguments: `h0`/`h1` NULL (with a zero length)
/// for a header not received, an empty value with a non-NULL pointer. The scheme's other
/// headers count as absent, so Standard Webhooks (six names) needs `payseal_webhook_verify`
/// or the packed form. Same results as `payseal_webhook_verify`; this form exists because a
/// host like PHP's FFI passes strings without copying, while building structs costs it more
/// than the verification.
///
/// # Safety
/// `keys` must be a live key set; `h0`, `h1` and `body` must point to their lengths of
/// readable bytes (or be NULL with a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_verify_values(
    keys: *const PaysealWebhookKeys,
    h0: *const u8,
    h0_len: usize,
    h1: *const u8,
    h1_len: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
) -> PaysealResult {
    boundary(|| {
        let keys = handle!(keys);
        verify_values(&keys.keys, header_values!(h0, h0_len, h1, h1_len), bytes!(body, body_len), now, tolerance)
    })
}

/// `payseal_webhook_verify_values` against the registry's key set for `scheme` and the packed
/// `secrets` (as `payseal_webhook_keys_shared` finds or builds it), in one call and with no
/// handle: for a host whose per-call cost is the call itself (PHP's FFI under FPM, where each
/// request starts with fresh objects and every C function's first call, every handle and every
/// destructor costs more than the verification). Bad secrets give the results of
/// `payseal_webhook_keys_new_packed`; otherwise the results of `payseal_webhook_verify_values`.
///
/// # Safety
/// `secrets`, `h0`, `h1` and `body` must point to their lengths of readable bytes (or be NULL
/// with a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_verify_shared(
    scheme: u32,
    secrets: *const u8,
    secrets_len: usize,
    h0: *const u8,
    h0_len: usize,
    h1: *const u8,
    h1_len: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
) -> PaysealResult {
    let number = scheme;
    boundary(|| {
        let packed = bytes!(secrets, secrets_len);
        let keys = shared_keys(self::scheme(number)?, number, packed)?;
        verify_values(&keys, header_values!(h0, h0_len, h1, h1_len), bytes!(body, body_len), now, tolerance)
    })
}

/// `payseal_webhook_verify_shared` without the registry: a key set for `scheme` and the packed
/// `secrets` is built for this call and wiped when it returns, as `payseal_webhook_keys_new_packed`,
/// `payseal_webhook_verify_values` and `payseal_webhook_keys_free` would, in one call and with
/// no handle (the one-shot `verify_webhook` of a host whose per-call cost is the call itself,
/// PHP's FFI under FPM). For the HMAC schemes the key schedule costs what the registry's lookup
/// does; nothing outlives the call. Same results as those three calls.
///
/// # Safety
/// `secrets`, `h0`, `h1` and `body` must point to their lengths of readable bytes (or be NULL
/// with a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_verify_once(
    scheme: u32,
    secrets: *const u8,
    secrets_len: usize,
    h0: *const u8,
    h0_len: usize,
    h1: *const u8,
    h1_len: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
) -> PaysealResult {
    let number = scheme;
    boundary(|| {
        let (slices, n) = packed_secrets(bytes!(secrets, secrets_len))?;
        let keys = KeySet::new(self::scheme(number)?, &slices[..n])?;
        verify_values(&keys, header_values!(h0, h0_len, h1, h1_len), bytes!(body, body_len), now, tolerance)
    })
}

/// `payseal_webhook_verify` with the headers packed into one byte string instead of an array
/// of `PaysealHeader`: for each header, the name's length as a 4-byte little-endian integer,
/// the name, the value's length (same), the value (PHP: `pack('V', strlen($n)) . $n .
/// pack('V', strlen($v)) . $v`). A block whose lengths overrun it is
/// `PAYSEAL_INVALID_ARGUMENT`. Same results as `payseal_webhook_verify`.
///
/// # Safety
/// `keys` must be a live key set; `headers`/`body` must point to their lengths of readable
/// bytes (or be NULL with a zero length).
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_verify_packed(
    keys: *const PaysealWebhookKeys,
    headers: *const u8,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
) -> PaysealResult {
    boundary(|| {
        let (keys, headers, body) = (handle!(keys), bytes!(headers, headers_len), bytes!(body, body_len));
        verify_one(&keys.keys, &Packed::new(headers)?, body, freshness(now, tolerance))
    })
}

/// `payseal_webhook_open` with packed headers (see `payseal_webhook_verify_packed`).
///
/// # Safety
/// As for `payseal_webhook_verify_packed`; `out` must be writable for `out_cap` bytes (or be
/// NULL with `out_cap == 0`) and must not overlap any input; `out_written` must be a valid
/// `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_open_packed(
    keys: *const PaysealWebhookKeys,
    headers: *const u8,
    headers_len: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (keys, headers, body) = (handle!(keys), bytes!(headers, headers_len), bytes!(body, body_len));
        let out = out.disjoint_from(body)?.disjoint_from(headers)?;
        open_into(&keys.keys, &Packed::new(headers)?, body, freshness(now, tolerance), out)
    })
}

/// Verifies and copies the payload out; decrypted into wiped scratch first, so a failed tag
/// leaves nothing in the caller's buffer.
fn open_into<H: Headers + ?Sized>(keys: &KeySet, headers: &H, body: &[u8], at: Freshness, out: Output) -> Outcome {
    scratch(true, |buf| {
        buf.resize(keys.open_len(body), 0);
        let n = keys.open(headers, body, at, buf)?;
        out.write_all(&buf[..n])
    })
}

/// The values of the scheme's first two header names as `_verify_values`, `_verify_shared` and
/// `_verify_once` take them, `(ptr, len)` each: a NULL `ptr` is a header not received (`None`);
/// NULL with a length is refused as `bytes!` refuses it.
macro_rules! header_values {
    ($h0:expr, $l0:expr, $h1:expr, $l1:expr) => {
        [(!$h0.is_null()).then_some(bytes!($h0, $l0)), (!$h1.is_null()).then_some(bytes!($h1, $l1))]
    };
}
use header_values;

/// The verification of `payseal_webhook_verify_values`, `_verify_shared` and `_verify_once`:
/// the values of the scheme's first two header names (`None`: not received).
fn verify_values(keys: &KeySet, values: [Option<&[u8]>; 2], body: &[u8], now: i64, tolerance: u64) -> Outcome {
    let headers = Slots { names: keys.scheme().header_names(), values };
    verify_one(keys, &headers, body, freshness(now, tolerance))
}

/// One verification; OPPWA plaintext goes to wiped scratch and is dropped.
fn verify_one<H: Headers + ?Sized>(keys: &KeySet, headers: &H, body: &[u8], at: Freshness) -> Outcome {
    if !keys.scheme().is_encrypted() {
        return Ok(keys.open(headers, body, at, &mut []).map(|_| ())?);
    }
    scratch(true, |buf| {
        buf.resize(keys.open_len(body), 0);
        Ok(keys.open(headers, body, at, buf).map(|_| ())?)
    })
}

/// Verifies like `payseal_webhook_verify` and writes the authenticated payload into `out`:
/// the decrypted notification for OPPWA, nothing (`*out_written` = 0) for the MAC schemes,
/// whose payload is the body itself. The plaintext is written only once the tag has verified;
/// `payseal_webhook_open_len` gives a buffer size that always suffices (or make a size query:
/// it verifies, then answers `PAYSEAL_BUFFER_TOO_SMALL` with the exact size).
///
/// # Safety
/// As for `payseal_webhook_verify`; `out` must be writable for `out_cap` bytes (or be NULL with
/// `out_cap == 0`) and must not overlap any input; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_open(
    keys: *const PaysealWebhookKeys,
    headers: *const PaysealHeader,
    header_count: usize,
    body: *const u8,
    body_len: usize,
    now: i64,
    tolerance: u64,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (keys, headers, body) = (handle!(keys), c_headers!(headers, header_count), bytes!(body, body_len));
        let out = headers.disjoint(out.disjoint_from(body)?)?;
        open_into(&keys.keys, &headers, body, freshness(now, tolerance), out)
    })
}

/// An output size that always suffices for `payseal_webhook_open` of `body` (0 for the MAC
/// schemes), into `*out_len`, without verifying anything.
///
/// # Safety
/// `keys` must be a live key set; `body` must point to `body_len` readable bytes; `out_len`
/// must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_open_len(
    keys: *const PaysealWebhookKeys,
    body: *const u8,
    body_len: usize,
    out_len: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let (keys, body, out) = (handle!(keys), bytes!(body, body_len), out_param!(out_len));
        *out = keys.keys.open_len(body);
        Ok(())
    })
}

/// An item's key set, headers and body, checked.
///
/// # Safety
/// The item's pointers must follow `payseal_webhook_verify`'s contract for `'a`.
unsafe fn item_parts<'a>(
    item: &PaysealWebhookItem,
) -> Result<(&'a PaysealWebhookKeys, CHeaders<'a>, &'a [u8]), PaysealResult> {
    // SAFETY: the batch's contract gives every item `payseal_webhook_verify`'s guarantees.
    unsafe {
        let pairs = slice(item.headers, item.header_count)?;
        Ok((crate::handle::borrow(item.keys)?, CHeaders::new(pairs)?, slice(item.body, item.body_len)?))
    }
}

/// Verifies `count` deliveries against the same `now` and `tolerance`, spread over up to
/// `threads` threads (0: every available core; small batches stay on the calling thread),
/// and writes one result code per item, in order, into `out_results[0..count]`.
///
/// Returns `PAYSEAL_OK` once every item has its code (whatever the codes are). An item with a
/// NULL key set or a bad pointer gets `PAYSEAL_NULL_POINTER` (or `PAYSEAL_INVALID_ARGUMENT`)
/// in its own slot; the others are verified. A NULL `items` (with `count > 0`) or
/// `out_results` fails the whole call with nothing written. OPPWA items are verified and
/// their plaintext discarded.
///
/// # Safety
/// `items` must point to `count` readable `PaysealWebhookItem`s whose pointers follow
/// `payseal_webhook_verify`'s contract; `out_results` must be writable for `count`
/// `uint32_t`s and must not overlap the items.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_verify_batch(
    items: *const PaysealWebhookItem,
    count: usize,
    now: i64,
    tolerance: u64,
    threads: u32,
    out_results: *mut u32,
) -> PaysealResult {
    boundary(|| {
        if count == 0 {
            return Ok(());
        }
        if out_results.is_null() {
            return Err(PaysealResult::PAYSEAL_NULL_POINTER.into());
        }
        let items = slice!(items, count);
        let (items_at, items_end) = (items.as_ptr() as usize, items.as_ptr() as usize + core::mem::size_of_val(items));
        let (out_at, out_end) = (out_results as usize, (out_results as usize).saturating_add(count.saturating_mul(4)));
        if out_at < items_end && items_at < out_end {
            return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into());
        }
        let mut codes = std::vec![PaysealResult::PAYSEAL_OK as u32; count];
        // Checked items (their headers first: `Item` borrows them), with their positions.
        let mut checked: Vec<(usize, &KeySet, CHeaders<'_>, &[u8])> = Vec::with_capacity(count);
        for (i, item) in items.iter().enumerate() {
            // SAFETY: the batch's contract gives each item `payseal_webhook_verify`'s guarantees.
            match unsafe { item_parts(item) } {
                Ok((keys, headers, body)) => checked.push((i, &keys.keys, headers, body)),
                Err(code) => codes[i] = code as u32,
            }
        }
        let batch: Vec<Item<'_, CHeaders<'_>>> =
            checked.iter().map(|(_, keys, headers, body)| Item { keys, headers, body }).collect();
        let at = freshness(now, tolerance);
        let outcomes = match NonZeroUsize::new(threads as usize) {
            Some(n) => webhooks::verify_batch_on(&batch, at, n),
            None => webhooks::verify_batch(&batch, at),
        };
        for ((i, ..), outcome) in checked.iter().zip(outcomes) {
            codes[*i] = match outcome {
                Ok(()) => PaysealResult::PAYSEAL_OK,
                Err(e) => Fail::from(e).code,
            } as u32;
        }
        // SAFETY: non-NULL, writable for `count` u32s per the contract, disjoint from the
        // items (checked above).
        unsafe { core::ptr::copy_nonoverlapping(codes.as_ptr(), out_results, count) };
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pack(pairs: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (n, v) in pairs {
            for part in [n, v] {
                out.extend_from_slice(&u32::try_from(part.len()).unwrap_or(u32::MAX).to_le_bytes());
                out.extend_from_slice(part.as_bytes());
            }
        }
        out
    }

    #[test]
    fn packed_headers_are_looked_up_like_pairs() {
        let bytes = pack(&[("Content-Type", "x"), ("X-Sig", "a"), ("", ""), ("x-sig", "b")]);
        let packed = Packed::new(&bytes).map_err(|e| e as u32);
        let packed = packed.as_ref().map(|p| p.values("X-SIG").collect::<Vec<_>>());
        assert_eq!(packed, Ok(std::vec![&b"a"[..], &b"b"[..]]));
        assert_eq!(Packed::new(&[]).map(|p| p.pairs().count()).map_err(|e| e as u32), Ok(0));
        for cut in 1..bytes.len() {
            // Every strict prefix that ends inside a field is refused.
            let ok = Packed::new(&bytes[..cut]).is_ok();
            let boundary = [0usize, 21, 35, 43].contains(&cut);
            assert_eq!(ok, boundary, "cut at {cut}");
        }
        assert!(Packed::new(&[0xff, 0xff, 0xff, 0xff]).is_err());
    }
}
