#!/usr/bin/env bash
# The whole test suite: unit tests, then integration tests against real memcached, redis-server and
# nutcracker processes that the tests start on free loopback ports. Installs those with apt-get if missing.
# Extra arguments go to Maven (e.g. -Dit.test=MemcacheTextProtocolIT).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
exec mvn -B -ntp verify "$@"
