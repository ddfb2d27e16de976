#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against real memcached, redis-server and
# nutcracker processes that the tests start on free loopback ports; a 2-minute soak of the jars it built
# (scripts/soak.sh: memory flat, no failure outside its faults, every reply verified; SOAK_SECONDS=0 skips it); then
# the packages the build made (the .deb and the jlink tarball) installed and run as an operator would
# (scripts/package-test.sh, as root: it runs dpkg -i). Installs the servers with apt-get if missing. Extra arguments
# go to Maven (e.g. -Dit.test=MemcacheTextProtocolIT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
mvn -B -ntp verify "$@"
if [[ ${SOAK_SECONDS:-120} -gt 0 ]]; then
  bash scripts/soak.sh --no-build --duration "${SOAK_SECONDS:-120}" --fault-every 30 --warmup 45 \
    --out "run/soak-ci-$(date +%Y%m%d-%H%M%S)"
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo=sudo
$sudo bash scripts/package-test.sh
