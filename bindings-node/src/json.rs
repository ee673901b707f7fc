//! `payseal::json`: canonical JSON in the JavaScript and PHP dialects.
//!
//! The dialect crosses as its name (`'js' | 'php'`) and the two PHP flags
//! (`JSON_UNESCAPED_SLASHES`, `JSON_UNESCAPED_UNICODE`), and is parsed by the core
//! ([`Dialect::from_name`], which refuses PHP flags with `'js'`).

use std::cell::RefCell;

use napi::bindgen_prelude::{AsyncTask, Unknown};
use napi::{Env, JsString, Task};
use napi_derive::napi;
use payseal::json::{self, Canonicalizer, Dialect, PhpFlags};

use crate::args::{self, Accept, Kind};
use crate::failure::{self, arg_type, arg_value, Failure, Panicked};
use crate::output;

fn dialect(
    env: &Env,
    name: &Unknown<'_>,
    slashes: Option<bool>,
    unicode: Option<bool>,
) -> napi::Result<Dialect, Failure> {
    if args::kind(env, name)? != Kind::String {
        return Err(arg_type("dialect", "a string"));
    }
    let name = args::string(env, name)?;
    let flags = PhpFlags { unescaped_slashes: slashes.unwrap_or(false), unescaped_unicode: unicode.unwrap_or(false) };
    Dialect::from_name(name.text("dialect")?, flags)
        .ok_or_else(|| arg_value("dialect", "must be 'js' or 'php' (PHP flags apply to 'php' only)"))
}

/// Reusable per-thread state of the synchronous calls: the canonicaliser (its token tape) and
/// the output buffer, so that steady-state calls do not allocate. Documents larger than
/// [`KEEP`] bytes do not leave their large buffers behind.
struct Scratch {
    canonicalizer: Canonicalizer,
    out: Vec<u8>,
}

const KEEP: usize = 1 << 20;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch { canonicalizer: Canonicalizer::new(), out: Vec::new() });
}

/// Runs `f` with this thread's scratch (or a fresh one if it is somehow in use: no JavaScript,
/// hence no re-entry, runs during a call, but a fresh scratch is cheaper than a panic).
fn with_scratch<T>(input_len: usize, f: impl FnOnce(&mut Scratch) -> T) -> T {
    SCRATCH.with(|cell| match cell.try_borrow_mut() {
        Ok(mut scratch) => {
            let result = f(&mut scratch);
            scratch.out.clear();
            if input_len > KEEP || scratch.out.capacity() > KEEP {
                *scratch = Scratch { canonicalizer: Canonicalizer::new(), out: Vec::new() };
            }
            result
        }
        Err(_) => f(&mut Scratch { canonicalizer: Canonicalizer::new(), out: Vec::new() }),
    })
}

/// Canonicalises `input` (a string or bytes) and returns the canonical text.
#[napi(js_name = "canonicalizeSync", catch_unwind)]
pub fn canonicalize_sync<'e>(
    env: &'e Env,
    input: Unknown<'_>,
    dialect_name: Unknown<'_>,
    unescaped_slashes: Option<bool>,
    unescaped_unicode: Option<bool>,
) -> napi::Result<JsString<'e>, Failure> {
    let dialect = dialect(env, &dialect_name, unescaped_slashes, unescaped_unicode)?;
    let input = args::bytes(env, &input, "input", Accept::Json)?;
    with_scratch(input.len(), |scratch| {
        scratch.canonicalizer.canonicalize(&input, dialect, &mut scratch.out).map_err(failure::json)?;
        output::utf8_string(env, &scratch.out)
    })
}

/// Canonicalises `input` into the caller's `dst`; returns the bytes written.
#[napi(js_name = "canonicalizeInto", catch_unwind)]
pub fn canonicalize_into(
    env: &Env,
    input: Unknown<'_>,
    dst: Unknown<'_>,
    dialect_name: Unknown<'_>,
    unescaped_slashes: Option<bool>,
    unescaped_unicode: Option<bool>,
) -> napi::Result<i64, Failure> {
    let dialect = dialect(env, &dialect_name, unescaped_slashes, unescaped_unicode)?;
    let input = args::bytes(env, &input, "input", Accept::Json)?;
    let dst = args::output(env, &dst, "dst", &input)?;
    with_scratch(input.len(), |scratch| scratch.canonicalizer.canonicalize_into(&input, dialect, dst))
        .map(args::count)
        .map_err(failure::json)
}

/// `canonicalize` on the libuv thread pool: the input is copied (JavaScript may reuse its
/// buffer while the work runs) and the result is converted back on the JavaScript thread.
#[derive(Debug)]
pub struct CanonicalizeTask {
    input: Vec<u8>,
    dialect: Dialect,
}

/// What the worker thread hands back: the canonical bytes, the core error, or a panic.
type Outcome = Result<Result<Vec<u8>, json::Error>, Panicked>;

impl Task for CanonicalizeTask {
    type Output = Outcome;
    type JsValue = String;

    fn compute(&mut self) -> napi::Result<Outcome> {
        Ok(failure::on_pool(|| json::canonicalize_to_vec(&self.input, self.dialect)))
    }

    fn resolve(&mut self, env: Env, output: Outcome) -> napi::Result<String> {
        let error = match output {
            Ok(Ok(bytes)) => match String::from_utf8(bytes) {
                Ok(text) => return Ok(text),
                Err(_) => failure::fail("internal", None, "output is not UTF-8"),
            },
            Ok(Err(e)) => failure::json(e),
            Err(Panicked) => failure::panicked(),
        };
        Err(failure::into_rejection(env, error))
    }
}

/// Canonicalises `input` on the libuv thread pool; resolves to the canonical text.
#[napi(js_name = "canonicalize", catch_unwind)]
pub fn canonicalize(
    env: &Env,
    input: Unknown<'_>,
    dialect_name: Unknown<'_>,
    unescaped_slashes: Option<bool>,
    unescaped_unicode: Option<bool>,
) -> napi::Result<AsyncTask<CanonicalizeTask>, Failure> {
    let dialect = dialect(env, &dialect_name, unescaped_slashes, unescaped_unicode)?;
    let input = args::bytes(env, &input, "input", Accept::Json)?.to_vec();
    Ok(AsyncTask::new(CanonicalizeTask { input, dialect }))
}
