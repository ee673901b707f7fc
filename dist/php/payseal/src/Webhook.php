<?php
// Webhook verification in one call, batches, and the request's headers. For steady traffic,
// keep a WebhookVerifier per provider (its secrets are parsed once) rather than calling
// Webhook::verify() with the secrets on every request.
declare(strict_types=1);

namespace Payseal;

use FFI\CData;

final class Webhook
{
    /**
     * Returns when the delivery is authentic; see WebhookVerifier::verify().
     *
     * @param string|list<string> $secrets
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
     * @throws VerificationError, InvalidKey, InvalidArgument
     */
    public static function verify(
        string $scheme,
        #[\SensitiveParameter] string|array $secrets,
        array $headers,
        string $body,
        ?int $now = null,
        int $tolerance = 300,
    ): void {
        (new WebhookVerifier($scheme, $secrets))->verify($headers, $body, $now, $tolerance);
    }

    /**
     * The authenticated payload (OPPWA: the decrypted notification); see WebhookVerifier::open().
     *
     * @param string|list<string> $secrets
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
     */
    public static function open(
        string $scheme,
        #[\SensitiveParameter] string|array $secrets,
        array $headers,
        string $body,
        ?int $now = null,
        int $tolerance = 300,
    ): string {
        return (new WebhookVerifier($scheme, $secrets))->open($headers, $body, $now, $tolerance);
    }

    /**
     * Verifies many deliveries in one call, spread over up to $threads threads (0: every
     * core). Returns one entry per item, in order: null when authentic, otherwise the
     * exception that verify() would have thrown (not thrown here).
     *
     * @param list<array{0: WebhookVerifier, 1: array, 2: string}> $items [verifier, headers, body]
     * @return list<?Error>
     */
    public static function verifyBatch(array $items, ?int $now = null, int $tolerance = 300, int $threads = 0): array
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
            [$verifier, $headers, $body] = $item + [null, null, null];
            if (!$verifier instanceof WebhookVerifier || !is_array($headers) || !is_string($body)) {
                throw new \TypeError("batch item #$i is not [WebhookVerifier, array \$headers, string \$body]");
            }
            [$headerArray, $headerCount, $headerBytes] = self::pack($headers);
            $bodyCopy = Library::copy($body);
            $keep[] = [$headerArray, $headerBytes, $bodyCopy];
            $array[$i]->keys = $verifier->handle();
            $array[$i]->headers = $headerArray === null ? null : \FFI::addr($headerArray[0]);
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
            $out[] = $code === Library::OK ? null : Error::fromResult($code);
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
     * Headers as one string for payseal_webhook_verify_packed: for each header, pack('V',
     * strlen($name)) . $name . pack('V', strlen($value)) . $value. PHP passes a string to C
     * without copying, so this costs a few string operations instead of C structs.
     *
     * @internal
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
     */
    public static function packed(array $headers): string
    {
        $packed = '';
        foreach ($headers as $name => $value) {
            if (is_int($name) && is_array($value) && array_is_list($value) && count($value) === 2) {
                [$name, $value] = $value; // [name, value] pairs
            }
            if (is_string($value) && is_string($name)) {
                $packed .= pack('V', strlen($name)) . $name . pack('V', strlen($value)) . $value;
                continue;
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                if (!is_string($name) || !is_string($one)) {
                    throw new \TypeError('headers must map names to strings (or lists of strings), or be [name, value] pairs');
                }
                $packed .= pack('V', strlen($name)) . $name . pack('V', strlen($one)) . $one;
            }
        }
        return $packed;
    }

    /**
     * Headers as a C array of PaysealHeader (for batches). All names and values are copied into one C
     * buffer (one allocation, one copy); the returned buffer must stay referenced until the
     * call is made.
     *
     * @internal
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
     * @return array{0: ?CData, 1: int, 2: ?CData}
     */
    public static function pack(array $headers): array
    {
        $names = $values = [];
        $packed = '';
        foreach ($headers as $name => $value) {
            if (is_int($name) && is_array($value) && array_is_list($value) && count($value) === 2) {
                [$name, $value] = $value; // [name, value] pairs
            }
            foreach (is_array($value) ? $value : [$value] as $one) {
                if (!is_string($name) || !is_string($one)) {
                    throw new \TypeError('headers must map names to strings (or lists of strings), or be [name, value] pairs');
                }
                $names[] = $name;
                $values[] = $one;
                $packed .= $name . $one;
            }
        }
        $count = count($names);
        if ($count === 0) {
            return [null, 0, null];
        }
        $bytes = Library::copy($packed);
        $array = Library::make('PaysealHeader', $count);
        $offset = 0;
        foreach ($names as $i => $name) {
            $entry = $array[$i];
            $n = strlen($name);
            $v = strlen($values[$i]);
            $entry->name = Library::at($bytes, $offset, $n);
            $entry->name_len = $n;
            $entry->value = Library::at($bytes, $offset + $n, $v);
            $entry->value_len = $v;
            $offset += $n + $v;
        }
        return [$array, $count, $bytes];
    }
}
