"""The exceptions payseal raises, defined once, here.

Every class is a ``ValueError`` (bad input, never a crash) and carries ``code``, the outcome's
name in the conformance vocabulary (``../shared/vectors/README.md``): what a caller or a log
line can act on. Verification failures never say where a MAC differed.

::

    Error(ValueError)                 any payseal failure
    ├── EncodingError                 "invalid_encoding": bad hex / base64
    ├── InvalidInput                  refused on purpose: "cost_out_of_range",
    │   │                             "secret_too_long", "secret_contains_nul",
    │   │                             "payload_not_object", "payload_too_large"
    │   └── InvalidKey                a key or secret payseal cannot use: "unknown_prefix",
    │                                 "bad_length", "bad_character" (+ ``offset``),
    │                                 "environment_mismatch", "not_publishable", "not_secret",
    │                                 "no_secret", "too_many_secrets", "empty_secret",
    │                                 "malformed_secret", "empty_signature", "signature_too_long"
    ├── JsonError                     "syntax", "invalid_utf8", "duplicate_key", "depth",
    │                                 "number_range", "lone_surrogate" (+ ``offset``)
    └── VerificationError             the input was understood and is not to be trusted
        ├── BadSignature              "bad_signature": the MAC does not match
        │   └── Mismatch              "mismatch": a hash or secret does not match
        ├── Expired                   "expired": valid once, not any more (+ ``expires_at``)
        ├── TimestampOutOfTolerance
        │   ├── TimestampTooOld       "timestamp_too_old"
        │   └── TimestampTooNew       "timestamp_too_new"
        ├── InvalidTableLink          "invalid_table_link" (one error, no detail)
        └── Malformed                 "malformed": cannot be checked at all (+ ``reason``)
            ├── MalformedHeader       "malformed_header", "too_many_signatures"
            ├── MissingHeader         "missing_header"
            ├── MalformedBody         "malformed_body"
            ├── MalformedHash         "malformed_hash"
            └── TooLarge              "too_large": over a documented size limit

The native module raises these by code (``_CLASS_BY_CODE``); a code without a class of its own
(``"randomness"``: the OS generator failed) raises the base ``Error`` with that code. An
instance's ``code`` is always the specific one (``MalformedHeader`` may carry
``"too_many_signatures"``).
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple, Type

__all__ = [
    "Error",
    "EncodingError",
    "InvalidInput",
    "InvalidKey",
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
    "TooLarge",
    "InvalidTableLink",
    "JSON_CODES",
    "KEY_CODES",
    "INPUT_CODES",
]


class Error(ValueError):
    """Any payseal failure. ``code`` names the outcome (``"syntax"``, ``"bad_signature"``, ...)."""

    code: str = "error"

    def __init__(self, message: str = "", *, code: Optional[str] = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r}, code={self.code!r})"


class EncodingError(Error):
    """Text that is not valid hex or base64 (bad character, length or padding)."""

    code = "invalid_encoding"


class InvalidInput(Error):
    """Input payseal refuses on purpose rather than silently altering: a bcrypt cost outside
    4..31, a secret to hash over 72 bytes or containing NUL (it would be truncated), a QR
    payload that is not a JSON object or too large for a QR code."""

    code = "invalid_input"


class InvalidKey(InvalidInput):
    """A key, secret or signature that payseal cannot use: an API key of the wrong form
    (``offset`` locates a bad character), a live/test mix, webhook secrets that are missing,
    empty or not in the scheme's format, an empty Paylands signature."""

    code = "invalid_key"
    offset: Optional[int]

    def __init__(self, message: str = "", *, code: Optional[str] = None, offset: Optional[int] = None) -> None:
        super().__init__(message, code=code)
        self.offset = offset


INPUT_CODES: Tuple[str, ...] = (
    "cost_out_of_range", "secret_too_long", "secret_contains_nul", "payload_not_object", "payload_too_large",
)
"""The codes an :class:`InvalidInput` that is not an :class:`InvalidKey` can carry."""

KEY_CODES: Tuple[str, ...] = (
    "unknown_prefix", "bad_length", "bad_character", "environment_mismatch", "not_publishable", "not_secret",
    "no_secret", "too_many_secrets", "empty_secret", "malformed_secret", "empty_signature", "signature_too_long",
)
"""The codes an :class:`InvalidKey` can carry."""


JSON_CODES: Tuple[str, ...] = ("syntax", "invalid_utf8", "duplicate_key", "depth", "number_range", "lone_surrogate")
"""The codes a :class:`JsonError` can carry."""


class JsonError(Error):
    """Input that is not accepted JSON; ``code`` is one of :data:`JSON_CODES` and ``offset`` the
    byte offset in the input where the problem was found."""

    code = "syntax"
    offset: Optional[int]

    def __init__(self, message: str = "", *, code: Optional[str] = None, offset: Optional[int] = None) -> None:
        super().__init__(message, code=code)
        self.offset = offset


class VerificationError(Error):
    """The input was understood, and is not to be trusted."""

    code = "verification_failed"


class BadSignature(VerificationError):
    """The signature (MAC) does not match the data: forged, altered, or the wrong key."""

    code = "bad_signature"


class Mismatch(BadSignature):
    """A hash or secret does not match (Paylands ``validation_hash``, bcrypt secrets)."""

    code = "mismatch"


class Expired(VerificationError):
    """Correctly signed, but past its expiry (EU Pay QR ``expiresAt``, in Unix seconds as
    ``expires_at``)."""

    code = "expired"
    expires_at: Optional[int] = None


class TimestampOutOfTolerance(VerificationError):
    """A signed timestamp too far from now (replay protection)."""

    code = "timestamp_out_of_tolerance"


class TimestampTooOld(TimestampOutOfTolerance):
    """The signed timestamp is older than the tolerance allows."""

    code = "timestamp_too_old"


class TimestampTooNew(TimestampOutOfTolerance):
    """The signed timestamp is further in the future than the tolerance allows."""

    code = "timestamp_too_new"


class Malformed(VerificationError):
    """The input cannot be checked at all (not the expected shape). ``reason``, when set, names
    what is wrong in the core's words (EU Pay QR: ``"bad_base64"``, ``"missing_sig"``, a JSON
    error code, ...); when the input is not JSON, ``__cause__`` is the :class:`JsonError`."""

    code = "malformed"
    reason: Optional[str] = None


class MalformedHeader(Malformed):
    """A signature header is present but unreadable (wrong prefix or algorithm, not hex, empty)."""

    code = "malformed_header"


class MissingHeader(Malformed):
    """A header the scheme requires is absent."""

    code = "missing_header"


class MalformedBody(Malformed):
    """The body cannot be decoded as the scheme requires."""

    code = "malformed_body"


class MalformedHash(Malformed):
    """A stored password hash is not a valid bcrypt hash."""

    code = "malformed_hash"


class TooLarge(Malformed):
    """A header, body or document over a documented size limit (rejected before any work)."""

    code = "too_large"


class InvalidTableLink(VerificationError):
    """A table QR link that is not this merchant's (or not a table link at all). Every cause
    gives this one error, so a scanner learns nothing that helps it guess."""

    code = "invalid_table_link"


def _class_by_code() -> Dict[str, Type[Error]]:
    table: Dict[str, Type[Error]] = {code: JsonError for code in JSON_CODES}
    table.update({code: InvalidInput for code in INPUT_CODES})
    table.update({code: InvalidKey for code in KEY_CODES})
    for cls in (EncodingError, BadSignature, Mismatch, Expired, TimestampTooOld, TimestampTooNew, Malformed,
                MalformedHeader, MissingHeader, MalformedBody, MalformedHash, TooLarge, InvalidTableLink):
        table[cls.code] = cls
    table["too_many_signatures"] = MalformedHeader
    return table


_CLASS_BY_CODE: Dict[str, Type[Error]] = _class_by_code()
