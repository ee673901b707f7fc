//! payseal: the native trust core for payment gateways.
//!
//! * [`json`]: canonical JSON in two dialects, reproduced byte for byte: JavaScript
//!   `JSON.stringify(JSON.parse(x))` and PHP `json_encode(json_decode(x, true))`.
//! * [`encoding`]: hex and base64url, thin over well-kept crates.
//! * [`ct`]: the one constant-time comparison helper.
//! * [`mac`]: the one HMAC (SHA-1/256/384/512; key schedule precomputed, zeroised on drop)
//!   behind webhooks, EU Pay QR codes and the secret verifier.
//! * [`jose`]: JWS and JWT (RFC 7515, 7519) verified against JWK Sets, and signed.
//! * [`codes`]: the one table of error codes, names and classes every language follows.
//!
//! The crate is `#![no_std]`; the `alloc` feature adds helpers that return owned buffers and
//! the `std` feature (default) adds OS randomness and clocks.
#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod codes;
pub mod ct;
pub mod encoding;
pub mod eupay;
pub mod jose;
pub mod json;
pub mod mac;
pub mod paylands;
pub mod secrets;
pub mod sink;
pub mod webhooks;

pub use sink::{Buffered, Sink};

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
