//! The core's table of outcomes (`payseal::codes`), exported once at load time so that
//! `errors.js` builds its classes and its code -> class map from it rather than by hand.

use napi_derive::napi;
use payseal::codes::{CLASSES, CODES};

/// One row of `payseal::codes::CODES`.
#[napi(object)]
#[derive(Debug)]
pub struct CodeRow {
    /// The C ABI's number.
    pub number: u32,
    /// The stable name (`bad_signature`), what `e.code` holds.
    pub name: String,
    /// The class raised for it (`BadSignatureError`).
    pub class: String,
    /// A one-line English description.
    pub message: String,
}

/// One row of `payseal::codes::CLASSES`, parents before children.
#[napi(object)]
#[derive(Debug)]
pub struct ClassRow {
    /// The class name (`MismatchError`).
    pub name: String,
    /// Its parent (`BadSignatureError`), `null` for `PaysealError`.
    pub parent: Option<String>,
}

/// Every outcome payseal reports: `{number, name, class, message}`.
#[napi(js_name = "codes", catch_unwind)]
pub fn codes() -> Vec<CodeRow> {
    CODES
        .iter()
        .map(|c| CodeRow {
            number: c.number,
            name: c.name.to_owned(),
            class: c.class.name().to_owned(),
            message: c.message.to_owned(),
        })
        .collect()
}

/// Every error class with its parent: `{name, parent}`.
#[napi(js_name = "errorClasses", catch_unwind)]
pub fn error_classes() -> Vec<ClassRow> {
    CLASSES
        .iter()
        .map(|(c, p)| ClassRow { name: c.name().to_owned(), parent: p.map(|p| p.name().to_owned()) })
        .collect()
}
