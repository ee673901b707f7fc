# Shared helpers for the scripts: set-up steps are idempotent and quiet when already done.
step() { printf '\n==> %s\n' "$*"; }

# apt_install PKG...: installs Debian packages that are missing (root, as on these machines).
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if [ ! -f /tmp/.payseal-apt-updated ]; then $sudo apt-get update -qq && touch /tmp/.payseal-apt-updated; fi
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

# fpm_deploy LIBRARY: deploys the PHP wrapper as a server is (scripts/test-fpm.sh, scripts/load).
# FPM's workers run as www-data, and a checkout may sit where they cannot read (under /root, say):
# copies ffi-c/php, ffi-c/include and LIBRARY (libpayseal_ffi.so) into a new folder of its own,
# readable by all, writes the scoped header once and php.ini from ffi-c/php/fpm.ini's lines (each
# checked to be key=value) with @ROOT@ pointing there. Run from the repository root. Sets $work
# (the folder, mode 1777: the workers write their error log there; php.ini is $work/php.ini,
# PHP's errors go to $work/php-errors.log), $root (@ROOT@) and $lib (the library's copy).
fpm_deploy() {
  local built="$1" line key
  work="$(mktemp -d /tmp/payseal-fpm.XXXXXX)"
  chmod 1777 "$work"
  root="$work/app"
  mkdir -p "$root/ffi-c" "$root/lib"
  cp -r ffi-c/php ffi-c/include "$root/ffi-c/"
  rm -f "$root/ffi-c/php/payseal-scope.h"
  cp "$built" "$root/lib/"
  lib="$root/lib/$(basename "$built")"
  chmod -R a+rX "$root"
  # What a deployment does: write the scoped header once, then use fpm.ini's lines as php.ini.
  php "$root/ffi-c/php/scope-header.php" "$lib" >"$root/ffi-c/php/payseal-scope.h"
  chmod 644 "$root/ffi-c/php/payseal-scope.h"
  while IFS= read -r line; do
    [[ "$line" =~ ^[a-z_.]+=[^[:space:]]+$ ]] || { echo "fpm.ini: not key=value: $line" >&2; return 1; }
  done < <(grep -v -e '^;' -e '^$' "$root/ffi-c/php/fpm.ini")
  for key in opcache.enable ffi.enable ffi.preload opcache.preload opcache.preload_user; do
    grep -q "^$key=" "$root/ffi-c/php/fpm.ini" || { echo "fpm.ini lacks $key" >&2; return 1; }
  done
  { sed "s|@ROOT@|$root|g" "$root/ffi-c/php/fpm.ini"; echo "error_log=$work/php-errors.log"; } >"$work/php.ini"
}
