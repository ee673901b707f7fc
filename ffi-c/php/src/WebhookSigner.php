<?php
// The sending side of WebhookVerifier: a key set signs deliveries as the provider would, for a
// gateway that sends webhooks and for test suites that need correctly signed requests. The
// first (newest) secret of the set signs: list secrets newest first, as for verification.
//
// One C call per delivery (payseal_webhook_sign): the body crosses as a string argument, the
// headers and the body to send come back in one reused buffer, laid out by a PaysealSigned.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class WebhookSigner
{
    use OwnsHandle;

    /** Output buffers up to this size are kept for the next call. */
    private const KEEP = 65536;

    /** The reused output buffer, the `size_t` written and the layout, shared by all signers. */
    private static ?CData $out = null;
    private static int $cap = 0;
    private static ?CData $written = null;
    private static ?CData $writtenAddr = null;
    private static ?CData $layout = null;
    private static ?CData $layoutAddr = null;

    /** The reused options struct, its address, which fields are set, and the C copies of the values. */
    private static ?CData $options = null;
    private static ?CData $optionsAddr = null;
    /** @var array<string, bool> */
    private static array $optionSet = [];
    /** @var array<string, array{0: CData, 1: int}> */
    private static array $optionCopies = [];

    private FFI $ffi;
    /** Whether this scheme writes the body to send (known after the first signature). */
    private ?bool $writesBody = null;

    /**
     * @param string $scheme 'eupay', 'github', 'stripe', 'standard', 'shopify', 'checkout',
     *                       'adyen_item', 'spreedly', 'oppwa' or 'oppwa_base64' (names parsed by the core)
     * @param string|list<string> $secrets as the provider shows them, newest first: the first one signs
     *
     * @throws InvalidInputError for an unknown scheme
     * @throws InvalidKeyError for no secret, more than four, an empty one or one not in the scheme's format
     */
    public function __construct(private readonly string $scheme, #[\SensitiveParameter] string|array $secrets)
    {
        $this->ffi = Library::ffi();
        [$number] = WebhookVerifier::describe($scheme);
        $this->adopt(WebhookVerifier::keySet($number, $secrets), 'payseal_webhook_keys_free');
        if (self::$layout === null) {
            self::$written = Library::make('size_t');
            self::$writtenAddr = FFI::addr(self::$written);
            self::$layout = Library::make('PaysealSigned');
            self::$layoutAddr = FFI::addr(self::$layout);
            self::$out = Library::make('char', 1024);
            self::$cap = 1024;
        }
    }

    /** The scheme's name, as given. */
    public function scheme(): string
    {
        return $this->scheme;
    }

    /**
     * Signs $body as the provider would and returns the headers to add and the body to send.
     *
     * @param string $body the exact bytes that will be sent (for adyen_item one
     *        NotificationRequestItem as JSON, for spreedly a <transaction> document, for oppwa the
     *        notification to encrypt)
     * @param ?int $now the signing time, Unix seconds (Stripe and Standard Webhooks sign it); default the clock
     * @param ?string $id Standard Webhooks: the webhook-id (printable ASCII, no spaces); default msg_ + 32 random hex digits
     * @param ?string $iv OPPWA: the 12-byte AES-GCM IV (raw bytes); default random. Never reuse one under a key.
     * @param ?string $fields Spreedly: the <transaction> children to sign, space-separated; default every text field
     * @param ?string $algorithm Spreedly: 'sha1', 'sha256' (default) or 'sha512'
     *
     * @throws InvalidInputError for an unusable option (details()['reason'] names it: now, id, iv, fields, algorithm)
     * @throws MalformedBodyError for an Adyen item or Spreedly document that cannot be signed
     * @throws TooLargeError for a body over 32 MiB
     * @throws RandomnessError when the operating system's generator fails
     */
    public function sign(
        string $body,
        ?int $now = null,
        ?string $id = null,
        ?string $iv = null,
        ?string $fields = null,
        ?string $algorithm = null,
    ): SignedWebhook {
        $n = strlen($body);
        $now ??= time();
        $opts = $id === null && $iv === null && $fields === null && $algorithm === null
            ? null
            : self::options($id, $iv, $fields, $algorithm);
        $out = self::$out;
        $cap = self::$cap;
        // A signature is a few hundred bytes; a body written back (adyen_item, spreedly, oppwa:
        // known after the first call) is sized by the library first when it may not fit.
        if ($this->writesBody !== false && $n + 512 > $cap) {
            $len = Library::make('size_t');
            Library::check($this->ffi->payseal_webhook_sign_len($this->handle, $body, $n, $now, $opts, FFI::addr($len)));
            [$out, $cap] = self::buffer((int) $len->cdata);
        }
        $code = $this->ffi->payseal_webhook_sign($this->handle, $body, $n, $now, $opts, $out, $cap, self::$writtenAddr, self::$layoutAddr);
        if ($code === Library::BUFFER_TOO_SMALL) {
            [$out, $cap] = self::buffer(self::$written->cdata);
            $code = $this->ffi->payseal_webhook_sign($this->handle, $body, $n, $now, $opts, $out, $cap, self::$writtenAddr, self::$layoutAddr);
        }
        if ($code !== Library::OK) {
            throw Library::error($code);
        }
        // Not wiped: signatures and the body to send are not secret (the OPPWA plaintext is
        // never written here, only its ciphertext).
        $text = FFI::string($out, self::$written->cdata);
        $layout = self::$layout;
        $headers = [];
        for ($i = 0, $count = $layout->header_count; $i < $count; $i++) {
            $h = $layout->headers[$i];
            $headers[substr($text, $h->name_off, $h->name_len)] = substr($text, $h->value_off, $h->value_len);
        }
        if ($layout->has_body) {
            $this->writesBody = true;
            return new SignedWebhook($headers, substr($text, $layout->body_off, $layout->body_len));
        }
        $this->writesBody = false;
        return new SignedWebhook($headers, $body);
    }

    /**
     * A buffer of at least $size bytes: the shared one, grown (and kept up to KEEP bytes).
     *
     * @return array{0: CData, 1: int}
     */
    private static function buffer(int $size): array
    {
        if ($size <= self::$cap) {
            return [self::$out, self::$cap];
        }
        $buf = Library::make('char', $size);
        if ($size <= self::KEEP) {
            [self::$out, self::$cap] = [$buf, $size];
        }
        return [$buf, $size];
    }

    /**
     * The shared PaysealSignOptions set to the given options (NULL for the others), pointing
     * into one reused C copy per option (grown when a value is longer).
     */
    private static function options(?string $id, ?string $iv, ?string $fields, ?string $algorithm): CData
    {
        $opts = self::$options ??= Library::make('PaysealSignOptions');
        foreach (['id' => $id, 'iv' => $iv, 'fields' => $fields, 'algorithm' => $algorithm] as $name => $value) {
            $set = self::$optionSet[$name] ?? false;
            if ($value === null) {
                if ($set) {
                    $opts->{$name} = null;
                    $opts->{"{$name}_len"} = 0;
                    self::$optionSet[$name] = false;
                }
                continue;
            }
            // A non-NULL pointer even for an empty value: given, and refused by the core where it matters.
            $len = strlen($value);
            [$copy, $copyCap] = self::$optionCopies[$name] ?? [null, 0];
            if ($copy === null || $len > $copyCap) {
                $copyCap = max($len, 64);
                $copy = Library::make('char', $copyCap);
                self::$optionCopies[$name] = [$copy, $copyCap];
                $opts->{$name} = FFI::addr($copy[0]);
            } elseif (!$set) {
                $opts->{$name} = FFI::addr($copy[0]);
            }
            if ($len > 0) {
                FFI::memcpy($copy, $value, $len);
            }
            $opts->{"{$name}_len"} = $len;
            self::$optionSet[$name] = true;
        }
        return self::$optionsAddr ??= FFI::addr($opts);
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['scheme' => $this->scheme, 'secrets' => '<redacted>'];
    }
}
