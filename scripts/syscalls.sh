#!/usr/bin/env bash
# Counts the system calls a proxy makes per request: shardgate on each transport, and nutcracker.
#
#   scripts/syscalls.sh [--targets io_uring,epoll,nio,nutcracker] [--workloads get-p1,get-p16]
#                       [--connections N] [--window S] [--warmup S] [--tool perf|strace] [--out FILE]
#
# Starts 4 memcached backends and, one target at a time, the proxy with the pool file scripts/bench.sh uses
# (shardgate: bin/shardgate --threads 1 with -Dshardgate.transport=T). For each workload it preloads the keys,
# runs the load generator, and over a window in the middle of the run counts the proxy's system calls (all its
# threads) and the requests it forwarded (its stats port: the sum of the servers' "requests"; for 1-key
# workloads one per client request). Prints a markdown table: calls per request, total and by kind.
#
#   --tool perf    (default) `perf stat` on the syscall tracepoints: counts in the kernel, next to no overhead,
#                  so the proxy runs at its normal speed and batches as it normally would.
#   --tool strace  `strace -c -f`: every call stops the process twice, so the proxy runs several times slower
#                  and finds more ready events per pass than it would: fewer calls per request than really.
#   --connections  load connections (default 50). With 1 connection at pipeline 1 nothing can be batched: the
#                  figure is the bare cost of one request.
#
# Needs java, jq, ss, memcached, nutcracker and perf (Debian: linux-perf) or strace. Every process started here
# is ended by its PID on exit. Raw outputs stay in run/syscalls-<timestamp>/.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=io_uring,epoll,nio,nutcracker
WORKLOADS=get-p1,get-p16
CONNECTIONS=50
WINDOW=5
WARMUP=4
TOOL=perf
OUT=""
JAR="$ROOT/bench/target/shardgate-bench.jar"
# the calls an event loop makes on the request path; the total counts every call of every thread
CALLS=(read write readv writev recvfrom sendto recvmsg sendmsg epoll_wait epoll_pwait epoll_ctl io_uring_enter futex)

die() { echo "syscalls.sh: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --targets) TARGETS=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --connections) CONNECTIONS=$2; shift 2 ;;
    --window) WINDOW=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --tool) TOOL=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,22p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
case $TOOL in perf|strace) ;; *) die "--tool must be perf or strace" ;; esac
for tool in java jq ss memcached "$TOOL"; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
NUTCRACKER=$(command -v nutcracker || echo /usr/sbin/nutcracker)
[[ -f $JAR && -f $ROOT/proxy/target/shardgate.jar ]] || die "build first: mvn -DskipTests package"

RUN_DIR="$ROOT/run/syscalls-$(date +%Y%m%d-%H%M%S)"
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
# stats_requests PORT: requests forwarded to all servers so far (nutcracker's JSON; shardgate serves the same)
stats_requests() {
  timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; cat <&3" 2>/dev/null \
    | jq '[.. | objects | select(has("requests")) | .requests] | add // 0'
}

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
    echo "  preconnect: true"
    echo "  auto_eject_hosts: false"
    echo "  server_connections: 1"
    echo "  servers:"
    local i=1
    for p in "${MC_PORTS[@]}"; do echo "   - 127.0.0.1:$p:1 server$i"; i=$((i + 1)); done
  } >"$1"
}

# start_target NAME -> PROXY_PID PROXY_PORT STATS_PORT
start_target() {
  local name=$1 pid
  free_port PROXY_PORT
  free_port STATS_PORT
  pool_config "$RUN_DIR/$name.yml" "$PROXY_PORT"
  if [[ $name == nutcracker ]]; then
    # -i: stats aggregated every 100 ms (default 30 s), so the window's count is current
    "$NUTCRACKER" -c "$RUN_DIR/$name.yml" -s "$STATS_PORT" -a 127.0.0.1 -i 100 -o "$RUN_DIR/$name.log" &
    pid=$!
  else
    (cd "$ROOT" && JAVA_OPTS_EXTRA="-Dshardgate.transport=$name ${JAVA_OPTS_EXTRA:-}" exec bin/shardgate \
      -c "$RUN_DIR/$name.yml" -s "$STATS_PORT" --threads 1) >"$RUN_DIR/$name.log" 2>&1 &
    pid=$!
  fi
  PIDS+=("$pid")
  wait_port "$PROXY_PORT" "$pid" || die "$name did not start, see $RUN_DIR/$name.log"
  PROXY_PID=$(ss -Htlnp "sport = :$PROXY_PORT" | grep -o 'pid=[0-9]*' | head -n 1 | cut -d= -f2)
  [[ $PROXY_PID != "$pid" ]] && PIDS+=("$PROXY_PID")
  return 0
}

# count PID SECONDS FILE: the calls of every thread of PID over SECONDS, as "name count" lines (and "total N")
count() {
  local pid=$1 seconds=$2 file=$3
  if [[ $TOOL == perf ]]; then
    local events=raw_syscalls:sys_enter c
    for c in "${CALLS[@]}"; do
      [[ -d /sys/kernel/tracing/events/syscalls/sys_enter_$c || -d /sys/kernel/debug/tracing/events/syscalls/sys_enter_$c ]] \
        && events+=",syscalls:sys_enter_$c"
    done
    perf stat -x, -e "$events" -p "$pid" -- sleep "$seconds" 2>"$file.raw" >/dev/null || true
    awk -F, '$3 ~ /sys_enter/ { n = $3; sub(/.*sys_enter_?/, "", n); if (n == "") n = "total"; print n, $1 + 0 }' \
      "$file.raw" >"$file"
  else
    timeout -s INT "$seconds" strace -c -f -q -p "$pid" -o "$file.raw" >/dev/null 2>&1 || true
    # rows: % time, seconds, usecs/call, calls, [errors,] name; the total is summed from the rows
    awk 'NF >= 5 && $1 ~ /^[0-9.]+$/ && $NF != "total" { print $NF, $4; sum += $4 } END { print "total", sum }' \
      "$file.raw" >"$file"
  fi
}

workload_args() {
  case $1 in
    get-p1) echo "-c $CONNECTIONS -p 1 -k 1 -s 100 -n 100000" ;;
    get-p16) echo "-c $CONNECTIONS -p 16 -k 1 -s 100 -n 100000" ;;
    mix-90-10) echo "-c $CONNECTIONS -p 1 -k 1 -s 100 -n 100000 --get-ratio 0.9" ;;
    value-4k) echo "-c $CONNECTIONS -p 1 -k 1 -s 4096 -n 10000" ;;
    *) die "unknown workload $1 (get-p1, get-p16, mix-90-10, value-4k)" ;;
  esac
}

REPORT="$RUN_DIR/report.md"
{
  echo "System calls per request ($TOOL, window ${WINDOW} s after ${WARMUP} s of load, $CONNECTIONS connections;"
  echo "$(uname -r), $(date -u +%Y-%m-%dT%H:%MZ))."
  echo
  printf '| workload | target | requests/s | calls/request |'
  for c in "${CALLS[@]}"; do printf ' %s |' "$c"; done
  echo
  printf '|---|---|--:|--:|'
  for _ in "${CALLS[@]}"; do printf -- '--:|'; done
  echo
} >"$REPORT"

IFS=, read -r -a TARGET_LIST <<<"$TARGETS"
IFS=, read -r -a WORKLOAD_LIST <<<"$WORKLOADS"
for target in "${TARGET_LIST[@]}"; do
  start_target "$target"
  log "$target: pid $PROXY_PID, port $PROXY_PORT"
  for w in "${WORKLOAD_LIST[@]}"; do
    args=$(workload_args "$w")
    # shellcheck disable=SC2086
    java -Xmx1g -jar "$JAR" -t "127.0.0.1:$PROXY_PORT" $args --preload-only -c 16 >"$RUN_DIR/$w-$target.preload" 2>&1 \
      || die "preload through $target failed, see $RUN_DIR/$w-$target.preload"
    # shellcheck disable=SC2086
    java -Xmx1g -jar "$JAR" -t "127.0.0.1:$PROXY_PORT" $args -w 0 -d $((WARMUP + WINDOW + 2)) --json \
      >"$RUN_DIR/$w-$target.json" 2>"$RUN_DIR/$w-$target.err" &
    gen=$!
    PIDS+=("$gen")
    sleep "$WARMUP"
    before=$(stats_requests "$STATS_PORT")
    start=$(date +%s.%N)
    count "$PROXY_PID" "$WINDOW" "$RUN_DIR/$w-$target.calls"
    [[ $target == nutcracker ]] && sleep 0.2 # its stats lag by up to one aggregation interval
    after=$(stats_requests "$STATS_PORT")
    elapsed=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { print e - s }')
    wait "$gen" || log "  generator exit $? (see $RUN_DIR/$w-$target.err)"
    requests=$((after - before))
    [[ $requests -gt 0 ]] || die "$target forwarded no request during the window"
    row=$(awk -v r="$requests" -v w="$w" -v t="$target" -v el="$elapsed" -v calls="${CALLS[*]}" '
      { n[$1] = $2 }
      END {
        printf "| %s | %s | %d | %.2f |", w, t, r / el, n["total"] / r
        k = split(calls, c, " ")
        for (i = 1; i <= k; i++) printf " %s |", (c[i] in n && n[c[i]] > 0) ? sprintf("%.2f", n[c[i]] / r) : "0"
        printf "\n"
      }' "$RUN_DIR/$w-$target.calls")
    echo "$row" >>"$REPORT"
    log "  $row"
  done
  kill -TERM "$PROXY_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
done
cat "$REPORT"
[[ -n $OUT ]] && cp "$REPORT" "$OUT"
exit 0
