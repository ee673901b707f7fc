"""QrSigner, QrVerifier and the one-shot functions: the signature is checked against hmac and
base64 from the standard library; every error class and attribute."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from decimal import Decimal

import pytest

import payseal

SECRET = "clé-secrète-ü"
PAYLOAD = {
    "v": 1, "type": "gateway_qr_payment", "requestId": "PAY-1", "gateway_reference": "GW-9",
    "label": "Table 4", "merchant": {"id": "m-1", "name": "Café Noisette"}, "amount": 12.50,
    "currency": "EUR", "expiresAt": "2026-06-18T05:28:20.000Z",
}
EXPIRES = 1_781_760_500  # 2026-06-18T05:28:20Z
BEFORE = EXPIRES - 500


def reference_url(secret: str, canonical: bytes) -> str:
    """The documented construction, by hand."""
    sig = hmac.new(secret.encode(), canonical, hashlib.sha256).hexdigest()
    envelope = b'{"payload":' + canonical + b',"sig":"' + sig.encode() + b'"}'
    return payseal.QR_URL_PREFIX + base64.urlsafe_b64encode(envelope).decode().rstrip("=")


def test_sign_matches_the_documented_construction() -> None:
    text = '{ "amount": 12.50, "currency": "EUR", "note": "caf\\u00e9 / 1e2", "n": 1E2 }'
    canonical = '{"amount":12.5,"currency":"EUR","note":"café / 1e2","n":100}'.encode()
    signer = payseal.QrSigner(SECRET)
    assert signer.sign(text) == reference_url(SECRET, canonical)
    parts = signer.sign_parts(text.encode())
    assert parts.canonical.encode() == canonical
    assert parts.sig == hmac.new(SECRET.encode(), canonical, hashlib.sha256).hexdigest()
    assert parts.url == payseal.QR_URL_PREFIX + parts.envelope == signer.sign(bytearray(text.encode()))
    assert payseal.sign_qr(SECRET.encode(), memoryview(text.encode())) == parts.url
    assert repr(parts) == f"SignedQr(url={parts.url!r})"


def test_sign_a_dict() -> None:
    url = payseal.QrSigner(SECRET).sign(PAYLOAD)
    canonical = json.dumps(PAYLOAD, separators=(",", ":"), ensure_ascii=False).encode()
    assert url == reference_url(SECRET, canonical)


def test_verify_returns_the_payload() -> None:
    url = payseal.sign_qr(SECRET, PAYLOAD)
    qr = payseal.QrVerifier(SECRET).verify(url, now=BEFORE)
    assert qr.payload == PAYLOAD and json.loads(qr.payload_json) == PAYLOAD
    assert (qr.version, qr.type, qr.request_id, qr.gateway_reference, qr.label) == (
        1, "gateway_qr_payment", "PAY-1", "GW-9", "Table 4")
    assert (qr.amount, Decimal(qr.amount_text or ""), qr.currency) == (12.5, Decimal("12.5"), "EUR")
    assert (qr.merchant_id, qr.merchant_name, qr.expires_at) == ("m-1", "Café Noisette", EXPIRES)
    assert repr(qr).startswith('VerifiedQr({"v":1,')
    envelope = url.removeprefix(payseal.QR_URL_PREFIX)
    padded = envelope + "=" * (-len(envelope) % 4)
    for form in (payseal.QR_DEEP_LINK_PREFIX + envelope, envelope, padded, f"  {url}&x=1#top ", url.encode()):
        assert payseal.verify_qr(SECRET, form, now=BEFORE).request_id == "PAY-1"


def test_absent_fields_are_none_and_no_expiry_never_expires() -> None:
    url = payseal.sign_qr("k", "{}")
    qr = payseal.verify_qr("k", url, now=2**40)
    assert qr.payload == {} and qr.expires_at is None and qr.amount is None and qr.merchant_name is None
    payseal.verify_qr("k", url)  # now: the clock


def test_expired_carries_expires_at() -> None:
    url = payseal.sign_qr(SECRET, PAYLOAD)
    payseal.verify_qr(SECRET, url, now=EXPIRES)  # expires strictly after
    with pytest.raises(payseal.ExpiredError) as info:
        payseal.verify_qr(SECRET, url, now=EXPIRES + 1)
    assert info.value.code == "expired" and info.value.expires_at == EXPIRES
    with pytest.raises(payseal.ExpiredError):
        payseal.verify_qr(SECRET, url)  # the clock is past 2026-06-18... or this test is old
    assert isinstance(info.value, payseal.VerificationError)


def test_bad_signatures() -> None:
    url = payseal.sign_qr(SECRET, PAYLOAD)
    with pytest.raises(payseal.BadSignatureError) as info:
        payseal.verify_qr("other", url, now=BEFORE)
    assert info.value.code == "bad_signature"
    canonical = json.dumps(PAYLOAD, separators=(",", ":"), ensure_ascii=False).encode()
    forged = reference_url("other", canonical.replace(b"12.5", b"1.25"))
    with pytest.raises(payseal.BadSignatureError):
        payseal.verify_qr(SECRET, forged, now=BEFORE)
    upper = reference_url(SECRET, canonical)
    envelope = base64.urlsafe_b64decode(upper.removeprefix(payseal.QR_URL_PREFIX) + "==")
    sig = json.loads(envelope)["sig"]
    shouting = envelope.replace(sig.encode(), sig.upper().encode())
    with pytest.raises(payseal.BadSignatureError):  # EU Pay writes lowercase; uppercase is refused
        payseal.verify_qr(SECRET, base64.urlsafe_b64encode(shouting), now=BEFORE)


@pytest.mark.parametrize(
    "qr, reason",
    [
        ("https://evil.example/pay?data=e30", "unrecognised_link"),
        ("https://www.european-pay.fr/pay?other=1", "missing_data"),
        ("e30!", "bad_base64"),
        (base64.urlsafe_b64encode(b"[1]").decode(), "envelope_not_object"),
        (base64.urlsafe_b64encode(b'{"sig":"00"}').decode(), "missing_payload"),
        (base64.urlsafe_b64encode(b'{"payload":{}}').decode(), "missing_sig"),
        ("x" * (payseal.MAX_QR_LEN + 1), "too_large"),
    ],
)
def test_malformed_carries_the_reason(qr: str, reason: str) -> None:
    with pytest.raises(payseal.MalformedError) as info:
        payseal.verify_qr(SECRET, qr, now=BEFORE)
    assert info.value.code == "malformed" and info.value.reason == reason and type(info.value) is payseal.MalformedError


def test_envelope_that_is_not_json_has_the_json_error_as_cause() -> None:
    qr = base64.urlsafe_b64encode(b'{"payload":{},"payload":{},"sig":""}').decode()
    with pytest.raises(payseal.MalformedError) as info:
        payseal.verify_qr(SECRET, qr, now=0)
    assert info.value.reason == "duplicate_key"
    assert isinstance(info.value.__cause__, payseal.JsonError) and info.value.__cause__.code == "duplicate_key"


def test_decode_unverified() -> None:
    url = payseal.sign_qr(SECRET, '{"amount":1}')
    envelope = json.loads(payseal.decode_qr_unverified(url))
    assert envelope["payload"] == {"amount": 1} and len(envelope["sig"]) == 64
    with pytest.raises(payseal.MalformedError):
        payseal.decode_qr_unverified("e30!")


def test_sign_errors() -> None:
    signer = payseal.QrSigner(SECRET)
    with pytest.raises(payseal.JsonError) as syntax:
        signer.sign('{"amount": }')
    assert syntax.value.code == "syntax" and syntax.value.offset == 11
    with pytest.raises(payseal.InvalidInputError) as not_object:
        signer.sign("[1, 2]")
    assert not_object.value.code == "payload_not_object"
    with pytest.raises(payseal.TooLargeError) as large:  # the core's class for `too_large`
        signer.sign({"blob": "x" * 20_000})
    assert large.value.code == "too_large"
    with pytest.raises(ValueError):  # json.dumps refuses NaN: JSON has none
        signer.sign({"amount": float("nan")})
    with pytest.raises(TypeError):
        signer.sign(42)  # type: ignore[arg-type]


def test_keys_are_redacted() -> None:
    assert repr(payseal.QrSigner(SECRET)) == "QrSigner(<redacted>)"
    assert repr(payseal.QrVerifier(SECRET)) == "QrVerifier(<redacted>)"
