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
        $now ??= time();
        $n = strlen($token);
        $payload = $this->run(fn ($ffi, $h) => Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_jwt_verifier_verify($h, $token, $n, $now, $out, $cap, $w),
            $n,
        ));
        return self::claims($payload);
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
        try {
            $claims = json_decode($payload, true, 1024, JSON_THROW_ON_ERROR);
        } catch (\JsonException $e) {
            // JSON the core accepts but PHP cannot represent (a lone surrogate escape).
            $m = Library::ffi()->PAYSEAL_MALFORMED;
            throw Library::error($m, false);
        }
        return is_array($claims) ? $claims : [];
    }

    /** @return array<string, mixed> */
    public function __debugInfo(): array
    {
        return ['algorithms' => $this->algorithms, 'audience' => $this->audience, 'issuer' => $this->issuer, 'leeway' => $this->leeway];
    }
}
