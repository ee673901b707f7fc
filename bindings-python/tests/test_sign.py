# stripe-python's webhook helpers carry no annotations.
# mypy: disable-error-code="no-untyped-call"
"""WebhookSigner and sign_webhook: every scheme signed and verified back by payseal, Stripe and
Standard Webhooks deliveries verified by the providers' own libraries (PyPI ``stripe``,
``standardwebhooks``), the documented constructions for the other MAC schemes, a one-bit change
anywhere a signature covers rejected, and the errors of the core's table."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import TYPE_CHECKING, Dict, List, Tuple

import pytest
import standardwebhooks
import stripe

import payseal

if TYPE_CHECKING:
    from payseal._native import SchemeName
else:
    SchemeName = str

NOW = 1_781_699_238
BODY = b'{"id":"evt_1","type":"charge.succeeded","amount":12.5,"note":"caf\xc3\xa9 \xe2\x82\xac"}'
STANDARD_SECRET = "whsec_" + base64.b64encode(b"standard-webhooks-key-0123456789").decode()
ADYEN_KEY = "44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056"
OPPWA_KEY = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
ADYEN_ITEM = json.dumps(
    {
        "pspReference": "7914073381342284",
        "merchantAccountCode": "TestMerchant",
        "merchantReference": "TestPayment-1407325143704",
        "amount": {"value": 1130, "currency": "EUR"},
        "eventCode": "AUTHORISATION",
        "success": "true",
        "additionalData": {"authCode": "1234"},
    }
).encode()
SPREEDLY_DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<transaction>
  <amount>100</amount>
  <currency_code>USD</currency_code>
  <order_id nil="true"/>
  <state>succeeded</state>
  <token>TJsNm8zRSNgiZ1W4ULKvDF2nEuz</token>
  <payment_method><data>unsigned</data></payment_method>
</transaction>
"""

# scheme -> (secrets, newest first; the body to sign)
CASES: Dict[SchemeName, Tuple[List[str], bytes]] = {
    "eupay": (["eupay-new", "eupay-old"], BODY),
    "github": (["It's a Secret to Everybody", "old"], BODY),
    "stripe": (["whsec_new", "whsec_old"], BODY),
    "standard": ([STANDARD_SECRET, "whsec_" + base64.b64encode(b"old-key-old-key-").decode()], BODY),
    "shopify": (["shpss_new", "shpss_old"], BODY),
    "checkout": (["cko-new", "cko-old"], BODY),
    "adyen_item": ([ADYEN_KEY, "00" * 32], ADYEN_ITEM),
    "spreedly": (["spreedly-new", "spreedly-old"], SPREEDLY_DOC),
    "oppwa": ([OPPWA_KEY, "11" * 32], BODY),
    "oppwa_base64": ([OPPWA_KEY, "11" * 32], BODY),
}


def test_every_scheme_has_a_case() -> None:
    assert set(CASES) == set(payseal.WEBHOOK_SCHEMES)


@pytest.mark.parametrize("scheme", sorted(CASES))
def test_sign_then_verify(scheme: SchemeName) -> None:
    secrets, body = CASES[scheme]
    signer = payseal.WebhookSigner(scheme, secrets)
    assert signer.scheme == scheme and len(signer) == 2
    signed = signer.sign(body, now=NOW)
    assert isinstance(signed.body, bytes)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in signed.headers.items())
    headers, sent = signed
    assert headers == signed.headers and sent == signed.body
    verifier = payseal.WebhookVerifier(scheme, secrets)
    assert verifier.open(signed.headers, signed.body, now=NOW) == (
        signed.body if scheme in ("adyen_item", "spreedly") else body
    )
    # The newest secret signed: a verifier with the old one alone rejects the delivery.
    with pytest.raises(payseal.VerificationError):
        payseal.verify_webhook(scheme, secrets[1], signed.headers, signed.body, now=NOW)
    # The one-shot form signs alike (OPPWA's IV and the Standard Webhooks id are random).
    again = payseal.sign_webhook(scheme, secrets, body, now=NOW, id="msg_1")
    payseal.verify_webhook(scheme, secrets[0], again.headers, again.body, now=NOW)
    if scheme not in ("oppwa", "oppwa_base64", "standard"):
        assert again.headers == signed.headers and again.body == signed.body


def test_mac_schemes_send_the_body_given() -> None:
    signed = payseal.sign_webhook("github", "s", BODY)
    assert signed.body is BODY  # the same object: no copy
    for given in (BODY.decode(), bytearray(BODY), memoryview(BODY)):
        assert payseal.sign_webhook("github", "s", given).body == BODY


def test_stripe_verified_by_stripe_python() -> None:
    signer = payseal.WebhookSigner("stripe", ["whsec_new", "whsec_old"])
    signed = signer.sign(BODY)  # now: the clock
    header = signed.headers["Stripe-Signature"]
    assert list(signed.headers) == ["Stripe-Signature"]
    stripe.WebhookSignature.verify_header(BODY.decode(), header, "whsec_new", tolerance=300)
    event = stripe.Webhook.construct_event(BODY.decode(), header, "whsec_new")
    assert event["id"] == "evt_1"
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.WebhookSignature.verify_header(BODY.decode(), header, "whsec_old", tolerance=300)
    # The documented construction, at a fixed time.
    fixed = signer.sign(BODY, now=NOW).headers["Stripe-Signature"]
    mac = stripe.WebhookSignature._compute_signature(f"{NOW}.{BODY.decode()}", "whsec_new")
    assert fixed == f"t={NOW},v1={mac}"


def test_standard_verified_by_standardwebhooks() -> None:
    signed = payseal.sign_webhook("standard", STANDARD_SECRET, BODY)
    assert list(signed.headers) == ["webhook-id", "webhook-timestamp", "webhook-signature"]
    assert signed.headers["webhook-id"].startswith("msg_") and len(signed.headers["webhook-id"]) == 36
    assert abs(int(signed.headers["webhook-timestamp"]) - time.time()) < 60
    wh = standardwebhooks.Webhook(STANDARD_SECRET)
    assert wh.verify(signed.body, signed.headers)["id"] == "evt_1"
    # The library's own signer agrees at a fixed id and time.
    fixed = payseal.sign_webhook("standard", STANDARD_SECRET, BODY, now=NOW, id="msg_2fQ")
    from datetime import datetime, timezone

    want = wh.sign("msg_2fQ", datetime.fromtimestamp(NOW, tz=timezone.utc), BODY)
    assert fixed.headers == {"webhook-id": "msg_2fQ", "webhook-timestamp": str(NOW), "webhook-signature": want}
    # Two deliveries never share a generated id.
    assert payseal.sign_webhook("standard", STANDARD_SECRET, BODY).headers["webhook-id"] != signed.headers["webhook-id"]


@pytest.mark.parametrize(
    "scheme,name,encode",
    [
        ("eupay", "X-EuPay-Signature", lambda d: "sha256=" + d.hex()),
        ("github", "X-Hub-Signature-256", lambda d: "sha256=" + d.hex()),
        ("shopify", "X-Shopify-Hmac-Sha256", lambda d: base64.b64encode(d).decode()),
        ("checkout", "Cko-Signature", lambda d: d.hex()),
    ],
)
def test_documented_constructions(scheme: SchemeName, name: str, encode: object) -> None:
    secret = CASES[scheme][0][0]
    digest = hmac.new(secret.encode(), BODY, hashlib.sha256).digest()
    assert callable(encode)
    assert payseal.sign_webhook(scheme, [secret, "old"], BODY).headers == {name: encode(digest)}


def test_github_documented_example() -> None:
    signed = payseal.sign_webhook("github", "It's a Secret to Everybody", "Hello, World!")
    want = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17"
    assert signed.headers == {"X-Hub-Signature-256": want}


def test_spreedly_and_oppwa_options() -> None:
    secret = CASES["spreedly"][0][0]
    signed = payseal.sign_webhook("spreedly", secret, SPREEDLY_DOC, fields=["amount", "state"], algorithm="sha1")
    assert signed.headers == {}
    text = signed.body.decode()
    want = hmac.new(secret.encode(), b"100|succeeded", hashlib.sha1).hexdigest()
    assert "<fields>amount state</fields>" in text and "<algorithm>sha1</algorithm>" in text and want in text
    assert payseal.sign_webhook("spreedly", secret, SPREEDLY_DOC, fields="amount state", algorithm="sha1").body == signed.body
    iv = bytes(range(12))
    a = payseal.sign_webhook("oppwa", OPPWA_KEY, BODY, iv=iv)
    assert a.headers["X-Initialization-Vector"] == iv.hex()
    assert payseal.sign_webhook("oppwa", OPPWA_KEY, BODY, iv=bytearray(iv)).body == a.body
    assert payseal.sign_webhook("oppwa", OPPWA_KEY, BODY).headers["X-Initialization-Vector"] != iv.hex()


def flips(data: bytes, start: int = 0, end: int = -1) -> List[bytes]:
    """Every copy of ``data`` with one bit (the lowest of a byte) flipped in ``[start, end)``."""
    end = len(data) if end < 0 else end
    return [data[:i] + bytes([data[i] ^ 1]) + data[i + 1 :] for i in range(start, end)]


def covered(scheme: str, sent: bytes) -> Tuple[int, int]:
    """The byte range of the body the scheme's signature covers (all of it but for Adyen and
    Spreedly, which sign some fields: one field's value and the signature are checked)."""
    if scheme == "adyen_item":
        start = sent.index(b'"7914073381342284"') + 1
        return start, start + 16
    if scheme == "spreedly":
        start = sent.index(b"<token>") + 7
        return start, sent.index(b"</token>")
    return 0, len(sent)


@pytest.mark.parametrize("scheme", sorted(CASES))
def test_one_bit_change_is_rejected(scheme: SchemeName) -> None:
    secrets, body = CASES[scheme]
    signed = payseal.sign_webhook(scheme, secrets, body, now=NOW, id="msg_1")
    verifier = payseal.WebhookVerifier(scheme, secrets)
    verifier.verify(signed.headers, signed.body, now=NOW)
    start, end = covered(scheme, signed.body)
    for changed in flips(signed.body, start, end):
        with pytest.raises(payseal.VerificationError):
            verifier.verify(signed.headers, changed, now=NOW)
    for name, value in signed.headers.items():
        for changed_value in flips(value.encode()):
            headers = dict(signed.headers, **{name: changed_value.decode("latin-1")})
            with pytest.raises(payseal.VerificationError):
                verifier.verify(headers, signed.body, now=NOW)
    if scheme in ("adyen_item", "spreedly"):
        # The signature itself, inside the body.
        item = signed.body
        marker = b'"hmacSignature":"' if scheme == "adyen_item" else b"<signature>"
        start = item.index(marker) + len(marker)
        for changed in flips(item, start, start + 40):
            with pytest.raises(payseal.VerificationError):
                verifier.verify(signed.headers, changed, now=NOW)


def test_errors_come_from_the_core_table() -> None:
    signer = payseal.WebhookSigner("stripe", "whsec_x")
    with pytest.raises(payseal.InvalidInputError) as e:
        signer.sign(BODY, now=-1)
    assert e.value.code == "invalid_argument"
    with pytest.raises(payseal.InvalidInputError):
        payseal.sign_webhook("standard", STANDARD_SECRET, BODY, id="has space")
    with pytest.raises(payseal.InvalidInputError):
        payseal.sign_webhook("oppwa", OPPWA_KEY, BODY, iv=b"short")
    with pytest.raises(payseal.InvalidInputError):
        payseal.sign_webhook("spreedly", "s", SPREEDLY_DOC, algorithm="md5")  # type: ignore[arg-type]
    with pytest.raises(payseal.MalformedBodyError) as m:
        payseal.sign_webhook("adyen_item", ADYEN_KEY, b"[]")
    assert m.value.code == "malformed_body"
    with pytest.raises(payseal.InvalidKeyError):
        payseal.WebhookSigner("oppwa", "not hex")
    with pytest.raises(payseal.InvalidInputError):
        payseal.WebhookSigner("nope", "s")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        signer.sign(BODY, id=5)  # type: ignore[arg-type]
    with pytest.raises(payseal.TooLargeError):
        signer.sign(bytes(32 * 1024 * 1024 + 1), now=NOW)


def test_large_bodies_are_signed_without_the_gil() -> None:
    body = b"x" * (1 << 20)
    for given in (body, bytearray(body)):
        signed = payseal.sign_webhook("stripe", "whsec_x", given, now=NOW)
        payseal.verify_webhook("stripe", "whsec_x", signed.headers, body, now=NOW)
    oppwa = payseal.sign_webhook("oppwa", OPPWA_KEY, body)
    assert payseal.WebhookVerifier("oppwa", OPPWA_KEY).open(oppwa.headers, oppwa.body) == body


def test_repr() -> None:
    assert repr(payseal.WebhookSigner("github", ["a", "b"])) == "WebhookSigner('github', <2 secret(s)>)"
    assert repr(payseal.sign_webhook("checkout", "a", b"{}")).startswith("SignedWebhook(headers={'Cko-Signature': ")
