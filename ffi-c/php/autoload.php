<?php
// Loads the Payseal PHP wrapper without Composer: require this file, then use Payseal\*.
// Classes load on first use, PSR-4 style (Payseal\BadSignatureError from src/BadSignatureError.php);
// the one-shot functions (Payseal\verify_webhook(), ...) come from src/functions.php.
declare(strict_types=1);

spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'Payseal\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 8)) . '.php';
        if (is_file($file)) {
            require_once $file;
        }
    }
});
require_once __DIR__ . '/src/functions.php';
