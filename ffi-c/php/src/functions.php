<?php
// The one-shot functions of the Payseal namespace (loaded by autoload.php): the same names,
// argument order (secret or key first, then the input, then options) and results as Python's
// module functions and Node's exports. For steady traffic keep a WebhookVerifier, WebhookSigner, QrSigner,
// QrVerifier or PaylandsVerifier per secret instead: their secrets are parsed once.
declare(strict_types=1);

namespace Payseal;

use FFI;

// Resolved when compiled, not looked up in this namespace first on every call (strlen, count
// and is_string then compile to their own opcodes).
use function count;
use function is_string;
use function strlen;
use function strtolower;
use function time;

// ---------------------------------------------------------------------------------------------
// JSON and encodings

/**
 * The canonical form of $json: $dialect 'js' is JSON.stringify(JSON.parse(x)), 'php' is
 * json_encode(json_decode(x, true), flags) with the two flags below (names parsed by the core).
 *
 * @throws JsonError (offset() says where) for input the dialect refuses
 * @throws InvalidInputError for an unknown dialect, or flags with 'js'
 */
function canonicalize(string $json, string $dialect, bool $unescapedSlashes = false, bool $unescapedUnicode = false): string
{
    [$d, $f] = Library::dialect($dialect, $unescapedSlashes, $unescapedUnicode);
    $ffi = Library::ffi();
    $n = strlen($json);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_json_canonicalize($d, $f, $json, $n, $out, $cap, $w), $n + 64);
}

/** Lowercase hex of $bytes. */
function hex_encode(string $bytes): string
{
    $ffi = Library::ffi();
    $n = strlen($bytes);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_hex_encode($bytes, $n, $out, $cap, $w), 2 * $n);
}

/** Bytes of $hex (either case). @throws EncodingError */
function hex_decode(string $hex): string
{
    $ffi = Library::ffi();
    $n = strlen($hex);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_hex_decode($hex, $n, $out, $cap, $w), intdiv($n, 2));
}

/** Unpadded base64url (RFC 4648 §5) of $bytes. */
function base64url_encode(string $bytes): string
{
    $ffi = Library::ffi();
    $n = strlen($bytes);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_base64url_encode($bytes, $n, $out, $cap, $w), intdiv(4 * $n + 2, 3));
}

/** Bytes of base64url text (padding optional, but correct if present). @throws EncodingError */
function base64url_decode(string $text): string
{
    $ffi = Library::ffi();
    $n = strlen($text);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_base64url_decode($text, $n, $out, $cap, $w), intdiv(3 * $n, 4) + 3);
}

/** Padded standard base64 (RFC 4648 §4) of $bytes. */
function base64_encode(string $bytes): string
{
    $ffi = Library::ffi();
    $n = strlen($bytes);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_base64_encode($bytes, $n, $out, $cap, $w), 4 * intdiv($n + 2, 3));
}

/** Bytes of padded standard base64 text (padding required). @throws EncodingError */
function base64_decode(string $text): string
{
    $ffi = Library::ffi();
    $n = strlen($text);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_base64_decode($text, $n, $out, $cap, $w), intdiv(3 * $n, 4) + 3);
}

/**
 * Whether $a and $b are equal, compared in constant time (for equal lengths): the one bool of
 * the vocabulary, a comparison rather than a verification (PHP's own is hash_equals).
 */
function compare_digest(#[\SensitiveParameter] string $a, #[\SensitiveParameter] string $b): bool
{
    static $equal = null;
    $equal ??= Library::make('bool');
    Library::check(Library::ffi()->payseal_compare_digest($a, strlen($a), $b, strlen($b), FFI::addr($equal)));
    return (bool) $equal->cdata;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/**
 * Returns when the delivery is authentic: verifies like `(new WebhookVerifier($scheme,
 * $secrets))->verify(...)`, with a key set made for this call and wiped after it, as in the
 * other languages; see WebhookVerifier::verify(). For the scheme's one header as a string (or
 * absent), as getallheaders() gives it, that is one C call (payseal_webhook_verify_once) and no
 * object: under PHP-FPM, which runs every request's code cold, each object, handle and call
 * costs more than the verification.
 *
 * @param string|list<string> $secrets
 * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
 * @throws VerificationError|InvalidKeyError|InvalidInputError
 */
function verify_webhook(
    string $scheme,
    #[\SensitiveParameter] string|array $secrets,
    array $headers,
    string $body,
    ?int $now = null,
    int $tolerance = 300,
): void {
    [$number, $names] = Tables::SCHEMES[$scheme] ?? WebhookVerifier::describe($scheme);
    if (count($names) === 1 && ($v0 = WebhookVerifier::soleHeader($headers, strtolower($names[0]))) !== false) {
        $packed = WebhookVerifier::pack($secrets);
        $ffi = Library::ffi();
        $code = $ffi->payseal_webhook_verify_once($number, $packed, strlen($packed), $v0, $v0 === null ? 0 : strlen($v0), null, 0, $body, strlen($body), $now ?? time(), $tolerance);
        if ($code !== 0) {
            // Thrown here: the exception's trace (made cold under FPM) has this frame only.
            [$class, $message, $name, $details] = Library::failure($code, true, $ffi);
            throw new $class($message, $code, $name, $details);
        }
        return;
    }
    (new WebhookVerifier($scheme, $secrets))->verify($headers, $body, $now, $tolerance);
}

/**
 * Verifies many deliveries in one call, spread over up to $threads threads (0: every core):
 * one entry per [verifier, headers, body] item, in order: null when authentic, otherwise the
 * exception verify() would have thrown (not thrown here).
 *
 * @param list<array{0: WebhookVerifier, 1: array, 2: string}> $items
 * @return list<?PaysealError>
 */
function verify_webhook_batch(array $items, ?int $now = null, int $tolerance = 300, int $threads = 0): array
{
    return WebhookVerifier::batch($items, $now, $tolerance, $threads);
}

/**
 * Signs $body for $scheme with the first (newest) of $secrets; see WebhookSigner::sign().
 *
 * @param string|list<string> $secrets newest first
 * @throws InvalidInputError|InvalidKeyError|MalformedBodyError|TooLargeError|RandomnessError
 */
function sign_webhook(
    string $scheme,
    #[\SensitiveParameter] string|array $secrets,
    string $body,
    ?int $now = null,
    ?string $id = null,
    ?string $iv = null,
    ?string $fields = null,
    ?string $algorithm = null,
): SignedWebhook {
    return (new WebhookSigner($scheme, $secrets))->sign($body, $now, $id, $iv, $fields, $algorithm);
}

// ---------------------------------------------------------------------------------------------
// EU Pay QR

/** The QR URL for $payload; see QrSigner::sign(). */
function sign_qr(#[\SensitiveParameter] string $secret, string $payload): string
{
    return (new QrSigner($secret))->sign($payload);
}

/** The verified payload of scanned QR text; see QrVerifier::verify(). */
function verify_qr(#[\SensitiveParameter] string $secret, string $qr, ?int $now = null): VerifiedQr
{
    return (new QrVerifier($secret))->verify($qr, $now);
}

/**
 * The envelope JSON of scanned QR text, decoded without checking anything: for display and
 * debugging only. Never act on what this returns.
 *
 * @throws MalformedError (reason()) for text that is not an EU Pay QR code
 */
function decode_qr_unverified(string $qr): string
{
    $ffi = Library::ffi();
    $n = strlen($qr);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_eupay_qr_decode_unverified($qr, $n, $out, $cap, $w), $n);
}

// ---------------------------------------------------------------------------------------------
// Paylands

/** The flag set that matched ('default' or 'unescaped'); see PaylandsVerifier::verify(). */
function verify_paylands(#[\SensitiveParameter] string $signature, string $body, string $mode = 'notification', string $flags = 'auto'): string
{
    return (new PaylandsVerifier($signature))->verify($body, $mode, $flags);
}

/** The validation_hash Paylands would send; see PaylandsVerifier::hash(). */
function paylands_hash(#[\SensitiveParameter] string $signature, string $body, string $mode = 'notification', string $flags = 'default'): string
{
    return (new PaylandsVerifier($signature))->hash($body, $mode, $flags);
}

/**
 * The JSON that is hashed, json_encode($data, flags) without the signature: what to compare
 * when a hash does not match.
 *
 * @throws MalformedError|InvalidInputError
 */
function paylands_data(string $body, string $mode = 'notification', string $flags = 'default'): string
{
    $ffi = Library::ffi();
    $n = strlen($body);
    $m = Library::paylandsMode($mode);
    $f = Library::paylandsFlags($flags);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_paylands_encode_data($body, $n, $m, $f, $out, $cap, $w), $n + 64);
}

// ---------------------------------------------------------------------------------------------
// bcrypt

/**
 * Returns when $secret matches the stored bcrypt $hash ($2a$, $2b$, $2y$), in the order of
 * PHP's password_verify. Unlike password_verify, a NUL byte is data.
 *
 * @throws MismatchError when it does not
 * @throws MalformedHashError when $hash is not a bcrypt hash payseal accepts
 */
function verify_bcrypt(#[\SensitiveParameter] string $secret, string $hash): void
{
    Library::check(Library::ffi()->payseal_bcrypt_verify($secret, strlen($secret), $hash, strlen($hash)));
}

/**
 * The $2b$ hash of $secret at $cost, with a fresh salt from the operating system (or the
 * 16 raw bytes of $salt, for reproducible tests). $2b$ verifies in PHP, Python and Node.
 *
 * @throws InvalidInputError secret over 72 bytes (secret_too_long), with a NUL
 *         (secret_contains_nul), cost outside 4..31 (cost_out_of_range), a salt that is not 16 bytes
 */
function hash_bcrypt(#[\SensitiveParameter] string $secret, int $cost = 10, ?string $salt = null): string
{
    $ffi = Library::ffi();
    $salt ??= '';
    $n = strlen($secret);
    $saltLen = strlen($salt);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_bcrypt_hash($secret, $n, $cost, $salt, $saltLen, $out, $cap, $w), 60);
}

// ---------------------------------------------------------------------------------------------
// API keys

/** @internal the C ABI's numbers of PaysealKeyKind and PaysealKeyEnvironment (checked by tests/run.php) */
const KEY_KINDS = ['publishable' => 0, 'secret' => 1];
/** @internal */
const KEY_ENVIRONMENTS = ['live' => 0, 'test' => 1];

/**
 * A key's kind ('publishable' or 'secret') and environment ('live' or 'test').
 *
 * @return array{0: 'publishable'|'secret', 1: 'live'|'test'}
 * @throws InvalidKeyError (unknown_prefix, bad_length, bad_character with offset())
 */
function inspect_api_key(#[\SensitiveParameter] string $key): array
{
    $kind = Library::make('uint32_t');
    $env = Library::make('uint32_t');
    Library::check(Library::ffi()->payseal_api_key_inspect($key, strlen($key), FFI::addr($kind), FFI::addr($env)));
    return [array_flip(KEY_KINDS)[$kind->cdata], array_flip(KEY_ENVIRONMENTS)[$env->cdata]];
}

/**
 * A new key of $kind ('publishable' or 'secret') for $environment ('live' or 'test'): the
 * prefix and 32 uniform characters of [A-Za-z0-9] from the operating system's generator.
 *
 * @throws InvalidInputError for an unknown kind or environment
 */
function generate_api_key(string $kind, string $environment): string
{
    $ffi = Library::ffi();
    $k = KEY_KINDS[$kind] ?? 0xFFFFFFFF;
    $e = KEY_ENVIRONMENTS[$environment] ?? 0xFFFFFFFF;
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_api_key_generate($k, $e, $out, $cap, $w), 40);
}

/** @return array{0: string, 1: string} a new (publishable, secret) pair for $environment */
function generate_api_key_pair(string $environment): array
{
    return [generate_api_key('publishable', $environment), generate_api_key('secret', $environment)];
}

/**
 * Checks that the two keys can be configured together (pk_ then sk_, same environment) and
 * returns that environment.
 *
 * @return 'live'|'test'
 * @throws InvalidKeyError (environment_mismatch, not_publishable, not_secret, or the
 *         inspect_api_key() errors for either key)
 */
function check_api_key_pair(string $publishable, #[\SensitiveParameter] string $secret): string
{
    $env = Library::make('uint32_t');
    Library::check(Library::ffi()->payseal_api_key_check_pair($publishable, strlen($publishable), $secret, strlen($secret), FFI::addr($env)));
    return array_flip(KEY_ENVIRONMENTS)[$env->cdata];
}

// ---------------------------------------------------------------------------------------------
// Table links

/** A fresh table token: 32 lowercase hex digits (16 random bytes). */
function generate_table_token(): string
{
    $ffi = Library::ffi();
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_table_token_generate($out, $cap, $w), 32);
}

/**
 * The table link <base><merchant-uuid>/<token>, lowercase ($base '' is
 * https://www.european-pay.fr/t/).
 *
 * @throws InvalidTableLinkError for a merchant that is not a UUID or a token that is not 32 hex digits
 */
function table_url(string $merchantId, #[\SensitiveParameter] string $token, string $base = ''): string
{
    $ffi = Library::ffi();
    [$m, $t, $b] = [strlen($merchantId), strlen($token), strlen($base)];
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_table_url($merchantId, $m, $token, $t, $base, $b, $out, $cap, $w), ($b ?: 30) + 69);
}

/**
 * The merchant UUID a table link names, to look up its tokens before verify_table_url()
 * (not a verification).
 *
 * @throws InvalidTableLinkError for a malformed link
 */
function table_url_merchant(string $url, string $base = ''): string
{
    $ffi = Library::ffi();
    [$u, $b] = [strlen($url), strlen($base)];
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_table_url_merchant($url, $u, $base, $b, $out, $cap, $w), 36);
}

/**
 * Returns when the scanned $url names $merchantId and carries $token (compared in constant time).
 *
 * @throws InvalidTableLinkError for every failure, whatever its cause
 */
function verify_table_url(string $merchantId, #[\SensitiveParameter] string $token, string $url, string $base = ''): void
{
    Library::check(Library::ffi()->payseal_table_url_verify(
        $url,
        strlen($url),
        $base,
        strlen($base),
        $merchantId,
        strlen($merchantId),
        $token,
        strlen($token),
    ));
}

// ---------------------------------------------------------------------------------------------
// JOSE: JWS and JWT (RFC 7515, 7519) against JWK Sets

/**
 * The verified claims of a compact JWT; see JwtVerifier::verify(). $algorithms is required
 * (never guessed): a list of names or a comma-separated string.
 *
 * @param string|list<string> $algorithms
 * @return array<string, mixed>
 */
function verify_jwt(
    JwkSet|RemoteJwkSet $keys,
    string $token,
    string|array $algorithms,
    ?string $audience = null,
    ?string $issuer = null,
    int $leeway = 0,
    ?int $now = null,
): array {
    if ($keys instanceof RemoteJwkSet || $leeway < 0) {
        return (new JwtVerifier($keys, $algorithms, $audience, $issuer, $leeway))->verify($token, $now);
    }
    $ffi = Library::ffi();
    $algs = is_array($algorithms) ? implode(',', $algorithms) : $algorithms;
    $now ??= time();
    $n = strlen($token);
    $h = $keys->handle();
    $payload = Library::output(fn ($out, $cap, $w) => $ffi->payseal_jwt_verify(
        $h,
        $token,
        $n,
        $algs,
        strlen($algs),
        $audience,
        $audience === null ? 0 : strlen($audience),
        $issuer,
        $issuer === null ? 0 : strlen($issuer),
        $leeway,
        $now,
        $out,
        $cap,
        $w,
    ), $n);
    return JwtVerifier::claims($payload);
}

/**
 * The verified payload bytes of a compact JWS (no claim checks); see JwtVerifier::verifyJws().
 *
 * @param string|list<string> $algorithms
 */
function verify_jws(JwkSet|RemoteJwkSet $keys, string $token, string|array $algorithms): string
{
    if ($keys instanceof RemoteJwkSet) {
        return (new JwtVerifier($keys, $algorithms))->verifyJws($token);
    }
    $ffi = Library::ffi();
    $algs = is_array($algorithms) ? implode(',', $algorithms) : $algorithms;
    $n = strlen($token);
    $h = $keys->handle();
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_jws_verify($h, $token, $n, $algs, strlen($algs), $out, $cap, $w), $n);
}

/** @internal a JWK given as JSON text or as a decoded array */
function jwk_text(string|array $jwk): string
{
    return is_array($jwk) ? json_encode($jwk, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES) : $jwk;
}

/**
 * A compact JWS of $payload (any bytes) under the protected $header, its exact JSON text
 * (its alg chooses the algorithm), signed with the private JWK $jwk.
 *
 * @param string|array<string, mixed> $jwk
 * @throws InvalidKeyError (not a private key payseal signs with, or not for this alg),
 *         MalformedError (header), AlgorithmNotAllowedError (unknown alg), UnsupportedError (crit)
 */
function sign_jws(#[\SensitiveParameter] string|array $jwk, string $header, string $payload): string
{
    $ffi = Library::ffi();
    $jwk = jwk_text($jwk);
    [$k, $h, $p] = [strlen($jwk), strlen($header), strlen($payload)];
    return Library::output(
        fn ($out, $cap, $w) => $ffi->payseal_jws_sign($jwk, $k, $header, $h, $payload, $p, $out, $cap, $w),
        intdiv(4 * ($h + $p) + 8, 3) + 1400,
    );
}

/**
 * A JWT of $claims (json_encode'd) signed with $jwk under the header
 * {"alg":..,"typ":"JWT","kid":..}. $alg defaults to the algorithm the core chooses for the key
 * (payseal_jwk_default_algorithm: the JWK's own "alg", else its type's usual one, the same rule
 * as Python and Node), $kid to the JWK's "kid" (omitted when neither is given).
 *
 * @param string|array<string, mixed> $jwk
 * @param array<string, mixed> $claims
 * @throws InvalidKeyError when the JWK is not a private key payseal signs with, or fits no
 *         algorithm (an oct key shorter than 32 bytes)
 */
function sign_jwt(#[\SensitiveParameter] string|array $jwk, array $claims, ?string $alg = null, ?string $kid = null): string
{
    $text = jwk_text($jwk);
    if ($alg === null) {
        $ffi = Library::ffi();
        $n = strlen($text);
        $alg = Library::output(fn ($out, $cap, $w) => $ffi->payseal_jwk_default_algorithm($text, $n, $out, $cap, $w), 8);
    }
    if ($kid === null) {
        $key = is_array($jwk) ? $jwk : json_decode($jwk, true);
        $kid = is_array($key) && is_string($key['kid'] ?? null) ? $key['kid'] : null;
    }
    $header = ['alg' => $alg, 'typ' => 'JWT'] + ($kid === null ? [] : ['kid' => $kid]);
    $flags = JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
    return sign_jws($text, json_encode($header, $flags), json_encode($claims === [] ? new \stdClass() : $claims, $flags));
}

/**
 * A token's header and claims, decoded WITHOUT verifying anything but its structure: for
 * display and debugging only. Never act on what this returns.
 *
 * @return array{0: array<string, mixed>, 1: array<string, mixed>}
 * @throws MalformedError when the token is not compact JWS or its parts are not JSON objects
 */
function inspect_jwt(string $token): array
{
    $ffi = Library::ffi();
    $n = strlen($token);
    $part = fn (int $which) => Library::output(fn ($out, $cap, $w) => $ffi->payseal_jws_inspect($token, $n, $which, $out, $cap, $w), $n);
    $header = json_decode($part($ffi->PAYSEAL_JWS_HEADER), true);
    $claims = json_decode($part($ffi->PAYSEAL_JWS_PAYLOAD), true);
    if (!is_array($header) || !is_array($claims)) {
        throw Library::error($ffi->PAYSEAL_MALFORMED, false);
    }
    return [$header, $claims];
}

/**
 * The RFC 7638 thumbprint of a JWK (base64url SHA-256 of its required members), the usual kid.
 *
 * @param string|array<string, mixed> $jwk
 * @throws InvalidKeyError for a JWK of no known type or missing members
 */
function jwk_thumbprint(string|array $jwk): string
{
    $ffi = Library::ffi();
    $jwk = jwk_text($jwk);
    $n = strlen($jwk);
    return Library::output(fn ($out, $cap, $w) => $ffi->payseal_jwk_thumbprint($jwk, $n, $out, $cap, $w), 43);
}
