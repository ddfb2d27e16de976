#!/usr/bin/env bash
# Installs the real servers the tests and the demo run (memcached, redis-server, nutcracker), libmemcached's
# conformance suite (memccapable, from libmemcached-tools), logrotate (for scripts/package-test.sh) and the headless
# browser the status page's browser test drives (chromium, with Debian's chromedriver) with apt-get, only where one is
# missing. Debian would start a service for each new package; policy-rc.d stops that, so
# nothing ends up listening on 11211 or 6379 behind the tests' back.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/usr/bin/$1" ]; }

missing=()
# program:package
for need in memcached:memcached redis-server:redis-server nutcracker:nutcracker memccapable:libmemcached-tools \
    logrotate:logrotate chromium:chromium chromedriver:chromium-driver; do
    have "${need%%:*}" || missing+=("${need#*:}")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo=sudo
fi

echo "installing ${missing[*]} with apt-get"
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    made_policy=yes
fi
trap '[ -n "$made_policy" ] && $sudo rm -f "$policy"' EXIT
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
