//! Node.js bindings for payseal, over napi-rs.
//!
//! This crate translates types only: JavaScript strings and `Uint8Array`s become byte slices,
//! core results become JavaScript strings or bytes written into caller buffers, and core errors
//! become a wire code (`payseal:<code>[:<field>=<value>]`, see [`failure`]) that `errors.js`
//! turns into the `PaysealError` subclass the core's table ([`codes`]) names. Every rule about
//! JSON, encodings or signatures lives in the `payseal` crate. The per-request webhook path is
//! a plain Node-API callback ([`fast`]).
//!
//! The exports here are the private native half; the public API is `index.js` / `index.mjs`
//! (typed by `index.d.ts`), which adds argument checks and the error classes.
#![deny(clippy::undocumented_unsafe_blocks)]
// napi-derive registers the exports only outside `cfg(test)`, so a test build (clippy
// --all-targets) sees every binding as unused.
#![cfg_attr(test, allow(dead_code))]

mod args;
mod codes;
mod encoding;
mod eupay;
mod failure;
mod fast;
mod jose;
mod json;
mod output;
mod paylands;
mod refresh;
mod secrets;
mod sign;
mod webhooks;
