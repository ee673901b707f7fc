//! `payseal webhook sign`: sign the body on stdin as the provider would, for sending webhooks
//! and for test fixtures.
//!
//! Prints the headers to add, one `Name: value` per line. For the schemes whose signature is
//! part of the body (`adyen_item`, `spreedly`) or whose body is encrypted (`oppwa`,
//! `oppwa_base64`), it then prints a blank line and the body to send, byte for byte (no
//! newline is added). Secrets are read exactly as `payseal webhook verify` reads them
//! (`PAYSEAL_WEBHOOK_SECRET` or `--secret-file`, one per line); the first, newest, signs.
//! Exit status: 0 signed, 1 the body cannot be signed (prints the error code), 2 usage or
//! configuration error.

use std::io::Write;
use std::process::ExitCode;

use payseal::webhooks::{Scheme, SignError, SignOptions};

use super::usage_error;
use super::webhook_cmds::{body_from_stdin, keys};

pub const USAGE: &str = "usage: payseal webhook sign --scheme S [--now T] [--id ID] [--iv HEX] \
[--fields 'a b'] [--algorithm sha1|sha256|sha512] [--secret-file F] < body";

#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    scheme: Option<Scheme>,
    now: Option<i64>,
    id: Option<String>,
    iv: Option<[u8; 12]>,
    fields: Option<String>,
    algorithm: Option<String>,
    secret_file: Option<String>,
}

fn parse(fixed: Option<Scheme>, args: &[&str]) -> Result<Options, String> {
    let mut o = Options { scheme: fixed, ..Options::default() };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().copied().ok_or_else(|| format!("{flag} needs a value"));
        match *flag {
            "--scheme" if fixed.is_none() => {
                let name = value()?;
                o.scheme = Some(Scheme::from_name(name).ok_or_else(|| format!("unknown scheme {name}"))?);
            }
            "--now" => o.now = Some(value()?.parse().map_err(|_| "--now: expected Unix seconds")?),
            "--id" => o.id = Some(value()?.to_owned()),
            "--iv" => {
                let iv = payseal::encoding::hex::decode_array::<12>(value()?.as_bytes())
                    .map_err(|_| "--iv: expected 24 hex digits")?;
                o.iv = Some(iv);
            }
            "--fields" => o.fields = Some(value()?.to_owned()),
            "--algorithm" => o.algorithm = Some(value()?.to_owned()),
            "--secret-file" => o.secret_file = Some(value()?.to_owned()),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(o)
}

/// `payseal webhook sign ...` (`fixed`: the scheme of an alias such as `eupay webhook sign`).
pub fn sign(fixed: Option<Scheme>, args: &[&str]) -> ExitCode {
    let o = match parse(fixed, args) {
        Ok(o) => o,
        Err(e) => return usage_error(&format!("{e}\n{USAGE}")),
    };
    let Some(scheme) = o.scheme else { return usage_error(&format!("--scheme is required\n{USAGE}")) };
    let keys = match keys(scheme, o.secret_file.as_deref()) {
        Ok(k) => k,
        Err(e) => return usage_error(&e),
    };
    let body = match body_from_stdin() {
        Ok(b) => b,
        Err(e) => return usage_error(&e),
    };
    let mut opts = match o.now {
        Some(now) => SignOptions::at(now),
        None => SignOptions::now(),
    };
    opts.id = o.id.as_deref();
    opts.iv = o.iv;
    opts.fields = o.fields.as_deref();
    opts.algorithm = o.algorithm.as_deref();
    let delivery = match keys.sign_to_vec(&body, &opts) {
        Ok(d) => d,
        Err(e @ SignError::InvalidArgument { name }) => return usage_error(&format!("--{name}: {e}")),
        Err(e) => {
            println!("{}", e.code());
            eprintln!("payseal: cannot sign: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut text = Vec::with_capacity(delivery.body.len() + 256);
    for (name, value) in &delivery.headers {
        text.extend_from_slice(format!("{name}: {value}\n").as_bytes());
    }
    if carries_body(scheme) {
        text.push(b'\n');
        text.extend_from_slice(&delivery.body);
    }
    let mut stdout = std::io::stdout().lock();
    if stdout.write_all(&text).and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// The schemes whose body to send differs from the body given.
const fn carries_body(scheme: Scheme) -> bool {
    matches!(scheme, Scheme::AdyenItem | Scheme::Spreedly) || scheme.is_encrypted()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_reject() {
        let o = parse(None, &["--scheme", "oppwa", "--now", "5", "--iv", "000102030405060708090a0b", "--id", "m"])
            .expect("valid flags");
        assert_eq!(o.scheme, Some(Scheme::Oppwa));
        assert_eq!((o.now, o.id.as_deref()), (Some(5), Some("m")));
        assert_eq!(o.iv, Some([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]));
        assert!(parse(None, &["--scheme", "nope"]).is_err());
        assert!(parse(None, &["--iv", "00"]).is_err());
        assert!(parse(None, &["--now", "soon"]).is_err());
        assert!(parse(None, &["--header", "x: y"]).is_err());
        assert!(parse(Some(Scheme::EuPay), &["--scheme", "github"]).is_err());
    }
}
