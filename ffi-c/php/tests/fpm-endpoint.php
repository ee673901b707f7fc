<?php
// The endpoint scripts/test-fpm.sh calls through php-fpm (FastCGI): it reports how this request
// got the library and what that cost, and checks an API secret through the shared cache.
//
//   ?probe=load    {"via": "scope"|"cdef", "load_us": ...}: the first Library::ffi() of the request
//   ?probe=secret  the Authorization bearer secret against the hash in $PAYSEAL_TEST_HASH_FILE through
//                  SecretVerifier::shared(): 200 {"ok": true, "verify_us", "hits", "misses", "pid"},
//                  401 {"error": code} for a wrong secret
//   ?probe=redis   the same through SecretVerifier::shared() backed by the Redis at the request's
//                  PAYSEAL_REDIS_URL with the cache key PAYSEAL_CACHE_KEY_HEX (FastCGI params, so
//                  that the test needs no new env[] line): 200 {"ok", "verify_us", "request_us"
//                  (shared() and verify()), "hits", "store_hits", "misses", "pid"}, 401 as above
declare(strict_types=1);

require __DIR__ . '/../autoload.php';

use Payseal\Library;
use Payseal\SecretVerifier;
use Payseal\VerificationError;

$t0 = hrtime(true);
$via = Library::via();
$loadUs = (hrtime(true) - $t0) / 1e3;

header('Content-Type: application/json');
switch ($_GET['probe'] ?? '') {
    case 'load':
        echo json_encode(['via' => $via, 'load_us' => $loadUs, 'pid' => getmypid()]), "\n";
        break;
    case 'secret':
        $secret = (string) preg_replace('/^Bearer /', '', (string) ($_SERVER['HTTP_AUTHORIZATION'] ?? ''));
        $hash = trim((string) file_get_contents((string) getenv('PAYSEAL_TEST_HASH_FILE')));
        $verifier = SecretVerifier::shared('fpm-test', 1000, 300);
        $t0 = hrtime(true);
        try {
            $verifier->verify($secret, $hash);
        } catch (VerificationError $e) {
            http_response_code(401);
            echo json_encode(['error' => $e->code()]), "\n";
            break;
        }
        $verifyUs = (hrtime(true) - $t0) / 1e3;
        echo json_encode(['ok' => true, 'verify_us' => $verifyUs, 'hits' => $verifier->hits(), 'misses' => $verifier->misses(),
            'via' => $via, 'load_us' => $loadUs, 'pid' => getmypid()]), "\n";
        break;
    case 'redis':
        $secret = (string) preg_replace('/^Bearer /', '', (string) ($_SERVER['HTTP_AUTHORIZATION'] ?? ''));
        $hash = trim((string) file_get_contents((string) getenv('PAYSEAL_TEST_HASH_FILE')));
        $t0 = hrtime(true);
        $verifier = SecretVerifier::shared('fpm-redis', 1000, 300, (string) $_SERVER['PAYSEAL_REDIS_URL'], (string) hex2bin((string) $_SERVER['PAYSEAL_CACHE_KEY_HEX']));
        $t1 = hrtime(true);
        try {
            $verifier->verify($secret, $hash);
        } catch (VerificationError $e) {
            http_response_code(401);
            echo json_encode(['error' => $e->code()]), "\n";
            break;
        }
        $t2 = hrtime(true);
        echo json_encode(['ok' => true, 'verify_us' => ($t2 - $t1) / 1e3, 'request_us' => ($t2 - $t0) / 1e3, 'hits' => $verifier->hits(),
            'store_hits' => $verifier->storeHits(), 'misses' => $verifier->misses(), 'pid' => getmypid()]), "\n";
        break;
    default:
        http_response_code(404);
        echo json_encode(['error' => 'unknown probe']), "\n";
}
