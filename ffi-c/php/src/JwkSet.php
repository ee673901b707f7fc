<?php
// A JWK Set (RFC 7517 §5) parsed once by the core: the keys payseal can verify with. Entries it
// cannot use (unknown kty, encryption keys such as Keycloak's RSA-OAEP one, RSA under 2048
// bits) are skipped and counted, never an error of the whole set.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class JwkSet implements \Countable
{
    use OwnsHandle;

    /**
     * @param string|array<string, mixed> $document the JWK Set's JSON text ({"keys": [...]}),
     *        or the decoded array (encoded again with json_encode)
     * @throws InvalidKeyError when the document is not JSON or has no "keys" array
     * @throws TooLargeError over 1 MiB or 256 usable keys
     */
    public function __construct(string|array $document)
    {
        if (is_array($document)) {
            $document = json_encode($document, JSON_THROW_ON_ERROR | JSON_UNESCAPED_SLASHES | JSON_PRESERVE_ZERO_FRACTION);
        }
        $handle = Library::make('PaysealJwkSet*');
        Library::check(Library::ffi()->payseal_jwk_set_new($document, strlen($document), FFI::addr($handle)));
        $this->adopt($handle, 'payseal_jwk_set_free');
    }

    /** How many keys were kept (the vocabulary's len: count($set)). */
    public function count(): int
    {
        $n = Library::make('size_t');
        Library::check(Library::ffi()->payseal_jwk_set_len($this->handle, FFI::addr($n)));
        return (int) $n->cdata;
    }

    /** How many entries of the document were skipped (unusable for verification). */
    public function skipped(): int
    {
        $n = Library::make('size_t');
        Library::check(Library::ffi()->payseal_jwk_set_skipped($this->handle, FFI::addr($n)));
        return (int) $n->cdata;
    }

    /**
     * The kept keys' kids, in document order (null for a key without one).
     *
     * @return list<?string>
     */
    public function kids(): array
    {
        $ffi = Library::ffi();
        $has = Library::make('bool');
        $kids = [];
        for ($i = 0, $n = $this->count(); $i < $n; $i++) {
            $kid = Library::output(fn ($out, $cap, $w) => $ffi->payseal_jwk_set_kid($this->handle, $i, $out, $cap, $w, FFI::addr($has)), 64);
            $kids[] = $has->cdata ? $kid : null;
        }
        return $kids;
    }

    /** @internal the C handle, for JwtVerifier and the one-shot functions */
    public function handle(): CData
    {
        return $this->handle;
    }
}
