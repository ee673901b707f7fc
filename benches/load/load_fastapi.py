"""FastAPI under uvicorn for scripts/load: ``fastapi_payseal`` (the example, unchanged) and
``fastapi_baseline`` (a BASELINE, not an example); see apps.py."""

from __future__ import annotations

import json

# At module level: FastAPI resolves the handlers' (string) annotations in these globals.
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from apps import ASGIApp, echo_request_id_asgi, example, stripe_secrets, verify_stripe


def fastapi_payseal() -> ASGIApp:
    return echo_request_id_asgi(example("fastapi_webhooks").from_environment())


def fastapi_baseline() -> ASGIApp:
    """BASELINE, not an example: the FastAPI example's Stripe endpoint with stdlib hmac."""
    app = FastAPI()
    secrets = stripe_secrets()

    @app.post("/webhooks/stripe")
    async def stripe_webhook(request: Request) -> JSONResponse:
        body = await request.body()
        error = verify_stripe(request.headers.get("stripe-signature"), body, secrets)
        if error is not None:
            return JSONResponse({"error": error}, status_code=400)
        return JSONResponse({"received": json.loads(body)["type"]})

    return echo_request_id_asgi(app)


