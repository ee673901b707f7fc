//! `payseal eupay qr sign|verify|inspect`.
//!
//! The secret comes from the `PAYSEAL_EUPAY_SECRET` environment variable or from
//! `--secret-file FILE`, never from the command line (the one rule of
//! [`crate::secret_input`]). QR text is not secret: it may be an argument or
//! come on stdin. Exit status: 0 done, 1 rejected (the error code is printed on stdout,
//! details on stderr), 2 usage or configuration error.

use std::io::{Read, Write};
use std::process::ExitCode;

use payseal::eupay::{decode_unverified, scratch_len, QrScratch, QrSigner, QrVerifier, MAX_PAYLOAD_LEN, MAX_QR_LEN};
use payseal::json::{self, Dialect, Kind, Tape, Value};

use super::usage_error;

/// The environment variable holding the secret.
const SECRET_ENV: &str = "PAYSEAL_EUPAY_SECRET";

const USAGE: &str = "usage: payseal eupay qr sign [--secret-file F]      (payload JSON on stdin; prints the URL)
       payseal eupay qr verify [--now T] [--secret-file F] [QR]   (QR text as argument or on stdin)
       payseal eupay qr inspect [QR]                      (decode without verifying)
  the secret is read from PAYSEAL_EUPAY_SECRET or --secret-file F (one of them)";

/// `payseal eupay qr ...`.
pub fn qr(args: &[&str]) -> ExitCode {
    let (command, rest) = match args {
        [command, rest @ ..] => (*command, rest),
        [] => return usage_error(USAGE),
    };
    let options = match Options::parse(rest) {
        Ok(o) => o,
        Err(e) => return usage_error(&format!("{e}\n{USAGE}")),
    };
    match command {
        "sign" if options.now.is_none() && options.qr.is_none() => sign(&options),
        "verify" => verify(&options),
        "inspect" if options.now.is_none() && options.secret_file.is_none() => inspect(&options),
        _ => usage_error(USAGE),
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Options {
    now: Option<i64>,
    secret_file: Option<String>,
    qr: Option<String>,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Self, String> {
        let mut o = Self::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || it.next().copied().ok_or_else(|| format!("{arg} needs a value"));
            match *arg {
                "--now" => o.now = Some(value()?.parse().map_err(|_| "--now: expected Unix seconds")?),
                "--secret-file" => o.secret_file = Some(value()?.to_owned()),
                flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
                text if o.qr.is_none() => o.qr = Some(text.to_owned()),
                _ => return Err("more than one QR text given".to_owned()),
            }
        }
        Ok(o)
    }
}

/// Reads stdin, up to one byte past `limit` (so that the library reports the size error).
fn read_stdin(limit: usize) -> Result<Vec<u8>, String> {
    let mut input = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    std::io::stdin().take(cap).read_to_end(&mut input).map_err(|e| format!("reading stdin: {e}"))?;
    Ok(input)
}

fn qr_text(o: &Options) -> Result<Vec<u8>, String> {
    match &o.qr {
        Some(text) => Ok(text.as_bytes().to_vec()),
        None => read_stdin(MAX_QR_LEN),
    }
}

fn print(out: &[u8]) -> ExitCode {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out).and_then(|()| stdout.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

fn rejected(code: &str, detail: impl std::fmt::Display) -> ExitCode {
    println!("{code}");
    eprintln!("payseal: rejected: {detail}");
    ExitCode::FAILURE
}

fn sign(o: &Options) -> ExitCode {
    let signer = match crate::secret_input::read(SECRET_ENV, o.secret_file.as_deref())
        .and_then(|key| QrSigner::new(key.bytes()).map_err(|e| e.to_string()))
    {
        Ok(s) => s,
        Err(e) => return usage_error(&e),
    };
    let payload = match read_stdin(MAX_PAYLOAD_LEN) {
        Ok(p) => p,
        Err(e) => return usage_error(&e),
    };
    match signer.sign_to_url(&payload) {
        Ok(url) => print(format!("{url}\n").as_bytes()),
        Err(e) => rejected(e.code(), e),
    }
}

fn verify(o: &Options) -> ExitCode {
    let verifier = match crate::secret_input::read(SECRET_ENV, o.secret_file.as_deref())
        .and_then(|key| QrVerifier::new(key.bytes()).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => return usage_error(&e),
    };
    let qr = match qr_text(o) {
        Ok(q) => q,
        Err(e) => return usage_error(&e),
    };
    let now = o.now.unwrap_or_else(unix_now);
    let mut scratch = QrScratch::new();
    match verifier.verify_with(&qr, now, &mut scratch) {
        Ok(payload) => {
            let mut out = b"ok\n".to_vec();
            payload.write_canonical(&mut out);
            out.push(b'\n');
            print(&out)
        }
        Err(e) => rejected(e.code(), e),
    }
}

fn unix_now() -> i64 {
    let since = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH);
    since.map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn inspect(o: &Options) -> ExitCode {
    let qr = match qr_text(o) {
        Ok(q) => q,
        Err(e) => return usage_error(&e),
    };
    let mut buf = vec![0u8; scratch_len(qr.len().min(MAX_QR_LEN))];
    let n = match decode_unverified(&qr, &mut buf) {
        Ok(n) => n,
        Err(e) => return rejected(e.code(), e),
    };
    let mut out =
        b"UNVERIFIED: decoded only; the signature and expiry were NOT checked. Do not act on this.\n".to_vec();
    let mut tape = Tape::new();
    match json::parse(&buf[..n], Dialect::Js, &mut tape) {
        Ok(doc) => {
            pretty(doc.root(), 0, &mut out);
            out.push(b'\n');
            print(&out)
        }
        Err(e) => {
            out.extend_from_slice(format!("envelope is not JSON ({e}); decoded bytes:\n").as_bytes());
            out.extend_from_slice(String::from_utf8_lossy(&buf[..n]).as_bytes());
            out.push(b'\n');
            let _ = print(&out);
            ExitCode::FAILURE
        }
    }
}

/// Indented JSON, members in the order they appear, scalars in `JSON.stringify`'s form.
fn pretty(v: Value<'_>, indent: usize, out: &mut Vec<u8>) {
    let pad = |out: &mut Vec<u8>, n: usize| out.extend(std::iter::repeat_n(b' ', n));
    match v.kind() {
        Kind::Object if !v.is_empty() => {
            out.extend_from_slice(b"{\n");
            for (i, (k, member)) in v.members().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                pad(out, indent + 2);
                let _ = k.emit(Dialect::Js, out);
                out.extend_from_slice(b": ");
                pretty(member, indent + 2, out);
            }
            out.push(b'\n');
            pad(out, indent);
            out.push(b'}');
        }
        Kind::Array if !v.is_empty() => {
            out.extend_from_slice(b"[\n");
            for (i, element) in v.elements().enumerate() {
                if i > 0 {
                    out.extend_from_slice(b",\n");
                }
                pad(out, indent + 2);
                pretty(element, indent + 2, out);
            }
            out.push(b'\n');
            pad(out, indent);
            out.push(b']');
        }
        _ => {
            let _ = v.emit(Dialect::Js, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_parse_and_reject() {
        let o = Options::parse(&["--now", "5", "QR"]).expect("valid");
        assert_eq!(o, Options { now: Some(5), secret_file: None, qr: Some("QR".to_owned()) });
        assert!(Options::parse(&["--now"]).is_err());
        assert!(Options::parse(&["--now", "soon"]).is_err());
        assert!(Options::parse(&["--secret", "x"]).is_err());
        assert!(Options::parse(&["a", "b"]).is_err());
    }

    #[test]
    fn pretty_prints_nested_values() {
        let mut tape = Tape::new();
        let doc = json::parse(br#"{"a":[1,{},[]],"b":{"c":"\u00e9"}}"#, Dialect::Js, &mut tape).expect("json");
        let mut out = Vec::new();
        pretty(doc.root(), 0, &mut out);
        let want = "{\n  \"a\": [\n    1,\n    {},\n    []\n  ],\n  \"b\": {\n    \"c\": \"é\"\n  }\n}";
        assert_eq!(String::from_utf8(out).expect("utf8"), want);
    }
}
