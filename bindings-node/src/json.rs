//! `payseal::json`: canonical JSON in the JavaScript and PHP dialects.
//!
//! The dialect crosses as a small integer that `index.js` builds from `'js' | 'php'` and the
//! options: bit 0 = PHP, bit 1 = `JSON_UNESCAPED_SLASHES`, bit 2 = `JSON_UNESCAPED_UNICODE`.

use std::panic::{catch_unwind, AssertUnwindSafe};

use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, JsString, Task};
use napi_derive::napi;
use payseal::json::{self, Dialect, PhpFlags};

use crate::args::{self, Accept};
use crate::failure::{self, arg_value, Failure};
use crate::output;

const PHP: u32 = 1;
const UNESCAPED_SLASHES: u32 = 2;
const UNESCAPED_UNICODE: u32 = 4;

fn dialect(flags: u32) -> napi::Result<Dialect, Failure> {
    match flags {
        0 => Ok(Dialect::Js),
        f if f & PHP != 0 && f & !(PHP | UNESCAPED_SLASHES | UNESCAPED_UNICODE) == 0 => Ok(Dialect::Php(PhpFlags {
            unescaped_slashes: f & UNESCAPED_SLASHES != 0,
            unescaped_unicode: f & UNESCAPED_UNICODE != 0,
        })),
        _ => Err(arg_value("dialect", "must be 'js' or 'php' (PHP flags apply to 'php' only)")),
    }
}

/// Canonicalises `input` (a string or bytes) and returns the canonical text.
#[napi(js_name = "canonicalizeSync", catch_unwind)]
pub fn canonicalize_sync<'e>(env: &'e Env, input: Unknown<'_>, flags: u32) -> napi::Result<JsString<'e>, Failure> {
    let input = args::bytes(env, &input, "input", Accept::TextOrBytes)?;
    let canonical = json::canonicalize_to_vec(&input, dialect(flags)?).map_err(failure::json)?;
    output::utf8_string(env, &canonical)
}

/// `canonicalize` on the libuv thread pool: the input is copied (JavaScript may reuse its
/// buffer while the work runs) and the result is converted back on the JavaScript thread.
#[derive(Debug)]
pub struct CanonicalizeTask {
    input: Vec<u8>,
    dialect: Dialect,
}

/// What the worker thread hands back: the canonical bytes, the core error, or a panic.
type Outcome = Result<Result<Vec<u8>, json::Error>, ()>;

impl Task for CanonicalizeTask {
    type Output = Outcome;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Outcome> {
        // A panic must not unwind into libuv's C frames; it becomes an `internal` error.
        Ok(catch_unwind(AssertUnwindSafe(|| json::canonicalize_to_vec(&self.input, self.dialect))).map_err(|_| ()))
    }

    fn resolve(&mut self, env: Env, output: Outcome) -> napi::Result<String> {
        let error = match output {
            Ok(Ok(bytes)) => match String::from_utf8(bytes) {
                Ok(text) => return Ok(text),
                Err(_) => failure::fail("internal", None, "output is not UTF-8"),
            },
            Ok(Err(e)) => failure::json(e),
            Err(()) => failure::fail("internal", None, "panic in payseal core"),
        };
        Err(failure::into_rejection(env, error))
    }
}

/// Canonicalises `input` on the libuv thread pool; resolves to the canonical text.
#[napi(js_name = "canonicalize", catch_unwind)]
pub fn canonicalize(env: &Env, input: Unknown<'_>, flags: u32) -> napi::Result<AsyncTask<CanonicalizeTask>, Failure> {
    let input = args::bytes(env, &input, "input", Accept::TextOrBytes)?.to_vec();
    Ok(AsyncTask::new(CanonicalizeTask { input, dialect: dialect(flags)? }))
}
