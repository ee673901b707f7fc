# stripe-python's webhook helpers carry no annotations.
# mypy: disable-error-code="no-untyped-call"
"""payseal beside the usual Python ways of doing the same work, in one process.

    python bench/compare.py [--quick] [--fixtures DIR] [--case NAME ...]

Prints one JSON line per measurement on stdout, for the cross-language harness:

    {"lang": "python", "case": "webhook_verify_1k", "impl": "payseal", "ns_per_op": 812.4, "cpu_ns_per_op": 809.0}

(notes, and implementations skipped because their package is missing, go to stderr). Each
measurement warms up, calibrates the loop count with ``timeit``, and reports the median of
several repeats divided by the loop count, in wall-clock and in process CPU time. ``--quick`` uses fewer and shorter repeats (a smoke
run of a few seconds); the default takes about a minute.

Cases and implementations (inputs from ``$PAYSEAL_FIXTURES``, default ``../shared/fixtures``):

* ``webhook_verify_1k``: ``X-EuPay-Signature: sha256=<hex>`` over ``eupay-webhook-1k.json``.
  ``payseal`` (a ``WebhookVerifier`` built once, headers as a dict), ``payseal_once``
  (``verify_webhook``, keys made per call) against ``hmac_stdlib``:
  the header's prefix checked, ``hmac.new(...).hexdigest()`` and ``hmac.compare_digest``.
* ``stripe_verify_1k``: a Stripe-signed delivery of the same body. ``payseal``, ``hmac_stdlib``,
  and, when ``stripe`` is installed, ``stripe_verify_header``
  (``stripe.WebhookSignature.verify_header``) and ``stripe_construct_event``
  (``stripe.Webhook.construct_event``, which also builds the event object).
* ``standard_verify_1k``: a Standard Webhooks delivery. ``payseal``, ``hmac_stdlib`` and, when
  installed, ``standardwebhooks`` (``Webhook(secret).verify(body, headers)``, which also parses
  the JSON; ``json_parse=False`` is measured as ``standardwebhooks_no_parse``).
* ``verify_paylands``: ``paylands-notification.json`` with its signature. ``payseal`` (a
  ``PaylandsVerifier``, default flags) against ``json_hashlib``: ``json.loads``, the members
  re-encoded as PHP's ``json_encode`` would (``json.dumps`` with ``ensure_ascii=True`` and ``/``
  escaped), ``hashlib.sha256`` and ``hmac.compare_digest``. That port is right for this fixture
  (checked before timing) and wrong in general: floats print differently (``1.0e+25`` in PHP,
  ``1e+25`` in Python), ``{}`` is ``[]`` in PHP and objects keyed ``"0".."n-1"`` become lists,
  integers beyond int64 become floats, and duplicate keys are silently collapsed.
* ``sign_qr``: ``eupay-qr-payload.json`` with its secret. ``payseal`` (a ``QrSigner``) against
  ``json_hmac_base64``: ``json.dumps(json.loads(p), separators=(",", ":"), ensure_ascii=False)``,
  ``hmac`` and ``base64.urlsafe_b64encode``. That port is right for this fixture and wrong in
  general where ``json.dumps`` differs from ``JSON.stringify``: ``1.0`` (JS ``1``), ``1e21``
  (JS ``1e+21``), integer-like keys (JS orders them first), lone surrogates.
* ``verify_qr``: the URL ``sign_qr`` produces. ``payseal`` (a ``QrVerifier``) against
  ``json_hmac_base64`` (decode, ``json.loads``, re-serialise, HMAC, compare; same caveats).
* ``jwt_verify_hs256``, ``jwt_verify_rs256``, ``jwt_verify_es256``: a ~400-byte JWT (the claims
  of ``benches/benches/jose.rs``, ``exp`` ten years ahead) verified with claims (``aud``,
  ``iss``, ``exp``, ``nbf``) at the clock's time, the claims returned as a dict. ``payseal`` (a
  ``JwtVerifier`` over a ``JwkSet`` of the one key) against ``pyjwt`` (``jwt.decode`` with the
  key already loaded: the secret bytes, or ``cryptography``'s public key object) when PyJWT is
  installed. RSA-2048 and P-256 keys are generated per run.
* ``stripe_sign_1k``: a Stripe signature header for the same body at a fixed time.
  ``payseal`` (a ``WebhookSigner`` built once: the headers dict and the body to send),
  ``payseal_oneshot`` (``sign_webhook``, secrets parsed per call), ``hmac_stdlib``
  (``hmac.new(...).hexdigest()`` and an f-string header) and, when ``stripe`` is installed,
  ``stripe_compute_signature`` (``stripe.WebhookSignature._compute_signature``, which stripe's
  own tests sign with, and the same header formatting).
* ``standard_sign_1k``: Standard Webhooks headers for a given id and time. ``payseal``,
  ``payseal_oneshot``, ``hmac_stdlib`` (key decoded once, ``hmac``, ``base64``) and, when
  installed, ``standardwebhooks`` (``Webhook(secret).sign(id, timestamp, body)``, the
  ``Webhook`` and the ``datetime`` built once).
* ``jcs_3k5``: RFC 8785 (JCS) of ``notification-3k5.json``, text in, canonical bytes out.
  ``payseal`` (``canonicalize(doc, "jcs")``) against ``rfc8785`` (``rfc8785.dumps(json.loads(doc))``,
  integers beyond 2^53 parsed as floats, since ``rfc8785`` refuses them and JCS reads every number
  as a double) when installed; both must give the same bytes.
* ``bcrypt_verify_cost10``: ``payseal`` against ``pyca_bcrypt`` (``bcrypt.checkpw``) when
  installed.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List, Optional, Sequence, Tuple

import payseal

HERE = Path(__file__).resolve().parent
DEFAULT_FIXTURES = HERE.parents[2] / "shared" / "fixtures"

Bench = Tuple[str, str, Callable[[], object]]  # (case, impl, call)


def note(message: str) -> None:
    print(f"compare.py: {message}", file=sys.stderr)


# ---- timing ------------------------------------------------------------------------------------

def measure(call: Callable[[], object], quick: bool, slow: bool = False) -> Tuple[float, float]:
    """Median nanoseconds per call, wall-clock and process CPU time (which a neighbour's load on
    a shared machine disturbs less): warm-up, loop count calibrated to a target time per repeat."""
    for _ in range(1 if slow else 3):
        call()
    timer = timeit.Timer(call)
    target = 0.01 if quick else 0.2
    number = 1
    while True:
        took = timer.timeit(number)
        if took >= target or slow:
            break
        number *= 2 if took > target / 10 else 10
    repeats = (3 if slow else 5) if quick else (5 if slow else 21)
    wall, cpu = [], []
    for _ in range(repeats):
        c0 = time.process_time()
        wall.append(timer.timeit(number))
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) / number * 1e9, statistics.median(cpu) / number * 1e9


# ---- pure-Python ports ---------------------------------------------------------------------------

def php_json_encode(value: Any) -> bytes:
    """PHP ``json_encode`` with default flags, as far as ``json.dumps`` can (see the module notes)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode()


def paylands_python(body: bytes, signature: bytes) -> None:
    doc = json.loads(body)
    data = {"order": doc["order"], "client": doc.get("client")}
    if "extra_data" in doc:
        data["extra_data"] = doc["extra_data"]
    computed = hashlib.sha256(php_json_encode(data) + signature).hexdigest()
    if not hmac.compare_digest(computed, str(doc["validation_hash"]).lower()):
        raise ValueError("mismatch")


def js_stringify(payload: bytes) -> bytes:
    """``JSON.stringify(JSON.parse(payload))`` as far as ``json.dumps`` can (see the module notes)."""
    return json.dumps(json.loads(payload), separators=(",", ":"), ensure_ascii=False).encode()


def qr_sign_python(payload: bytes, secret: bytes) -> str:
    canonical = js_stringify(payload)
    sig = hmac.new(secret, canonical, hashlib.sha256).hexdigest()
    envelope = b'{"payload":' + canonical + b',"sig":"' + sig.encode() + b'"}'
    return payseal.QR_URL_PREFIX + base64.urlsafe_b64encode(envelope).rstrip(b"=").decode()


def qr_verify_python(url: str, secret: bytes) -> Dict[str, Any]:
    data = url.split("?data=", 1)[1]
    envelope = json.loads(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    canonical = json.dumps(envelope["payload"], separators=(",", ":"), ensure_ascii=False).encode()
    sig = hmac.new(secret, canonical, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig, envelope["sig"]):
        raise ValueError("bad signature")
    payload: Dict[str, Any] = envelope["payload"]
    return payload


# ---- cases ---------------------------------------------------------------------------------------

def webhook_cases(fixtures: Path) -> Iterator[Bench]:
    body = (fixtures / "eupay-webhook-1k.json").read_bytes()
    secret = "whsec_b2520aca95c87126659f6633775e4753"
    key = secret.encode()
    header = "sha256=" + hmac.new(key, body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "X-EuPay-Signature": header}
    verifier = payseal.WebhookVerifier("eupay", secret)

    def stdlib() -> None:
        value = headers["X-EuPay-Signature"]
        if not value.startswith("sha256="):
            raise ValueError("malformed header")
        if not hmac.compare_digest(hmac.new(key, body, hashlib.sha256).hexdigest(), value[7:].lower()):
            raise ValueError("bad signature")

    stdlib()
    yield "webhook_verify_1k", "payseal", lambda: verifier.verify(headers, body)
    # The one-shot form (keys made per call), as a handler without a module-level verifier writes it.
    yield "webhook_verify_1k", "payseal_once", lambda: payseal.verify_webhook("eupay", secret, headers, body)
    yield "webhook_verify_1k", "hmac_stdlib", stdlib

    # Stripe: signed now, so that the libraries' own clocks accept it.
    t = int(time.time())
    v1 = hmac.new(key, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    stripe_header = f"t={t},v1={v1}"
    stripe_headers = {"Content-Type": "application/json", "Stripe-Signature": stripe_header}
    stripe_verifier = payseal.WebhookVerifier("stripe", secret)

    def stripe_stdlib() -> None:
        parts = dict(item.split("=", 1) for item in stripe_headers["Stripe-Signature"].split(","))
        ts = int(parts["t"])
        if abs(time.time() - ts) > 300:
            raise ValueError("timestamp")
        expected = hmac.new(key, f"{ts}.".encode() + body, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected, parts["v1"]):
            raise ValueError("bad signature")

    stripe_stdlib()
    yield "stripe_verify_1k", "payseal", lambda: stripe_verifier.verify(stripe_headers, body)
    yield "stripe_verify_1k", "hmac_stdlib", stripe_stdlib
    try:
        import stripe  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        note("stripe not installed: stripe_verify_header and stripe_construct_event skipped")
    else:
        text = body.decode()
        stripe.WebhookSignature.verify_header(text, stripe_header, secret, 300)
        yield ("stripe_verify_1k", "stripe_verify_header",
               lambda: stripe.WebhookSignature.verify_header(text, stripe_header, secret, 300))
        yield ("stripe_verify_1k", "stripe_construct_event",
               lambda: stripe.Webhook.construct_event(body, stripe_header, secret))

    # Standard Webhooks.
    raw_key = b"standard-webhooks-key-0123456789"
    standard_secret = "whsec_" + base64.b64encode(raw_key).decode()
    signed = f"msg_2Lh9.{t}.".encode() + body
    standard_sig = "v1," + base64.b64encode(hmac.new(raw_key, signed, hashlib.sha256).digest()).decode()
    standard_headers = {"webhook-id": "msg_2Lh9", "webhook-timestamp": str(t), "webhook-signature": standard_sig}
    standard_verifier = payseal.WebhookVerifier("standard", standard_secret)

    def standard_stdlib() -> None:
        h = {k.lower(): v for k, v in standard_headers.items()}
        ts = int(h["webhook-timestamp"])
        if abs(time.time() - ts) > 300:
            raise ValueError("timestamp")
        mac = hmac.new(raw_key, f"{h['webhook-id']}.{ts}.".encode() + body, hashlib.sha256).digest()
        expected = base64.b64encode(mac).decode()
        if not any(hmac.compare_digest(expected, s[3:]) for s in h["webhook-signature"].split() if s.startswith("v1,")):
            raise ValueError("bad signature")

    standard_stdlib()
    yield "standard_verify_1k", "payseal", lambda: standard_verifier.verify(standard_headers, body)
    yield "standard_verify_1k", "hmac_stdlib", standard_stdlib
    try:
        from standardwebhooks.webhooks import Webhook  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        note("standardwebhooks not installed: skipped")
    else:
        wh = Webhook(standard_secret)
        wh.verify(body, standard_headers)
        yield "standard_verify_1k", "standardwebhooks", lambda: wh.verify(body, standard_headers)
        yield "standard_verify_1k", "standardwebhooks_no_parse", lambda: wh.verify(body, standard_headers, json_parse=False)


def sign_cases(fixtures: Path) -> Iterator[Bench]:
    body = (fixtures / "eupay-webhook-1k.json").read_bytes()
    text = body.decode()
    secret = "whsec_b2520aca95c87126659f6633775e4753"
    key = secret.encode()
    t = 1_781_699_238

    signer = payseal.WebhookSigner("stripe", secret)

    def stripe_stdlib() -> Dict[str, str]:
        mac = hmac.new(key, f"{t}.".encode() + body, hashlib.sha256).hexdigest()
        return {"Stripe-Signature": f"t={t},v1={mac}"}

    want = stripe_stdlib()
    if signer.sign(body, now=t).headers != want:
        raise SystemExit("stripe_sign_1k: payseal and hmac disagree")
    yield "stripe_sign_1k", "payseal", lambda: signer.sign(body, now=t)
    yield "stripe_sign_1k", "payseal_oneshot", lambda: payseal.sign_webhook("stripe", secret, body, now=t)
    yield "stripe_sign_1k", "hmac_stdlib", stripe_stdlib
    try:
        import stripe
    except ImportError:
        note("stripe not installed: stripe_compute_signature skipped")
    else:
        compute = stripe.WebhookSignature._compute_signature

        def stripe_helper() -> str:
            return f"t={t},v1={compute(f'{t}.{text}', secret)}"

        if stripe_helper() != want["Stripe-Signature"]:
            raise SystemExit("stripe_sign_1k: stripe-python and payseal disagree")
        yield "stripe_sign_1k", "stripe_compute_signature", stripe_helper

    raw_key = b"standard-webhooks-key-0123456789"
    standard_secret = "whsec_" + base64.b64encode(raw_key).decode()
    msg_id = "msg_2Lh9"
    standard = payseal.WebhookSigner("standard", standard_secret)

    def standard_stdlib() -> Dict[str, str]:
        mac = hmac.new(raw_key, f"{msg_id}.{t}.".encode() + body, hashlib.sha256).digest()
        return {"webhook-id": msg_id, "webhook-timestamp": str(t),
                "webhook-signature": "v1," + base64.b64encode(mac).decode()}

    want = standard_stdlib()
    if standard.sign(body, now=t, id=msg_id).headers != want:
        raise SystemExit("standard_sign_1k: payseal and hmac disagree")
    yield "standard_sign_1k", "payseal", lambda: standard.sign(body, now=t, id=msg_id)
    yield ("standard_sign_1k", "payseal_oneshot",
           lambda: payseal.sign_webhook("standard", standard_secret, body, now=t, id=msg_id))
    yield "standard_sign_1k", "hmac_stdlib", standard_stdlib
    try:
        from standardwebhooks.webhooks import Webhook
    except ImportError:
        note("standardwebhooks not installed: skipped")
    else:
        from datetime import datetime, timezone

        wh = Webhook(standard_secret)
        at = datetime.fromtimestamp(t, tz=timezone.utc)
        if wh.sign(msg_id, at, body) != want["webhook-signature"]:
            raise SystemExit("standard_sign_1k: standardwebhooks and payseal disagree")
        yield "standard_sign_1k", "standardwebhooks", lambda: wh.sign(msg_id, at, body)


def paylands_cases(fixtures: Path) -> Iterator[Bench]:
    body = (fixtures / "paylands-notification.json").read_bytes()
    signature = (fixtures / "paylands-notification.signature").read_bytes()
    verifier = payseal.PaylandsVerifier(signature)
    verifier.verify(body, flags="default")
    paylands_python(body, signature)  # the port is right for this fixture, or this raises
    yield "verify_paylands", "payseal", lambda: verifier.verify(body, flags="default")
    yield "verify_paylands", "json_hashlib", lambda: paylands_python(body, signature)


def qr_cases(fixtures: Path) -> Iterator[Bench]:
    payload = (fixtures / "eupay-qr-payload.json").read_bytes()
    secret = (fixtures / "eupay-qr-payload.secret").read_bytes().rstrip(b"\n")
    signer, verifier = payseal.QrSigner(secret), payseal.QrVerifier(secret)
    url = signer.sign(payload)
    if qr_sign_python(payload, secret) != url:
        note("sign_qr: the json.dumps port differs from payseal on this fixture (timed anyway)")
    qr_verify_python(url, secret)
    yield "sign_qr", "payseal", lambda: signer.sign(payload)
    yield "sign_qr", "json_hmac_base64", lambda: qr_sign_python(payload, secret)
    yield "verify_qr", "payseal", lambda: verifier.verify(url, now=0)
    yield "verify_qr", "json_hmac_base64", lambda: qr_verify_python(url, secret)


def jcs_safe_int(text: str) -> Any:
    """``json.loads``'s ``parse_int`` for RFC 8785: every JSON number is an IEEE double there
    (as ``JSON.parse`` makes it), and ``rfc8785`` refuses a Python int beyond 2^53 rather than
    round it, so such an integer is parsed as the float it denotes."""
    value = int(text)
    return value if -(2**53) < value < 2**53 else float(text)


def jcs_cases(fixtures: Path) -> Iterator[Bench]:
    doc = (fixtures / "notification-3k5.json").read_bytes()
    want = payseal.canonicalize(doc, "jcs")
    yield "jcs_3k5", "payseal", lambda: payseal.canonicalize(doc, "jcs")
    try:
        import rfc8785  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        note("rfc8785 not installed: skipped")
    else:
        def peer() -> bytes:
            out: bytes = rfc8785.dumps(json.loads(doc, parse_int=jcs_safe_int))
            return out

        if peer() != want:
            raise SystemExit("jcs_3k5: rfc8785 and payseal disagree on the fixture")
        yield "jcs_3k5", "rfc8785", peer


def bcrypt_cases(_fixtures: Path) -> Iterator[Bench]:
    secret = b"sk_live_4eC39HqLyjWDarjtT1zdp7dc"
    stored = payseal.hash_bcrypt(secret, cost=10)
    yield "bcrypt_verify_cost10", "payseal", lambda: payseal.verify_bcrypt(secret, stored)
    try:
        import bcrypt  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        note("bcrypt (pyca) not installed: skipped")
    else:
        encoded = stored.encode()
        if not bcrypt.checkpw(secret, encoded):
            raise SystemExit("pyca bcrypt disagrees with payseal's hash")
        yield "bcrypt_verify_cost10", "pyca_bcrypt", lambda: bcrypt.checkpw(secret, encoded)


JWT_CLAIMS: Dict[str, Any] = {
    "sub": "charge_79n1d4x-", "iat": 1781739433, "exp": 0, "nbf": 1781739400,
    "iss": "https://auth.example.test/realms/sandbox", "aud": ["account", "merchant-api"],
    "session": {"r": "charge_bfnx46jl", "amount": 12.5, "currency": "EUR"}, "jti": "8f14e45f-ceea-467f-a1b2",
}
JWT_AUDIENCE, JWT_ISSUER = "merchant-api", "https://auth.example.test/realms/sandbox"


def jwt_cases(_fixtures: Path) -> Iterator[Bench]:
    claims = {**JWT_CLAIMS, "exp": int(time.time()) + 10 * 365 * 86400}
    secret = b"ppro-redirection-secret".ljust(32, b"!")
    jwks: Dict[str, Dict[str, Any]] = {"HS256": {"kty": "oct", "kid": "ppro-1", "k": payseal.base64url_encode(secret)}}
    pyjwt_keys: Dict[str, Any] = {"HS256": secret}
    try:
        import jwt  # type: ignore[import-not-found, unused-ignore]
        from cryptography.hazmat.primitives.asymmetric import ec, rsa
        from jwt.algorithms import ECAlgorithm, RSAAlgorithm  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        note("PyJWT (pyjwt[crypto]) not installed: pyjwt skipped, RS256/ES256 too")
        have_pyjwt = False
    else:
        have_pyjwt = True
        rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        ec_key = ec.generate_private_key(ec.SECP256R1())
        for alg, jwk_text, public_key in (("RS256", RSAAlgorithm.to_jwk(rsa_key), rsa_key.public_key()),
                                          ("ES256", ECAlgorithm.to_jwk(ec_key), ec_key.public_key())):
            jwk = json.loads(jwk_text)
            jwk.pop("key_ops", None)
            jwks[alg] = {**jwk, "kid": f"{alg.lower()}-1"}
            pyjwt_keys[alg] = public_key
    for alg, jwk in jwks.items():
        case = f"jwt_verify_{alg.lower()}"
        token = payseal.sign_jwt(jwk, claims, alg=alg)  # type: ignore[arg-type]
        public = {k: v for k, v in jwk.items() if k not in ("d", "p", "q", "dp", "dq", "qi")}
        verifier = payseal.JwtVerifier(payseal.JwkSet({"keys": [public]}), [alg],  # type: ignore[list-item]
                                       audience=JWT_AUDIENCE, issuer=JWT_ISSUER)
        if verifier.verify(token) != claims:
            raise SystemExit(f"{case}: payseal returned other claims")

        def verify(v: payseal.JwtVerifier = verifier, t: str = token) -> Any:
            return v.verify(t)

        yield case, "payseal", verify
        if have_pyjwt:
            key = pyjwt_keys[alg]

            def decode(t: str = token, k: Any = key, a: str = alg) -> Any:
                return jwt.decode(t, k, algorithms=[a], audience=JWT_AUDIENCE, issuer=JWT_ISSUER)

            if decode() != claims:
                raise SystemExit(f"{case}: PyJWT returned other claims")
            yield case, "pyjwt", decode


SUITES: List[Callable[[Path], Iterator[Bench]]] = [webhook_cases, sign_cases, paylands_cases, qr_cases, jcs_cases, jwt_cases, bcrypt_cases]


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter repeats (a smoke run)")
    parser.add_argument("--fixtures", type=Path,
                        default=Path(os.environ.get("PAYSEAL_FIXTURES") or DEFAULT_FIXTURES))
    parser.add_argument("--case", action="append", default=[], help="only these cases (repeatable)")
    args = parser.parse_args(argv)
    if not args.fixtures.is_dir():
        parser.error(f"fixtures folder {args.fixtures} not found (set PAYSEAL_FIXTURES)")
    for suite in SUITES:
        for case, impl, call in suite(args.fixtures):
            if args.case and case not in args.case:
                continue
            ns, cpu_ns = measure(call, args.quick, slow=case.startswith("bcrypt"))
            print(json.dumps({"lang": "python", "case": case, "impl": impl, "ns_per_op": round(ns, 1),
                              "cpu_ns_per_op": round(cpu_ns, 1)}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
