//! RFC 8785 (JCS) on any bytes: the `json_js` properties (every entry point agrees, output is
//! UTF-8, parses and is a fixed point, errors typed and in range); JCS accepts what JavaScript
//! accepts but lone surrogates, with the same first error otherwise; its output is the
//! JavaScript output sorted, names strictly ascending by UTF-16 code units.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = payseal_fuzz::json::check_jcs(data);
});
