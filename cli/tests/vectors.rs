//! `cargo test` runs every covered vector file: `../shared/vectors` by default, or the folder
//! named by `PAYSEAL_VECTORS`.

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
    let out = Command::new(env!("CARGO_BIN_EXE_payseal")).arg("conformance").arg(&dir).output().expect("run payseal");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(out.status.success(), "conformance failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_missing_covered_file_fails_the_run() {
    let src = vectors_dir();
    let dir = std::env::temp_dir().join(format!("payseal-cli-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // One covered file present, the others absent.
    std::fs::copy(src.join("eupay_qr_sign.jsonl"), dir.join("eupay_qr_sign.jsonl")).expect("copy a vector file");
    let out = Command::new(env!("CARGO_BIN_EXE_payseal")).arg("conformance").arg(&dir).output().expect("run payseal");
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "a run with absent covered files passed:\n{text}");
    assert!(text.contains("MISSING"), "{text}");
}
