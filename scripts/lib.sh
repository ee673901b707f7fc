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
