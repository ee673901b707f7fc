<?php
// The Payseal wrapper for PHP-FPM (and any SAPI with opcache): use this file as opcache.preload.
//
//   opcache.enable=1
//   opcache.preload=/path/to/ffi-c/php/preload.php
//   opcache.preload_user=www-data        ; required when the master runs as root
//   ffi.enable=preload                   ; FPM's default: FFI only from preloaded code
//
// (ffi-c/php/fpm.ini lists the lines; ffi-c/README.md, section "PHP-FPM", explains them.)
//
// At server start this script, run once by the master process:
//  1. loads libpayseal_ffi with the wrapper's declarations as the FFI scope "payseal"
//     (FFI::load of a header carrying `#define FFI_SCOPE "payseal"` and the library's path as
//     FFI_LIB). The header is parsed here, once; every request of every worker then gets the
//     parsed declarations with FFI::scope("payseal") (a hash lookup, no parsing), which is also
//     what `ffi.enable=preload` permits outside preloading;
//  2. compiles and links every class and function of the Payseal namespace into opcache's shared
//     memory, so requests load no wrapper file at all.
//
// The library is found as at run time (Payseal\Library::path()): $PAYSEAL_LIB in the master's
// environment (not the pool's: preloading runs before any pool exists), else the library shipped
// in the Composer package, else the repository's target/{release,debug}.
declare(strict_types=1);

require __DIR__ . '/autoload.php';

Payseal\Library::preload();

foreach (glob(__DIR__ . '/src/*.php') ?: [] as $file) {
    $name = 'Payseal\\' . basename($file, '.php');
    if ($name !== 'Payseal\\functions') {
        // Autoload (and so link) each class, trait and interface: opcache preloads only what
        // is linked.
        class_exists($name) || trait_exists($name) || interface_exists($name);
    }
}
