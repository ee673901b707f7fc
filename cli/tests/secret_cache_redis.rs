//! `payseal secret verify --cache redis://…` against a real `redis-server` (apt `redis-server`)
//! that this test starts on a free loopback port: hits across processes, TTL expiry (in Redis
//! and re-checked locally), garbage written into Redis, Redis killed mid-run, a Redis that
//! accepts connections and never answers. Without redis-server the test fails (it never skips).

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_payseal");
const CACHE_KEY: &str = "5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e5a1e";

struct Redis {
    child: Child,
    port: u16,
}

impl Drop for Redis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A free loopback port not handed out before in this process: the tests run on parallel
/// threads, and the kernel may give a port it just gave again before the first server binds it
/// (two redis-servers on one port: one exits, both tests talk to the other).
fn free_port() -> u16 {
    static GIVEN: Mutex<BTreeSet<u16>> = Mutex::new(BTreeSet::new());
    (0..100)
        .map(|_| TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port())
        .find(|&port| GIVEN.lock().expect("ports").insert(port))
        .expect("a free port not handed out already")
}

fn start_redis() -> Redis {
    let port = free_port();
    let child = Command::new("redis-server")
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
        .stdout(Stdio::null())
        .spawn()
        .expect("redis-server must be installed (apt-get install redis-server): this test does not skip");
    let redis = Redis { child, port };
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis-server did not start on port {port}");
        std::thread::sleep(Duration::from_millis(20));
    }
    redis
}

/// One RESP command; returns the raw reply.
fn resp(port: u16, args: &[&[u8]]) -> Vec<u8> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    let mut cmd = format!("*{}\r\n", args.len()).into_bytes();
    for a in args {
        cmd.extend_from_slice(format!("${}\r\n", a.len()).as_bytes());
        cmd.extend_from_slice(a);
        cmd.extend_from_slice(b"\r\n");
    }
    s.write_all(&cmd).expect("write");
    s.set_read_timeout(Some(Duration::from_millis(500))).expect("timeout");
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    // Good enough for the short replies used here: read until the reply is complete or quiet.
    while let Ok(n) = s.read(&mut buf) {
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
        if out.ends_with(b"\r\n") && (n < buf.len()) {
            break;
        }
    }
    out
}

/// The payseal keys Redis holds.
fn payseal_keys(port: u16) -> Vec<String> {
    let reply = String::from_utf8(resp(port, &[b"KEYS", b"payseal:secret:v1:*"])).expect("utf8");
    reply.lines().filter(|l| l.starts_with("payseal:")).map(str::to_owned).collect()
}

fn hash(secret: &str, cost: u32) -> String {
    let out = Command::new(BIN)
        .args(["secret", "hash", "--cost", &cost.to_string()])
        .env("PAYSEAL_SECRET", secret)
        .output()
        .expect("run payseal");
    assert!(out.status.success());
    String::from_utf8(out.stdout).expect("utf8").trim().to_owned()
}

/// `payseal secret verify --cache` in a new process: (exit code, stdout).
fn verify(port: u16, secret: &str, hash: &str, extra: &[&str]) -> (i32, String) {
    let url = format!("redis://127.0.0.1:{port}/0");
    let out = Command::new(BIN)
        .args(["secret", "verify", "--hash", hash, "--cache", &url])
        .args(extra)
        .env("PAYSEAL_SECRET", secret)
        .env("PAYSEAL_CACHE_KEY", CACHE_KEY)
        .output()
        .expect("run payseal");
    (out.status.code().unwrap_or(-1), String::from_utf8(out.stdout).expect("utf8").trim().to_owned())
}

#[test]
fn redis_backed_secret_cache() {
    let redis = start_redis();
    let port = redis.port;
    let h = hash("sk_live_redis", 10);

    // Across processes: the second process finds the first one's success.
    assert_eq!(verify(port, "sk_live_redis", &h, &[]), (0, "ok bcrypt".into()));
    assert_eq!(verify(port, "sk_live_redis", &h, &[]), (0, "ok cached".into()));
    assert_eq!(verify(port, "sk_live_wrong", &h, &[]).0, 1);
    let keys = payseal_keys(port);
    assert_eq!(keys.len(), 1, "only the success is stored: {keys:?}");
    assert!(!keys[0].contains("sk_live") && !keys[0].contains(&h[7..]), "neither the secret nor the hash in the key");

    // Garbage in Redis (wrong lengths, random bytes, the valid value copied to other keys)
    // never makes a wrong secret pass; the right one falls back to bcrypt.
    let good = resp(port, &[b"GET", keys[0].as_bytes()]);
    let valid = &good[good.iter().position(|&b| b == b'\n').expect("bulk") + 1..good.len() - 2];
    for garbage in [&b""[..], &b"x"[..], &[0u8; 40][..], &[0xffu8; 40][..], &[7u8; 1000][..]] {
        resp(port, &[b"SET", keys[0].as_bytes(), garbage]);
        assert_eq!(verify(port, "sk_live_wrong", &h, &[]).0, 1);
        assert_eq!(verify(port, "sk_live_redis", &h, &[]), (0, "ok bcrypt".into()), "garbage is a miss");
    }
    for i in 0..20 {
        resp(port, &[b"SET", format!("payseal:secret:v1:{i:064x}").as_bytes(), valid]);
    }
    assert_eq!(verify(port, "sk_live_wrong", &h, &[]).0, 1, "a copied value does not vouch for another pair");
    assert_eq!(verify(port, "sk_live_redis", &h, &[]), (0, "ok cached".into()));

    // TTL: set in Redis, and re-checked locally even when Redis keeps the value longer.
    let h2 = hash("sk_live_ttl", 4);
    assert_eq!(verify(port, "sk_live_ttl", &h2, &["--ttl", "1"]), (0, "ok bcrypt".into()));
    assert_eq!(verify(port, "sk_live_ttl", &h2, &["--ttl", "1"]), (0, "ok cached".into()));
    let before: Vec<String> = payseal_keys(port);
    for k in &before {
        resp(port, &[b"PERSIST", k.as_bytes()]); // Redis would keep it forever
    }
    std::thread::sleep(Duration::from_millis(2100));
    assert_eq!(verify(port, "sk_live_ttl", &h2, &["--ttl", "1"]), (0, "ok bcrypt".into()), "expired locally");

    // Redis killed mid-run: bcrypt, promptly; a wrong secret still fails.
    drop(redis);
    let t = Instant::now();
    assert_eq!(verify(port, "sk_live_redis", &h, &[]), (0, "ok bcrypt".into()));
    assert_eq!(verify(port, "sk_live_wrong", &h, &[]).0, 1);
    assert!(t.elapsed() < Duration::from_secs(3), "Redis down took {:?}", t.elapsed());

    // A Redis that accepts connections and never answers: the read timeout, then bcrypt.
    let silent = TcpListener::bind("127.0.0.1:0").expect("bind");
    let silent_port = silent.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in silent.incoming().flatten() {
            held.push(s);
        }
    });
    let t = Instant::now();
    assert_eq!(verify(silent_port, "sk_live_redis", &h, &[]), (0, "ok bcrypt".into()));
    assert_eq!(verify(silent_port, "sk_live_wrong", &h, &[]).0, 1);
    assert!(t.elapsed() < Duration::from_secs(3), "a silent Redis took {:?}", t.elapsed());
}

#[test]
fn cache_flags_are_checked() {
    let run = |env_key: Option<&str>, extra: &[&str]| {
        let mut cmd = Command::new(BIN);
        cmd.args(["secret", "verify", "--hash", "$2b$04$abcdefghijklmnopqrstuu", "--cache", "redis://127.0.0.1:1/0"])
            .args(extra)
            .env("PAYSEAL_SECRET", "x")
            .env_remove("PAYSEAL_CACHE_KEY");
        if let Some(k) = env_key {
            cmd.env("PAYSEAL_CACHE_KEY", k);
        }
        cmd.output().expect("run").status.code()
    };
    assert_eq!(run(None, &[]), Some(2), "no cache key");
    assert_eq!(run(Some("00"), &[]), Some(2), "a cache key under 32 bytes");
    assert_eq!(run(Some("zz"), &[]), Some(2), "not hex");
    assert_eq!(run(Some(CACHE_KEY), &["--ttl", "soon"]), Some(2));
}
