//! EU Pay QR codes over `payseal::eupay`: sign a payload into the QR URL (or another form of
//! the signed envelope), and verify scanned text, returning the canonical payload.

use payseal::eupay::{self, QrSigner, QrVerifier, SignError, SignedQr, MAX_QR_LEN};
use payseal::sink::SliceSink;

use crate::abi::{boundary, scratch, with_tape, Fail};
use crate::handle::Handle;
use crate::result::PaysealResult;

/// Which form of a signed QR `payseal_eupay_qr_sign_part` writes (the `part` argument).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaysealQrPart {
    /// `https://www.european-pay.fr/pay?data=<base64url envelope>` (what `payseal_eupay_qr_sign`
    /// writes).
    PAYSEAL_QR_URL = 0,
    /// The base64url envelope alone (the `data` parameter).
    PAYSEAL_QR_ENVELOPE_B64URL = 1,
    /// The envelope JSON, `{"payload":<canonical>,"sig":"<hex>"}`.
    PAYSEAL_QR_ENVELOPE = 2,
    /// The canonical payload, `JSON.stringify(JSON.parse(payload))`: the bytes that are signed.
    PAYSEAL_QR_CANONICAL = 3,
    /// The signature, 64 lowercase hex digits.
    PAYSEAL_QR_SIG_HEX = 4,
}

/// An EU Pay QR secret (opaque): the HMAC-SHA256 key schedule, for signing and verifying.
/// Create with `payseal_eupay_qr_key_new`, release with `payseal_eupay_qr_key_free`.
/// Immutable: one key may serve several threads at once.
#[derive(Debug)]
pub struct PaysealQrKey {
    signer: QrSigner,
    verifier: QrVerifier,
}

impl Handle for PaysealQrKey {}

/// Keys HMAC-SHA256 with the secret's bytes and stores the handle in `*out_key` (set to NULL
/// first). An empty secret is `PAYSEAL_EMPTY_SECRET` (the core refuses it: anyone could sign).
///
/// # Safety
/// `secret` must point to `secret_len` readable bytes; `out_key` must be a valid
/// `PaysealQrKey **`.
#[no_mangle]
pub unsafe extern "C" fn payseal_eupay_qr_key_new(
    secret: *const u8,
    secret_len: usize,
    out_key: *mut *mut PaysealQrKey,
) -> PaysealResult {
    boundary(|| {
        new_handle!(out_key, || {
            let secret = bytes!(secret, secret_len);
            // The core refuses an empty secret (`empty_secret`: anyone could sign).
            Ok(PaysealQrKey { signer: QrSigner::new(secret)?, verifier: QrVerifier::new(secret)? })
        })
    })
}

/// Releases a QR key. NULL is a no-op.
///
/// # Safety
/// `key` must be NULL or a live handle, freed at most once and not in use elsewhere.
#[no_mangle]
pub unsafe extern "C" fn payseal_eupay_qr_key_free(key: *mut PaysealQrKey) {
    free_handle!(key);
}

/// Signs `payload` (any JSON text of an object: whitespace, escapes and number spellings do
/// not matter, it is canonicalised as `JSON.stringify(JSON.parse(payload))`) and writes the QR
/// URL `https://www.european-pay.fr/pay?data=...` into `out` (at most 16 KiB).
///
/// Failures: a `PAYSEAL_JSON_*` code with the byte offset in `*out_written` (not JSON,
/// duplicate keys, ...); `PAYSEAL_PAYLOAD_NOT_OBJECT` when the payload is not an object;
/// `PAYSEAL_TOO_LARGE` for a payload over 64 KiB or a URL over 16 KiB.
///
/// # Safety
/// `key` must be a live handle; `payload` must point to `payload_len` readable bytes; `out`
/// must be writable for `out_cap` bytes (or NULL with `out_cap == 0`) and must not overlap
/// `payload`; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_eupay_qr_sign(
    key: *const PaysealQrKey,
    payload: *const u8,
    payload_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (key, payload) = (handle!(key), bytes!(payload, payload_len));
        let out = out.disjoint_from(payload)?;
        // One pass (canonical bytes into the MAC and the encoder at once) into scratch; the
        // caller's buffer receives the URL only once it is complete.
        scratch(false, |buf| {
            buf.resize(MAX_QR_LEN, 0);
            let n = with_tape(payload.len(), |tape| key.signer.sign_url_into(payload, tape, buf))
                .map_err(|e| out.fail(e))?;
            out.write_all(&buf[..n])
        })
    })
}

/// Signs like `payseal_eupay_qr_sign` and writes one `PaysealQrPart` of the result: the URL,
/// the base64url envelope, the envelope JSON, the canonical payload or the hex signature.
/// An unknown `part` is `PAYSEAL_INVALID_ARGUMENT`.
///
/// # Safety
/// As for `payseal_eupay_qr_sign`.
#[no_mangle]
pub unsafe extern "C" fn payseal_eupay_qr_sign_part(
    key: *const PaysealQrKey,
    payload: *const u8,
    payload_len: usize,
    part: u32,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (key, payload) = (handle!(key), bytes!(payload, payload_len));
        let out = out.disjoint_from(payload)?;
        let part = match part {
            p if p == PaysealQrPart::PAYSEAL_QR_URL as u32 => PaysealQrPart::PAYSEAL_QR_URL,
            p if p == PaysealQrPart::PAYSEAL_QR_ENVELOPE_B64URL as u32 => PaysealQrPart::PAYSEAL_QR_ENVELOPE_B64URL,
            p if p == PaysealQrPart::PAYSEAL_QR_ENVELOPE as u32 => PaysealQrPart::PAYSEAL_QR_ENVELOPE,
            p if p == PaysealQrPart::PAYSEAL_QR_CANONICAL as u32 => PaysealQrPart::PAYSEAL_QR_CANONICAL,
            p if p == PaysealQrPart::PAYSEAL_QR_SIG_HEX as u32 => PaysealQrPart::PAYSEAL_QR_SIG_HEX,
            _ => return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into()),
        };
        with_tape(payload.len(), |tape| {
            let signed = key.signer.sign(payload, tape).map_err(|e| out.fail(e))?;
            // Every length is known before writing: a short buffer receives nothing.
            out.fill(part_len(&signed, part), |dst| {
                write_part(&signed, part, dst).map_err(|_| PaysealResult::PAYSEAL_INTERNAL.into())
            })
        })
    })
}

fn part_len(signed: &SignedQr<'_>, part: PaysealQrPart) -> usize {
    match part {
        PaysealQrPart::PAYSEAL_QR_URL => signed.url_len(),
        PaysealQrPart::PAYSEAL_QR_ENVELOPE_B64URL => signed.envelope_b64url_len(),
        PaysealQrPart::PAYSEAL_QR_ENVELOPE => signed.envelope_len(),
        PaysealQrPart::PAYSEAL_QR_CANONICAL => signed.canonical_len(),
        PaysealQrPart::PAYSEAL_QR_SIG_HEX => signed.sig_hex().len(),
    }
}

fn write_part(signed: &SignedQr<'_>, part: PaysealQrPart, out: &mut [u8]) -> Result<usize, SignError> {
    match part {
        PaysealQrPart::PAYSEAL_QR_URL => signed.write_url(out),
        PaysealQrPart::PAYSEAL_QR_ENVELOPE_B64URL => signed.write_envelope_b64url(out),
        PaysealQrPart::PAYSEAL_QR_ENVELOPE => signed.write_envelope(out),
        PaysealQrPart::PAYSEAL_QR_CANONICAL => signed.write_canonical(out),
        PaysealQrPart::PAYSEAL_QR_SIG_HEX => write_sig_hex(signed, out),
    }
}

fn write_sig_hex(signed: &SignedQr<'_>, out: &mut [u8]) -> Result<usize, SignError> {
    let hex = signed.sig_hex().as_bytes();
    let dst = out.get_mut(..hex.len()).ok_or(SignError::BufferTooSmall { needed: hex.len() })?;
    dst.copy_from_slice(hex);
    Ok(hex.len())
}

/// Verifies scanned QR text (the URL, the `eupay://pay?data=` deep link or the bare data
/// parameter) at `now` (Unix seconds) and writes the canonical payload, the bytes that were
/// signed (`JSON.stringify` form), into `out`.
///
/// Failures: `PAYSEAL_BAD_SIGNATURE` (including a `sig` that is not 64 lowercase hex digits);
/// `PAYSEAL_EXPIRED` (good signature, `expiresAt` before `now`); `PAYSEAL_MALFORMED` (text over
/// 16 KiB, unknown link, bad base64url, envelope not JSON or without a `payload` object or a
/// `sig` string, a signed `expiresAt` that is not RFC 3339). Nothing is written on failure;
/// `payseal_last_error` gives the expiry (`expired`) or the core's reason (`malformed`).
///
/// # Safety
/// `key` must be a live handle; `qr` must point to `qr_len` readable bytes; `out` must be
/// writable for `out_cap` bytes (or NULL with `out_cap == 0`) and must not overlap `qr`;
/// `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_eupay_qr_verify(
    key: *const PaysealQrKey,
    qr: *const u8,
    qr_len: usize,
    now: i64,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let (key, qr) = (handle!(key), bytes!(qr, qr_len));
        let out = out.disjoint_from(qr)?;
        scratch(false, |buf| {
            // Longer text is refused before decoding, so this bound always suffices.
            buf.resize(eupay::scratch_len(qr.len().min(MAX_QR_LEN)), 0);
            with_tape(qr.len(), |tape| {
                let payload = key.verifier.verify_into(qr, now, buf, tape).map_err(Fail::from)?;
                out.fill(payload.canonical_len(), |dst| {
                    let mut sink = SliceSink::new(dst);
                    payload.write_canonical(&mut sink);
                    sink.finish().map_err(|_| PaysealResult::PAYSEAL_INTERNAL.into())
                })
            })
        })
    })
}

/// Decodes scanned QR text into its envelope JSON without checking anything: for display and
/// debugging only (never act on it). `PAYSEAL_MALFORMED` (with the core's reason in
/// `payseal_last_error`) for text that is not a QR code.
///
/// # Safety
/// `qr` must point to `qr_len` readable bytes; `out` must be writable for `out_cap` bytes (or
/// NULL with `out_cap == 0`) and must not overlap `qr`; `out_written` must be a valid `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_eupay_qr_decode_unverified(
    qr: *const u8,
    qr_len: usize,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let out = output!(out, out_cap, out_written);
        let qr = bytes!(qr, qr_len);
        let out = out.disjoint_from(qr)?;
        scratch(false, |buf| {
            buf.resize(eupay::scratch_len(qr.len().min(MAX_QR_LEN)), 0);
            let n = eupay::decode_unverified(qr, buf)?;
            out.write_all(&buf[..n])
        })
    })
}
