//! `payseal webhook verify` and its alias `payseal eupay webhook verify`.
//!
//! The body comes from stdin, exactly as received. Secrets come from `--secret-file FILE` or
//! the `PAYSEAL_WEBHOOK_SECRET` environment variable, one per line (several during a key
//! rotation), never from the command line (the one rule of [`crate::secret_input`]). Exit status: 0 verified
//! (prints `ok`, or the decrypted payload for OPPWA), 1 rejected (prints the error code),
//! 2 usage or configuration error.

use std::io::{Read, Write};
use std::process::ExitCode;

use payseal::webhooks::{limits::MAX_BODY_LEN, Freshness, KeySet, Scheme};

use super::usage_error;

/// The environment variable holding the secrets.
const SECRET_ENV: &str = "PAYSEAL_WEBHOOK_SECRET";

/// `payseal webhook verify --scheme S ...`.
pub fn webhook(args: &[&str]) -> ExitCode {
    match args {
        ["verify", rest @ ..] => verify(None, rest),
        ["sign", rest @ ..] => super::webhook_sign_cmds::sign(None, rest),
        _ => usage_error("usage: payseal webhook verify|sign --scheme S ..."),
    }
}

/// `payseal eupay webhook verify ...`: `webhook verify` with the EU Pay scheme.
pub fn eupay_webhook(args: &[&str]) -> ExitCode {
    match args {
        ["verify", rest @ ..] => verify(Some(Scheme::EuPay), rest),
        ["sign", rest @ ..] => super::webhook_sign_cmds::sign(Some(Scheme::EuPay), rest),
        _ => usage_error("usage: payseal eupay webhook verify --header 'X-EuPay-Signature: sha256=...'"),
    }
}

struct Options {
    scheme: Option<Scheme>,
    headers: Vec<(String, String)>,
    now: Option<i64>,
    tolerance: u64,
    secret_file: Option<String>,
}

fn parse(fixed: Option<Scheme>, args: &[&str]) -> Result<Options, String> {
    let mut o = Options {
        scheme: fixed,
        headers: Vec::new(),
        now: None,
        tolerance: Freshness::DEFAULT_TOLERANCE,
        secret_file: None,
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || it.next().copied().ok_or_else(|| format!("{flag} needs a value"));
        match *flag {
            "--scheme" if fixed.is_none() => {
                let name = value()?;
                o.scheme = Some(Scheme::from_name(name).ok_or_else(|| format!("unknown scheme {name}"))?);
            }
            "--header" => {
                let text = value()?;
                let (name, v) =
                    text.split_once(':').ok_or_else(|| format!("--header {text:?}: expected 'Name: value'"))?;
                o.headers.push((name.trim().to_owned(), v.trim().to_owned()));
            }
            "--now" => o.now = Some(value()?.parse().map_err(|_| "--now: expected Unix seconds")?),
            "--tolerance" => o.tolerance = value()?.parse().map_err(|_| "--tolerance: expected seconds")?,
            "--secret-file" => o.secret_file = Some(value()?.to_owned()),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(o)
}

/// The body on stdin, read up to one byte past the core's cap so that an oversized body is
/// refused by the core (`too_large`) rather than cut short here.
pub(super) fn body_from_stdin() -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    let limit = u64::try_from(MAX_BODY_LEN).unwrap_or(u64::MAX) + 1;
    std::io::stdin().take(limit).read_to_end(&mut body).map_err(|e| format!("reading stdin: {e}"))?;
    Ok(body)
}

pub(super) fn keys(scheme: Scheme, file: Option<&str>) -> Result<KeySet, String> {
    let secret = crate::secret_input::read(SECRET_ENV, file)?;
    KeySet::new(scheme, &secret.lines()).map_err(|e| e.to_string())
}

fn verify(fixed: Option<Scheme>, args: &[&str]) -> ExitCode {
    let o = match parse(fixed, args) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let Some(scheme) = o.scheme else { return usage_error("--scheme is required") };
    let keys = match keys(scheme, o.secret_file.as_deref()) {
        Ok(k) => k,
        Err(e) => return usage_error(&e),
    };
    let body = match body_from_stdin() {
        Ok(b) => b,
        Err(e) => return usage_error(&e),
    };
    let at = Freshness { now: o.now.unwrap_or_else(|| Freshness::now().now), tolerance: o.tolerance };
    let mut plaintext = vec![0u8; keys.open_len(&body)];
    let mut stdout = std::io::stdout().lock();
    let written = match keys.open(&o.headers, &body, at, &mut plaintext) {
        Ok(n) if scheme.is_encrypted() => stdout.write_all(&plaintext[..n]),
        Ok(_) => stdout.write_all(b"ok\n"),
        Err(e) => {
            let _ = writeln!(stdout, "{}", e.code());
            eprintln!("payseal: rejected: {e}");
            return ExitCode::FAILURE;
        }
    };
    if written.and_then(|()| stdout.flush()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_parse_and_reject() {
        let o = parse(None, &["--scheme", "stripe", "--header", "Stripe-Signature:  t=1,v1=00 ", "--now", "5"])
            .expect("valid flags");
        assert_eq!(o.scheme, Some(Scheme::Stripe));
        assert_eq!(o.headers, vec![("Stripe-Signature".to_owned(), "t=1,v1=00".to_owned())]);
        assert_eq!((o.now, o.tolerance), (Some(5), Freshness::DEFAULT_TOLERANCE));
        assert!(parse(None, &["--scheme", "nope"]).is_err());
        assert!(parse(None, &["--header", "no colon"]).is_err());
        assert!(parse(None, &["--now"]).is_err());
        assert!(parse(Some(Scheme::EuPay), &["--scheme", "github"]).is_err());
    }
}
