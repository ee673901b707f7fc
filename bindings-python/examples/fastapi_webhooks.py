"""Webhook endpoints in FastAPI: verify the raw body before parsing it.

The signature covers the bytes as sent, so read them with ``await request.body()`` (never a
parsed model) and hand ``request.headers`` over as it is (payseal looks names up
case-insensitively). Verifiers are built once, at start-up. Run with
``uvicorn examples.fastapi_webhooks:app`` after setting the secrets below.
"""

from __future__ import annotations

import json
import os

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

import payseal


def create_app(eupay_secret: str, stripe_secrets: list[str], paylands_signature: bytes) -> FastAPI:
    app = FastAPI()
    eupay = payseal.WebhookVerifier("eupay", eupay_secret)
    stripe = payseal.WebhookVerifier("stripe", stripe_secrets)  # two while rotating
    paylands = payseal.PaylandsVerifier(paylands_signature)

    @app.post("/webhooks/eupay")
    async def eupay_webhook(request: Request) -> JSONResponse:
        body = await request.body()
        try:
            eupay.verify(request.headers, body)
        except payseal.VerificationError as e:
            return JSONResponse({"error": e.code}, status_code=400)
        event = json.loads(body)
        return JSONResponse({"received": event["event"]})

    @app.post("/webhooks/stripe")
    async def stripe_webhook(request: Request) -> JSONResponse:
        body = await request.body()
        try:
            stripe.verify(request.headers, body, tolerance=300)  # now: the clock
        except payseal.VerificationError as e:
            return JSONResponse({"error": e.code}, status_code=400)
        return JSONResponse({"received": json.loads(body)["type"]})

    @app.post("/paylands/notification")
    async def paylands_notification(request: Request) -> JSONResponse:
        body = await request.body()
        try:
            flags = paylands.verify(body)
        except payseal.VerificationError as e:
            return JSONResponse({"error": e.code}, status_code=400)
        order = json.loads(body)["order"]
        return JSONResponse({"order": order["uuid"], "status": order["status"], "flags": flags})

    return app


def from_environment() -> FastAPI:
    return create_app(
        os.environ["EUPAY_WEBHOOK_SECRET"],
        os.environ["STRIPE_WEBHOOK_SECRETS"].split(","),
        os.environ["PAYLANDS_SIGNATURE"].encode(),
    )


if __name__ == "__main__":
    import uvicorn  # type: ignore[import-not-found]

    uvicorn.run(from_environment())
