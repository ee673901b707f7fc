"""Differential tests against PyJWT (over `cryptography`) on random tokens: for random claims and keys
across HS256, RS256, ES256 and EdDSA, a token signed by either library verifies in the other with
the same claims, and a tampered token is rejected by both."""

from __future__ import annotations

import base64
import json
import os
import random
import string
import time
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple, Type

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

import payseal

if TYPE_CHECKING:
    from payseal._native import JwsAlgorithm

ALGORITHMS: Tuple[JwsAlgorithm, ...] = ("HS256", "RS256", "ES256", "EdDSA")
CASES_PER_ALGORITHM = 75
B64URL = string.ascii_letters + string.digits + "-_"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Key:
    """One key in both libraries' forms: the private JWK payseal signs with, the public JWK its
    JwkSet holds, and the objects PyJWT signs and verifies with."""

    def __init__(self, alg: JwsAlgorithm, kid: str, rng: random.Random) -> None:
        self.alg, self.kid = alg, kid
        if alg == "HS256":
            secret = bytes(rng.randrange(256) for _ in range(rng.choice((32, 48, 64))))
            self.private_jwk: Dict[str, Any] = {"kty": "oct", "k": b64url(secret)}
            self.public_jwk = dict(self.private_jwk)
            self.signer: Any = secret
            self.verifier: Any = secret
            return
        if alg == "RS256":
            private: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            jwk = json.loads(RSAAlgorithm.to_jwk(private))
        elif alg == "ES256":
            private = ec.generate_private_key(ec.SECP256R1())
            jwk = json.loads(ECAlgorithm.to_jwk(private))
        else:
            private = ed25519.Ed25519PrivateKey.generate()
            jwk = json.loads(OKPAlgorithm.to_jwk(private))
        jwk.pop("key_ops", None)
        self.private_jwk = jwk
        self.public_jwk = {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        self.signer, self.verifier = private, private.public_key()


@pytest.fixture(scope="module")
def keys() -> Dict[str, List[Key]]:
    rng = random.Random(0x19)
    count: Dict[JwsAlgorithm, int] = {"HS256": 4, "RS256": 2, "ES256": 3, "EdDSA": 3}
    return {alg: [Key(alg, f"{alg.lower()}-{i}", rng) for i in range(n)] for alg, n in count.items()}


def random_text(rng: random.Random, n: int) -> str:
    alphabet = string.ascii_letters + string.digits + " _-./:@\"\\\n\té€😀"
    return "".join(rng.choice(alphabet) for _ in range(n))


def random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(7 if depth < 2 else 4)
    if kind == 0:
        return random_text(rng, rng.randrange(20))
    if kind == 1:
        return rng.randrange(-2**63, 2**63)
    if kind == 2:
        return rng.choice([True, False, None, 0.5, -1.25e-7, 3.0e21])
    if kind == 3:
        return rng.randrange(1000)
    if kind == 4:
        return [random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    return {random_text(rng, rng.randrange(1, 8)): random_value(rng, depth + 1) for _ in range(rng.randrange(4))}


def random_claims(rng: random.Random, now: int) -> Tuple[Dict[str, Any], Optional[str], Optional[str]]:
    """Claims with `exp` in the future, `iat`/`nbf` in the past, and maybe `aud` (a string or a
    list) and `iss`; returns the audience and issuer to require (None: not checked)."""
    claims: Dict[str, Any] = {"sub": f"charge_{rng.randrange(10**9)}", "iat": now - rng.randrange(600),
                              "exp": now + 60 + rng.randrange(3600)}
    if rng.random() < 0.3:
        claims["nbf"] = now - rng.randrange(1, 600)
    audience = issuer = None
    if rng.random() < 0.6:
        audience = rng.choice(["account", "merchant-api", "ppro"])
        claims["aud"] = audience if rng.random() < 0.5 else [rng.choice(["other", "x"]), audience]
    if rng.random() < 0.6:
        issuer = rng.choice(["https://idp.example/realms/pay", "ppro"])
        claims["iss"] = issuer
    for _ in range(rng.randrange(5)):
        claims["x-" + random_text(rng, rng.randrange(10))] = random_value(rng)
    return claims, audience, issuer


def tamper(rng: random.Random, token: str) -> str:
    """One character of one segment changed, never a segment's last one (whose unused bits PyJWT,
    unlike payseal, ignores): the decoded bytes differ."""
    segments = token.split(".")
    i = rng.randrange(3)
    segment = segments[i]
    j = rng.randrange(len(segment) - 1)
    segments[i] = segment[:j] + rng.choice([c for c in B64URL if c != segment[j]]) + segment[j + 1:]
    return ".".join(segments)


def key_set(rng: random.Random, keys: Dict[str, List[Key]], key: Key, with_kid: bool) -> payseal.JwkSet:
    """The key among others: the other algorithms' keys, and (when the token names its `kid`) the
    same algorithm's other keys too."""
    jwks = []
    for group in keys.values():
        for k in group:
            if k is key:
                jwks.append({**k.public_jwk, "kid": k.kid} if with_kid else k.public_jwk)
            elif with_kid or k.alg != key.alg:
                jwks.append({**k.public_jwk, "kid": k.kid})
    rng.shuffle(jwks)
    return payseal.JwkSet({"keys": jwks})


def pyjwt_decode(token: str, key: Key, audience: Optional[str], issuer: Optional[str]) -> Dict[str, Any]:
    claims: Dict[str, Any] = jwt.decode(token, key.verifier, algorithms=[key.alg], audience=audience, issuer=issuer)
    return claims


@pytest.mark.parametrize("alg", ALGORITHMS)
def test_tokens_agree_with_pyjwt(alg: JwsAlgorithm, keys: Dict[str, List[Key]]) -> None:
    rng = random.Random(f"pyjwt-{alg}-{os.environ.get('PAYSEAL_DIFF_SEED', '')}")
    now = int(time.time())
    for case in range(CASES_PER_ALGORITHM):
        key = rng.choice(keys[alg])
        claims, audience, issuer = random_claims(rng, now)
        with_kid = rng.random() < 0.5
        kid = key.kid if with_kid else None
        verifier = payseal.JwtVerifier(key_set(rng, keys, key, with_kid), [alg, "HS512"], audience=audience,
                                       issuer=issuer, leeway=5)
        where = f"case {case} ({alg}, kid={kid}, claims={claims!r})"

        by_pyjwt = jwt.encode(claims, key.signer, algorithm=alg, headers={"kid": kid} if kid else None)
        assert verifier.verify(by_pyjwt) == claims, where
        by_payseal = payseal.sign_jwt(key.private_jwk, claims, alg=alg, kid=kid)
        assert pyjwt_decode(by_payseal, key, audience, issuer) == claims, where
        assert verifier.verify(by_payseal) == claims, where

        for token in (by_pyjwt, by_payseal):
            bad = tamper(rng, token)
            with pytest.raises(payseal.PaysealError):
                verifier.verify(bad)
            with pytest.raises(jwt.InvalidTokenError):
                pyjwt_decode(bad, key, audience, issuer)


def test_claim_refusals_agree_with_pyjwt(keys: Dict[str, List[Key]]) -> None:
    """Expired, not yet valid, wrong audience, wrong issuer: refused by both, with matching kinds."""
    key = keys["HS256"][0]
    now = int(time.time())
    cases: List[Tuple[Dict[str, Any], Dict[str, Any], Type[Exception], Type[Exception]]] = [
        ({"exp": now - 10}, {}, payseal.ExpiredError, jwt.ExpiredSignatureError),
        ({"nbf": now + 600}, {}, payseal.NotYetValidError, jwt.ImmatureSignatureError),
        ({"aud": ["a", "b"]}, {"audience": "c"}, payseal.ClaimError, jwt.InvalidAudienceError),
        ({"iss": "evil"}, {"issuer": "good"}, payseal.ClaimError, jwt.InvalidIssuerError),
        ({"exp": "tomorrow"}, {}, payseal.MalformedError, jwt.DecodeError),
    ]
    for claims, kwargs, ours, theirs in cases:
        token = jwt.encode(claims, key.signer, algorithm="HS256")
        with pytest.raises(ours):
            payseal.verify_jwt({"keys": [key.public_jwk]}, token, algorithms=["HS256"], **kwargs)
        with pytest.raises(theirs):
            jwt.decode(token, key.verifier, algorithms=["HS256"], **kwargs)
