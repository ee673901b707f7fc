<?php
// A JWK Set fetched over HTTPS and kept fresh, the way jose's createRemoteJWKSet, PyJWT's
// PyJWKClient and php-jwt's CachedKeySet do it. WHEN to fetch and what to keep is decided by the
// core's refresh state machine (payseal::jose::refresh through the C ABI), so PHP, Python and
// Node behave the same; this class only does the HTTP (curl when loaded, else PHP's http stream
// wrapper, both with a timeout).
declare(strict_types=1);

namespace Payseal;

use FFI;

final class RemoteJwkSet
{
    use OwnsHandle;

    /** Largest document read (the core refuses larger sets). */
    private const MAX_BYTES = 1024 * 1024;

    /**
     * @internal the HTTP client: 'curl', 'stream', or null (curl when the extension is loaded);
     * tests set it to cover both
     */
    public static ?string $transport = null;

    private ?JwkSet $set = null;
    private string $lastError = 'not fetched yet';
    /** @var \Closure(): int */
    private \Closure $clock;

    /**
     * @param string $url the set's https:// URL (Keycloak: <realm>/protocol/openid-connect/certs);
     *        plain http:// only for a loopback host (tests)
     * @param int $maxAge seconds a fetched set is used before it is fetched again
     * @param int $cooldown least seconds between fetches asked for by an unknown kid or after a failure
     * @param float $timeout seconds for one fetch (connect and transfer)
     * @param ?\Closure(): int $clock seconds on a clock that does not go backwards (default:
     *        hrtime); for tests
     * @throws InvalidInputError for a URL that is not https (or http to a loopback host), negative times
     */
    public function __construct(
        private readonly string $url,
        int $maxAge = 600,
        int $cooldown = 30,
        private readonly float $timeout = 5,
        ?\Closure $clock = null,
    ) {
        $scheme = strtolower((string) parse_url($url, PHP_URL_SCHEME));
        $host = strtolower(trim((string) parse_url($url, PHP_URL_HOST), '[]'));
        $loopback = in_array($host, ['127.0.0.1', 'localhost', '::1'], true);
        if (!($scheme === 'https' || ($scheme === 'http' && $loopback))) {
            throw Library::invalid("RemoteJwkSet: $url is not an https:// URL");
        }
        if ($maxAge < 0 || $cooldown < 0 || !($timeout > 0)) {
            throw Library::invalid('RemoteJwkSet: maxAge and cooldown must not be negative, timeout must be positive');
        }
        $this->clock = $clock ?? static fn (): int => intdiv(hrtime(true), 1_000_000_000);
        $handle = Library::make('PaysealJwksRefresher*');
        Library::check(Library::ffi()->payseal_jwks_refresher_new($maxAge, $cooldown, FFI::addr($handle)));
        $this->adopt($handle, 'payseal_jwks_refresher_free');
    }

    /**
     * The set to verify with now: fetched first when the core's refresher says so (no set yet,
     * or maxAge old); the last good set when a fetch fails.
     *
     * @internal used by JwtVerifier and the one-shot functions
     * @throws KeyNotFoundError when no set could be fetched yet
     */
    public function current(): JwkSet
    {
        $ffi = Library::ffi();
        $now = ($this->clock)();
        if ($this->step($ffi->PAYSEAL_REFRESH_SHOULD_FETCH, $now)) {
            $this->fetch($now);
        }
        if ($this->set === null) {
            throw new KeyNotFoundError(
                "no JWK Set from {$this->url} ({$this->lastError})",
                $ffi->PAYSEAL_KEY_NOT_FOUND,
                'key_not_found',
            );
        }
        return $this->set;
    }

    /**
     * A verification found no key for the token's kid: fetch again if the refresher allows
     * (at most once per cooldown). True when a new set was fetched (worth one more try).
     *
     * @internal used by JwtVerifier
     */
    public function keyNotFound(): bool
    {
        $now = ($this->clock)();
        if (!$this->step(Library::ffi()->PAYSEAL_REFRESH_SHOULD_REFETCH_FOR_UNKNOWN_KID, $now)) {
            return false;
        }
        $before = $this->set;
        $this->fetch($now);
        return $this->set !== $before;
    }

    /** One fetch, recorded with the refresher; a failure keeps the last good set. */
    private function fetch(int $now): void
    {
        $ffi = Library::ffi();
        $this->step($ffi->PAYSEAL_REFRESH_ATTEMPT, $now);
        try {
            $set = new JwkSet($this->download());
        } catch (PaysealError|\RuntimeException $e) {
            $this->lastError = $e->getMessage();
            $this->step($ffi->PAYSEAL_REFRESH_FAILED, ($this->clock)());
            return;
        }
        $this->set = $set;
        $this->step($ffi->PAYSEAL_REFRESH_SUCCEEDED, $now);
    }

    /** The document at the URL (HTTP 200 only, at most MAX_BYTES, redirects not followed). */
    private function download(): string
    {
        if ((self::$transport ?? (extension_loaded('curl') ? 'curl' : 'stream')) === 'curl') {
            $body = '';
            $curl = curl_init($this->url);
            curl_setopt_array($curl, [
                CURLOPT_FOLLOWLOCATION => false,
                CURLOPT_TIMEOUT_MS => (int) ceil($this->timeout * 1000),
                CURLOPT_CONNECTTIMEOUT_MS => (int) ceil($this->timeout * 1000),
                CURLOPT_HTTPHEADER => ['Accept: application/json'],
                CURLOPT_PROTOCOLS => CURLPROTO_HTTPS | CURLPROTO_HTTP,
                CURLOPT_WRITEFUNCTION => static function ($c, string $chunk) use (&$body): int {
                    $body .= $chunk;
                    return strlen($body) > self::MAX_BYTES ? 0 : strlen($chunk);
                },
            ]);
            $ok = curl_exec($curl);
            $status = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
            $error = curl_error($curl);
            curl_close($curl);
            if ($ok === false || $status !== 200) {
                throw new \RuntimeException($ok === false ? "fetch failed: $error" : "HTTP $status");
            }
            return $body;
        }
        $context = stream_context_create([
            'http' => ['timeout' => $this->timeout, 'follow_location' => 0, 'ignore_errors' => true, 'header' => "Accept: application/json\r\n"],
            'ssl' => ['verify_peer' => true, 'verify_peer_name' => true],
        ]);
        $stream = @fopen($this->url, 'rb', false, $context);
        if ($stream === false) {
            throw new \RuntimeException('fetch failed: ' . (error_get_last()['message'] ?? 'no connection'));
        }
        try {
            stream_set_timeout($stream, (int) ceil($this->timeout));
            $status = 0;
            foreach (stream_get_meta_data($stream)['wrapper_data'] ?? [] as $line) {
                if (is_string($line) && preg_match('#^HTTP/\S+\s+(\d{3})#', $line, $m) === 1) {
                    $status = (int) $m[1]; // the last status line is the response's
                }
            }
            if ($status !== 200) {
                throw new \RuntimeException("HTTP $status");
            }
            $body = stream_get_contents($stream, self::MAX_BYTES + 1);
            if ($body === false || stream_get_meta_data($stream)['timed_out']) {
                throw new \RuntimeException('fetch timed out');
            }
            return $body;
        } finally {
            fclose($stream);
        }
    }

    private function step(int $step, int $now): bool
    {
        static $answer = null;
        $answer ??= Library::make('bool');
        Library::check(Library::ffi()->payseal_jwks_refresher_step($this->handle, $step, $now, FFI::addr($answer)));
        return (bool) $answer->cdata;
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['url' => $this->url, 'keys' => $this->set === null ? null : count($this->set)];
    }
}
