//! bcrypt hash strings against an independent reading of the format, hashing round trips
//! (72-byte truncation, $2a$/$2y$ variants), and the API key and table link parsers against
//! plain re-implementations.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::secrets::run(data);
});
