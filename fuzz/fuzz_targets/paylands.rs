//! Paylands notifications: any body, both modes, every flag policy; the hashed JSON rebuilt
//! independently (PHP array semantics), the digest recomputed, and a body carrying its own
//! correct hash verifies while a changed one does not.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::paylands::run(data);
});
