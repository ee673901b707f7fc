//! The one way every command reads its secret.
//!
//! The rule, the same for `secret`, `webhook`, `eupay` and `paylands`:
//! * The secret comes from `--secret-file F` or from the command's environment variable,
//!   exactly one of them: both at once, or neither, is a usage error. Never from argv, where
//!   other users could read it in the process list.
//! * One trailing newline, `\n` or `\r\n`, is removed (editors and `echo` add one; `$(cat F)`
//!   already dropped it), from the file and from the variable alike. Nothing else is trimmed:
//!   leading or inner whitespace is part of the secret.
//! * What is left must not be empty.
//! * Commands that take several secrets (webhook key rotation) read one per line (a `\r`
//!   before the `\n` is dropped, empty lines are skipped), from either source.
//! * The bytes live in one buffer that is wiped (`zeroize`) when the command is done. The
//!   process environment block itself belongs to the C runtime and is not wiped.

use std::ffi::OsString;

use zeroize::Zeroizing;

/// A secret read by [`read`]; wiped on drop, never printed.
pub struct Secret(Zeroizing<Vec<u8>>);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Secret(<{} bytes redacted>)", self.0.len())
    }
}

impl Secret {
    /// The secret's bytes.
    pub fn bytes(&self) -> &[u8] {
        &self.0
    }

    /// The secrets, one per line (for commands that take several).
    pub fn lines(&self) -> Vec<&[u8]> {
        self.0.split(|&b| b == b'\n').map(|l| l.strip_suffix(b"\r").unwrap_or(l)).filter(|l| !l.is_empty()).collect()
    }
}

/// Reads the secret from `--secret-file` (`file`) or the environment variable `env`.
pub fn read(env: &'static str, file: Option<&str>) -> Result<Secret, String> {
    read_from(env, std::env::var_os(env), file)
}

/// [`read`] with the variable's value passed in (for tests).
pub fn read_from(env: &'static str, env_value: Option<OsString>, file: Option<&str>) -> Result<Secret, String> {
    let bytes = match (file, env_value) {
        (Some(_), Some(_)) => return Err(format!("give the secret by --secret-file or ${env}, not both")),
        (None, None) => return Err(format!("no secret: set ${env} or pass --secret-file F")),
        (None, Some(value)) => Zeroizing::new(value.into_encoded_bytes()),
        (Some(path), None) => Zeroizing::new(std::fs::read(path).map_err(|e| format!("reading {path}: {e}"))?),
    };
    let mut secret = Secret(bytes);
    strip_one_newline(&mut secret.0);
    if secret.0.is_empty() {
        return Err("the secret is empty".to_owned());
    }
    Ok(secret)
}

/// Removes one trailing `\n` or `\r\n` (shortening in place: the bytes stay in the buffer
/// that is wiped).
fn strip_one_newline(bytes: &mut Vec<u8>) {
    if bytes.last() == Some(&b'\n') {
        bytes.pop();
        if bytes.last() == Some(&b'\r') {
            bytes.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(v: &str) -> Option<OsString> {
        Some(OsString::from(v))
    }

    #[test]
    fn one_rule_for_both_sources() {
        for (given, want) in [("s", "s"), ("s\n", "s"), ("s\r\n", "s"), ("s\n\n", "s\n"), (" s \t", " s \t")] {
            assert_eq!(read_from("X", env(given), None).map(|s| s.bytes().to_vec()), Ok(want.as_bytes().to_vec()));
            let path = std::env::temp_dir().join(format!("payseal-cli-secret-{}", std::process::id()));
            std::fs::write(&path, given).expect("temp file");
            let got = read_from("X", None, path.to_str()).map(|s| s.bytes().to_vec());
            std::fs::remove_file(&path).expect("remove temp file");
            assert_eq!(got, Ok(want.as_bytes().to_vec()), "{given:?}");
        }
        for bad in ["", "\n", "\r\n"] {
            assert!(read_from("X", env(bad), None).is_err(), "{bad:?}");
        }
        assert!(read_from("X", None, None).is_err());
        assert!(read_from("X", env("s"), Some("/dev/null")).is_err());
        assert!(read_from("X", None, Some("/nonexistent/payseal")).is_err());
    }

    #[test]
    fn lines_and_debug() {
        let s = read_from("X", env("a\r\n\nb\n"), None).expect("secret");
        assert_eq!(s.lines(), vec![&b"a"[..], b"b"]);
        assert_eq!(format!("{s:?}"), "Secret(<5 bytes redacted>)");
    }
}
