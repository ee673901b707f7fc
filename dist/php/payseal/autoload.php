<?php
// Loads the Payseal PHP wrapper (no Composer needed): require this file, then use Payseal\*.
declare(strict_types=1);

foreach ([
    'Errors', 'Library', 'Encoding', 'Json', 'HmacKey', 'Webhook', 'WebhookVerifier', 'Bcrypt', 'SecretVerifier', 'Keys',
    'Paylands', 'EuPayQr',
] as $file) {
    require_once __DIR__ . "/src/$file.php";
}
