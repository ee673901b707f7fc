//! `payseal paylands verify|hash`: check or compute a Paylands `validation_hash`.
//!
//! The notification is read from stdin; the signature (a secret) from the environment variable
//! `PAYSEAL_PAYLANDS_SIGNATURE` or from `--secret-file F` (`--signature-file F` is the same
//! flag), never from the command line (the one rule of [`crate::secret_input`]). Exit codes: 0 ok, 1 mismatch or malformed
//! (one line on stderr), 2 usage (including a missing or unusable signature).

use std::io::{Read, Write};
use std::process::ExitCode;

use payseal::paylands::{FlagsPolicy, Mode, SignatureKey, Verifier};

use crate::commands::{fail, usage_error};

/// The environment variable holding the signature.
const SIGNATURE_ENV: &str = "PAYSEAL_PAYLANDS_SIGNATURE";

/// What the options asked for.
struct Options {
    mode: Mode,
    flags: FlagsPolicy,
    signature_file: Option<String>,
}

fn parse_options(args: &[&str]) -> Result<Options, String> {
    let mut options = Options {
        mode: Mode::Notification,
        flags: FlagsPolicy::Only(payseal::paylands::Flags::Default),
        signature_file: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().copied().ok_or_else(|| format!("{flag} needs a value"));
        match *flag {
            "--mode" => {
                options.mode = value()?.parse().map_err(|_| "--mode is notification or response".to_owned())?;
            }
            "--flags" => {
                options.flags = value()?.parse().map_err(|_| "--flags is default, unescaped or auto".to_owned())?;
            }
            "--secret-file" | "--signature-file" => options.signature_file = Some(value()?.to_owned()),
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(options)
}

/// The signature, by the CLI's one secret rule.
fn signature(file: Option<&str>) -> Result<SignatureKey, String> {
    let secret = crate::secret_input::read(SIGNATURE_ENV, file)?;
    SignatureKey::new(secret.bytes()).map_err(|e| e.to_string())
}

/// `payseal paylands verify|hash [options]`.
pub fn run(args: &[&str]) -> ExitCode {
    let (command, rest) = match args {
        [command @ ("verify" | "hash"), rest @ ..] => (*command, rest),
        _ => return usage_error("paylands verify|hash [--mode ...] [--flags ...] [--secret-file F]"),
    };
    let options = match parse_options(rest) {
        Ok(o) => o,
        Err(why) => return usage_error(&why),
    };
    let flags = match (command, options.flags) {
        ("hash", FlagsPolicy::Auto) => return usage_error("hash needs --flags default or unescaped, not auto"),
        ("hash", FlagsPolicy::Only(flags)) => Some(flags),
        _ => None,
    };
    let key = match signature(options.signature_file.as_deref()) {
        Ok(k) => k,
        Err(why) => return usage_error(&why),
    };
    let mut body = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut body) {
        return fail(format!("reading stdin: {e}"));
    }
    let mut verifier = Verifier::new(key);
    let line = match flags {
        None => verifier.verify(&body, options.mode, options.flags).map(|m| format!("ok ({} flags)", m.flags.as_str())),
        Some(flags) => {
            let mut hex = [0u8; 64];
            verifier.hash_hex(&body, options.mode, flags, &mut hex).map(|()| String::from_utf8_lossy(&hex).into_owned())
        }
    };
    match line {
        Ok(line) => {
            let mut stdout = std::io::stdout().lock();
            if writeln!(stdout, "{line}").is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("paylands: {e}")),
    }
}
