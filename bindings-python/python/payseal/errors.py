"""The exceptions payseal raises: the classes of the core's one table (``core/src/codes.rs``,
committed as ``core/codes.json``), with the same names and parents in PHP, Python and Node.

Every class is a ``ValueError`` (bad input, never a crash) and carries ``code``, the outcome's
name in the core's table and the conformance vocabulary (``"bad_signature"``, ``"syntax"``, ...):
what a caller or a log line can act on. Verification failures never say where a MAC differed.
Which class a code raises is the core's table too: the native module exposes it
(``_native.codes()``), and :data:`_CLASS_BY_CODE` is built from it at import. The classes are
written out here for readers and type checkers; ``tests/test_errors.py`` fails when they differ
from ``core/codes.json`` or the native table.

::

    PaysealError(ValueError)
    ├── InternalError             "internal": a bug in payseal, caught at the boundary
    ├── RandomnessError           "randomness": the OS generator failed
    ├── BufferTooSmallError       "buffer_too_small" (+ ``needed``)
    ├── InvalidInputError         refused on purpose: "invalid_argument" (an unknown scheme, mode,
    │   │                         dialect...), "cost_out_of_range", "secret_too_long",
    │   │                         "secret_contains_nul", "payload_not_object"
    │   └── InvalidKeyError       "unknown_prefix", "bad_length", "bad_character" (+ ``offset``),
    │                             "environment_mismatch", "not_publishable", "not_secret",
    │                             "no_secret", "too_many_secrets", "empty_secret",
    │                             "malformed_secret", "empty_signature", "signature_too_long"
    ├── EncodingError             "invalid_encoding": bad hex / base64
    ├── JsonError                 "syntax", "invalid_utf8", "duplicate_key", "depth",
    │                             "number_range", "lone_surrogate" (+ ``offset``)
    └── VerificationError         the input was understood and is not to be trusted
        ├── BadSignatureError     "bad_signature"
        │   └── MismatchError     "mismatch": a hash or secret does not match
        ├── ExpiredError          "expired" (+ ``expires_at``)
        ├── NotYetValidError      "not_yet_valid" (JOSE ``nbf``)
        ├── TimestampError
        │   ├── TimestampTooOldError  "timestamp_too_old"
        │   └── TimestampTooNewError  "timestamp_too_new"
        ├── InvalidTableLinkError "invalid_table_link" (one error, no detail)
        ├── AlgorithmNotAllowedError "alg_not_allowed"   (JOSE)
        ├── KeyNotFoundError      "key_not_found"      (JOSE: no single usable key)
        ├── ClaimError            "audience", "issuer" (JOSE)
        └── MalformedError        "malformed": cannot be checked at all (+ ``reason``)
            ├── MalformedHeaderError  "malformed_header", "too_many_signatures" (+ ``header``)
            ├── MissingHeaderError    "missing_header" (+ ``header``)
            ├── MalformedBodyError    "malformed_body"
            ├── MalformedHashError    "malformed_hash"
            ├── TooLargeError         "too_large": over a documented size limit
            └── UnsupportedError      "crit_unsupported"
"""

from __future__ import annotations

from typing import Dict, Optional, Type

from . import _native

__all__ = [
    "PaysealError",
    "InternalError",
    "RandomnessError",
    "BufferTooSmallError",
    "InvalidInputError",
    "InvalidKeyError",
    "EncodingError",
    "JsonError",
    "VerificationError",
    "BadSignatureError",
    "MismatchError",
    "ExpiredError",
    "NotYetValidError",
    "TimestampError",
    "TimestampTooOldError",
    "TimestampTooNewError",
    "InvalidTableLinkError",
    "AlgorithmNotAllowedError",
    "KeyNotFoundError",
    "ClaimError",
    "MalformedError",
    "MalformedHeaderError",
    "MissingHeaderError",
    "MalformedBodyError",
    "MalformedHashError",
    "TooLargeError",
    "UnsupportedError",
]


class PaysealError(ValueError):
    """Any payseal failure. ``code`` names the outcome (``"syntax"``, ``"bad_signature"``, ...);
    a class's ``code`` attribute is its first code in the core's table, an instance's the one
    that happened."""

    code: str = ""

    def __init__(self, message: str = "", *, code: Optional[str] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code!r})"


class InternalError(PaysealError):
    """A bug in payseal, caught at the language boundary."""

    code = "internal"


class RandomnessError(PaysealError):
    """The operating system's random generator failed."""

    code = "randomness"


class BufferTooSmallError(PaysealError):
    """An output buffer is too small; ``needed`` is the size required."""

    code = "buffer_too_small"
    needed: Optional[int] = None


class InvalidInputError(PaysealError):
    """Input payseal refuses on purpose rather than silently altering: an unknown name
    (``invalid_argument``), a bcrypt cost outside 4..31, a secret to hash over 72 bytes or
    containing NUL, a QR payload that is not a JSON object."""

    code = "invalid_argument"


class InvalidKeyError(InvalidInputError):
    """A key, secret or signature that payseal cannot use: an API key of the wrong form
    (``offset`` locates a bad character), a live/test mix, webhook secrets that are missing,
    empty or not in the scheme's format, an empty Paylands signature or QR secret."""

    code = "invalid_key"
    offset: Optional[int] = None


class EncodingError(PaysealError):
    """Text that is not valid hex or base64 (bad character, length or padding)."""

    code = "invalid_encoding"


class JsonError(PaysealError):
    """Input that is not accepted JSON; ``offset`` is the byte offset where the problem was
    found."""

    code = "syntax"
    offset: Optional[int] = None


class VerificationError(PaysealError):
    """The input was understood, and is not to be trusted."""


class BadSignatureError(VerificationError):
    """The signature (MAC) does not match the data: forged, altered, or the wrong key."""

    code = "bad_signature"


class MismatchError(BadSignatureError):
    """A hash or secret does not match (Paylands ``validation_hash``, bcrypt secrets)."""

    code = "mismatch"


class ExpiredError(VerificationError):
    """Correctly signed, but past its expiry (``expires_at``, Unix seconds)."""

    code = "expired"
    expires_at: Optional[int] = None


class NotYetValidError(VerificationError):
    """Correctly signed, but not valid yet."""

    code = "not_yet_valid"


class TimestampError(VerificationError):
    """A signed timestamp too far from now (replay protection)."""


class TimestampTooOldError(TimestampError):
    """The signed timestamp is older than the tolerance allows."""

    code = "timestamp_too_old"


class TimestampTooNewError(TimestampError):
    """The signed timestamp is further in the future than the tolerance allows."""

    code = "timestamp_too_new"


class InvalidTableLinkError(VerificationError):
    """A table QR link that is not this merchant's (or not a table link at all). Every cause
    gives this one error, so a scanner learns nothing that helps it guess."""

    code = "invalid_table_link"


class AlgorithmNotAllowedError(VerificationError):
    """The token's algorithm is not in the caller's allow-list."""

    code = "alg_not_allowed"


class KeyNotFoundError(VerificationError):
    """No single usable key for the token."""

    code = "key_not_found"


class ClaimError(VerificationError):
    """A verified claim that is not the expected one (``aud``, ``iss``)."""

    code = "audience"


class MalformedError(VerificationError):
    """The input cannot be checked at all (not the expected shape). ``reason``, when set, names
    what is wrong in the core's words (EU Pay QR: ``"bad_base64"``, ``"missing_sig"``, a JSON
    error code, ...); when the input is not JSON, ``__cause__`` is the :class:`JsonError`."""

    code = "malformed"
    reason: Optional[str] = None


class MalformedHeaderError(MalformedError):
    """A signature header is present but unreadable (wrong prefix or algorithm, not hex, empty,
    repeated); ``header`` names it."""

    code = "malformed_header"
    header: Optional[str] = None


class MissingHeaderError(MalformedError):
    """A header the scheme requires is absent; ``header`` names it."""

    code = "missing_header"
    header: Optional[str] = None


class MalformedBodyError(MalformedError):
    """The body cannot be decoded as the scheme requires."""

    code = "malformed_body"


class MalformedHashError(MalformedError):
    """A stored password hash is not a valid bcrypt hash."""

    code = "malformed_hash"


class TooLargeError(MalformedError):
    """A header, body, payload or document over a documented size limit (rejected before any
    work)."""

    code = "too_large"


class UnsupportedError(MalformedError):
    """A critical extension payseal does not implement."""

    code = "crit_unsupported"


def _class_by_code() -> Dict[str, Type[PaysealError]]:
    """Every code of the core's table mapped to the class the core names for it."""
    classes = {name: globals()[name] for name in __all__}
    return {name: classes[cls] for _number, name, cls, _message in _native.codes() if name != "ok"}


_CLASS_BY_CODE: Dict[str, Type[PaysealError]] = _class_by_code()
"""The class each code raises, from the core's table (read by the native module when raising)."""
