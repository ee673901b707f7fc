//! A fixed loop for instruction-count profiling (`valgrind --tool=callgrind`), which is
//! repeatable on a noisy machine where wall-clock benches are not:
//! `prof_json [parse|canon|serde|paylands|sha|ring] [js|php|jcs]` over the notification fixture (or the fixture named
//! by `PROF_FIXTURE`), `PROF_ROUNDS` times (2000); into a caller-slice tape, or a Vec tape with
//! `PROF_VEC` set.

use payseal::json::{canonicalize, parse, Dialect, Error, Tape};
use payseal_benches::fixture;

fn main() -> Result<(), Error> {
    let name = std::env::var("PROF_FIXTURE").unwrap_or_else(|_| "notification-3k5.json".into());
    let input = fixture(&name);
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let dialect = match args.next().as_deref() {
        Some("php") => Dialect::php_default(),
        Some("jcs") => Dialect::Jcs,
        _ => Dialect::Js,
    };
    let mut scratch = vec![payseal::json::Node::default(); Tape::required_len(input.len())];
    let mut tape = if std::env::var_os("PROF_VEC").is_some() { Tape::new() } else { Tape::from_slice(&mut scratch) };
    let mut out = Vec::new();
    let rounds: usize = std::env::var("PROF_ROUNDS").ok().and_then(|r| r.parse().ok()).unwrap_or(2000);
    for _ in 0..rounds {
        out.clear();
        match mode.as_str() {
            "serde" => {
                std::hint::black_box(serde_json::from_slice::<serde::de::IgnoredAny>(&input).is_ok());
            }
            "paylands" => {
                use payseal::paylands::{verify, FlagsPolicy, Mode, SignatureKey};
                let key = SignatureKey::new(b"Gq3xV0L2hT7bP9sK1mN4cR8wZ6yA5dE0").expect("key");
                let policy = FlagsPolicy::Only(payseal::paylands::Flags::Default);
                std::hint::black_box(verify(&input, Mode::Notification, policy, &key, &mut tape).is_ok());
            }
            "sha" => {
                use sha2::Digest;
                std::hint::black_box(sha2::Sha256::digest(&input));
            }
            "ring" => {
                std::hint::black_box(ring::digest::digest(&ring::digest::SHA256, &input));
            }
            "parse" => {
                parse(&input, dialect, &mut tape)?;
            }
            _ => canonicalize(&input, dialect, &mut tape, &mut out)?,
        }
    }
    std::hint::black_box(out);
    Ok(())
}
