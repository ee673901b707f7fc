<?php
// Unit tests of the PHP wrapper (plain PHP, no framework). Usage:
//   php -d ffi.enable=1 ffi-c/php/tests/run.php      (finds the library like the wrapper does)
// Prints failures and `php-unit: N passed, M failed` last; exits 1 on any failure.
declare(strict_types=1);

require dirname(__DIR__) . '/autoload.php';

use Payseal\BadSignature;
use Payseal\Encoding;
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
use Payseal\Library;
use Payseal\LibraryError;

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

echo "php-unit: $passed passed, $failed failed\n";
exit($failed === 0 ? 0 : 1);
