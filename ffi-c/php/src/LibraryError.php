<?php
// The library could not be found or loaded: a deployment problem, not an outcome of payseal's
// table, so it is not a PaysealError.
declare(strict_types=1);

namespace Payseal;

/** libpayseal_ffi could not be found or loaded, or it implements another ABI generation. */
class LibraryError extends \RuntimeException
{
}
