#!/usr/bin/env bash
# Profiles shardgate under one benchmark workload with async-profiler, attached after the warm-up.
#
#   scripts/profile.sh [--workload NAME] [--event cpu|alloc|wall|lock] [--duration S] [--threads N]
#                      [--out DIR] [--java-opts "..."]
#
# Starts 4 memcached backends and shardgate (bin/shardgate, the pool file scripts/bench.sh uses), preloads the
# workload's keys, runs the load generator, attaches async-profiler (fetched from Maven Central into run/tools/
# the first time) once the warm-up is over, and detaches before the window ends. Writes to DIR (default
# run/profile-<timestamp>/): profile.collapsed (one line per stack, for flame graph tools), profile.html (a flame
# graph), top.txt (the heaviest leaf frames and, for alloc, bytes allocated per request), load.json (the
# generator's report). Without hardware counters (as on this VM), cpu samples on a timer; kernel frames (ending in
# _[k]) are still recorded where perf_event_paranoid allows, else a system call's time goes to its native caller.
#
# Workloads are those of scripts/bench.sh (get-p1, get-p16, mix-90-10, mget-10, mget-100, value-4k, value-100k,
# redis-get-p16, redis-set-p16, redis-mget100; the redis ones run redis-benchmark against 4 redis-servers).
# Every process started here is ended by its PID on exit.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORKLOAD=get-p1
EVENT=cpu
DURATION=10
WARMUP=3
THREADS=1
OUT=""
JAVA_OPTS_EXTRA=""
AP_VERSION=4.1

die() { echo "profile.sh: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --workload) WORKLOAD=$2; shift 2 ;;
    --event) EVENT=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --threads) THREADS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --java-opts) JAVA_OPTS_EXTRA=$2; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

case "$WORKLOAD" in
  get-p1) ARGS="-c 50 -p 1 -k 1 -s 100 -n 100000" ;;
  get-p16) ARGS="-c 50 -p 16 -k 1 -s 100 -n 100000" ;;
  mix-90-10) ARGS="-c 50 -p 1 -k 1 -s 100 -n 100000 --get-ratio 0.9" ;;
  mget-10) ARGS="-c 50 -p 1 -k 10 -s 100 -n 100000" ;;
  mget-100) ARGS="-c 50 -p 1 -k 100 -s 100 -n 100000" ;;
  value-4k) ARGS="-c 50 -p 1 -k 1 -s 4096 -n 10000" ;;
  value-100k) ARGS="-c 50 -p 1 -k 1 -s 102400 -n 500" ;;
  redis-get-p16) ARGS="get" ;;
  redis-set-p16) ARGS="set" ;;
  redis-mget100) ARGS="mget" ;;
  *) die "unknown workload $WORKLOAD" ;;
esac
case "$EVENT" in cpu|alloc|wall|lock) ;; *) die "--event must be cpu, alloc, wall or lock" ;; esac

REDIS=false
[[ $WORKLOAD == redis-* ]] && REDIS=true
for tool in java jcmd memcached ss mvn; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
OUT=${OUT:-$ROOT/run/profile-$(date +%Y%m%d-%H%M%S)}
mkdir -p "$OUT"
JAR="$ROOT/bench/target/shardgate-bench.jar"
[[ -f $JAR && -f $ROOT/proxy/target/shardgate.jar ]] || die "build first: mvn -DskipTests package"

# async-profiler's agent, from its Maven Central artifact (the jar carries the native library)
TOOLS="$ROOT/run/tools"
AGENT="$TOOLS/async-profiler-$AP_VERSION/linux-x64/libasyncProfiler.so"
if [[ ! -f $AGENT ]]; then
  log "fetching async-profiler $AP_VERSION from Maven Central"
  mkdir -p "$TOOLS"
  mvn -B -q dependency:copy -Dartifact="tools.profiler:async-profiler:$AP_VERSION" -DoutputDirectory="$TOOLS" \
    >"$OUT/fetch.log" 2>&1 || die "could not fetch async-profiler, see $OUT/fetch.log"
  (cd "$TOOLS" && unzip -q -o "async-profiler-$AP_VERSION.jar" 'linux-x64/*' -d "async-profiler-$AP_VERSION")
fi

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
free_port() {
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 40000))
    if [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]]; then printf -v "$1" '%s' "$p"; return 0; fi
  done
  die "no free port found"
}
wait_port() {
  local i
  for i in $(seq 1 150); do port_open "$1" && return 0; kill -0 "$2" 2>/dev/null || return 1; sleep 0.1; done
  return 1
}

MEMCACHED_USER=()
[[ $EUID == 0 ]] && MEMCACHED_USER=(-u root)
CONF="$OUT/pool.yml"
free_port SG_PORT
{
  echo "memcache:"
  echo "  listen: 127.0.0.1:$SG_PORT"
  echo "  hash: fnv1a_64"
  echo "  distribution: ketama"
  echo "  timeout: 5000"
  echo "  preconnect: true"
  echo "  auto_eject_hosts: false"
  echo "  redis: $REDIS"
  echo "  server_connections: 1"
  echo "  servers:"
} >"$CONF"
for i in 1 2 3 4; do
  free_port port
  if [[ $REDIS == true ]]; then
    redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no >"$OUT/redis-$i.log" 2>&1 &
  else
    memcached "${MEMCACHED_USER[@]}" -l 127.0.0.1 -p "$port" -U 0 -t 1 -m 256 -c 4096 >"$OUT/memcached-$i.log" 2>&1 &
  fi
  PIDS+=("$!")
  wait_port "$port" "$!" || die "backend $i did not start"
  echo "   - 127.0.0.1:$port:1 server$i" >>"$CONF"
done

free_port STATS
(cd "$ROOT" && JAVA_OPTS_EXTRA=$JAVA_OPTS_EXTRA exec bin/shardgate -c "$CONF" -s "$STATS" --threads "$THREADS") \
  >"$OUT/shardgate.log" 2>&1 &
PIDS+=("$!")
wait_port "$SG_PORT" "$!" || die "shardgate did not start, see $OUT/shardgate.log"
SG_PID=$(ss -Htlnp "sport = :$SG_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
PIDS+=("$SG_PID")
log "shardgate pid $SG_PID on port $SG_PORT, workload $WORKLOAD, event $EVENT"

if [[ $REDIS == true ]]; then
  # redis-benchmark runs until killed; the request count comes from shardgate's stats, read around the window
  redis-benchmark -h 127.0.0.1 -p "$SG_PORT" -c 50 -P 16 -d 100 -r 100000 -n 100000 -t set -q >"$OUT/preload.txt" 2>&1
  if [[ $ARGS == mget ]]; then
    keys=()
    for _ in $(seq 1 100); do keys+=("key:__rand_int__"); done
    redis-benchmark -h 127.0.0.1 -p "$SG_PORT" -c 50 -r 100000 -n 1000000000 -q MGET "${keys[@]}" >"$OUT/load.txt" 2>&1 &
  else
    redis-benchmark -h 127.0.0.1 -p "$SG_PORT" -c 50 -P 16 -d 100 -r 100000 -n 1000000000 -t "$ARGS" -q \
      >"$OUT/load.txt" 2>&1 &
  fi
else
  # shellcheck disable=SC2086 # ARGS is a list of options
  java -jar "$JAR" -t "127.0.0.1:$SG_PORT" $ARGS --preload-only >"$OUT/preload.txt" 2>&1 || die "preload failed"
  # shellcheck disable=SC2086
  java -jar "$JAR" -t "127.0.0.1:$SG_PORT" $ARGS -w "$WARMUP" -d "$DURATION" --json >"$OUT/load.json" 2>"$OUT/load.err" &
fi
GEN=$!
PIDS+=("$GEN")
sleep "$WARMUP"
# the agent insists on a file at start; stop writes the profile there
opts="start,event=$EVENT,interval=1ms,file=$OUT/profile.collapsed"
[[ $EVENT == alloc ]] && opts="start,event=alloc,file=$OUT/profile.collapsed"
dump="stop,collapsed"
[[ $EVENT == alloc ]] && dump="stop,collapsed,total" # bytes, not samples
served() { # requests answered so far, from the stats port
  (exec 3<>"/dev/tcp/127.0.0.1/$STATS"; cat <&3) 2>/dev/null | grep -o '"responses":[0-9]*' | cut -d: -f2 | awk '{ s += $1 } END { print s + 0 }'
}
before=$(served)
jcmd "$SG_PID" JVMTI.agent_load "$AGENT" "\"$opts\"" >"$OUT/attach.log" 2>&1 || die "attach failed, see $OUT/attach.log"
sleep "$(awk -v d="$DURATION" 'BEGIN { print (d > 1 ? d - 0.5 : d / 2) }')"
jcmd "$SG_PID" JVMTI.agent_load "$AGENT" "\"$dump,file=$OUT/profile.collapsed\"" >>"$OUT/attach.log" 2>&1
after=$(served)
jcmd "$SG_PID" JVMTI.agent_load "$AGENT" "\"flamegraph,file=$OUT/profile.html\"" >>"$OUT/attach.log" 2>&1 || true
if [[ $REDIS == true ]]; then
  kill -TERM "$GEN" 2>/dev/null || true
else
  wait "$GEN" || log "load generator exit status $? (see $OUT/load.json)"
fi
if [[ $REDIS == true ]]; then
  requests=$((after - before)) # backend replies while profiling: one per request (GET and SET are not split)
  [[ $ARGS == mget ]] && echo "(redis-mget100: a request is split into up to 4 backend requests; counts are per backend reply)" >&2
else
  # the generator's verified requests of its window, scaled to the part of it that was profiled
  requests=$(grep -o '"requests":[0-9]*' "$OUT/load.json" | head -n 1 | cut -d: -f2)
  requests=$(awk -v r="${requests:-0}" -v d="$DURATION" 'BEGIN { printf "%d", r * (d > 1 ? d - 0.5 : d / 2) / d }')
fi
{
  echo "workload $WORKLOAD, event $EVENT, shardgate --threads $THREADS, requests while profiling: $requests"
  awk '{ n = $NF; total += n; sub(/ [0-9]+$/, ""); k = split($0, f, ";"); leaf[f[k]] += n }
       END { printf "total %d\n", total; for (l in leaf) printf "%6.2f%%  %s\n", 100 * leaf[l] / total, l }' \
    "$OUT/profile.collapsed" | { read -r first; echo "$first"; sort -rn | head -n 40; }
  if [[ $EVENT == alloc && $requests -gt 0 ]]; then
    # async-profiler samples an allocation every 512 KiB (per thread): no sample means less than that in all
    awk -v r="$requests" '{ total += $NF }
      END { if (total > 0) printf "allocated ~%.1f bytes per request (sampled estimate)\n", total / r;
            else printf "allocated < %.2f bytes per request (not one 512 KiB sample)\n", 524288 / r }' \
      "$OUT/profile.collapsed"
  fi
} >"$OUT/top.txt"
cat "$OUT/top.txt"
log "profile in $OUT"
