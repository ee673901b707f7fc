//! A valid JSON value built by `arbitrary` (index keys, escapes, numbers from bits and long
//! digit runs, nesting near the limits, deliberate duplicate keys), printed with random
//! whitespace, escapes and number spellings: every dialect accepts it or rejects it for a
//! reason the model predicts, its output is a fixed point, and it means the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::model::run(data);
});
