//! Python bindings for payseal: the native module `payseal._native`, wrapped by the pure-Python
//! package `payseal` (`python/payseal/`). Bindings translate types only; the logic lives in the
//! `payseal` crate.
//!
//! Build with maturin (`bindings-python/pyproject.toml`); plain `cargo build` links libpython
//! normally, and maturin builds the extension module (no libpython link) itself.

mod clock;
mod encoding;
mod errors;
mod eupay;
mod input;
mod jose;
mod json;
mod paylands;
mod secrets;
mod sign;
mod webhooks;

/// Native half of the `payseal` package; import `payseal` instead.
#[pyo3::pymodule]
mod _native {
    #[pymodule_export]
    use crate::encoding::{
        base64_decode, base64_encode, base64url_decode, base64url_encode, compare_digest, hex_decode, hex_encode,
    };
    #[pymodule_export]
    use crate::errors::{classes, codes};
    #[pymodule_export]
    use crate::eupay::{decode_qr_unverified, sign_qr, verify_qr, PyQrSigner, PyQrVerifier, PySignedQr, PyVerifiedQr};
    #[pymodule_export]
    use crate::jose::{
        inspect_jwt, jwk_thumbprint, sign_jws, sign_jwt, verify_jws, verify_jwt, PyJwkRefresher, PyJwkSet,
        PyJwtVerifier,
    };
    #[pymodule_export]
    use crate::json::canonicalize;
    #[pymodule_export]
    use crate::paylands::{paylands_data, paylands_hash, verify_paylands, PyPaylandsVerifier};
    #[pymodule_export]
    use crate::secrets::{
        check_api_key_pair, generate_api_key, generate_api_key_pair, generate_table_token, hash_bcrypt,
        inspect_api_key, table_url, table_url_merchant, verify_bcrypt, verify_table_url, PySecretVerifier,
    };
    #[pymodule_export]
    use crate::sign::{sign_webhook, PySignedWebhook, PyWebhookSigner};
    #[pymodule_export]
    use crate::webhooks::{verify_webhook, verify_webhook_batch, PyWebhookVerifier};

    /// The base of EU Pay table links.
    #[pymodule_export]
    const TABLE_URL_BASE: &str = payseal::secrets::keys::TABLE_URL_BASE;

    /// Module constants computed from the core.
    #[pymodule_init]
    fn init(m: &pyo3::Bound<'_, pyo3::types::PyModule>) -> pyo3::PyResult<()> {
        use pyo3::types::PyModuleMethods;
        m.add("WEBHOOK_SCHEMES", pyo3::types::PyTuple::new(m.py(), crate::webhooks::scheme_names())?)?;
        m.add("BCRYPT_DEFAULT_COST", payseal::secrets::bcrypt::DEFAULT_COST)?;
        crate::eupay::add_constants(m)?;
        crate::jose::add_constants(m)?;
        Ok(())
    }

    /// The version of the payseal crates this module was built from.
    #[pymodule_export]
    #[allow(non_upper_case_globals)]
    const __version__: &str = env!("CARGO_PKG_VERSION");
}
