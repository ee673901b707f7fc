//! `cargo test` runs every covered vector file: `../shared/vectors` by default, or the folder
//! named by `PAYSEAL_VECTORS`. Every covered file must be there (`--require-all`): a missing file
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
        .args(["conformance", "--require-all"])
        .arg(&dir)
        .output()
        .expect("run payseal");
    let text = String::from_utf8_lossy(&out.stdout);
    println!("{text}");
    assert!(out.status.success(), "conformance failed:\n{text}\n{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn an_absent_covered_file_fails_only_with_require_all() {
    let src = vectors_dir();
    let dir = std::env::temp_dir().join(format!("payseal-cli-vectors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    // One covered file present, the others absent: another folder may hold only some files.
    std::fs::copy(src.join("eupay_qr_sign.jsonl"), dir.join("eupay_qr_sign.jsonl")).expect("copy a vector file");
    let run =
        |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_payseal")).args(args).arg(&dir).output().expect("run payseal");
    let partial = run(&["conformance"]);
    let strict = run(&["conformance", "--require-all"]);
    std::fs::remove_dir_all(&dir).expect("remove temp dir");
    let text = String::from_utf8_lossy(&partial.stdout);
    assert!(partial.status.success(), "a partial folder failed:\n{text}");
    assert!(text.contains("absent from"), "absent files are not reported:\n{text}");
    let text = String::from_utf8_lossy(&strict.stdout);
    assert!(!strict.status.success(), "--require-all passed with absent covered files:\n{text}");
    assert!(text.contains("MISSING"), "{text}");
}
