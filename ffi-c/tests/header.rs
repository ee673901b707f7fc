//! Regenerates the C headers from the sources and compares them with the committed ones.
//!
//! * `include/payseal.h`: cbindgen's header for C, with `cbindgen.toml`.
//! * `include/payseal_ffi.h`: the same declarations for PHP's `FFI::cdef`, which accepts no
//!   preprocessor lines (conditionals resolved as C99, `#define`s dropped); byte pointers are declared `char *` there (same ABI)
//!   so that PHP passes its strings without copying.
//!
//! The fresh files are also written to `$CARGO_TARGET_TMPDIR` (for `diff -u`);
//! `PAYSEAL_BLESS=1` rewrites the committed ones.

use std::path::{Path, PathBuf};

fn generate(config: cbindgen::Config) -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    cbindgen::Builder::new()
        .with_config(config)
        .with_src(dir.join("src/lib.rs"))
        .generate()
        .expect("cbindgen parses ffi-c/src")
        .write(&mut out);
    String::from_utf8(out).expect("cbindgen writes UTF-8")
}

fn c_config() -> cbindgen::Config {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("cbindgen.toml");
    cbindgen::Config::from_file(&path).expect("ffi-c/cbindgen.toml is valid")
}

/// The declarations alone: no guard, no includes, no doc comments, `char *` for bytes.
fn php_declarations() -> String {
    let mut config = c_config();
    config.header = None;
    config.include_guard = None;
    config.cpp_compat = false;
    config.no_includes = true;
    config.documentation = false;
    let c = generate(config);
    let mut out = String::from("// payseal C ABI for PHP FFI::cdef; generated from ffi-c/src, do not edit.\n");
    for line in as_c99(&c) {
        let line = line.replace("const uint8_t *", "const char *").replace("uint8_t *", "char *");
        out.push_str(&line);
        out.push('\n');
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// Resolves the few conditionals cbindgen writes as a C99 compiler (not C++, not C23) would,
/// and drops `#define`s; any other directive is an error, so a new one is noticed here.
fn as_c99(c: &str) -> Vec<&str> {
    let mut active: Vec<bool> = Vec::new();
    let mut lines = Vec::new();
    for line in c.lines() {
        let directive = line.trim_start();
        if let Some(d) = directive.strip_prefix('#') {
            let d = d.split("//").next().unwrap_or("").trim();
            match d {
                "ifdef __cplusplus" | "if defined(__cplusplus) || __STDC_VERSION__ >= 202311L" => active.push(false),
                "if __STDC_VERSION__ >= 202311L" => active.push(false),
                "ifndef __cplusplus" => active.push(true),
                "else" => {
                    let top = active.last_mut().expect("#else inside a conditional");
                    *top = !*top;
                }
                "endif" => {
                    active.pop().expect("#endif closes a conditional");
                }
                _ => assert!(d.starts_with("define "), "unexpected preprocessor line in cbindgen output: {line}"),
            }
            continue;
        }
        if active.iter().all(|&on| on) {
            lines.push(line);
        }
    }
    assert!(active.is_empty(), "unbalanced conditionals in cbindgen output");
    lines
}

fn check(name: &str, fresh: &str) -> Option<String> {
    let committed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("include").join(name);
    let fresh_path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&fresh_path, fresh).expect("write the fresh header");
    if std::env::var_os("PAYSEAL_BLESS").is_some() {
        std::fs::write(&committed_path, fresh).expect("write the committed header");
        return None;
    }
    let committed = std::fs::read_to_string(&committed_path).unwrap_or_default();
    (committed != fresh).then(|| {
        format!(
            "{} is stale: diff -u {} {}  (PAYSEAL_BLESS=1 to update)",
            committed_path.display(),
            committed_path.display(),
            fresh_path.display()
        )
    })
}

#[test]
fn headers_match_the_sources() {
    let stale: Vec<String> = [check("payseal.h", &generate(c_config())), check("payseal_ffi.h", &php_declarations())]
        .into_iter()
        .flatten()
        .collect();
    assert!(stale.is_empty(), "{}", stale.join("\n"));
}
