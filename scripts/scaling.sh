#!/usr/bin/env bash
# The multi-core curve in one command: shardgate with N workers against N nutcracker processes, for each N.
#
#   scripts/scaling.sh [--cores 1,2,4,8] [--workloads get-p1,get-p16] [--rounds R] [--duration S]
#                      [--sg-transports io_uring] [--out FILE]
#
# For each N: runs scripts/bench.sh with the proxies pinned to CPUs 0..N-1 (--pin-proxy), the load generator and
# the backends to the CPUs left (all of them when none is left, as on this 2-core machine for N = 2: then the
# figure is a shared-core one and says so), shardgate --sg-threads N, nutcracker --nc-procs N (one process per core,
# behind the same clients). nutcracker is single-threaded: the N = 1 row is also "nutcracker, 1 process" at any N.
# The generator gets N event-loop threads (at least 1) so that it is not the limit. Prints per N: ops/s of
# each proxy, ops per CPU-second of the proxy (per-core efficiency), and shardgate's scaling against N × its
# N = 1 figure. N above the machine's core count is skipped. Every bench.sh run keeps its own run/bench-*/ folder.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CORES=1,2,4,8,16
WORKLOADS=get-p1,get-p16
ROUNDS=3
DURATION=5
SG_TRANSPORTS=""
OUT=""

die() { echo "scaling.sh: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --cores) CORES=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --sg-transports) SG_TRANSPORTS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ -z $SG_TRANSPORTS || $SG_TRANSPORTS != *,* ]] || die "--sg-transports: one transport (the curve is per transport)"
TOTAL=$(nproc)
RUN_DIR="$ROOT/run/scaling-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN_DIR"
SG=shardgate
[[ -n $SG_TRANSPORTS ]] && SG=shardgate-$SG_TRANSPORTS

IFS=, read -r -a CORE_LIST <<<"$CORES"
IFS=, read -r -a WORKLOAD_LIST <<<"$WORKLOADS"
RAN=()
for n in "${CORE_LIST[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ ]] || die "--cores: $n is not a core count"
  if [[ $n -gt $TOTAL ]]; then log "N=$n: skipped, this machine has $TOTAL cores"; continue; fi
  proxy_cpus="0-$((n - 1))"
  if [[ $n -lt $TOTAL ]]; then rest="$n-$((TOTAL - 1))"; else rest="0-$((TOTAL - 1))"; fi
  log "N=$n: proxies on CPUs $proxy_cpus, load generator and backends on $rest"
  args=(--workloads "$WORKLOADS" --rounds "$ROUNDS" --duration "$DURATION" --no-redis
        --sg-threads "$n" --nc-procs "$n" --client-threads "$n"
        --pin-proxy "$proxy_cpus" --pin-load "$rest" --pin-backends "$rest"
        --out "$RUN_DIR/bench-$n.md" --summary "$RUN_DIR/summary-$n.tsv")
  [[ -n $SG_TRANSPORTS ]] && args+=(--sg-transports "$SG_TRANSPORTS")
  "$ROOT/scripts/bench.sh" "${args[@]}" >"$RUN_DIR/bench-$n.log" 2>&1 || die "bench.sh failed for N=$n, see $RUN_DIR/bench-$n.log"
  RAN+=("$n")
done
[[ ${#RAN[@]} -gt 0 ]] || die "no core count to run"

# value N WORKLOAD TARGET COLUMN (3 ops/s, 7 CPU s per M requests)
value() { awk -F'\t' -v w="$2" -v t="$3" -v c="$4" '$1 == w && $2 == t { print $c }' "$RUN_DIR/summary-$1.tsv"; }
num() { [[ -n $1 && $1 != - ]]; }
REPORT="$RUN_DIR/report.md"
{
  echo "Scaling, $(date -u +%Y-%m-%d), $TOTAL cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')),"
  echo "shardgate $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')${SG_TRANSPORTS:+ on $SG_TRANSPORTS}; $ROUNDS rounds × $DURATION s, medians."
  [[ ${RAN[-1]} -ge $TOTAL ]] && echo "At N = $TOTAL the proxies share their cores with the generator and the backends."
  echo
  echo "| workload | N | shardgate ops/s | nutcracker × N ops/s | nutcracker × 1 ops/s | sg / nc×N | sg ops per CPU-s | nc ops per CPU-s | sg vs N × its N=1 |"
  echo "|---|--:|--:|--:|--:|--:|--:|--:|--:|"
  for w in "${WORKLOAD_LIST[@]}"; do
    base=$(value "${RAN[0]}" "$w" "$SG" 3)
    nc1=$(value "${RAN[0]}" "$w" nutcracker 3)
    for n in "${RAN[@]}"; do
      sg=$(value "$n" "$w" "$SG" 3); nc=$(value "$n" "$w" nutcracker 3)
      sgc=$(value "$n" "$w" "$SG" 7); ncc=$(value "$n" "$w" nutcracker 7)
      awk -v w="$w" -v n="$n" -v sg="$sg" -v nc="$nc" -v nc1="$nc1" -v sgc="$sgc" -v ncc="$ncc" -v base="$base" \
          -v n0="${RAN[0]}" 'function f(x) { return (x == "" || x == "-") ? "—" : sprintf("%.0f", x) }
        function r(a, b) { return (a == "" || a == "-" || b == "" || b == "-" || b == 0) ? "n/a" : sprintf("%.2f", a / b) }
        BEGIN {
          eff_sg = (sgc == "" || sgc == "-" || sgc <= 0) ? "—" : sprintf("%.0f", 1e6 / sgc)
          eff_nc = (ncc == "" || ncc == "-" || ncc <= 0) ? "—" : sprintf("%.0f", 1e6 / ncc)
          scale = (base == "" || base == "-" || sg == "" || sg == "-") ? "n/a" : sprintf("%.2f", sg / (base * n / n0))
          printf "| %s | %d | %s | %s | %s | %s | %s | %s | %s |\n", w, n, f(sg), f(nc), f(nc1), r(sg, nc), eff_sg, eff_nc, scale
        }'
    done
  done
  echo
  echo "Per-core efficiency: ops per CPU-second the proxy used (all its threads) over the window. Full tables: $RUN_DIR/bench-N.md."
} >"$REPORT"
cat "$REPORT"
[[ -n $OUT ]] && cp "$REPORT" "$OUT"
exit 0
