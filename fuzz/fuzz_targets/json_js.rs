//! `JSON.stringify(JSON.parse(x))` on any bytes: no panic; every entry point agrees (vec,
//! fixed tape, exact and short buffers, size query); accepted output is UTF-8, parses and is a
//! fixed point; errors are typed and in range.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payseal::json::Dialect;

fuzz_target!(|data: &[u8]| {
    let _ = payseal_fuzz::json::check_canonical(data, Dialect::Js);
});
