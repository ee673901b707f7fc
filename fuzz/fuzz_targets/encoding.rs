//! Hex and base64 (base64url without padding, standard with padding): encode/decode round
//! trips, decoding any bytes compared with a reference decoder, exact size queries, clean
//! `BufferTooSmall` errors, and `ct::eq` against `==`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::encoding::check(data);
});
