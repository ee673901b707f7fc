<?php
// Hex and base64url (unpadded), as payseal writes and reads them on the wire.
declare(strict_types=1);

namespace Payseal;

final class Encoding
{
    /** Lowercase hex of $bytes. */
    public static function hexEncode(string $bytes): string
    {
        $ffi = Library::ffi();
        $n = strlen($bytes);
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_hex_encode($bytes, $n, $out, $cap, $w), 2 * $n);
    }

    /** Bytes of $hex (either case). @throws InvalidEncoding */
    public static function hexDecode(string $hex): string
    {
        $ffi = Library::ffi();
        $n = strlen($hex);
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_hex_decode($hex, $n, $out, $cap, $w), intdiv($n, 2));
    }

    /** Unpadded base64url (RFC 4648 §5) of $bytes. */
    public static function base64urlEncode(string $bytes): string
    {
        $ffi = Library::ffi();
        $n = strlen($bytes);
        $size = intdiv(4 * $n + 2, 3);
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_base64url_encode($bytes, $n, $out, $cap, $w), $size);
    }

    /** Bytes of base64url text (padding optional, but correct if present). @throws InvalidEncoding */
    public static function base64urlDecode(string $text): string
    {
        $ffi = Library::ffi();
        $n = strlen($text);
        $size = intdiv(3 * $n, 4) + 3;
        return Library::output(fn ($out, $cap, $w) => $ffi->payseal_base64url_decode($text, $n, $out, $cap, $w), $size);
    }
}
