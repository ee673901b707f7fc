//! Every case of `paylands.jsonl` (from `$PAYSEAL_VECTORS`, default `../shared/vectors`).

use std::path::PathBuf;

use base64::Engine as _;
use payseal::json::Tape;
use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    std::env::var_os("PAYSEAL_VECTORS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

fn field<'a>(v: &'a Value, name: &str) -> Result<&'a str, String> {
    v.get(name).and_then(Value::as_str).ok_or_else(|| format!("field `{name}` missing"))
}

fn b64(v: &Value, name: &str) -> Result<Vec<u8>, String> {
    base64::engine::general_purpose::STANDARD.decode(field(v, name)?).map_err(|e| format!("{name}: {e}"))
}

/// One case: the verdict, and for `ok`/`mismatch` whether computing the hash yields (or, for a
/// mismatch, does not yield) the vector's `validation_hash`.
fn case(v: &Value, tape: &mut Tape<'_>) -> Result<(), String> {
    let key = SignatureKey::new(&b64(v, "signature_b64")?).map_err(|e| e.to_string())?;
    let body = b64(v, "notification_b64")?;
    let mode: Mode = field(v, "mode")?.parse().map_err(|_| "unknown mode".to_owned())?;
    let flags: Flags = field(v, "flags")?.parse().map_err(|_| "unknown flags".to_owned())?;
    let want_hash = field(v, "validation_hash")?;
    let expect = field(v, "expect")?;
    if !["ok", "mismatch", "malformed"].contains(&expect) {
        return Err(format!("unknown expect {expect:?}"));
    }
    let got = match paylands::verify(&body, mode, FlagsPolicy::Only(flags), &key, tape) {
        Ok(m) if m.flags == flags => "ok",
        Ok(m) => return Err(format!("matched with {:?}, asked for {flags:?}", m.flags)),
        Err(e) => e.code(),
    };
    if got != expect {
        return Err(format!("got {got}, expected {expect}"));
    }
    // Auto must agree with the exact flags on the verdict.
    let auto = paylands::verify(&body, mode, FlagsPolicy::Auto, &key, tape).map_or_else(|e| e.code(), |_| "ok");
    if auto != expect && !(expect == "mismatch" && auto == "ok") {
        return Err(format!("auto: got {auto}, expected {expect}"));
    }
    if expect != "malformed" {
        let mut hex = [0u8; 64];
        paylands::hash_hex(&body, mode, flags, &key, tape, &mut hex).map_err(|e| e.to_string())?;
        let same = hex.eq_ignore_ascii_case(want_hash.as_bytes());
        if same != (expect == "ok") {
            return Err(format!("computed {}, vector has {want_hash}", String::from_utf8_lossy(&hex)));
        }
    }
    Ok(())
}

#[test]
fn paylands_jsonl() {
    let path = vectors_dir().join("paylands.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut tape = Tape::new();
    let (mut passed, mut failures) = (0usize, Vec::new());
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
        let id = v.get("id").and_then(Value::as_str).unwrap_or("?").to_owned();
        match case(&v, &mut tape) {
            Ok(()) => passed += 1,
            Err(why) => failures.push(format!("{id}: {why}")),
        }
    }
    println!("paylands.jsonl: {passed} passed, {} failed", failures.len());
    assert!(failures.is_empty(), "failures:\n{}", failures.join("\n"));
    assert!(passed > 0, "no cases in {}", path.display());
}
