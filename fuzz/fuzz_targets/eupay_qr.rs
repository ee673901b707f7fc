//! EU Pay QR codes: any text as a scanned code (verify_into and verify agree, documented
//! scratch sizes suffice, accepted payloads read and re-sign), and any text as a payload to
//! sign (every output form against HMAC-SHA256/base64url built independently, the URL, deep
//! link and bare data verify, the expiry boundary holds, a changed character is never
//! accepted with another payload).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::eupay::run(data);
});
