//! `payseal jwt verify|sign|inspect`: compact JWS/JWT (RFC 7515, 7519) against JWK Sets.
//!
//! Keys come from files (`--jwks FILE`, a JWK Set; `--jwk FILE`, one JWK), never from the
//! command line. Tokens are not secret: an argument or stdin. Verification needs an explicit
//! allow-list (`--alg`, repeated or comma-separated; `none` does not exist). Exit status: 0
//! accepted (claims or payload on stdout), 1 rejected (the error code on stdout, details on
//! stderr), 2 usage or unusable keys.

use std::io::{Read, Write};
use std::process::ExitCode;

use payseal::jose::{self, limits, Algorithm, Jwk, KeySet, SigningKey, Validation};
use payseal::json::Tape;

use super::usage_error;

pub const USAGE: &str = "usage: payseal jwt verify (--jwks F | --jwk F) --alg A[,B...] [--now T] [--leeway S] [--aud A] [--iss I] [--jws] [TOKEN]
                                  verify a JWT (claims checked; --jws: any payload); prints the claims/payload
       payseal jwt sign --jwk F [--alg A] [--kid K] [--header JSON]   sign the payload on stdin; prints the token
       payseal jwt inspect [TOKEN]    print header and claims WITHOUT verifying (marked UNVERIFIED)";

#[derive(Debug, Default)]
struct Options {
    jwks: Option<String>,
    jwk: Option<String>,
    algs: Vec<Algorithm>,
    now: Option<i64>,
    leeway: u64,
    aud: Option<String>,
    iss: Option<String>,
    kid: Option<String>,
    header: Option<String>,
    jws: bool,
    token: Option<String>,
}

impl Options {
    fn parse(args: &[&str]) -> Result<Self, String> {
        let mut o = Self::default();
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let mut value = || it.next().copied().ok_or_else(|| format!("{arg} needs a value"));
            match *arg {
                "--jwks" => o.jwks = Some(value()?.to_owned()),
                "--jwk" => o.jwk = Some(value()?.to_owned()),
                "--alg" => {
                    for name in value()?.split(',') {
                        let alg = Algorithm::from_name(name)
                            .ok_or_else(|| format!("--alg: unknown algorithm {name:?} (none is never allowed)"))?;
                        o.algs.push(alg);
                    }
                }
                "--now" => o.now = Some(value()?.parse().map_err(|_| "--now: expected Unix seconds")?),
                "--leeway" => o.leeway = value()?.parse().map_err(|_| "--leeway: expected seconds")?,
                "--aud" => o.aud = Some(value()?.to_owned()),
                "--iss" => o.iss = Some(value()?.to_owned()),
                "--kid" => o.kid = Some(value()?.to_owned()),
                "--header" => o.header = Some(value()?.to_owned()),
                "--jws" => o.jws = true,
                flag if flag.starts_with("--") => return Err(format!("unknown flag {flag}")),
                text if o.token.is_none() => o.token = Some(text.to_owned()),
                _ => return Err("more than one token given".to_owned()),
            }
        }
        Ok(o)
    }
}

/// `payseal jwt ...`.
pub fn run(args: &[&str]) -> ExitCode {
    let (command, rest) = match args {
        [command, rest @ ..] => (*command, rest),
        [] => return usage_error(USAGE),
    };
    let o = match Options::parse(rest) {
        Ok(o) => o,
        Err(e) => return usage_error(&format!("{e}\n{USAGE}")),
    };
    let result = match command {
        "verify" => verify(&o),
        "sign" if o.token.is_none() && o.jwks.is_none() => sign(&o),
        "inspect" if o.jwks.is_none() && o.jwk.is_none() => inspect(&o),
        _ => return usage_error(USAGE),
    };
    result.unwrap_or_else(|e| usage_error(&e))
}

fn read_limited(mut r: impl Read, limit: usize, what: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    r.by_ref().take(cap).read_to_end(&mut out).map_err(|e| format!("reading {what}: {e}"))?;
    if out.len() > limit {
        return Err(format!("{what} is larger than {limit} bytes"));
    }
    Ok(out)
}

fn read_file(path: &str, limit: usize) -> Result<Vec<u8>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("reading {path}: {e}"))?;
    read_limited(file, limit, path)
}

/// The token: the argument, or stdin with surrounding whitespace removed.
fn token(o: &Options) -> Result<Vec<u8>, String> {
    match &o.token {
        Some(t) => Ok(t.as_bytes().to_vec()),
        None => {
            let raw = read_limited(std::io::stdin(), limits::MAX_TOKEN_LEN + 2, "stdin")?;
            Ok(raw.trim_ascii().to_vec())
        }
    }
}

fn print(bytes: &[u8]) -> ExitCode {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.write_all(b"\n")).and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(_) => ExitCode::FAILURE,
    }
}

fn rejected(e: jose::Error) -> ExitCode {
    println!("{}", e.code());
    eprintln!("payseal: rejected: {e}");
    ExitCode::FAILURE
}

/// Either keys source, parsed once.
enum Keys {
    Set(KeySet),
    One(Jwk),
}

fn keys(o: &Options) -> Result<Keys, String> {
    match (&o.jwks, &o.jwk) {
        (Some(path), None) => {
            let set = KeySet::from_json(&read_file(path, limits::MAX_JWKS_LEN)?)
                .map_err(|e| format!("{path}: not a usable JWK Set ({e})"))?;
            if set.skipped() > 0 {
                eprintln!("payseal: {path}: {} key(s) skipped (not for signature verification)", set.skipped());
            }
            Ok(Keys::Set(set))
        }
        (None, Some(path)) => {
            Ok(Keys::One(Jwk::from_json(&read_file(path, limits::MAX_JWKS_LEN)?).map_err(|e| format!("{path}: {e}"))?))
        }
        _ => Err("give exactly one of --jwks FILE or --jwk FILE".to_owned()),
    }
}

fn verify(o: &Options) -> Result<ExitCode, String> {
    if o.algs.is_empty() {
        return Err("--alg is required: the algorithms to accept".to_owned());
    }
    if o.kid.is_some() || o.header.is_some() {
        return Err("--kid and --header apply to sign only".to_owned());
    }
    let keys = keys(o)?;
    let token = token(o)?;
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    let mut tape = Tape::new();
    if o.jws {
        if o.aud.is_some() || o.iss.is_some() || o.now.is_some() || o.leeway != 0 {
            return Err("--jws verifies the signature only: no --now, --leeway, --aud, --iss".to_owned());
        }
        let got = match &keys {
            Keys::Set(set) => jose::verify_jws(&token, set, &o.algs, &mut buf, &mut tape),
            Keys::One(jwk) => jose::verify_jws(&token, jwk, &o.algs, &mut buf, &mut tape),
        };
        return Ok(got.map_or_else(rejected, |v| print(v.payload)));
    }
    let mut validation = match o.now {
        Some(now) => Validation::at(&o.algs, now),
        None => Validation::new(&o.algs),
    }
    .leeway(o.leeway);
    validation.audience = o.aud.as_deref();
    validation.issuer = o.iss.as_deref();
    let got = match &keys {
        Keys::Set(set) => jose::verify_jwt(&token, set, &validation, &mut buf, &mut tape),
        Keys::One(jwk) => jose::verify_jwt(&token, jwk, &validation, &mut buf, &mut tape),
    };
    Ok(got.map_or_else(rejected, |jwt| print(jwt.payload)))
}

fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn sign(o: &Options) -> Result<ExitCode, String> {
    let Some(path) = &o.jwk else { return Err("--jwk FILE (a private JWK) is required".to_owned()) };
    if o.now.is_some() || o.aud.is_some() || o.iss.is_some() || o.jws || o.leeway != 0 {
        return Err("sign takes --jwk, --alg, --kid, --header".to_owned());
    }
    let text = read_file(path, limits::MAX_JWKS_LEN)?;
    let key = SigningKey::from_jwk(&text).map_err(|e| format!("{path}: not a usable private JWK ({e})"))?;
    let header = match (&o.header, o.algs.as_slice()) {
        (Some(h), []) if o.kid.is_none() => h.clone(),
        (None, [alg]) => {
            let kid = o.kid.as_deref().or(key.kid());
            let kid = kid.map(|k| format!(",\"kid\":{}", json_string(k))).unwrap_or_default();
            format!("{{\"alg\":\"{alg}\",\"typ\":\"JWT\"{kid}}}")
        }
        _ => return Err("give --header JSON, or one --alg (with an optional --kid)".to_owned()),
    };
    let payload = read_limited(std::io::stdin(), limits::MAX_TOKEN_LEN, "stdin")?;
    match jose::sign_to_string(header.as_bytes(), &payload, &key) {
        Ok(token) => Ok(print(token.as_bytes())),
        Err(e @ (jose::Error::InvalidKey | jose::Error::AlgNotAllowed)) => Err(format!("cannot sign: {e}")),
        Err(e) => Ok(rejected(e)),
    }
}

fn shown(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => format!("({} bytes, not UTF-8)", bytes.len()),
    }
}

fn inspect(o: &Options) -> Result<ExitCode, String> {
    if !o.algs.is_empty() || o.now.is_some() || o.header.is_some() || o.kid.is_some() {
        return Err("inspect takes only a token".to_owned());
    }
    let token = token(o)?;
    let mut buf = vec![0u8; jose::scratch_len(token.len())];
    match jose::inspect(&token, &mut buf) {
        Ok(parts) => {
            let text = format!(
                "UNVERIFIED header: {}\nUNVERIFIED claims: {}\nsignature: {} bytes, NOT checked",
                shown(parts.header),
                shown(parts.payload),
                parts.signature_len
            );
            Ok(print(text.as_bytes()))
        }
        Err(e) => Ok(rejected(e)),
    }
}
