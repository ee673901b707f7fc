<?php
// Unit tests of the PHP wrapper (plain PHP, no framework). Usage:
//   php -d ffi.enable=1 ffi-c/php/tests/run.php      (finds the library like the wrapper does)
// Prints failures and `php-unit: N passed, M failed` last; exits 1 on any failure.
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use Payseal\ApiKeyError;
use Payseal\BadSignature;
use Payseal\Bcrypt;
use Payseal\CostOutOfRange;
use Payseal\Encoding;
use Payseal\EuPayQr;
use Payseal\Expired;
use Payseal\Error;
use Payseal\HmacKey;
use Payseal\InvalidArgument;
use Payseal\InvalidEncoding;
use Payseal\InvalidKey;
use Payseal\Json;
use Payseal\JsonDepth;
use Payseal\JsonDuplicateKey;
use Payseal\JsonError;
use Payseal\JsonInvalidUtf8;
use Payseal\JsonLoneSurrogate;
use Payseal\JsonNumberRange;
use Payseal\JsonSyntax;
use Payseal\InvalidTableLink;
use Payseal\KeyBadCharacter;
use Payseal\KeyBadLength;
use Payseal\KeyEnvironmentMismatch;
use Payseal\KeyNotPublishable;
use Payseal\KeyNotSecret;
use Payseal\KeyUnknownPrefix;
use Payseal\Keys;
use Payseal\Library;
use Payseal\LibraryError;
use Payseal\Malformed;
use Payseal\MalformedBody;
use Payseal\MalformedHash;
use Payseal\MalformedHeader;
use Payseal\Mismatch;
use Payseal\MissingHeader;
use Payseal\Paylands;
use Payseal\SecretContainsNul;
use Payseal\SecretTooLong;
use Payseal\SecretVerifier;
use Payseal\TimestampTooNew;
use Payseal\TimestampTooOld;
use Payseal\TooLarge;
use Payseal\TooManySignatures;
use Payseal\VerificationError;
use Payseal\Webhook;
use Payseal\WebhookVerifier;

$passed = $failed = 0;

function check(bool $ok, string $what): void
{
    global $passed, $failed;
    if ($ok) {
        $passed++;
    } else {
        $failed++;
        $at = debug_backtrace()[0]['line'] ?? 0;
        echo "FAIL (line $at): $what\n";
    }
}

function same(mixed $got, mixed $want, string $what): void
{
    check($got === $want, "$what: got " . var_export($got, true) . ', want ' . var_export($want, true));
}

/** Runs $fn and checks that it throws exactly $class; returns the exception. */
function throws(string $class, callable $fn, string $what): ?Throwable
{
    try {
        $fn();
    } catch (Throwable $e) {
        check(get_class($e) === $class, "$what: threw " . get_class($e) . " ({$e->getMessage()}), want $class");
        return $e;
    }
    check(false, "$what: did not throw, want $class");
    return null;
}

// Library.
check(preg_match('/^\d+\.\d+\.\d+/', Library::version()) === 1, 'version');
same(Library::ffi()->payseal_abi_version(), Library::ABI_VERSION, 'abi version');
same(Library::ffi()->PAYSEAL_BAD_SIGNATURE, 20, 'enum constants are visible');
$saved = getenv('PAYSEAL_LIB');
putenv('PAYSEAL_LIB=/nonexistent/libpayseal_ffi.so');
same(Library::path(), '/nonexistent/libpayseal_ffi.so', 'PAYSEAL_LIB wins');
throws(LibraryError::class, fn () => Library::load(Library::path()), 'missing library');
$saved === false ? putenv('PAYSEAL_LIB') : putenv("PAYSEAL_LIB=$saved");

// Encoding.
same(Encoding::hexEncode("\xde\xad\xbe\xef"), 'deadbeef', 'hex encode');
same(Encoding::hexEncode(''), '', 'hex encode empty');
same(Encoding::hexDecode('DEADbeef'), "\xde\xad\xbe\xef", 'hex decode');
same(Encoding::hexDecode(''), '', 'hex decode empty');
foreach (['abc', 'zz', "\0\0"] as $bad) {
    throws(InvalidEncoding::class, fn () => Encoding::hexDecode($bad), "hex decode " . bin2hex($bad));
}
same(Encoding::base64urlEncode("\xfb\xff\x01\x02"), '-_8BAg', 'base64url encode');
same(Encoding::base64urlDecode('-_8BAg'), "\xfb\xff\x01\x02", 'base64url decode');
same(Encoding::base64urlDecode('-_8BAg=='), "\xfb\xff\x01\x02", 'base64url decode padded');
foreach (['+/8BAg', '-_8BAg=', 'Z', 'Zm9v YmFy'] as $bad) {
    throws(InvalidEncoding::class, fn () => Encoding::base64urlDecode($bad), "base64url decode $bad");
}
for ($n = 0; $n < 70; $n++) {
    $bytes = $n > 0 ? random_bytes($n) : '';
    same(Encoding::hexDecode(Encoding::hexEncode($bytes)), $bytes, "hex round trip $n");
    same(Encoding::hexEncode($bytes), bin2hex($bytes), "hex matches bin2hex $n");
    $b64 = rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    same(Encoding::base64urlEncode($bytes), $b64, "base64url matches base64_encode $n");
    same(Encoding::base64urlDecode($b64), $bytes, "base64url round trip $n");
}

// JSON: the three dialects agree with PHP's own engine on a typical notification.
$doc = '{"amount": 12.50, "note": "caf\u00e9 / th\u00e9", "items": {"1": "b", "0": "a"}, "empty": {}, "list": [1.0, -0.0, 1e25]}';
same(Json::php($doc), json_encode(json_decode($doc, true)), 'php default = json_encode');
$flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
same(Json::php($doc, $flags), json_encode(json_decode($doc, true), $flags), 'php unescaped = json_encode');
same(Json::php($doc, JSON_UNESCAPED_SLASHES), json_encode(json_decode($doc, true), JSON_UNESCAPED_SLASHES), 'php slashes');
same(Json::js('{"b": 1, "a": [1.0, "\/x", "\u00e9"], "1": 0}'), "{\"1\":0,\"b\":1,\"a\":[1,\"/x\",\"\u{e9}\"]}", 'js');
same(Json::canonicalLength($doc, Json::PHP), strlen(Json::php($doc)), 'canonical length');
$big = json_encode(array_fill(0, 2000, "\u{e9}/\u{1F600}"));
same(Json::php($big), json_encode(json_decode($big, true)), 'output larger than the first guess');
$e = throws(JsonSyntax::class, fn () => Json::js('{"a":}'), 'syntax');
check($e instanceof JsonError && $e instanceof Error && $e instanceof RuntimeException, 'hierarchy');
check($e instanceof JsonError && $e->offset() === 5 && $e->name() === 'syntax', 'syntax offset and name');
same($e?->getCode(), 10, 'code is the C result code');
throws(JsonDuplicateKey::class, fn () => Json::js('{"a":1,"a":2}'), 'duplicate');
throws(JsonInvalidUtf8::class, fn () => Json::php("[\"\xff\"]"), 'invalid utf-8');
throws(JsonNumberRange::class, fn () => Json::js('[1e999]'), 'number range');
throws(JsonDepth::class, fn () => Json::php(str_repeat('[', 600) . str_repeat(']', 600)), 'depth');
throws(JsonLoneSurrogate::class, fn () => Json::php('["\ud800"]'), 'lone surrogate (php)');
same(Json::js('["\ud800"]'), '["\ud800"]', 'lone surrogate survives (js)');
throws(JsonSyntax::class, fn () => Json::js(''), 'empty');
throws(JsonSyntax::class, fn () => Json::canonicalLength('[1,]'), 'length of bad input');
throws(InvalidArgument::class, fn () => Json::canonicalize('1', 7), 'unknown dialect');
throws(InvalidArgument::class, fn () => Json::canonicalize('1', Json::JS, JSON_UNESCAPED_SLASHES), 'flags with js');
throws(InvalidArgument::class, fn () => Json::php('1', JSON_PRETTY_PRINT), 'unsupported flag');

// HMAC keys (RFC 4231 test case 2).
$key = new HmacKey('Jefe');
$tag = $key->sign('what do ya want for nothing?');
same(bin2hex($tag), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hmac sign');
same(hash_hmac('sha256', 'x', 'Jefe', true), $key->sign('x'), 'hmac matches hash_hmac');
$key->verify('what do ya want for nothing?', $tag);
check(true, 'verify passes');
throws(BadSignature::class, fn () => $key->verify('what do ya want for nothing!', $tag), 'verify wrong message');
throws(BadSignature::class, fn () => $key->verify('what do ya want for nothing?', substr($tag, 0, 31)), 'short tag');
throws(BadSignature::class, fn () => $key->verify('what do ya want for nothing?', ''), 'empty tag');
throws(InvalidKey::class, fn () => new HmacKey(''), 'empty key');
throws(LogicException::class, fn () => clone $key, 'no clone');
throws(LogicException::class, fn () => serialize($key), 'no serialize');
check(!str_contains(print_r($key, true), 'Jefe'), 'debug output is redacted');
for ($i = 0; $i < 1000; $i++) {
    (new HmacKey(random_bytes(32)))->sign('m'); // handles are freed by __destruct
}
check(true, 'many keys');
unset($key);


// Webhooks: GitHub's documented example, in every header shape the wrapper accepts.
$ghSecret = "It's a Secret to Everybody";
$ghSig = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
$gh = new WebhookVerifier('github', ['new-secret', $ghSecret]);
same($gh->scheme(), 'github', 'scheme');
foreach ([
    'getallheaders' => ['Content-Type' => 'application/json', 'X-Hub-Signature-256' => $ghSig],
    'psr-7' => ['content-type' => ['application/json'], 'x-hub-signature-256' => [$ghSig]],
    'pairs' => [['Content-Type', 'application/json'], ['X-HUB-SIGNATURE-256', " $ghSig "]],
    'server' => Webhook::requestHeaders(['HTTP_X_HUB_SIGNATURE_256' => $ghSig, 'CONTENT_TYPE' => 'x', 'PATH' => '/bin']),
] as $shape => $headers) {
    $gh->verify($headers, 'Hello, World!');
    check(true, "verify with $shape headers");
    throws(BadSignature::class, fn () => $gh->verify($headers, 'Hello, World?'), "tampered body, $shape headers");
}
same(
    Webhook::requestHeaders(['HTTP_X_EUPAY_SIGNATURE' => 'a', 'CONTENT_LENGTH' => '3', 'REQUEST_METHOD' => 'POST']),
    ['X-Eupay-Signature' => 'a', 'Content-Length' => '3'],
    'headers from $_SERVER',
);
Webhook::verify('github', $ghSecret, ['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
same($gh->open(['X-Hub-Signature-256' => $ghSig], 'Hello, World!'), '', 'open of a MAC scheme is empty');
$e = throws(MissingHeader::class, fn () => $gh->verify([], 'Hello, World!'), 'no headers');
check($e instanceof VerificationError && $e instanceof Error, 'webhook error hierarchy');
throws(MalformedHeader::class, fn () => $gh->verify(['X-Hub-Signature-256' => [$ghSig, $ghSig]], 'Hello, World!'), 'repeated header');
throws(MalformedHeader::class, fn () => $gh->verify(['X-Hub-Signature-256' => 'md5=00'], 'Hello, World!'), 'other algorithm');
throws(TooLarge::class, fn () => $gh->verify(['X-Hub-Signature-256' => str_repeat('a', 9000)], 'x'), 'huge header');
throws(\TypeError::class, fn () => $gh->verify(['X-Hub-Signature-256' => 1], 'x'), 'non-string header');
throws(InvalidArgument::class, fn () => new WebhookVerifier('paypal', 'x'), 'unknown scheme');
throws(InvalidArgument::class, fn () => new WebhookVerifier('github', ['a', 'b', 'c', 'd', 'e']), 'five secrets');
throws(InvalidKey::class, fn () => new WebhookVerifier('github', []), 'no secret');
throws(InvalidKey::class, fn () => new WebhookVerifier('github', ['a', '']), 'empty secret');
throws(InvalidKey::class, fn () => new WebhookVerifier('oppwa', 'not hex'), 'bad OPPWA key');
throws(LogicException::class, fn () => clone $gh, 'no clone');
check(!str_contains(print_r($gh, true), 'Secret'), 'verifier debug output is redacted');

// Stripe: the signature made with PHP's own hash_hmac; time is a parameter.
$stripeBody = '{"id":"evt_1","type":"charge.succeeded"}';
$stripeSig = 't=1700000000,v1=' . hash_hmac('sha256', "1700000000.$stripeBody", 'whsec_x');
$stripe = new WebhookVerifier('stripe', 'whsec_x');
$stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody, 1700000100, 300);
check(true, 'stripe within tolerance');
throws(TimestampTooOld::class, fn () => $stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody, 1700000301), 'stripe too old');
throws(TimestampTooNew::class, fn () => $stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody, 1699999000), 'stripe too new');
throws(TooManySignatures::class, fn () => $stripe->verify(['Stripe-Signature' => 't=1700000000' . str_repeat(',v1=00', 9)], $stripeBody, 1700000000), 'too many signatures');
throws(TimestampTooOld::class, fn () => $stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody), 'default now is the clock');

// EU Pay: the signature made with hash_hmac.
$eupayBody = '{"event":"payment.completed","amount":12.5}';
Webhook::verify('eupay', 'whsec_e', ['X-EuPay-Signature' => 'sha256=' . hash_hmac('sha256', $eupayBody, 'whsec_e')], $eupayBody);
check(true, 'eupay');

// OPPWA: NIST GCM test case 14 (zero key and IV, 16 zero bytes).
$oppwa = new WebhookVerifier('oppwa', str_repeat('0', 64));
$gcm = ['X-Initialization-Vector' => str_repeat('0', 24), 'X-Authentication-Tag' => 'd0d1c8a799996bf0265b98b5d48ab919'];
same($oppwa->open($gcm, 'cea7403d4d606b6e074ec5d3baf39d18'), str_repeat("\0", 16), 'oppwa plaintext');
$oppwa->verify($gcm, 'cea7403d4d606b6e074ec5d3baf39d18');
check(true, 'oppwa verify');
$badTag = ['X-Authentication-Tag' => 'd0d1c8a799996bf0265b98b5d48ab918'] + $gcm;
throws(BadSignature::class, fn () => $oppwa->open($badTag, 'cea7403d4d606b6e074ec5d3baf39d18'), 'oppwa bad tag');
throws(MalformedBody::class, fn () => $oppwa->open($gcm, 'zz'), 'oppwa bad body');
same(
    Webhook::open('oppwa_base64', str_repeat('0', 64), $gcm, base64_encode(hex2bin('cea7403d4d606b6e074ec5d3baf39d18'))),
    str_repeat("\0", 16),
    'oppwa base64',
);

// Batches: one outcome per item, in order, never thrown.
$items = [];
for ($i = 0; $i < 40; $i++) {
    $items[] = match ($i % 3) {
        0 => [$gh, ['X-Hub-Signature-256' => $ghSig], 'Hello, World!'],
        1 => [$gh, ['X-Hub-Signature-256' => $ghSig], 'Hello, World?'],
        2 => [$oppwa, $gcm, 'cea7403d4d606b6e074ec5d3baf39d18'],
    };
}
foreach ([0, 1, 2] as $threads) {
    $results = Webhook::verifyBatch($items, null, 300, $threads);
    same(count($results), 40, "batch size ($threads threads)");
    same(array_map(fn ($r) => $r?->name(), array_slice($results, 0, 3)), [null, 'bad_signature', null], "batch outcomes ($threads threads)");
    check($results[1] instanceof BadSignature, 'batch error class');
}
same(Webhook::verifyBatch([]), [], 'empty batch');
throws(\TypeError::class, fn () => Webhook::verifyBatch([['x', [], '']]), 'bad batch item');

// bcrypt: interoperable with PHP's own password_hash / password_verify.
$salt = str_repeat("\x42", 16);
$hash = Bcrypt::hash('sk_live_example', 4, $salt);
same(strlen($hash), Bcrypt::HASH_LENGTH, 'hash length');
same(substr($hash, 0, 7), '$2b$04$', 'hash prefix');
same(Bcrypt::hash('sk_live_example', 4, $salt), $hash, 'same salt, same hash');
check(password_verify('sk_live_example', $hash), 'password_verify accepts payseal hashes');
Bcrypt::verify('sk_live_example', $hash);
Bcrypt::verify('sk_live_example', password_hash('sk_live_example', PASSWORD_BCRYPT, ['cost' => 4]));
check(true, 'payseal accepts password_hash hashes');
check(Bcrypt::hash('x', 4) !== Bcrypt::hash('x', 4), 'OS salts differ');
$php = password_hash('abc', PASSWORD_BCRYPT, ['cost' => 4]);
check(password_verify("abc\0anything", $php), 'PHP stops at NUL');
throws(Mismatch::class, fn () => Bcrypt::verify("abc\0anything", $php), 'payseal does not');
throws(Mismatch::class, fn () => Bcrypt::verify('sk_live_wrong', $hash), 'wrong secret');
throws(MalformedHash::class, fn () => Bcrypt::verify('x', '$2x$04$' . substr($hash, 7)), '$2x$');
throws(MalformedHash::class, fn () => Bcrypt::verify('x', ''), 'empty hash');
throws(SecretTooLong::class, fn () => Bcrypt::hash(str_repeat('k', 73), 4), 'too long');
throws(SecretContainsNul::class, fn () => Bcrypt::hash("a\0b", 4), 'NUL');
throws(CostOutOfRange::class, fn () => Bcrypt::hash('a', 3), 'cost 3');
throws(CostOutOfRange::class, fn () => Bcrypt::hash('a', 32), 'cost 32');
throws(InvalidArgument::class, fn () => Bcrypt::hash('a', 4, 'short'), 'short salt');
check(new CostOutOfRange('', 40, 'cost_out_of_range') instanceof InvalidArgument, 'bcrypt input errors are InvalidArgument');

$verifier = new SecretVerifier(100, 60);
$verifier->verify('sk_live_example', $hash);
$verifier->verify('sk_live_example', $hash);
throws(Mismatch::class, fn () => $verifier->verify('sk_live_wrong', $hash), 'cached verifier, wrong secret');
same($verifier->stats(), ['hits' => 1, 'misses' => 2], 'verifier stats');
$verifier->clear();
$verifier->verify('sk_live_example', $hash);
same($verifier->stats(), ['hits' => 1, 'misses' => 3], 'cleared');
throws(InvalidArgument::class, fn () => new SecretVerifier(-1), 'negative capacity');

// API keys.
$pair = Keys::generatePair(Keys::LIVE);
check(preg_match('/^pk_live_[A-Za-z0-9]{32}$/', $pair['publishable']) === 1, 'publishable key form');
check(preg_match('/^sk_live_[A-Za-z0-9]{32}$/', $pair['secret']) === 1, 'secret key form');
same(Keys::inspect($pair['secret']), ['kind' => 'secret', 'environment' => 'live'], 'inspect');
same(Keys::checkPair($pair['publishable'], $pair['secret']), 'live', 'check pair');
$test = Keys::generate(Keys::SECRET, Keys::TEST);
throws(KeyEnvironmentMismatch::class, fn () => Keys::checkPair($pair['publishable'], $test), 'live/test mix');
throws(KeyNotPublishable::class, fn () => Keys::checkPair($pair['secret'], $pair['secret']), 'sk as pk');
throws(KeyNotSecret::class, fn () => Keys::checkPair($pair['publishable'], $pair['publishable']), 'pk as sk');
throws(KeyUnknownPrefix::class, fn () => Keys::inspect('rk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh'), 'prefix');
throws(KeyBadLength::class, fn () => Keys::inspect('pk_live_short'), 'length');
$e = throws(KeyBadCharacter::class, fn () => Keys::inspect("sk_test_4eC39HqLyjWDarjtT1zdp7dc\xff" . 'AbCdEfGh'), 'non-UTF-8 character');
check($e instanceof ApiKeyError, 'key error hierarchy');
throws(InvalidArgument::class, fn () => Keys::generate('admin', Keys::LIVE), 'unknown kind');
throws(InvalidArgument::class, fn () => Keys::generate(Keys::SECRET, 'prod'), 'unknown environment');

// Table links.
$merchant = '3febce7d-03cd-40fe-b40f-fe9851b9c397';
$token = Keys::tableToken();
check(preg_match('/^[0-9a-f]{32}$/', $token) === 1, 'table token form');
$url = Keys::tableUrl(strtoupper($merchant), strtoupper($token));
same($url, "https://www.european-pay.fr/t/$merchant/$token", 'table url');
Keys::verifyTableUrl($url, $merchant, $token);
same(Keys::tableUrlMerchant($url), $merchant, 'merchant of a link');
$deep = Keys::tableUrl($merchant, $token, 'eupay://table/');
same($deep, "eupay://table/$merchant/$token", 'custom base');
Keys::verifyTableUrl($deep, $merchant, $token, 'eupay://table/');
same(Keys::tableUrlMerchant($deep, 'eupay://table/'), $merchant, 'merchant under a custom base');
foreach (["$url?x=1", $deep, substr($url, 0, -1) . ($token[31] === '0' ? '1' : '0'), ''] as $bad) {
    throws(InvalidTableLink::class, fn () => Keys::verifyTableUrl($bad, $merchant, $token), "bad link $bad");
}
throws(InvalidTableLink::class, fn () => Keys::tableUrl('nope', $token), 'bad merchant');
throws(InvalidTableLink::class, fn () => Keys::tableUrlMerchant('https://example.com/'), 'no merchant');

// Paylands: the hash equals PHP's own hash('sha256', json_encode($data) . $signature).
$paylands = new Paylands('s1gnature');
$data = ['order' => ['amount' => 1050, 'ref' => 'café/1', 'uuid' => 'B25A'], 'client' => ['uuid' => 'C1'], 'extra_data' => null];
foreach ([Paylands::FLAGS_DEFAULT => 0, Paylands::FLAGS_UNESCAPED => JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES] as $name => $phpFlags) {
    $hashHex = hash('sha256', json_encode($data, $phpFlags) . 's1gnature');
    $body = json_encode(['message' => 'OK', 'code' => 200] + $data + ['validation_hash' => $hashHex], JSON_PRETTY_PRINT);
    same($paylands->hash($body, Paylands::NOTIFICATION, $name), $hashHex, "hash ($name)");
    same(Paylands::encodeData($body, Paylands::NOTIFICATION, $name), json_encode($data, $phpFlags), "encodeData ($name)");
    same($paylands->verify($body), $name, "auto detects $name");
    same($paylands->verify($body, Paylands::NOTIFICATION, $name), $name, "verify only $name");
    throws(Mismatch::class, fn () => (new Paylands('other'))->verify($body), "other signature ($name)");
}
throws(Mismatch::class, fn () => $paylands->verify(str_replace('1050', '1051', $body)), 'tampered amount');
throws(Malformed::class, fn () => $paylands->verify('{"order":{}}'), 'no validation_hash');
throws(Malformed::class, fn () => $paylands->verify('not json'), 'not json');
throws(InvalidArgument::class, fn () => $paylands->verify($body, 'webhook'), 'unknown mode');
throws(InvalidArgument::class, fn () => $paylands->hash($body, Paylands::NOTIFICATION, Paylands::FLAGS_AUTO), 'hash with auto');
throws(InvalidKey::class, fn () => new Paylands(''), 'empty signature');
check(!str_contains(print_r($paylands, true), 's1gnature'), 'paylands debug output is redacted');

// EU Pay QR: sign, every part, verify; the signature is checked against PHP's own hash_hmac.
$qr = new EuPayQr('s3cr3t');
$payload = '{ "type": "gateway_qr_payment", "amount": 12.50, "currency": "EUR", "merchant": {"name": "Caf\u00e9 / Th\u00e9"},
              "expiresAt": "2026-06-18T05:28:20.000Z" }';
$canonical = '{"type":"gateway_qr_payment","amount":12.5,"currency":"EUR","merchant":{"name":"Café / Thé"},"expiresAt":"2026-06-18T05:28:20.000Z"}';
same($qr->signPart($payload, EuPayQr::CANONICAL), $canonical, 'canonical payload');
same($qr->signPart($payload, EuPayQr::SIG_HEX), hash_hmac('sha256', $canonical, 's3cr3t'), 'sig = hash_hmac of the canonical payload');
$envelope = '{"payload":' . $canonical . ',"sig":"' . hash_hmac('sha256', $canonical, 's3cr3t') . '"}';
same($qr->signPart($payload, EuPayQr::ENVELOPE), $envelope, 'envelope');
$b64 = rtrim(strtr(base64_encode($envelope), '+/', '-_'), '=');
same($qr->signPart($payload, EuPayQr::ENVELOPE_B64URL), $b64, 'envelope base64url');
$url = $qr->sign($payload);
same($url, "https://www.european-pay.fr/pay?data=$b64", 'url');
same($qr->signPart($payload, EuPayQr::URL), $url, 'url part');
$beforeExpiry = 1781760000;
same($qr->verify($url, $beforeExpiry), $canonical, 'verify returns the canonical payload');
same($qr->verify("eupay://pay?data=$b64", $beforeExpiry), $canonical, 'deep link');
same($qr->verify('  ' . strtr(base64_encode($envelope), '+/', '-_') . "\n", $beforeExpiry), $canonical, 'bare data, padding and whitespace');
same($qr->verifyPayload($url, $beforeExpiry)['merchant']['name'], 'Café / Thé', 'verifyPayload');
throws(Expired::class, fn () => $qr->verify($url, $beforeExpiry + 3600), 'expired');
throws(Expired::class, fn () => $qr->verify($url), 'default now is the clock');
throws(BadSignature::class, fn () => (new EuPayQr('other'))->verify($url, $beforeExpiry), 'other secret');
$tampered = 'https://www.european-pay.fr/pay?data=' . rtrim(strtr(base64_encode(str_replace('12.5', '1.25', $envelope)), '+/', '-_'), '=');
throws(BadSignature::class, fn () => $qr->verify($tampered, $beforeExpiry), 'tampered amount');
foreach (['not a qr', 'https://evil.example/pay?data=' . $b64, str_repeat('A', 20000), ''] as $bad) {
    throws(Malformed::class, fn () => $qr->verify($bad, $beforeExpiry), 'malformed qr ' . substr($bad, 0, 20));
}
$e = throws(JsonDuplicateKey::class, fn () => $qr->sign('{"a":1,"a":2}'), 'duplicate key in payload');
check($e instanceof JsonError && $e->offset() === 7, 'payload error offset');
throws(JsonSyntax::class, fn () => $qr->sign('{"a":'), 'payload syntax');
throws(Malformed::class, fn () => $qr->sign('[1,2]'), 'payload not an object');
throws(TooLarge::class, fn () => $qr->sign('{"a":"' . str_repeat('x', 70000) . '"}'), 'payload too large');
throws(InvalidArgument::class, fn () => $qr->signPart($payload, 'png'), 'unknown part');
throws(InvalidKey::class, fn () => new EuPayQr(''), 'empty QR secret');
check(!str_contains(print_r($qr, true), 's3cr3t'), 'QR debug output is redacted');

// Handles: a refused clone must not free the original's handle (it would be freed twice).
foreach ([$gh, $verifier, $paylands, $qr, new HmacKey('k')] as $object) {
    for ($i = 0; $i < 3; $i++) {
        throws(LogicException::class, fn () => clone $object, 'no clone of ' . get_class($object));
    }
    $class = get_class($object);
    throws(LogicException::class, fn () => unserialize('O:' . strlen($class) . ":\"$class\":0:{}"), "no unserialize of $class");
}
$gh->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
$verifier->verify('sk_live_example', $hash);
same($qr->verify($url, $beforeExpiry), $canonical, 'QR key survives refused clones');
same($paylands->hash('{"order":{}}'), hash('sha256', '{"order":[],"client":null}s1gnature'), 'handles survive refused clones');

echo "php-unit: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
