"""Sign and check a JSON payload over its canonical form, as a Node or PHP peer would.

The peer signs ``JSON.stringify(JSON.parse(body))`` (or PHP's ``json_encode``), not the bytes it
sent: whitespace, key spelling and number formatting may change on the way, the canonical form
does not. ``python examples/canonical_hmac.py`` prints a signature and checks it.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Literal

import payseal


def sign(secret: bytes, body: bytes, dialect: Literal["js", "php"] = "js") -> str:
    """Lowercase hex HMAC-SHA256 of the canonical form of ``body``."""
    canonical = payseal.canonicalize(body, dialect)
    return payseal.hex_encode(hmac.new(secret, canonical, hashlib.sha256).digest())


def check(secret: bytes, body: bytes, signature: str) -> None:
    """Raises ``payseal.BadSignatureError`` unless ``signature`` signs ``body``; ``JsonError`` if not JSON."""
    if not payseal.compare_digest(sign(secret, body), signature.lower()):
        raise payseal.BadSignatureError("signature does not match")


def main() -> None:
    secret = b"s3cr3t"
    sent = b'{"orderId": "A-1", "amount": 12.50, "currency": "EUR"}'
    received = b'{ "orderId":"A-1","amount":12.5,\n  "currency":"EUR" }'
    signature = sign(secret, sent)
    check(secret, received, signature)
    print(f"{signature} verifies the reformatted body")
    try:
        check(secret, received.replace(b"12.5", b"1250"), signature)
    except payseal.BadSignatureError as e:
        print(f"tampered body rejected: {e.code}")


if __name__ == "__main__":
    main()
