<?php
// A webhook key set: one provider's scheme and one to four secrets (several while rotating),
// parsed and precomputed once in the library. Build one at start-up and verify every delivery
// with it; the secrets are zeroised when the object is destroyed.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class WebhookVerifier
{
    private CData $handle;

    /**
     * @param string $scheme 'eupay', 'github', 'stripe', 'standard', 'shopify', 'checkout',
     *                       'adyen_item', 'spreedly', 'oppwa' or 'oppwa_base64'
     * @param string|list<string> $secrets as the provider shows them (tried in order)
     *
     * @throws InvalidArgument for an unknown scheme or more than four secrets
     * @throws InvalidKey for no secret, an empty one or one not in the scheme's format
     */
    public function __construct(private readonly string $scheme, #[\SensitiveParameter] string|array $secrets)
    {
        $ffi = Library::ffi();
        $number = Library::make('uint32_t');
        Library::check($ffi->payseal_webhook_scheme_from_name($scheme, strlen($scheme), FFI::addr($number)));
        $secrets = is_array($secrets) ? array_values($secrets) : [$secrets];
        $count = count($secrets);
        $list = Library::make('PaysealBytes', max($count, 1));
        $copies = [];
        foreach ($secrets as $i => $secret) {
            if (!is_string($secret)) {
                throw new \TypeError("secret #$i is not a string");
            }
            $copies[$i] = Library::copy($secret);
            $list[$i]->ptr = Library::at($copies[$i], 0, strlen($secret));
            $list[$i]->len = strlen($secret);
        }
        $handle = Library::make('PaysealWebhookKeys*');
        try {
            Library::check($ffi->payseal_webhook_keys_new($number->cdata, $list, $count, FFI::addr($handle)));
        } finally {
            array_map(Library::wipe(...), $copies);
        }
        $this->handle = $handle;
    }

    /** The scheme's name, as given. */
    public function scheme(): string
    {
        return $this->scheme;
    }

    /**
     * Returns when the delivery is authentic (and, for Stripe and Standard Webhooks, signed
     * within $tolerance seconds of $now, default the current time).
     *
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers as
     *        received: getallheaders(), PSR-7 getHeaders(), or [name, value] pairs
     * @param string $body the raw body, exactly as received (php://input)
     *
     * @throws VerificationError BadSignature, MissingHeader, MalformedHeader, MalformedBody,
     *         TimestampTooOld, TimestampTooNew, TooManySignatures, TooLarge
     */
    public function verify(array $headers, string $body, ?int $now = null, int $tolerance = 300): void
    {
        $packed = Webhook::packed($headers);
        $code = Library::ffi()->payseal_webhook_verify_packed(
            $this->handle,
            $packed,
            strlen($packed),
            $body,
            strlen($body),
            $now ?? time(),
            $tolerance,
        );
        Library::check($code);
    }

    /**
     * Verifies like verify() and returns the authenticated payload: the decrypted
     * notification for OPPWA, '' for the MAC schemes (whose payload is the body itself).
     *
     * @param array<string, string|list<string>>|list<array{0: string, 1: string}> $headers
     * @throws VerificationError as verify()
     */
    public function open(array $headers, string $body, ?int $now = null, int $tolerance = 300): string
    {
        $ffi = Library::ffi();
        $packed = Webhook::packed($headers);
        $p = strlen($packed);
        $n = strlen($body);
        $now ??= time();
        $guess = Library::make('size_t');
        Library::check($ffi->payseal_webhook_open_len($this->handle, $body, $n, FFI::addr($guess)));
        $plaintext = Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_webhook_open_packed($this->handle, $packed, $p, $body, $n, $now, $tolerance, $out, $cap, $w),
            (int) $guess->cdata,
        );
        return $plaintext;
    }

    /** @internal the key-set handle, for Webhook::verifyBatch() */
    public function handle(): CData
    {
        return $this->handle;
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::ffi()->payseal_webhook_keys_free($this->handle);
        }
    }

    /**
     * A copy would share (and later double-free) the handle. PHP has already made the copy
     * when this runs, and destroys it after the exception: it must not own the handle.
     */
    public function __clone()
    {
        unset($this->handle);
        throw new \LogicException('Payseal\WebhookVerifier cannot be cloned');
    }

    /** Handles are never restored from serialized data. */
    public function __unserialize(array $data): void
    {
        throw new \LogicException('Payseal\WebhookVerifier cannot be unserialized');
    }

    /** Keys are never serialised. */
    public function __serialize(): array
    {
        throw new \LogicException('Payseal\WebhookVerifier cannot be serialized');
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['scheme' => $this->scheme, 'secrets' => '<redacted>'];
    }
}
