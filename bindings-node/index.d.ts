// Types of the `payseal` package (index.js / index.mjs). Keep in step with index.js and
// errors.js: test/exports.test.mjs checks that every runtime export is declared here.
/// <reference types="node" />

// ---- JSON ------------------------------------------------------------------------------------

/** Whose output to reproduce: `JSON.stringify(JSON.parse(x))`, PHP's `json_encode(json_decode(x, true))` or RFC 8785 (JCS). */
export type Dialect = 'js' | 'php' | 'jcs';

/** `json_encode` flags, for the 'php' dialect only (passing them with 'js' is an error). */
export interface PhpOptions {
  /** `JSON_UNESCAPED_SLASHES`: print `/` rather than `\/`. */
  unescapedSlashes?: boolean;
  /** `JSON_UNESCAPED_UNICODE`: print non-ASCII characters as UTF-8 rather than `\uXXXX`. */
  unescapedUnicode?: boolean;
}

/**
 * The canonical form of a JSON text, byte for byte as the dialect's engine prints it, with
 * payseal's stricter policy: invalid UTF-8, duplicate keys, numbers overflowing to infinity and
 * excessive nesting are errors. A string input is taken as its UTF-8.
 * @throws {JsonError} when the input is rejected (`code` says why, `offset` where).
 */
export function canonicalizeSync(input: string | Uint8Array, dialect: Dialect, opts?: PhpOptions): string;

/**
 * Writes the canonical bytes into `dst` (which must not overlap `input`) and returns how many
 * were written; no string is created. Size `dst` generously: a {@link BufferTooSmallError} says
 * how many bytes are `needed`.
 * @throws {JsonError} when the input is rejected.
 */
export function canonicalizeInto(input: string | Uint8Array, dst: Uint8Array, dialect: Dialect, opts?: PhpOptions): number;

/** {@link canonicalizeSync} on the libuv thread pool; rejects with a {@link JsonError}. */
export function canonicalize(input: string | Uint8Array, dialect: Dialect, opts?: PhpOptions): Promise<string>;

// ---- Encodings -------------------------------------------------------------------------------
// Byte inputs and outputs are never views of a SharedArrayBuffer (another worker could write
// them during the call): such a view is an InvalidInputError ('invalid_argument'); copy it first.
// `…Encode` returns text; `…Decode` returns a new Buffer; the `…Into` forms write into `dst`
// (which must not overlap the input) and return the number of bytes written, throwing a
// BufferTooSmallError that says how many are `needed` when `dst` is too short.

/** Lowercase hex. */
export function hexEncode(src: Uint8Array): string;
export function hexEncodeInto(src: Uint8Array, dst: Uint8Array): number;
/** Hex in either case; an odd length or a non-hex character is an {@link EncodingError}. */
export function hexDecode(src: string | Uint8Array): Buffer;
export function hexDecodeInto(src: string | Uint8Array, dst: Uint8Array): number;

/** base64url without padding. */
export function base64urlEncode(src: Uint8Array): string;
export function base64urlEncodeInto(src: Uint8Array, dst: Uint8Array): number;
/** base64url; `=` padding is optional but must be correct when present. */
export function base64urlDecode(src: string | Uint8Array): Buffer;
export function base64urlDecodeInto(src: string | Uint8Array, dst: Uint8Array): number;

/** Standard base64 with padding. */
export function base64Encode(src: Uint8Array): string;
export function base64EncodeInto(src: Uint8Array, dst: Uint8Array): number;
/** Standard base64; padding is required (RFC 4648 §4). */
export function base64Decode(src: string | Uint8Array): Buffer;
export function base64DecodeInto(src: string | Uint8Array, dst: Uint8Array): number;

/**
 * True when `a` and `b` (strings, taken as UTF-8, or bytes) are the same bytes, in time that
 * depends only on their lengths. The one boolean of the API: a comparison, not a verification.
 */
export function compareDigest(a: string | Uint8Array, b: string | Uint8Array): boolean;

// ---- Webhooks --------------------------------------------------------------------------------

/** A provider's signature scheme. */
export type WebhookScheme =
  | 'eupay'
  | 'github'
  | 'stripe'
  | 'standard'
  | 'shopify'
  | 'checkout'
  | 'adyen_item'
  | 'spreedly'
  | 'oppwa'
  | 'oppwa_base64';

/** A header value: Node gives a string (or a string[] for repeated headers). */
export type HeaderValue = string | Uint8Array | ReadonlyArray<string | Uint8Array> | undefined;

/**
 * Request headers: Node's `req.headers` (or any plain object; lowercase names are looked up
 * first; other spellings when none is lowercase), a WHATWG `Headers` instance, a `Map` or
 * `[name, value]` pairs (names in any case).
 */
export type WebhookHeaders =
  | Readonly<Record<string, HeaderValue>>
  | Headers
  | ReadonlyMap<string, HeaderValue>
  | ReadonlyArray<readonly [string, HeaderValue]>;

/** The clock of a verification: only 'stripe' and 'standard' sign a timestamp. */
export interface FreshnessOptions {
  /** The current time, Unix seconds (fractions are dropped) or a Date. Default: the system clock. */
  now?: number | Date;
  /** Seconds the signed timestamp may lie before or after `now`. Default 300. */
  tolerance?: number;
}

/** A secret as the provider shows it (text, `whsec_…`, hex), or its bytes. */
export type WebhookSecret = string | Uint8Array;

/** One delivery of a batch. */
export interface WebhookItem {
  headers: WebhookHeaders;
  body: string | Uint8Array;
}

/** One delivery of a mixed batch. */
export interface WebhookBatchItem extends WebhookItem {
  verifier: WebhookVerifier;
}

/** A batch outcome: `null` when authentic, else the error that rejects the delivery. */
export type WebhookOutcome = PaysealError | null;

/**
 * Verifies one provider's webhooks. Build it once: the secrets are parsed and the HMAC key
 * schedule computed in the constructor.
 * @throws {InvalidKeyError} when a secret is empty or not in the scheme's format.
 */
export class WebhookVerifier {
  /** @param secrets one secret, or up to four while rotating (any of them may have signed). */
  constructor(scheme: WebhookScheme, secrets: WebhookSecret | ReadonlyArray<WebhookSecret>);
  readonly scheme: WebhookScheme;
  /** How many secrets the verifier holds. */
  readonly length: number;
  /** The lowercase names of the headers the scheme reads (the core's `Scheme::header_names`). */
  readonly headerNames: readonly string[];
  /**
   * Returns when the delivery is authentic (and fresh, for 'stripe' and 'standard').
   * @param body the raw body, exactly as received (`express.raw()`), not re-serialised JSON.
   * @throws {BadSignatureError | MissingHeaderError | MalformedHeaderError | MalformedBodyError | TimestampTooOldError | TimestampTooNewError | TooLargeError}
   */
  verifySync(headers: WebhookHeaders, body: string | Uint8Array, opts?: FreshnessOptions): void;
  /** The promise form of `verifySync`; bodies over 64 KiB are verified on the libuv thread pool. */
  verify(headers: WebhookHeaders, body: string | Uint8Array, opts?: FreshnessOptions): Promise<void>;
  /** The size `openInto` needs for `body` (OPPWA's plaintext; 0 for the MAC schemes). */
  openLength(body: string | Uint8Array): number;
  /** Verifies and writes the decrypted payload (OPPWA's plaintext; nothing for MAC schemes) into `dst`; returns its length. */
  openInto(headers: WebhookHeaders, body: string | Uint8Array, dst: Uint8Array, opts?: FreshnessOptions): number;
  /**
   * Verifies and returns the bytes to act on, as the core decides: OPPWA's plaintext, or the
   * body itself for the MAC schemes (the same Buffer when the body is one).
   */
  openSync(headers: WebhookHeaders, body: string | Uint8Array, opts?: FreshnessOptions): Buffer;
  /** The promise form of `openSync`. */
  open(headers: WebhookHeaders, body: string | Uint8Array, opts?: FreshnessOptions): Promise<Buffer>;
  /** Verifies many deliveries on the thread pool; one outcome per item, in order. */
  verifyBatch(items: ReadonlyArray<WebhookItem>, opts?: FreshnessOptions): Promise<WebhookOutcome[]>;
}

/**
 * One-shot `new WebhookVerifier(scheme, secrets).verifySync(headers, body, opts)`, without a
 * verifier left behind (prefer a verifier for more than one delivery).
 */
export function verifyWebhookSync(
  scheme: WebhookScheme,
  secrets: WebhookSecret | ReadonlyArray<WebhookSecret>,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  opts?: FreshnessOptions,
): void;
/** The promise form of {@link verifyWebhookSync} (bodies over 64 KiB on the libuv thread pool). */
export function verifyWebhook(
  scheme: WebhookScheme,
  secrets: WebhookSecret | ReadonlyArray<WebhookSecret>,
  headers: WebhookHeaders,
  body: string | Uint8Array,
  opts?: FreshnessOptions,
): Promise<void>;

/** Verifies deliveries of any schemes on the thread pool; one outcome per item, in order. */
export function verifyWebhookBatch(items: ReadonlyArray<WebhookBatchItem>, opts?: FreshnessOptions): Promise<WebhookOutcome[]>;

/** Options of a signature. */
export interface SignOptions {
  /** The signing time, Unix seconds (fractions are dropped) or a Date; signed by 'stripe' and 'standard'. Default: the system clock. */
  now?: number | Date;
  /** 'standard': the `webhook-id` (printable ASCII, no spaces). Default: `msg_` and 32 random hex digits. */
  id?: string;
  /** 'oppwa': the 12-byte AES-GCM nonce. Default: random. Never reuse one under the same key. */
  iv?: Uint8Array;
  /** 'spreedly': the `<transaction>` children to sign, in order. Default: every simple child. */
  fields?: string | readonly string[];
  /** 'spreedly': the HMAC hash. Default 'sha256'. */
  algorithm?: 'sha1' | 'sha256' | 'sha512';
}

/** A signed delivery. */
export interface SignedWebhook {
  /** The headers to add, names as the provider spells them, in the order it sends them. */
  headers: Record<string, string>;
  /**
   * The body to send: the body given (as a Buffer, the same one when it is a Buffer) for the
   * MAC schemes; the signed item ('adyen_item'), the document with its `<signed>` block
   * ('spreedly'), the ciphertext ('oppwa', 'oppwa_base64').
   */
  body: Buffer;
}

/**
 * Signs one provider's webhooks with the newest (first) of its secrets: the mirror of
 * {@link WebhookVerifier}, with the same constructor.
 * @throws {InvalidKeyError} when a secret is empty or not in the scheme's format.
 */
export class WebhookSigner {
  /** @param secrets one secret, or several newest first (the first signs). */
  constructor(scheme: WebhookScheme, secrets: WebhookSecret | ReadonlyArray<WebhookSecret>);
  readonly scheme: WebhookScheme;
  /**
   * Signs `body`, sent exactly as given.
   * @throws {InvalidInputError | MalformedBodyError | TooLargeError | RandomnessError}
   */
  signSync(body: string | Uint8Array, opts?: SignOptions): SignedWebhook;
  /** The promise form of `signSync`; bodies over 64 KiB are signed on the libuv thread pool. */
  sign(body: string | Uint8Array, opts?: SignOptions): Promise<SignedWebhook>;
}

/** One-shot `new WebhookSigner(scheme, secrets).signSync(body, opts)`, without a signer left behind. */
export function signWebhookSync(
  scheme: WebhookScheme,
  secrets: WebhookSecret | ReadonlyArray<WebhookSecret>,
  body: string | Uint8Array,
  opts?: SignOptions,
): SignedWebhook;
/** The promise form of {@link signWebhookSync} (bodies over 64 KiB on the libuv thread pool). */
export function signWebhook(
  scheme: WebhookScheme,
  secrets: WebhookSecret | ReadonlyArray<WebhookSecret>,
  body: string | Uint8Array,
  opts?: SignOptions,
): Promise<SignedWebhook>;

// ---- API secrets -----------------------------------------------------------------------------

export interface BcryptHashOptions {
  /** log2 of the key-schedule rounds, 4..31 (InvalidInputError `cost_out_of_range` outside). Default 10. */
  cost?: number;
}

/**
 * Returns when `secret` matches the stored `$2a$`/`$2b$`/`$2y$` hash (only its first 72 bytes
 * count; a NUL byte is data). Blocks for the whole computation: prefer `verifyBcrypt`.
 * @throws {MismatchError} the secret does not match.
 * @throws {MalformedHashError} the hash cannot be checked.
 */
export function verifyBcryptSync(secret: string | Uint8Array, hash: string | Uint8Array): void;
/** `verifyBcryptSync` on the libuv thread pool. */
export function verifyBcrypt(secret: string | Uint8Array, hash: string | Uint8Array): Promise<void>;
/**
 * A new `$2b$` hash (60 characters), salted from the OS generator.
 * @throws {InvalidInputError} `secret_too_long`, `secret_contains_nul` (never silently
 *   truncated), `cost_out_of_range`.
 */
export function hashBcryptSync(secret: string | Uint8Array, opts?: BcryptHashOptions): string;
/** `hashBcryptSync` on the libuv thread pool. */
export function hashBcrypt(secret: string | Uint8Array, opts?: BcryptHashOptions): Promise<string>;

export interface SecretVerifierOptions {
  /** Most successes remembered (0 disables the cache). Default 10000. */
  capacity?: number;
  /** Seconds a success is remembered. Default 300. */
  ttl?: number;
  /**
   * A Redis shared by every process (`redis://HOST:PORT[/DB]`, no TLS) behind the in-process
   * cache: the cache first, then Redis, then bcrypt. Needs `cacheKey`.
   * @throws {InvalidInputError} a bad URL, or only one of `redis` and `cacheKey`
   */
  redis?: string;
  /**
   * At least 32 random bytes (raw, not text), the same for every process sharing the Redis and
   * as secret as the API secrets: Redis entries are keyed and authenticated under it.
   * @throws {InvalidKeyError} shorter than 32 bytes (code `invalid_key`)
   */
  cacheKey?: Uint8Array;
  /** Seconds to connect, read or write before Redis counts as failed (bcrypt runs). Default 0.05. */
  redisTimeout?: number;
}

export interface SecretCheckOptions {
  /** The current time, Unix seconds or a Date. Default: the clock. */
  now?: number | Date;
}

/** bcrypt with a bounded, expiring cache of successes (an HMAC tag, never the secret). */
export class SecretVerifier {
  constructor(opts?: SecretVerifierOptions);
  /**
   * The process's verifier called `name` (default 'default'), its cache kept by the native
   * library for the life of the process; the first call with a name sets capacity and ttl.
   */
  static shared(name?: string, opts?: SecretVerifierOptions): SecretVerifier;
  /** @throws {MismatchError | MalformedHashError} */
  verifySync(secret: string | Uint8Array, hash: string | Uint8Array, opts?: SecretCheckOptions): void;
  verify(secret: string | Uint8Array, hash: string | Uint8Array, opts?: SecretCheckOptions): Promise<void>;
  /** Checks answered from the cache since construction. */
  readonly hits: number;
  /** Checks answered from Redis since construction (0 without Redis). */
  readonly storeHits: number;
  /** Checks that ran bcrypt since construction. */
  readonly misses: number;
  /** Entries held (expired ones included until evicted). */
  readonly size: number;
  /** The most successes remembered (larger capacities are lowered to the core's maximum). */
  readonly capacity: number;
  /** Seconds a success is remembered. */
  readonly ttl: number;
  clear(): void;
}

export type ApiKeyKind = 'publishable' | 'secret';
export type ApiKeyEnvironment = 'live' | 'test';

/** @throws {InvalidKeyError} `unknown_prefix`, `bad_length` (with `length`), `bad_character` (with `offset`). */
export function inspectApiKey(key: string): { kind: ApiKeyKind; environment: ApiKeyEnvironment };
/** The environment of a `pk_`/`sk_` pair. @throws {InvalidKeyError} e.g. `environment_mismatch`. */
export function checkApiKeyPair(publishable: string, secret: string): ApiKeyEnvironment;
/** A new key with a 32-character random body. */
export function generateApiKey(kind: ApiKeyKind, environment: ApiKeyEnvironment): string;
export function generateApiKeyPair(environment: ApiKeyEnvironment): { publishable: string; secret: string };

export interface TableUrlOptions {
  /** Default `https://www.european-pay.fr/t/`. */
  base?: string;
}
/** 32 lowercase hex digits from the OS generator. */
export function generateTableToken(): string;
/** `<base><merchantId>/<token>`. */
export function tableUrl(merchantId: string, token: string, opts?: TableUrlOptions): string;
/** The merchant UUID a scanned link names. @throws {InvalidTableLinkError} */
export function tableUrlMerchant(url: string, opts?: TableUrlOptions): string;
/** @throws {InvalidTableLinkError} unless `url` is exactly this merchant's link with this token. */
export function verifyTableUrl(merchantId: string, token: string, url: string, opts?: TableUrlOptions): void;

// ---- Paylands --------------------------------------------------------------------------------

export type PaylandsMode = 'notification' | 'response';
export type PaylandsFlags = 'default' | 'unescaped';

export interface PaylandsVerifyOptions {
  /** Default 'notification'. */
  mode?: PaylandsMode;
  /** The json_encode flags accepted; 'auto' tries 'default' then 'unescaped'. Default 'auto'. */
  flags?: PaylandsFlags | 'auto';
}

export interface PaylandsHashOptions {
  /** Default 'notification'. */
  mode?: PaylandsMode;
  /** Default 'default'. */
  flags?: PaylandsFlags;
}

/** Verifies Paylands `validation_hash`es with the service's signature, held once. */
export class PaylandsVerifier {
  /** @throws {InvalidKeyError} an empty or over-long signature. */
  constructor(signature: string | Uint8Array);
  /**
   * Returns the flag set that matched.
   * @throws {MismatchError} forged or tampered with.
   * @throws {MalformedError} not JSON, or not a Paylands notification.
   */
  verifySync(body: string | Uint8Array, opts?: PaylandsVerifyOptions): PaylandsFlags;
  /** `verifySync` on the libuv thread pool. */
  verify(body: string | Uint8Array, opts?: PaylandsVerifyOptions): Promise<PaylandsFlags>;
  /** The `validation_hash` Paylands would send (64 lowercase hex digits). */
  hashSync(body: string | Uint8Array, opts?: PaylandsHashOptions): string;
  /** The promise form of `hashSync`. */
  hash(body: string | Uint8Array, opts?: PaylandsHashOptions): Promise<string>;
}

/** One-shot `new PaylandsVerifier(signature).verifySync(body, opts)`. */
export function verifyPaylandsSync(signature: string | Uint8Array, body: string | Uint8Array, opts?: PaylandsVerifyOptions): PaylandsFlags;
/** `verifyPaylandsSync` on the libuv thread pool. */
export function verifyPaylands(signature: string | Uint8Array, body: string | Uint8Array, opts?: PaylandsVerifyOptions): Promise<PaylandsFlags>;
/** One-shot `new PaylandsVerifier(signature).hashSync(body, opts)`. */
export function paylandsHashSync(signature: string | Uint8Array, body: string | Uint8Array, opts?: PaylandsHashOptions): string;
/** The promise form of `paylandsHashSync`. */
export function paylandsHash(signature: string | Uint8Array, body: string | Uint8Array, opts?: PaylandsHashOptions): Promise<string>;
/** The JSON text that is hashed (`json_encode($data)`, without the signature), for diagnosis. */
export function paylandsDataSync(body: string | Uint8Array, opts?: PaylandsHashOptions): string;
/** The promise form of `paylandsDataSync`. */
export function paylandsData(body: string | Uint8Array, opts?: PaylandsHashOptions): Promise<string>;

// ---- EU Pay QR codes ------------------------------------------------------------------------

/** A QR payload: any JSON text of an object, its bytes, or an object (serialised with JSON.stringify). */
export type QrPayloadInput = string | Uint8Array | Record<string, unknown>;

/** A verified payload (`JSON.parse` of the signed bytes); the fields EU Pay uses are typed. */
export interface QrPayload {
  v?: number;
  type?: string;
  requestId?: string;
  gatewayReference?: string;
  label?: string;
  merchant?: { id?: string; merchantId?: string; name?: string; euPayId?: string; [key: string]: unknown };
  amount?: number;
  currency?: string;
  /** RFC 3339 date-time or null (never expires). */
  expiresAt?: string | null;
  [key: string]: unknown;
}

export interface QrVerifyOptions {
  /** The current time, Unix seconds or a Date. Default: the clock. */
  now?: number | Date;
}

/** Signs EU Pay QR payloads with one secret (the HMAC key schedule is computed once). */
export class QrSigner {
  constructor(secret: string | Uint8Array);
  /**
   * The QR URL, `https://www.european-pay.fr/pay?data=…`.
   * @throws {JsonError} the payload is not JSON; {@link InvalidInputError} `payload_not_object`; {@link TooLargeError}.
   */
  signSync(payload: QrPayloadInput): string;
  /** The promise form of `signSync`. */
  sign(payload: QrPayloadInput): Promise<string>;
  /** Writes the URL into `dst` and returns its length (16 KiB always suffice). */
  signInto(payload: QrPayloadInput, dst: Uint8Array): number;
  /** Every form: the signed bytes, the hex tag, the base64url envelope and the URL. */
  signPartsSync(payload: QrPayloadInput): SignedQr;
  /** The promise form of `signPartsSync`. */
  signParts(payload: QrPayloadInput): Promise<SignedQr>;
}

/** Every form of a signed QR code. */
export interface SignedQr {
  canonical: string;
  sig: string;
  envelope: string;
  url: string;
}

/** Verifies scanned EU Pay QR codes with one secret. */
export class QrVerifier {
  constructor(secret: string | Uint8Array);
  /**
   * The verified payload. `qr`: the URL, the `eupay://pay?data=` deep link or the bare data.
   * @throws {BadSignatureError} the signature does not match.
   * @throws {ExpiredError} the signature is good but `expiresAt` has passed.
   * @throws {MalformedError} not an EU Pay QR code (`reason` says why, e.g. 'missing_sig').
   */
  verifySync(qr: string | Uint8Array, opts?: QrVerifyOptions): QrPayload;
  /** The signed bytes of the payload (canonical JSON), without parsing them. */
  verifyJsonSync(qr: string | Uint8Array, opts?: QrVerifyOptions): string;
  /** The promise form of `verifySync`. */
  verify(qr: string | Uint8Array, opts?: QrVerifyOptions): Promise<QrPayload>;
}

/** One-shot `new QrSigner(secret).signSync(payload)`. */
export function signQrSync(secret: string | Uint8Array, payload: QrPayloadInput): string;
/** The promise form of `signQrSync`. */
export function signQr(secret: string | Uint8Array, payload: QrPayloadInput): Promise<string>;
/** One-shot `new QrVerifier(secret).verifySync(qr, opts)`. */
export function verifyQrSync(secret: string | Uint8Array, qr: string | Uint8Array, opts?: QrVerifyOptions): QrPayload;
/** The promise form of `verifyQrSync`. */
export function verifyQr(secret: string | Uint8Array, qr: string | Uint8Array, opts?: QrVerifyOptions): Promise<QrPayload>;
/** The envelope JSON, decoded WITHOUT verification: for debugging only, never act on it. */
export function decodeQrUnverified(qr: string | Uint8Array): string;

// ---- JOSE: JWS and JWT -----------------------------------------------------------------------
// Every rule is the core's (payseal::jose): exactly three canonical base64url segments, the
// header through payseal's JSON engine (duplicate names rejected), an explicit algorithm
// allow-list (there is no `none`), `crit` refused, `jwk`/`jku`/`x5u` headers never trusted,
// keys chosen by `kid` and type. Documents and JWKs are objects (serialised with
// JSON.stringify) or their JSON text.

/** A JWS algorithm payseal implements. */
export type JwsAlgorithm =
  | 'HS256' | 'HS384' | 'HS512'
  | 'RS256' | 'RS384' | 'RS512'
  | 'PS256' | 'PS384' | 'PS512'
  | 'ES256' | 'ES384' | 'EdDSA';

/** A JSON Web Key (RFC 7517), as an object. */
export interface Jwk {
  kty: string;
  kid?: string;
  use?: string;
  key_ops?: string[];
  alg?: string;
  [member: string]: unknown;
}

/** A JWK Set document. */
export interface JwkSetDocument {
  keys: Jwk[];
  [member: string]: unknown;
}

/** A JWT's claims (the registered ones typed, any others allowed). */
export interface JwtClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  [claim: string]: unknown;
}

/**
 * A JWK Set parsed once. Keys payseal does not use for signatures (unknown `kty`, `use: "enc"`
 * such as Keycloak's RSA-OAEP key, RSA under 2048 bits, ...) are skipped and counted.
 * @throws {InvalidKeyError} not a JWK Set, or a known key type with bad members.
 */
export class JwkSet {
  constructor(document: JwkSetDocument | string | Uint8Array);
  /** Usable keys kept. */
  readonly len: number;
  /** Keys skipped. */
  readonly skipped: number;
  /** The `kid`s of the kept keys that have one. */
  readonly kids: string[];
}

/** Options of a {@link RemoteJwkSet}. */
export interface RemoteJwkSetOptions {
  /** Seconds a fetched set is used before it is fetched again (default 600). */
  maxAge?: number;
  /** Least seconds between two fetches caused by an unknown `kid` (default 30). */
  cooldown?: number;
  /** Seconds a fetch may take (default 5). */
  timeout?: number;
  /** Seconds on a clock that never goes backwards (default: `performance.now() / 1000`); for tests. */
  clock?: () => number;
}

/**
 * A JWK Set fetched over HTTP(S) with Node's fetch, cached for `maxAge`, fetched again at most
 * once per `cooldown` when a token names an unknown `kid`, and kept when a refresh fails (the
 * policy is the core's refresher). Use it with {@link JwtVerifier}'s promise forms.
 */
export class RemoteJwkSet {
  constructor(url: string | URL, opts?: RemoteJwkSetOptions);
  /** The URL fetched. */
  readonly url: string;
  /** The set in use, fetching it first when due. */
  keySet(): Promise<JwkSet>;
  /** The set in use without fetching (undefined before the first successful fetch). */
  readonly current: JwkSet | undefined;
}

/** The policy of a {@link JwtVerifier} (besides the algorithms). */
export interface JwtPolicy {
  /** `aud` must equal it or (array) contain it; not checked when absent. */
  audience?: string;
  /** `iss` must equal it; not checked when absent. */
  issuer?: string;
  /** Seconds of clock skew tolerated on `exp` and `nbf` (default 0). */
  leeway?: number;
}

export interface JwtTimeOptions {
  /** The current time, Unix seconds or a Date. Default: the clock. */
  now?: number | Date;
}

/** Options of the one-shot JWT verification. */
export interface VerifyJwtOptions extends JwtPolicy, JwtTimeOptions {
  /** The algorithms accepted (required: never guessed). */
  algorithms: JwsAlgorithm[];
}

/**
 * Verifies JWTs and bare JWSs against a key set with one policy.
 * @throws {AlgorithmNotAllowedError} an unknown algorithm name (`none` included).
 */
export class JwtVerifier {
  constructor(keys: JwkSet | RemoteJwkSet, algorithms: JwsAlgorithm[], opts?: JwtPolicy);
  /**
   * The claims of a valid JWT.
   * @throws {MalformedError} not a compact JWS, a bad header, a payload that is not a JSON object, a registered claim of the wrong type.
   * @throws {UnsupportedError} the header has `crit` (code 'crit_unsupported').
   * @throws {AlgorithmNotAllowedError} the header's `alg` is not allowed.
   * @throws {KeyNotFoundError} no single usable key.
   * @throws {BadSignatureError} the signature does not verify.
   * @throws {ExpiredError} / {@link NotYetValidError} / {@link ClaimError} (code 'audience' or 'issuer').
   */
  verifySync(token: string | Uint8Array, opts?: JwtTimeOptions): JwtClaims;
  /** The promise form of `verifySync`, on the libuv thread pool (a RemoteJwkSet fetches here). */
  verify(token: string | Uint8Array, opts?: JwtTimeOptions): Promise<JwtClaims>;
  /** The payload of a valid JWS (signature checks only; no claim is read). */
  verifyJwsSync(token: string | Uint8Array): Buffer;
  /** The promise form of `verifyJwsSync`. */
  verifyJws(token: string | Uint8Array): Promise<Buffer>;
}

/** One-shot `new JwtVerifier(keys, opts.algorithms, opts).verifySync(token, opts)`. */
export function verifyJwtSync(keys: JwkSet | JwkSetDocument | string | Uint8Array, token: string | Uint8Array, opts: VerifyJwtOptions): JwtClaims;
/** The promise form of `verifyJwtSync`, on the libuv thread pool. */
export function verifyJwt(keys: JwkSet | RemoteJwkSet | JwkSetDocument | string | Uint8Array, token: string | Uint8Array, opts: VerifyJwtOptions): Promise<JwtClaims>;
/** One-shot JWS verification: the payload bytes. */
export function verifyJwsSync(keys: JwkSet | JwkSetDocument | string | Uint8Array, token: string | Uint8Array, opts: { algorithms: JwsAlgorithm[] }): Buffer;
/** The promise form of `verifyJwsSync`. */
export function verifyJws(keys: JwkSet | RemoteJwkSet | JwkSetDocument | string | Uint8Array, token: string | Uint8Array, opts: { algorithms: JwsAlgorithm[] }): Promise<Buffer>;

/**
 * A compact JWS of `payload` under the exact protected `header` (JSON text, or an object
 * serialised with JSON.stringify), signed with a private JWK (or an `oct` key).
 * @throws {InvalidKeyError} the JWK cannot sign with the header's `alg`.
 */
export function signJwsSync(jwk: Jwk | string | Uint8Array, header: object | string | Uint8Array, payload: string | Uint8Array): string;
/** The promise form of `signJwsSync`, on the libuv thread pool. */
export function signJws(jwk: Jwk | string | Uint8Array, header: object | string | Uint8Array, payload: string | Uint8Array): Promise<string>;

export interface SignJwtOptions {
  /** Default: the JWK's `alg`, else its type's (HS256, RS256, ES256/ES384, EdDSA). */
  alg?: JwsAlgorithm;
  /** Default: the JWK's `kid` (none when it has none). */
  kid?: string;
}

/** A JWT of `claims` (JSON.stringify) under `{"alg", "typ": "JWT", "kid"}`. */
export function signJwtSync(jwk: Jwk | string | Uint8Array, claims: JwtClaims, opts?: SignJwtOptions): string;
/** The promise form of `signJwtSync`, on the libuv thread pool. */
export function signJwt(jwk: Jwk | string | Uint8Array, claims: JwtClaims, opts?: SignJwtOptions): Promise<string>;

/** Header and claims of a token, decoded WITHOUT verification: for display only, never act on it. */
export function inspectJwt(token: string | Uint8Array): { header: Record<string, unknown>; claims: JwtClaims };

/** The RFC 7638 thumbprint (SHA-256, base64url) of a JWK. */
export function jwkThumbprint(jwk: Jwk | string | Uint8Array): string;

// ---- Errors ----------------------------------------------------------------------------------
// The classes, their parents and which code raises which class are core/codes.json's
// (test/codes.test.mjs checks these declarations' runtime counterparts against it).

/** A name of core/codes.json (the conformance vectors' vocabulary). */
export type ErrorCode =
  | 'buffer_too_small'
  | 'null_pointer'
  | 'invalid_argument'
  | 'internal'
  | 'invalid_encoding'
  | 'invalid_key'
  | 'randomness'
  | 'syntax'
  | 'invalid_utf8'
  | 'duplicate_key'
  | 'depth'
  | 'number_range'
  | 'lone_surrogate'
  | 'dialect_mismatch'
  | 'scratch_too_small'
  | 'bad_signature'
  | 'expired'
  | 'malformed'
  | 'mismatch'
  | 'malformed_hash'
  | 'missing_header'
  | 'malformed_header'
  | 'malformed_body'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'too_many_signatures'
  | 'too_large'
  | 'cost_out_of_range'
  | 'secret_too_long'
  | 'secret_contains_nul'
  | 'unknown_prefix'
  | 'bad_length'
  | 'bad_character'
  | 'environment_mismatch'
  | 'not_publishable'
  | 'not_secret'
  | 'invalid_table_link'
  | 'no_secret'
  | 'too_many_secrets'
  | 'empty_secret'
  | 'malformed_secret'
  | 'empty_signature'
  | 'signature_too_long'
  | 'payload_not_object'
  | 'alg_not_allowed'
  | 'crit_unsupported'
  | 'key_not_found'
  | 'not_yet_valid'
  | 'audience'
  | 'issuer';

/** Details an error may carry, where the core gives them. */
export interface ErrorDetails {
  /** Byte offset of a JSON error, or of an API key's bad character. */
  offset?: number;
  /** The size a buffer needs. */
  needed?: number;
  /** Position of the bad secret in the list given. */
  index?: number;
  /** Length of an over-long secret or key, or of a key body of the wrong length. */
  length?: number;
  /** When a QR code expired, Unix seconds (rounded down). */
  expiresAt?: number;
  /** The header's canonical name, e.g. `Stripe-Signature`. */
  header?: string;
  /** The core's short reason for a malformed input, e.g. 'missing_sig'. */
  reason?: string;
  cause?: unknown;
}

/** Base class of every error payseal throws for bad input or a failed check. */
export class PaysealError extends Error {
  constructor(code: string, message: string, details?: ErrorDetails);
  /** Stable, machine-readable reason: a name of core/codes.json. */
  readonly code: ErrorCode | (string & {});
  readonly offset?: number;
  readonly needed?: number;
  readonly index?: number;
  readonly length?: number;
  readonly expiresAt?: number;
  readonly header?: string;
  readonly reason?: string;
}
/** A bug in payseal, caught at the language boundary. */
export class InternalError extends PaysealError {}
/** The operating system's random generator failed. */
export class RandomnessError extends PaysealError {}
/** A caller-provided output buffer is too small; `needed` is the size it must have. */
export class BufferTooSmallError extends PaysealError {
  readonly needed: number | undefined;
}
/** Input refused on purpose rather than silently altered (a SharedArrayBuffer view, a bcrypt cost out of range, a secret bcrypt would truncate, a payload that is not an object). */
export class InvalidInputError extends PaysealError {}
/** A key, secret or signing secret that payseal cannot use (`index`, `length`, `offset` where known). */
export class InvalidKeyError extends InvalidInputError {}
/** Not valid hex, base64 or base64url. */
export class EncodingError extends PaysealError {}
/** The JSON text was rejected; `offset` is the byte where. */
export class JsonError extends PaysealError {
  readonly offset: number | undefined;
}
/** The input was understood and is not to be trusted. Never says where a MAC differed. */
export class VerificationError extends PaysealError {}
/** The signature or MAC does not match. */
export class BadSignatureError extends VerificationError {}
/** A hash or secret does not match what it was checked against (bcrypt, Paylands). */
export class MismatchError extends BadSignatureError {}
/** The signature is good but the payload has expired. */
export class ExpiredError extends VerificationError {
  /** When it expired, Unix seconds (rounded down). */
  readonly expiresAt: number | undefined;
}
/** Not valid yet. */
export class NotYetValidError extends VerificationError {}
/** The signed timestamp is outside the tolerance window. */
export class TimestampError extends VerificationError {}
/** The signed timestamp is more than the tolerance before `now`. */
export class TimestampTooOldError extends TimestampError {}
/** The signed timestamp is more than the tolerance after `now`. */
export class TimestampTooNewError extends TimestampError {}
/** A scanned table link is not the one on record (one error for every reason). */
export class InvalidTableLinkError extends VerificationError {}
/** The token's algorithm is not in the caller's allow-list. */
export class AlgorithmNotAllowedError extends VerificationError {}
/** No single usable key for the token. */
export class KeyNotFoundError extends VerificationError {}
/** A verified claim that is not the expected one. */
export class ClaimError extends VerificationError {}
/** A message, header, envelope or stored hash that cannot be checked at all (`reason` where the core gives one). */
export class MalformedError extends VerificationError {}
/** A header is present but unusable (syntax, encoding, repeated, too many signatures). */
export class MalformedHeaderError extends MalformedError {
  readonly header: string | undefined;
}
/** A header the scheme needs is absent. */
export class MissingHeaderError extends MalformedError {
  /** The header's canonical name, e.g. `Stripe-Signature`. */
  readonly header: string | undefined;
}
/** The body is not in the scheme's format. */
export class MalformedBodyError extends MalformedError {}
/** A stored bcrypt hash payseal does not accept. */
export class MalformedHashError extends MalformedError {}
/** An input over one of the documented size limits. */
export class TooLargeError extends MalformedError {}
/** A critical extension payseal does not implement. */
export class UnsupportedError extends MalformedError {}
