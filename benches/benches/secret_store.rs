//! The Redis-backed secret check when cached (issue #17: <= 1 ms on loopback): a
//! `StoreVerifier` over `payseal-cache-redis` against a `redis-server` this bench starts on a
//! free loopback port (one GET round trip, the key and value MACs, the tag compare), beside the
//! in-process `SecretVerifier` hit. Wall time: the round trip is what is measured.
//!
//! `cargo bench -p payseal-benches --bench secret_store` (needs `redis-server`: apt)

use std::hint::black_box;
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use criterion::{criterion_group, criterion_main, Criterion};
use payseal::secrets::bcrypt;
use payseal::secrets::store::{Answer, StoreVerifier};
use payseal::secrets::SecretVerifier;
use payseal_cache_redis::RedisStore;

const SECRET: &[u8] = b"sk_live_dE3xKJm8GAF0wAwaIINYNvDMbZoOlJLl3fZJZ207";

fn bench(c: &mut Criterion) {
    let port = TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port();
    let mut redis = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server (apt-get install redis-server)");
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis-server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut buf = [0u8; bcrypt::HASH_LEN];
    let n = bcrypt::hash(SECRET, 10, &[0x5a; bcrypt::SALT_LEN], &mut buf).expect("hash");
    let hash = buf[..n].to_vec();
    let now = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock").as_secs();

    let store = RedisStore::open(&format!("redis://127.0.0.1:{port}/0")).expect("url");
    let shared = StoreVerifier::new(store, &[0x5a; 32], Duration::from_secs(3600)).expect("key");
    assert_eq!(shared.verify_at(SECRET, &hash, now), Ok(Answer::Bcrypt));
    assert_eq!(shared.verify_at(SECRET, &hash, now), Ok(Answer::Cached));
    let local = SecretVerifier::new(16, Duration::from_secs(3600)).expect("rng");
    local.verify(SECRET, &hash).expect("match");

    let mut g = c.benchmark_group("secret_cache_hit");
    g.bench_function("redis_loopback", |b| {
        b.iter(|| assert_eq!(shared.verify_at(black_box(SECRET), black_box(&hash), now), Ok(Answer::Cached)))
    });
    g.bench_function("in_process", |b| b.iter(|| local.verify(black_box(SECRET), black_box(&hash)).expect("hit")));
    g.finish();
    let _ = redis.kill();
    let _ = redis.wait();
}

criterion_group!(benches, bench);
criterion_main!(benches);
