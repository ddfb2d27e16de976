#!/usr/bin/env bash
# A soak: shardgate (bin/shardgate, its own process, --threads 2) in front of 3 memcached and 2 redis-server on
# loopback ports, under a steady mixed load with every reply verified (memcached gets, 10-key multigets, sets,
# 100 KiB values; redis GET, MGET, SET, 16 KiB values), a fault every few minutes (a backend killed and started
# again empty, one frozen with SIGSTOP), sampling the proxy's RSS, heap, direct memory, open files, GC time and the
# clients' p99 every few seconds.
#
#   scripts/soak.sh [--duration S] [--fault-every S] [--warmup S] [--sample-every S] [--out DIR] [--no-build]
#                   [other options of io.shardgate.bench.soak.SoakMain, see --help]
#
# Defaults: one hour, a fault every 5 minutes, the first 5 minutes not judged for memory. Writes samples.csv,
# soak.png, summary.md and every process's log to DIR (default run/soak-<timestamp>/, git-ignored). Exits 0 when
# every verdict passed: no mismatched reply, no failure outside a fault, no client connection lost, memory within the
# band. Every process it starts is ended by its PID (the soak itself ends its backends and the proxy).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT="run/soak-$(date +%Y%m%d-%H%M%S)"
BUILD=1
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
JAR=bench/target/shardgate-bench.jar
if [[ $BUILD == 1 || ! -f $JAR || ! -f proxy/target/shardgate.jar ]]; then
  mvn -B -ntp -q -DskipTests package -pl bench -am
fi
mkdir -p "$OUT/jars"
# run from copies: a build during a long soak must not rewrite the jars under the running JVMs
cp "$JAR" proxy/target/shardgate.jar "$OUT/jars/"
echo "soak: writing to $OUT" >&2
export SHARDGATE_JAR="$OUT/jars/shardgate.jar"
exec java -Xmx512m -Djava.awt.headless=true -cp "$OUT/jars/shardgate-bench.jar" io.shardgate.bench.soak.SoakMain \
  --out "$OUT" --launcher "$ROOT/bin/shardgate" "${ARGS[@]}"
