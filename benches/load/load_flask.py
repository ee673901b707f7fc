"""Flask under gunicorn for scripts/load: ``flask_payseal`` (the example, unchanged) and
``flask_baseline`` (a BASELINE, not an example); see apps.py."""

from __future__ import annotations

from typing import Any, Dict, Tuple

from flask import Flask, request

from apps import WSGIApp, echo_request_id_wsgi, example, standard_key, verify_standard


def flask_payseal() -> WSGIApp:
    return echo_request_id_wsgi(example("flask_webhooks").from_environment())


def flask_baseline() -> WSGIApp:
    """BASELINE, not an example: the Flask example's Standard Webhooks endpoint with stdlib hmac."""
    app = Flask(__name__)
    key = standard_key()

    @app.post("/webhooks/standard")
    def standard_webhook() -> Tuple[Dict[str, Any], int]:
        body = request.get_data()
        h = request.headers
        error = verify_standard(h.get("webhook-id"), h.get("webhook-timestamp"), h.get("webhook-signature"), body, key)
        if error is not None:
            return {"error": error}, 400
        return {"received": h["webhook-id"]}, 200

    return echo_request_id_wsgi(app)
