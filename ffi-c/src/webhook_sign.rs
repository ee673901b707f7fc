//! Webhook signing over `payseal::webhooks::KeySet::sign`: the mirror of every verifier, with
//! the key-set handle of `webhook.rs` (the first, newest secret of the set signs).
//!
//! One call writes the whole delivery into the caller's buffer, in a flat layout that a
//! `PaysealSigned` describes: for each header, its name then its value (neither separated nor
//! NUL-terminated), in the order the provider sends them; then, for the schemes whose signature
//! lives in the body (`adyen_item`, `spreedly`) or whose body is encrypted (`oppwa`,
//! `oppwa_base64`), the body to send. Every offset is from the start of `out`.

use payseal::webhooks::{KeySet, SignError, SignOptions, Signed};

use crate::abi::{boundary, scratch, Fail, Outcome, Output};
use crate::result::{Detail, PaysealResult};
use crate::webhook::PaysealWebhookKeys;

/// The most headers one signature writes (Standard Webhooks: `webhook-id`,
/// `webhook-timestamp`, `webhook-signature`); the size of `PaysealSigned::headers`.
pub const PAYSEAL_WEBHOOK_SIGN_MAX_HEADERS: usize = 3;

/// The bytes of an OPPWA IV (`PaysealSignOptions::iv`).
pub const PAYSEAL_WEBHOOK_IV_LEN: usize = 12;

/// What a signature needs besides the key set, the body and `now`; each field applies to one
/// scheme and is ignored by the others. A NULL pointer (with a zero length) leaves the option
/// to its default; a non-NULL pointer with a zero length is an empty value (refused where the
/// scheme needs one). Pass NULL instead of the struct for every default.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct PaysealSignOptions {
    /// Standard Webhooks: the `webhook-id` (printable ASCII without spaces, at most 8 KiB).
    /// NULL: `msg_` and 32 hex digits from the operating system's generator.
    pub id: *const u8,
    /// Bytes in `id`.
    pub id_len: usize,
    /// OPPWA: the AES-GCM IV, exactly `PAYSEAL_WEBHOOK_IV_LEN` (12) raw bytes. NULL: drawn
    /// from the operating system's generator. Never reuse an IV under the same key.
    pub iv: *const u8,
    /// Bytes in `iv` (12).
    pub iv_len: usize,
    /// Spreedly: the names of the `<transaction>` children to sign, separated by spaces, in
    /// order. NULL: every child with text content (or `nil="true"`), in document order.
    pub fields: *const u8,
    /// Bytes in `fields`.
    pub fields_len: usize,
    /// Spreedly: `sha1`, `sha256` or `sha512`. NULL: `sha256`.
    pub algorithm: *const u8,
    /// Bytes in `algorithm`.
    pub algorithm_len: usize,
}

/// Where one header is in the output buffer: its name and its value, as byte offsets from the
/// start of `out` and lengths.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaysealHeaderOut {
    /// Offset of the header's name (as the provider spells it).
    pub name_off: usize,
    /// Bytes in the name.
    pub name_len: usize,
    /// Offset of the header's value.
    pub value_off: usize,
    /// Bytes in the value.
    pub value_len: usize,
}

/// The layout of a signed delivery in the output buffer (`payseal_webhook_sign`).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaysealSigned {
    /// How many entries of `headers` are used (0 to `PAYSEAL_WEBHOOK_SIGN_MAX_HEADERS`; 0 for
    /// `adyen_item` and `spreedly`, whose signature is in the body).
    pub header_count: usize,
    /// The headers to add, in the order the provider sends them.
    pub headers: [PaysealHeaderOut; 3],
    /// True when the body to send is in `out` at `body_off` (the signed Adyen item, the
    /// Spreedly document with its `<signed>` block, the OPPWA ciphertext); false when the body
    /// given is sent unchanged (every other scheme).
    pub has_body: bool,
    /// Offset of the body to send (when `has_body`).
    pub body_off: usize,
    /// Bytes of the body to send (when `has_body`).
    pub body_len: usize,
}

/// The options as the core takes them.
fn options<'a>(
    now: i64,
    id: Option<&'a [u8]>,
    iv: Option<&'a [u8]>,
    fields: Option<&'a [u8]>,
    algorithm: Option<&'a [u8]>,
) -> Result<SignOptions<'a>, Fail> {
    let invalid = |name: &'static str| {
        Fail::with(PaysealResult::PAYSEAL_INVALID_ARGUMENT, Detail { reason: Some(name), ..Detail::default() })
    };
    let text =
        |bytes: Option<&'a [u8]>, name| bytes.map(|b| core::str::from_utf8(b).map_err(|_| invalid(name))).transpose();
    let mut opts = SignOptions::at(now);
    opts.id = text(id, "id")?;
    opts.iv = iv.map(|iv| <[u8; PAYSEAL_WEBHOOK_IV_LEN]>::try_from(iv).map_err(|_| invalid("iv"))).transpose()?;
    opts.fields = text(fields, "fields")?;
    opts.algorithm = text(algorithm, "algorithm")?;
    Ok(opts)
}

/// An export's `const PaysealSignOptions *opts` argument (NULL: every default) as the four
/// optional byte strings, each checked like a `bytes!` input (NULL: absent).
macro_rules! sign_options {
    ($opts:expr) => {{
        let opts = $opts;
        match slice!(opts, usize::from(!opts.is_null())).first() {
            None => [None; 4],
            Some(o) => [
                $crate::webhook_sign::present(o.id, bytes!(o.id, o.id_len)),
                $crate::webhook_sign::present(o.iv, bytes!(o.iv, o.iv_len)),
                $crate::webhook_sign::present(o.fields, bytes!(o.fields, o.fields_len)),
                $crate::webhook_sign::present(o.algorithm, bytes!(o.algorithm, o.algorithm_len)),
            ],
        }
    }};
}

/// An option's bytes when its pointer is not NULL.
fn present(ptr: *const u8, bytes: &[u8]) -> Option<&[u8]> {
    (!ptr.is_null()).then_some(bytes)
}

/// An option's text for sizing only (text that is not UTF-8 is refused when signing).
fn lossy(bytes: Option<&[u8]>) -> Option<&str> {
    bytes.map(|b| core::str::from_utf8(b).unwrap_or(""))
}

/// The layout of `signed` once names are put before their values.
fn layout(signed: &Signed<'_>) -> Result<(PaysealSigned, usize), Fail> {
    let mut spans = PaysealSigned::default();
    let mut at = 0;
    for (slot, (name, value)) in signed.headers().enumerate() {
        let entry = spans.headers.get_mut(slot).ok_or(PaysealResult::PAYSEAL_INTERNAL)?;
        *entry =
            PaysealHeaderOut { name_off: at, name_len: name.len(), value_off: at + name.len(), value_len: value.len() };
        at += name.len() + value.len();
        spans.header_count = slot + 1;
    }
    if let Some(body) = signed.body() {
        (spans.has_body, spans.body_off, spans.body_len) = (true, at, body.len());
        at += body.len();
    }
    Ok((spans, at))
}

/// Signs into this thread's scratch, then copies the delivery into the caller's buffer in the
/// documented layout (or reports the exact size needed); `*signed_out` is set on success only.
fn sign_into(
    keys: &KeySet,
    body: &[u8],
    opts: &SignOptions<'_>,
    out: Output,
    signed_out: &mut PaysealSigned,
) -> Outcome {
    // OPPWA encrypts in place: the plaintext passes through the scratch, which is then wiped.
    scratch(keys.scheme().is_encrypted(), |buf| {
        buf.resize(keys.sign_len(body, opts), 0);
        let signed = match keys.sign(body, opts, buf) {
            // `sign_len` is an upper bound, so this is not expected; the exact size is known.
            Err(SignError::BufferTooSmall { needed }) => {
                buf.resize(needed, 0);
                keys.sign(body, opts, buf)?
            }
            other => other?,
        };
        let (spans, total) = layout(&signed)?;
        out.fill(total, |dst| {
            for ((name, value), h) in signed.headers().zip(&spans.headers) {
                dst[h.name_off..h.value_off].copy_from_slice(name.as_bytes());
                dst[h.value_off..h.value_off + h.value_len].copy_from_slice(value.as_bytes());
            }
            if let Some(b) = signed.body() {
                dst[spans.body_off..].copy_from_slice(b);
            }
            Ok(total)
        })?;
        *signed_out = spans;
        Ok(())
    })
}

/// Whether the bytes `[a, a + a_len)` and `[b, b + b_len)` share an address.
fn overlap(a: usize, a_len: usize, b: usize, b_len: usize) -> bool {
    a_len != 0 && b_len != 0 && a < b.saturating_add(b_len) && b < a.saturating_add(a_len)
}

/// A buffer size that always suffices for `payseal_webhook_sign` of `body` with these options,
/// into `*out_len`, without signing (an upper bound: it counts every header name the scheme
/// knows; a size query, `out_cap == 0`, signs and gives the exact size). The options matter: the
/// Standard Webhooks id's length, the digits of `now`, the Spreedly fields. Refuses nothing
/// the signature itself would refuse (an invalid option only shows when signing), except a
/// NULL pointer.
///
/// # Safety
/// `keys` must be a live key set; `body` must point to `body_len` readable bytes (or be NULL
/// with `body_len == 0`); `opts` must be NULL or point to a readable `PaysealSignOptions`
/// whose non-NULL pointers point to their lengths of readable bytes; `out_len` must be a valid
/// `size_t *`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_sign_len(
    keys: *const PaysealWebhookKeys,
    body: *const u8,
    body_len: usize,
    now: i64,
    opts: *const PaysealSignOptions,
    out_len: *mut usize,
) -> PaysealResult {
    boundary(|| {
        let (keys, body, len) = (handle!(keys), bytes!(body, body_len), out_param!(out_len));
        let [id, _, fields, algorithm] = sign_options!(opts);
        // Lengths only: text checks wait for the signature; the id counts by its bytes.
        let mut o = SignOptions::at(now);
        (o.fields, o.algorithm) = (lossy(fields), lossy(algorithm));
        let id_extra = id.map_or(0, |id| id.len());
        o.id = id.map(|_| "");
        let names: usize = keys.keys.scheme().header_names().iter().map(|n| n.len()).sum();
        *len = keys.keys.sign_len(body, &o) + id_extra + names;
        Ok(())
    })
}

/// Signs `body` with the key set's first (newest) secret as the provider would, at `now`
/// (Unix seconds, 0 to 999999999999999999; only Stripe and Standard Webhooks sign it), and
/// writes the delivery into `out`: for each header its name then its value, in the order the
/// provider sends them, then the body to send when the scheme writes one. `*out_signed`
/// (written on success only) gives the offsets and lengths, and `has_body`: when false, send
/// `body` unchanged. `payseal_webhook_sign_len` gives a size that always suffices.
///
/// Failures: `PAYSEAL_BUFFER_TOO_SMALL` with the exact size in `*out_written` (nothing
/// written; note that a Standard Webhooks id or OPPWA IV drawn by the library differs from
/// call to call, its size does not); `PAYSEAL_INVALID_ARGUMENT` for an unusable option (`now`
/// out of range, an `id` that is empty, not printable ASCII or has spaces, an `iv` that is not
/// 12 bytes, unknown Spreedly `fields` or `algorithm`: `payseal_last_error`'s `reason` names
/// it) or an output overlapping an input; `PAYSEAL_MALFORMED_BODY` for an Adyen item or
/// Spreedly document that cannot be signed; `PAYSEAL_TOO_LARGE` for a body over 32 MiB (or a
/// result over a verifier's limit); `PAYSEAL_RANDOMNESS` when the operating system's
/// generator fails.
///
/// # Safety
/// As for `payseal_webhook_sign_len`; `out` must be writable for `out_cap` bytes (or be NULL
/// with `out_cap == 0`) and must not overlap any input; `out_written` must be a valid
/// `size_t *`; `out_signed` must be a valid `PaysealSigned *` overlapping neither `out` nor
/// `body`.
#[no_mangle]
pub unsafe extern "C" fn payseal_webhook_sign(
    keys: *const PaysealWebhookKeys,
    body: *const u8,
    body_len: usize,
    now: i64,
    opts: *const PaysealSignOptions,
    out: *mut u8,
    out_cap: usize,
    out_written: *mut usize,
    out_signed: *mut PaysealSigned,
) -> PaysealResult {
    boundary(|| {
        let out_at = out as usize;
        let out = output!(out, out_cap, out_written);
        if out_signed.is_null() {
            return Err(PaysealResult::PAYSEAL_NULL_POINTER.into());
        }
        let (keys, body) = (handle!(keys), bytes!(body, body_len));
        let [id, iv, fields, algorithm] = sign_options!(opts);
        let size = core::mem::size_of::<PaysealSigned>();
        let at = out_signed as usize;
        if overlap(at, size, out_at, out_cap) || overlap(at, size, body.as_ptr() as usize, body.len()) {
            return Err(PaysealResult::PAYSEAL_INVALID_ARGUMENT.into());
        }
        let mut out = out.disjoint_from(body)?;
        for option in [id, iv, fields, algorithm].into_iter().flatten() {
            out = out.disjoint_from(option)?;
        }
        let opts = options(now, id, iv, fields, algorithm)?;
        let signed_out = out_param!(out_signed);
        sign_into(&keys.keys, body, &opts, out, signed_out)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::webhook::{
        payseal_webhook_keys_free, payseal_webhook_keys_new, payseal_webhook_verify, PaysealBytes, PaysealHeader,
        PaysealWebhookScheme as S,
    };
    use std::string::String;
    use std::vec::Vec;

    const NOW: i64 = 1_781_699_238;
    const ADYEN_KEY: &str = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056";
    const ADYEN_ITEM: &str = r#"{"pspReference":"7914073381342284","merchantAccountCode":"TestMerchant","merchantReference":"TestPayment-1407325143704","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true"}"#;
    const SPREEDLY_DOC: &str =
        "<transaction>\n  <amount>100</amount>\n  <currency_code>EUR</currency_code>\n  <succeeded>true</succeeded>\n</transaction>\n";

    struct Keys(*mut PaysealWebhookKeys);

    impl Keys {
        fn new(scheme: S, secret: &str) -> Self {
            let s = PaysealBytes { ptr: secret.as_ptr(), len: secret.len() };
            let mut keys = core::ptr::null_mut();
            // SAFETY: one valid secret, a valid out-pointer.
            let rc = unsafe { payseal_webhook_keys_new(scheme as u32, &s, 1, &mut keys) };
            assert_eq!(rc, PaysealResult::PAYSEAL_OK, "{scheme:?}");
            Self(keys)
        }
    }

    impl Drop for Keys {
        fn drop(&mut self) {
            // SAFETY: a live handle from `new`, freed once.
            unsafe { payseal_webhook_keys_free(self.0) };
        }
    }

    /// What `payseal_webhook_sign` returned: code, bytes written, layout, the buffer.
    fn sign(
        keys: &Keys,
        body: &[u8],
        now: i64,
        opts: Option<&PaysealSignOptions>,
        cap: usize,
    ) -> (PaysealResult, usize, PaysealSigned, Vec<u8>) {
        let mut out = std::vec![0xEEu8; cap];
        let mut written = usize::MAX;
        let mut signed = PaysealSigned { header_count: 99, ..PaysealSigned::default() };
        let opts = opts.map_or(core::ptr::null(), |o| o as *const _);
        // SAFETY: every pointer is valid for its length.
        let rc = unsafe {
            payseal_webhook_sign(
                keys.0,
                body.as_ptr(),
                body.len(),
                now,
                opts,
                out.as_mut_ptr(),
                cap,
                &mut written,
                &mut signed,
            )
        };
        (rc, written, signed, out)
    }

    fn sign_len(keys: &Keys, body: &[u8], now: i64, opts: Option<&PaysealSignOptions>) -> usize {
        let mut len = 0;
        let opts = opts.map_or(core::ptr::null(), |o| o as *const _);
        // SAFETY: every pointer is valid for its length.
        let rc = unsafe { payseal_webhook_sign_len(keys.0, body.as_ptr(), body.len(), now, opts, &mut len) };
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        len
    }

    /// The headers and the body to send, read through the layout.
    fn delivery<'a>(out: &'a [u8], signed: &PaysealSigned, body: &'a [u8]) -> (Vec<(String, String)>, &'a [u8]) {
        let text = |off: usize, len: usize| String::from_utf8(out[off..off + len].to_vec()).unwrap_or_default();
        let headers = signed.headers[..signed.header_count]
            .iter()
            .map(|h| (text(h.name_off, h.name_len), text(h.value_off, h.value_len)))
            .collect();
        let sent = if signed.has_body { &out[signed.body_off..signed.body_off + signed.body_len] } else { body };
        (headers, sent)
    }

    fn verify(keys: &Keys, headers: &[(String, String)], body: &[u8], now: i64) -> PaysealResult {
        let c: Vec<PaysealHeader> = headers
            .iter()
            .map(|(n, v)| PaysealHeader { name: n.as_ptr(), name_len: n.len(), value: v.as_ptr(), value_len: v.len() })
            .collect();
        // SAFETY: every pointer is valid for its length.
        unsafe { payseal_webhook_verify(keys.0, c.as_ptr(), c.len(), body.as_ptr(), body.len(), now, 300) }
    }

    fn every_scheme() -> [(S, String, Vec<u8>); 10] {
        let json = br#"{"id":"evt_1","type":"payment.succeeded","amount":1250}"#.to_vec();
        [
            (S::PAYSEAL_WEBHOOK_EUPAY, "whsec_eupay".into(), json.clone()),
            (S::PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody".into(), b"Hello, World!".to_vec()),
            (S::PAYSEAL_WEBHOOK_STRIPE, "whsec_stripe".into(), json.clone()),
            (S::PAYSEAL_WEBHOOK_STANDARD, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw".into(), json.clone()),
            (S::PAYSEAL_WEBHOOK_SHOPIFY, "shpss_x".into(), json.clone()),
            (S::PAYSEAL_WEBHOOK_CHECKOUT, "cko".into(), json.clone()),
            (S::PAYSEAL_WEBHOOK_ADYEN_ITEM, ADYEN_KEY.into(), ADYEN_ITEM.as_bytes().to_vec()),
            (S::PAYSEAL_WEBHOOK_SPREEDLY, "spreedly".into(), SPREEDLY_DOC.as_bytes().to_vec()),
            (S::PAYSEAL_WEBHOOK_OPPWA, "11".repeat(32), json.clone()),
            (S::PAYSEAL_WEBHOOK_OPPWA_BASE64, "22".repeat(32), json),
        ]
    }

    #[test]
    fn every_scheme_signs_what_its_verifier_accepts() {
        for (scheme, secret, body) in every_scheme() {
            let keys = Keys::new(scheme, &secret);
            let len = sign_len(&keys, &body, NOW, None);
            let (rc, written, signed, out) = sign(&keys, &body, NOW, None, len);
            assert_eq!(rc, PaysealResult::PAYSEAL_OK, "{scheme:?}");
            assert!(written <= len, "{scheme:?}: sign_len is an upper bound");
            let (headers, sent) = delivery(&out, &signed, &body);
            assert_eq!(verify(&keys, &headers, sent, NOW + 10), PaysealResult::PAYSEAL_OK, "{scheme:?}");
            // The layout is flat: name, value, ..., body, nothing else.
            let used = headers.iter().map(|(n, v)| n.len() + v.len()).sum::<usize>()
                + if signed.has_body { sent.len() } else { 0 };
            assert_eq!(used, written, "{scheme:?}");
            assert!(out[written..].iter().all(|&b| b == 0xEE), "{scheme:?}: nothing past *out_written");
            // Every name is one the scheme's verifier reads (what `sign_len` counts).
            let core = crate::webhook::scheme(scheme as u32).expect("known scheme");
            for (name, _) in &headers {
                assert!(core.header_names().contains(&name.as_str()), "{scheme:?}: {name}");
            }
            // A one-bit change of the body sent is rejected.
            let mut tampered = sent.to_vec();
            tampered[sent.len() / 2] ^= 1;
            assert_ne!(verify(&keys, &headers, &tampered, NOW + 10), PaysealResult::PAYSEAL_OK, "{scheme:?}");
            // Exact size on a short buffer, nothing written, no layout.
            let (rc, needed, signed, out) = sign(&keys, &body, NOW, None, written - 1);
            assert_eq!((rc, needed), (PaysealResult::PAYSEAL_BUFFER_TOO_SMALL, written), "{scheme:?}");
            assert_eq!(signed.header_count, 99, "{scheme:?}: *out_signed untouched");
            assert!(out.iter().all(|&b| b == 0xEE), "{scheme:?}: nothing written");
        }
    }

    #[test]
    fn github_documented_example_and_layout() {
        let keys = Keys::new(S::PAYSEAL_WEBHOOK_GITHUB, "It's a Secret to Everybody");
        let (rc, written, signed, out) = sign(&keys, b"Hello, World!", 0, None, 128);
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        assert_eq!(
            &out[..written],
            b"X-Hub-Signature-256sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
        );
        let want = PaysealHeaderOut { name_off: 0, name_len: 19, value_off: 19, value_len: 71 };
        assert_eq!(
            signed,
            PaysealSigned {
                header_count: 1,
                headers: [want, Default::default(), Default::default()],
                ..Default::default()
            }
        );
        // A size query.
        let (rc, needed, ..) = sign(&keys, b"Hello, World!", 0, None, 0);
        assert_eq!((rc, needed), (PaysealResult::PAYSEAL_BUFFER_TOO_SMALL, 90));
    }

    #[test]
    fn options_reach_the_core() {
        let keys = Keys::new(S::PAYSEAL_WEBHOOK_STANDARD, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let opts = PaysealSignOptions {
            id: id.as_ptr(),
            id_len: id.len(),
            iv: core::ptr::null(),
            iv_len: 0,
            fields: core::ptr::null(),
            fields_len: 0,
            algorithm: core::ptr::null(),
            algorithm_len: 0,
        };
        let body = br#"{"test": 2432232314}"#;
        let len = sign_len(&keys, body, 1_614_265_330, Some(&opts));
        let (rc, written, signed, out) = sign(&keys, body, 1_614_265_330, Some(&opts), len);
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        assert!(written <= len && len <= written + "svix-idsvix-timestampsvix-signature".len());
        let (headers, _) = delivery(&out, &signed, body);
        // The Standard Webhooks specification's example.
        let want = [
            ("webhook-id", id),
            ("webhook-timestamp", "1614265330"),
            ("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="),
        ];
        assert_eq!(headers, want.map(|(n, v)| (n.to_owned(), v.to_owned())));
        // Without an id, one is drawn: `msg_` + 32 hex digits, a new one each time.
        let (_, _, signed, out) = sign(&keys, body, NOW, None, 256);
        let (a, _) = delivery(&out, &signed, body);
        let (_, _, signed, out) = sign(&keys, body, NOW, None, 256);
        let (b, _) = delivery(&out, &signed, body);
        assert!(a[0].1.starts_with("msg_") && a[0].1.len() == 36);
        assert_ne!(a[0].1, b[0].1);
        // Unusable options: INVALID_ARGUMENT, with the option's name as the reason.
        let reason = || {
            let mut d = core::mem::MaybeUninit::uninit();
            // SAFETY: a valid out-pointer.
            assert_eq!(unsafe { crate::result::payseal_last_error(d.as_mut_ptr()) }, PaysealResult::PAYSEAL_OK);
            // SAFETY: written by the call above.
            let d = unsafe { d.assume_init() };
            // SAFETY: a static span from the library.
            String::from_utf8(unsafe { core::slice::from_raw_parts(d.reason, d.reason_len) }.to_vec())
                .unwrap_or_default()
        };
        for (bad, name) in [("a b", "id"), ("", "id"), ("caf\u{e9}", "id"), ("\u{ff}", "id")] {
            let o = PaysealSignOptions { id: bad.as_ptr(), id_len: bad.len(), ..opts };
            let (rc, written, ..) = sign(&keys, body, NOW, Some(&o), 256);
            assert_eq!((rc, written), (PaysealResult::PAYSEAL_INVALID_ARGUMENT, 0), "{bad:?}");
            assert_eq!(reason(), name);
        }
        let not_utf8 = [0xffu8, b'a'];
        let o = PaysealSignOptions { id: not_utf8.as_ptr(), id_len: 2, ..opts };
        assert_eq!(sign(&keys, body, NOW, Some(&o), 256).0, PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        assert_eq!(reason(), "id");
        for now in [-1, 1_000_000_000_000_000_000] {
            assert_eq!(sign(&keys, body, now, Some(&opts), 256).0, PaysealResult::PAYSEAL_INVALID_ARGUMENT);
            assert_eq!(reason(), "now");
        }
        let o = PaysealSignOptions { id: core::ptr::null(), id_len: 3, ..opts };
        assert_eq!(sign(&keys, body, NOW, Some(&o), 256).0, PaysealResult::PAYSEAL_NULL_POINTER);
    }

    #[test]
    fn oppwa_iv_and_spreedly_options() {
        let keys = Keys::new(S::PAYSEAL_WEBHOOK_OPPWA, &"00".repeat(32));
        let iv = [0u8; 12];
        let none = PaysealSignOptions {
            id: core::ptr::null(),
            id_len: 0,
            iv: core::ptr::null(),
            iv_len: 0,
            fields: core::ptr::null(),
            fields_len: 0,
            algorithm: core::ptr::null(),
            algorithm_len: 0,
        };
        // NIST GCM test case 14: zero key and IV, 16 zero bytes.
        let o = PaysealSignOptions { iv: iv.as_ptr(), iv_len: 12, ..none };
        let (rc, _, signed, out) = sign(&keys, &[0u8; 16], 0, Some(&o), 256);
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        let (headers, sent) = delivery(&out, &signed, b"");
        assert_eq!(headers[0], ("X-Initialization-Vector".to_owned(), "0".repeat(24)));
        assert_eq!(headers[1], ("X-Authentication-Tag".to_owned(), "d0d1c8a799996bf0265b98b5d48ab919".to_owned()));
        assert_eq!(sent, b"cea7403d4d606b6e074ec5d3baf39d18");
        let o = PaysealSignOptions { iv: iv.as_ptr(), iv_len: 11, ..none };
        assert_eq!(sign(&keys, &[0u8; 16], 0, Some(&o), 256).0, PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        // An empty body: the ciphertext is empty, but there is a body to send.
        let (rc, _, signed, _) = sign(&keys, b"", 0, None, 256);
        assert_eq!((rc, signed.has_body, signed.body_len), (PaysealResult::PAYSEAL_OK, true, 0));

        let keys = Keys::new(S::PAYSEAL_WEBHOOK_SPREEDLY, "spreedly");
        let body = SPREEDLY_DOC.as_bytes();
        let (fields, alg) = ("succeeded amount", "sha1");
        let o = PaysealSignOptions {
            fields: fields.as_ptr(),
            fields_len: fields.len(),
            algorithm: alg.as_ptr(),
            algorithm_len: 4,
            ..none
        };
        let len = sign_len(&keys, body, NOW, Some(&o));
        let (rc, written, signed, out) = sign(&keys, body, NOW, Some(&o), len);
        assert_eq!(rc, PaysealResult::PAYSEAL_OK);
        assert!(written <= len);
        let (headers, sent) = delivery(&out, &signed, body);
        assert!(headers.is_empty());
        let text = String::from_utf8(sent.to_vec()).unwrap_or_default();
        assert!(
            text.contains("<fields>succeeded amount</fields>") && text.contains("<algorithm>sha1</algorithm>"),
            "{text}"
        );
        assert_eq!(verify(&keys, &[], sent, NOW), PaysealResult::PAYSEAL_OK);
        for (fields, alg) in [("nope", "sha1"), ("amount", "md5")] {
            let o = PaysealSignOptions {
                fields: fields.as_ptr(),
                fields_len: fields.len(),
                algorithm: alg.as_ptr(),
                algorithm_len: alg.len(),
                ..none
            };
            assert_eq!(sign(&keys, body, NOW, Some(&o), 4096).0, PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        }
        assert_eq!(sign(&keys, b"<transaction>", NOW, None, 4096).0, PaysealResult::PAYSEAL_MALFORMED_BODY);
        let adyen = Keys::new(S::PAYSEAL_WEBHOOK_ADYEN_ITEM, ADYEN_KEY);
        assert_eq!(sign(&adyen, b"[]", NOW, None, 4096).0, PaysealResult::PAYSEAL_MALFORMED_BODY);
    }

    #[test]
    fn pointers_are_checked() {
        let keys = Keys::new(S::PAYSEAL_WEBHOOK_EUPAY, "s");
        let mut out = [0u8; 128];
        let mut written = 7usize;
        let mut signed = PaysealSigned::default();
        let body = b"{}";
        let call = |k: *const PaysealWebhookKeys,
                    b: *const u8,
                    bl: usize,
                    o: *mut u8,
                    cap: usize,
                    w: *mut usize,
                    s: *mut PaysealSigned| {
            // SAFETY: every non-NULL pointer is valid for its length (or refused before use).
            unsafe { payseal_webhook_sign(k, b, bl, 0, core::ptr::null(), o, cap, w, s) }
        };
        let (o, w, s) = (out.as_mut_ptr(), &mut written as *mut usize, &mut signed as *mut PaysealSigned);
        assert_eq!(call(core::ptr::null(), body.as_ptr(), 2, o, 128, w, s), PaysealResult::PAYSEAL_NULL_POINTER);
        assert_eq!(call(keys.0, core::ptr::null(), 2, o, 128, w, s), PaysealResult::PAYSEAL_NULL_POINTER);
        assert_eq!(
            call(keys.0, body.as_ptr(), 2, core::ptr::null_mut(), 128, w, s),
            PaysealResult::PAYSEAL_NULL_POINTER
        );
        assert_eq!(
            call(keys.0, body.as_ptr(), 2, o, 128, core::ptr::null_mut(), s),
            PaysealResult::PAYSEAL_NULL_POINTER
        );
        assert_eq!(
            call(keys.0, body.as_ptr(), 2, o, 128, w, core::ptr::null_mut()),
            PaysealResult::PAYSEAL_NULL_POINTER
        );
        // Overlaps: out over the body, the layout inside out.
        assert_eq!(call(keys.0, o, 2, o, 128, w, s), PaysealResult::PAYSEAL_INVALID_ARGUMENT);
        let inside = out.as_mut_ptr().wrapping_add(8).cast::<PaysealSigned>();
        assert_eq!(
            call(keys.0, body.as_ptr(), 2, out.as_mut_ptr(), 128, w, inside),
            PaysealResult::PAYSEAL_INVALID_ARGUMENT
        );
        // An empty body signs (NULL with a zero length).
        assert_eq!(call(keys.0, core::ptr::null(), 0, out.as_mut_ptr(), 128, w, s), PaysealResult::PAYSEAL_OK);
        let mut len = 0usize;
        // SAFETY: NULL pointers are refused before use.
        unsafe {
            assert_eq!(
                payseal_webhook_sign_len(core::ptr::null(), body.as_ptr(), 2, 0, core::ptr::null(), &mut len),
                PaysealResult::PAYSEAL_NULL_POINTER
            );
            assert_eq!(
                payseal_webhook_sign_len(keys.0, body.as_ptr(), 2, 0, core::ptr::null(), core::ptr::null_mut()),
                PaysealResult::PAYSEAL_NULL_POINTER
            );
        }
    }
}
