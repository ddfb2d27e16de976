#!/usr/bin/env bash
# Resident memory of shardgate at idle and at its peak under each workload, for several JVM option sets.
#
#   scripts/memory.sh [--variant 'NAME=JAVA OPTIONS' ...] [--workloads get-p1,value-100k,...] [--duration S]
#                     [--no-nutcracker] [--nmt] [--out FILE]
#
# Starts 4 memcached backends and, one variant at a time, shardgate (bin/shardgate --threads 1, the pool file
# scripts/bench.sh uses) with the variant's options added to the launcher's (JAVA_OPTS_EXTRA). For each: RSS at
# idle 3 s after start (VmRSS, split into anonymous and file-backed), then per workload the peak (VmHWM, reset
# before the workload through /proc/PID/clear_refs) over a run of S seconds (default 5; the keys are preloaded
# through the first proxy measured, and that one's peak includes the preload). nutcracker
# is measured the same way as the reference. --nmt adds -XX:NativeMemoryTracking=summary and saves
# `jcmd PID VM.native_memory summary` after the last workload. Without --variant: the launcher's defaults only.
#
# Example (each lever alone):
#   scripts/memory.sh --variant 'defaults=' --variant 'c1=-XX:TieredStopAtLevel=1' \
#                     --variant 'arena1=-Dio.netty.allocator.numDirectArenas=1'
#
# Every process started here is ended by its PID on exit. Raw outputs stay in run/memory-<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VARIANTS=()
WORKLOADS=get-p1,mget-100,value-100k,idle-1000
DURATION=5
NUTCRACKER_TOO=1
NMT=0
OUT=""
JAR="$ROOT/bench/target/shardgate-bench.jar"

die() { echo "memory.sh: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --variant) [[ $2 == *=* ]] || die "--variant takes NAME=OPTIONS"; VARIANTS+=("$2"); shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --no-nutcracker) NUTCRACKER_TOO=0; shift ;;
    --nmt) NMT=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=("defaults=")
for tool in java jq ss memcached; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
NUTCRACKER=$(command -v nutcracker || echo /usr/sbin/nutcracker)
[[ $NUTCRACKER_TOO == 0 || -x $NUTCRACKER ]] || die "nutcracker is not installed (or --no-nutcracker)"
[[ -f $JAR && -f $ROOT/proxy/target/shardgate.jar ]] || die "build first: mvn -DskipTests package"

RUN_DIR="$ROOT/run/memory-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN_DIR"

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 0.5
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
USED_PORTS=" "
free_port() {
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 40000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]]; then USED_PORTS+="$p "; printf -v "$1" '%s' "$p"; return 0; fi
  done
  die "no free port found"
}
wait_port() {
  local i
  for i in $(seq 1 200); do port_open "$1" && return 0; kill -0 "$2" 2>/dev/null || return 1; sleep 0.1; done
  return 1
}
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
mib() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }

MEMCACHED_USER=()
[[ $EUID == 0 ]] && MEMCACHED_USER=(-u root)
MC_PORTS=()
for i in 1 2 3 4; do
  free_port port
  memcached "${MEMCACHED_USER[@]}" -l 127.0.0.1 -p "$port" -U 0 -t 1 -m 256 -c 4096 >"$RUN_DIR/memcached-$i.log" 2>&1 &
  PIDS+=("$!")
  wait_port "$port" "$!" || die "memcached $i did not start"
  MC_PORTS+=("$port")
done

pool_config() { # FILE LISTEN_PORT
  {
    echo "memcache:"
    echo "  listen: 127.0.0.1:$2"
    echo "  hash: fnv1a_64"
    echo "  distribution: ketama"
    echo "  timeout: 5000"
    echo "  backlog: 1024"
    echo "  preconnect: true"
    echo "  auto_eject_hosts: false"
    echo "  server_connections: 1"
    echo "  servers:"
    local i=1
    for p in "${MC_PORTS[@]}"; do echo "   - 127.0.0.1:$p:1 server$i"; i=$((i + 1)); done
  } >"$1"
}

workload_args() {
  case $1 in
    get-p1) echo "-c 50 -p 1 -k 1 -s 100 -n 100000 --key-prefix v100:" ;;
    get-p16) echo "-c 50 -p 16 -k 1 -s 100 -n 100000 --key-prefix v100:" ;;
    mix-90-10) echo "-c 50 -p 1 -k 1 -s 100 -n 100000 --get-ratio 0.9 --key-prefix v100:" ;;
    mget-10) echo "-c 50 -p 1 -k 10 -s 100 -n 100000 --key-prefix v100:" ;;
    mget-100) echo "-c 50 -p 1 -k 100 -s 100 -n 100000 --key-prefix v100:" ;;
    value-4k) echo "-c 50 -p 1 -k 1 -s 4096 -n 10000 --key-prefix v4k:" ;;
    value-100k) echo "-c 50 -p 1 -k 1 -s 102400 -n 500 --key-prefix v100k:" ;;
    idle-1000) echo "-c 50 -p 1 -k 1 -s 100 -n 100000 --idle-connections 1000 --key-prefix v100:" ;;
    *) die "unknown workload $1" ;;
  esac
}

IFS=, read -r -a WORKLOAD_LIST <<<"$WORKLOADS"
declare -A PRELOADED
REPORT="$RUN_DIR/report.md"
{
  echo "RSS in MiB ($(uname -r), $(java -version 2>&1 | head -n 1), $(date -u +%Y-%m-%dT%H:%MZ)); idle: VmRSS 3 s"
  echo "after start (anonymous + file-backed); workloads: VmHWM over ${DURATION} s of load (the first row's also over the preload)."
  echo
  printf '| variant | options | idle | idle anon | idle file |'
  for w in "${WORKLOAD_LIST[@]}"; do printf ' %s |' "$w"; done
  printf ' ops/s %s |\n' "${WORKLOAD_LIST[0]}"
  printf '|---|---|--:|--:|--:|'
  for _ in "${WORKLOAD_LIST[@]}"; do printf -- '--:|'; done
  printf -- '--:|\n'
} >"$REPORT"

# measure NAME OPTIONS: one row
measure() {
  local name=$1 opts=$2 port stats pid
  free_port port
  free_port stats
  pool_config "$RUN_DIR/$name.yml" "$port"
  if [[ $name == nutcracker ]]; then
    "$NUTCRACKER" -c "$RUN_DIR/$name.yml" -s "$stats" -a 127.0.0.1 -o "$RUN_DIR/$name.log" &
    pid=$!
  else
    local extra=$opts
    [[ $NMT == 1 ]] && extra+=" -XX:NativeMemoryTracking=summary"
    (cd "$ROOT" && JAVA_OPTS_EXTRA=$extra exec bin/shardgate -c "$RUN_DIR/$name.yml" -s "$stats" --threads 1) \
      >"$RUN_DIR/$name.log" 2>&1 &
    pid=$!
  fi
  PIDS+=("$pid")
  wait_port "$port" "$pid" || die "$name did not start, see $RUN_DIR/$name.log"
  local proxy
  proxy=$(ss -Htlnp "sport = :$port" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
  [[ $proxy != "$pid" ]] && PIDS+=("$proxy")
  sleep 3
  local idle anon file
  idle=$(status_kb "$proxy" VmRSS)
  anon=$(status_kb "$proxy" RssAnon)
  file=$(( $(status_kb "$proxy" RssFile) + $(status_kb "$proxy" RssShmem) ))
  local row="| $name | \`${opts:-(launcher defaults)}\` | $(mib "$idle") | $(mib "$anon") | $(mib "$file") |"
  local first_ops=""
  for w in "${WORKLOAD_LIST[@]}"; do
    local args
    args=$(workload_args "$w")
    echo 5 >"/proc/$proxy/clear_refs" 2>/dev/null || log "cannot reset the peak of $proxy: peaks are since start"
    # the keys stay in the backends: preloaded through the first proxy measured only (the peak includes it)
    if [[ -z ${PRELOADED[$w]:-} ]]; then
      # shellcheck disable=SC2086
      java -Xmx1g -jar "$JAR" -t "127.0.0.1:$port" $args --preload-only -c 16 >"$RUN_DIR/$name-$w.preload" 2>&1 \
        || log "  preload of $w through $name had errors, see $RUN_DIR/$name-$w.preload"
      PRELOADED[$w]=1
    fi
    # shellcheck disable=SC2086
    java -Xmx1g -jar "$JAR" -t "127.0.0.1:$port" $args -w 1 -d "$DURATION" --json >"$RUN_DIR/$name-$w.json" \
      2>"$RUN_DIR/$name-$w.err" || log "  $name $w: generator exit $? (see $RUN_DIR/$name-$w.err)"
    row+=" $(mib "$(status_kb "$proxy" VmHWM)") |"
    [[ -z $first_ops ]] && first_ops=$(jq -r '.ops_per_s // 0 | floor' "$RUN_DIR/$name-$w.json" 2>/dev/null || echo "?")
  done
  row+=" $first_ops |"
  if [[ $NMT == 1 && $name != nutcracker ]]; then
    jcmd "$proxy" VM.native_memory summary >"$RUN_DIR/$name.nmt.txt" 2>&1 || true
  fi
  echo "$row" >>"$REPORT"
  log "$row"
  kill -TERM "$proxy" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$proxy" 2>/dev/null || break; sleep 0.1; done
}

[[ $NUTCRACKER_TOO == 1 ]] && measure nutcracker ""
for v in "${VARIANTS[@]}"; do measure "${v%%=*}" "${v#*=}"; done
cat "$REPORT"
[[ -n $OUT ]] && cp "$REPORT" "$OUT"
exit 0
