<?php
// payseal through FFI against PHP's own functions, on the shared benchmark fixtures, in one
// PHP process (used by the cross-language harness).
//
//   php -d ffi.enable=1 ffi-c/php/bench/compare.php [--quick] [--fixtures DIR] [--only PREFIX]
//
// Prints one JSON line per measurement: {"lang":"php","case":...,"impl":...,"ns_per_op":...,
// "cpu_ns_per_op":...} on stdout; notes (what each PHP baseline does, where it differs) go to
// stderr. Each measurement: a warm-up, then several samples of many iterations timed with
// hrtime() (wall) and getrusage() (this process's CPU time, user + system: steadier on a
// loaded machine); the median sample of each is reported. --only measures just the cases
// whose name starts with PREFIX. Every implementation is first checked to
// accept its input, so a failure is never timed. Fixtures: --fixtures, else $PAYSEAL_FIXTURES,
// else ../shared/fixtures beside the repository.
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use Payseal\Library;
use Payseal\PaylandsVerifier;
use Payseal\QrSigner;
use Payseal\WebhookSigner;
use Payseal\WebhookVerifier;

use function Payseal\verify_bcrypt;

$quick = in_array('--quick', $argv, true);
$only = ($o = array_search('--only', $argv, true)) !== false ? ($argv[$o + 1] ?? '') : '';
$at = array_search('--fixtures', $argv, true);
$fixtures = $at !== false ? ($argv[$at + 1] ?? '') : (getenv('PAYSEAL_FIXTURES') ?: dirname(__DIR__, 4) . '/shared/fixtures');

function fixture(string $name): string
{
    global $fixtures;
    $bytes = @file_get_contents("$fixtures/$name");
    if ($bytes === false) {
        fwrite(STDERR, "missing fixture $fixtures/$name (set PAYSEAL_FIXTURES or --fixtures)\n");
        exit(2);
    }
    return $bytes;
}

function note(string $text): void
{
    fwrite(STDERR, "# $text\n");
}

/**
 * Median nanoseconds per call of $fn: $warmup calls, then $samples samples of $iterations calls.
 */
function measure(string $case, string $impl, callable $fn, int $iterations, int $samples = 7, ?int $warmup = null): void
{
    global $quick, $only;
    if (!str_starts_with($case, $only)) {
        return;
    }
    if ($quick) {
        $iterations = max(1, intdiv($iterations, 10));
        $samples = min($samples, 3);
    }
    for ($i = 0, $n = $warmup ?? $iterations; $i < $n; $i++) {
        $fn();
    }
    $times = $cpu = [];
    for ($s = 0; $s < $samples; $s++) {
        $cpuStart = cpu_ns();
        $start = hrtime(true);
        for ($i = 0; $i < $iterations; $i++) {
            $fn();
        }
        $times[] = (hrtime(true) - $start) / $iterations;
        $cpu[] = (cpu_ns() - $cpuStart) / $iterations;
    }
    sort($times);
    sort($cpu);
    $median = $times[intdiv(count($times), 2)];
    $cpuMedian = $cpu[intdiv(count($cpu), 2)];
    echo json_encode(['lang' => 'php', 'case' => $case, 'impl' => $impl, 'ns_per_op' => round($median, 1), 'cpu_ns_per_op' => round($cpuMedian, 1)]), "\n";
}

/** This process's CPU time so far (user + system), nanoseconds (microsecond resolution). */
function cpu_ns(): int
{
    $r = getrusage();
    return 1000 * (1000000 * ($r['ru_utime.tv_sec'] + $r['ru_stime.tv_sec']) + $r['ru_utime.tv_usec'] + $r['ru_stime.tv_usec']);
}

/** Runs $fn once and fails loudly unless it returns true (nothing false is ever timed). */
function must(string $what, callable $fn): void
{
    if ($fn() !== true) {
        fwrite(STDERR, "$what: did not accept its input; not measuring\n");
        exit(1);
    }
}

$ffi = Library::ffi();
note('payseal ' . Library::version() . ', PHP ' . PHP_VERSION . ($quick ? ', quick run' : ''));

// --- FFI call overhead: the cost of crossing into the library at all.
measure('ffi_call_overhead', 'ffi_noop', fn () => $ffi->payseal_abi_version(), 200000);
$key = $ffi->new('PaysealHmacKey*');
Library::check($ffi->payseal_hmac_sha256_key_new('k', 1, FFI::addr($key)));
measure('ffi_call_overhead', 'ffi_5_args_null_handle', fn () => $ffi->payseal_hmac_sha256_verify(null, '', 0, '', 0), 200000);
note('ffi_noop: payseal_abi_version() (no arguments); ffi_5_args_null_handle: a verify call refused at once (argument conversion included)');

// --- Webhook verify, 1 KiB EU Pay body.
$body = fixture('eupay-webhook-1k.json');
$secret = 'whsec_bench_secret';
$signature = 'sha256=' . hash_hmac('sha256', $body, $secret);
$headers = ['Content-Type' => 'application/json', 'X-EuPay-Signature' => $signature];
$verifier = new WebhookVerifier('eupay', $secret);
must('webhook payseal', function () use ($verifier, $headers, $body) {
    $verifier->verify($headers, $body, 0);
    return true;
});
$phpWebhook = function () use ($headers, $body, $secret): bool {
    $sig = $headers['X-EuPay-Signature'] ?? '';
    return str_starts_with($sig, 'sha256=') && hash_equals(hash_hmac('sha256', $body, $secret), substr($sig, 7));
};
must('webhook php', $phpWebhook);
measure('webhook_verify_1k', 'payseal_ffi', fn () => $verifier->verify($headers, $body, 0), 20000);
$handle = (fn () => $this->handle)->call($verifier);
$n = strlen($body);
must('webhook payseal direct', fn () => $ffi->payseal_webhook_verify_values($handle, $signature, strlen($signature), null, 0, $body, $n, 0, 0) === 0);
measure('webhook_verify_1k', 'payseal_ffi_direct', fn () => $ffi->payseal_webhook_verify_values($handle, $signature, strlen($signature), null, 0, $body, $n, 0, 0), 20000);
$packed = pack('V', 17) . 'X-EuPay-Signature' . pack('V', strlen($signature)) . $signature;
$p = strlen($packed);
must('webhook payseal packed', fn () => $ffi->payseal_webhook_verify_packed($handle, $packed, $p, $body, $n, 0, 0) === 0);
measure('webhook_verify_1k', 'payseal_ffi_packed', fn () => $ffi->payseal_webhook_verify_packed($handle, $packed, $p, $body, $n, 0, 0), 20000);
// The one-shot function (what examples/webhook.php runs under PHP-FPM, where nothing outlives
// the request): the key schedule made from the secret on every call, as hash_hmac makes its own.
must('webhook payseal once', function () use ($secret, $headers, $body) {
    Payseal\verify_webhook('eupay', $secret, $headers, $body);
    return true;
});
measure('webhook_verify_1k', 'payseal_ffi_once', fn () => Payseal\verify_webhook('eupay', $secret, $headers, $body), 20000);
// The two other forms a request-scoped caller writes: a verifier made (and destroyed) per call,
// and the worker's shared verifier fetched per call. A harness that measures one of them sees
// these figures, not the reused verifier's.
measure('webhook_verify_1k', 'payseal_ffi_new_per_call', fn () => (new WebhookVerifier('eupay', $secret))->verify($headers, $body, 0), 20000);
measure('webhook_verify_1k', 'payseal_ffi_shared_per_call', fn () => WebhookVerifier::shared('eupay', $secret)->verify($headers, $body, 0), 20000);
measure('webhook_verify_1k', 'php_hash_hmac', $phpWebhook, 20000);
note('webhook_verify_1k: ' . strlen($body) . '-byte body, 2 headers; php_hash_hmac = header lookup + hash_hmac + hash_equals;'
    . ' payseal_ffi = WebhookVerifier::verify (the scheme\'s header found by name, its value passed as an argument);'
    . ' payseal_ffi_once = verify_webhook(), the one-shot function (keys made per call);'
    . ' payseal_ffi_new_per_call = new WebhookVerifier + verify per call; payseal_ffi_shared_per_call = WebhookVerifier::shared() + verify per call;'
    . ' payseal_ffi_direct = the C call alone (payseal_webhook_verify_values), arguments ready;'
    . ' payseal_ffi_packed = the C call alone with the headers packed beforehand (payseal_webhook_verify_packed)');

// --- Webhook signing, the same 1 KiB body: Stripe (t=<now>,v1=<hex>) and Standard Webhooks
// (webhook-id, webhook-timestamp, webhook-signature: v1,<base64>), against PHP's own hash_hmac
// and formatting of the documented constructions (Stripe's and svix's PHP libraries come from
// Packagist, not reachable here). Both sides get `now` (and the id) as arguments and return the
// headers as name => value; payseal's key is precomputed once, PHP's secret decoded once.
$t = 1781699238;
$stripeSecret = 'whsec_bench_secret';
$stripeSigner = new WebhookSigner('stripe', $stripeSecret);
$phpStripe = fn (): array => ['Stripe-Signature' => "t=$t,v1=" . hash_hmac('sha256', "$t.$body", $stripeSecret)];
must('stripe sign payseal = php', fn () => $stripeSigner->sign($body, $t)->headers === $phpStripe());
$stripeHandle = (fn () => $this->handle)->call($stripeSigner);
$signOut = $ffi->new('char[512]');
$signWritten = $ffi->new('size_t');
$signLayout = $ffi->new('PaysealSigned');
[$signWrittenAddr, $signLayoutAddr] = [FFI::addr($signWritten), FFI::addr($signLayout)];
must('stripe sign direct', fn () => $ffi->payseal_webhook_sign($stripeHandle, $body, $n, $t, null, $signOut, 512, $signWrittenAddr, $signLayoutAddr) === 0);
measure('stripe_sign_1k', 'payseal_ffi', fn () => $stripeSigner->sign($body, $t), 20000);
measure('stripe_sign_1k', 'payseal_ffi_direct', fn () => $ffi->payseal_webhook_sign($stripeHandle, $body, $n, $t, null, $signOut, 512, $signWrittenAddr, $signLayoutAddr), 20000);
measure('stripe_sign_1k', 'php_hash_hmac', $phpStripe, 20000);
note('stripe_sign_1k: ' . strlen($body) . '-byte body; php_hash_hmac = hash_hmac("sha256", "$t.$body", $secret) + "t=$t,v1=" formatting into [name => value];'
    . ' payseal_ffi = WebhookSigner::sign($body, $t) -> SignedWebhook (headers name => value, body);'
    . ' payseal_ffi_direct = the C call alone (payseal_webhook_sign into a ready buffer, nothing read back)');

$stdRaw = random_bytes(24);
$stdSecret = 'whsec_' . base64_encode($stdRaw);
$stdSigner = new WebhookSigner('standard', $stdSecret);
$msgId = 'msg_2LJDpDJxk5J3XWW6gaWHnFa6wGM';
$stdKey = base64_decode(substr($stdSecret, 6), true);
$phpStandard = fn (): array => [
    'webhook-id' => $msgId,
    'webhook-timestamp' => (string) $t,
    'webhook-signature' => 'v1,' . base64_encode(hash_hmac('sha256', "$msgId.$t.$body", $stdKey, true)),
];
must('standard sign payseal = php', fn () => $stdSigner->sign($body, $t, $msgId)->headers === $phpStandard());
measure('standard_sign_1k', 'payseal_ffi', fn () => $stdSigner->sign($body, $t, $msgId), 20000);
measure('standard_sign_1k', 'php_hash_hmac', $phpStandard, 20000);
measure('standard_sign_1k', 'payseal_ffi_random_id', fn () => $stdSigner->sign($body, $t), 20000);
$phpStandardRandom = function () use ($t, $body, $stdKey): array {
    $id = 'msg_' . bin2hex(random_bytes(16));
    return ['webhook-id' => $id, 'webhook-timestamp' => (string) $t, 'webhook-signature' => 'v1,' . base64_encode(hash_hmac('sha256', "$id.$t.$body", $stdKey, true))];
};
measure('standard_sign_1k', 'php_hash_hmac_random_id', $phpStandardRandom, 20000);
note('standard_sign_1k: ' . strlen($body) . '-byte body, a given id; php_hash_hmac = base64_encode(hash_hmac("sha256", "$id.$t.$body", $key, true)) + the three headers;'
    . ' payseal_ffi = WebhookSigner::sign($body, $t, $id); *_random_id: no id given, payseal draws msg_ + 32 hex digits from the OS, PHP from random_bytes(16)');

// --- Paylands verify.
$notification = fixture('paylands-notification.json');
$paylandsSecret = rtrim(fixture('paylands-notification.signature'), "\n");
$paylands = new PaylandsVerifier($paylandsSecret);
must('paylands payseal', fn () => $paylands->verify($notification, 'notification', 'default') === 'default');
$phpPaylands = function () use ($notification, $paylandsSecret): bool {
    $n = json_decode($notification, true);
    if (!is_array($n) || !isset($n['order'], $n['validation_hash']) || !is_string($n['validation_hash'])) {
        return false;
    }
    $data = ['order' => $n['order'], 'client' => $n['client'] ?? null];
    if (array_key_exists('extra_data', $n)) {
        $data['extra_data'] = $n['extra_data'];
    }
    return hash_equals(hash('sha256', json_encode($data) . $paylandsSecret), strtolower($n['validation_hash']));
};
must('paylands php', $phpPaylands);
measure('paylands_verify', 'payseal_ffi', fn () => $paylands->verify($notification, 'notification', 'default'), 5000);
measure('paylands_verify', 'php_json_hash', $phpPaylands, 5000);
note('paylands_verify: ' . strlen($notification) . '-byte notification, default flags; php_json_hash = json_decode + json_encode + hash + hash_equals');

// --- EU Pay QR sign.
if (class_exists(QrSigner::class)) {
    $payload = fixture('eupay-qr-payload.json');
    $qrSecret = rtrim(fixture('eupay-qr-payload.secret'), "\n");
    $signer = new QrSigner($qrSecret);
    $phpQr = function () use ($payload, $qrSecret): string {
        $canonical = json_encode(json_decode($payload), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
        $envelope = '{"payload":' . $canonical . ',"sig":"' . hash_hmac('sha256', $canonical, $qrSecret) . '"}';
        return 'https://www.european-pay.fr/pay?data=' . rtrim(strtr(base64_encode($envelope), '+/', '-_'), '=');
    };
    must('qr payseal', fn () => str_starts_with($signer->sign($payload), 'https://www.european-pay.fr/pay?data='));
    must('qr php', fn () => str_starts_with($phpQr(), 'https://www.european-pay.fr/pay?data='));
    measure('eupay_qr_sign', 'payseal_ffi', fn () => $signer->sign($payload), 20000);
    measure('eupay_qr_sign', 'php_json_hmac_base64url', $phpQr, 20000);
    note('eupay_qr_sign: php = json_decode + json_encode(JSON_UNESCAPED_SLASHES|JSON_UNESCAPED_UNICODE) + hash_hmac + base64url;'
        . ' json_encode is not JSON.stringify (floats such as 1.0 and 1e21, U+2028/2029, key order of numeric keys differ),'
        . ' so the PHP baseline is only right for payloads without those; on this fixture it gives '
        . ($phpQr() === $signer->sign($payload) ? 'the same URL as payseal' : 'a DIFFERENT URL from payseal'));
} else {
    note('eupay_qr_sign: skipped (this wrapper has no Payseal\\QrSigner)');
}

// --- JWT verify, HS256 with claims (a ~400-byte token: issue #19). The baseline is what
// firebase/php-jwt's JWT::decode does, written here because Packagist is not reachable: split on
// '.', base64url-decode the three parts, json_decode header and claims, the header's alg against
// the allowed one, the key by kid, hash_hmac + hash_equals, then nbf/iat/exp with leeway, and
// aud and iss (php-jwt leaves those two to the caller; payseal checks them, so the baseline does
// too). Both sides return the claims as an array.
$jwtSecretB64 = 'IpHYzcMQQR5-wnN4pmHJNRh8B-TVY26bw8QAsnJEuM0';
$jwtJwk = ['kty' => 'oct', 'kid' => 'ppro-1', 'k' => $jwtSecretB64];
$jwtClaims = '{"sub":"charge_79n1d4x-","iat":1781739433,"exp":1781740819,"nbf":1781739400,"iss":"https://auth.example.test/realms/sandbox","aud":["account","merchant-api"],"session":{"r":"charge_bfnx46jl","amount":12.5,"currency":"EUR"},"jti":"8f14e45f-ceea-467f-a1b2"}';
$jwt = \Payseal\sign_jws($jwtJwk, '{"alg":"HS256","kid":"ppro-1","typ":"JWT"}', $jwtClaims);
$jwtNow = 1781740000;
$jwtIss = 'https://auth.example.test/realms/sandbox';
$jwtVerifier = new \Payseal\JwtVerifier(new \Payseal\JwkSet(['keys' => [$jwtJwk]]), ['HS256'], audience: 'merchant-api', issuer: $jwtIss);
$jwtHandle = (fn () => $this->handle)->call($jwtVerifier);
$jwtLen = strlen($jwt);
$jwtOut = Library::make('char', $jwtLen);
$jwtWritten = Library::make('size_t');
$jwtWrittenAddr = FFI::addr($jwtWritten);
$phpKeys = ['ppro-1' => base64_decode(strtr($jwtSecretB64, '-_', '+/'))];
$b64d = static function (string $in): string {
    $r = strlen($in) % 4;
    $out = base64_decode(strtr($r ? $in . str_repeat('=', 4 - $r) : $in, '-_', '+/'), true);
    if ($out === false) {
        throw new UnexpectedValueException('bad base64url');
    }
    return $out;
};
$phpJwt = static function () use ($jwt, $phpKeys, $jwtNow, $jwtIss, $b64d): array {
    $leeway = 0;
    $parts = explode('.', $jwt);
    if (count($parts) !== 3) {
        throw new UnexpectedValueException('wrong number of segments');
    }
    [$h64, $p64, $s64] = $parts;
    $header = json_decode($b64d($h64), false, 512, JSON_BIGINT_AS_STRING);
    $claims = json_decode($b64d($p64), true, 512, JSON_BIGINT_AS_STRING);
    if (!is_object($header) || !is_array($claims)) {
        throw new UnexpectedValueException('invalid header or claims encoding');
    }
    $sig = $b64d($s64);
    if (!isset($header->alg) || $header->alg !== 'HS256') {
        throw new UnexpectedValueException('algorithm not allowed');
    }
    if (!isset($header->kid) || !isset($phpKeys[$header->kid])) {
        throw new UnexpectedValueException('"kid" invalid, unable to lookup correct key');
    }
    if (!hash_equals(hash_hmac('sha256', "$h64.$p64", $phpKeys[$header->kid], true), $sig)) {
        throw new UnexpectedValueException('signature verification failed');
    }
    if (isset($claims['nbf']) && (!is_numeric($claims['nbf']) || $claims['nbf'] > $jwtNow + $leeway)) {
        throw new UnexpectedValueException('cannot handle token prior to nbf');
    }
    if (isset($claims['iat']) && !is_numeric($claims['iat'])) {
        throw new UnexpectedValueException('iat must be a number');
    }
    if (isset($claims['exp']) && (!is_numeric($claims['exp']) || $jwtNow - $leeway >= $claims['exp'])) {
        throw new UnexpectedValueException('expired token');
    }
    $aud = $claims['aud'] ?? null;
    if (!(is_string($aud) ? $aud === 'merchant-api' : is_array($aud) && in_array('merchant-api', $aud, true))) {
        throw new UnexpectedValueException('audience');
    }
    if (($claims['iss'] ?? null) !== $jwtIss) {
        throw new UnexpectedValueException('issuer');
    }
    return $claims;
};
if ($jwtVerifier->verify($jwt, $jwtNow) !== $phpJwt()) {
    fwrite(STDERR, "jwt_verify_hs256: payseal and the PHP baseline disagree\n");
    exit(1);
}
measure('jwt_verify_hs256', 'payseal_ffi', fn () => $jwtVerifier->verify($jwt, $jwtNow), 20000);
measure('jwt_verify_hs256', 'payseal_ffi_direct', fn () => $ffi->payseal_jwt_verifier_verify($jwtHandle, $jwt, $jwtLen, $jwtNow, $jwtOut, $jwtLen, $jwtWrittenAddr), 20000);
$jwtSet = new \Payseal\JwkSet(['keys' => [$jwtJwk]]);
measure('jwt_verify_hs256', 'payseal_ffi_oneshot', fn () => \Payseal\verify_jwt($jwtSet, $jwt, ['HS256'], 'merchant-api', $jwtIss, 0, $jwtNow), 20000);
measure('jwt_verify_hs256', 'php_native', $phpJwt, 20000);
// What bounds the ratio: both sides end with the same json_decode of the claims into an array.
measure('jwt_verify_hs256', 'floor_json_decode_claims', fn () => json_decode($jwtClaims, true, 1024), 20000);
note("jwt_verify_hs256: $jwtLen-byte HS256 JWT, aud + iss + exp + nbf checked, claims returned as an array; payseal_ffi = JwtVerifier::verify (settings fixed once),"
    . ' payseal_ffi_direct = the C call alone (payload bytes, no json_decode), payseal_ffi_oneshot = verify_jwt() with a kept JwkSet;'
    . ' floor_json_decode_claims = json_decode of the claims alone (the array both sides return; part of either time);'
    . ' php_native = what firebase/php-jwt JWT::decode does (explode, base64url decode, json_decode x2, hash_hmac + hash_equals, nbf/iat/exp) plus aud and iss, written here (Packagist is not reachable)');

// --- bcrypt cost 10.
$hash = password_hash('sk_live_bench_secret', PASSWORD_BCRYPT, ['cost' => 10]);
must('bcrypt payseal', function () use ($hash) {
    verify_bcrypt('sk_live_bench_secret', $hash);
    return true;
});
must('bcrypt php', fn () => password_verify('sk_live_bench_secret', $hash));
measure('bcrypt_verify_cost10', 'payseal_ffi', fn () => verify_bcrypt('sk_live_bench_secret', $hash), 10, 5, 1);
measure('bcrypt_verify_cost10', 'php_password_verify', fn () => password_verify('sk_live_bench_secret', $hash), 10, 5, 1);
note('bcrypt_verify_cost10: a $2y$10$ hash from password_hash; wall-clock time per check');
