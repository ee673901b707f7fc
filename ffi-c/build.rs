//! Gives the shared library an ELF SONAME, so that programs linked with `-lpayseal_ffi` record
//! `libpayseal_ffi.so.<ABI>` and keep working across releases of the same ABI generation.
//!
//! The number is `PAYSEAL_ABI_VERSION` of `src/lib.rs` (bumped only when an existing function's
//! meaning or signature changes, which is what a SONAME bump means); it is read from the source
//! so that the two cannot drift. `scripts/package` names the file `libpayseal_ffi.so.<VERSION>`
//! with the links `libpayseal_ffi.so.<ABI>` and `libpayseal_ffi.so`; `scripts/test-package.sh`
//! checks the SONAME against `payseal_abi_version()` of the built library.
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
}
