//! `payseal::jose::refresh`: the policy of a remote JWK Set (when to fetch, what to keep),
//! exposed as a handle that `lib/remote.js` asks before and after each HTTP request. The HTTP is
//! JavaScript's (Node's fetch); every decision is the core's [`Refresher`], with time (seconds on
//! a monotonic clock) as a parameter.

use napi::bindgen_prelude::External;
use napi_derive::napi;
use payseal::jose::refresh::{RefreshPolicy, Refresher};

use crate::failure::{arg_range, Failure};

fn seconds(value: Option<f64>, default: u64, name: &str) -> napi::Result<u64, Failure> {
    match value {
        None => Ok(default),
        Some(s) if s.is_finite() && s.fract() == 0.0 && (0.0..=9.007_199_254_740_991e15).contains(&s) => Ok(s as u64),
        Some(_) => Err(arg_range(name, "It must be a non-negative integer number of seconds")),
    }
}

fn at(now: f64) -> napi::Result<i64, Failure> {
    if now.is_finite() && now.abs() <= 9.007_199_254_740_991e15 {
        // Whole seconds: the policy's unit.
        Ok(now.floor() as i64)
    } else {
        Err(arg_range("now", "It must be a finite number of seconds"))
    }
}

/// A refresher for one remote set: `maxAge` and `cooldown` in whole seconds (defaults the core's:
/// 600 and 30).
#[napi(js_name = "refresherNew", catch_unwind)]
pub fn refresher_new(max_age: Option<f64>, cooldown: Option<f64>) -> napi::Result<External<Refresher>, Failure> {
    let d = RefreshPolicy::DEFAULT;
    let policy = RefreshPolicy {
        max_age: seconds(max_age, d.max_age, "opts.maxAge")?,
        cooldown: seconds(cooldown, d.cooldown, "opts.cooldown")?,
    };
    Ok(External::new(Refresher::new(policy)))
}

/// Before a verification: fetch first?
#[napi(js_name = "refresherShouldFetch", catch_unwind)]
pub fn refresher_should_fetch(r: &External<Refresher>, now: f64) -> napi::Result<bool, Failure> {
    Ok(r.should_fetch(at(now)?))
}

/// After `key_not_found`: fetch again and retry once?
#[napi(js_name = "refresherShouldRefetch", catch_unwind)]
pub fn refresher_should_refetch(r: &External<Refresher>, now: f64) -> napi::Result<bool, Failure> {
    Ok(r.should_refetch_for_unknown_kid(at(now)?))
}

/// Records what happened: `"attempt"` (before the request), `"succeeded"`, `"failed"`.
#[napi(js_name = "refresherRecord", catch_unwind)]
pub fn refresher_record(r: &mut External<Refresher>, event: String, now: f64) -> napi::Result<(), Failure> {
    let now = at(now)?;
    match event.as_str() {
        "attempt" => r.attempt(now),
        "succeeded" => r.succeeded(now),
        "failed" => r.failed(now),
        _ => return Err(crate::failure::arg_value("event", "must be 'attempt', 'succeeded' or 'failed'")),
    }
    Ok(())
}

/// `[maxAge, cooldown, hasSet]`.
#[napi(js_name = "refresherState", catch_unwind)]
pub fn refresher_state(r: &External<Refresher>) -> (f64, f64, bool) {
    let p = r.policy();
    (p.max_age as f64, p.cooldown as f64, r.has_set())
}

/// The largest JWK Set document the core accepts (`payseal::jose::limits::MAX_JWKS_LEN`): a
/// remote set stops reading a response body past it.
#[napi(js_name = "jwksMaxLen", catch_unwind)]
pub fn jwks_max_len() -> u32 {
    u32::try_from(payseal::jose::limits::MAX_JWKS_LEN).unwrap_or(u32::MAX)
}
