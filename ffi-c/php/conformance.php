<?php
// Conformance through the C ABI and the PHP wrapper: runs every vector file the ABI covers.
// Usage: php -d ffi.enable=1 ffi-c/php/conformance.php [DIR]
//        (DIR defaults to $PAYSEAL_VECTORS, else ../shared/vectors beside the repository)
// Prints one `FILE: N passed, M failed` line per covered file found (after the ids of its
// first failures) and `N passed, M failed` last; exits 1 if anything failed or no file was found.
// An `expect`/`error` value the runner does not know is a failure; unknown fields are ignored.
declare(strict_types=1);

require __DIR__ . '/autoload.php';

use Payseal\JsonError;
use Payseal\JwkSet;
use Payseal\PaysealError;
use Payseal\PaylandsVerifier;
use Payseal\QrSigner;
use Payseal\QrVerifier;
use Payseal\VerificationError;
use Payseal\WebhookVerifier;

use function Payseal\canonicalize;
use function Payseal\sign_jws;
use function Payseal\verify_bcrypt;
use function Payseal\verify_jws;
use function Payseal\verify_jwt;
use function Payseal\verify_webhook;

const JS_ERRORS = ['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range'];
const PHP_ERRORS = [...JS_ERRORS, 'lone_surrogate'];
const WEBHOOK_EXPECTS = [
    'ok', 'bad_signature', 'missing_header', 'malformed_header', 'malformed_body', 'timestamp_too_old', 'timestamp_too_new',
];

/** Decodes a `*_b64` field (standard base64 with padding). */
function b64(array $case, string $field): string
{
    if (!isset($case[$field]) || !is_string($case[$field])) {
        throw new UnexpectedValueException("missing `$field`");
    }
    $bytes = base64_decode($case[$field], true);
    if ($bytes === false) {
        throw new UnexpectedValueException("`$field` is not base64");
    }
    return $bytes;
}

/** One json_*.jsonl case: the canonical output, or the error kind. Null when payseal agrees. */
function json_case(array $case, string $dialect, array $knownErrors): ?string
{
    $input = b64($case, 'input_b64');
    $hasOutput = array_key_exists('output_b64', $case);
    $hasError = array_key_exists('error', $case);
    if ($hasOutput === $hasError) {
        return 'line has neither `output_b64` nor `error` (or both)';
    }
    if ($hasError && !in_array($case['error'], $knownErrors, true)) {
        return 'unknown error value ' . json_encode($case['error']);
    }
    try {
        $got = canonicalize($input, $dialect);
    } catch (JsonError $e) {
        if ($hasError) {
            return $e->code() === $case['error'] ? null : "error {$e->code()}, expected {$case['error']}";
        }
        return "error {$e->code()}, expected output " . json_encode(b64($case, 'output_b64'), JSON_INVALID_UTF8_SUBSTITUTE);
    }
    if ($hasError) {
        return 'output ' . json_encode($got, JSON_INVALID_UTF8_SUBSTITUTE) . ", expected error {$case['error']}";
    }
    $want = b64($case, 'output_b64');
    return $got === $want ? null
        : 'output ' . json_encode($got, JSON_INVALID_UTF8_SUBSTITUTE) . ', expected ' . json_encode($want, JSON_INVALID_UTF8_SUBSTITUTE);
}

/** A string field. */
function str(array $case, string $field): string
{
    if (!isset($case[$field]) || !is_string($case[$field])) {
        throw new UnexpectedValueException("missing `$field`");
    }
    return $case[$field];
}

/** An integer field. */
function int(array $case, string $field): int
{
    if (!isset($case[$field]) || !is_int($case[$field])) {
        throw new UnexpectedValueException("missing `$field` (an integer)");
    }
    return $case[$field];
}

/** `expect` when it is one of $known. */
function expect(array $case, array $known): string
{
    $expect = str($case, 'expect');
    if (!in_array($expect, $known, true)) {
        throw new UnexpectedValueException('unknown expect value ' . json_encode($expect));
    }
    return $expect;
}

/** Compares an outcome name with `expect`. */
function outcome(string $got, string $expect): ?string
{
    return $got === $expect ? null : "got $got, expected $expect";
}

/** bcrypt.jsonl: verify_bcrypt's outcome. */
function bcrypt_case(array $case): ?string
{
    $expect = expect($case, ['match', 'mismatch', 'malformed_hash']);
    try {
        verify_bcrypt(b64($case, 'secret_b64'), str($case, 'hash'));
        $got = 'match';
    } catch (VerificationError $e) {
        $got = $e->code();
    }
    return outcome($got, $expect);
}

/** eupay_webhook.jsonl: one secret, the X-EuPay-Signature value, the body. */
function eupay_webhook_case(array $case): ?string
{
    $expect = expect($case, WEBHOOK_EXPECTS);
    $verifier = new WebhookVerifier('eupay', b64($case, 'secret_b64'));
    $headers = ['X-EuPay-Signature' => str($case, 'header')];
    try {
        $verifier->verify($headers, b64($case, 'body_b64'), 0, 0);
        $got = 'ok';
    } catch (VerificationError $e) {
        $got = $e->code();
    }
    return outcome($got, $expect) ?? one_shot_differs('eupay', b64($case, 'secret_b64'), $headers, b64($case, 'body_b64'), 0, 0, $got);
}

/**
 * Why verify_webhook() (the one-shot path: one C call for a scheme's one header) answers
 * otherwise than the verifier did ($got), or null when it answers the same.
 *
 * @param string|list<string> $secrets
 */
function one_shot_differs(string $scheme, string|array $secrets, array $headers, string $body, int $now, int $tolerance, string $got): ?string
{
    try {
        verify_webhook($scheme, $secrets, $headers, $body, $now, $tolerance);
        $once = 'ok';
    } catch (VerificationError $e) {
        $once = $e->code();
    }
    return $once === $got ? null : "verify_webhook() got $once, the verifier $got";
}

/** webhooks_more.jsonl: every provider; OPPWA's plaintext is compared too. */
function webhooks_more_case(array $case): ?string
{
    $expect = expect($case, WEBHOOK_EXPECTS);
    $secrets = $case['secrets_b64'] ?? null;
    if (!is_array($secrets) || $secrets === []) {
        throw new UnexpectedValueException('missing `secrets_b64`');
    }
    $secrets = array_map(fn ($s) => b64(['s' => $s], 's'), $secrets);
    $headers = $case['headers'] ?? null;
    if (!is_array($headers)) {
        throw new UnexpectedValueException('missing `headers`');
    }
    $headers = array_map(fn ($name, $value) => [(string) $name, $value], array_keys($headers), $headers);
    $verifier = new WebhookVerifier(str($case, 'scheme'), $secrets);
    try {
        $plaintext = $verifier->open($headers, b64($case, 'body_b64'), int($case, 'now'), int($case, 'tolerance'));
        $got = 'ok';
    } catch (VerificationError $e) {
        $got = $e->code();
    }
    if ($got === 'ok' && $expect === 'ok' && array_key_exists('plaintext_b64', $case)) {
        $want = b64($case, 'plaintext_b64');
        if ($plaintext !== $want) {
            return 'plaintext ' . json_encode($plaintext, JSON_INVALID_UTF8_SUBSTITUTE) . ', expected ' . json_encode($want, JSON_INVALID_UTF8_SUBSTITUTE);
        }
    } elseif ($got === 'ok' && in_array(str($case, 'scheme'), ['oppwa', 'oppwa_base64'], true)) {
        return 'decrypted, but the case has no `plaintext_b64` to compare';
    }
    return outcome($got, $expect)
        ?? one_shot_differs(str($case, 'scheme'), $secrets, $headers, b64($case, 'body_b64'), int($case, 'now'), int($case, 'tolerance'), $got)
        // As a name => value map too (getallheaders()'s shape, the one-shot's one-call path).
        ?? (count(array_unique(array_column($headers, 0))) === count($headers)
            ? one_shot_differs(str($case, 'scheme'), $secrets, array_column($headers, 1, 0), b64($case, 'body_b64'), int($case, 'now'), int($case, 'tolerance'), $got)
            : null);
}

/** paylands.jsonl: the verification outcome, and for well-formed cases the hash itself. */
function paylands_case(array $case): ?string
{
    $expect = expect($case, ['ok', 'mismatch', 'malformed']);
    $mode = str($case, 'mode');
    $flags = str($case, 'flags');
    if (!in_array($mode, ['notification', 'response'], true)) {
        throw new UnexpectedValueException('unknown mode ' . json_encode($mode));
    }
    if (!in_array($flags, ['default', 'unescaped'], true)) {
        throw new UnexpectedValueException('unknown flags ' . json_encode($flags));
    }
    $paylands = new PaylandsVerifier(b64($case, 'signature_b64'));
    $body = b64($case, 'notification_b64');
    try {
        $matched = $paylands->verify($body, $mode, $flags);
        if ($matched !== $flags) {
            return "matched with $matched flags, asked for $flags";
        }
        $got = 'ok';
    } catch (VerificationError $e) {
        $got = $e->code();
    }
    if (($why = outcome($got, $expect)) !== null) {
        return $why;
    }
    if ($expect !== 'malformed') {
        $computed = $paylands->hash($body, $mode, $flags);
        $same = strcasecmp($computed, str($case, 'validation_hash')) === 0;
        if ($same !== ($expect === 'ok')) {
            return "computed hash $computed " . ($same ? 'equals' : 'differs from') . " the vector's (expect $expect)";
        }
    }
    return null;
}

/** eupay_qr_sign.jsonl: every form of the signed QR. */
function eupay_qr_sign_case(array $case): ?string
{
    $signer = new QrSigner(b64($case, 'secret_b64'));
    $payload = b64($case, 'payload_input_b64');
    $url = $signer->sign($payload);
    $parts = $signer->signParts($payload);
    $prefix = 'https://www.european-pay.fr/pay?data=';
    $got = [
        'qr_url' => $url,
        'parts url' => $parts->url,
        'payload_canonical' => $parts->canonical,
        'sig_hex' => $parts->sig,
        'envelope_b64url' => str_starts_with($parts->url, $prefix) ? substr($parts->url, strlen($prefix)) : $parts->url,
        'envelope' => $parts->envelope,
    ];
    $want = [
        'qr_url' => str($case, 'qr_url'),
        'parts url' => str($case, 'qr_url'),
        'payload_canonical' => b64($case, 'payload_canonical_b64'),
        'sig_hex' => str($case, 'sig_hex'),
        'envelope_b64url' => str($case, 'envelope_b64url'),
        'envelope' => '{"payload":' . b64($case, 'payload_canonical_b64') . ',"sig":"' . str($case, 'sig_hex') . '"}',
    ];
    foreach ($want as $part => $bytes) {
        if ($got[$part] !== $bytes) {
            return "$part " . json_encode($got[$part], JSON_INVALID_UTF8_SUBSTITUTE) . ', expected ' . json_encode($bytes, JSON_INVALID_UTF8_SUBSTITUTE);
        }
    }
    return null;
}

/** eupay_qr_verify.jsonl: the verification outcome at `now`. */
function eupay_qr_verify_case(array $case): ?string
{
    $expect = expect($case, ['ok', 'bad_signature', 'expired', 'malformed']);
    $qr = new QrVerifier(b64($case, 'secret_b64'));
    try {
        $qr->verify(str($case, 'qr'), int($case, 'now'));
        $got = 'ok';
    } catch (VerificationError $e) {
        $got = $e->code();
    }
    return outcome($got, $expect);
}

const JWS_EXPECTS = [
    'ok', 'malformed', 'alg_not_allowed', 'crit_unsupported', 'key_not_found', 'bad_signature',
    'expired', 'not_yet_valid', 'audience', 'issuer', 'invalid',
];

/** A member of the line decoded with objects kept as objects ({} stays {}), as JSON text again. */
function json_member(string $line, string $field): string
{
    $raw = json_decode($line, false, 512, JSON_THROW_ON_ERROR);
    if (!is_object($raw) || !property_exists($raw, $field)) {
        throw new UnexpectedValueException("missing `$field`");
    }
    return json_encode($raw->$field, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION);
}

/** A JSON value with objects' members sorted and numbers as floats, to compare two decodings. */
function json_normal(mixed $v): mixed
{
    if (is_int($v)) {
        return (float) $v;
    }
    if (!is_array($v)) {
        return $v;
    }
    if (!array_is_list($v)) {
        ksort($v, SORT_STRING);
    }
    return array_map(json_normal(...), $v);
}

/** jws.jsonl: jws_verify (the payload), jwt_verify (the claims), jws_sign (the token). */
function jws_case(array $case, string $line): ?string
{
    $op = str($case, 'op');
    if ($op === 'jws_sign') {
        $got = sign_jws(json_member($line, 'jwk'), str($case, 'header'), b64($case, 'payload_b64'));
        return $got === str($case, 'expect') ? null : "token $got, expected {$case['expect']}";
    }
    if ($op !== 'jws_verify' && $op !== 'jwt_verify') {
        throw new UnexpectedValueException('unknown op ' . json_encode($op));
    }
    $expect = expect($case, JWS_EXPECTS);
    $algorithms = $case['algorithms'] ?? null;
    if (!is_array($algorithms)) {
        throw new UnexpectedValueException('missing `algorithms`');
    }
    $result = null;
    try {
        $keys = new JwkSet(json_member($line, 'jwks'));
        if ($op === 'jws_verify') {
            $result = verify_jws($keys, str($case, 'token'), $algorithms);
        } else {
            $audience = $case['audience'] ?? null;
            $issuer = $case['issuer'] ?? null;
            $result = verify_jwt($keys, str($case, 'token'), $algorithms, $audience, $issuer, int($case, 'leeway'), int($case, 'now'));
        }
        $got = 'ok';
    } catch (PaysealError $e) {
        $got = $e->code();
    }
    if ($expect === 'invalid') {
        return $got !== 'ok' ? null : 'verified, expected an error (invalid)';
    }
    if (($why = outcome($got, $expect)) !== null) {
        return $why;
    }
    if ($got === 'ok' && $op === 'jws_verify' && array_key_exists('payload_b64', $case)) {
        $want = b64($case, 'payload_b64');
        return $result === $want ? null : 'payload ' . json_encode($result, JSON_INVALID_UTF8_SUBSTITUTE) . ', expected ' . json_encode($want, JSON_INVALID_UTF8_SUBSTITUTE);
    }
    if ($got === 'ok' && $op === 'jwt_verify' && array_key_exists('claims', $case)) {
        return json_normal($result) === json_normal($case['claims']) ? null : 'claims ' . json_encode($result) . ', expected ' . json_encode($case['claims']);
    }
    return null;
}

/** Every vector file the C ABI covers, with its case function. */
$covered = [
    'json_js.jsonl' => fn (array $c) => json_case($c, 'js', JS_ERRORS),
    'json_php.jsonl' => fn (array $c) => json_case($c, 'php', PHP_ERRORS),
    'jcs.jsonl' => fn (array $c) => json_case($c, 'jcs', PHP_ERRORS),
    'bcrypt.jsonl' => bcrypt_case(...),
    'eupay_webhook.jsonl' => eupay_webhook_case(...),
    'webhooks_more.jsonl' => webhooks_more_case(...),
    'paylands.jsonl' => paylands_case(...),
    'eupay_qr_sign.jsonl' => eupay_qr_sign_case(...),
    'eupay_qr_verify.jsonl' => eupay_qr_verify_case(...),
    'jws.jsonl' => jws_case(...),
];

$dir = $argv[1] ?? (getenv('PAYSEAL_VECTORS') ?: dirname(__DIR__, 3) . '/shared/vectors');
$totalPassed = $totalFailed = $files = 0;
foreach ($covered as $file => $run) {
    $path = "$dir/$file";
    if (!is_file($path)) {
        // The project's own suite sets PAYSEAL_REQUIRE_ALL_VECTORS=1: there a missing file
        // fails. Another folder in the same formats may hold only some of the files.
        if (getenv('PAYSEAL_REQUIRE_ALL_VECTORS') === '1') {
            echo "$file: MISSING from $dir (a covered file must be present)\n";
            $totalFailed++;
        } else {
            echo "$file: not present in $dir, skipped\n";
        }
        continue;
    }
    $files++;
    $passed = $failed = 0;
    $lines = file($path, FILE_IGNORE_NEW_LINES) ?: [];
    foreach ($lines as $i => $line) {
        if (trim($line) === '') {
            continue;
        }
        $case = json_decode($line, true);
        $id = is_array($case) && is_string($case['id'] ?? null) ? $case['id'] : 'line ' . ($i + 1);
        try {
            $why = is_array($case) ? $run($case, $line) : 'unparsable line';
        } catch (Throwable $e) {
            $why = get_class($e) . ': ' . $e->getMessage();
        }
        if ($why === null) {
            $passed++;
        } else {
            if (++$failed <= 20) {
                echo "  FAIL $file $id: $why\n";
            }
        }
    }
    echo "$file: $passed passed, $failed failed\n";
    $totalPassed += $passed;
    $totalFailed += $failed;
}
if ($files === 0) {
    fwrite(STDERR, "no vector file the C ABI covers in $dir\n");
    $totalFailed++;
}
echo "$totalPassed passed, $totalFailed failed\n";
exit($totalFailed === 0 ? 0 : 1);
