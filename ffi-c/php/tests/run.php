<?php
// Unit tests of the PHP wrapper (plain PHP, no framework). Usage:
//   php -d ffi.enable=1 ffi-c/php/tests/run.php      (finds the library like the wrapper does)
// Prints failures and `php-unit: N passed, M failed` last; exits 1 on any failure.
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use Payseal\AlgorithmNotAllowedError;
use Payseal\BadSignatureError;
use Payseal\ClaimError;
use Payseal\EncodingError;
use Payseal\ExpiredError;
use Payseal\HmacKey;
use Payseal\InvalidInputError;
use Payseal\InvalidKeyError;
use Payseal\InvalidTableLinkError;
use Payseal\JsonError;
use Payseal\JwkSet;
use Payseal\JwtVerifier;
use Payseal\KeyNotFoundError;
use Payseal\Library;
use Payseal\LibraryError;
use Payseal\MalformedBodyError;
use Payseal\MalformedError;
use Payseal\MalformedHashError;
use Payseal\MalformedHeaderError;
use Payseal\MismatchError;
use Payseal\MissingHeaderError;
use Payseal\NotYetValidError;
use Payseal\PaylandsVerifier;
use Payseal\PaysealError;
use Payseal\RemoteJwkSet;
use Payseal\QrSigner;
use Payseal\QrVerifier;
use Payseal\SecretVerifier;
use Payseal\SignedWebhook;
use Payseal\TimestampTooNewError;
use Payseal\TimestampTooOldError;
use Payseal\TooLargeError;
use Payseal\UnsupportedError;
use Payseal\VerificationError;
use Payseal\WebhookSigner;
use Payseal\WebhookVerifier;

use function Payseal\base64_decode as payseal_base64_decode;
use function Payseal\base64_encode as payseal_base64_encode;
use function Payseal\base64url_decode;
use function Payseal\base64url_encode;
use function Payseal\canonicalize;
use function Payseal\check_api_key_pair;
use function Payseal\compare_digest;
use function Payseal\decode_qr_unverified;
use function Payseal\generate_api_key;
use function Payseal\generate_api_key_pair;
use function Payseal\generate_table_token;
use function Payseal\hash_bcrypt;
use function Payseal\hex_decode;
use function Payseal\hex_encode;
use function Payseal\inspect_api_key;
use function Payseal\inspect_jwt;
use function Payseal\jwk_thumbprint;
use function Payseal\paylands_data;
use function Payseal\paylands_hash;
use function Payseal\sign_jws;
use function Payseal\sign_jwt;
use function Payseal\sign_qr;
use function Payseal\sign_webhook;
use function Payseal\table_url;
use function Payseal\table_url_merchant;
use function Payseal\verify_bcrypt;
use function Payseal\verify_jws;
use function Payseal\verify_jwt;
use function Payseal\verify_paylands;
use function Payseal\verify_qr;
use function Payseal\verify_table_url;
use function Payseal\verify_webhook;
use function Payseal\verify_webhook_batch;

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

// The error classes: exactly the hierarchy and codes of core/codes.json (the one table).
$table = json_decode((string) file_get_contents(dirname(__DIR__, 3) . '/core/codes.json'), true, 512, JSON_THROW_ON_ERROR);
$classes = [];
foreach ($table['classes'] as $c) {
    $classes[$c['name']] = $c['parent'];
    $fqcn = 'Payseal\\' . $c['name'];
    check(class_exists($fqcn), "class $fqcn exists");
    if (!class_exists($fqcn)) {
        continue;
    }
    $parent = get_parent_class($fqcn);
    same($parent, $c['parent'] === null ? RuntimeException::class : 'Payseal\\' . $c['parent'], "parent of {$c['name']}");
    check(is_file(dirname(__DIR__) . "/src/{$c['name']}.php"), "{$c['name']} has its own file");
}
// ... and no other PaysealError subclass in the wrapper.
foreach (glob(dirname(__DIR__) . '/src/*.php') as $file) {
    $name = basename($file, '.php');
    if ($name !== 'functions' && class_exists("Payseal\\$name") && is_subclass_of("Payseal\\$name", PaysealError::class)) {
        check(array_key_exists($name, $classes), "Payseal\\$name is not in core/codes.json");
    }
}
check(!is_subclass_of(LibraryError::class, PaysealError::class), 'LibraryError is not an outcome of the table');
foreach ($table['codes'] as $row) {
    if ($row['number'] === 0) {
        continue;
    }
    $name = Library::ffi()->payseal_result_name($row['number']);
    if ($name === 'unknown' && in_array($row['name'], ['dialect_mismatch', 'scratch_too_small'], true)) {
        continue; // a row the C ABI does not return (the engine's own scratch)
    }
    same($name, $row['name'], "name of code {$row['number']}");
    $e = Library::error($row['number'], false);
    same(get_class($e), 'Payseal\\' . $row['class'], "class of {$row['name']}");
    same($e->code(), $row['name'], "code() of {$row['name']}");
    same($e->getCode(), $row['number'], "getCode() of {$row['name']}");
    same($e->getMessage(), $row['message'], "message of {$row['name']}");
}
// Tables.php holds the library's answers (tests/tables.php writes it; PAYSEAL_BLESS=1 rewrites it).
require __DIR__ . '/tables.php';
$tablesFile = dirname(__DIR__) . '/src/Tables.php';
$tables = tables();
if (getenv('PAYSEAL_BLESS') === '1' && file_get_contents($tablesFile) !== $tables) {
    file_put_contents($tablesFile, $tables);
    echo "rewrote $tablesFile\n";
}
check(file_get_contents($tablesFile) === $tables, 'src/Tables.php is the library\'s answers: PAYSEAL_BLESS=1 php -d ffi.enable=1 ffi-c/php/tests/run.php (or php ffi-c/php/tests/tables.php > ffi-c/php/src/Tables.php)');
same(array_keys(Payseal\Tables::CODES), array_values(array_filter(array_column($table['codes'], 'number'))), 'Tables::CODES has every code of core/codes.json');
foreach ($table['codes'] as $row) {
    if ($row['number'] !== 0) {
        same(Payseal\Tables::CODES[$row['number']], [$row['class'], $row['name'], $row['message']], "Tables::CODES of {$row['name']} is core/codes.json's row");
    }
}
// A code newer than Tables::CODES is asked of the library; a class the wrapper lacks is PaysealError.
$e = Library::error(9999, false);
same([get_class($e), $e->code(), $e->getCode()], [PaysealError::class, Library::ffi()->payseal_result_name(9999), 9999], 'a code the tables lack');
same(Payseal\KEY_KINDS, ['publishable' => Library::ffi()->PAYSEAL_KEY_PUBLISHABLE, 'secret' => Library::ffi()->PAYSEAL_KEY_SECRET], 'key kinds are the C ABI numbers');
same(Payseal\KEY_ENVIRONMENTS, ['live' => Library::ffi()->PAYSEAL_KEY_LIVE, 'test' => Library::ffi()->PAYSEAL_KEY_TEST], 'key environments are the C ABI numbers');

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
same(hex_encode("\xde\xad\xbe\xef"), 'deadbeef', 'hex encode');
same(hex_encode(''), '', 'hex encode empty');
same(hex_decode('DEADbeef'), "\xde\xad\xbe\xef", 'hex decode');
same(hex_decode(''), '', 'hex decode empty');
foreach (['abc', 'zz', "\0\0"] as $bad) {
    throws(EncodingError::class, fn () => hex_decode($bad), "hex decode " . bin2hex($bad));
}
same(base64url_encode("\xfb\xff\x01\x02"), '-_8BAg', 'base64url encode');
same(base64url_decode('-_8BAg'), "\xfb\xff\x01\x02", 'base64url decode');
same(base64url_decode('-_8BAg=='), "\xfb\xff\x01\x02", 'base64url decode padded');
foreach (['+/8BAg', '-_8BAg=', 'Z', 'Zm9v YmFy'] as $bad) {
    throws(EncodingError::class, fn () => base64url_decode($bad), "base64url decode $bad");
}
for ($n = 0; $n < 70; $n++) {
    $bytes = $n > 0 ? random_bytes($n) : '';
    same(hex_decode(hex_encode($bytes)), $bytes, "hex round trip $n");
    same(hex_encode($bytes), bin2hex($bytes), "hex matches bin2hex $n");
    $b64 = rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
    same(base64url_encode($bytes), $b64, "base64url matches base64_encode $n");
    same(base64url_decode($b64), $bytes, "base64url round trip $n");
}

for ($n = 0; $n < 40; $n++) {
    $bytes = $n > 0 ? random_bytes($n) : '';
    same(payseal_base64_encode($bytes), base64_encode($bytes), "base64 matches base64_encode $n");
    same(payseal_base64_decode(base64_encode($bytes)), $bytes, "base64 round trip $n");
}
throws(EncodingError::class, fn () => payseal_base64_decode('-_8B'), 'base64 refuses the url alphabet');
check(compare_digest('abc', 'abc') && !compare_digest('abc', 'abd') && !compare_digest('abc', 'ab') && compare_digest('', ''), 'compare_digest');

// JSON: the dialects agree with PHP's own engine on a typical notification.
$doc = '{"amount": 12.50, "note": "caf\u00e9 / th\u00e9", "items": {"1": "b", "0": "a"}, "empty": {}, "list": [1.0, -0.0, 1e25]}';
same(canonicalize($doc, 'php'), json_encode(json_decode($doc, true)), 'php default = json_encode');
$flags = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
same(canonicalize($doc, 'php', true, true), json_encode(json_decode($doc, true), $flags), 'php unescaped = json_encode');
same(canonicalize($doc, 'php', unescapedSlashes: true), json_encode(json_decode($doc, true), JSON_UNESCAPED_SLASHES), 'php slashes');
same(canonicalize($doc, 'php', unescapedUnicode: true), json_encode(json_decode($doc, true), JSON_UNESCAPED_UNICODE), 'php unicode');
same(canonicalize('{"b": 1, "a": [1.0, "\/x", "\u00e9"], "1": 0}', 'js'), "{\"1\":0,\"b\":1,\"a\":[1,\"/x\",\"\u{e9}\"]}", 'js');
$big = json_encode(array_fill(0, 2000, "\u{e9}/\u{1F600}"));
same(canonicalize($big, 'php'), json_encode(json_decode($big, true)), 'output larger than the first guess');
$e = throws(JsonError::class, fn () => canonicalize('{"a":}', 'js'), 'syntax');
check($e instanceof JsonError && $e instanceof PaysealError && $e instanceof RuntimeException, 'hierarchy');
check($e instanceof JsonError && $e->offset() === 5 && $e->code() === 'syntax', 'syntax offset and code');
same($e?->getCode(), 10, 'getCode() is the C result code');
same($e?->details(), ['offset' => 5], 'details');
foreach ([
    'duplicate_key' => ['{"a":1,"a":2}', 'js'],
    'invalid_utf8' => ["[\"\xff\"]", 'php'],
    'number_range' => ['[1e999]', 'js'],
    'depth' => [str_repeat('[', 600) . str_repeat(']', 600), 'php'],
    'lone_surrogate' => ['["\ud800"]', 'php'],
    'syntax' => ['', 'js'],
] as $code => [$input, $dialect]) {
    $e = throws(JsonError::class, fn () => canonicalize($input, $dialect), $code);
    same($e?->code(), $code, "code $code");
}
same(canonicalize('["\ud800"]', 'js'), '["\ud800"]', 'lone surrogate survives (js)');
throws(InvalidInputError::class, fn () => canonicalize('1', 'jcs7'), 'unknown dialect');
throws(InvalidInputError::class, fn () => canonicalize('1', 'js', true), 'flags with js');

// HMAC keys (RFC 4231 test case 2).
$key = new HmacKey('Jefe');
$tag = $key->sign('what do ya want for nothing?');
same(bin2hex($tag), '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843', 'hmac sign');
same(hash_hmac('sha256', 'x', 'Jefe', true), $key->sign('x'), 'hmac matches hash_hmac');
$key->verify('what do ya want for nothing?', $tag);
check(true, 'verify passes');
throws(BadSignatureError::class, fn () => $key->verify('what do ya want for nothing!', $tag), 'verify wrong message');
throws(BadSignatureError::class, fn () => $key->verify('what do ya want for nothing?', substr($tag, 0, 31)), 'short tag');
throws(BadSignatureError::class, fn () => $key->verify('what do ya want for nothing?', ''), 'empty tag');
$e = throws(InvalidKeyError::class, fn () => new HmacKey(''), 'empty key');
same($e?->code(), 'empty_secret', 'empty key code');
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
same($gh->headerNames(), ['X-Hub-Signature-256'], 'header names from the core');
same(count(new WebhookVerifier('github', ['new', 'old'])), 2, 'count() is the number of secrets');
foreach ([
    'getallheaders' => ['Content-Type' => 'application/json', 'X-Hub-Signature-256' => $ghSig],
    'lowercase' => ['content-type' => 'application/json', 'x-hub-signature-256' => $ghSig],
    'other case' => ['X-HUB-SIGNATURE-256' => $ghSig],
    'psr-7' => ['content-type' => ['application/json'], 'x-hub-signature-256' => [$ghSig]],
    'pairs' => [['Content-Type', 'application/json'], ['X-HUB-SIGNATURE-256', " $ghSig "]],
    'server' => WebhookVerifier::requestHeaders(['HTTP_X_HUB_SIGNATURE_256' => $ghSig, 'CONTENT_TYPE' => 'x', 'PATH' => '/bin']),
] as $shape => $headers) {
    $gh->verify($headers, 'Hello, World!');
    check(true, "verify with $shape headers");
    same($gh->open($headers, 'Hello, World!'), 'Hello, World!', "open of a MAC scheme is the body ($shape)");
    throws(BadSignatureError::class, fn () => $gh->verify($headers, 'Hello, World?'), "tampered body, $shape headers");
}
same(
    WebhookVerifier::requestHeaders(['HTTP_X_EUPAY_SIGNATURE' => 'a', 'CONTENT_LENGTH' => '3', 'REQUEST_METHOD' => 'POST']),
    ['X-Eupay-Signature' => 'a', 'Content-Length' => '3'],
    'headers from $_SERVER',
);
verify_webhook('github', $ghSecret, ['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
$e = throws(MissingHeaderError::class, fn () => $gh->verify([], 'Hello, World!'), 'no headers');
check($e instanceof MalformedError && $e instanceof VerificationError && $e instanceof PaysealError, 'webhook error hierarchy');
same($e?->header(), 'X-Hub-Signature-256', 'missing header detail');
same($e?->code(), 'missing_header', 'missing header code');
$e = throws(MalformedHeaderError::class, fn () => $gh->verify(['X-Hub-Signature-256' => [$ghSig, $ghSig]], 'Hello, World!'), 'repeated header');
same($e?->header(), 'X-Hub-Signature-256', 'malformed header detail');
throws(MalformedHeaderError::class, fn () => $gh->verify(['X-Hub-Signature-256' => $ghSig, 'x-hub-signature-256' => $ghSig], 'Hello, World!'), 'header repeated in two cases');
// getallheaders() under FPM spells names X-Eupay-Signature; any two spellings are a repetition.
$eu = new WebhookVerifier('eupay', 'whsec_e');
$euSig = 'sha256=' . hash_hmac('sha256', 'x', 'whsec_e');
foreach (['X-EuPay-Signature', 'x-eupay-signature', 'X-Eupay-Signature', 'X-EUPAY-SIGNATURE'] as $spelling) {
    $eu->verify([$spelling => $euSig], 'x');
    check(true, "eupay header spelled $spelling");
    throws(BadSignatureError::class, fn () => $eu->verify([$spelling => $euSig], 'y'), "eupay tampered, header spelled $spelling");
}
foreach ([['X-EuPay-Signature', 'X-Eupay-Signature'], ['x-eupay-signature', 'X-Eupay-Signature'], ['X-Eupay-Signature', 'X-EUPAY-SIGNATURE']] as [$a, $b]) {
    throws(MalformedHeaderError::class, fn () => $eu->verify([$a => $euSig, $b => $euSig], 'x'), "eupay header as $a and $b");
}
$e = throws(MissingHeaderError::class, fn () => $eu->verify(['X-Eupay-Signatur' => $euSig], 'x'), 'eupay header misspelled');
throws(MalformedHeaderError::class, fn () => $gh->verify(['X-Hub-Signature-256' => 'md5=00'], 'Hello, World!'), 'other algorithm');
throws(MalformedHeaderError::class, fn () => $gh->verify(['X-Hub-Signature-256' => ''], 'Hello, World!'), 'empty header');
throws(TooLargeError::class, fn () => $gh->verify(['X-Hub-Signature-256' => str_repeat('a', 9000)], 'x'), 'huge header');
throws(\TypeError::class, fn () => $gh->verify(['X-Hub-Signature-256' => 1], 'x'), 'non-string header');
throws(InvalidInputError::class, fn () => new WebhookVerifier('paypal', 'x'), 'unknown scheme');
// Unusable secrets, by the code the core gives them: every way of making a key set refuses them.
$unusableSecrets = [
    'too_many_secrets' => ['github', ['a', 'b', 'c', 'd', 'e']],
    'no_secret' => ['github', []],
    'empty_secret' => ['github', ['a', '']],
    'malformed_secret' => ['oppwa', 'not hex'],
];
foreach ($unusableSecrets as $code => [$scheme, $secrets]) {
    $e = throws(InvalidKeyError::class, fn () => new WebhookVerifier($scheme, $secrets), $code);
    same($e?->code(), $code, "key set code $code");
}
throws(LogicException::class, fn () => clone $gh, 'no clone');
throws(\TypeError::class, fn () => new WebhookVerifier('github', ['a', 1]), 'non-string secret');

// verify_webhook(): one C call (payseal_webhook_verify_once) for the scheme's one header as a
// string or absent, a verifier of its own otherwise; the same answers as a verifier either way.
foreach ([
    'ok' => [['X-Hub-Signature-256' => $ghSig], 'Hello, World!', null],
    'lowercase name' => [['x-hub-signature-256' => $ghSig], 'Hello, World!', null],
    'pairs' => [[['X-Hub-Signature-256', $ghSig]], 'Hello, World!', null],
    'tampered' => [['X-Hub-Signature-256' => $ghSig], 'Hello, World?', BadSignatureError::class],
    'absent' => [['Content-Type' => 'application/json'], 'Hello, World!', MissingHeaderError::class],
    'repeated' => [['X-Hub-Signature-256' => [$ghSig, $ghSig]], 'Hello, World!', MalformedHeaderError::class],
    'two spellings' => [['X-Hub-Signature-256' => $ghSig, 'x-hub-signature-256' => $ghSig], 'Hello, World!', MalformedHeaderError::class],
    'malformed' => [['X-Hub-Signature-256' => 'md5=00'], 'Hello, World!', MalformedHeaderError::class],
] as $what => [$headers, $body, $class]) {
    foreach (['one-shot' => fn () => verify_webhook('github', ['new-secret', $ghSecret], $headers, $body), 'verifier' => fn () => $gh->verify($headers, $body)] as $how => $call) {
        if ($class === null) {
            $call();
            check(true, "webhook $what ($how)");
        } else {
            $e = throws($class, $call, "webhook $what ($how)");
            $details[$how] = [$e?->getMessage(), $e?->code(), $e?->details()];
        }
    }
    if ($class !== null) {
        same($details['one-shot'], $details['verifier'], "webhook $what: one-shot and verifier say the same");
    }
}
same((throws(MissingHeaderError::class, fn () => verify_webhook('eupay', 'whsec_e', [], 'x'), 'one-shot: no headers'))?->header(), 'X-EuPay-Signature', 'one-shot: missing header detail');
foreach ($unusableSecrets as $code => [$scheme, $secrets]) {
    $e = throws(InvalidKeyError::class, fn () => verify_webhook($scheme, $secrets, [], 'x'), "one-shot: $code");
    same($e?->code(), $code, "one-shot: key set code $code");
}
throws(InvalidInputError::class, fn () => verify_webhook('paypal', 'x', [], 'x'), 'one-shot: unknown scheme');
throws(\TypeError::class, fn () => verify_webhook('github', ['a', 1], [], 'x'), 'one-shot: non-string secret');

// WebhookVerifier::shared(): the library's key set for a scheme and secrets, kept for the
// process (as an FPM worker keeps it across requests); the same answers as the constructor.
$shared = WebhookVerifier::shared('github', ['new-secret', $ghSecret]);
same([$shared->scheme(), $shared->headerNames(), count($shared)], ['github', ['X-Hub-Signature-256'], 2], 'shared: scheme, names, count');
$shared->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
check(true, 'shared verifies');
throws(BadSignatureError::class, fn () => $shared->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World?'), 'shared: tampered body');
unset($shared);
// After the object is gone (an FPM request ends) the next one gets the same key set.
WebhookVerifier::shared('github', ['new-secret', $ghSecret])->verify(['x-hub-signature-256' => $ghSig], 'Hello, World!');
check(true, 'shared again after the first object died');
// Rotated secrets get a key set of their own, never the old one answering for them.
throws(BadSignatureError::class, fn () => WebhookVerifier::shared('github', 'rotated')->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!'), 'shared: other secrets');
WebhookVerifier::shared('github', $ghSecret)->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
check(true, 'shared: one secret as a string');
// More key sets than the registry keeps: an object holding an evicted one still verifies.
$held = WebhookVerifier::shared('github', $ghSecret);
for ($i = 0; $i < 40; $i++) { // 40 other secrets: the registry (16) drops github's key set
    throws(BadSignatureError::class, fn () => WebhookVerifier::shared('github', "evict-$i")->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!'), "shared: evict-$i");
}
$held->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
check(true, 'shared: a verifier held across evictions still verifies');
// The calls other than verify() take a handle on the registry's key set, which outlives its entry.
$held->open(['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
for ($i = 0; $i < 40; $i++) {
    throws(BadSignatureError::class, fn () => WebhookVerifier::shared('github', "evict-again-$i")->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!'), "shared: evict-again-$i");
}
same([$held->open(['X-Hub-Signature-256' => $ghSig], 'Hello, World!'), $held->verifyBatch([[['X-Hub-Signature-256' => $ghSig], 'Hello, World!']])], ['Hello, World!', [null]], 'shared: open and verifyBatch with the held handle');
throws(InvalidInputError::class, fn () => WebhookVerifier::shared('paypal', 'x'), 'shared: unknown scheme');
foreach ($unusableSecrets as $code => [$scheme, $secrets]) {
    // shared() makes no C call: the secrets are checked by the first use.
    $v = WebhookVerifier::shared($scheme, $secrets);
    $e = throws(InvalidKeyError::class, fn () => $v->verify([$v->headerNames()[0] => 'x'], 'x'), "shared: $code");
    same($e?->code(), $code, "shared: key set code $code");
    $e = throws(InvalidKeyError::class, fn () => WebhookVerifier::shared($scheme, $secrets)->open([], 'x'), "shared: $code (open)");
    same($e?->code(), $code, "shared: key set code $code (open)");
}
throws(\TypeError::class, fn () => WebhookVerifier::shared('github', ['a', 1]), 'shared: non-string secret');
throws(LogicException::class, fn () => clone $held, 'shared: no clone');
check(!str_contains(print_r($held, true), 'Secret'), 'shared verifier debug output is redacted');
unset($held);
check(!str_contains(print_r($gh, true), 'Secret'), 'verifier debug output is redacted');

// Stripe: the signature made with PHP's own hash_hmac; time is a parameter.
$stripeBody = '{"id":"evt_1","type":"charge.succeeded"}';
$stripeSig = 't=1700000000,v1=' . hash_hmac('sha256', "1700000000.$stripeBody", 'whsec_x');
$stripe = new WebhookVerifier('stripe', 'whsec_x');
$stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody, 1700000100, 300);
check(true, 'stripe within tolerance');
throws(TimestampTooOldError::class, fn () => $stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody, 1700000301), 'stripe too old');
throws(TimestampTooNewError::class, fn () => $stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody, 1699999000), 'stripe too new');
$e = throws(MalformedHeaderError::class, fn () => $stripe->verify(['Stripe-Signature' => 't=1700000000' . str_repeat(',v1=00', 9)], $stripeBody, 1700000000), 'too many signatures');
same($e?->code(), 'too_many_signatures', 'too many signatures code');
throws(TimestampTooOldError::class, fn () => $stripe->verify(['Stripe-Signature' => $stripeSig], $stripeBody), 'default now is the clock');

// Standard Webhooks (six header names: the packed form).
$stdSecret = 'whsec_' . base64_encode('0123456789abcdef');
$stdBody = '{"type":"x"}';
$stdSig = 'v1,' . base64_encode(hash_hmac('sha256', "msg_1.1700000000.$stdBody", '0123456789abcdef', true));
(new WebhookVerifier('standard', $stdSecret))->verify(['webhook-id' => 'msg_1', 'webhook-timestamp' => '1700000000', 'webhook-signature' => $stdSig], $stdBody, 1700000000);
check(true, 'standard webhooks');
throws(BadSignatureError::class, fn () => verify_webhook('standard', $stdSecret, ['Webhook-Id' => 'msg_2', 'Webhook-Timestamp' => '1700000000', 'Webhook-Signature' => $stdSig], $stdBody, 1700000000), 'standard webhooks, other id');

// EU Pay: the signature made with hash_hmac.
$eupayBody = '{"event":"payment.completed","amount":12.5}';
verify_webhook('eupay', 'whsec_e', ['X-EuPay-Signature' => 'sha256=' . hash_hmac('sha256', $eupayBody, 'whsec_e')], $eupayBody);
check(true, 'eupay');

// OPPWA: NIST GCM test case 14 (zero key and IV, 16 zero bytes).
$oppwa = new WebhookVerifier('oppwa', str_repeat('0', 64));
$gcm = ['X-Initialization-Vector' => str_repeat('0', 24), 'X-Authentication-Tag' => 'd0d1c8a799996bf0265b98b5d48ab919'];
same($oppwa->open($gcm, 'cea7403d4d606b6e074ec5d3baf39d18'), str_repeat("\0", 16), 'oppwa plaintext');
$oppwa->verify($gcm, 'cea7403d4d606b6e074ec5d3baf39d18');
$oppwa->verify(array_change_key_case($gcm), 'cea7403d4d606b6e074ec5d3baf39d18');
check(true, 'oppwa verify');
$badTag = ['X-Authentication-Tag' => 'd0d1c8a799996bf0265b98b5d48ab918'] + $gcm;
throws(BadSignatureError::class, fn () => $oppwa->open($badTag, 'cea7403d4d606b6e074ec5d3baf39d18'), 'oppwa bad tag');
throws(BadSignatureError::class, fn () => $oppwa->verify($badTag, 'cea7403d4d606b6e074ec5d3baf39d18'), 'oppwa bad tag (verify)');
throws(MalformedBodyError::class, fn () => $oppwa->open($gcm, 'zz'), 'oppwa bad body');
same(
    (new WebhookVerifier('oppwa_base64', str_repeat('0', 64)))->open($gcm, base64_encode(hex2bin('cea7403d4d606b6e074ec5d3baf39d18'))),
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
    $results = verify_webhook_batch($items, null, 300, $threads);
    same(count($results), 40, "batch size ($threads threads)");
    same(array_map(fn ($r) => $r?->code(), array_slice($results, 0, 3)), [null, 'bad_signature', null], "batch outcomes ($threads threads)");
    check($results[1] instanceof BadSignatureError, 'batch error class');
}
same(array_map(fn ($r) => $r?->code(), $gh->verifyBatch([[['X-Hub-Signature-256' => $ghSig], 'Hello, World!'], [[], 'x']])), [null, 'missing_header'], 'verifier batch');
same(verify_webhook_batch([]), [], 'empty batch');
throws(\TypeError::class, fn () => verify_webhook_batch([['x', [], '']]), 'bad batch item');

// bcrypt: interoperable with PHP's own password_hash / password_verify.
$salt = str_repeat("\x42", 16);
$hash = hash_bcrypt('sk_live_example', 4, $salt);
same(strlen($hash), 60, 'hash length');
same(substr($hash, 0, 7), '$2b$04$', 'hash prefix');
same(hash_bcrypt('sk_live_example', 4, $salt), $hash, 'same salt, same hash');
check(password_verify('sk_live_example', $hash), 'password_verify accepts payseal hashes');
verify_bcrypt('sk_live_example', $hash);
verify_bcrypt('sk_live_example', password_hash('sk_live_example', PASSWORD_BCRYPT, ['cost' => 4]));
check(true, 'payseal accepts password_hash hashes');
check(hash_bcrypt('x', 4) !== hash_bcrypt('x', 4), 'OS salts differ');
$php = password_hash('abc', PASSWORD_BCRYPT, ['cost' => 4]);
check(password_verify("abc\0anything", $php), 'PHP stops at NUL');
$e = throws(MismatchError::class, fn () => verify_bcrypt("abc\0anything", $php), 'payseal does not');
check($e instanceof BadSignatureError, 'a mismatch is a bad signature');
throws(MismatchError::class, fn () => verify_bcrypt('sk_live_wrong', $hash), 'wrong secret');
throws(MalformedHashError::class, fn () => verify_bcrypt('x', '$2x$04$' . substr($hash, 7)), '$2x$');
throws(MalformedHashError::class, fn () => verify_bcrypt('x', ''), 'empty hash');
foreach ([
    'secret_too_long' => fn () => hash_bcrypt(str_repeat('k', 73), 4),
    'secret_contains_nul' => fn () => hash_bcrypt("a\0b", 4),
    'cost_out_of_range' => fn () => hash_bcrypt('a', 3),
    'invalid_argument' => fn () => hash_bcrypt('a', 4, 'short'),
] as $code => $fn) {
    $e = throws(InvalidInputError::class, $fn, $code);
    same($e?->code(), $code, "bcrypt code $code");
}
throws(InvalidInputError::class, fn () => hash_bcrypt('a', 32), 'cost 32');

$verifier = new SecretVerifier(100, 60);
$verifier->verify('sk_live_example', $hash);
$verifier->verify('sk_live_example', $hash);
throws(MismatchError::class, fn () => $verifier->verify('sk_live_wrong', $hash), 'cached verifier, wrong secret');
same([$verifier->hits(), $verifier->misses(), count($verifier)], [1, 2, 1], 'verifier stats');
$verifier->clear();
$verifier->verify('sk_live_example', $hash);
same([$verifier->hits(), $verifier->misses(), count($verifier)], [1, 3, 1], 'cleared');
throws(InvalidInputError::class, fn () => new SecretVerifier(-1), 'negative capacity');
same([$verifier->capacity(), $verifier->ttl()], [100, 60], 'capacity and ttl as created');

// The shared verifier: its cache outlives the PHP object (as it outlives an FPM request).
$first = SecretVerifier::shared('run.php', 100, 60);
$first->verify('sk_live_example', $hash);
unset($first); // frees this handle only: the cache stays in the library
$again = SecretVerifier::shared('run.php', 5, 1); // same name: same cache, first call's capacity and ttl
$again->verify('sk_live_example', $hash);
same([$again->hits(), $again->misses(), count($again)], [1, 1, 1], 'shared verifier outlives its object');
same([$again->capacity(), $again->ttl()], [100, 60], 'a shared verifier keeps the first call\'s capacity and ttl');
throws(MismatchError::class, fn () => $again->verify('sk_live_wrong', $hash), 'shared verifier, wrong secret');
$other = SecretVerifier::shared('run.php other');
same([$other->hits(), $other->misses(), count($other)], [0, 0, 0], 'another name, another cache');
throws(InvalidInputError::class, fn () => SecretVerifier::shared('x', -1), 'shared: negative capacity');
throws(InvalidInputError::class, fn () => SecretVerifier::shared("\xff"), 'shared: a name that is not UTF-8');

// API keys.
[$pk, $sk] = generate_api_key_pair('live');
check(preg_match('/^pk_live_[A-Za-z0-9]{32}$/', $pk) === 1, 'publishable key form');
check(preg_match('/^sk_live_[A-Za-z0-9]{32}$/', $sk) === 1, 'secret key form');
same(inspect_api_key($sk), ['secret', 'live'], 'inspect');
same(check_api_key_pair($pk, $sk), 'live', 'check pair');
$test = generate_api_key('secret', 'test');
foreach ([
    'environment_mismatch' => fn () => check_api_key_pair($pk, $test),
    'not_publishable' => fn () => check_api_key_pair($sk, $sk),
    'not_secret' => fn () => check_api_key_pair($pk, $pk),
    'unknown_prefix' => fn () => inspect_api_key('rk_live_4eC39HqLyjWDarjtT1zdp7dcAbCdEfGh'),
    'bad_length' => fn () => inspect_api_key('pk_live_short'),
] as $code => $fn) {
    $e = throws(InvalidKeyError::class, $fn, $code);
    same($e?->code(), $code, "api key code $code");
}
$e = throws(InvalidKeyError::class, fn () => inspect_api_key("sk_test_4eC39HqLyjWDarjtT1zdp7dc\xff" . 'AbCdEfGh'), 'non-UTF-8 character');
same([$e?->code(), $e?->offset()], ['bad_character', 32], 'bad character and its offset');
throws(InvalidInputError::class, fn () => generate_api_key('admin', 'live'), 'unknown kind');
throws(InvalidInputError::class, fn () => generate_api_key('secret', 'prod'), 'unknown environment');

// Table links.
$merchant = '3febce7d-03cd-40fe-b40f-fe9851b9c397';
$token = generate_table_token();
check(preg_match('/^[0-9a-f]{32}$/', $token) === 1, 'table token form');
$url = table_url(strtoupper($merchant), strtoupper($token));
same($url, "https://www.european-pay.fr/t/$merchant/$token", 'table url');
verify_table_url($merchant, $token, $url);
same(table_url_merchant($url), $merchant, 'merchant of a link');
$deep = table_url($merchant, $token, 'eupay://table/');
same($deep, "eupay://table/$merchant/$token", 'custom base');
verify_table_url($merchant, $token, $deep, 'eupay://table/');
same(table_url_merchant($deep, 'eupay://table/'), $merchant, 'merchant under a custom base');
foreach (["$url?x=1", $deep, substr($url, 0, -1) . ($token[31] === '0' ? '1' : '0'), ''] as $bad) {
    throws(InvalidTableLinkError::class, fn () => verify_table_url($merchant, $token, $bad), "bad link $bad");
}
throws(InvalidTableLinkError::class, fn () => table_url('nope', $token), 'bad merchant');
throws(InvalidTableLinkError::class, fn () => table_url_merchant('https://example.com/'), 'no merchant');

// Paylands: the hash equals PHP's own hash('sha256', json_encode($data) . $signature).
$paylands = new PaylandsVerifier('s1gnature');
$data = ['order' => ['amount' => 1050, 'ref' => 'café/1', 'uuid' => 'B25A'], 'client' => ['uuid' => 'C1'], 'extra_data' => null];
foreach (['default' => 0, 'unescaped' => JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES] as $name => $phpFlags) {
    $hashHex = hash('sha256', json_encode($data, $phpFlags) . 's1gnature');
    $body = json_encode(['message' => 'OK', 'code' => 200] + $data + ['validation_hash' => $hashHex], JSON_PRETTY_PRINT);
    same($paylands->hash($body, 'notification', $name), $hashHex, "hash ($name)");
    same(paylands_hash('s1gnature', $body, 'notification', $name), $hashHex, "paylands_hash ($name)");
    same(paylands_data($body, 'notification', $name), json_encode($data, $phpFlags), "paylands_data ($name)");
    same($paylands->verify($body), $name, "auto detects $name");
    same($paylands->verify($body, 'notification', $name), $name, "verify only $name");
    same(verify_paylands('s1gnature', $body), $name, "verify_paylands ($name)");
    throws(MismatchError::class, fn () => (new PaylandsVerifier('other'))->verify($body), "other signature ($name)");
}
throws(MismatchError::class, fn () => $paylands->verify(str_replace('1050', '1051', $body)), 'tampered amount');
$e = throws(MalformedError::class, fn () => $paylands->verify('{"order":{}}'), 'no validation_hash');
same($e?->reason(), 'no validation_hash member', 'malformed reason from the core');
throws(MalformedError::class, fn () => $paylands->verify('not json'), 'not json');
throws(InvalidInputError::class, fn () => $paylands->verify($body, 'webhook'), 'unknown mode');
throws(InvalidInputError::class, fn () => $paylands->hash($body, 'notification', 'auto'), 'hash with auto');
foreach (['empty_signature' => '', 'signature_too_long' => str_repeat('s', 257)] as $code => $sig) {
    $e = throws(InvalidKeyError::class, fn () => new PaylandsVerifier($sig), $code);
    same($e?->code(), $code, "paylands key code $code");
}
check(!str_contains(print_r($paylands, true), 's1gnature'), 'paylands debug output is redacted');

// EU Pay QR: sign, every part, verify; the signature is checked against PHP's own hash_hmac.
$signer = new QrSigner('s3cr3t');
$qrVerifier = new QrVerifier('s3cr3t');
$payload = '{ "type": "gateway_qr_payment", "amount": 12.50, "currency": "EUR", "merchant": {"name": "Caf\u00e9 / Th\u00e9"},
              "expiresAt": "2026-06-18T05:28:20.000Z" }';
$canonical = '{"type":"gateway_qr_payment","amount":12.5,"currency":"EUR","merchant":{"name":"Café / Thé"},"expiresAt":"2026-06-18T05:28:20.000Z"}';
$parts = $signer->signParts($payload);
same($parts->canonical, $canonical, 'canonical payload');
same($parts->sig, hash_hmac('sha256', $canonical, 's3cr3t'), 'sig = hash_hmac of the canonical payload');
$envelope = '{"payload":' . $canonical . ',"sig":"' . hash_hmac('sha256', $canonical, 's3cr3t') . '"}';
same($parts->envelope, $envelope, 'envelope');
$b64 = rtrim(strtr(base64_encode($envelope), '+/', '-_'), '=');
$url = $signer->sign($payload);
same($url, "https://www.european-pay.fr/pay?data=$b64", 'url');
same($parts->url, $url, 'url part');
same(sign_qr('s3cr3t', $payload), $url, 'sign_qr');
$beforeExpiry = 1781760000;
same($qrVerifier->verify($url, $beforeExpiry)->canonical, $canonical, 'verify returns the canonical payload');
same(verify_qr('s3cr3t', $url, $beforeExpiry)->canonical, $canonical, 'verify_qr');
same($qrVerifier->verify("eupay://pay?data=$b64", $beforeExpiry)->canonical, $canonical, 'deep link');
same($qrVerifier->verify('  ' . strtr(base64_encode($envelope), '+/', '-_') . "\n", $beforeExpiry)->canonical, $canonical, 'bare data, padding and whitespace');
same($qrVerifier->verify($url, $beforeExpiry)->payload()['merchant']['name'], 'Café / Thé', 'payload()');
$e = throws(ExpiredError::class, fn () => $qrVerifier->verify($url, $beforeExpiry + 3600), 'expired');
same($e?->expiresAt(), 1781760500, 'expiry from the core');
throws(ExpiredError::class, fn () => $qrVerifier->verify($url), 'default now is the clock');
throws(BadSignatureError::class, fn () => (new QrVerifier('other'))->verify($url, $beforeExpiry), 'other secret');
$tampered = 'https://www.european-pay.fr/pay?data=' . rtrim(strtr(base64_encode(str_replace('12.5', '1.25', $envelope)), '+/', '-_'), '=');
throws(BadSignatureError::class, fn () => $qrVerifier->verify($tampered, $beforeExpiry), 'tampered amount');
foreach (['not a qr', 'https://evil.example/pay?data=' . $b64, str_repeat('A', 20000), ''] as $bad) {
    throws(MalformedError::class, fn () => $qrVerifier->verify($bad, $beforeExpiry), 'malformed qr ' . substr($bad, 0, 20));
}
$e = throws(MalformedError::class, fn () => $qrVerifier->verify('https://evil.example/pay?data=' . $b64, $beforeExpiry), 'unrecognised link');
same($e?->reason(), 'unrecognised_link', 'malformed reason');
same(decode_qr_unverified($url), $envelope, 'decode_qr_unverified');
$e = throws(MalformedError::class, fn () => decode_qr_unverified('not a qr'), 'decode_qr_unverified of junk');
check($e?->reason() !== null, 'its reason');
$e = throws(JsonError::class, fn () => $signer->sign('{"a":1,"a":2}'), 'duplicate key in payload');
check($e instanceof JsonError && $e->offset() === 7 && $e->code() === 'duplicate_key', 'payload error offset');
throws(JsonError::class, fn () => $signer->sign('{"a":'), 'payload syntax');
$e = throws(InvalidInputError::class, fn () => $signer->sign('[1,2]'), 'payload not an object');
same($e?->code(), 'payload_not_object', 'payload_not_object code');
throws(TooLargeError::class, fn () => $signer->sign('{"a":"' . str_repeat('x', 70000) . '"}'), 'payload too large');
foreach ([fn () => new QrSigner(''), fn () => new QrVerifier(''), fn () => sign_qr('', '{}')] as $fn) {
    $e = throws(InvalidKeyError::class, $fn, 'empty QR secret');
    same($e?->code(), 'empty_secret', 'empty QR secret code');
}
check(!str_contains(print_r($signer, true), 's3cr3t'), 'QR debug output is redacted');

// JOSE: JWS/JWT against JWK Sets. The HS256 tokens are checked against PHP's own hash_hmac.
function b64url(string $bytes): string
{
    return rtrim(strtr(base64_encode($bytes), '+/', '-_'), '=');
}
$jwtSecret = random_bytes(32);
$octJwk = ['kty' => 'oct', 'k' => b64url($jwtSecret), 'kid' => 'ppro-1', 'alg' => 'HS256'];
$realm = ['keys' => [
    $octJwk,
    ['kty' => 'RSA', 'use' => 'enc', 'alg' => 'RSA-OAEP', 'kid' => 'enc', 'n' => b64url(random_bytes(256)), 'e' => 'AQAB'],
    ['kty' => 'XYZ', 'kid' => 'future'],
    ['kty' => 'OKP', 'crv' => 'Ed25519', 'x' => '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'],
]];
$set = new JwkSet($realm);
same([count($set), $set->skipped(), $set->kids()], [2, 2, ['ppro-1', null]], 'set: kept, skipped, kids');
same(count(new JwkSet(json_encode($realm))), 2, 'set from JSON text');
$e = throws(InvalidKeyError::class, fn () => new JwkSet('{"keys": 1}'), 'set without a keys array');
same($e?->code(), 'invalid_key', 'invalid set code');
throws(InvalidKeyError::class, fn () => new JwkSet('not json'), 'set that is not JSON');
$claims = ['sub' => 'charge_1', 'iss' => 'ppro', 'aud' => ['account', 'api'], 'exp' => 2000000000, 'nbf' => 1700000000, 'amount' => 12.5];
$token = sign_jwt($octJwk, $claims);
[$h64, $p64, $s64] = explode('.', $token);
same(base64_decode(strtr($h64, '-_', '+/')), '{"alg":"HS256","typ":"JWT","kid":"ppro-1"}', 'sign_jwt header');
same(json_decode(base64_decode(strtr($p64, '-_', '+/')), true), $claims, 'sign_jwt payload');
same($s64, b64url(hash_hmac('sha256', "$h64.$p64", $jwtSecret, true)), 'HS256 = hash_hmac');
same(sign_jws(json_encode($octJwk), '{"alg":"HS256"}', 'any bytes'), b64url('{"alg":"HS256"}') . '.' . b64url('any bytes') . '.' . b64url(hash_hmac('sha256', b64url('{"alg":"HS256"}') . '.' . b64url('any bytes'), $jwtSecret, true)), 'sign_jws');
$jwtVerifier = new JwtVerifier($set, ['HS256', 'RS256'], audience: 'account', issuer: 'ppro', leeway: 30);
$jwtNow = 1800000000;
same($jwtVerifier->verify($token, $jwtNow), $claims, 'verify returns the claims');
same(verify_jwt($set, $token, 'HS256', 'api', 'ppro', 0, $jwtNow), $claims, 'verify_jwt');
same(verify_jwt($set, $token, ['HS256']), $claims, 'verify_jwt at the clock, no aud/iss');
same($jwtVerifier->verifyJws($token), json_encode($claims), 'verifyJws returns the payload bytes');
same(verify_jws($set, sign_jws($octJwk, '{"alg":"HS256"}', "\x00\xff"), 'HS256'), "\x00\xff", 'verify_jws of binary payload');
foreach ([
    [ExpiredError::class, 'expired', fn () => $jwtVerifier->verify($token, 2000000030)],
    [NotYetValidError::class, 'not_yet_valid', fn () => $jwtVerifier->verify($token, 1699999969)],
    [ClaimError::class, 'audience', fn () => verify_jwt($set, $token, 'HS256', 'other', now: $jwtNow)],
    [ClaimError::class, 'issuer', fn () => verify_jwt($set, $token, 'HS256', issuer: 'PPRO', now: $jwtNow)],
    [AlgorithmNotAllowedError::class, 'alg_not_allowed', fn () => verify_jwt($set, $token, ['none', 'HS512'], now: $jwtNow)],
    [InvalidInputError::class, 'invalid_argument', fn () => verify_jwt($set, $token, [], now: $jwtNow)],
    [KeyNotFoundError::class, 'key_not_found', fn () => verify_jwt($set, sign_jwt($octJwk, $claims, kid: 'other'), 'HS256', now: $jwtNow)],
    [BadSignatureError::class, 'bad_signature', fn () => verify_jwt($set, sign_jwt(['kty' => 'oct', 'k' => b64url(random_bytes(32))], $claims, 'HS256', 'ppro-1'), 'HS256', now: $jwtNow)],
    [BadSignatureError::class, 'bad_signature', fn () => verify_jwt($set, "$h64.$p64." . b64url(random_bytes(32)), 'HS256', now: $jwtNow)],
    [MalformedError::class, 'malformed', fn () => verify_jwt($set, "$h64.$p64", 'HS256', now: $jwtNow)],
    [MalformedError::class, 'malformed', fn () => verify_jwt($set, "$h64.$p64.$s64=", 'HS256', now: $jwtNow)],
    [MalformedError::class, 'malformed', fn () => verify_jwt($set, sign_jws($octJwk, '{"alg":"HS256"}', '{"exp":"2000000000"}'), 'HS256', now: $jwtNow)],
    [MalformedError::class, 'malformed', fn () => $jwtVerifier->verify(sign_jws($octJwk, '{"alg":"HS256"}', '[1]'), $jwtNow)],
    [UnsupportedError::class, 'crit_unsupported', fn () => verify_jwt($set, sign_jws_unchecked($jwtSecret, '{"alg":"HS256","crit":["b64"],"b64":false}', '{}'), 'HS256', now: $jwtNow)],
    [TooLargeError::class, 'too_large', fn () => verify_jwt($set, str_repeat('a', 70000), 'HS256', now: $jwtNow)],
    [InvalidKeyError::class, 'invalid_key', fn () => sign_jws(['kty' => 'oct', 'k' => b64url('short')], '{"alg":"HS256"}', 'x')],
    [AlgorithmNotAllowedError::class, 'alg_not_allowed', fn () => sign_jws($octJwk, '{"alg":"none"}', 'x')],
    [InvalidKeyError::class, 'invalid_key', fn () => sign_jwt(['kty' => 'oct', 'k' => b64url(random_bytes(16))], [])],
    [InvalidKeyError::class, 'invalid_key', fn () => sign_jwt(['kty' => 'RSA', 'n' => b64url(random_bytes(256)), 'e' => 'AQAB'], [])],
    [InvalidInputError::class, 'invalid_argument', fn () => new JwtVerifier($set, 'HS256', leeway: -1)],
] as $i => [$class, $code, $fn]) {
    $e = throws($class, $fn, "jose failure $i ($code)");
    same($e?->code(), $code, "jose code $i");
}
/** A token signed by PHP alone (for headers payseal refuses to sign). */
function sign_jws_unchecked(string $jwtSecret, string $header, string $payload): string
{
    $input = b64url($header) . '.' . b64url($payload);
    return $input . '.' . b64url(hash_hmac('sha256', $input, $jwtSecret, true));
}
check(sign_jwt($octJwk, []) !== '', 'empty claims are an object');
// $alg is optional: the core chooses it (payseal_jwk_default_algorithm), as in Python and Node.
$header = fn (string $t) => json_decode(base64_decode(strtr(explode('.', $t)[0], '-_', '+/')), true);
$bare = ['kty' => 'oct', 'k' => b64url($jwtSecret)];
same($header(sign_jwt($bare, ['sub' => 'a'])), ['alg' => 'HS256', 'typ' => 'JWT'], 'sign_jwt: an oct key without alg signs HS256');
$long = ['kty' => 'oct', 'k' => b64url(random_bytes(64))];
same($header(sign_jwt($long + ['alg' => 'HS384', 'kid' => 'k9'], [])), ['alg' => 'HS384', 'typ' => 'JWT', 'kid' => 'k9'], "sign_jwt: the JWK's own alg and kid");
same($header(sign_jwt(json_encode($bare), [], kid: 'x')), ['alg' => 'HS256', 'typ' => 'JWT', 'kid' => 'x'], 'sign_jwt: JWK as JSON text');
same($header(sign_jwt($long, [], 'HS512')), ['alg' => 'HS512', 'typ' => 'JWT'], 'sign_jwt: an explicit alg wins');
same(verify_jwt($set, sign_jwt($bare + ['kid' => 'ppro-1'], ['sub' => 'a']), 'HS256'), ['sub' => 'a'], 'sign_jwt default alg verifies');
same(verify_jwt($set, sign_jwt($octJwk, []), 'HS256'), [], 'empty claims verify');
same(inspect_jwt($token), [['alg' => 'HS256', 'typ' => 'JWT', 'kid' => 'ppro-1'], $claims], 'inspect_jwt (unverified)');
throws(MalformedError::class, fn () => inspect_jwt('a.b'), 'inspect_jwt of junk');
$rfc7638 = ['kty' => 'RSA', 'n' => '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw', 'e' => 'AQAB', 'alg' => 'RS256', 'kid' => '2011-04-29'];
same(jwk_thumbprint($rfc7638), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'RFC 7638 thumbprint');
same(jwk_thumbprint(json_encode($rfc7638)), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'thumbprint of JSON text');
throws(InvalidKeyError::class, fn () => jwk_thumbprint(['kty' => 'XYZ']), 'thumbprint of an unknown type');
check(!str_contains(print_r($set, true), b64url($jwtSecret)), 'JwkSet debug output is redacted');
for ($i = 0; $i < 300; $i++) {
    (new JwtVerifier(new JwkSet($realm), 'HS256'))->verify($token); // handles freed by __destruct
}
unset($set);
same($jwtVerifier->verify($token, $jwtNow), $claims, 'a verifier keeps its set alive');


// Signing webhooks: every scheme's delivery verifies with payseal and any one-bit change is
// rejected; the MAC schemes' signatures equal PHP's own hash_hmac of the documented
// construction, Adyen's too, and OPPWA's ciphertext opens with PHP's openssl.
$now = 1781699238;
$json = '{"id":"evt_1","type":"payment.succeeded","amount":1250,"note":"caf\u00e9"}';
$adyenKey = '44782DEF547AAA06C910C43932B1EB0C71FC68D9D0C057550C48EC2ACF6BA056';
$adyenItem = '{"pspReference":"7914073381342284","originalReference":"","merchantAccountCode":"TestMerchant",'
    . '"merchantReference":"TestPayment-1407325143704","amount":{"value":1130,"currency":"EUR"},"eventCode":"AUTHORISATION","success":"true"}';
$spreedlyDoc = "<transaction>\n  <amount>100</amount>\n  <currency_code>EUR</currency_code>\n  <succeeded>true</succeeded>\n</transaction>\n";
$stdKey = random_bytes(24);
$signingCases = [
    'eupay' => ['whsec_eupay', $json, fn ($h, $b) => $h === ['X-EuPay-Signature' => 'sha256=' . hash_hmac('sha256', $b, 'whsec_eupay')]],
    'github' => ["It's a Secret to Everybody", $json, fn ($h, $b) => $h === ['X-Hub-Signature-256' => 'sha256=' . hash_hmac('sha256', $b, "It's a Secret to Everybody")]],
    'stripe' => ['whsec_stripe', $json, fn ($h, $b) => $h === ['Stripe-Signature' => "t=$now,v1=" . hash_hmac('sha256', "$now.$b", 'whsec_stripe')]],
    'standard' => ['whsec_' . base64_encode($stdKey), $json, fn ($h, $b) => count($h) === 3 && $h['webhook-timestamp'] === (string) $now
        && $h['webhook-signature'] === 'v1,' . base64_encode(hash_hmac('sha256', "{$h['webhook-id']}.$now.$b", $stdKey, true))],
    'shopify' => ['shpss_x', $json, fn ($h, $b) => $h === ['X-Shopify-Hmac-Sha256' => base64_encode(hash_hmac('sha256', $b, 'shpss_x', true))]],
    'checkout' => ['cko', $json, fn ($h, $b) => $h === ['Cko-Signature' => hash_hmac('sha256', $b, 'cko')]],
    // Adyen: base64 HMAC-SHA256 (hex key) of the eight fields joined with ':' (Adyen, "Verify HMAC signatures").
    'adyen_item' => [$adyenKey, $adyenItem, function ($h, $b) use ($adyenKey) {
        $i = json_decode($b, true);
        $data = implode(':', [$i['pspReference'], $i['originalReference'], $i['merchantAccountCode'], $i['merchantReference'],
            $i['amount']['value'], $i['amount']['currency'], $i['eventCode'], $i['success']]);
        return $h === [] && $i['additionalData']['hmacSignature'] === base64_encode(hash_hmac('sha256', $data, hex2bin($adyenKey), true));
    }],
    // Spreedly: hex HMAC of the listed fields' values joined with '|' (Spreedly, "Signed callbacks").
    'spreedly' => ['spreedly', $spreedlyDoc, function ($h, $b) {
        preg_match('~<signature>(\w+)</signature>~', $b, $sig);
        preg_match('~<fields>([\w ]+)</fields>~', $b, $fields);
        $values = array_map(fn ($f) => preg_match("~<$f>([^<]*)</$f>~", $b, $m) ? $m[1] : '', explode(' ', $fields[1] ?? ''));
        return $h === [] && ($fields[1] ?? '') === 'amount currency_code succeeded' && $sig[1] === hash_hmac('sha256', implode('|', $values), 'spreedly');
    }],
    // OPPWA: AES-256-GCM (hex key); the body is the hex ciphertext, IV and tag in headers.
    'oppwa' => [str_repeat('11', 32), $json, fn ($h, $b) => openssl_decrypt(hex2bin($b), 'aes-256-gcm', str_repeat("\x11", 32), OPENSSL_RAW_DATA,
        hex2bin($h['X-Initialization-Vector']), hex2bin($h['X-Authentication-Tag'])) === $json],
    'oppwa_base64' => [str_repeat('22', 32), $json, fn ($h, $b) => openssl_decrypt(base64_decode($b, true), 'aes-256-gcm', str_repeat("\x22", 32),
        OPENSSL_RAW_DATA, hex2bin($h['X-Initialization-Vector']), hex2bin($h['X-Authentication-Tag'])) === $json],
];
/**
 * The byte ranges of a signed body that a one-bit change must break: all of it, except for
 * Adyen and Spreedly, which authenticate only the signed fields (and carry the signature).
 *
 * @return list<array{0: int, 1: int}>
 */
function signed_ranges(string $scheme, string $body): array
{
    $values = match ($scheme) {
        'adyen_item' => ['"7914073381342284"', '"TestMerchant"', '"TestPayment-1407325143704"', '1130', '"EUR"', '"AUTHORISATION"', '"true"',
            '"' . (json_decode($body, true)['additionalData']['hmacSignature'] ?? '') . '"'],
        'spreedly' => ['>100<', '>EUR<', '>true<', '<signed>'],
        default => null,
    };
    if ($values === null) {
        return [[0, strlen($body)]];
    }
    $ranges = [];
    foreach ($values as $v) {
        $at = strpos($body, $v);
        check($at !== false, "$scheme: $v is in the signed body");
        // '<signed>': the whole block (signature, fields, algorithm).
        $ranges[] = [(int) $at, $v === '<signed>' ? strpos($body, '</signed>') - (int) $at : strlen($v)];
    }
    return $ranges;
}

/** $text with bit $bit flipped, or null when that only changes a hex digit's case (the same byte). */
function flip_bit(string $text, int $bit, bool $hex): ?string
{
    $i = $bit >> 3;
    $flipped = $text;
    $flipped[$i] = chr(ord($text[$i]) ^ (1 << ($bit & 7)));
    $caseOnly = ctype_xdigit($text[$i]) && ctype_alpha($text[$i]) && strcasecmp($flipped[$i], $text[$i]) === 0;
    return $hex && $caseOnly ? null : $flipped;
}

foreach ($signingCases as $scheme => [$secret, $body, $ownConstruction]) {
    $whSigner = new WebhookSigner($scheme, $secret);
    same($whSigner->scheme(), $scheme, "signer scheme $scheme");
    $signed = $whSigner->sign($body, $now);
    check($signed instanceof SignedWebhook, "$scheme: a SignedWebhook");
    check($ownConstruction($signed->headers, $signed->body), "$scheme: PHP's own construction agrees");
    $whVerifier = new WebhookVerifier($scheme, $secret);
    $whVerifier->verify($signed->headers, $signed->body, $now + 10);
    check(true, "$scheme: signed delivery verifies");
    same(sign_webhook($scheme, $secret, $body, $now)->headers === $signed->headers, !in_array($scheme, ['standard', 'oppwa', 'oppwa_base64'], true), "$scheme: sign_webhook (random id and IV differ)");
    if (in_array($scheme, ['adyen_item', 'spreedly', 'oppwa', 'oppwa_base64'], true)) {
        check($signed->body !== $body, "$scheme: the body to send is written");
    } else {
        same($signed->body, $body, "$scheme: the body is sent as given");
    }
    // Every one-bit change of the signed body (every 3rd bit) and of every header value is rejected.
    $accepted = [];
    foreach (signed_ranges($scheme, $signed->body) as [$from, $len]) {
        for ($bit = 8 * $from; $bit < 8 * ($from + $len); $bit += 3) {
            $b = flip_bit($signed->body, $bit, $scheme === 'oppwa' || $scheme === 'spreedly');
            if ($b === null) {
                continue;
            }
            try {
                $whVerifier->verify($signed->headers, $b, $now + 10);
                $accepted[] = "body bit $bit";
            } catch (VerificationError) {
            }
        }
    }
    foreach ($signed->headers as $name => $value) {
        for ($bit = 0; $bit < 8 * strlen($value); $bit++) {
            $v = flip_bit($value, $bit, true);
            if ($v === null) {
                continue;
            }
            try {
                $whVerifier->verify([$name => $v] + $signed->headers, $signed->body, $now + 10);
                $accepted[] = "$name bit $bit";
            } catch (VerificationError) {
            }
        }
    }
    same($accepted, [], "$scheme: every one-bit change is rejected");
}
// The first (newest) secret signs.
$signed = (new WebhookSigner('github', ['new', 'old']))->sign('x');
(new WebhookVerifier('github', 'new'))->verify($signed->headers, 'x');
throws(BadSignatureError::class, fn () => (new WebhookVerifier('github', 'old'))->verify($signed->headers, 'x'), 'the old secret did not sign');
// The documented examples.
same((new WebhookSigner('github', "It's a Secret to Everybody"))->sign('Hello, World!')->headers, ['X-Hub-Signature-256' => $ghSig], 'GitHub example');
$signed = sign_webhook('standard', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', '{"test": 2432232314}', 1614265330, 'msg_p5jXN8AQM9LWM0D4loKWxJek');
same($signed->headers, ['webhook-id' => 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp' => '1614265330', 'webhook-signature' => 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='], 'Standard Webhooks example');
check(preg_match('/^msg_[0-9a-f]{32}$/', sign_webhook('standard', $stdSecret, '{}')->headers['webhook-id']) === 1, 'generated id');
$signed = sign_webhook('oppwa', str_repeat('0', 64), str_repeat("\0", 16), iv: str_repeat("\0", 12));
same([$signed->headers, $signed->body], [$gcm, 'cea7403d4d606b6e074ec5d3baf39d18'], 'NIST GCM test case 14');
same(sign_webhook('oppwa', str_repeat('0', 64), '')->body, '', 'empty OPPWA body');
$signed = sign_webhook('spreedly', 'sp', $spreedlyDoc, fields: 'succeeded amount', algorithm: 'sha512');
check(str_contains($signed->body, '<fields>succeeded amount</fields>') && str_contains($signed->body, '<algorithm>sha512</algorithm>'), 'spreedly options');
verify_webhook('spreedly', 'sp', [], $signed->body);
// The clock by default; a big body (sized by the library first).
$signed = sign_webhook('stripe', 'whsec_x', '{}');
check(abs((int) substr($signed->headers['Stripe-Signature'], 2, 10) - time()) < 5, 'default now is the clock');
$big = str_repeat('{"a":"' . str_repeat('x', 1000) . '"}', 300);
$signed = sign_webhook('oppwa', str_repeat('0', 64), $big);
same(strlen($signed->body), 2 * strlen($big), 'big body');
(new WebhookVerifier('oppwa', str_repeat('0', 64)))->verify($signed->headers, $signed->body);
same(sign_webhook('github', 'k', $big)->body, $big, 'big body, MAC scheme');
// Errors from the core's table.
$std = new WebhookSigner('standard', $stdSecret);
foreach ([
    'now' => fn () => $std->sign('{}', -1),
    'id' => fn () => $std->sign('{}', id: 'msg 1'),
    'iv' => fn () => sign_webhook('oppwa', str_repeat('0', 64), 'x', iv: 'short'),
    'fields' => fn () => sign_webhook('spreedly', 'sp', $spreedlyDoc, fields: 'nope'),
    'algorithm' => fn () => sign_webhook('spreedly', 'sp', $spreedlyDoc, algorithm: 'md5'),
] as $option => $fn) {
    $e = throws(InvalidInputError::class, $fn, "bad $option");
    same([$e?->code(), $e?->details()['reason'] ?? null], ['invalid_argument', $option], "bad $option: code and reason");
}
throws(InvalidInputError::class, fn () => $std->sign('{}', id: ''), 'empty id');
// The options struct is reused: an option given once is not carried into the next call.
same($std->sign('{}', id: 'msg_given')->headers['webhook-id'], 'msg_given', 'id given');
check(preg_match('/^msg_[0-9a-f]{32}$/', $std->sign('{}')->headers['webhook-id']) === 1, 'then drawn again');
$long = 'msg_' . str_repeat('L', 500);
same($std->sign('{}', id: $long)->headers['webhook-id'], $long, 'a longer id than the last');
same($std->sign('{}', id: 'msg_short')->headers['webhook-id'], 'msg_short', 'then a shorter one');
$ivSigned = sign_webhook('oppwa', str_repeat('0', 64), 'x', iv: str_repeat("\1", 12));
same($ivSigned->headers['X-Initialization-Vector'], str_repeat('01', 12), 'iv after an id');
check(sign_webhook('oppwa', str_repeat('0', 64), 'x')->headers['X-Initialization-Vector'] !== str_repeat('01', 12), 'iv drawn again');
throws(MalformedBodyError::class, fn () => sign_webhook('adyen_item', $adyenKey, '[]'), 'adyen body not an item');
throws(MalformedBodyError::class, fn () => sign_webhook('spreedly', 'sp', '<transaction>'), 'spreedly body not a document');
throws(InvalidInputError::class, fn () => new WebhookSigner('paypal', 'x'), 'unknown scheme');
$e = throws(InvalidKeyError::class, fn () => new WebhookSigner('github', ''), 'empty signing secret');
same($e?->code(), 'empty_secret', 'empty signing secret code');
throws(LogicException::class, fn () => clone $std, 'no clone of a signer');
check(!str_contains(print_r(new WebhookSigner('github', 's3cr3t-signer'), true), 's3cr3t-signer'), 'signer debug output is redacted');

// RemoteJwkSet against a local server that counts requests (php -S on 127.0.0.1, no network);
// the refresh policy is the core's, time is injected.
$state = sys_get_temp_dir() . '/payseal-jwks-' . getmypid();
@mkdir($state);
foreach (['count', 'body', 'status', 'sleep'] as $f) {
    @unlink("$state/$f");
}
$serve = function (array $keys, int $status = 200, float $sleep = 0) use ($state): void {
    file_put_contents("$state/body", json_encode(['keys' => $keys]));
    file_put_contents("$state/status", (string) $status);
    file_put_contents("$state/sleep", (string) $sleep);
};
$requests = fn (): int => (int) @file_get_contents("$state/count");
$probe = stream_socket_server('tcp://127.0.0.1:0');
$port = (int) substr(strrchr(stream_socket_get_name($probe, false), ':'), 1);
fclose($probe);
$server = proc_open(
    [PHP_BINARY, '-S', "127.0.0.1:$port", __DIR__ . '/jwks_server.php'],
    [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
    $pipes,
    null,
    ['JWKS_STATE' => $state] + getenv(),
);
register_shutdown_function(static function () use ($server): void {
    if (is_resource($server)) {
        proc_terminate($server); // also when a test dies early
    }
});
for ($i = 0; $i < 100 && @fsockopen('127.0.0.1', $port) === false; $i++) {
    usleep(20000);
}
// Both HTTP clients (curl when loaded, PHP's http stream wrapper otherwise).
foreach (extension_loaded('curl') ? ['curl', 'stream'] : ['stream'] as $transport) {
    RemoteJwkSet::$transport = $transport;
    @unlink("$state/count");
    $jwksUrl = "http://127.0.0.1:$port/realms/payments/protocol/openid-connect/certs";
    $k1 = ['kty' => 'oct', 'k' => b64url(random_bytes(32)), 'kid' => 'k1'];
    $k2 = ['kty' => 'oct', 'k' => b64url(random_bytes(32)), 'kid' => 'k2'];
    $enc = ['kty' => 'RSA', 'use' => 'enc', 'kid' => 'enc', 'n' => b64url(random_bytes(256)), 'e' => 'AQAB'];
    $t1 = sign_jwt($k1, ['sub' => 'a'], 'HS256');
    $t2 = sign_jwt($k2, ['sub' => 'b'], 'HS256');
    $t9 = sign_jwt(['kty' => 'oct', 'k' => b64url(random_bytes(32))], ['sub' => 'c'], 'HS256', 'made-up');
    $clockNow = 1000;
    $clock = function () use (&$clockNow): int {
        return $clockNow;
    };
    $serve([$k1, $enc]);
    $remote = new RemoteJwkSet($jwksUrl, maxAge: 600, cooldown: 30, timeout: 0.5, clock: $clock);
    same($requests(), 0, 'nothing fetched before the first use');
    $remoteVerifier = new JwtVerifier($remote, ['HS256']);
    same($remoteVerifier->verify($t1), ['sub' => 'a'], 'first verify fetches the set');
    same($remoteVerifier->verify($t1), ['sub' => 'a'], 'second verify uses the cached set');
    same([$requests(), count($remote->current()), $remote->current()->kids()], [1, 1, ['k1']], 'one request; the enc key skipped');
    $serve([$k1, $k2, $enc]); // key rotation at the identity provider
    $clockNow += 29;
    throws(KeyNotFoundError::class, fn () => $remoteVerifier->verify($t2), 'a new kid within the cooldown of the first fetch');
    same($requests(), 1, 'no request within the cooldown');
    $clockNow += 1;
    same($remoteVerifier->verify($t2), ['sub' => 'b'], 'an unknown kid refetches and verifies');
    same($requests(), 2, 'one more request for the new kid');
    $e = throws(KeyNotFoundError::class, fn () => $remoteVerifier->verify($t9), 'made-up kid inside the cooldown');
    same($requests(), 2, 'no request for a made-up kid inside the cooldown');
    for ($i = 0; $i < 50; $i++) {
        try {
            verify_jwt($remote, $t9, 'HS256');
        } catch (KeyNotFoundError) {
        }
    }
    same($requests(), 2, 'a flood of made-up kids makes no request');
    $clockNow += 30;
    throws(KeyNotFoundError::class, fn () => $remoteVerifier->verify($t9), 'made-up kid after the cooldown');
    same($requests(), 3, 'one request per cooldown for unknown kids');
    $serve([], 500); // outage
    $clockNow += 600;
    same($remoteVerifier->verify($t1), ['sub' => 'a'], 'stale set, failing refresh: the last good set is kept');
    same($requests(), 4, 'the stale set was tried once');
    same(verify_jws($remote, $t2, 'HS256'), '{"sub":"b"}', 'still the last good set');
    same($requests(), 4, 'no retry inside the cooldown after a failure');
    file_put_contents("$state/body", 'not json');
    file_put_contents("$state/status", '200');
    $clockNow += 30;
    same($remoteVerifier->verify($t1), ['sub' => 'a'], 'a document that is not a JWK Set is a failed refresh');
    same($requests(), 5, 'tried again after the cooldown');
    $serve([$k2], 200, 1.5);
    $clockNow += 30;
    $started = microtime(true);
    same($remoteVerifier->verify($t1), ['sub' => 'a'], 'a slow server times out, last good set kept');
    check(microtime(true) - $started < 1.4, 'the fetch gave up after its timeout (the server answers after 1.5 s)');
    usleep(1_300_000); // php -S answers one request at a time: let it finish the slow one
    $serve([$k2]);
    $clockNow += 30;
    throws(KeyNotFoundError::class, fn () => $remoteVerifier->verify($t1), 'k1 retired at the provider');
    same($remoteVerifier->verify($t2), ['sub' => 'b'], 'the refreshed set');
    $serve([], 503);
    $empty = new RemoteJwkSet($jwksUrl, clock: $clock);
    $before = $requests();
    $e = throws(KeyNotFoundError::class, fn () => verify_jwt($empty, $t1, ['HS256']), 'no set could be fetched');
    check(str_contains((string) $e?->getMessage(), 'HTTP 503'), 'the message says why');
    throws(KeyNotFoundError::class, fn () => verify_jwt($empty, $t1, ['HS256']), 'still none');
    same($requests(), $before + 1, 'without any set, attempts are spaced by the cooldown too');
    foreach (["http://example.com/certs", 'ftp://127.0.0.1/x', 'certs.json', 'file:///etc/passwd'] as $bad) {
        throws(InvalidInputError::class, fn () => new RemoteJwkSet($bad), "refused URL $bad");
    }
    throws(InvalidInputError::class, fn () => new RemoteJwkSet($jwksUrl, timeout: 0), 'zero timeout');
}
RemoteJwkSet::$transport = null;
proc_terminate($server);
proc_close($server);
foreach (['count', 'body', 'status', 'sleep'] as $f) {
    @unlink("$state/$f");
}
@rmdir($state);

// Handles: a refused clone must not free the original's handle (it would be freed twice).
foreach ([$gh, $verifier, $paylands, $signer, $qrVerifier, new HmacKey('k'), $std, new JwkSet($realm), $jwtVerifier] as $object) {
    for ($i = 0; $i < 3; $i++) {
        throws(LogicException::class, fn () => clone $object, 'no clone of ' . get_class($object));
    }
    $class = get_class($object);
    throws(LogicException::class, fn () => unserialize('O:' . strlen($class) . ":\"$class\":0:{}"), "no unserialize of $class");
}
$gh->verify(['X-Hub-Signature-256' => $ghSig], 'Hello, World!');
$verifier->verify('sk_live_example', $hash);
same($qrVerifier->verify($url, $beforeExpiry)->canonical, $canonical, 'QR key survives refused clones');
same($jwtVerifier->verify($token, $jwtNow), $claims, 'JWT verifier survives refused clones');
same($paylands->hash('{"order":{}}'), hash('sha256', '{"order":[],"client":null}s1gnature'), 'handles survive refused clones');

// The Redis layer of SecretVerifier (starts and stops its own redis-server).
require __DIR__ . '/redis.php';

echo "php-unit: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
