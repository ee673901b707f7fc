//! `json_encode(json_decode(x, true))` on any bytes, with default flags and with
//! `JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES`: the `json_js` properties for each (fixed
//! points modulo PHP's `-0`), both flag sets accept the same inputs and read each other's
//! output, and what PHP accepts JavaScript accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;
use payseal::json::{canonicalize_to_vec, Dialect};
use payseal_fuzz::json::{check_php_flags, check_php_within_js};

fuzz_target!(|data: &[u8]| {
    let php = check_php_flags(data);
    check_php_within_js(&php, &canonicalize_to_vec(data, Dialect::Js));
});
