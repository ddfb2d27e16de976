#!/usr/bin/env bash
# The chaos run, long: shardgate (bin/shardgate, its own process) in front of four real backends on loopback ports
# (two reached directly, two through a fault-injecting relay), a closed-loop load of gets, multi-key gets and sets
# with versioned values, every reply verified, and every fault in turn, --rounds times, for a memcached pool and then
# a redis pool: kill -9 and restart empty, SIGSTOP/SIGCONT, connections reset mid-reply, replies delayed below and
# beyond the timeout, garbage instead of replies.
#
#   scripts/chaos.sh [--rounds N] [--no-build] [--out DIR] [other options of io.shardgate.bench.chaos.ChaosMain]
#
# Defaults: 5 rounds per pool, timeout 300 ms, --proxy-threads 2, --client-threads 2, 8 connections x pipeline 4.
# Verdicts per fault: no mismatched reply, no failure the fault does not explain, every request answered within the
# timeout + 50 ms, the healthy servers served throughout, throughput after recovery at least --recovery-ratio (0.8)
# of before. Exits 0 when both pools passed. Logs and configs go to DIR (default run/chaos-<timestamp>/).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
OUT="run/chaos-$(date +%Y%m%d-%H%M%S)"
BUILD=1
ROUNDS=5
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) OUT=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --no-build) BUILD=0; shift ;;
    -h|--help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) ARGS+=("$1"); shift ;;
  esac
done
JAR=bench/target/shardgate-bench.jar
if [[ $BUILD == 1 || ! -f $JAR || ! -f proxy/target/shardgate.jar ]]; then
  mvn -B -ntp -q -DskipTests package -pl bench -am
fi
mkdir -p "$OUT/jars"
cp "$JAR" proxy/target/shardgate.jar "$OUT/jars/"
export SHARDGATE_JAR="$OUT/jars/shardgate.jar"
status=0
for protocol in memcache redis; do
  echo "chaos: $protocol pool, $ROUNDS rounds, writing to $OUT/$protocol" >&2
  java -Xmx512m -cp "$OUT/jars/shardgate-bench.jar" io.shardgate.bench.chaos.ChaosMain --protocol "$protocol" \
    --rounds "$ROUNDS" --launcher "$ROOT/bin/shardgate" --out "$OUT/$protocol" "${ARGS[@]}" \
    | tee "$OUT/$protocol.txt" || status=1
done
exit $status
