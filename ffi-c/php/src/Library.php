<?php
// Finds and loads libpayseal_ffi through PHP's FFI extension, runs the C ABI's caller-buffer
// convention so that the other classes deal in PHP strings only, and turns result codes into
// exceptions whose class comes from the core's table (payseal_result_class).
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

// Resolved when compiled rather than looked up in the namespace first on every request.
use function ini_get;
use function is_subclass_of;
use function strlen;

/** @internal the wrapper's plumbing; use the classes and functions of the Payseal namespace */
final class Library
{
    /** The ABI generation this wrapper is written for (payseal_abi_version()). */
    public const ABI_VERSION = 1;

    /** Result codes this wrapper itself acts on (the full table: core/codes.json). */
    public const OK = 0;
    public const BUFFER_TOO_SMALL = 1;
    public const INVALID_ARGUMENT = 3;

    /** payseal_last_error_details(): the failure names a header (PAYSEAL_DETAIL_HEADER). */
    private const DETAIL_HEADER = 8;

    /** Output buffers up to this size are kept and reused (wiped after each use). */
    private const KEEP = 65536;

    private static ?FFI $ffi = null;

    /** @var array<string, \FFI\CType> parsed C types: FFI parses a type string on every new() */
    private static array $types = [];

    /** The reused `size_t` out-parameter and output buffer. */
    private static ?CData $written = null;
    private static ?CData $writtenAddr = null;
    private static ?CData $buffer = null;
    private static int $bufferCap = 0;

    /** @var array<int, array{0: string, 1: string, 2: string}> class (in this namespace), name, message of codes Tables::CODES lacks */
    private static array $codes = [];

    /** The FFI scope preload() registers (FFI_SCOPE of the preloaded header). */
    public const SCOPE = 'payseal';

    /** How this request got the library: 'scope' (preloaded) or 'cdef' (parsed here). */
    private static ?string $via = null;

    /**
     * The loaded library: the preloaded scope (preload.php; no parsing, a few microseconds per
     * request) when there is one, else loaded with FFI::cdef on first use (parses the header:
     * some 0.3 ms, once per process under the CLI, once per request under FPM).
     */
    public static function ffi(): FFI
    {
        // With ffi.preload (the way under FPM) the scope is taken without touching this class's
        // statics: PHP sets them up anew in each request, some 1 us when cold, as every FPM
        // request is (measured with hrtime in the requests of scripts/load's endpoint).
        if (ini_get('ffi.preload')) {
            try {
                return FFI::scope(self::SCOPE);
            } catch (\FFI\Exception) {
                // Not this library's scope: load it as without ffi.preload.
            }
        }
        return self::$ffi ?? self::open();
    }

    /** 'scope' when the library came from the preloaded FFI scope, 'cdef' when parsed in-process. */
    public static function via(): string
    {
        self::$ffi ?? self::open();
        return (string) self::$via;
    }

    private static function open(): FFI
    {
        if (extension_loaded('FFI')) {
            try {
                self::$ffi = FFI::scope(self::SCOPE);
                self::$via = 'scope';
                return self::$ffi;
            } catch (\FFI\Exception) {
                // Not preloaded: parse the header in this process.
            }
        }
        self::$ffi = self::load(self::path());
        self::$via = 'cdef';
        return self::$ffi;
    }

    /**
     * Makes sure the FFI scope "payseal" exists, for opcache.preload (ffi-c/php/preload.php).
     * With `ffi.preload` set to a header from scopeHeader() (the way under FPM, whose root master
     * preloads as opcache.preload_user, where PHP refuses FFI::load) the scope already exists
     * and is only checked. Otherwise (a master that is not root: no preload_user) the scoped
     * header is written to a temporary file and loaded with FFI::load, which parses it once for
     * the life of the server.
     */
    public static function preload(?string $path = null): void
    {
        if (!extension_loaded('FFI')) {
            throw new LibraryError('the FFI extension is not loaded');
        }
        try {
            self::checkAbi(FFI::scope(self::SCOPE), 'ffi.preload');
            return;
        } catch (\FFI\Exception) {
            // No ffi.preload: load the scope here.
        }
        $tmp = tempnam(sys_get_temp_dir(), 'payseal-ffi-');
        if ($tmp === false) {
            throw new LibraryError('cannot create a temporary file for the scoped header');
        }
        try {
            $scoped = self::scopeHeader($path);
            if (file_put_contents($tmp, $scoped) !== strlen($scoped)) {
                throw new LibraryError("cannot write $tmp");
            }
            try {
                $ffi = FFI::load($tmp);
            } catch (\FFI\Exception $e) {
                throw new LibraryError('cannot load the FFI scope ' . self::SCOPE . ": {$e->getMessage()} (as opcache.preload_user, set ffi.preload to the header of `php ffi-c/php/scope-header.php`)");
            }
            if (!$ffi instanceof FFI) {
                throw new LibraryError('cannot load the FFI scope ' . self::SCOPE . ' (is this opcache.preload, with ffi.enable=preload or 1?)');
            }
        } finally {
            @unlink($tmp);
        }
        self::checkAbi($ffi, $path ?? self::path());
    }

    /**
     * The header for `ffi.preload` (or FFI::load): `#define FFI_SCOPE "payseal"`, `#define
     * FFI_LIB` with the library's absolute path ($path, default path()), then the macro-free
     * declarations of include/payseal_ffi.h.
     */
    public static function scopeHeader(?string $path = null): string
    {
        $lib = realpath($path ?? self::path());
        if ($lib === false) {
            throw new LibraryError('libpayseal_ffi not found: ' . ($path ?? self::path()));
        }
        if (strpbrk($lib, "\"\n\r") !== false) {
            throw new LibraryError("the library path cannot be written in a C string literal: $lib");
        }
        return '#define FFI_SCOPE "' . self::SCOPE . "\"\n#define FFI_LIB \"$lib\"\n" . self::header();
    }

    /** The macro-free declarations (include/payseal_ffi.h of the package, or ffi-c/include). */
    private static function header(): string
    {
        $header = dirname(__DIR__) . '/include/payseal_ffi.h';
        if (!is_file($header)) {
            $header = dirname(__DIR__, 2) . '/include/payseal_ffi.h';
        }
        $cdef = file_get_contents($header);
        if ($cdef === false) {
            throw new LibraryError("cannot read $header");
        }
        return $cdef;
    }

    private static function checkAbi(FFI $ffi, string $path): void
    {
        $abi = $ffi->payseal_abi_version();
        if ($abi !== self::ABI_VERSION) {
            throw new LibraryError("$path implements ABI $abi, this wrapper ABI " . self::ABI_VERSION);
        }
    }

    /**
     * Where the shared library is: $PAYSEAL_LIB if set, else the one shipped in the Composer
     * package (lib/<os>-<machine>/, e.g. lib/linux-x86_64/libpayseal_ffi.so), else the first
     * that exists of $CARGO_TARGET_DIR/{release,debug} and the repository's target/{release,debug}.
     */
    public static function path(): string
    {
        $explicit = getenv('PAYSEAL_LIB');
        if ($explicit !== false && $explicit !== '') {
            return $explicit;
        }
        $name = match (PHP_OS_FAMILY) {
            'Darwin' => 'libpayseal_ffi.dylib',
            'Windows' => 'payseal_ffi.dll',
            default => 'libpayseal_ffi.so',
        };
        $shipped = dirname(__DIR__) . '/lib/' . strtolower(PHP_OS_FAMILY) . '-' . php_uname('m') . "/$name";
        if (is_file($shipped)) {
            return $shipped;
        }
        $targets = [];
        $cargoTarget = getenv('CARGO_TARGET_DIR');
        if ($cargoTarget !== false && $cargoTarget !== '') {
            $targets[] = $cargoTarget;
        }
        $targets[] = dirname(__DIR__, 3) . '/target';
        foreach ($targets as $target) {
            foreach (['release', 'debug'] as $profile) {
                if (is_file("$target/$profile/$name")) {
                    return "$target/$profile/$name";
                }
            }
        }
        throw new LibraryError("$name not found: set PAYSEAL_LIB or run `cargo build --release -p payseal-ffi`");
    }

    /**
     * Loads the library at $path with the macro-free declarations of include/payseal_ffi.h
     * (inside the Composer package, or ffi-c/include in the repository).
     */
    public static function load(string $path): FFI
    {
        if (!extension_loaded('FFI')) {
            throw new LibraryError('the FFI extension is not loaded');
        }
        try {
            $ffi = FFI::cdef(self::header(), $path);
        } catch (\FFI\Exception $e) {
            throw new LibraryError("cannot load $path: {$e->getMessage()} (ffi.enable=1, or preload.php as opcache.preload under ffi.enable=preload)");
        }
        self::checkAbi($ffi, $path);
        return $ffi;
    }

    /**
     * A new C value of $type ('size_t', 'PaysealBytes', ...), or an array of $count of them.
     * The parsed type is cached: parsing a type string costs more than the allocation.
     */
    public static function make(string $type, ?int $count = null): CData
    {
        $ctype = self::$types[$type] ??= self::ffi()->type($type);
        return self::ffi()->new($count === null ? $ctype : FFI::arrayType($ctype, [$count]));
    }

    /**
     * A copy of $bytes in C memory, for pointers inside structs (PHP strings can only be
     * passed as direct arguments). Wipe it with wipe() when it held a secret.
     */
    public static function copy(string $bytes): ?CData
    {
        $n = strlen($bytes);
        if ($n === 0) {
            return null;
        }
        $buf = self::make('char', $n);
        FFI::memcpy($buf, $bytes, $n);
        return $buf;
    }

    /** Overwrites a copy() with zeros. */
    public static function wipe(?CData $buf): void
    {
        if ($buf !== null) {
            FFI::memset($buf, 0, FFI::sizeof($buf));
        }
    }

    /** The address of byte $offset of a copy(), or NULL for a span of $len = 0 bytes. */
    public static function at(?CData $buf, int $offset = 0, int $len = 1): ?CData
    {
        return $buf === null || $len === 0 ? null : FFI::addr($buf[$offset]);
    }

    /** A static `(ptr, len)` span written by the library (names), as a PHP string. */
    public static function span(CData $ptr, CData $len): string
    {
        return FFI::string($ptr, (int) $len->cdata);
    }

    /** @var array<string, int> names the core has parsed, by kind and name */
    private static array $names = [];

    /** A Paylands mode's C number from its name ("notification", "response"), parsed by the core. */
    public static function paylandsMode(string $name): int
    {
        return self::$names["mode:$name"] ??= self::parse(fn ($out) => self::ffi()->payseal_paylands_mode_from_name($name, strlen($name), $out));
    }

    /** A Paylands flag set's C number from its name ("default", "unescaped", "auto"), parsed by the core. */
    public static function paylandsFlags(string $name): int
    {
        return self::$names["flags:$name"] ??= self::parse(fn ($out) => self::ffi()->payseal_paylands_flags_from_name($name, strlen($name), $out));
    }

    /** The core's name of a Paylands flag set number. */
    public static function paylandsFlagsName(int $flags): string
    {
        static $cache = [];
        if (!isset($cache[$flags])) {
            $ptr = self::make('char*');
            $len = self::make('size_t');
            self::check(self::ffi()->payseal_paylands_flags_name($flags, FFI::addr($ptr), FFI::addr($len)));
            $cache[$flags] = self::span($ptr, $len);
        }
        return $cache[$flags];
    }

    /**
     * A JSON dialect's C number and flags from its name ("js", "php") and PHP's flags, parsed
     * by the core (Dialect::from_name).
     *
     * @return array{0: int, 1: int}
     */
    public static function dialect(string $name, bool $unescapedSlashes, bool $unescapedUnicode): array
    {
        static $cache = [];
        $key = "$name:" . (int) $unescapedSlashes . (int) $unescapedUnicode;
        if (!isset($cache[$key])) {
            $dialect = self::make('uint32_t');
            $flags = self::make('uint32_t');
            self::check(self::ffi()->payseal_json_dialect_from_name($name, strlen($name), $unescapedSlashes, $unescapedUnicode, FFI::addr($dialect), FFI::addr($flags)));
            $cache[$key] = [$dialect->cdata, $flags->cdata];
        }
        return $cache[$key];
    }

    /** Runs a `*_from_name` call with a `uint32_t` out-parameter and returns it. */
    private static function parse(callable $call): int
    {
        $out = self::make('uint32_t');
        self::check($call(FFI::addr($out)));
        return $out->cdata;
    }

    /** The library's version string. */
    public static function version(): string
    {
        return self::ffi()->payseal_version();
    }

    /** Throws the PaysealError for a non-zero result code of the call just made. */
    public static function check(int $code): void
    {
        if ($code !== self::OK) {
            throw self::error($code);
        }
    }

    /**
     * The exception for result $code: the class the core's table names for it
     * (payseal_result_class; Tables::CODES holds the library's answers for every code of
     * core/codes.json, so only a code newer than this wrapper is asked for), with the details
     * of this thread's last failure (payseal_last_error_value) when $fresh (the call that returned
     * $code was the last one made).
     */
    public static function error(int $code, bool $fresh = true): PaysealError
    {
        [$class, $message, $name, $details] = self::failure($code, $fresh);
        return new $class($message, $code, $name, $details);
    }

    /**
     * error()'s exception as its parts: class, message, name and details, for a caller that
     * throws it itself (`throw new $class($message, $code, $name, $details)`), so that the
     * exception's trace (made when it is constructed, and costly under FPM, where it is made
     * cold on every rejected delivery) has no frame of this class. $ffi: the caller's ffi().
     *
     * @return array{0: class-string<PaysealError>, 1: string, 2: string, 3: array<string, int|string>}
     */
    public static function failure(int $code, bool $fresh = true, ?FFI $ffi = null): array
    {
        $ffi ??= self::ffi();
        [$class, $name, $message] = Tables::CODES[$code] ?? self::$codes[$code] ??= self::describe($code);
        $class = __NAMESPACE__ . '\\' . $class;
        $details = [];
        // Most rejections carry no detail (bad_signature) or a header's name (missing_header,
        // malformed_header): one call says which, a second gives the name as a string, and
        // reading the struct (by value: no C struct to make) is left to the other details.
        $which = $fresh ? $ffi->payseal_last_error_details() : 0;
        $header = $which === self::DETAIL_HEADER ? $ffi->payseal_last_error_header() : null;
        if ($header !== null) {
            $details['header'] = $header;
            $message .= ": $header";
        } elseif ($which !== 0) {
            $d = $ffi->payseal_last_error_value();
            if ($d->code === $code) {
                if ($d->has_offset) {
                    $details['offset'] = (int) $d->offset;
                    $message .= " at byte {$d->offset}";
                }
                if ($d->has_expires_at) {
                    $details['expires_at'] = (int) $d->expires_at;
                    $message .= " (expired at {$d->expires_at})";
                }
                if ($d->has_needed) {
                    $details['needed'] = (int) $d->needed;
                }
                if ($d->header_len > 0) {
                    $details['header'] = FFI::string($d->header, $d->header_len);
                    $message .= ": {$details['header']}";
                }
                if ($d->reason_len > 0) {
                    $details['reason'] = FFI::string($d->reason, $d->reason_len);
                    $message .= " ({$details['reason']})";
                }
            }
        }
        return [$class, $message, $name, $details];
    }

    /**
     * A code Tables::CODES lacks (a library newer than this wrapper), as the library describes
     * it; a class this wrapper does not have becomes PaysealError.
     *
     * @return array{0: string, 1: string, 2: string} class (without namespace), name, message
     */
    private static function describe(int $code): array
    {
        $ffi = self::ffi();
        $class = $ffi->payseal_result_class($code);
        if (!is_subclass_of(__NAMESPACE__ . "\\$class", PaysealError::class)) {
            $class = 'PaysealError';
        }
        return [$class, $ffi->payseal_result_name($code), $ffi->payseal_result_describe($code)];
    }

    /** An error the wrapper raises itself (a PHP argument the C ABI would refuse). */
    public static function invalid(string $message): InvalidInputError
    {
        return new InvalidInputError($message, self::INVALID_ARGUMENT, 'invalid_argument');
    }

    /**
     * Runs a function with an output buffer and returns what it wrote. $call receives
     * ($out, $outCap, $outWritten) and returns the result code; $guess is the first buffer
     * size tried (exact for fixed-size outputs); a PAYSEAL_BUFFER_TOO_SMALL is retried once
     * with the size the library asked for. The buffer and the `size_t` are reused across
     * calls (the bytes are wiped after copying out: outputs may be secret).
     *
     * @param callable(?CData, int, CData): int $call
     */
    public static function output(callable $call, int $guess): string
    {
        if (self::$written === null) {
            self::$written = self::make('size_t');
            self::$writtenAddr = FFI::addr(self::$written);
        }
        $cap = max($guess, 1);
        for ($attempt = 0; ; $attempt++) {
            if ($cap > self::$bufferCap) {
                $buf = self::make('char', $cap);
                if ($cap <= self::KEEP) {
                    [self::$buffer, self::$bufferCap] = [$buf, $cap];
                }
            } else {
                $buf = self::$buffer;
            }
            $code = $call($buf, $cap, self::$writtenAddr);
            $n = self::$written->cdata;
            if ($code === self::OK) {
                if ($n === 0) {
                    return '';
                }
                $bytes = FFI::string($buf, $n);
                FFI::memset($buf, 0, $n);
                return $bytes;
            }
            if ($code !== self::BUFFER_TOO_SMALL || $attempt > 0) {
                throw self::error($code);
            }
            $cap = $n;
        }
    }
}
