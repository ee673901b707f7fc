<?php
// BASELINE for scripts/load's throughput comparison, not an example (users copy
// ffi-c/php/examples/webhook.php): the example's endpoint, line for line, with the check done by
// PHP's own code instead of payseal. What differs between the two variants is the check alone,
// as for Express (benches/load/express_server.js):
//  - the same request handling: the method check, getallheaders(), the raw body, one call in a
//    try/catch answering 400 with the rejection's code (and 500 for a configuration error);
//  - the check as a PHP SDK does it (stripe-php's static Webhook::constructEvent and
//    WebhookSignature::verifyHeader): the header looked up case-insensitively, hash_hmac over
//    the raw body with each secret of EUPAY_WEBHOOK_SECRET (comma-separated while rotating),
//    hash_equals, and an exception for a rejected delivery (stripe-php throws
//    SignatureVerificationException).
// baseline_plain.php is the leanest script doing the same check (no getallheaders(), no
// exception): `scripts/load --php-baseline benches/load/php/baseline_plain.php` measures
// against it.
declare(strict_types=1);

/** A rejected delivery, as an SDK reports it; $reason is the code the answer carries. */
final class SignatureVerificationException extends \RuntimeException
{
    public function __construct(public readonly string $reason)
    {
        parent::__construct("webhook rejected: $reason");
    }
}

/** EU Pay's check in PHP: X-EuPay-Signature is "sha256=" . hex(HMAC-SHA256(secret, body)). */
final class EuPayWebhook
{
    /**
     * One call per delivery, as stripe-php's static Webhook::constructEvent.
     *
     * @param list<string> $secrets
     * @param array<string, string> $headers as getallheaders() gives them
     */
    public static function verify(array $secrets, array $headers, string $body): void
    {
        if ($secrets === [] || in_array('', $secrets, true)) {
            throw new \InvalidArgumentException('no usable secret');
        }
        $header = array_change_key_case($headers)['x-eupay-signature'] ?? null;
        if ($header === null) {
            throw new SignatureVerificationException('missing_header');
        }
        if (!str_starts_with($header, 'sha256=')) {
            throw new SignatureVerificationException('malformed_header');
        }
        $ok = false;
        foreach ($secrets as $secret) {
            if (hash_equals('sha256=' . hash_hmac('sha256', $body, $secret), $header)) {
                $ok = true;
            }
        }
        if (!$ok) {
            throw new SignatureVerificationException('bad_signature');
        }
    }
}

/** Sends a JSON answer. */
function answer(int $status, array $json): void
{
    http_response_code($status);
    header('Content-Type: application/json');
    echo json_encode($json), "\n";
}

if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'POST') {
    header('Allow: POST');
    answer(405, ['error' => 'method_not_allowed']);
    return;
}

$secrets = explode(',', (string) getenv('EUPAY_WEBHOOK_SECRET'));
$body = (string) file_get_contents('php://input');
try {
    EuPayWebhook::verify($secrets, getallheaders(), $body);
} catch (SignatureVerificationException $e) {
    answer(400, ['error' => $e->reason]);
    return;
} catch (\InvalidArgumentException $e) {
    error_log('EUPAY_WEBHOOK_SECRET is not set or unusable');
    answer(500, ['error' => 'not_configured']);
    return;
}

$event = json_decode($body, true);
answer(200, ['ok' => true, 'event' => is_array($event) ? ($event['event'] ?? null) : null]);
