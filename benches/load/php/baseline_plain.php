<?php
// The leanest BASELINE for scripts/load (--php-baseline benches/load/php/baseline_plain.php); the
// default is baseline_webhook.php, the example's endpoint with PHP's check. Not an example (users copy
// ffi-c/php/examples/webhook.php): the same EU Pay endpoint doing the same check with PHP's own
// code, hash_hmac + hash_equals over the raw body, each secret of EUPAY_WEBHOOK_SECRET
// (comma-separated while rotating) in turn; 200 when X-EuPay-Signature (sha256=<hex>) verifies,
// 400 with the reason otherwise.
declare(strict_types=1);

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
$header = $_SERVER['HTTP_X_EUPAY_SIGNATURE'] ?? null;
if ($header === null) {
    answer(400, ['error' => 'missing_header']);
    return;
}
if (!str_starts_with($header, 'sha256=')) {
    answer(400, ['error' => 'malformed_header']);
    return;
}
$ok = false;
foreach ($secrets as $secret) {
    if (hash_equals('sha256=' . hash_hmac('sha256', $body, $secret), $header)) {
        $ok = true;
    }
}
if (!$ok) {
    answer(400, ['error' => 'bad_signature']);
    return;
}
$event = json_decode($body, true);
answer(200, ['ok' => true, 'event' => is_array($event) ? ($event['event'] ?? null) : null]);
