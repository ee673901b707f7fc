//! Python bindings for payseal: the native module `payseal._native`, wrapped by the pure-Python
//! package `payseal` (`python/payseal/`). Bindings translate types only; the logic lives in the
//! `payseal` crate.
//!
//! Build with maturin (`bindings-python/pyproject.toml`); plain `cargo build` links libpython
//! normally, and maturin builds the extension module (no libpython link) itself.

mod encoding;
mod errors;
mod input;
mod json;

/// Native half of the `payseal` package; import `payseal` instead.
#[pyo3::pymodule]
mod _native {
    #[pymodule_export]
    use crate::encoding::{
        base64_decode, base64_encode, base64url_decode, base64url_encode, compare_digest, hex_decode, hex_encode,
    };
    #[pymodule_export]
    use crate::json::canonicalize;

    /// The version of the payseal crates this module was built from.
    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const __version__: &str = env!("CARGO_PKG_VERSION");
}
