<?php
// Writes the header for php.ini's `ffi.preload`: the wrapper's declarations as the FFI scope
// "payseal", with FFI_LIB the absolute path of libpayseal_ffi (found as at run time: $PAYSEAL_LIB,
// the Composer package's lib/, the repository's target/{release,debug}; or the first argument).
//
//   php ffi-c/php/scope-header.php [LIB] > /etc/php/payseal.h    # then ffi.preload=/etc/php/payseal.h
//
// Regenerate it whenever the library moves or is upgraded to a new header.
declare(strict_types=1);

require __DIR__ . '/autoload.php';

echo Payseal\Library::scopeHeader($argv[1] ?? null);
