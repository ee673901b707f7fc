"""Webhook endpoints in Flask: verify the raw body before parsing it.

``request.get_data()`` returns the bytes as sent (do not use ``request.json`` first: it
re-parses, and the signature covers the bytes); ``request.headers`` goes to payseal as it is.
Verifiers are built once, when the app is made. Run with ``flask --app
examples.flask_webhooks:from_environment run`` after setting the secrets below.
"""

from __future__ import annotations

import json
import os
from typing import Any, Dict, Tuple

from flask import Flask, request

import payseal

Reply = Tuple[Dict[str, Any], int]


def create_app(eupay_secret: str, standard_secret: str, paylands_signature: bytes) -> Flask:
    app = Flask(__name__)
    eupay = payseal.WebhookVerifier("eupay", eupay_secret)
    standard = payseal.WebhookVerifier("standard", standard_secret)  # whsec_... (Svix too)
    paylands = payseal.PaylandsVerifier(paylands_signature)

    @app.post("/webhooks/eupay")
    def eupay_webhook() -> Reply:
        body = request.get_data()
        try:
            eupay.verify(request.headers, body)
        except payseal.VerificationError as e:
            return {"error": e.code}, 400
        return {"received": json.loads(body)["event"]}, 200

    @app.post("/webhooks/standard")
    def standard_webhook() -> Reply:
        body = request.get_data()
        try:
            standard.verify(request.headers, body)
        except payseal.VerificationError as e:
            return {"error": e.code}, 400
        return {"received": request.headers["webhook-id"]}, 200

    @app.post("/paylands/notification")
    def paylands_notification() -> Reply:
        body = request.get_data()
        try:
            flags = paylands.verify(body)
        except payseal.VerificationError as e:
            return {"error": e.code}, 400
        return {"order": json.loads(body)["order"]["uuid"], "flags": flags}, 200

    return app


def from_environment() -> Flask:
    return create_app(
        os.environ["EUPAY_WEBHOOK_SECRET"],
        os.environ["STANDARD_WEBHOOK_SECRET"],
        os.environ["PAYLANDS_SIGNATURE"].encode(),
    )
