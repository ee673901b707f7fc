<?php
// An EU Pay webhook endpoint: 200 for a delivery whose X-EuPay-Signature verifies, 400 otherwise.
//
//   EUPAY_WEBHOOK_SECRET=whsec_... php -d ffi.enable=1 -S 127.0.0.1:8080 ffi-c/php/examples/webhook.php
//
// EUPAY_WEBHOOK_SECRET holds the secret, or two comma-separated while rotating (either may
// have signed). Verify the raw body exactly as received, before decoding it: re-encoded JSON
// would not match the signature. Under PHP-FPM, preload the wrapper (ffi-c/php/fpm.ini and
// preload.php; ffi-c/README.md, section "PHP-FPM"): the classes and the library are then loaded
// once per server, not per request.
declare(strict_types=1);

use Payseal\PaysealError;
use Payseal\VerificationError;
use Payseal\WebhookVerifier;

use function Payseal\verify_webhook;

// Preloaded, the classes are already there; otherwise load the wrapper (or Composer's autoloader).
class_exists(WebhookVerifier::class, false) || require __DIR__ . '/../autoload.php';

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

// One call per delivery: PHP-FPM ends every object with its request, so there is nothing to keep
// between deliveries; for EU Pay's one header this is one call into the library, with a key set
// made for it and wiped after it. (WebhookVerifier::shared() keeps a worker's key set in the
// library instead: for OPPWA's keys or long rotations, whose set-up costs more.)
$secrets = explode(',', (string) getenv('EUPAY_WEBHOOK_SECRET'));
$body = (string) file_get_contents('php://input');
try {
    verify_webhook('eupay', $secrets, getallheaders(), $body);
} catch (VerificationError $e) {
    answer(400, ['error' => $e->code()]); // bad_signature, missing_header, malformed_header, ...
    return;
} catch (PaysealError $e) {
    // Not the delivery's fault: the secrets are unusable (InvalidKeyError).
    error_log('EUPAY_WEBHOOK_SECRET is not set or unusable: ' . $e->code());
    answer(500, ['error' => 'not_configured']);
    return;
}

// Authentic. EU Pay signs no timestamp: deduplicate on the event's id to ignore replays.
$event = json_decode($body, true);
answer(200, ['ok' => true, 'event' => is_array($event) ? ($event['event'] ?? null) : null]);
