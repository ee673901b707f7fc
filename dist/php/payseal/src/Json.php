<?php
// Canonical JSON, byte for byte as JavaScript's JSON.stringify(JSON.parse(x)) or PHP's own
// json_encode(json_decode(x, true), $flags) prints it, with a verifier's strictness (duplicate
// keys, invalid UTF-8, overflowing numbers and excessive depth are errors).
declare(strict_types=1);

namespace Payseal;

final class Json
{
    /** JSON.stringify(JSON.parse(x)) (PAYSEAL_JSON_JS). */
    public const JS = 0;
    /** json_encode(json_decode(x, true), $flags) (PAYSEAL_JSON_PHP). */
    public const PHP = 1;

    /**
     * The canonical form of $json. $flags (PHP dialect only) takes PHP's own
     * JSON_UNESCAPED_SLASHES and JSON_UNESCAPED_UNICODE.
     *
     * @throws JsonError (JsonSyntax, JsonDuplicateKey, ...; offset() says where)
     * @throws InvalidArgument for an unknown dialect or flag
     */
    public static function canonicalize(string $json, int $dialect = self::JS, int $flags = 0): string
    {
        $ffi = Library::ffi();
        $n = strlen($json);
        return Library::output(
            fn ($out, $cap, $w) => $ffi->payseal_json_canonicalize($dialect, $flags, $json, $n, $out, $cap, $w),
            $n + 64,
        );
    }

    /** JSON.stringify(JSON.parse($json)). @throws JsonError */
    public static function js(string $json): string
    {
        return self::canonicalize($json, self::JS);
    }

    /** json_encode(json_decode($json, true), $flags). @throws JsonError */
    public static function php(string $json, int $flags = 0): string
    {
        return self::canonicalize($json, self::PHP, $flags);
    }

    /** The length in bytes of the canonical form. @throws JsonError */
    public static function canonicalLength(string $json, int $dialect = self::JS, int $flags = 0): int
    {
        $ffi = Library::ffi();
        $len = Library::make('size_t');
        $code = $ffi->payseal_json_canonical_len($dialect, $flags, $json, strlen($json), \FFI::addr($len));
        Library::check($code, (int) $len->cdata);
        return (int) $len->cdata;
    }
}
