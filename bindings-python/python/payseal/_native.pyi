"""Type stubs for the native half of payseal (``payseal._native``); import ``payseal`` instead."""

from typing import Union

from typing_extensions import Buffer, Literal, TypeAlias

BytesLike: TypeAlias = Union[Buffer, str]
"""``bytes``, ``bytearray``, ``memoryview`` (C-contiguous) or any buffer, or ``str`` (as UTF-8)."""

__version__: str

def canonicalize(
    data: BytesLike,
    dialect: Literal["js", "php"] = "js",
    *,
    unescaped_slashes: bool = False,
    unescaped_unicode: bool = False,
) -> bytes:
    """Canonical JSON: ``JSON.stringify(JSON.parse(data))`` (``"js"``) or PHP's
    ``json_encode(json_decode(data, true), flags)`` (``"php"``; the flags are
    ``JSON_UNESCAPED_SLASHES`` and ``JSON_UNESCAPED_UNICODE``). Raises ``JsonError``."""

def hex_encode(data: BytesLike) -> str:
    """Lowercase hex."""

def hex_decode(text: BytesLike) -> bytes:
    """Hex, either case. Raises ``EncodingError``."""

def base64url_encode(data: BytesLike) -> str:
    """Unpadded base64url (RFC 4648 §5)."""

def base64url_decode(text: BytesLike) -> bytes:
    """Base64url, padding optional. Raises ``EncodingError``."""

def base64_encode(data: BytesLike) -> str:
    """Padded standard base64 (RFC 4648 §4)."""

def base64_decode(text: BytesLike) -> bytes:
    """Padded standard base64. Raises ``EncodingError``."""

def compare_digest(a: BytesLike, b: BytesLike) -> bool:
    """Equality in time that depends only on the lengths."""
