//! JOSE: any bytes as a compact token, a JWK Set, a (private) JWK, or a payload to sign and
//! verify back (see `payseal_fuzz::jose`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::jose::run(data);
});
