//! Parse, then read every value through the `Document`/`Value`/`Key` API (get, members,
//! elements, decode_str, as_f64, as_i64, emit, emit_members), in every dialect family (JavaScript, PHP, JCS), each
//! reading compared with an independent one.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payseal::json::Dialect;

fuzz_target!(|data: &[u8]| {
    payseal_fuzz::json::check_document(data, Dialect::Js);
    payseal_fuzz::json::check_document(data, Dialect::php_default());
    payseal_fuzz::json::check_document(data, Dialect::Jcs);
});
