<?php
// A webhook key set: one provider's scheme and one to four secrets (several while rotating),
// parsed and precomputed once in the library. Build one at start-up and verify every delivery
// with it; the secrets are zeroised when the object is destroyed. Under PHP-FPM, which destroys
// every object when a request ends, WebhookVerifier::shared() on each request gets the key set
// the library keeps for the worker process instead.
//
// Only the headers the scheme reads cross into C: their names come from the core
// (payseal_webhook_header_name), and for the schemes that read one or two headers their values
// are passed as plain string arguments (payseal_webhook_verify_values), which PHP's FFI does
// without copying or building C structs.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

// Global functions imported by name: resolved when compiled, not looked up in the namespace
// first on every request (strlen, is_string and count then compile to their own opcodes).
use function array_change_key_case;
use function count;
use function is_array;
use function is_string;
use function pack;
use function strlen;
use function strtolower;
use function time;

final class WebhookVerifier implements \Countable
{
    use OwnsHandle;

    /** @var array<string, array{0: int, 1: list<string>, 2: bool}> scheme => number, header names, encrypted */
    private static array $schemes = [];

    private FFI $ffi;
    private bool $encrypted;
    /** How the headers cross: 0, 1 or 2 values as arguments; -1 packed (Standard Webhooks). */
    private int $slots;
    /** The scheme's first header name, lowercased. */
    private string $lower0 = '';
    /** @var array<string, true>|null every header name the scheme reads, lowercased (on first use) */
    private ?array $reads = null;

    /** The scheme's number (payseal_webhook_scheme_from_name). */
    private int $number;

    /**
     * shared()'s verifiers: the secrets packed (pack()), which every verify() hands to
     * payseal_webhook_verify_shared with the delivery; null for a verifier with a key set of
     * its own. Set for the constructor by shared(), for that call only.
     */
    private ?string $sharedSecrets = null;
    private static ?string $sharing = null;

    /** How many secrets the key set holds. */
    private int $secretCount;

    /**
     * @param string $scheme 'eupay', 'github', 'stripe', 'standard', 'shopify', 'checkout',
     *                       'adyen_item', 'spreedly', 'oppwa' or 'oppwa_base64' (names parsed by the core)
     * @param string|list<string> $secrets as the provider shows them (tried in order)
     *
     * @throws InvalidInputError for an unknown scheme
     * @throws InvalidKeyError for no secret, more than four, an empty one or one not in the scheme's format
     */
    public function __construct(private readonly string $scheme, #[\SensitiveParameter] string|array $secrets)
    {
        [$this->number, $names, $this->encrypted] = Tables::SCHEMES[$scheme] ?? self::describe($scheme);
        $this->sharedSecrets = self::$sharing;
        if ($this->sharedSecrets === null) {
            $this->adopt(self::keySet($this->number, $secrets), 'payseal_webhook_keys_free');
        } else {
            self::$sharing = null;
        }
        $this->ffi = Library::ffi();
        $count = count($names);
        $this->slots = $count <= 2 ? $count : -1;
        $this->lower0 = strtolower($names[0] ?? '');
        $this->secretCount = is_array($secrets) ? count($secrets) : 1;
    }

    /**
     * The worker process's verifier for $scheme and $secrets: the key set lives in the library
     * for the life of the process (not of this PHP object, nor of the request), so under
     * PHP-FPM, which destroys every object at the end of each request, the next request with
     * the same scheme and secrets skips parsing them and computing the key schedule. The
     * library keeps its most recently used key sets (16), each under an HMAC tag of the scheme
     * and the secrets under a per-process random key, never the secrets; other secrets (a
     * rotation) get a key set of their own. Verifies exactly as `new WebhookVerifier($scheme,
     * $secrets)`; the differences:
     * - the key set (and so the secrets) stays in the worker's memory until it falls out of the
     *   registry or the process exits, rather than being wiped when this object dies;
     * - this call makes no C call and holds no handle: each verify() is one call
     *   (payseal_webhook_verify_shared) that finds the key set and verifies, because under FPM
     *   every C call, handle and destructor of a request costs more than the verification. So
     *   the secrets are checked by the first verify() (or other use) of each worker, which then
     *   throws the constructor's InvalidKeyError (not a VerificationError: a configuration
     *   error, a 500 rather than a 400).
     *
     * @param string|list<string> $secrets as for the constructor
     * @throws InvalidInputError for an unknown scheme (the secrets: see above)
     */
    public static function shared(string $scheme, #[\SensitiveParameter] string|array $secrets): self
    {
        self::$sharing = self::pack($secrets);
        try {
            return new self($scheme, $secrets);
        } finally {
            self::$sharing = null;
        }
    }

    /**
     * The key-set handle: the verifier's own, or for shared()'s, a handle on the registry's key
     * set (payseal_webhook_keys_shared), taken on first need by the calls other than verify().
     */
    private function keys(): CData
    {
        if (!isset($this->handle)) {
            $handle = self::handle('payseal_webhook_keys_shared', $this->number, (string) $this->sharedSecrets);
            $this->adopt($handle, 'payseal_webhook_keys_free');
        }
        return $this->handle;
    }

    /** How many secrets the verifier holds (as len() in Python, length in Node). */
    public function count(): int
    {
        return $this->secretCount;
    }

    /**
     * A new key-set handle (payseal_webhook_keys_new_packed) for scheme number $number; the
     * caller adopts it (OwnsHandle). One call with the secrets packed into one string: no C
     * array or C copies to build.
     *
     * @internal shared with WebhookSigner
     * @param string|list<string> $secrets
     * @throws InvalidKeyError
     */
    public static function keySet(int $number, #[\SensitiveParameter] string|array $secrets): CData
    {
        return self::handle('payseal_webhook_keys_new_packed', $number, self::pack($secrets));
    }

    /**
     * A key-set handle for scheme number $number and the $packed secrets, made by the C
     * function $make (payseal_webhook_keys_new_packed: a key set of its own;
     * payseal_webhook_keys_shared: the process registry's).
     *
     * @throws InvalidKeyError
     */
    private static function handle(string $make, int $number, #[\SensitiveParameter] string $packed): CData
    {
        $ffi = Library::ffi();
        $handle = $ffi->new('PaysealWebhookKeys*');
        Library::check($ffi->{$make}($number, $packed, strlen($packed), FFI::addr($handle)));
        return $handle;
    }

    /**
     * $secrets packed for payseal_webhook_keys_new_packed, _shared and _verify_once: for each,
     * pack('V', strlen($secret)) . $secret; a TypeError for one that is not a string.
     *
     * @internal shared with verify_webhook()
     * @param string|list<string> $secrets
     */
    public static function pack(#[\SensitiveParameter] string|array $secrets): string
    {
        if (is_string($secrets)) {
            return pack('V', strlen($secrets)) . $secrets;
        }
        if (count($secrets) === 1 && is_string($one = $secrets[0] ?? null)) {
            return pack('V', strlen($one)) . $one; // explode()'s one secret
        }
        $packed = '';
        foreach (array_values($secrets) as $i => $secret) {
            if (!is_string($secret)) {
                throw new \TypeError("secret #$i is not a string");
            }
            $packed .= pack('V', strlen($secret)) . $secret;
        }
        return $packed;
    }

    /**
     * The scheme's number, header names and whether it is encrypted, from the core: the
     * library's answers in Tables::SCHEMES, else asked (an unknown name: the core refuses it).
     *
     * @internal shared with WebhookSigner
     * @return array{0: int, 1: list<string>, 2: bool}
     * @throws InvalidInputError for an unknown scheme
     */
    public static function describe(string $scheme): array
    {
        return Tables::SCHEMES[$scheme] ?? self::$schemes[$scheme] ??= self::ask($scheme);
    }

    /** @return array{0: int, 1: list<string>, 2: bool} */
    private static function ask(string $scheme): array
    {
        $ffi = Library::ffi();
        $number = Library::make('uint32_t');
        Library::check($ffi->payseal_webhook_scheme_from_name($scheme, strlen($scheme), FFI::addr($number)));
        $count = Library::make('size_t');
        $encrypted = Library::make('bool');
        Library::check($ffi->payseal_webhook_scheme_info($number->cdata, FFI::addr($count), FFI::addr($encrypted)));
        $names = [];
        $ptr = Library::make('char*');
        $len = Library::make('size_t');
        for ($i = 0; $i < $count->cdata; $i++) {
            Library::check($ffi->payseal_webhook_header_name($number->cdata, $i, FFI::addr($ptr), FFI::addr($len)));
            $names[] = Library::span($ptr, $len);
        }
        return [$number->cdata, $names, (bool) $encrypted->cdata];
    }

    /** The scheme's name, as given. */
    public function scheme(): string
    {
        return $this->scheme;
    }

    /**
     * The headers this scheme reads, as providers spell them (the core's list): the only ones
     * passed to the library.
     *
     * @return list<string>
     */
    public function headerNames(): array
    {
        return self::describe($this->scheme)[1];
    }

    /**
     * Returns when the delivery is authentic (and, for Stripe and Standard Webhooks, signed
     * within $tolerance seconds of $now, default the current time).
     *
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers as
     *        received: getallheaders(), PSR-7 getHeaders(), or [name, value] pairs (names in any case)
     * @param string $body the raw body, exactly as received (php://input)
     *
     * @throws VerificationError BadSignatureError, MissingHeaderError, MalformedHeaderError,
     *         MalformedBodyError, TimestampTooOldError, TimestampTooNewError, TooLargeError
     */
    public function verify(array $headers, string $body, ?int $now = null, int $tolerance = 300): void
    {
        // The common case first: the scheme's one header as soleHeader() reads it.
        if ($this->slots === 1 && ($v0 = self::soleHeader($headers, $this->lower0)) !== false) {
            $code = $this->verifyValues($v0, null, $body, $now ?? time(), $tolerance);
            if ($code !== 0) {
                // Thrown here: the exception's trace (made cold under FPM) has no deeper frame.
                [$class, $message, $name, $details] = Library::failure($code, true, $this->ffi);
                throw new $class($message, $code, $name, $details);
            }
            return;
        }
        $this->verifySlow($headers, $body, $now ?? time(), $tolerance);
    }

    /**
     * The value of a scheme's one header, $lowerName, as the one-call paths (verify() and
     * verify_webhook()) read it: in any case (getallheaders() under FPM spells it
     * X-Eupay-Signature), a string, or null when absent. False when the headers need the
     * general path, for the core to judge them: [name, value] pairs, a list of values, or two
     * names differing only in case (array_change_key_case() would merge them).
     *
     * @internal shared with verify_webhook()
     */
    public static function soleHeader(array $headers, string $lowerName): string|null|false
    {
        $lower = array_change_key_case($headers);
        $value = $lower[$lowerName] ?? null;
        if (count($lower) !== count($headers)) {
            return false;
        }
        if ($value === null) {
            return isset($headers[0]) ? false : null;
        }
        return is_string($value) ? $value : false;
    }

    /** verify() for every other header shape and scheme. */
    private function verifySlow(array $headers, string $body, int $now, int $tolerance): void
    {
        $values = $this->slots >= 0 ? $this->values($headers) : null;
        if ($values !== null) {
            $code = $this->verifyValues($values[0], $values[1], $body, $now, $tolerance);
        } else {
            $packed = $this->packed($headers);
            $code = $this->ffi->payseal_webhook_verify_packed($this->keys(), $packed, strlen($packed), $body, strlen($body), $now, $tolerance);
        }
        if ($code !== 0) {
            throw Library::error($code);
        }
    }

    /**
     * The result code for the values of the scheme's first two header names (null: not
     * received): one C call, with the verifier's key set or, for shared()'s, the registry's.
     */
    private function verifyValues(?string $v0, ?string $v1, string $body, int $now, int $tolerance): int
    {
        $l0 = $v0 === null ? 0 : strlen($v0);
        $l1 = $v1 === null ? 0 : strlen($v1);
        $ffi = $this->ffi;
        $packed = $this->sharedSecrets;
        return $packed === null
            ? $ffi->payseal_webhook_verify_values($this->handle, $v0, $l0, $v1, $l1, $body, strlen($body), $now, $tolerance)
            : $ffi->payseal_webhook_verify_shared($this->number, $packed, strlen($packed), $v0, $l0, $v1, $l1, $body, strlen($body), $now, $tolerance);
    }

    /**
     * Verifies like verify() and returns the bytes to act on: the decrypted notification for
     * OPPWA, the body itself for the MAC schemes (the core says which: payseal_webhook_scheme_info).
     *
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
     * @throws VerificationError as verify()
     */
    public function open(array $headers, string $body, ?int $now = null, int $tolerance = 300): string
    {
        if (!$this->encrypted) {
            $this->verify($headers, $body, $now, $tolerance);
            return $body;
        }
        $ffi = $this->ffi;
        $packed = $this->packed($headers);
        $p = strlen($packed);
        $n = strlen($body);
        $now ??= time();
        $guess = Library::make('size_t');
        $keys = $this->keys();
        Library::check($ffi->payseal_webhook_open_len($keys, $body, $n, FFI::addr($guess)));
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_webhook_open_packed($keys, $packed, $p, $body, $n, $now, $tolerance, $out, $cap, $w),
            (int) $guess->cdata,
        );
    }

    /**
     * Verifies many deliveries with this key set in one call, spread over up to $threads
     * threads (0: every core). Returns one entry per item, in order: null when authentic,
     * otherwise the exception that verify() would have thrown (not thrown here).
     *
     * @param list<array{0: array, 1: string}> $items [headers, body]
     * @return list<?PaysealError>
     */
    public function verifyBatch(array $items, ?int $now = null, int $tolerance = 300, int $threads = 0): array
    {
        return self::batch(array_map(fn ($item) => is_array($item) ? [$this, ...array_values($item)] : $item, $items), $now, $tolerance, $threads);
    }

    /**
     * The batch of verify_webhook_batch(): [verifier, headers, body] items.
     *
     * @internal
     * @param list<array{0: WebhookVerifier, 1: array, 2: string}> $items
     * @return list<?PaysealError>
     */
    public static function batch(array $items, ?int $now, int $tolerance, int $threads): array
    {
        $ffi = Library::ffi();
        $items = array_values($items);
        $count = count($items);
        if ($count === 0) {
            return [];
        }
        $array = Library::make('PaysealWebhookItem', $count);
        $keep = [];
        foreach ($items as $i => $item) {
            [$verifier, $headers, $body] = (is_array($item) ? array_values($item) : []) + [null, null, null];
            if (!$verifier instanceof self || !is_array($headers) || !is_string($body)) {
                throw new \TypeError("batch item #$i is not [WebhookVerifier, array \$headers, string \$body]");
            }
            [$headerArray, $headerCount, $headerBytes] = $verifier->structs($headers);
            $bodyCopy = Library::copy($body);
            $keep[] = [$headerArray, $headerBytes, $bodyCopy];
            $array[$i]->keys = $verifier->keys();
            $array[$i]->headers = $headerArray === null ? null : FFI::addr($headerArray[0]);
            $array[$i]->header_count = $headerCount;
            $array[$i]->body = Library::at($bodyCopy, 0, strlen($body));
            $array[$i]->body_len = strlen($body);
        }
        $results = Library::make('uint32_t', $count);
        Library::check($ffi->payseal_webhook_verify_batch($array, $count, $now ?? time(), $tolerance, $threads, $results));
        unset($keep);
        $out = [];
        for ($i = 0; $i < $count; $i++) {
            $code = $results[$i];
            $out[] = $code === Library::OK ? null : Library::error($code, false);
        }
        return $out;
    }

    /**
     * The current request's headers: getallheaders() where the SAPI has it (Apache, FPM, the
     * built-in server), else rebuilt from $_SERVER (HTTP_X_EUPAY_SIGNATURE => X-Eupay-Signature;
     * names are compared case-insensitively anyway).
     *
     * @param array<string, mixed>|null $server defaults to $_SERVER
     * @return array<string, string>
     */
    public static function requestHeaders(?array $server = null): array
    {
        if ($server === null && function_exists('getallheaders')) {
            $headers = getallheaders();
            if (is_array($headers)) {
                return $headers;
            }
        }
        $headers = [];
        foreach ($server ?? $_SERVER as $key => $value) {
            if (!is_string($key) || !is_string($value)) {
                continue;
            }
            if (str_starts_with($key, 'HTTP_')) {
                $name = substr($key, 5);
            } elseif ($key === 'CONTENT_TYPE' || $key === 'CONTENT_LENGTH') {
                $name = $key;
            } else {
                continue;
            }
            $headers[str_replace(' ', '-', ucwords(strtolower(str_replace('_', ' ', $name))))] = $value;
        }
        return $headers;
    }

    /**
     * Every (name, value) the scheme reads, in order; a TypeError for a header that is not a
     * string or a list of strings. A list, not a generator: cheaper for the few headers of a
     * request (under FPM every object of a request is made anew).
     *
     * @return list<array{0: string, 1: string}>
     */
    private function pairs(array $headers): array
    {
        if ($this->reads === null) {
            $this->reads = [];
            foreach (self::describe($this->scheme)[1] as $read) {
                $this->reads[strtolower($read)] = true;
            }
        }
        $out = [];
        foreach ($headers as $name => $value) {
            if (is_int($name) && is_array($value) && array_is_list($value) && count($value) === 2) {
                [$name, $value] = $value; // [name, value] pairs
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                if (!is_string($name) || !is_string($one)) {
                    throw new \TypeError('headers must map names to strings (or lists of strings), or be [name, value] pairs');
                }
                if (isset($this->reads[strtolower($name)])) {
                    $out[] = [$name, $one];
                }
            }
        }
        return $out;
    }

    /**
     * The values of the scheme's (at most two) header names, or null when one is repeated
     * (the packed form then lets the core report it).
     *
     * @return array{0: ?string, 1: ?string}|null
     */
    private function values(array $headers): ?array
    {
        $v = [null, null];
        foreach ($this->pairs($headers) as [$name, $value]) {
            $slot = strtolower($name) === $this->lower0 ? 0 : 1;
            if ($v[$slot] !== null) {
                return null;
            }
            $v[$slot] = $value;
        }
        return $v;
    }

    /**
     * The headers the scheme reads, packed for payseal_webhook_verify_packed: for each,
     * pack('V', strlen($name)) . $name . pack('V', strlen($value)) . $value.
     */
    private function packed(array $headers): string
    {
        $packed = '';
        foreach ($this->pairs($headers) as [$name, $value]) {
            $packed .= pack('V', strlen($name)) . $name . pack('V', strlen($value)) . $value;
        }
        return $packed;
    }

    /**
     * The headers the scheme reads as a C array of PaysealHeader (for batches), copied into one
     * C buffer; the returned buffer must stay referenced until the call is made.
     *
     * @return array{0: ?CData, 1: int, 2: ?CData}
     */
    private function structs(array $headers): array
    {
        $pairs = $this->pairs($headers);
        $count = count($pairs);
        if ($count === 0) {
            return [null, 0, null];
        }
        $bytes = Library::copy(implode('', array_map(fn ($p) => $p[0] . $p[1], $pairs)));
        $array = Library::make('PaysealHeader', $count);
        $offset = 0;
        foreach ($pairs as $i => [$name, $value]) {
            $entry = $array[$i];
            $n = strlen($name);
            $v = strlen($value);
            $entry->name = Library::at($bytes, $offset, $n);
            $entry->name_len = $n;
            $entry->value = Library::at($bytes, $offset + $n, $v);
            $entry->value_len = $v;
            $offset += $n + $v;
        }
        return [$array, $count, $bytes];
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['scheme' => $this->scheme, 'secrets' => '<redacted>'];
    }
}
