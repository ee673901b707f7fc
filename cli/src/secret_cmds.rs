//! `payseal secret hash|verify` and `payseal keys new|inspect`.
//!
//! Secrets never come from argv (other users can read it in the process list): they come from
//! the `PAYSEAL_SECRET` environment variable or from `--secret-file F`, by the one rule of
//! [`crate::secret_input`]. Exit codes: 0 ok, 1 failed
//! verification (or an invalid key), 2 usage or unusable input.

use std::ffi::OsString;
use std::process::ExitCode;

use payseal::secrets::bcrypt::{self, BcryptError, DEFAULT_COST, HASH_LEN};
use payseal::secrets::keys::{inspect, Environment, KeyPair};
use payseal::secrets::store::{Answer, StoreVerifier};
use payseal::secrets::OsRandom;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const USAGE: &str = "  secret hash [--cost N] [--secret-file F]
                                  bcrypt-hash the secret ($PAYSEAL_SECRET or F; cost 4..31, default 10)
  secret verify --hash H [--secret-file F] [--cache redis://HOST:PORT[/DB] [--ttl SECONDS]]
                                  check the secret against H: exit 0 match, 1 mismatch, 2 bad input;
                                  --cache: successes shared through Redis for --ttl (default 300),
                                  keyed under $PAYSEAL_CACHE_KEY (hex, >= 32 bytes); prints
                                  `ok cached` or `ok bcrypt`; a Redis that fails means bcrypt
  keys new [--test]               print a new pk_/sk_ key pair (live unless --test)
  keys inspect KEY                print a key's kind and environment (exit 1 if invalid)";

const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;
const SECRET_ENV: &str = "PAYSEAL_SECRET";
const CACHE_KEY_ENV: &str = "PAYSEAL_CACHE_KEY";

/// What a command printed and how it exits: `text` goes to stdout on success, to stderr
/// (one line, prefixed `payseal: `) otherwise.
#[derive(Debug, PartialEq, Eq)]
struct Outcome {
    code: u8,
    text: String,
}

impl Outcome {
    fn ok(text: impl Into<String>) -> Self {
        Self { code: 0, text: text.into() }
    }

    fn failed(why: impl std::fmt::Display) -> Self {
        Self { code: EXIT_FAILED, text: why.to_string() }
    }

    fn usage(why: impl std::fmt::Display) -> Self {
        Self { code: EXIT_USAGE, text: format!("{why} (see `payseal help`)") }
    }

    fn bad_input(why: impl std::fmt::Display) -> Self {
        Self { code: EXIT_USAGE, text: why.to_string() }
    }

    fn emit(self) -> ExitCode {
        if self.code == 0 {
            println!("{}", self.text);
        } else {
            eprintln!("payseal: {}", self.text);
        }
        ExitCode::from(self.code)
    }
}

/// `payseal secret …`.
pub fn secret(args: &[&str]) -> ExitCode {
    secret_outcome(args, std::env::var_os(SECRET_ENV)).emit()
}

/// `payseal keys …`.
pub fn keys(args: &[&str]) -> ExitCode {
    keys_outcome(args).emit()
}

fn secret_outcome(args: &[&str], env_secret: Option<OsString>) -> Outcome {
    let (verify, allowed): (bool, &[&str]) = match args.first() {
        Some(&"hash") => (false, &["--cost", "--secret-file"]),
        Some(&"verify") => (true, &["--hash", "--secret-file", "--cache", "--ttl"]),
        _ => return Outcome::usage("expected `secret hash` or `secret verify`"),
    };
    let flags = match parse_flags(&args[1..], allowed) {
        Ok(f) => f,
        Err(why) => return Outcome::usage(why),
    };
    if verify && flags.hash.is_none() {
        return Outcome::usage("--hash H is required");
    }
    let secret = match crate::secret_input::read_from(SECRET_ENV, env_secret, flags.secret_file) {
        Ok(s) => s,
        Err(why) => return Outcome::usage(why),
    };
    if flags.ttl.is_some() && flags.cache.is_none() {
        return Outcome::usage("--ttl goes with --cache");
    }
    // `--hash` is accepted by `verify` only, and required there.
    match (flags.hash, flags.cache) {
        (Some(hash), Some(url)) => {
            secret_verify_cached(secret.bytes(), hash, url, flags.ttl, std::env::var_os(CACHE_KEY_ENV))
        }
        (Some(hash), None) => secret_verify(secret.bytes(), hash),
        (None, _) => secret_hash(secret.bytes(), flags.cost),
    }
}

fn keys_outcome(args: &[&str]) -> Outcome {
    match args {
        ["new"] => keys_new(Environment::Live),
        ["new", "--test"] => keys_new(Environment::Test),
        ["inspect", key] => keys_inspect(key),
        _ => Outcome::usage("expected `keys new [--test]` or `keys inspect KEY`"),
    }
}

/// The flags of `secret hash` and `secret verify`.
#[derive(Default)]
struct SecretFlags<'a> {
    cost: Option<&'a str>,
    hash: Option<&'a str>,
    secret_file: Option<&'a str>,
    cache: Option<&'a str>,
    ttl: Option<&'a str>,
}

fn parse_flags<'a>(flags: &[&'a str], allowed: &[&str]) -> Result<SecretFlags<'a>, String> {
    let mut out = SecretFlags::default();
    let mut it = flags.iter();
    while let Some(&flag) = it.next() {
        if !allowed.contains(&flag) {
            return Err(format!("unknown flag {flag}"));
        }
        let value = it.next().copied().ok_or_else(|| format!("{flag} needs a value"))?;
        let slot = match flag {
            "--cost" => &mut out.cost,
            "--hash" => &mut out.hash,
            "--cache" => &mut out.cache,
            "--ttl" => &mut out.ttl,
            _ => &mut out.secret_file,
        };
        if slot.replace(value).is_some() {
            return Err(format!("{flag} given twice"));
        }
    }
    Ok(out)
}

fn secret_hash(secret: &[u8], cost: Option<&str>) -> Outcome {
    let cost = match cost.map(str::parse::<u32>) {
        None => DEFAULT_COST,
        Some(Ok(c)) => c,
        Some(Err(_)) => return Outcome::usage("--cost must be a number from 4 to 31"),
    };
    let mut out = [0u8; HASH_LEN];
    match bcrypt::hash_with_os_salt(secret, cost, &mut out) {
        Ok(n) => Outcome::ok(String::from_utf8_lossy(&out[..n])),
        Err(e @ BcryptError::Randomness) => Outcome::failed(e),
        Err(e) => Outcome::bad_input(e),
    }
}

fn secret_verify(secret: &[u8], hash: &str) -> Outcome {
    match bcrypt::verify(secret, hash) {
        Ok(()) => Outcome::ok("ok"),
        Err(e @ BcryptError::Mismatch) => Outcome::failed(e),
        Err(e) => Outcome::bad_input(e),
    }
}

/// `secret verify --cache URL`: through a [`StoreVerifier`] over Redis.
fn secret_verify_cached(
    secret: &[u8],
    hash: &str,
    url: &str,
    ttl: Option<&str>,
    cache_key: Option<OsString>,
) -> Outcome {
    let ttl = match ttl.map(str::parse::<u64>) {
        None => 300,
        Some(Ok(t)) => t,
        Some(Err(_)) => return Outcome::usage("--ttl must be a number of seconds"),
    };
    let Some(key_hex) = cache_key.and_then(|k| k.into_string().ok()) else {
        return Outcome::usage(format!("--cache needs the cache key in ${CACHE_KEY_ENV} (hex, at least 32 bytes)"));
    };
    let key_hex = zeroize::Zeroizing::new(key_hex);
    let mut key = zeroize::Zeroizing::new(vec![0u8; key_hex.len() / 2]);
    if key_hex.len() % 2 != 0 || payseal::encoding::hex::decode(key_hex.as_bytes(), &mut key).is_err() {
        return Outcome::usage(format!("${CACHE_KEY_ENV} must be hex"));
    }
    let store = match payseal_cache_redis::RedisStore::open(url) {
        Ok(s) => s,
        Err(e) => return Outcome::usage(e),
    };
    let verifier = match StoreVerifier::new(store, &key, Duration::from_secs(ttl)) {
        Ok(v) => v,
        Err(e) => return Outcome::usage(format!("${CACHE_KEY_ENV}: {e}")),
    };
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    match verifier.verify_at(secret, hash.as_bytes(), now) {
        Ok(Answer::Cached) => Outcome::ok("ok cached"),
        Ok(_) => Outcome::ok("ok bcrypt"),
        Err(e @ BcryptError::Mismatch) => Outcome::failed(e),
        Err(e) => Outcome::bad_input(e),
    }
}

fn keys_new(env: Environment) -> Outcome {
    match KeyPair::generate(env, &mut OsRandom) {
        Ok(pair) => Outcome::ok(format!("{}\n{}", pair.publishable.expose(), pair.secret.expose())),
        Err(e) => Outcome::failed(e),
    }
}

fn keys_inspect(key: &str) -> Outcome {
    match inspect(key) {
        Ok((kind, env)) => Outcome::ok(format!("{} key, {} environment", kind.as_str(), env.as_str())),
        Err(e) => Outcome::failed(format!("invalid key: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(s: &str) -> Option<OsString> {
        Some(OsString::from(s))
    }

    #[test]
    fn hash_then_verify() {
        let hashed = secret_outcome(&["hash", "--cost", "4"], env("sk_live_abc"));
        assert_eq!(hashed.code, 0, "{hashed:?}");
        assert!(hashed.text.starts_with("$2b$04$") && hashed.text.len() == HASH_LEN);
        let h = hashed.text.as_str();
        assert_eq!(secret_outcome(&["verify", "--hash", h], env("sk_live_abc")), Outcome::ok("ok"));
        let wrong = secret_outcome(&["verify", "--hash", h], env("sk_live_abd"));
        assert_eq!(wrong.code, EXIT_FAILED, "{wrong:?}");
        let malformed = secret_outcome(&["verify", "--hash", "$2x$04$"], env("x"));
        assert_eq!(malformed.code, EXIT_USAGE, "{malformed:?}");
    }

    #[test]
    fn secret_file_loses_one_trailing_newline() {
        let path = std::env::temp_dir().join(format!("payseal-secret-test-{}", std::process::id()));
        let hashed = secret_outcome(&["hash", "--cost", "4"], env("sk_live_abc"));
        let h = hashed.text.as_str();
        let p = path.to_str().expect("utf-8 temp path");
        for (content, code) in
            [("sk_live_abc\n", 0), ("sk_live_abc\r\n", 0), ("sk_live_abc", 0), ("sk_live_abc\n\n", 1)]
        {
            std::fs::write(&path, content).expect("write temp file");
            assert_eq!(secret_outcome(&["verify", "--hash", h, "--secret-file", p], None).code, code, "{content:?}");
        }
        std::fs::remove_file(&path).expect("remove temp file");
        assert_eq!(secret_outcome(&["verify", "--hash", h, "--secret-file", p], None).code, EXIT_USAGE);
    }

    #[test]
    fn usage_errors_exit_2() {
        for args in [
            &["hash", "--cost", "3"][..],
            &["hash", "--cost", "ten"],
            &["hash", "--hash", "x"],
            &["hash", "--cost"],
            &["hash", "--cost", "4", "--cost", "5"],
            &["verify"],
            &["verify", "--cost", "4"],
            &["sign"],
            &[],
        ] {
            assert_eq!(secret_outcome(args, env("x")).code, EXIT_USAGE, "{args:?}");
        }
        assert_eq!(secret_outcome(&["hash"], None).code, EXIT_USAGE, "no secret");
        assert_eq!(secret_outcome(&["hash", "--secret-file", "/dev/null"], env("x")).code, EXIT_USAGE, "two secrets");
        let nul = secret_outcome(&["hash", "--cost", "4"], env("a\0b"));
        assert_eq!(nul.code, EXIT_USAGE, "{nul:?}");
        assert_eq!(keys_outcome(&["new", "--live"]).code, EXIT_USAGE);
        assert_eq!(keys_outcome(&[]).code, EXIT_USAGE);
    }

    #[test]
    fn keys_new_and_inspect() {
        let live = keys_outcome(&["new"]);
        let lines: Vec<&str> = live.text.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[0].starts_with("pk_live_") && lines[1].starts_with("sk_live_"));
        let test = keys_outcome(&["new", "--test"]);
        let sk = test.text.lines().nth(1).expect("two lines");
        assert_eq!(keys_outcome(&["inspect", sk]), Outcome::ok("secret key, test environment"));
        assert_eq!(keys_outcome(&["inspect", "sk_prod_x"]).code, EXIT_FAILED);
    }
}
