//! `bcrypt.jsonl`: `expect` is `match`, `mismatch` or `malformed_hash`.

use payseal::secrets::bcrypt::{verify, BcryptError};

use super::fields::unknown;
use super::{CaseResult, Fields};

/// A `bcrypt.jsonl` case.
pub fn case(f: &Fields<'_>) -> CaseResult {
    let secret = f.b64("secret_b64")?;
    let hash = f.str("hash")?;
    let expect = f.str("expect")?;
    let want = match expect {
        "match" => Ok(()),
        "mismatch" => Err(BcryptError::Mismatch),
        "malformed_hash" => Err(BcryptError::MalformedHash),
        other => return Err(unknown("expect", other)),
    };
    let got = verify(&secret, hash);
    if got == want {
        Ok(())
    } else {
        let name = |r: Result<(), BcryptError>| r.map_or_else(|e| e.code(), |()| "match");
        Err(format!("got {}, expected {expect}", name(got)))
    }
}
