<?php
// Conformance through the C ABI and the PHP wrapper: runs every vector file the ABI covers.
// Usage: php -d ffi.enable=1 ffi-c/php/conformance.php [DIR]
//        (DIR defaults to $PAYSEAL_VECTORS, else ../shared/vectors beside the repository)
// Prints one `FILE: N passed, M failed` line per covered file found (after the ids of its
// first failures) and `N passed, M failed` last; exits 1 if anything failed or no file was found.
// An `expect`/`error` value the runner does not know is a failure; unknown fields are ignored.
declare(strict_types=1);

require __DIR__ . '/autoload.php';

use Payseal\Json;
use Payseal\JsonError;

const JS_ERRORS = ['syntax', 'invalid_utf8', 'duplicate_key', 'depth', 'number_range'];
const PHP_ERRORS = [...JS_ERRORS, 'lone_surrogate'];

/** Decodes a `*_b64` field (standard base64 with padding). */
function b64(array $case, string $field): string
{
    if (!isset($case[$field]) || !is_string($case[$field])) {
        throw new UnexpectedValueException("missing `$field`");
    }
    $bytes = base64_decode($case[$field], true);
    if ($bytes === false) {
        throw new UnexpectedValueException("`$field` is not base64");
    }
    return $bytes;
}

/** One json_*.jsonl case: the canonical output, or the error kind. Null when payseal agrees. */
function json_case(array $case, int $dialect, array $knownErrors): ?string
{
    $input = b64($case, 'input_b64');
    $hasOutput = array_key_exists('output_b64', $case);
    $hasError = array_key_exists('error', $case);
    if ($hasOutput === $hasError) {
        return 'line has neither `output_b64` nor `error` (or both)';
    }
    if ($hasError && !in_array($case['error'], $knownErrors, true)) {
        return 'unknown error value ' . json_encode($case['error']);
    }
    try {
        $got = Json::canonicalize($input, $dialect);
    } catch (JsonError $e) {
        if ($hasError) {
            return $e->name() === $case['error'] ? null : "error {$e->name()}, expected {$case['error']}";
        }
        return "error {$e->name()}, expected output " . json_encode(b64($case, 'output_b64'), JSON_INVALID_UTF8_SUBSTITUTE);
    }
    if ($hasError) {
        return 'output ' . json_encode($got, JSON_INVALID_UTF8_SUBSTITUTE) . ", expected error {$case['error']}";
    }
    $want = b64($case, 'output_b64');
    return $got === $want ? null
        : 'output ' . json_encode($got, JSON_INVALID_UTF8_SUBSTITUTE) . ', expected ' . json_encode($want, JSON_INVALID_UTF8_SUBSTITUTE);
}

/** Every vector file the C ABI covers, with its case function. */
$covered = [
    'json_js.jsonl' => fn (array $c) => json_case($c, Json::JS, JS_ERRORS),
    'json_php.jsonl' => fn (array $c) => json_case($c, Json::PHP, PHP_ERRORS),
];

$dir = $argv[1] ?? (getenv('PAYSEAL_VECTORS') ?: dirname(__DIR__, 3) . '/shared/vectors');
$totalPassed = $totalFailed = $files = 0;
foreach ($covered as $file => $run) {
    $path = "$dir/$file";
    if (!is_file($path)) {
        continue;
    }
    $files++;
    $passed = $failed = 0;
    $lines = file($path, FILE_IGNORE_NEW_LINES) ?: [];
    foreach ($lines as $i => $line) {
        if (trim($line) === '') {
            continue;
        }
        $case = json_decode($line, true);
        $id = is_array($case) && is_string($case['id'] ?? null) ? $case['id'] : 'line ' . ($i + 1);
        try {
            $why = is_array($case) ? $run($case) : 'unparsable line';
        } catch (Throwable $e) {
            $why = get_class($e) . ': ' . $e->getMessage();
        }
        if ($why === null) {
            $passed++;
        } else {
            if (++$failed <= 20) {
                echo "  FAIL $file $id: $why\n";
            }
        }
    }
    echo "$file: $passed passed, $failed failed\n";
    $totalPassed += $passed;
    $totalFailed += $failed;
}
if ($files === 0) {
    fwrite(STDERR, "no vector file the C ABI covers in $dir\n");
    $totalFailed++;
}
echo "$totalPassed passed, $totalFailed failed\n";
exit($totalFailed === 0 ? 0 : 1);
