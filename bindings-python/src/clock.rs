//! `now` arguments: Unix seconds as `int` or `float` (floored), `None` for the system clock.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

/// The Unix time `now` stands for (`None`: the system clock, as the core reads it).
pub fn unix_seconds(now: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    let Some(t) = now else {
        return Ok(payseal::webhooks::Freshness::now().now);
    };
    if let Ok(secs) = t.extract::<i64>() {
        return Ok(secs);
    }
    let secs: f64 = t.extract().map_err(|_| PyTypeError::new_err("now must be Unix seconds (int or float) or None"))?;
    if !secs.is_finite() {
        return Err(PyValueError::new_err("now must be finite"));
    }
    // Saturating float-to-int conversion; floor so that 1.9 s is still second 1.
    #[allow(clippy::cast_possible_truncation)]
    Ok(secs.floor() as i64)
}
