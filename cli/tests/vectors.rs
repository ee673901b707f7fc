//! `cargo test` runs every covered vector file: `../shared/vectors` by default, or the folder
//! named by `PAYSEAL_VECTORS`. Every covered file must be there (`--all`): a missing file
//! fails, never skips.

use std::path::PathBuf;
use std::process::Command;

fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

#[test]
fn every_covered_vector_file_passes() {
    let dir = vectors_dir();
    assert!(dir.is_dir(), "vector folder {} not found (set PAYSEAL_VECTORS)", dir.display());
    let out = Command::new(env!("CARGO_BIN_EXE_payseal"))
        .arg("conformance")
        .arg("--all")
        .arg(&dir)
        .output()
        .expect("run payseal");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(out.status.success(), "conformance failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
}
