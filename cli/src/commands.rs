//! Command-line dispatch. Every command prints one clear line on error and exits non-zero.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

use payseal::json::{canonicalize_to_vec, Dialect, PhpFlags};

#[path = "eupay_cmds.rs"]
mod eupay_cmds;
#[path = "jwt_cmds.rs"]
mod jwt_cmds;
#[path = "secret_cmds.rs"]
mod secret_cmds;
#[path = "webhook_cmds.rs"]
mod webhook_cmds;
#[path = "webhook_sign_cmds.rs"]
mod webhook_sign_cmds;

const USAGE: &str = "usage: payseal <command>
  conformance [--require-all] DIR run every covered vector file in DIR (--require-all: an
                                  absent covered file fails the run)
  json canon --dialect js|php|jcs [--unescaped-slashes] [--unescaped-unicode]
                                  canonicalise the JSON on stdin (jcs: RFC 8785)
  webhook verify --scheme S [--header 'Name: value']... [--now T] [--tolerance S] [--secret-file F]
                                  verify the webhook body on stdin (secrets: PAYSEAL_WEBHOOK_SECRET)
  webhook sign --scheme S [--now T] [--id ID] [--iv HEX] [--fields 'a b'] [--algorithm A] [--secret-file F]
                                  sign the body on stdin with the first (newest) secret: prints the
                                  headers, one 'Name: value' per line; for adyen_item, spreedly and
                                  oppwa(_base64) then a blank line and the body to send
  eupay webhook verify --header 'X-EuPay-Signature: sha256=...'   same, scheme eupay
  paylands verify|hash [--mode notification|response] [--flags default|unescaped|auto] [--secret-file F]
                                  check (or compute) the validation_hash of the JSON on stdin;
                                  signature from $PAYSEAL_PAYLANDS_SIGNATURE or F
  eupay qr sign|verify|inspect    sign a QR payload (stdin), verify or decode a QR (secret: PAYSEAL_EUPAY_SECRET)
  jwt verify|sign|inspect         JWS/JWT against a JWK Set (--jwks F) or one JWK (--jwk F); see `payseal jwt`

Secrets: from the command's variable or --secret-file F, exactly one, never argv; one trailing
newline (\n or \r\n) is removed; several webhook secrets go one per line; wiped after use.";

/// Exit code for usage errors.
const EXIT_USAGE: u8 = 2;

/// Runs the command named by `args`.
pub fn dispatch(args: &[String]) -> ExitCode {
    let words: Vec<&str> = args.iter().map(String::as_str).collect();
    match words.as_slice() {
        ["conformance", dir] => conformance(Path::new(dir), false),
        ["conformance", "--require-all", dir] => conformance(Path::new(dir), true),
        ["json", "canon", rest @ ..] => json_canon(rest),
        ["secret", rest @ ..] => secret_cmds::secret(rest),
        ["keys", rest @ ..] => secret_cmds::keys(rest),
        ["webhook", rest @ ..] => webhook_cmds::webhook(rest),
        ["eupay", "webhook", rest @ ..] => webhook_cmds::eupay_webhook(rest),
        ["paylands", rest @ ..] => crate::paylands_cmds::run(rest),
        ["eupay", "qr", rest @ ..] => eupay_cmds::qr(rest),
        ["jwt", rest @ ..] => jwt_cmds::run(rest),
        ["help" | "--help" | "-h"] => {
            println!("{USAGE}\n{}", secret_cmds::USAGE);
            ExitCode::SUCCESS
        }
        _ => usage_error("unknown command"),
    }
}

pub fn usage_error(why: &str) -> ExitCode {
    eprintln!("payseal: {why}\n{USAGE}\n{}", secret_cmds::USAGE);
    ExitCode::from(EXIT_USAGE)
}

pub fn fail(why: impl std::fmt::Display) -> ExitCode {
    eprintln!("payseal: {why}");
    ExitCode::FAILURE
}

fn conformance(dir: &Path, require_all: bool) -> ExitCode {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match crate::conformance::run_dir(dir, require_all, &mut out) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => fail(e),
    }
}

fn json_canon(flags: &[&str]) -> ExitCode {
    let mut dialect_name = None;
    let mut php = PhpFlags::default();
    let mut it = flags.iter();
    while let Some(flag) = it.next() {
        match *flag {
            "--dialect" => dialect_name = it.next().copied(),
            "--unescaped-slashes" => php.unescaped_slashes = true,
            "--unescaped-unicode" => php.unescaped_unicode = true,
            other => return usage_error(&format!("unknown flag {other}")),
        }
    }
    let Some(name) = dialect_name else { return usage_error("--dialect js|php|jcs is required") };
    let Some(dialect) = Dialect::from_name(name, php) else {
        return usage_error(if Dialect::from_name(name, PhpFlags::default()).is_some() {
            "--unescaped-* flags apply to --dialect php only"
        } else {
            "--dialect must be js, php or jcs"
        });
    };
    let mut input = Vec::new();
    if let Err(e) = std::io::stdin().read_to_end(&mut input) {
        return fail(format!("reading stdin: {e}"));
    }
    match canonicalize_to_vec(&input, dialect) {
        Ok(out) => {
            let mut stdout = std::io::stdout().lock();
            if stdout.write_all(&out).and_then(|()| stdout.write_all(b"\n")).is_err() {
                return ExitCode::FAILURE;
            }
            ExitCode::SUCCESS
        }
        Err(e) => fail(format!("invalid JSON: {e}")),
    }
}
