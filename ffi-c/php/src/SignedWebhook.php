<?php
declare(strict_types=1);

namespace Payseal;

/** A signed webhook delivery (WebhookSigner::sign(), sign_webhook()): what to send. */
final class SignedWebhook
{
    public function __construct(
        /**
         * The headers to add, name => value, names as the provider spells them, in the order it
         * sends them (the core's). Empty for adyen_item and spreedly (the signature is in the body).
         *
         * @var array<string, string>
         */
        public readonly array $headers,
        /**
         * The body to send: the body given for the schemes that sign it as it is, else the signed
         * Adyen item, the Spreedly document with its <signed> block, or the OPPWA ciphertext.
         */
        public readonly string $body,
    ) {
    }
}
