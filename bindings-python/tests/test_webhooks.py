"""WebhookVerifier, verify_webhook and the batch API: every scheme's happy path signed here with
the standard library, every header shape, every error class. The vectors (test_vectors.py) pin
the full behaviour; these pin the binding's surface."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Tuple

import pytest

import payseal

BODY = b'{"id":"evt_1","type":"payment.completed","amount":12.5,"note":"caf\xc3\xa9"}'
NOW = 1_781_699_400
SECRET = "whsec_b2520aca95c87126659f6633775e4753"


def hex_mac(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def eupay_headers(secret: str = SECRET, body: bytes = BODY) -> Dict[str, str]:
    return {"X-EuPay-Signature": "sha256=" + hex_mac(secret.encode(), body)}


def stripe_headers(secret: str, body: bytes, t: int) -> Dict[str, str]:
    return {"Stripe-Signature": f"t={t},v1={hex_mac(secret.encode(), f'{t}.'.encode() + body)}"}


STANDARD_KEY = base64.b64encode(b"standard-webhooks-key-0123456789").decode()


def standard_headers(body: bytes, t: int, prefix: str = "webhook") -> Dict[str, str]:
    key = base64.b64decode(STANDARD_KEY)
    sig = base64.b64encode(hmac.new(key, f"msg_1.{t}.".encode() + body, hashlib.sha256).digest()).decode()
    return {f"{prefix}-id": "msg_1", f"{prefix}-timestamp": str(t), f"{prefix}-signature": f"v1,{sig}"}


# ---- happy paths, one per MAC scheme ------------------------------------------------------------

def signed(scheme: str) -> Tuple[Any, Dict[str, str]]:
    """(secrets, headers) for BODY under `scheme`, signed at NOW."""
    if scheme == "eupay":
        return SECRET, eupay_headers()
    if scheme == "github":
        return "gh", {"X-Hub-Signature-256": "sha256=" + hex_mac(b"gh", BODY)}
    if scheme == "stripe":
        return SECRET, stripe_headers(SECRET, BODY, NOW)
    if scheme == "standard":
        return "whsec_" + STANDARD_KEY, standard_headers(BODY, NOW)
    if scheme == "shopify":
        return "shp", {"X-Shopify-Hmac-Sha256": base64.b64encode(hmac.new(b"shp", BODY, hashlib.sha256).digest()).decode()}
    if scheme == "checkout":
        return "cko", {"Cko-Signature": hex_mac(b"cko", BODY)}
    raise AssertionError(scheme)


MAC_SCHEMES = ["eupay", "github", "stripe", "standard", "shopify", "checkout"]


@pytest.mark.parametrize("scheme", MAC_SCHEMES)
def test_each_scheme_verifies_and_rejects_a_changed_body(scheme: str) -> None:
    secrets, headers = signed(scheme)
    verifier = payseal.WebhookVerifier(scheme, secrets)  # type: ignore[arg-type]
    assert verifier.scheme == scheme and len(verifier) == 1
    verifier.verify(headers, BODY, now=NOW)
    assert verifier.open(headers, BODY, now=NOW) == BODY
    with pytest.raises(payseal.BadSignatureError) as info:
        verifier.verify(headers, BODY + b" ", now=NOW)
    assert info.value.code == "bad_signature" and not isinstance(info.value, payseal.MismatchError)
    payseal.verify_webhook(scheme, secrets, headers, BODY, now=NOW)


def test_schemes_are_listed() -> None:
    assert set(MAC_SCHEMES) < set(payseal.WEBHOOK_SCHEMES)
    assert {"adyen_item", "spreedly", "oppwa", "oppwa_base64"} < set(payseal.WEBHOOK_SCHEMES)


def test_rotation_accepts_either_secret() -> None:
    verifier = payseal.WebhookVerifier("eupay", ["whsec_new", SECRET])
    assert len(verifier) == 2
    verifier.verify(eupay_headers(SECRET), BODY)
    verifier.verify(eupay_headers("whsec_new"), BODY)
    with pytest.raises(payseal.BadSignatureError):
        verifier.verify(eupay_headers("whsec_other"), BODY)


def test_secret_and_body_input_types() -> None:
    headers = eupay_headers()
    for secret in (SECRET, SECRET.encode(), bytearray(SECRET.encode()), memoryview(SECRET.encode())):
        verifier = payseal.WebhookVerifier("eupay", secret)
        for body in (BODY, bytearray(BODY), memoryview(BODY), BODY.decode()):
            verifier.verify(headers, body)
    payseal.WebhookVerifier("eupay", (SECRET.encode(), "other"))


# ---- header shapes ------------------------------------------------------------------------------

class ItemsOnly:
    """A header object like Starlette's or Werkzeug's: .items() yields every pair."""

    def __init__(self, pairs: List[Tuple[str, str]]) -> None:
        self.pairs = pairs

    def items(self) -> List[Tuple[str, str]]:
        return self.pairs


class ReadOnlyMapping(Mapping[str, str]):
    def __init__(self, data: Dict[str, str]) -> None:
        self.data = data

    def __getitem__(self, key: str) -> str:
        return self.data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)


def test_header_shapes_and_case_insensitive_names() -> None:
    ((name, value),) = eupay_headers().items()
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    shapes: List[Any] = [
        {name: value},
        {name.lower(): value},
        {name.upper(): value, "Content-Type": "application/json"},
        [(name, value), ("Content-Type", "application/json")],
        [[name, value]],
        ((name.encode(), value.encode()),),  # ASGI scope["headers"]
        [(bytearray(name.encode()), memoryview(value.encode()))],
        ItemsOnly([(name.lower(), value)]),
        ReadOnlyMapping({name: value}),
        iter([(name, value)]),
        # shapes that leave the in-place fast path for the general one midway
        {name.encode(): value.encode()},
        {"Content-Type": "application/json", name: bytearray(value.encode())},
        [(name, value), ["Content-Type", "application/json"]],
        ((name, memoryview(value.encode())),),
    ]
    for headers in shapes:
        verifier.verify(headers, BODY)


@pytest.mark.parametrize("bad", ["X-EuPay-Signature", b"headers", 42, [("only-a-name",)], [1, 2], None])
def test_bad_header_shapes_are_type_errors(bad: Any) -> None:
    with pytest.raises(TypeError, match="headers must be"):
        payseal.WebhookVerifier("eupay", SECRET).verify(bad, BODY)


def test_repeated_signature_header_is_malformed() -> None:
    ((name, value),) = eupay_headers().items()
    with pytest.raises(payseal.MalformedHeaderError) as info:
        payseal.WebhookVerifier("eupay", SECRET).verify([(name, value), (name.lower(), value)], BODY)
    assert info.value.header == "X-EuPay-Signature"
    many = [(name, value)] * 9  # more than the binding keeps on the stack
    for headers in (many, [(name.encode(), value.encode())] * 9):
        with pytest.raises(payseal.MalformedHeaderError):
            payseal.WebhookVerifier("eupay", SECRET).verify(headers, BODY)


def test_open_returns_the_body_for_mac_schemes() -> None:
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    assert verifier.open(eupay_headers(), BODY) == BODY
    assert verifier.open(eupay_headers(), bytearray(BODY)) == BODY
    with pytest.raises(payseal.BadSignatureError):
        verifier.open(eupay_headers(), BODY + b" ")


@pytest.mark.parametrize("size", [64 * 1024 - 1, 64 * 1024, 300 * 1024])
def test_large_bodies_verified_without_the_gil(size: int) -> None:
    body = (b'{"pad":"' + b"x" * size)[:size - 2] + b'"}'
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    headers = eupay_headers(body=body)
    for data in (body, bytearray(body), memoryview(body), body.decode()):
        verifier.verify(headers, data)
    for headers_shape in ([(k, v) for k, v in headers.items()], {k: v.encode() for k, v in headers.items()}):
        verifier.verify(headers_shape, body)
    with pytest.raises(payseal.BadSignatureError):
        verifier.verify(headers, body[:-3] + b'y"}')


# ---- every error --------------------------------------------------------------------------------

def test_missing_and_malformed_headers() -> None:
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    with pytest.raises(payseal.MissingHeaderError) as missing:
        verifier.verify({}, BODY)
    assert missing.value.code == "missing_header" and isinstance(missing.value, payseal.MalformedError)
    for value in ("sha1=00", "sha256=zz", "", "c925f4c2"):
        with pytest.raises(payseal.MalformedHeaderError) as info:
            verifier.verify({"X-EuPay-Signature": value}, BODY)
        assert info.value.code == "malformed_header"
    with pytest.raises(payseal.BadSignatureError):  # a digest of the wrong length
        verifier.verify({"X-EuPay-Signature": "sha256=00"}, BODY)


def test_timestamps_too_old_and_too_new() -> None:
    secrets, headers = signed("stripe")
    verifier = payseal.WebhookVerifier("stripe", secrets)
    verifier.verify(headers, BODY, now=NOW + 300)
    verifier.verify(headers, BODY, now=NOW + 300.9)  # floats are Unix seconds, floored
    with pytest.raises(payseal.TimestampTooOldError) as old:
        verifier.verify(headers, BODY, now=NOW + 301)
    assert old.value.code == "timestamp_too_old" and isinstance(old.value, payseal.TimestampError)
    with pytest.raises(payseal.TimestampTooNewError):
        verifier.verify(headers, BODY, now=NOW - 301)
    verifier.verify(headers, BODY, now=NOW + 3600, tolerance=3600)
    with pytest.raises(payseal.TimestampTooOldError):  # the default `now` is the clock, years later
        verifier.verify(headers, BODY)
    with pytest.raises(payseal.TimestampTooOldError):
        verifier.verify(headers, BODY, now=NOW + 1, tolerance=0)


def test_now_and_tolerance_arguments() -> None:
    secrets, headers = signed("standard")
    verifier = payseal.WebhookVerifier("standard", secrets)
    with pytest.raises(OverflowError):
        verifier.verify(headers, BODY, now=NOW, tolerance=-1)
    with pytest.raises(TypeError):
        verifier.verify(headers, BODY, now="now")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        verifier.verify(headers, BODY, now=float("nan"))
    with pytest.raises(TypeError):
        verifier.verify(headers, BODY, NOW)  # type: ignore[misc]


def test_standard_webhooks_legacy_svix_headers() -> None:
    verifier = payseal.WebhookVerifier("standard", STANDARD_KEY)  # whsec_ prefix optional
    verifier.verify(standard_headers(BODY, NOW, prefix="svix"), BODY, now=NOW)


def test_too_many_signatures_is_a_malformed_header() -> None:
    secrets, headers = signed("stripe")
    value = headers["Stripe-Signature"] + "".join(f",v1={'0' * 64}" for _ in range(8))
    with pytest.raises(payseal.MalformedHeaderError) as info:
        payseal.WebhookVerifier("stripe", secrets).verify({"Stripe-Signature": value}, BODY, now=NOW)
    assert info.value.code == "too_many_signatures"


def test_oversized_header_is_too_large() -> None:
    with pytest.raises(payseal.TooLargeError) as info:
        payseal.WebhookVerifier("checkout", "cko").verify({"Cko-Signature": "0" * 9000}, BODY)
    assert info.value.code == "too_large" and isinstance(info.value, payseal.MalformedError)


def test_malformed_body() -> None:
    with pytest.raises(payseal.MalformedBodyError) as info:
        payseal.WebhookVerifier("adyen_item", "00ff").verify({}, b"not json")
    assert info.value.code == "malformed_body"


@pytest.mark.parametrize(
    "scheme, secrets, code",
    [
        ("eupay", [], "no_secret"),
        ("eupay", ["a", "b", "c", "d", "e"], "too_many_secrets"),
        ("eupay", "", "empty_secret"),
        ("eupay", ["ok", b""], "empty_secret"),
        ("standard", "whsec_!!", "malformed_secret"),
        ("adyen_item", "abc", "malformed_secret"),
        ("oppwa", "00" * 16, "malformed_secret"),
    ],
)
def test_unusable_secrets_are_invalid_key(scheme: str, secrets: Any, code: str) -> None:
    with pytest.raises(payseal.InvalidKeyError) as info:
        payseal.WebhookVerifier(scheme, secrets)  # type: ignore[arg-type]
    assert info.value.code == code and isinstance(info.value, payseal.InvalidInputError)
    assert "!!" not in str(info.value) and "abc" not in str(info.value)


def test_argument_errors_and_redaction() -> None:
    with pytest.raises(ValueError, match="unknown webhook scheme"):
        payseal.WebhookVerifier("paypal", "x")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        payseal.WebhookVerifier("eupay", 42)  # type: ignore[arg-type]
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    assert SECRET not in repr(verifier) and repr(verifier) == "WebhookVerifier('eupay', <1 secret(s)>)"


# ---- OPPWA (encrypted), from the shared vectors: the standard library has no AES-GCM ------------

def oppwa_vector(vectors: Path) -> Dict[str, Any]:
    for line in (vectors / "webhooks_more.jsonl").read_text(encoding="utf-8").splitlines():
        case: Dict[str, Any] = json.loads(line)
        if case["scheme"] == "oppwa" and case["expect"] == "ok":
            return case
    pytest.fail("webhooks_more.jsonl has no oppwa ok vector")


def test_oppwa_open_returns_the_plaintext(vectors: Path) -> None:
    case = oppwa_vector(vectors)
    verifier = payseal.WebhookVerifier("oppwa", [base64.b64decode(s) for s in case["secrets_b64"]])
    body = base64.b64decode(case["body_b64"])
    assert verifier.open(case["headers"], body) == base64.b64decode(case["plaintext_b64"])
    verifier.verify(case["headers"], body)
    tampered = body[:-2] + (b"00" if body[-2:] != b"00" else b"11")
    with pytest.raises(payseal.BadSignatureError):
        verifier.open(case["headers"], tampered)
    with pytest.raises(payseal.MalformedBodyError):
        verifier.open(case["headers"], b"zz" + body)


# ---- batches ------------------------------------------------------------------------------------

def test_verify_batch_returns_an_outcome_per_delivery() -> None:
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    good = (eupay_headers(), BODY)
    deliveries: List[Tuple[Any, Any]] = [good, ({}, BODY), (eupay_headers(), BODY + b"x"), (eupay_headers(), bytearray(BODY))]
    outcomes = verifier.verify_batch(deliveries * 10)
    assert len(outcomes) == 40
    for i in range(0, 40, 4):
        assert outcomes[i] is None and outcomes[i + 3] is None
        assert type(outcomes[i + 1]) is payseal.MissingHeaderError
        assert type(outcomes[i + 2]) is payseal.BadSignatureError
    assert verifier.verify_batch([]) == []
    assert verifier.verify_batch([good] * 64, threads=1) == [None] * 64


def test_verify_webhook_batch_mixes_providers() -> None:
    items: List[Tuple[payseal.WebhookVerifier, Any, Any]] = []
    for scheme in MAC_SCHEMES:
        secrets, headers = signed(scheme)
        verifier = payseal.WebhookVerifier(scheme, secrets)  # type: ignore[arg-type]
        items += [(verifier, headers, BODY), (verifier, headers, BODY + b"!")]
    outcomes = payseal.verify_webhook_batch(items * 4, now=NOW, tolerance=60)
    assert [type(o) for o in outcomes] == [type(None), payseal.BadSignatureError] * len(MAC_SCHEMES) * 4
    stale = payseal.verify_webhook_batch(items[4:6], now=NOW + 61, tolerance=60)  # stripe
    assert [type(o) for o in stale] == [payseal.TimestampTooOldError] * 2  # checked before the MAC


def test_batch_argument_errors() -> None:
    verifier = payseal.WebhookVerifier("eupay", SECRET)
    with pytest.raises(TypeError, match="WebhookVerifier, headers, body"):
        payseal.verify_webhook_batch([(SECRET, {}, BODY)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="headers, body"):
        verifier.verify_batch([BODY])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="headers must be"):
        verifier.verify_batch([(42, BODY)])  # type: ignore[list-item]


def test_header_names_and_len_come_from_the_core() -> None:
    verifier = payseal.WebhookVerifier("github", ["new", "old"])
    assert verifier.header_names == ["X-Hub-Signature-256"]
    assert len(verifier) == 2
    assert payseal.WebhookVerifier("adyen_item", "00ff").header_names == []
