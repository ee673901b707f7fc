//! EU Pay API keys and table QR tokens.
//!
//! * [`ApiKey`], [`inspect`], [`check_pair`], [`KeyPair::generate`]: `pk_live_`, `pk_test_`,
//!   `sk_live_`, `sk_test_` keys; the body is [`BODY_MIN_LEN`]..=[`BODY_MAX_LEN`] characters of
//!   `[A-Za-z0-9]` (generated keys have [`GENERATED_BODY_LEN`]).
//! * [`TableToken`], [`TableLink`], [`verify_table_url`]: the token on a table's QR code and the
//!   validation of a scanned link, with one uniform error.
//!
//! Key material is held in fixed buffers (no allocation), zeroised on drop, and redacted in
//! `Debug`. Randomness is a parameter ([`RandomSource`](crate::secrets::RandomSource)).

mod api_key;
mod table;

pub use api_key::{
    check_pair, inspect, ApiKey, Environment, KeyError, KeyKind, KeyPair, BODY_MAX_LEN, BODY_MIN_LEN,
    GENERATED_BODY_LEN, MAX_KEY_LEN, PREFIX_LEN,
};
pub use table::{
    verify_table_url, InvalidTableLink, MerchantId, TableLink, TableToken, MERCHANT_ID_LEN, TABLE_TOKEN_HEX_LEN,
    TABLE_TOKEN_LEN, TABLE_URL_BASE,
};
