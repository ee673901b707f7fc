"""The FastAPI and Flask examples serve real webhook endpoints: signed deliveries are accepted,
tampered, unsigned and stale ones get HTTP 400 with the error's code. Requests go through the
frameworks' own test clients, so headers and raw bodies arrive as the frameworks hand them over."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Dict

import pytest
from fastapi.testclient import TestClient
from flask.testing import FlaskClient

from conftest import fixtures_dir
from test_examples import load

EUPAY_SECRET = "whsec_b2520aca95c87126659f6633775e4753"
STRIPE_SECRETS = ["whsec_new_3f1c", "whsec_old_9a7e"]
STANDARD_SECRET = "whsec_" + base64.b64encode(b"standard-webhooks-key-0123456789").decode()
EVENT = json.dumps({"event": "payment.completed", "data": {"amount": 0.01, "note": "Café"}}, ensure_ascii=False).encode()


def eupay_signature(body: bytes, secret: str = EUPAY_SECRET) -> Dict[str, str]:
    return {"X-EuPay-Signature": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


def stripe_signature(body: bytes, secret: str, t: int) -> Dict[str, str]:
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return {"Stripe-Signature": f"t={t},v1={mac}"}


def standard_signature(body: bytes, t: int) -> Dict[str, str]:
    key = base64.b64decode(STANDARD_SECRET.removeprefix("whsec_"))
    sig = base64.b64encode(hmac.new(key, f"msg_2Lh.{t}.".encode() + body, hashlib.sha256).digest()).decode()
    return {"webhook-id": "msg_2Lh", "webhook-timestamp": str(t), "webhook-signature": f"v1,{sig}"}


def paylands_fixture() -> tuple[bytes, bytes]:
    folder = fixtures_dir()
    if not (folder / "paylands-notification.json").exists():
        pytest.fail(f"no fixtures in {folder} (set PAYSEAL_FIXTURES): a test that cannot run fails")
    return (folder / "paylands-notification.json").read_bytes(), (folder / "paylands-notification.signature").read_bytes()


@pytest.fixture(scope="module")
def fastapi_client() -> TestClient:
    _, signature = paylands_fixture()
    app = load("fastapi_webhooks").create_app(EUPAY_SECRET, STRIPE_SECRETS, signature)
    return TestClient(app)


def test_fastapi_eupay(fastapi_client: TestClient) -> None:
    ok = fastapi_client.post("/webhooks/eupay", content=EVENT, headers=eupay_signature(EVENT))
    assert (ok.status_code, ok.json()) == (200, {"received": "payment.completed"})
    lower = {k.lower(): v for k, v in eupay_signature(EVENT).items()}
    assert fastapi_client.post("/webhooks/eupay", content=EVENT, headers=lower).status_code == 200
    tampered = fastapi_client.post("/webhooks/eupay", content=EVENT.replace(b"0.01", b"100"),
                                   headers=eupay_signature(EVENT))
    assert (tampered.status_code, tampered.json()) == (400, {"error": "bad_signature"})
    # The same event reformatted by a JSON library is a different body: rejected.
    reformatted = json.dumps(json.loads(EVENT)).encode()
    assert fastapi_client.post("/webhooks/eupay", content=reformatted, headers=eupay_signature(EVENT)).status_code == 400
    missing = fastapi_client.post("/webhooks/eupay", content=EVENT)
    assert (missing.status_code, missing.json()) == (400, {"error": "missing_header"})
    malformed = fastapi_client.post("/webhooks/eupay", content=EVENT, headers={"X-EuPay-Signature": "md5=00"})
    assert malformed.json() == {"error": "malformed_header"}


def test_fastapi_stripe_rotation_and_staleness(fastapi_client: TestClient) -> None:
    now = int(time.time())
    body = json.dumps({"id": "evt_1", "type": "charge.succeeded"}).encode()
    for secret in STRIPE_SECRETS:
        reply = fastapi_client.post("/webhooks/stripe", content=body, headers=stripe_signature(body, secret, now))
        assert (reply.status_code, reply.json()) == (200, {"received": "charge.succeeded"})
    stale = fastapi_client.post("/webhooks/stripe", content=body, headers=stripe_signature(body, STRIPE_SECRETS[0], now - 600))
    assert (stale.status_code, stale.json()) == (400, {"error": "timestamp_too_old"})
    future = fastapi_client.post("/webhooks/stripe", content=body, headers=stripe_signature(body, STRIPE_SECRETS[1], now + 600))
    assert future.json() == {"error": "timestamp_too_new"}
    other = fastapi_client.post("/webhooks/stripe", content=body, headers=stripe_signature(body, "whsec_x", now))
    assert other.json() == {"error": "bad_signature"}


def test_fastapi_paylands(fastapi_client: TestClient) -> None:
    body, _ = paylands_fixture()
    order = json.loads(body)["order"]
    reply = fastapi_client.post("/paylands/notification", content=body, headers={"Content-Type": "application/json"})
    assert reply.status_code == 200
    assert reply.json() == {"order": order["uuid"], "status": order["status"], "flags": "default"}
    forged = body.replace(b'"paid":true', b'"paid":false')
    assert forged != body
    assert fastapi_client.post("/paylands/notification", content=forged).json() == {"error": "mismatch"}
    assert fastapi_client.post("/paylands/notification", content=b"{}").json() == {"error": "malformed"}


@pytest.fixture(scope="module")
def flask_client() -> FlaskClient:
    _, signature = paylands_fixture()
    app = load("flask_webhooks").create_app(EUPAY_SECRET, STANDARD_SECRET, signature)
    app.testing = True
    client: FlaskClient = app.test_client()
    return client


def test_flask_eupay(flask_client: FlaskClient) -> None:
    client = flask_client
    ok = client.post("/webhooks/eupay", data=EVENT, headers=eupay_signature(EVENT))
    assert (ok.status_code, ok.get_json()) == (200, {"received": "payment.completed"})
    bad = client.post("/webhooks/eupay", data=EVENT, headers=eupay_signature(EVENT, "whsec_other"))
    assert (bad.status_code, bad.get_json()) == (400, {"error": "bad_signature"})
    missing = client.post("/webhooks/eupay", data=EVENT)
    assert missing.get_json() == {"error": "missing_header"}


def test_flask_standard_webhooks(flask_client: FlaskClient) -> None:
    client = flask_client
    now = int(time.time())
    ok = client.post("/webhooks/standard", data=EVENT, headers=standard_signature(EVENT, now))
    assert (ok.status_code, ok.get_json()) == (200, {"received": "msg_2Lh"})
    stale = client.post("/webhooks/standard", data=EVENT, headers=standard_signature(EVENT, now - 301))
    assert stale.get_json() == {"error": "timestamp_too_old"}
    headers = standard_signature(EVENT, now)
    del headers["webhook-id"]
    assert client.post("/webhooks/standard", data=EVENT, headers=headers).get_json() == {"error": "missing_header"}


def test_flask_paylands(flask_client: FlaskClient) -> None:
    body, _ = paylands_fixture()
    client = flask_client
    ok = client.post("/paylands/notification", data=body, content_type="application/json")
    assert (ok.status_code, ok.get_json()["flags"]) == (200, "default")
    forged = client.post("/paylands/notification", data=body.replace(b'"amount":1,', b'"amount":1000,'))
    assert forged.get_json() == {"error": "mismatch"}
