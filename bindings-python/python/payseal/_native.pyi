"""Type stubs for the native half of payseal (``payseal._native``); import ``payseal`` instead."""

from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Protocol, Sequence, Tuple, Union

from typing_extensions import Buffer, Literal, TypeAlias, final

from .errors import PaysealError

BytesLike: TypeAlias = Union[Buffer, str]
"""``bytes``, ``bytearray``, ``memoryview`` (C-contiguous) or any buffer, or ``str`` (as UTF-8)."""

class _HeaderItems(Protocol):
    """Any mapping-like header object: Starlette's ``Headers``, Werkzeug's ``EnvironHeaders``."""

    def items(self) -> Iterable[Tuple[BytesLike, BytesLike]]: ...

HeadersLike: TypeAlias = Union[
    Mapping[str, str], Mapping[bytes, bytes], _HeaderItems, Iterable[Tuple[BytesLike, BytesLike]]
]
"""A dict or mapping of header names to values, or ``(name, value)`` pairs (repeats allowed);
names are matched case-insensitively."""

Secrets: TypeAlias = Union[BytesLike, Sequence[BytesLike]]
"""One secret, or up to four tried in order (rotation)."""

Seconds: TypeAlias = Union[int, float]

SchemeName: TypeAlias = Literal[
    "eupay", "github", "stripe", "standard", "shopify", "checkout", "adyen_item", "spreedly", "oppwa", "oppwa_base64"
]
SpreedlyAlgorithm: TypeAlias = Literal["sha1", "sha256", "sha512"]
PaylandsMode: TypeAlias = Literal["notification", "response"]
PaylandsFlags: TypeAlias = Literal["default", "unescaped"]
PaylandsFlagsPolicy: TypeAlias = Literal["default", "unescaped", "auto"]
KeyKind: TypeAlias = Literal["publishable", "secret"]
Environment: TypeAlias = Literal["live", "test"]

__version__: str
WEBHOOK_SCHEMES: Tuple[SchemeName, ...]
TABLE_URL_BASE: str
BCRYPT_DEFAULT_COST: int

# ---- webhooks ---------------------------------------------------------------------------------

@final
class WebhookVerifier:
    """One provider's webhook scheme with its secrets, parsed and precomputed once. Raises
    ``InvalidKeyError`` for secrets not in the scheme's format, ``InvalidInputError`` for an
    unknown scheme."""

    def __new__(cls, scheme: SchemeName, secrets: Secrets) -> WebhookVerifier: ...
    @property
    def scheme(self) -> SchemeName: ...
    def __len__(self) -> int: ...
    @property
    def header_names(self) -> List[str]:
        """The names of the headers the scheme reads, as providers spell them (the core's list)."""
    def verify(
        self, headers: HeadersLike, body: BytesLike, *, now: Optional[Seconds] = None, tolerance: int = 300
    ) -> None:
        """Returns None for an authentic (and fresh) delivery; raises ``BadSignatureError``,
        ``MissingHeaderError``, ``MalformedHeaderError``, ``MalformedBodyError``,
        ``TimestampTooOldError``, ``TimestampTooNewError`` or ``TooLargeError``. ``now``: Unix
        seconds (default: the clock)."""
    def open(
        self, headers: HeadersLike, body: BytesLike, *, now: Optional[Seconds] = None, tolerance: int = 300
    ) -> bytes:
        """``verify``, returning the bytes to act on as the core decides: the decrypted
        notification for OPPWA, ``body`` itself for the MAC schemes."""
    def verify_batch(
        self,
        items: Iterable[Tuple[HeadersLike, BytesLike]],
        *,
        now: Optional[Seconds] = None,
        tolerance: int = 300,
        threads: Optional[int] = None,
    ) -> List[Optional[PaysealError]]:
        """Many deliveries with the GIL released, over the cores; None or the exception per item."""

def verify_webhook(
    scheme: SchemeName,
    secrets: Secrets,
    headers: HeadersLike,
    body: BytesLike,
    *,
    now: Optional[Seconds] = None,
    tolerance: int = 300,
) -> None:
    """One-shot ``WebhookVerifier(scheme, secrets).verify(headers, body, ...)``."""

def verify_webhook_batch(
    items: Iterable[Tuple[WebhookVerifier, HeadersLike, BytesLike]],
    *,
    now: Optional[Seconds] = None,
    tolerance: int = 300,
    threads: Optional[int] = None,
) -> List[Optional[PaysealError]]:
    """``(verifier, headers, body)`` deliveries with the GIL released; None or the exception per item."""

@final
class SignedWebhook:
    """A signed delivery: the headers to add and the body to send (``headers, body = signed``)."""

    @property
    def headers(self) -> Dict[str, str]:
        """``{name: value}``, names as the provider spells them, in the order it sends them."""
    @property
    def body(self) -> bytes:
        """The body to send: the body given for the MAC schemes (the same object when it is
        ``bytes``); the signed item (``adyen_item``), the document with its ``<signed>`` block
        (``spreedly``), the ciphertext (``oppwa``, ``oppwa_base64``)."""
    def __iter__(self) -> Iterator[Union[Dict[str, str], bytes]]: ...

@final
class WebhookSigner:
    """Signs one provider's webhooks with the newest (first) of its secrets; the mirror of
    ``WebhookVerifier``, with the same constructor. Raises ``InvalidKeyError`` for secrets not
    in the scheme's format, ``InvalidInputError`` for an unknown scheme."""

    def __new__(cls, scheme: SchemeName, secrets: Secrets) -> WebhookSigner: ...
    @property
    def scheme(self) -> SchemeName: ...
    def __len__(self) -> int: ...
    def sign(
        self,
        body: BytesLike,
        *,
        now: Optional[Seconds] = None,
        id: Optional[str] = None,
        iv: Optional[Buffer] = None,
        fields: Optional[Union[str, Sequence[str]]] = None,
        algorithm: Optional[SpreedlyAlgorithm] = None,
    ) -> SignedWebhook:
        """Signs ``body`` (sent exactly as given). ``now``: Unix seconds (default: the clock;
        signed by ``stripe`` and ``standard``); ``id``: the Standard Webhooks message id (default:
        random); ``iv``: OPPWA's 12-byte nonce (default: random); ``fields``/``algorithm``:
        Spreedly's signed fields and hash. Raises ``InvalidInputError`` (``invalid_argument``),
        ``MalformedBodyError``, ``TooLargeError`` or ``RandomnessError``."""

def sign_webhook(
    scheme: SchemeName,
    secrets: Secrets,
    body: BytesLike,
    *,
    now: Optional[Seconds] = None,
    id: Optional[str] = None,
    iv: Optional[Buffer] = None,
    fields: Optional[Union[str, Sequence[str]]] = None,
    algorithm: Optional[SpreedlyAlgorithm] = None,
) -> SignedWebhook:
    """One-shot ``WebhookSigner(scheme, secrets).sign(body, ...)``."""

# ---- EU Pay QR codes --------------------------------------------------------------------------

QR_URL_PREFIX: str
QR_DEEP_LINK_PREFIX: str
MAX_QR_LEN: int

QrPayload: TypeAlias = Union[BytesLike, Dict[str, Any]]
"""JSON text of an object (any spelling: it is canonicalised as ``JSON.stringify`` prints it), or
a dict (serialised with ``json.dumps`` first)."""

@final
class SignedQr:
    """Every form of a signed payload."""

    @property
    def canonical(self) -> str:
        """``JSON.stringify`` of the payload: the signed text."""
    @property
    def sig(self) -> str:
        """HMAC-SHA256 of ``canonical``, lowercase hex."""
    @property
    def envelope(self) -> str:
        """``{"payload":...,"sig":"..."}`` in unpadded base64url."""
    @property
    def url(self) -> str:
        """The QR URL."""

@final
class QrSigner:
    """Signs EU Pay QR payloads with one secret (key schedule computed once)."""

    def __new__(cls, secret: BytesLike) -> QrSigner: ...
    def sign(self, payload: QrPayload) -> str:
        """The QR URL. Raises ``JsonError``, ``InvalidInputError`` (``payload_not_object``) or
        ``TooLargeError``."""
    def sign_parts(self, payload: QrPayload) -> SignedQr:
        """Canonical payload, signature, envelope and URL."""

@final
class VerifiedQr:
    """A verified QR payload: the signed JSON and its usual fields (None when absent)."""

    @property
    def payload_json(self) -> str: ...
    @property
    def payload(self) -> Dict[str, Any]:
        """``json.loads(payload_json)``."""
    @property
    def version(self) -> Optional[int]: ...
    @property
    def type(self) -> Optional[str]: ...
    @property
    def amount(self) -> Optional[float]: ...
    @property
    def amount_text(self) -> Optional[str]:
        """``amount`` as written (for ``decimal.Decimal``)."""
    @property
    def currency(self) -> Optional[str]: ...
    @property
    def expires_at(self) -> Optional[int]:
        """``expiresAt`` in Unix seconds; None: does not expire."""
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def gateway_reference(self) -> Optional[str]: ...
    @property
    def label(self) -> Optional[str]: ...
    @property
    def merchant_id(self) -> Optional[str]: ...
    @property
    def merchant_name(self) -> Optional[str]: ...

@final
class QrVerifier:
    """Verifies scanned EU Pay QR codes with one secret."""

    def __new__(cls, secret: BytesLike) -> QrVerifier: ...
    def verify(self, qr: BytesLike, *, now: Optional[Seconds] = None) -> VerifiedQr:
        """The URL, the ``eupay://pay?data=`` deep link or the bare data parameter; raises
        ``BadSignatureError``, ``ExpiredError`` (``.expires_at``) or ``MalformedError``
        (``.reason``)."""

def sign_qr(secret: BytesLike, payload: QrPayload) -> str:
    """One-shot ``QrSigner(secret).sign(payload)``."""

def verify_qr(secret: BytesLike, qr: BytesLike, *, now: Optional[Seconds] = None) -> VerifiedQr:
    """One-shot ``QrVerifier(secret).verify(qr, now=now)``."""

def decode_qr_unverified(qr: BytesLike) -> bytes:
    """The envelope JSON, NOT verified (debugging only); raises ``MalformedError``."""

# ---- JOSE: JWS and JWT ---------------------------------------------------------------------------

JwsAlgorithm: TypeAlias = Literal[
    "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"
]
JsonDocument: TypeAlias = Union[BytesLike, Dict[str, Any]]
"""JSON text (``str``, ``bytes``, any buffer), or a dict serialised with ``json.dumps``."""

class _KeySource(Protocol):
    """A key source such as ``RemoteJwkSet``: its current set, and a newer one after
    ``key_not_found`` (or None when its policy allows no fetch now)."""

    def _key_set(self) -> JwkSet: ...
    def _key_set_for_unknown_kid(self, stale: JwkSet, /) -> Optional[JwkSet]: ...

Keys: TypeAlias = Union[JwkSet, _KeySource, JsonDocument]
"""A :class:`JwkSet`, a ``RemoteJwkSet``, or a JWK Set document (parsed per call)."""

JWS_ALGORITHMS: Tuple[JwsAlgorithm, ...]
MAX_TOKEN_LEN: int
MAX_JWKS_LEN: int

@final
class JwkSet:
    """A JWK Set (``{"keys": [...]}``) parsed once. Keys payseal cannot verify with (unknown
    ``kty``, ``use: "enc"`` such as Keycloak's ``RSA-OAEP`` key, RSA under 2048 bits) are
    skipped and counted, never an error of the whole set. Raises ``InvalidKeyError`` when the
    document is not a JWK Set, ``TooLargeError`` over the size caps."""

    def __new__(cls, document: JsonDocument) -> JwkSet: ...
    def __len__(self) -> int: ...
    @property
    def skipped(self) -> int:
        """How many entries of the document were skipped."""
    @property
    def kids(self) -> List[str]:
        """The ``kid``s of the keys kept, in document order (keys without one are not listed)."""

@final
class JwtVerifier:
    """Verifies JWTs against ``keys`` accepting only ``algorithms`` (required: never guessed; a
    name payseal does not implement, ``none`` included, is ``AlgorithmNotAllowedError``), with ``aud``/``iss`` checks when given and ``leeway`` seconds of
    clock skew on ``exp``/``nbf``."""

    def __new__(
        cls,
        keys: Keys,
        algorithms: Sequence[JwsAlgorithm],
        *,
        audience: Optional[str] = None,
        issuer: Optional[str] = None,
        leeway: int = 0,
    ) -> JwtVerifier: ...
    def verify(self, token: BytesLike, *, now: Optional[Seconds] = None) -> Dict[str, Any]:
        """The claims of a valid token at ``now`` (Unix seconds; default the clock). Raises
        ``MalformedError``, ``UnsupportedError`` (``crit``), ``AlgorithmNotAllowedError``,
        ``KeyNotFoundError``, ``BadSignatureError``, ``ExpiredError``, ``NotYetValidError`` or
        ``ClaimError`` (``audience``, ``issuer``), in that precedence."""
    def verify_jws(self, token: BytesLike) -> bytes:
        """The payload of a compact JWS whose signature verifies (no claim checks)."""

def verify_jwt(
    keys: Keys,
    token: BytesLike,
    *,
    algorithms: Sequence[JwsAlgorithm],
    audience: Optional[str] = None,
    issuer: Optional[str] = None,
    leeway: int = 0,
    now: Optional[Seconds] = None,
) -> Dict[str, Any]:
    """One-shot ``JwtVerifier(keys, algorithms, ...).verify(token, now=now)``."""

def verify_jws(keys: Keys, token: BytesLike, *, algorithms: Sequence[JwsAlgorithm]) -> bytes:
    """One-shot ``JwtVerifier(keys, algorithms).verify_jws(token)``."""

def sign_jws(jwk: JsonDocument, header: BytesLike, payload: BytesLike) -> str:
    """Signs ``payload`` under the protected ``header`` (its exact JSON text) with a private JWK."""

def sign_jwt(
    jwk: JsonDocument, claims: Dict[str, Any], *, alg: Optional[JwsAlgorithm] = None, kid: Optional[str] = None
) -> str:
    """Signs ``claims`` as a JWT under ``{"alg":..,"typ":"JWT","kid":..}``; ``alg`` defaults to
    the JWK's ``alg``, else its type's (``oct`` HS256, RSA RS256, P-256 ES256, P-384 ES384,
    Ed25519 EdDSA), ``kid`` to the JWK's."""

def inspect_jwt(token: BytesLike) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """``(header, claims)`` of a token, NOT verified: for display and debugging only."""

def jwk_thumbprint(jwk: JsonDocument) -> str:
    """The RFC 7638 thumbprint of a JWK, base64url (the usual ``kid``)."""

@final
class _JwkRefresher:
    """The core's refresh policy of a remote JWK Set (``payseal::jose::refresh``)."""

    def __new__(cls, max_age: int, cooldown: int) -> _JwkRefresher: ...
    def should_fetch(self, now: int) -> bool: ...
    def should_refetch_for_unknown_kid(self, now: int) -> bool: ...
    def attempt(self, now: int) -> None: ...
    def succeeded(self, now: int) -> None: ...
    def failed(self, now: int) -> None: ...
    @property
    def has_set(self) -> bool: ...

# ---- Paylands ---------------------------------------------------------------------------------

@final
class PaylandsVerifier:
    """The service's signature and a reusable parser scratch. Raises ``InvalidKeyError`` when the
    signature is empty or over 256 bytes."""

    def __new__(cls, signature: BytesLike) -> PaylandsVerifier: ...
    def verify(
        self, body: BytesLike, *, mode: PaylandsMode = "notification", flags: PaylandsFlagsPolicy = "auto"
    ) -> PaylandsFlags:
        """The flag set that matched; raises ``MismatchError`` or ``MalformedError``."""
    def hash(self, body: BytesLike, *, mode: PaylandsMode = "notification", flags: PaylandsFlags = "default") -> str:
        """The lowercase hex ``validation_hash`` Paylands would send for ``body``."""

def verify_paylands(
    signature: BytesLike,
    body: BytesLike,
    *,
    mode: PaylandsMode = "notification",
    flags: PaylandsFlagsPolicy = "auto",
) -> PaylandsFlags:
    """One-shot ``PaylandsVerifier(signature).verify(body, mode=mode, flags=flags)``."""

def paylands_hash(
    signature: BytesLike, body: BytesLike, *, mode: PaylandsMode = "notification", flags: PaylandsFlags = "default"
) -> str:
    """One-shot ``PaylandsVerifier(signature).hash(body, mode=mode, flags=flags)``."""

def paylands_data(body: BytesLike, *, mode: PaylandsMode = "notification", flags: PaylandsFlags = "default") -> bytes:
    """The JSON Paylands hashes (before the signature is appended)."""

# ---- secrets ----------------------------------------------------------------------------------

def verify_bcrypt(secret: BytesLike, hash: BytesLike) -> None:
    """Raises ``MismatchError`` or ``MalformedHashError``; the GIL is released while bcrypt runs."""

def hash_bcrypt(secret: BytesLike, *, cost: int = 10) -> str:
    """A ``$2b$`` hash with a fresh salt; raises ``InvalidInputError`` (cost outside 4..31, secret
    over 72 bytes or containing NUL). The GIL is released while bcrypt runs."""

@final
class SecretVerifier:
    """bcrypt with a bounded, expiring, thread-safe cache of successes."""

    def __new__(
        cls,
        capacity: int = 10000,
        ttl: float = 300.0,
        *,
        redis: Optional[str] = None,
        cache_key: Optional[BytesLike] = None,
        redis_timeout: float = 0.05,
    ) -> SecretVerifier:
        """With ``redis`` (``redis://HOST:PORT[/DB]``) and ``cache_key`` (>= 32 bytes, shared by
        every process using that Redis), successes are also kept in Redis: the in-process cache
        first, then Redis, then bcrypt. Raises ``InvalidKeyError`` (short key) and
        ``InvalidInputError`` (bad URL, zero timeout, only one of the two)."""
    @staticmethod
    def shared(
        name: str = "default",
        capacity: int = 10000,
        ttl: float = 300.0,
        *,
        redis: Optional[str] = None,
        cache_key: Optional[BytesLike] = None,
        redis_timeout: float = 0.05,
    ) -> SecretVerifier:
        """The process's verifier called ``name``, its cache kept by the library for the life of
        the process (the first call sets ``capacity``, ``ttl`` and Redis)."""
    def verify(self, secret: BytesLike, hash: BytesLike, *, now: Optional[float] = None) -> None:
        """Raises ``MismatchError`` or ``MalformedHashError``. ``now``: a ``time.monotonic()`` reading."""
    @property
    def hits(self) -> int: ...
    @property
    def store_hits(self) -> int:
        """Checks answered from Redis (0 without Redis)."""
    @property
    def misses(self) -> int: ...
    @property
    def capacity(self) -> int: ...
    @property
    def ttl(self) -> float: ...
    def clear(self) -> None: ...
    def __len__(self) -> int: ...

def inspect_api_key(key: BytesLike) -> Tuple[KeyKind, Environment]:
    """``(kind, environment)`` of an API key; raises ``InvalidKeyError``."""

def generate_api_key(kind: KeyKind, environment: Environment) -> str:
    """A new ``pk_``/``sk_`` key with 32 random ``[A-Za-z0-9]``."""

def generate_api_key_pair(environment: Environment) -> Tuple[str, str]:
    """A new ``(publishable, secret)`` pair."""

def check_api_key_pair(publishable: BytesLike, secret: BytesLike) -> Environment:
    """The pair's environment; raises ``InvalidKeyError`` (``environment_mismatch``, ...)."""

def generate_table_token() -> str:
    """32 lowercase hex digits (16 random bytes)."""

def table_url(merchant_id: BytesLike, token: BytesLike, *, base: str = ...) -> str:
    """``<base><merchant uuid>/<token>``; raises ``InvalidTableLinkError`` for a bad id or token."""

def table_url_merchant(url: BytesLike, *, base: str = ...) -> str:
    """The merchant UUID a (not yet verified) table link names; raises ``InvalidTableLinkError``."""

def verify_table_url(merchant_id: BytesLike, token: BytesLike, url: BytesLike, *, base: str = ...) -> None:
    """Raises ``InvalidTableLinkError`` (one error for every cause)."""

# ---- the core's table of outcomes ---------------------------------------------------------------

def codes() -> List[Tuple[int, str, str, str]]:
    """``(number, name, class, message)`` of every outcome (``core/src/codes.rs``), by number."""

def classes() -> List[Tuple[str, Optional[str]]]:
    """``(name, parent)`` of every error class, parents first (``None`` for ``PaysealError``)."""

# ---- JSON and encodings -----------------------------------------------------------------------

def canonicalize(
    input: BytesLike,
    dialect: Literal["js", "php", "jcs"],
    *,
    unescaped_slashes: bool = False,
    unescaped_unicode: bool = False,
) -> bytes:
    """Canonical JSON: ``JSON.stringify(JSON.parse(input))`` (``"js"``) or PHP's
    ``json_encode(json_decode(input, true), flags)`` (``"php"``; the flags are
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
