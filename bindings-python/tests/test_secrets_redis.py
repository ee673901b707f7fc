"""SecretVerifier with Redis behind its in-process cache, against a real ``redis-server`` (apt
``redis-server``) started here on a free loopback port: another process answers from Redis
what this one verified with bcrypt (the ``store_hits`` counter), so do Node and PHP (one keying
in every language), garbage or copied values never make a wrong secret pass, Redis killed
mid-run only costs bcrypt, short cache keys and bad URLs are refused.

Without redis-server the tests fail when ``PAYSEAL_REQUIRE_REDIS=1`` (scripts/test sets it),
else they are skipped with the reason; the same for node (``PAYSEAL_REQUIRE_NODE``) and php
(``PAYSEAL_REQUIRE_PHP``) in the cross-language test."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional

import pytest

import payseal
from payseal import InvalidInputError, InvalidKeyError, MismatchError, SecretVerifier

REPO = Path(__file__).resolve().parents[2]
SECRET = "sk_live_redis_python"
HASH = payseal.hash_bcrypt(SECRET, cost=4)


def require(tool: str, env: str) -> str:
    """The path of ``tool``, or a failure (``env``=1) / a skip."""
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} is not installed"
        if os.environ.get(env) == "1":
            pytest.fail(f"{reason} and {env}=1")
        pytest.skip(reason)
    return path


class Redis:
    """A redis-server on a free loopback port, stopped by its PID."""

    def __init__(self) -> None:
        binary = require("redis-server", "PAYSEAL_REQUIRE_REDIS")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while self.command(b"PING") != b"+PONG\r\n":
            assert time.monotonic() < deadline, f"redis-server did not start on port {self.port}"
            time.sleep(0.02)
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def command(self, *args: bytes) -> bytes:
        """One RESP command over a fresh connection; the raw reply (b"" when Redis is down)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as s:
                s.sendall(b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in args))
                reply = b""
                s.settimeout(0.2)
                while True:
                    try:
                        chunk = s.recv(65536)
                    except socket.timeout:
                        break
                    if not chunk:
                        break
                    reply += chunk
                    if reply.endswith(b"\r\n") and len(chunk) < 65536:
                        break
                return reply
        except OSError:
            return b""

    def get(self, key: str) -> bytes:
        reply = self.command(b"GET", key.encode())
        head, _, rest = reply.partition(b"\r\n")
        return rest[: int(head[1:])] if head.startswith(b"$") and int(head[1:]) >= 0 else b""

    def keys(self) -> List[str]:
        reply = self.command(b"KEYS", b"payseal:secret:v1:*")
        return sorted(line.decode() for line in reply.split(b"\r\n") if line.startswith(b"payseal:"))

    def stop(self) -> None:
        self.process.kill()
        self.process.wait()


@pytest.fixture(scope="module")
def redis() -> Iterator[Redis]:
    server = Redis()
    yield server
    server.stop()


def redis_key(cache_key: bytes, hash: str, secret: str) -> str:
    """The documented Redis key of (hash, secret) (core/src/secrets/store.rs)."""
    mac = hmac.new(cache_key, b"payseal/secret-cache/v1/key\0" + hash.encode() + b"\0" + secret.encode(), hashlib.sha256)
    return "payseal:secret:v1:" + mac.hexdigest()


PYTHON_CHECK = """
import json, sys, time, payseal
url, key, secret, hash = sys.argv[1:5]
v = payseal.SecretVerifier(100, 300, redis=url, cache_key=bytes.fromhex(key))
t = time.perf_counter()
try:
    v.verify(secret, hash); code = None
except payseal.PaysealError as e:
    code = e.code
micros = (time.perf_counter() - t) * 1e6
print(json.dumps({"ok": code is None, "code": code, "hits": v.hits, "store_hits": v.store_hits, "misses": v.misses, "micros": micros}))
"""

NODE_CHECK = """
const [url, key, secret, hash] = process.argv.slice(1);
const { SecretVerifier, PaysealError } = require(process.env.PAYSEAL_NODE_DIR);
const v = new SecretVerifier({ capacity: 100, ttl: 300, redis: url, cacheKey: Buffer.from(key, 'hex') });
let code = null;
const t = process.hrtime.bigint();
try { v.verifySync(secret, hash); } catch (e) { if (!(e instanceof PaysealError)) throw e; code = e.code; }
const micros = Number(process.hrtime.bigint() - t) / 1000;
console.log(JSON.stringify({ ok: code === null, code, hits: v.hits, store_hits: v.storeHits, misses: v.misses, micros }));
"""


def other_process(language: str, url: str, cache_key: bytes, secret: str, hash: str) -> Dict[str, Any]:
    """A fresh process of ``language`` (empty in-process cache) verifies once: what answered."""
    args = [url, cache_key.hex(), secret, hash]
    env = dict(os.environ)
    if language == "python":
        cmd = [sys.executable, "-c", PYTHON_CHECK, *args]
    elif language == "node":
        env["PAYSEAL_NODE_DIR"] = str(REPO / "bindings-node")
        if not any((REPO / "bindings-node").glob("*.node")):
            if os.environ.get("PAYSEAL_REQUIRE_NODE") == "1":
                pytest.fail("the Node addon is not built (npm run build in bindings-node)")
            pytest.skip("the Node addon is not built")
        cmd = [require("node", "PAYSEAL_REQUIRE_NODE"), "-e", NODE_CHECK, *args]
    else:
        php = REPO / "ffi-c" / "php" / "tests" / "redis_check.php"
        cmd = [require("php", "PAYSEAL_REQUIRE_PHP"), "-d", "ffi.enable=1", str(php), *args]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60)
    assert out.returncode == 0, out.stderr
    result: Dict[str, Any] = json.loads(out.stdout)
    return result


def answered(result: Dict[str, Any]) -> tuple[Any, Any, Any]:
    return result["ok"], result["store_hits"], result["misses"]


def test_another_process_answers_from_redis(redis: Redis) -> None:
    key = secrets.token_bytes(32)
    v = SecretVerifier(100, 300, redis=redis.url, cache_key=key)
    v.verify(SECRET, HASH)
    assert (v.hits, v.store_hits, v.misses) == (0, 0, 1)
    assert redis_key(key, HASH, SECRET) in redis.keys()
    ttl = int(redis.command(b"TTL", redis_key(key, HASH, SECRET).encode())[1:])
    assert 290 < ttl <= 300, "the entry expires in Redis with the TTL"
    assert answered(other_process("python", redis.url, key, SECRET, HASH)) == (True, 1, 0)
    v.verify(SECRET, HASH)
    assert (v.hits, v.store_hits, v.misses) == (1, 0, 1), "then from the in-process cache"
    # Another deployment's cache key: no hit.
    assert answered(other_process("python", redis.url, secrets.token_bytes(32), SECRET, HASH)) == (True, 0, 1)


def test_one_keying_in_every_language(redis: Redis) -> None:
    """Python verifies with bcrypt; Node and PHP, in fresh processes, answer from that entry."""
    key = secrets.token_bytes(32)
    secret = "sk_live_cross_language"
    hash = payseal.hash_bcrypt(secret, cost=4)
    SecretVerifier(0, 300, redis=redis.url, cache_key=key).verify(secret, hash)
    assert redis.keys().count(redis_key(key, hash, secret)) == 1
    for language in ("node", "php"):
        assert answered(other_process(language, redis.url, key, secret, hash)) == (True, 1, 0), language
        wrong = other_process(language, redis.url, key, "sk_live_wrong", hash)
        assert (wrong["ok"], wrong["code"], wrong["store_hits"]) == (False, "mismatch", 0), language


def test_shared_redis_verifier(redis: Redis) -> None:
    key = secrets.token_bytes(32)
    first = SecretVerifier.shared("test_secrets_redis", 100, 300, redis=redis.url, cache_key=key)
    SecretVerifier(0, 300, redis=redis.url, cache_key=key).verify(SECRET, HASH)
    first.verify(SECRET, HASH)
    again = SecretVerifier.shared("test_secrets_redis", redis=redis.url, cache_key=key)
    again.verify(SECRET, HASH)
    assert (again.hits, again.store_hits, again.misses) == (1, 1, 0)
    with pytest.raises(InvalidKeyError) as e:
        SecretVerifier.shared("test_secrets_redis", redis=redis.url, cache_key=b"k" * 31)
    assert e.value.code == "invalid_key", "the cache key is checked on every call"


def test_forged_entries_never_pass_a_wrong_secret(redis: Redis) -> None:
    key = secrets.token_bytes(32)
    SecretVerifier(0, 300, redis=redis.url, cache_key=key).verify(SECRET, HASH)
    good = redis.get(redis_key(key, HASH, SECRET))
    assert len(good) == 40
    wrong = redis_key(key, HASH, "sk_live_wrong").encode()
    for value in (good, b"\0" * 40, b"\xff" * 40, b"garbage"):
        redis.command(b"SET", wrong, value)
        fresh = SecretVerifier(100, 300, redis=redis.url, cache_key=key)
        with pytest.raises(MismatchError):
            fresh.verify("sk_live_wrong", HASH)
        assert (fresh.store_hits, fresh.misses) == (0, 1)
    redis.command(b"SET", redis_key(key, HASH, SECRET).encode(), b"\xff" * 40)
    fresh = SecretVerifier(100, 300, redis=redis.url, cache_key=key)
    fresh.verify(SECRET, HASH)
    assert (fresh.store_hits, fresh.misses) == (0, 1), "garbage under the right key: bcrypt"


def test_redis_killed_mid_run_costs_bcrypt_only() -> None:
    server = Redis()
    try:
        key = secrets.token_bytes(32)
        v = SecretVerifier(0, 300, redis=server.url, cache_key=key, redis_timeout=0.05)
        v.verify(SECRET, HASH)
        v.verify(SECRET, HASH)
        assert (v.store_hits, v.misses) == (1, 1)
    finally:
        server.stop()
    started = time.monotonic()
    for _ in range(5):
        v.verify(SECRET, HASH)
        with pytest.raises(MismatchError):
            v.verify("sk_live_wrong", HASH)
    assert (v.store_hits, v.misses) == (1, 11)
    assert time.monotonic() - started < 5, "no long waits on a dead Redis"
    assert answered(other_process("python", server.url, key, SECRET, HASH)) == (True, 0, 1)


def test_arguments_are_refused(redis: Redis) -> None:
    makers: List[Callable[[], SecretVerifier]] = [
        lambda: SecretVerifier(redis=redis.url, cache_key=b"k" * 31),
        lambda: SecretVerifier.shared("refused", redis=redis.url, cache_key=b"k" * 31),
    ]
    for make in makers:
        with pytest.raises(InvalidKeyError) as e:
            make()
        assert e.value.code == "invalid_key"
    key = b"k" * 32
    bad: List[Dict[str, Optional[Any]]] = [
        {"redis": "http://127.0.0.1/", "cache_key": key},
        {"redis": redis.url},
        {"cache_key": key},
        {"redis": redis.url, "cache_key": key, "redis_timeout": 0.0},
        {"redis": redis.url, "cache_key": key, "redis_timeout": -1.0},
    ]
    for kwargs in bad:
        with pytest.raises(InvalidInputError):
            SecretVerifier(**kwargs)  # type: ignore[arg-type]
