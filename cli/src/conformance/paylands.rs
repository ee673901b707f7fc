//! `paylands.jsonl`: Paylands `validation_hash` verification (`expect`: ok, mismatch, malformed).
//!
//! Besides the verdict, where the case is not malformed, computing the hash of the notification
//! must give the vector's `validation_hash` (the expected digest) for `ok`, and must not for
//! `mismatch` (the data or signature was changed after signing).

use payseal::json::Tape;
use payseal::paylands::{self, Flags, FlagsPolicy, Mode, SignatureKey};

use super::fields::unknown;
use super::{CaseResult, Fields};

/// A `paylands.jsonl` case.
pub fn case(f: &Fields<'_>) -> CaseResult {
    let expect = f.str("expect")?;
    if !["ok", "mismatch", "malformed"].contains(&expect) {
        return Err(unknown("expect", expect));
    }
    let (mode_name, flags_name) = (f.str("mode")?, f.str("flags")?);
    let mode: Mode = mode_name.parse().map_err(|_| unknown("mode", mode_name))?;
    let flags: Flags = flags_name.parse().map_err(|_| unknown("flags", flags_name))?;
    let key = SignatureKey::new(&f.b64("signature_b64")?).map_err(|e| format!("signature_b64: {e}"))?;
    let body = f.b64("notification_b64")?;
    let want_hash = f.str("validation_hash")?;

    let mut tape = Tape::new();
    let got = match paylands::verify(&body, mode, FlagsPolicy::Only(flags), &key, &mut tape) {
        Ok(m) if m.flags == flags => "ok",
        Ok(m) => return Err(format!("matched with {} flags, asked for {}", m.flags.as_str(), flags.as_str())),
        Err(e) => e.code(),
    };
    if got != expect {
        return Err(format!("got {got}, expected {expect}"));
    }
    if expect != "malformed" {
        let mut hex = [0u8; 64];
        paylands::hash_hex(&body, mode, flags, &key, &mut tape, &mut hex).map_err(|e| format!("hash: {e}"))?;
        let computed = String::from_utf8_lossy(&hex);
        let same = computed.eq_ignore_ascii_case(want_hash);
        if same != (expect == "ok") {
            let relation = if same { "equals" } else { "differs from" };
            return Err(format!("computed hash {computed} {relation} the vector's {want_hash} (expect {expect})"));
        }
    }
    Ok(())
}
