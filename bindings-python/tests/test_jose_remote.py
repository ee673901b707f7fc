"""RemoteJwkSet against a local HTTP server on 127.0.0.1 that counts requests (no network): cached
within max_age, one refetch for an unknown kid and none within the cooldown, the last good set
kept when the server fails or times out. The clock is replaced, so no test waits for time to pass
(except the time-out itself)."""

from __future__ import annotations

import http.server
import json
import threading
import time
from typing import Any, Dict, Iterator, List, Optional

import pytest

import payseal

NOW = 1_781_740_000


def oct_jwk(kid: str) -> Dict[str, Any]:
    return {"kty": "oct", "kid": kid, "k": payseal.base64url_encode(kid.encode().ljust(32, b"."))}


def token(kid: str, claims: Optional[Dict[str, Any]] = None) -> str:
    return payseal.sign_jwt(oct_jwk(kid), claims or {"sub": kid, "exp": NOW + 60})


class Server:
    """Serves `document` with `status` after `delay` seconds, counting requests."""

    def __init__(self) -> None:
        self.document: bytes = json.dumps({"keys": [oct_jwk("a")]}).encode()
        self.status = 200
        self.location = ""
        self.delay = 0.0
        self.requests = 0
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests += 1
                if server.delay:
                    time.sleep(server.delay)
                body = server.document if server.status == 200 else b"oops"
                try:
                    self.send_response(server.status)
                    if server.location:
                        self.send_header("Location", server.location)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (time-out test)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/realms/pay/protocol/openid-connect/certs"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    def serve(self, *kids: str) -> None:
        self.document = json.dumps({"keys": [oct_jwk(k) for k in kids]}).encode()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    s = Server()
    try:
        yield s
    finally:
        s.close()


class Clock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


def remote(server: Server, clock: Clock, **kwargs: Any) -> payseal.RemoteJwkSet:
    keys = payseal.RemoteJwkSet(server.url, **kwargs)
    keys._clock = clock
    return keys


def test_fetched_once_and_cached_within_max_age(server: Server) -> None:
    clock = Clock()
    keys = remote(server, clock, max_age=600)
    verifier = payseal.JwtVerifier(keys, ["HS256"])
    assert server.requests == 0, "nothing is fetched before the first verification"
    for _ in range(20):
        assert verifier.verify(token("a"), now=NOW)["sub"] == "a"
    clock.t += 599
    assert verifier.verify(token("a"), now=NOW)["sub"] == "a"
    assert server.requests == 1
    clock.t += 1
    server.serve("b")
    with pytest.raises(payseal.KeyNotFoundError):
        verifier.verify(token("a"), now=NOW)
    assert server.requests == 2, "a set max_age old is fetched again before use"
    assert payseal.verify_jwt(keys, token("b"), algorithms=["HS256"], now=NOW)["sub"] == "b"
    assert server.requests == 2


def test_unknown_kid_refetches_once_per_cooldown(server: Server) -> None:
    clock = Clock()
    keys = remote(server, clock, cooldown=30)
    verifier = payseal.JwtVerifier(keys, ["HS256"])
    assert verifier.verify(token("a"), now=NOW)
    server.serve("a", "b")  # the provider rotates in a new key
    clock.t += 5
    with pytest.raises(payseal.KeyNotFoundError):
        verifier.verify(token("b"), now=NOW)
    assert server.requests == 1, "within the cooldown of the first fetch: no request"
    clock.t += 25
    assert verifier.verify(token("b"), now=NOW)["sub"] == "b"
    assert server.requests == 2, "one refetch for the unknown kid, then verified"
    for kid in ("c", "d", "e", "f"):  # a flood of made-up kids
        with pytest.raises(payseal.KeyNotFoundError):
            verifier.verify(token(kid), now=NOW)
        clock.t += 5
    assert server.requests == 2, "no request within the cooldown"
    clock.t += 10
    with pytest.raises(payseal.KeyNotFoundError):
        verifier.verify(token("g"), now=NOW)
    assert server.requests == 3, "the cooldown has passed: one more"
    assert payseal.verify_jws(keys, token("a"), algorithms=["HS256"])
    assert server.requests == 3


@pytest.mark.parametrize("failure", ["500", "not a set", "too large", "time-out"])
def test_last_good_set_kept_when_a_refresh_fails(server: Server, failure: str) -> None:
    clock = Clock()
    keys = remote(server, clock, max_age=600, cooldown=30, timeout=0.3)
    verifier = payseal.JwtVerifier(keys, ["HS256"])
    assert verifier.verify(token("a"), now=NOW)
    if failure == "500":
        server.status = 500
    elif failure == "not a set":
        server.document = b'{"error": "maintenance"}'
    elif failure == "too large":
        server.document = b" " * (payseal.MAX_JWKS_LEN + 1)
    else:
        server.delay = 1.0
    clock.t += 600
    started = time.monotonic()
    assert verifier.verify(token("a"), now=NOW)["sub"] == "a", "the stale set is still used"
    assert server.requests == 2
    if failure == "time-out":
        assert time.monotonic() - started < 0.9, "the time-out bounds the wait"
    clock.t += 29
    for _ in range(5):
        assert verifier.verify(token("a"), now=NOW)
    assert server.requests == 2, "no new attempt within the cooldown"
    server.status, server.delay = 200, 0.0
    server.serve("b")
    clock.t += 1
    assert verifier.verify(token("b"), now=NOW)["sub"] == "b"
    assert server.requests == 3, "after the cooldown the set is fetched again"


def test_no_set_at_all(server: Server) -> None:
    clock = Clock()
    server.status = 503
    keys = remote(server, clock)
    with pytest.raises(payseal.KeyNotFoundError) as info:
        payseal.verify_jwt(keys, token("a"), algorithms=["HS256"], now=NOW)
    assert info.value.code == "key_not_found"
    assert "503" in str(info.value.__cause__)
    with pytest.raises(payseal.KeyNotFoundError):
        payseal.verify_jwt(keys, token("a"), algorithms=["HS256"], now=NOW)
    assert server.requests == 1, "attempts are spaced by the cooldown even without a set"
    server.status = 200
    clock.t += 30
    assert payseal.verify_jwt(keys, token("a"), algorithms=["HS256"], now=NOW)
    assert server.requests == 2


def test_other_verdicts_do_not_refetch(server: Server) -> None:
    clock = Clock()
    keys = remote(server, clock)
    verifier = payseal.JwtVerifier(keys, ["HS256"])
    clock.t += 100
    good = token("a")
    for bad, error in ((good[:-3] + "AAA", payseal.BadSignatureError), (token("a", {"exp": NOW}), payseal.ExpiredError),
                       ("x.y", payseal.MalformedError)):
        with pytest.raises(error):
            verifier.verify(bad, now=NOW)
    assert server.requests == 1


def test_threads_share_one_fetch(server: Server) -> None:
    server.delay = 0.1
    keys = payseal.RemoteJwkSet(server.url)
    verifier = payseal.JwtVerifier(keys, ["HS256"])
    results: List[Any] = []

    def work() -> None:
        results.append(verifier.verify(token("a"), now=NOW)["sub"])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["a"] * 8 and server.requests == 1


@pytest.mark.parametrize("url", ["ftp://127.0.0.1/x", "file:///etc/passwd", "certs", "https:///certs"])
def test_only_http_urls(url: str) -> None:
    with pytest.raises(payseal.InvalidInputError):
        payseal.RemoteJwkSet(url)
    assert payseal.RemoteJwkSet("https://sso.example.com/certs")
    assert payseal.RemoteJwkSet("http://keycloak:8080/realms/pay/protocol/openid-connect/certs")


def test_redirects_are_refused(server: Server) -> None:
    clock = Clock()
    keys = remote(server, clock)
    other = Server()
    try:
        server.status, server.location = 302, other.url
        with pytest.raises(payseal.KeyNotFoundError) as info:
            payseal.verify_jwt(keys, token("a"), algorithms=["HS256"], now=NOW)
        assert "refused" in str(info.value.__cause__)
        assert (server.requests, other.requests) == (1, 0)
    finally:
        other.close()
