"""payseal: canonical JSON and payment signature verification, in Rust.

Every function accepts its data as ``bytes``, ``bytearray``, ``memoryview`` (C-contiguous) or
``str`` (its UTF-8) and reads it in place, without copying. Failures raise :class:`payseal.Error`
subclasses (all ``ValueError``) whose ``code`` names the outcome; see :mod:`payseal.errors`.
"""

from ._native import (
    __version__,
    base64_decode,
    base64_encode,
    base64url_decode,
    base64url_encode,
    canonicalize,
    compare_digest,
    hex_decode,
    hex_encode,
)
from .errors import (
    BadSignature,
    EncodingError,
    Error,
    Expired,
    JsonError,
    Malformed,
    MalformedBody,
    MalformedHash,
    MalformedHeader,
    Mismatch,
    MissingHeader,
    TimestampOutOfTolerance,
    TimestampTooNew,
    TimestampTooOld,
    VerificationError,
)

__all__ = [
    "__version__",
    # JSON
    "canonicalize",
    # encodings and comparison
    "hex_encode",
    "hex_decode",
    "base64url_encode",
    "base64url_decode",
    "base64_encode",
    "base64_decode",
    "compare_digest",
    # errors
    "Error",
    "EncodingError",
    "JsonError",
    "VerificationError",
    "BadSignature",
    "Mismatch",
    "Expired",
    "TimestampOutOfTolerance",
    "TimestampTooOld",
    "TimestampTooNew",
    "Malformed",
    "MalformedHeader",
    "MissingHeader",
    "MalformedBody",
    "MalformedHash",
]
