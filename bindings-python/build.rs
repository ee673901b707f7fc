//! Exposes PyO3's interpreter cfgs (`Py_LIMITED_API`, `Py_3_11`, `PyPy`, ...) to this crate and
//! derives the one `src/input.rs` needs: how bytes are borrowed from Python objects.
//!
//! * default: PyO3's own buffer-protocol declarations (non-limited API, or limited API >= 3.11).
//! * `payseal_declared_ffi`: limited API < 3.11 on Unix; `src/input.rs` declares the two buffer
//!   functions itself (present in every CPython 3, stable ABI only from 3.11).
//! * `payseal_copy_inputs`: limited API < 3.11 on Windows, where `python3.dll` does not export
//!   them; non-`bytes` inputs are copied once.
fn main() {
    pyo3_build_config::use_pyo3_cfgs();
    println!("cargo:rustc-check-cfg=cfg(payseal_declared_ffi)");
    println!("cargo:rustc-check-cfg=cfg(payseal_copy_inputs)");
    let outputs = pyo3_build_config::get().build_script_outputs();
    let has = |cfg: &str| outputs.iter().any(|line| line == &format!("cargo:rustc-cfg={cfg}"));
    if has("Py_LIMITED_API") && !has("Py_3_11") {
        if std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "windows") {
            println!("cargo:rustc-cfg=payseal_copy_inputs");
        } else {
            println!("cargo:rustc-cfg=payseal_declared_ffi");
        }
    }
}
