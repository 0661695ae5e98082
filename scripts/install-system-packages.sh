#!/usr/bin/env bash
# Install the Debian packages listed in scripts/system-packages.txt, once, as root with apt.
# Not root or no apt: say so and go on (features needing them record a clear reason).
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pkgs=$(sed -e 's/#.*//' "$here/system-packages.txt" | tr -s ' \n' ' ')
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system packages missing (run make install as root to get them):$missing" >&2
  exit 0
fi
echo "installing system packages:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q --no-install-recommends $missing >/tmp/apt-install.log 2>&1 \
  || { apt-get update -q >/dev/null 2>&1 && apt-get install -y -q --no-install-recommends $missing >/tmp/apt-install.log 2>&1; } \
  || { echo "apt-get install failed, see /tmp/apt-install.log" >&2; tail -5 /tmp/apt-install.log >&2; exit 1; }
