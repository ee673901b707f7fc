<?php
// Router for `php -S 127.0.0.1:PORT ffi-c/php/tests/jwks_server.php`: a JWK Set endpoint that
// counts its requests, for RemoteJwkSet's tests in run.php (no network). State lives in the
// directory $JWKS_STATE: `count` (requests so far), `body` (what to serve), `status` (HTTP
// status, default 200), `sleep` (seconds to wait before answering).
declare(strict_types=1);

$dir = (string) getenv('JWKS_STATE');
$lock = fopen("$dir/count", 'c+');
flock($lock, LOCK_EX);
$count = (int) stream_get_contents($lock) + 1;
ftruncate($lock, 0);
rewind($lock);
fwrite($lock, (string) $count);
flock($lock, LOCK_UN);
fclose($lock);

$sleep = is_file("$dir/sleep") ? (float) file_get_contents("$dir/sleep") : 0.0;
if ($sleep > 0) {
    usleep((int) ($sleep * 1e6));
}
http_response_code(is_file("$dir/status") ? (int) file_get_contents("$dir/status") : 200);
header('Content-Type: application/json');
echo is_file("$dir/body") ? file_get_contents("$dir/body") : '{"keys":[]}';
