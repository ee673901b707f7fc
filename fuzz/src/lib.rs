//! Shared checks for payseal's fuzz targets and the differential fuzzer.
//!
//! * [`encoding`]: hex and base64 round trips and a reference decoder.
//! * [`json`]: the properties every canonicalisation must have (agreement between the API's
//!   entry points, fixed points, typed errors) and a full walk of a parsed [`Document`].
//! * [`model`]: a structured JSON value built by `arbitrary`, printed with random whitespace,
//!   escapes and number spellings, and the meaning its canonical form must keep.
//! * [`eupay`], [`paylands`], [`secrets`], [`webhooks`]: the signature parsers and verifiers,
//!   against independent constructions (the `hmac`, `sha2` and `base64` crates).
//! * [`jose`]: compact JWS/JWT, JWK Sets and private JWKs, against the `base64` and `hmac`
//!   crates.
//! * [`known_bugs`]: where open core bugs (with ignored regression tests) are tolerated.
//! * [`gen`]: the document generator of the differential fuzzer (`examples/diff_fuzz.rs`).
//!
//! Checks panic on a violated property: that is how a fuzz target reports a finding.
//!
//! [`Document`]: payseal::json::Document

pub mod encoding;
pub mod eupay;
pub mod gen;
pub mod jose;
pub mod json;
pub mod known_bugs;
pub mod model;
pub mod paylands;
pub mod secrets;
pub mod webhooks;
