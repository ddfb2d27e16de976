#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against real memcached, redis-server and
# nutcracker processes that the tests start on free loopback ports, then the packages the build made (the .deb and
# the jlink tarball) installed and run as an operator would (scripts/package-test.sh, as root: it runs dpkg -i).
# Installs the servers with apt-get if missing. Extra arguments go to Maven (e.g. -Dit.test=MemcacheTextProtocolIT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mvn -B -ntp verify "$@"
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo bash scripts/package-test.sh
