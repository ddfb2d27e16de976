#!/usr/bin/env bash
# Counts the system calls a proxy makes per request: shardgate on each transport, and nutcracker.
#
#   scripts/syscalls.sh [--targets io_uring,epoll,nio,nutcracker] [--workloads get-p1,get-p16]
#                       [--connections N] [--window S] [--warmup S] [--tool perf|strace] [--out FILE]
#
# Starts 4 memcached backends and, one target at a time, the proxy with the pool file scripts/bench.sh uses
# (shardgate: bin/shardgate --threads 1 with -Dshardgate.transport=T). For each workload it preloads the keys,
# runs the load generator, and over a window in the middle of the run counts the proxy's system calls (all its
# threads) and the requests it forwarded (the backends' own get and set counts; for 1-key workloads one per
# client request). Prints a markdown table: calls per request, total and by kind.
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
CALLS=(read write readv writev recvfrom sendto recvmsg sendmsg epoll_wait epoll_pwait epoll_pwait2 epoll_ctl timerfd_settime io_uring_enter futex)

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
# backend_requests: gets and sets the 4 memcached have served so far (exact and immediate, unlike a proxy's stats
# under load); for 1-key workloads one per client request
backend_requests() {
  local p total=0 n
  for p in "${MC_PORTS[@]}"; do
    n=$(printf 'stats\r\nquit\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p; cat >&3; cat <&3" 2>/dev/null \
      | awk '$2 == "cmd_get" || $2 == "cmd_set" { s += $3 } END { print s + 0 }')
    total=$((total + n))
  done
  echo "$total"
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

# bracket.sh BEFORE AFTER SECONDS PORT...: the backends' request count, a sleep, the count again. Run under perf
# stat (or while strace runs), so the calls counted and the requests counted cover the same seconds.
cat >"$RUN_DIR/bracket.sh" <<'EOF'
#!/usr/bin/env bash
before=$1 after=$2 seconds=$3
shift 3
count() {
  local p total=0 n
  for p in "$@"; do
    n=$(printf 'stats\r\nquit\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/$p; cat >&3; cat <&3" 2>/dev/null \
      | awk '$2 == "cmd_get" || $2 == "cmd_set" { s += $3 } END { print s + 0 }')
    total=$((total + n))
  done
  echo "$total"
}
count "$@" >"$before"; date +%s.%N >"$before.t"
sleep "$seconds"
count "$@" >"$after"; date +%s.%N >"$after.t"
EOF
chmod +x "$RUN_DIR/bracket.sh"

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
    "$NUTCRACKER" -c "$RUN_DIR/$name.yml" -s "$STATS_PORT" -a 127.0.0.1 -o "$RUN_DIR/$name.log" &
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

# count PID SECONDS FILE: the calls of every thread of PID over SECONDS, as "name count" lines (and "total N"),
# and the backends' requests over the same seconds in FILE.before / FILE.after (.t: when each was read)
count() {
  local pid=$1 seconds=$2 file=$3
  if [[ $TOOL == perf ]]; then
    local events=raw_syscalls:sys_enter c
    for c in "${CALLS[@]}"; do
      [[ -d /sys/kernel/tracing/events/syscalls/sys_enter_$c || -d /sys/kernel/debug/tracing/events/syscalls/sys_enter_$c ]] \
        && events+=",syscalls:sys_enter_$c"
    done
    # perf counts only while the bracket runs, and the bracket reads the requests at its start and end
    perf stat -x, -e "$events" -p "$pid" -o "$file.raw" -- \
      "$RUN_DIR/bracket.sh" "$file.before" "$file.after" "$seconds" "${MC_PORTS[@]}" >/dev/null 2>&1 || true
    awk -F, '$3 ~ /sys_enter/ { n = $3; sub(/.*sys_enter_?/, "", n); if (n == "") n = "total"; print n, $1 + 0 }' \
      "$file.raw" >"$file"
  else
    # every call with its time; only those between the bracket's two readings are counted
    strace -f -ttt -q -p "$pid" -o "$file.trace" &
    local tracer=$!
    sleep 2 # attaching to every thread takes a while
    "$RUN_DIR/bracket.sh" "$file.before" "$file.after" "$seconds" "${MC_PORTS[@]}"
    kill -INT "$tracer" 2>/dev/null || true
    wait "$tracer" 2>/dev/null || true
    awk -v from="$(cat "$file.before.t")" -v to="$(cat "$file.after.t")" '
      { line = $0; sub(/^[0-9]+ +/, "", line); t = line; sub(/ .*/, "", t) } # with -f a line starts with the thread id
      t + 0 >= from && t + 0 <= to {
        sub(/^[0-9.]+ +/, "", line)
        if (line ~ /^<\.\.\./ || line ~ /^\+\+\+/ || line ~ /^---/) next # a resumed call, an exit, a signal
        name = line; sub(/\(.*/, "", name)
        n[name]++; total++
      }
      END { for (k in n) print k, n[k]; print "total", total + 0 }' "$file.trace" >"$file"
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
  echo ' other |'
  printf '|---|---|--:|--:|'
  for _ in "${CALLS[@]}"; do printf -- '--:|'; done
  echo '--:|' 
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
    java -Xmx1g -jar "$JAR" -t "127.0.0.1:$PROXY_PORT" $args -w 0 -d 600 --json \
      >"$RUN_DIR/$w-$target.json" 2>"$RUN_DIR/$w-$target.err" &
    gen=$!
    PIDS+=("$gen")
    # a JVM starts slowly on a busy machine: the warm-up counts from the first requests the backends see
    first=$(backend_requests)
    for _ in $(seq 1 600); do
      [[ $(backend_requests) -gt $first ]] && break
      kill -0 "$gen" 2>/dev/null || die "the generator exited, see $RUN_DIR/$w-$target.err"
      sleep 0.1
    done
    sleep "$WARMUP"
    calls="$RUN_DIR/$w-$target.calls"
    count "$PROXY_PID" "$WINDOW" "$calls"
    before=$(cat "$calls.before")
    after=$(cat "$calls.after")
    elapsed=$(awk -v s="$(cat "$calls.before.t")" -v e="$(cat "$calls.after.t")" 'BEGIN { print e - s }')
    kill -TERM "$gen" 2>/dev/null || true
    wait "$gen" 2>/dev/null || true
    requests=$((after - before))
    [[ $requests -gt 0 ]] || die "$target forwarded no request during the window"
    row=$(awk -v r="$requests" -v w="$w" -v t="$target" -v el="$elapsed" -v calls="${CALLS[*]}" '
      { n[$1] = $2 }
      END {
        printf "| %s | %s | %d | %.2f |", w, t, r / el, n["total"] / r
        k = split(calls, c, " ")
        listed = 0
        for (i = 1; i <= k; i++) {
          printf " %s |", (c[i] in n && n[c[i]] > 0) ? sprintf("%.2f", n[c[i]] / r) : "0"
          if (c[i] in n) listed += n[c[i]]
        }
        printf " %.2f |\n", (n["total"] - listed) / r
      }' "$calls")
    echo "$row" >>"$REPORT"
    log "  $row"
  done
  kill -TERM "$PROXY_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$PROXY_PID" 2>/dev/null || break; sleep 0.1; done
done
cat "$REPORT"
[[ -n $OUT ]] && cp "$REPORT" "$OUT"
exit 0
