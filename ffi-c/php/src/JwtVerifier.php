<?php
// JWS/JWT verification against a JWK Set with settings fixed once: the algorithms accepted (an
// explicit allow-list, required: never guessed, never `none`), the expected audience and
// issuer, and the leeway on exp/nbf. verify() returns the claims, verifyJws() the payload.
declare(strict_types=1);

namespace Payseal;

use FFI;

final class JwtVerifier
{
    use OwnsHandle;

    private string $algorithms;

    /** The key set the current handle was made from (a RemoteJwkSet changes it). */
    private ?JwkSet $madeFrom = null;

    /**
     * The hot path's state, made once per verifier: the library, the output buffer (the payload
     * is never longer than the token; grown for a longer token) and the `size_t` written, with
     * its address. Not wiped: a verified payload is no secret (the token itself carries it,
     * base64url-encoded).
     */
    private FFI $ffi;
    private \FFI\CData $out;
    private int $cap = 1024;
    private \FFI\CData $written;
    private \FFI\CData $writtenAddr;

    /**
     * @param JwkSet|RemoteJwkSet $keys the keys to verify with
     * @param string|list<string> $algorithms the accepted algorithms ("RS256", ["HS256", "HS512"]
     *        or "HS256,HS512"): names that are not algorithms (none) never allow anything
     * @param ?string $audience when given, aud must be it or (array) contain it
     * @param ?string $issuer when given, iss must be it
     * @param int $leeway seconds of clock skew tolerated on exp and nbf
     * @throws InvalidInputError for an empty allow-list, a negative leeway
     */
    public function __construct(
        private readonly JwkSet|RemoteJwkSet $keys,
        string|array $algorithms,
        private readonly ?string $audience = null,
        private readonly ?string $issuer = null,
        private readonly int $leeway = 0,
    ) {
        if ($leeway < 0) {
            throw Library::invalid('leeway must not be negative');
        }
        $this->algorithms = is_array($algorithms) ? implode(',', $algorithms) : $algorithms;
        $this->ffi = Library::ffi();
        $this->out = Library::make('char', $this->cap);
        $this->written = Library::make('size_t');
        $this->writtenAddr = FFI::addr($this->written);
        if ($keys instanceof JwkSet) {
            $this->rebuild($keys);
        }
    }

    /**
     * The verified claims of a compact JWT at $now (Unix seconds; default the clock).
     *
     * @return array<string, mixed>
     * @throws MalformedError (structure, header, claim types), UnsupportedError (crit),
     *         AlgorithmNotAllowedError, KeyNotFoundError, BadSignatureError, ExpiredError,
     *         NotYetValidError, ClaimError (audience, issuer), TooLargeError
     */
    public function verify(string $token, ?int $now = null): array
    {
        $n = strlen($token);
        if ($this->keys instanceof RemoteJwkSet) {
            return self::claims($this->run(fn ($ffi, $h) => Library::output(
                fn ($out, $cap, $w) => $ffi->payseal_jwt_verifier_verify($h, $token, $n, $now ?? time(), $out, $cap, $w),
                $n,
            )));
        }
        // The hot path: one C call into the verifier's own buffer, then PHP's json_decode (the
        // same call a PHP implementation makes; it is most of the time spent here).
        if ($n > $this->cap) {
            $this->cap = $n;
            $this->out = Library::make('char', $n);
        }
        $code = $this->ffi->payseal_jwt_verifier_verify($this->handle, $token, $n, $now ?? time(), $this->out, $this->cap, $this->writtenAddr);
        if ($code !== Library::OK) {
            throw Library::error($code);
        }
        $claims = json_decode(FFI::string($this->out, $this->written->cdata), true, 1024);
        if (!is_array($claims)) {
            // JSON the core accepts but PHP cannot represent (a lone surrogate escape).
            throw Library::error($this->ffi->PAYSEAL_MALFORMED, false);
        }
        return $claims;
    }

    /**
     * The verified payload bytes of a compact JWS (signature only: no claims are read).
     *
     * @throws MalformedError|UnsupportedError|AlgorithmNotAllowedError|KeyNotFoundError|BadSignatureError
     */
    public function verifyJws(string $token): string
    {
        $n = strlen($token);
        return $this->run(fn ($ffi, $h) => Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_jwt_verifier_verify_jws($h, $token, $n, $out, $cap, $w),
            $n,
        ));
    }

    /**
     * Runs $call with the handle; with a RemoteJwkSet, first with its current set, then (on
     * KeyNotFoundError, if the remote set refreshed) once more with the new one.
     *
     * @template T
     * @param callable(FFI, \FFI\CData): T $call
     * @return T
     */
    private function run(callable $call): mixed
    {
        if (!$this->keys instanceof RemoteJwkSet) {
            return $call(Library::ffi(), $this->handle);
        }
        $this->rebuild($this->keys->current());
        try {
            return $call(Library::ffi(), $this->handle);
        } catch (KeyNotFoundError $e) {
            if (!$this->keys->keyNotFound()) {
                throw $e;
            }
            $this->rebuild($this->keys->current());
            return $call(Library::ffi(), $this->handle);
        }
    }

    /** Makes the C verifier for $set (kept while the set does not change). */
    private function rebuild(JwkSet $set): void
    {
        if ($this->madeFrom === $set) {
            return;
        }
        $ffi = Library::ffi();
        $handle = Library::make('PaysealJwtVerifier*');
        Library::check($ffi->payseal_jwt_verifier_new(
            $set->handle(),
            $this->algorithms,
            strlen($this->algorithms),
            $this->audience,
            $this->audience === null ? 0 : strlen($this->audience),
            $this->issuer,
            $this->issuer === null ? 0 : strlen($this->issuer),
            $this->leeway,
            FFI::addr($handle),
        ));
        if (isset($this->handle)) {
            $ffi->payseal_jwt_verifier_free($this->handle);
        }
        $this->adopt($handle, 'payseal_jwt_verifier_free');
        $this->madeFrom = $set;
    }

    /**
     * A verified payload decoded as claims (the core has checked it is a JSON object).
     *
     * @internal
     * @return array<string, mixed>
     */
    public static function claims(string $payload): array
    {
        $claims = json_decode($payload, true, 1024);
        if (!is_array($claims)) {
            // JSON the core accepts but PHP cannot represent (a lone surrogate escape).
            throw Library::error(Library::ffi()->PAYSEAL_MALFORMED, false);
        }
        return $claims;
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['algorithms' => $this->algorithms, 'audience' => $this->audience, 'issuer' => $this->issuer, 'leeway' => $this->leeway];
    }
}
