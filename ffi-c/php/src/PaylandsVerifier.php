<?php
// Paylands validation_hash = hex(sha256(json_encode($data) . $signature)), reproduced byte for
// byte from the raw body (no json_decode round trip in PHP). Keep one object per signature.
declare(strict_types=1);

namespace Payseal;

use FFI;

final class PaylandsVerifier
{
    use OwnsHandle;

    private \FFI\CData $matched;
    private \FFI\CData $matchedAddr;

    /**
     * @param string $signature the service's signature from the Paylands back office (a secret)
     * @throws InvalidKeyError empty (empty_signature) or longer than 256 bytes (signature_too_long)
     */
    public function __construct(#[\SensitiveParameter] string $signature)
    {
        $handle = Library::make('PaysealPaylandsKey*');
        Library::check(Library::ffi()->payseal_paylands_key_new($signature, strlen($signature), FFI::addr($handle)));
        $this->adopt($handle, 'payseal_paylands_key_free');
        $this->matched = Library::make('uint32_t');
        $this->matchedAddr = FFI::addr($this->matched);
    }

    /**
     * Returns which flag set the body's validation_hash was made with ('default' or
     * 'unescaped') when it is genuine.
     *
     * @param string $body the raw body, exactly as received
     * @param string $mode 'notification' or 'response'
     * @param string $flags 'default', 'unescaped' or 'auto' (either)
     * @throws MismatchError forged, tampered with, or signed with another signature or other flags
     * @throws MalformedError not JSON, no or bad validation_hash, no order (notification mode)
     * @throws InvalidInputError for an unknown mode or flag set
     */
    public function verify(string $body, string $mode = 'notification', string $flags = 'auto'): string
    {
        $code = Library::ffi()->payseal_paylands_verify(
            $this->handle,
            $body,
            strlen($body),
            Library::paylandsMode($mode),
            Library::paylandsFlags($flags),
            $this->matchedAddr,
        );
        if ($code !== 0) {
            throw Library::error($code);
        }
        return Library::paylandsFlagsName($this->matched->cdata);
    }

    /**
     * The lowercase hex validation_hash Paylands would send for $body ($flags 'default' or
     * 'unescaped'), to simulate notifications or test a handler.
     *
     * @throws MalformedError|InvalidInputError
     */
    public function hash(string $body, string $mode = 'notification', string $flags = 'default'): string
    {
        $ffi = Library::ffi();
        $n = strlen($body);
        $m = Library::paylandsMode($mode);
        $f = Library::paylandsFlags($flags);
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_paylands_hash($this->handle, $body, $n, $m, $f, $out, $cap, $w), 64);
    }
}
