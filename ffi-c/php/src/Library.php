<?php
// Finds and loads libpayseal_ffi through PHP's FFI extension, and runs the C ABI's
// caller-buffer convention so that the other classes deal in PHP strings only.
declare(strict_types=1);

namespace Payseal;

use FFI;
use FFI\CData;

final class Library
{
    /** The ABI generation this wrapper is written for (payseal_abi_version()). */
    public const ABI_VERSION = 1;

    /** Result codes this wrapper itself acts on (the full table: include/payseal.h). */
    public const OK = 0;
    public const BUFFER_TOO_SMALL = 1;

    private static ?FFI $ffi = null;

    /** @var array<string, FFI\CType> parsed C types: FFI parses a type string on every new() */
    private static array $types = [];

    /** The loaded library (loaded on first use). */
    public static function ffi(): FFI
    {
        return self::$ffi ??= self::load(self::path());
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
        throw new LibraryError(
            "$name not found: set PAYSEAL_LIB or run `cargo build --release -p payseal-ffi`",
            -1,
            'library',
        );
    }

    /**
     * Loads the library at $path with the macro-free declarations of include/payseal_ffi.h
     * (inside the Composer package, or ffi-c/include in the repository).
     */
    public static function load(string $path): FFI
    {
        if (!extension_loaded('FFI')) {
            throw new LibraryError('the FFI extension is not loaded', -1, 'library');
        }
        $header = dirname(__DIR__) . '/include/payseal_ffi.h';
        if (!is_file($header)) {
            $header = dirname(__DIR__, 2) . '/include/payseal_ffi.h';
        }
        $cdef = file_get_contents($header);
        try {
            $ffi = FFI::cdef((string) $cdef, $path);
        } catch (\FFI\Exception $e) {
            throw new LibraryError("cannot load $path: {$e->getMessage()} (is ffi.enable=1?)", -1, 'library');
        }
        $abi = $ffi->payseal_abi_version();
        if ($abi !== self::ABI_VERSION) {
            throw new LibraryError("$path implements ABI $abi, this wrapper ABI " . self::ABI_VERSION, -1, 'library');
        }
        return $ffi;
    }

    /**
     * A new C value of $type ('size_t', 'PaysealHeader', ...), or an array of $count of them.
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

    /** The library's version string. */
    public static function version(): string
    {
        return self::ffi()->payseal_version();
    }

    /** Throws the Error for a non-zero result code. */
    public static function check(int $code, int $written = 0): void
    {
        if ($code !== self::OK) {
            throw Error::fromResult($code, $written);
        }
    }

    /**
     * Runs a function with an output buffer and returns what it wrote. $call receives
     * ($out, $outCap, $outWritten) and returns the result code; $guess is the first buffer
     * size tried (exact for fixed-size outputs); a PAYSEAL_BUFFER_TOO_SMALL is retried once
     * with the size the library asked for.
     *
     * @param callable(?CData, int, CData): int $call
     */
    public static function output(callable $call, int $guess): string
    {
        $ffi = self::ffi();
        $written = self::make('size_t');
        $cap = $guess;
        for ($attempt = 0; ; $attempt++) {
            $buf = $cap > 0 ? self::make('char', $cap) : null;
            $code = $call($buf, $cap, FFI::addr($written));
            $n = (int) $written->cdata;
            if ($code === self::OK) {
                return $n > 0 ? FFI::string($buf, $n) : '';
            }
            if ($code !== self::BUFFER_TOO_SMALL || $attempt > 0) {
                throw Error::fromResult($code, $n);
            }
            $cap = $n;
        }
    }
}
