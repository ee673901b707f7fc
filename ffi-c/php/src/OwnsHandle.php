<?php
// The one lifecycle of every object that owns a library handle (a key set, a key, a cache):
// the handle is freed (and zeroised by the library) when the object is destroyed, never
// shared by a clone, never serialised, and the secrets never appear in var_dump/print_r.
declare(strict_types=1);

namespace Payseal;

use FFI\CData;

/**
 * For a class with a C handle. The class calls adopt() in its constructor with the handle and
 * the name of the C function that frees it.
 *
 * @internal
 */
trait OwnsHandle
{
    private CData $handle;
    private string $free;

    /** Takes ownership of $handle, released by the C function $free when this object dies. */
    private function adopt(CData $handle, string $free): void
    {
        $this->handle = $handle;
        $this->free = $free;
    }

    public function __destruct()
    {
        if (isset($this->handle)) {
            Library::ffi()->{$this->free}($this->handle);
        }
    }

    /**
     * A copy would share (and later double-free) the handle. PHP has already made the copy
     * when this runs, and destroys it after the exception: it must not own the handle.
     */
    public function __clone()
    {
        unset($this->handle);
        throw new \LogicException(static::class . ' cannot be cloned');
    }

    /** Handles are never restored from serialized data. */
    public function __unserialize(array $data): void
    {
        throw new \LogicException(static::class . ' cannot be unserialized');
    }

    /** Keys are never serialised. */
    public function __serialize(): array
    {
        throw new \LogicException(static::class . ' cannot be serialized');
    }

    /** @return array<string, string> */
    public function __debugInfo(): array
    {
        return ['secret' => '<redacted>'];
    }
}
