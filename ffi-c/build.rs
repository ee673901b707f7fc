//! Gives the shared library an ELF SONAME, so that programs linked with `-lpayseal_ffi` record
//! `libpayseal_ffi.so.<ABI>` and keep working across releases of the same ABI generation.
//!
//! The number is `PAYSEAL_ABI_VERSION` of `src/lib.rs` (bumped only when an existing function's
//! meaning or signature changes, which is what a SONAME bump means); it is read from the source
//! so that the two cannot drift. `scripts/package` names the file `libpayseal_ffi.so.<VERSION>`
//! with the links `libpayseal_ffi.so.<ABI>` and `libpayseal_ffi.so`; `scripts/test-package.sh`
//! checks the SONAME against `payseal_abi_version()` of the built library.
//!
//! It also lays the webhook verification's code out together at the start of the library
//! (`hot-symbols.txt`, from `hot-functions.txt` by `scripts/ffi-order`): under PHP-FPM each
//! request begins with cold caches, and the pages a verification touches cost more than its
//! instructions. Only where rustc links with its own lld (x86_64 Linux, Rust 1.90 and later, no
//! linker configured): GNU ld and `zig cc` (cargo-zigbuild, scripts/package) refuse the option.
//! `PAYSEAL_SYMBOL_ORDER=0` turns it off.
use std::{env, fs, process};

fn main() {
    println!("cargo:rerun-if-changed=src/lib.rs");
    let source = fs::read_to_string("src/lib.rs").unwrap_or_default();
    let abi = source.lines().find_map(|line| {
        line.trim().strip_prefix("pub const PAYSEAL_ABI_VERSION: u32 = ")?.strip_suffix(';')?.parse::<u32>().ok()
    });
    let Some(abi) = abi else {
        eprintln!("build.rs: `pub const PAYSEAL_ABI_VERSION: u32 = N;` not found in src/lib.rs");
        process::exit(1);
    };
    // ELF targets only (GNU ld, lld, zig cc); Mach-O and PE name their libraries differently.
    let os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if matches!(os.as_str(), "linux" | "android" | "freebsd" | "netbsd" | "openbsd" | "dragonfly") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libpayseal_ffi.so.{abi}");
    }
    order_hot_symbols();
}

/// Passes `hot-symbols.txt` to lld as its symbol ordering file, where rustc's default linker is
/// lld (see the module's doc); anywhere else, nothing.
fn order_hot_symbols() {
    for var in ["PAYSEAL_SYMBOL_ORDER", "RUSTC_LINKER", "CARGO_ENCODED_RUSTFLAGS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    println!("cargo:rerun-if-changed=hot-symbols.txt");
    let target = env::var("TARGET").unwrap_or_default();
    let default_linker = env::var_os("RUSTC_LINKER").is_none()
        && !env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default().contains("link");
    let enabled = env::var("PAYSEAL_SYMBOL_ORDER").map_or(true, |v| v != "0");
    if target != "x86_64-unknown-linux-gnu" || !default_linker || !enabled || rustc_minor() < 90 {
        return;
    }
    let file = std::path::Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default()).join("hot-symbols.txt");
    if file.is_file() {
        println!("cargo:rustc-cdylib-link-arg=-Wl,--symbol-ordering-file={}", file.display());
        // Listed names a build lacks (another compiler's hashes) are no error; scripts/test-ffi.sh
        // checks that the names match this toolchain's.
        println!("cargo:rustc-cdylib-link-arg=-Wl,--no-warn-symbol-ordering");
    }
}

/// The minor version of the compiler building this crate (`rustc 1.95.0 ...` -> 95; 0 if unknown).
fn rustc_minor() -> u32 {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let version = process::Command::new(rustc).arg("--version").output().map(|o| o.stdout).unwrap_or_default();
    let version = String::from_utf8_lossy(&version);
    version.split_whitespace().nth(1).and_then(|v| v.split('.').nth(1)).and_then(|m| m.parse().ok()).unwrap_or(0)
}
