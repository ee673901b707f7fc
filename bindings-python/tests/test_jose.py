"""JOSE through the binding: JwkSet, JwtVerifier and the one-shots; every verdict is the core's, so
these tests check the translation (arguments, results, exception classes, the GIL), not JOSE
itself (that is jws.jsonl, run by test_vectors.py)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import random
import sys
import threading
import time
from typing import Any, Callable, Dict, List, Type

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

import payseal
from payseal import errors

HS_JWK: Dict[str, Any] = {"kty": "oct", "k": "IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0", "kid": "hs"}
NOW = 1_781_740_000


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def rsa_jwk() -> Dict[str, Any]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jwk: Dict[str, Any] = json.loads(RSAAlgorithm.to_jwk(key))
    jwk["kid"] = "rsa-1"
    return jwk


def public(jwk: Dict[str, Any]) -> Dict[str, Any]:
    """The public JWK (PyJWT's private JWKs carry `key_ops: ["sign"]`)."""
    return {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi", "key_ops")}


def raw_hs256(key: bytes, header: str, payload: bytes) -> str:
    """A token made without payseal (any header, `crit` included)."""
    signing_input = f"{b64url(header.encode())}.{b64url(payload)}"
    return f"{signing_input}.{b64url(hmac.new(key, signing_input.encode(), hashlib.sha256).digest())}"


def hs_token(header: str = '{"alg":"HS256","kid":"hs"}', claims: Any = None) -> str:
    payload = json.dumps({"sub": "x", "exp": NOW + 60} if claims is None else claims).encode()
    return payseal.sign_jws(HS_JWK, header, payload)


# ---- JwkSet --------------------------------------------------------------------------------------

def test_jwk_set_skips_what_it_cannot_verify_with(rsa_jwk: Dict[str, Any]) -> None:
    enc = {**public(rsa_jwk), "kid": "enc", "use": "enc", "alg": "RSA-OAEP"}
    doc = {"keys": [public(rsa_jwk), enc, {"kty": "XYZ", "kid": "future"}, HS_JWK]}
    for form in (doc, json.dumps(doc), json.dumps(doc).encode(), bytearray(json.dumps(doc).encode())):
        keys = payseal.JwkSet(form)
        assert len(keys) == 2 and keys.skipped == 2
        assert keys.kids == ["rsa-1", "hs"]
    assert payseal.JwkSet({"keys": [{k: v for k, v in HS_JWK.items() if k != "kid"}, HS_JWK]}).kids == ["hs"]
    assert "2 keys, 2 skipped" in repr(payseal.JwkSet(doc))


@pytest.mark.parametrize("doc", ['{"keys": {}}', "[]", "not json", '{"nokeys": []}'])
def test_jwk_set_refuses_what_is_not_a_set(doc: str) -> None:
    with pytest.raises(payseal.InvalidKeyError) as info:
        payseal.JwkSet(doc)
    assert info.value.code == "invalid_key"


def test_jwk_set_size_cap() -> None:
    with pytest.raises(payseal.TooLargeError):
        payseal.JwkSet(b" " * (payseal.MAX_JWKS_LEN + 1))


# ---- verification ---------------------------------------------------------------------------------

def test_verify_returns_the_claims_as_json_loads_would() -> None:
    claims = {"sub": "x", "exp": NOW + 60, "aud": ["a", "b"], "n": 2**80, "f": 1.5, "neg0": -0.0, "e": 1e300,
              "t": True, "z": None, "u": "é€😀", "esc": 'a"b\\c\n\u0001', "nested": {"l": [[], {}, [1, {"x": "y"}]]}}
    token = hs_token(claims=claims)
    verifier = payseal.JwtVerifier(payseal.JwkSet({"keys": [HS_JWK]}), ["HS256"], audience="b")
    got = verifier.verify(token, now=NOW)
    assert got == claims and type(got["n"]) is int and type(got["f"]) is float
    assert repr(got) == repr(json.loads(json.dumps(claims)))
    # A lone surrogate escape stays a surrogate, as with json.loads.
    text = b'{"s":"\\ud800x"}'
    token = payseal.sign_jws(HS_JWK, '{"alg":"HS256"}', text)
    assert payseal.verify_jwt({"keys": [HS_JWK]}, token, algorithms=["HS256"]) == json.loads(text)


def test_random_claims_round_trip_like_json_loads() -> None:
    rng = random.Random(19)

    def value(depth: int) -> Any:
        kind = rng.randrange(9 if depth < 3 else 6)
        if kind == 0:
            return rng.randrange(-2**70, 2**70)
        if kind == 1:
            return rng.uniform(-1e6, 1e6) * 10 ** rng.randrange(-30, 30)
        if kind == 2:
            return "".join(chr(rng.choice([rng.randrange(32, 127), rng.randrange(0, 32), rng.randrange(0x80, 0xD800),
                                          rng.randrange(0xE000, 0x110000), 0x22, 0x5C]))
                           for _ in range(rng.randrange(12)))
        if kind == 3:
            return rng.choice([True, False, None])
        if kind in (4, 5):
            return rng.randrange(0, 2**40)
        if kind == 6:
            return [value(depth + 1) for _ in range(rng.randrange(4))]
        return {f"k{i}\u00e9": value(depth + 1) for i in range(rng.randrange(4))}

    verifier = payseal.JwtVerifier({"keys": [HS_JWK]}, ["HS256"])
    for _ in range(300):
        claims = {f"c{i}": value(0) for i in range(rng.randrange(1, 6))}
        text = json.dumps(claims, ensure_ascii=rng.random() < 0.5).encode()
        token = payseal.sign_jws(HS_JWK, '{"alg":"HS256"}', text)
        assert verifier.verify(token, now=NOW) == json.loads(text)


@pytest.mark.parametrize("form", [str, lambda t: t.encode(), lambda t: bytearray(t.encode()),
                                  lambda t: memoryview(t.encode())])
def test_token_inputs(form: Callable[[str], Any]) -> None:
    token = hs_token()
    verifier = payseal.JwtVerifier({"keys": [HS_JWK]}, ["HS256"])
    assert verifier.verify(form(token), now=NOW)["sub"] == "x"
    assert json.loads(verifier.verify_jws(form(token)))["sub"] == "x"


def test_now_defaults_to_the_clock_and_leeway() -> None:
    exp = int(time.time()) + 30
    token = hs_token(claims={"exp": exp})
    assert payseal.verify_jwt({"keys": [HS_JWK]}, token, algorithms=["HS256"]) == {"exp": exp}
    late = exp + 10
    with pytest.raises(payseal.ExpiredError):
        payseal.verify_jwt({"keys": [HS_JWK]}, token, algorithms=["HS256"], now=late)
    assert payseal.verify_jwt({"keys": [HS_JWK]}, token, algorithms=["HS256"], now=late + 0.9, leeway=11)


@pytest.mark.parametrize(
    "header, claims, kwargs, error, code",
    [
        ('{"alg":"HS256"}', {"exp": NOW}, {}, payseal.ExpiredError, "expired"),
        ('{"alg":"HS256"}', {"nbf": NOW + 1}, {}, payseal.NotYetValidError, "not_yet_valid"),
        ('{"alg":"HS256"}', {"aud": "other"}, {"audience": "me"}, payseal.ClaimError, "audience"),
        ('{"alg":"HS256"}', {"iss": "other"}, {"issuer": "me"}, payseal.ClaimError, "issuer"),
        ('{"alg":"HS256"}', {"exp": "soon"}, {}, payseal.MalformedError, "malformed"),
        ('{"alg":"HS256"}', [1], {}, payseal.MalformedError, "malformed"),
        ('{"alg":"HS256","crit":["b64"],"b64":false}', {}, {}, payseal.UnsupportedError, "crit_unsupported"),
        ('{"alg":"HS512"}', {}, {}, payseal.AlgorithmNotAllowedError, "alg_not_allowed"),
        ('{"alg":"HS256","kid":"other"}', {}, {}, payseal.KeyNotFoundError, "key_not_found"),
    ],
)
def test_each_refusal_raises_the_table_class(header: str, claims: Any, kwargs: Dict[str, Any],
                                             error: Type[payseal.PaysealError], code: str) -> None:
    token = raw_hs256(b"k" * 64, header, json.dumps(claims).encode())
    keys = payseal.JwkSet({"keys": [{**HS_JWK, "k": b64url(b"k" * 64)}]})
    with pytest.raises(error) as info:
        payseal.JwtVerifier(keys, ["HS256"], **kwargs).verify(token, now=NOW)
    assert info.value.code == code
    assert isinstance(info.value, payseal.VerificationError) and isinstance(info.value, ValueError)
    assert errors._CLASS_BY_CODE[code] is error


def test_bad_signature_and_malformed() -> None:
    token = hs_token()
    verifier = payseal.JwtVerifier({"keys": [HS_JWK]}, ["HS256"])
    tampered = token[:-2] + ("A" if token[-2] != "A" else "Q") + token[-1]
    with pytest.raises(payseal.BadSignatureError):
        verifier.verify(tampered, now=NOW)
    for bad in ("", "a.b", token + ".x", token.replace(".", "=.", 1), " " + token):
        with pytest.raises(payseal.MalformedError):
            verifier.verify(bad, now=NOW)
    with pytest.raises(payseal.TooLargeError):
        verifier.verify("a" * (payseal.MAX_TOKEN_LEN + 1), now=NOW)


def test_algorithms_are_required_and_checked() -> None:
    keys = payseal.JwkSet({"keys": [HS_JWK]})
    with pytest.raises(TypeError):
        payseal.JwtVerifier(keys)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        payseal.verify_jwt(keys, hs_token())  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        payseal.JwtVerifier(keys, "HS256")  # type: ignore[arg-type]
    with pytest.raises(payseal.InvalidInputError) as info:
        payseal.JwtVerifier(keys, [])
    assert info.value.code == "invalid_argument"
    for bad in (["none"], ["HS256", "hs256"], ["HS256", "NONE"]):
        with pytest.raises(payseal.AlgorithmNotAllowedError, match="none never is") as refused:
            payseal.JwtVerifier(keys, bad)  # type: ignore[arg-type]
        assert refused.value.code == "alg_not_allowed"
    with pytest.raises(TypeError):
        payseal.JwtVerifier(42, ["HS256"])  # type: ignore[arg-type]
    assert set(payseal.JWS_ALGORITHMS) == {"HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384",
                                           "PS512", "ES256", "ES384", "EdDSA"}


def test_verify_jws_returns_any_payload() -> None:
    token = payseal.sign_jws(HS_JWK, '{"alg":"HS256"}', b"\x00\xffnot json")
    assert payseal.verify_jws({"keys": [HS_JWK]}, token, algorithms=["HS256"]) == b"\x00\xffnot json"
    with pytest.raises(payseal.MalformedError):
        payseal.verify_jwt({"keys": [HS_JWK]}, token, algorithms=["HS256"])


# ---- signing, inspecting, thumbprints ---------------------------------------------------------------

def test_sign_jwt_header_and_defaults(rsa_jwk: Dict[str, Any]) -> None:
    token = payseal.sign_jwt(HS_JWK, {"sub": "x"})
    header, claims = payseal.inspect_jwt(token)
    assert header == {"alg": "HS256", "typ": "JWT", "kid": "hs"} and claims == {"sub": "x"}
    token = payseal.sign_jwt(rsa_jwk, {"sub": "r"}, alg="PS256", kid="other")
    assert payseal.inspect_jwt(token)[0] == {"alg": "PS256", "typ": "JWT", "kid": "other"}
    assert payseal.verify_jwt({"keys": [{**public(rsa_jwk), "kid": "other"}]}, token, algorithms=["PS256"]) == {"sub": "r"}
    # Default alg: the JWK's own, else its type's (as in every payseal binding).
    assert payseal.inspect_jwt(payseal.sign_jwt(rsa_jwk, {}))[0]["alg"] == "RS256"
    assert payseal.inspect_jwt(payseal.sign_jwt({**rsa_jwk, "alg": "PS384"}, {}))[0]["alg"] == "PS384"
    long_oct = {"kty": "oct", "k": b64url(b"k" * 64)}
    assert payseal.inspect_jwt(payseal.sign_jwt(long_oct, {}))[0]["alg"] == "HS256"
    assert payseal.inspect_jwt(payseal.sign_jwt({**long_oct, "alg": "HS512"}, {}))[0]["alg"] == "HS512"
    with pytest.raises(payseal.InvalidKeyError):
        payseal.sign_jwt({**long_oct, "alg": "RS256"}, {})
    ed = json.loads(OKPAlgorithm.to_jwk(ed25519.Ed25519PrivateKey.generate()))
    p384 = json.loads(ECAlgorithm.to_jwk(ec.generate_private_key(ec.SECP384R1())))
    assert payseal.inspect_jwt(payseal.sign_jwt(ed, {}))[0] == {"alg": "EdDSA", "typ": "JWT"}
    assert payseal.inspect_jwt(payseal.sign_jwt(p384, {}))[0]["alg"] == "ES384"
    with pytest.raises(payseal.InvalidKeyError):
        payseal.sign_jwt(public(rsa_jwk), {}, alg="RS256")
    with pytest.raises(payseal.InvalidKeyError):
        payseal.sign_jwt(HS_JWK, {}, alg="RS256")
    with pytest.raises(payseal.AlgorithmNotAllowedError):
        payseal.sign_jwt(HS_JWK, {}, alg="none")  # type: ignore[arg-type]


def test_sign_jws_uses_the_exact_header() -> None:
    header = '{"kid":"hs",  "alg":"HS256"}'
    token = payseal.sign_jws(HS_JWK, header, b"p")
    assert token.split(".")[0] == b64url(header.encode())
    with pytest.raises(payseal.UnsupportedError):
        payseal.sign_jws(HS_JWK, '{"alg":"HS256","crit":["x"]}', b"p")
    with pytest.raises(payseal.MalformedError):
        payseal.sign_jws(HS_JWK, "[]", b"p")


def test_inspect_is_unverified_and_strict_about_structure() -> None:
    token = hs_token()
    header, claims = payseal.inspect_jwt(token[:-4] + "AAAA")
    assert header["alg"] == "HS256" and claims["sub"] == "x"
    for bad in ("a.b", "e30.bm90IGpzb24.", "W10.e30."):  # two segments, payload not JSON, header not an object
        with pytest.raises(payseal.MalformedError):
            payseal.inspect_jwt(bad)


def test_thumbprint_is_rfc7638(rsa_jwk: Dict[str, Any]) -> None:
    want = b64url(hashlib.sha256(json.dumps({"e": rsa_jwk["e"], "kty": "RSA", "n": rsa_jwk["n"]},
                                            separators=(",", ":")).encode()).digest())
    assert payseal.jwk_thumbprint(rsa_jwk) == want == payseal.jwk_thumbprint(json.dumps(public(rsa_jwk)))
    with pytest.raises(payseal.InvalidKeyError):
        payseal.jwk_thumbprint({"kty": "RSA"})


# ---- the GIL -----------------------------------------------------------------------------------------

def ticks_during(call: Callable[[], object]) -> int:
    """How often another thread ran during `call` with a switch interval longer than the call:
    only code that releases the GIL lets it in."""
    ticks = 0
    stop = threading.Event()
    started = threading.Event()

    def count() -> None:
        nonlocal ticks
        started.set()
        while not stop.is_set():
            ticks += 1
            time.sleep(0.0002)

    old = sys.getswitchinterval()
    thread = threading.Thread(target=count)
    thread.start()
    started.wait()
    sys.setswitchinterval(5.0)
    try:
        before = ticks
        call()
        during = ticks - before
    finally:
        sys.setswitchinterval(old)
        stop.set()
        thread.join()
    return during


def test_gil_released_for_rsa_and_kept_for_hmac(rsa_jwk: Dict[str, Any]) -> None:
    rsa_token = payseal.sign_jwt(rsa_jwk, {"sub": "r"}, alg="RS256")
    rsa_verifier = payseal.JwtVerifier({"keys": [public(rsa_jwk)]}, ["RS256"])
    hs_verifier = payseal.JwtVerifier({"keys": [HS_JWK]}, ["HS256"])
    token = hs_token()

    def loop(verify: Callable[[], object], seconds: float) -> Callable[[], None]:
        def run() -> None:
            end = time.perf_counter() + seconds
            while time.perf_counter() < end:
                verify()
        return run

    assert ticks_during(loop(lambda: rsa_verifier.verify(rsa_token), 0.3)) >= 5
    assert ticks_during(loop(lambda: hs_verifier.verify(token, now=NOW), 0.3)) <= 1


def test_verifiers_are_safe_across_threads(rsa_jwk: Dict[str, Any]) -> None:
    verifier = payseal.JwtVerifier({"keys": [public(rsa_jwk), HS_JWK]}, ["RS256", "HS256"])
    tokens = [payseal.sign_jwt(rsa_jwk, {"i": i}, alg="RS256") for i in range(4)] + \
             [payseal.sign_jwt(HS_JWK, {"i": i}) for i in range(4)]
    failures: List[BaseException] = []

    def work() -> None:
        try:
            for _ in range(25):
                for i, t in enumerate(tokens):
                    assert verifier.verify(t)["i"] == i % 4
        except BaseException as e:  # reported below
            failures.append(e)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures
