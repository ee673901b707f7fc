"""What the Python servers of scripts/load share (load_fastapi.py, load_flask.py).

The servers run under uvicorn and gunicorn: ``fastapi_payseal`` and ``flask_payseal`` are the
examples users copy (bindings-python/examples/fastapi_webhooks.py and flask_webhooks.py),
unchanged, built by their own ``from_environment()``. ``fastapi_baseline`` and
``flask_baseline`` are BASELINES for the throughput comparison, not examples: the same endpoint
doing the same check with Python's own code (``hmac.new(...).hexdigest()`` +
``hmac.compare_digest``, the header parsing and the timestamp tolerance), as the providers'
SDKs do it (stripe-python's ``WebhookSignature.verify_header``, the standardwebhooks package's
``Webhook.verify``); the checks are here, verify_stripe and verify_standard.

Every app is wrapped in the same small middleware that echoes ``X-Request-Id`` on the response,
as servers commonly do: the load generator matches each answer to the delivery it sent.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib.util
import os
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any, Awaitable, Callable, Dict, Iterable, List, Optional, Tuple

EXAMPLES = Path(__file__).resolve().parents[2] / "bindings-python" / "examples"
TOLERANCE = 300  # seconds, as the examples (payseal's default) and the SDKs


def example(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---- X-Request-Id echo ------------------------------------------------------------------------

ASGIApp = Callable[[Dict[str, Any], Callable[[], Awaitable[Any]], Callable[[Any], Awaitable[None]]], Awaitable[None]]


def echo_request_id_asgi(app: ASGIApp) -> ASGIApp:
    """Pure ASGI middleware (no per-request objects beyond a closure): copies X-Request-Id."""

    async def wrapped(scope: Dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        rid = next((v for k, v in scope["headers"] if k == b"x-request-id"), None)

        async def send_with_id(message: Dict[str, Any]) -> None:
            if rid is not None and message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"x-request-id", rid)]
            await send(message)

        await app(scope, receive, send_with_id)

    return wrapped


WSGIApp = Callable[[Dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def echo_request_id_wsgi(app: WSGIApp) -> WSGIApp:
    """WSGI middleware: copies X-Request-Id onto the response."""

    def wrapped(environ: Dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        rid = environ.get("HTTP_X_REQUEST_ID")
        if rid is None:
            return app(environ, start_response)

        def start(status: str, headers: List[Tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, [*headers, ("X-Request-Id", rid)], exc_info)

        return app(environ, start)

    return wrapped


# ---- Baseline checks (Python's own code) -----------------------------------------------------


def verify_stripe(header: Optional[str], payload: bytes, secrets: List[bytes]) -> Optional[str]:
    """stripe-python's verify_header: None when authentic, else the reason."""
    if header is None:
        return "missing_header"
    try:
        items = [item.split("=", 1) for item in header.split(",")]
        timestamp = int([v for k, v in items if k == "t"][0])
    except (ValueError, IndexError):
        return "malformed_header"
    signatures = [v for k, v in items if k == "v1"]
    if not signatures:
        return "malformed_header"
    signed = b"%d.%s" % (timestamp, payload)
    for secret in secrets:
        expected = hmac.new(secret, signed, hashlib.sha256).hexdigest()
        if any(hmac.compare_digest(expected, s) for s in signatures):
            break
    else:
        return "bad_signature"
    if timestamp < time.time() - TOLERANCE:
        return "timestamp_too_old"
    return None


def verify_standard(msg_id: Optional[str], ts: Optional[str], sig: Optional[str], payload: bytes, key: bytes) -> Optional[str]:
    """standardwebhooks' Webhook.verify: None when authentic, else the reason."""
    if not (msg_id and ts and sig):
        return "missing_header"
    try:
        timestamp = int(ts)
    except ValueError:
        return "malformed_header"
    now = time.time()
    if timestamp < now - TOLERANCE:
        return "timestamp_too_old"
    if timestamp > now + TOLERANCE:
        return "timestamp_too_new"
    mac = hmac.new(key, b"%s.%d.%s" % (msg_id.encode(), timestamp, payload), hashlib.sha256).digest()
    expected = base64.b64encode(mac).decode()
    for versioned in sig.split(" "):
        version, _, signature = versioned.partition(",")
        if version == "v1" and hmac.compare_digest(expected, signature):
            return None
    return "bad_signature"


def stripe_secrets() -> List[bytes]:
    return [s.encode() for s in os.environ["STRIPE_WEBHOOK_SECRETS"].split(",")]


def standard_key() -> bytes:
    secret = os.environ["STANDARD_WEBHOOK_SECRET"]
    return base64.b64decode(secret[len("whsec_") :] if secret.startswith("whsec_") else secret)
