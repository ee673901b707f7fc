//! Typed access to a vector line's fields, with errors that name the field.

use base64::Engine as _;
use serde_json::Value;

/// One parsed vector line.
#[derive(Debug)]
pub struct Fields<'a> {
    value: &'a Value,
}

// Accessors are shared by every runner; not every runner needs every one.
#[allow(dead_code)]
impl<'a> Fields<'a> {
    /// Wraps a parsed line.
    pub fn new(value: &'a Value) -> Self {
        Self { value }
    }

    /// The raw JSON value of a field, if present.
    pub fn get(&self, name: &str) -> Option<&'a Value> {
        self.value.get(name)
    }

    /// A required string field.
    pub fn str(&self, name: &str) -> Result<&'a str, String> {
        self.value.get(name).and_then(Value::as_str).ok_or_else(|| format!("field `{name}` missing or not a string"))
    }

    /// An optional string field.
    pub fn opt_str(&self, name: &str) -> Option<&'a str> {
        self.value.get(name).and_then(Value::as_str)
    }

    /// A required integer field.
    pub fn i64(&self, name: &str) -> Result<i64, String> {
        self.value.get(name).and_then(Value::as_i64).ok_or_else(|| format!("field `{name}` missing or not an integer"))
    }

    /// A required standard-base64 field, decoded.
    pub fn b64(&self, name: &str) -> Result<Vec<u8>, String> {
        let text = self.str(name)?;
        base64::engine::general_purpose::STANDARD.decode(text).map_err(|e| format!("field `{name}`: bad base64: {e}"))
    }

    /// An optional standard-base64 field, decoded.
    pub fn opt_b64(&self, name: &str) -> Result<Option<Vec<u8>>, String> {
        match self.opt_str(name) {
            None => Ok(None),
            Some(_) => self.b64(name).map(Some),
        }
    }

    /// A required array of standard-base64 strings, decoded.
    pub fn b64_list(&self, name: &str) -> Result<Vec<Vec<u8>>, String> {
        let list = self
            .value
            .get(name)
            .and_then(Value::as_array)
            .ok_or_else(|| format!("field `{name}` missing or not an array"))?;
        list.iter()
            .map(|v| {
                let s = v.as_str().ok_or_else(|| format!("field `{name}`: non-string entry"))?;
                base64::engine::general_purpose::STANDARD
                    .decode(s)
                    .map_err(|e| format!("field `{name}`: bad base64: {e}"))
            })
            .collect()
    }
}

/// The error for an `expect`/`error` value this runner does not know.
pub fn unknown(field: &str, value: &str) -> String {
    format!("unknown `{field}` value {value:?}: this runner must be taught it")
}
