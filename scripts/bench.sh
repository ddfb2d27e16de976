#!/usr/bin/env bash
# Compares shardgate, nutcracker (twemproxy) and a direct memcached connection in one interleaved run.
#
#   scripts/bench.sh [--rounds N] [--duration S] [--warmup S] [--quick] [--out FILE] [--note TEXT]
#                    [--workloads a,b,...] [--no-redis] [--sg-threads N] [--client-threads N] [--list]
#                    [--sg-transports io_uring,epoll,...] [--sg-baseline JAR] [--nc-procs N] [--summary FILE]
#                    [--pin-proxy CPUS] [--pin-load CPUS] [--pin-backends CPUS]
#
# Starts 4 memcached backends (1 thread, -m 256 each), nutcracker and shardgate with the same pool config
# (fnv1a_64, ketama, the 4 servers), and runs every workload against: direct memcached (backend 1 alone, the
# physical reference), nutcracker, shardgate -- interleaved A B C, A B C for R rounds. Prints medians as a markdown
# table (also written to --out FILE). Then redis-benchmark SET, GET and MGET rows against direct redis, nutcracker and
# shardgate with a redis pool of 4 redis-servers.
#
# Next to the tables it draws three PNG plots of the same medians (throughput, p99, CPU per request; a panel per
# workload, a bar per target; JFreeChart, from the bench jar): STEM-throughput.png, STEM-p99.png and
# STEM-cpu-per-request.png, where STEM is "report" in the run directory and FILE's name without .md beside --out FILE.
# Each plot's subtitle says how the run was made, on how many cores and under what load average; --note TEXT adds to
# it (e.g. "machine shared with other builds").
#
# shardgate is started as `bin/shardgate -c FILE -s STATS_PORT -p PID_FILE --threads N` from the repository root;
# when the launcher is missing, fails, or the port does not open within SG_START_TIMEOUT seconds (default 15), its
# columns say "not available". No numbers are ever made up. SHARDGATE_LAUNCHER=PATH runs another launcher.
#
# --sg-baseline JAR adds the target shardgate-baseline: shardgate from another build's jar (SHARDGATE_JAR=JAR),
# interleaved with this build's in the same rounds, for a before/after comparison of a change on one machine.
# --sg-transports runs one shardgate per transport (-Dshardgate.transport=T), side by side in the same rounds, as
# targets shardgate-T. --nc-procs N runs N nutcracker processes on the same backends and spreads the generator's
# connections over them (one nutcracker per core, against shardgate --sg-threads N); their CPU and RSS are summed;
# the redis rows need one port per target and are skipped then. --pin-proxy / --pin-load / --pin-backends pin
# the proxies, the load generator (and redis-benchmark) and the backends to CPU lists (taskset -c, e.g. 0 or
# 2-3); unpinned by default. scripts/scaling.sh runs this for 1, 2, 4... proxy cores in one command.
# --summary FILE: the medians as tab-separated lines (workload, target, ops/s, p50, p99, p99.9 us, CPU s/M, RSS MB).
#
# Every process this script starts is ended by its PID when it exits (trap on EXIT). Logs, configs and the raw
# JSON results stay in run/bench-<timestamp>/ (git-ignored).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
NOTE=""
ROUNDS=3
DURATION=10
WARMUP=2
QUICK=0
OUT=""
SUMMARY=""
WORKLOADS=""
REDIS=1
SG_THREADS=1
CLIENT_THREADS=1
SG_START_TIMEOUT=${SG_START_TIMEOUT:-15}
SHARDGATE_LAUNCHER=${SHARDGATE_LAUNCHER:-$ROOT/bin/shardgate}
JAR="$ROOT/bench/target/shardgate-bench.jar"
CLK_TCK=$(getconf CLK_TCK)

# name | what | generator arguments. 100-byte workloads share a key space (same prefix) so they share preloaded data.
ALL_WORKLOADS=(
  "get-p1|1-key get, 100 B values, 50 conns, pipeline 1|-c 50 -p 1 -k 1 -s 100 -n 100000 --key-prefix v100:"
  "get-p16|1-key get, 100 B values, 50 conns, pipeline 16|-c 50 -p 16 -k 1 -s 100 -n 100000 --key-prefix v100:"
  "mix-90-10|90% get / 10% set, 100 B, 50 conns, pipeline 1|-c 50 -p 1 -k 1 -s 100 -n 100000 --get-ratio 0.9 --key-prefix v100:"
  "mget-10|10-key get, 100 B values, 50 conns, pipeline 1|-c 50 -p 1 -k 10 -s 100 -n 100000 --key-prefix v100:"
  "mget-100|100-key get, 100 B values, 50 conns, pipeline 1|-c 50 -p 1 -k 100 -s 100 -n 100000 --key-prefix v100:"
  "value-4k|1-key get, 4 KiB values, 50 conns, pipeline 1|-c 50 -p 1 -k 1 -s 4096 -n 10000 --key-prefix v4k:"
  "value-100k|1-key get, 100 KiB values, 50 conns, pipeline 1|-c 50 -p 1 -k 1 -s 102400 -n 500 --key-prefix v100k:"
  "idle-1000|1-key get, 100 B, 50 active conns beside 1000 idle ones, pipeline 1|-c 50 -p 1 -k 1 -s 100 -n 100000 --idle-connections 1000 --key-prefix v100:"
)
SG_TRANSPORTS=""
SG_BASELINE=""
NC_PROCS=1
PIN_PROXY=""
PIN_LOAD=""
PIN_BACKENDS=""

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
die() { echo "bench.sh: $*" >&2; exit 2; }
log() { echo "[$(date +%H:%M:%S)] $*" >&2; }

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --quick) QUICK=1; shift ;;
    --out) OUT=$2; shift 2 ;;
    --note) NOTE=$2; shift 2 ;;
    --summary) SUMMARY=$2; shift 2 ;;
    --workloads) WORKLOADS=$2; shift 2 ;;
    --no-redis) REDIS=0; shift ;;
    --sg-threads) SG_THREADS=$2; shift 2 ;;
    --client-threads) CLIENT_THREADS=$2; shift 2 ;;
    --sg-transports) SG_TRANSPORTS=$2; shift 2 ;;
    --sg-baseline) SG_BASELINE=$2; shift 2 ;;
    --nc-procs) NC_PROCS=$2; shift 2 ;;
    --pin-proxy) PIN_PROXY=$2; shift 2 ;;
    --pin-load) PIN_LOAD=$2; shift 2 ;;
    --pin-backends) PIN_BACKENDS=$2; shift 2 ;;
    --list) for w in "${ALL_WORKLOADS[@]}"; do IFS='|' read -r n d _ <<<"$w"; printf '%-11s %s\n' "$n" "$d"; done; exit 0 ;;
    -h|--help) usage; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
if [[ $QUICK == 1 ]]; then ROUNDS=1; DURATION=2; WARMUP=1; fi
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive integer"
[[ $DURATION =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--duration must be a number of seconds"
[[ $WARMUP =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--warmup must be a number of seconds"
[[ $NC_PROCS =~ ^[1-9][0-9]*$ ]] || die "--nc-procs must be a positive integer"
if [[ $NC_PROCS -gt 1 && $REDIS == 1 ]]; then
  echo "bench.sh: --nc-procs $NC_PROCS: the redis rows are skipped (redis-benchmark loads one port)" >&2
  REDIS=0
fi
# the shardgate targets: one per transport asked for, or one on the launcher's choice (auto)
SG_TARGETS=()
declare -A SG_TRANSPORT_OF
if [[ -z $SG_TRANSPORTS ]]; then
  SG_TARGETS=(shardgate)
  SG_TRANSPORT_OF[shardgate]=""
else
  IFS=, read -r -a _transports <<<"$SG_TRANSPORTS"
  for t in "${_transports[@]}"; do
    case $t in io_uring|epoll|nio|auto) ;; *) die "--sg-transports: unknown transport $t (io_uring, epoll, nio, auto)" ;; esac
    SG_TARGETS+=("shardgate-$t")
    SG_TRANSPORT_OF[shardgate-$t]=$t
  done
fi
declare -A SG_JAR_OF
if [[ -n ${SG_BASELINE:-} ]]; then
  [[ -f $SG_BASELINE ]] || die "--sg-baseline $SG_BASELINE: no such jar"
  SG_TARGETS+=(shardgate-baseline)
  SG_TRANSPORT_OF[shardgate-baseline]=${SG_TRANSPORT_OF[${SG_TARGETS[0]}]}
  SG_JAR_OF[shardgate-baseline]=$(cd "$(dirname "$SG_BASELINE")" && pwd)/$(basename "$SG_BASELINE")
fi
TARGETS=(direct nutcracker "${SG_TARGETS[@]}")
# pinned PREFIX-ARRAY-NAME CPUS: a taskset prefix for a command, empty when not pinned
PIN_PROXY_CMD=()
PIN_LOAD_CMD=()
PIN_BACKENDS_CMD=()
for v in PROXY LOAD BACKENDS; do
  cpus_var=PIN_$v
  if [[ -n ${!cpus_var} ]]; then
    command -v taskset >/dev/null || die "taskset is not installed (util-linux)"
    taskset -c "${!cpus_var}" true 2>/dev/null || die "--pin-${v,,} ${!cpus_var}: not a CPU list this machine has"
    declare -n cmd_ref=PIN_${v}_CMD
    cmd_ref=(taskset -c "${!cpus_var}")
    unset -n cmd_ref
  fi
done
PINNING="nothing pinned"
[[ -n $PIN_PROXY$PIN_LOAD$PIN_BACKENDS ]] && PINNING="pinned: proxies on CPUs ${PIN_PROXY:-any}, load generator on ${PIN_LOAD:-any}, backends on ${PIN_BACKENDS:-any}"

SELECTED=()
for w in "${ALL_WORKLOADS[@]}"; do
  name=${w%%|*}
  if [[ -z $WORKLOADS || ",$WORKLOADS," == *",$name,"* ]]; then SELECTED+=("$w"); fi
done
[[ ${#SELECTED[@]} -gt 0 ]] || die "no workload matches --workloads $WORKLOADS (see --list)"

for tool in java jq ss memcached; do command -v "$tool" >/dev/null || die "$tool is not installed"; done
NUTCRACKER=$(command -v nutcracker || echo /usr/sbin/nutcracker)
[[ -x $NUTCRACKER ]] || die "nutcracker is not installed"
if [[ $REDIS == 1 ]]; then
  for tool in redis-server redis-benchmark; do command -v "$tool" >/dev/null || die "$tool is not installed (or use --no-redis)"; done
fi

RUN_DIR="$ROOT/run/bench-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$RUN_DIR"
RESULTS="$RUN_DIR/results.jsonl"
: >"$RESULTS"

# ---------------------------------------------------------------------------------------------------------------
# processes: every PID started here, ended on exit
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 50); do
    local alive=0
    for pid in "${PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.1
  done
  for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

USED_PORTS=" "
# free_port VAR: a loopback port nobody listens on, not handed out before
free_port() {
  local p
  for _ in $(seq 1 500); do
    p=$((20000 + RANDOM % 40000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    if [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]]; then
      USED_PORTS+="$p "
      printf -v "$1" '%s' "$p"
      return 0
    fi
  done
  die "no free port found"
}

# port_open PORT: true when something accepts on 127.0.0.1:PORT
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# wait_port PORT PID SECONDS: wait until the port opens while PID lives
wait_port() {
  local port=$1 pid=$2 limit=$3 i
  for i in $(seq 1 $((limit * 10))); do
    port_open "$port" && return 0
    kill -0 "$pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# listener_pid PORT: the PID owning the listening socket (the JVM, not a launcher script)
listener_pid() {
  local out
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    out=$(ss -Htlnp "sport = :$1" 2>/dev/null || true)
    if [[ $out =~ pid=([0-9]+) ]]; then echo "${BASH_REMATCH[1]}"; return 0; fi
    sleep 0.1
  done
  echo "listener_pid: no owner of port $1 in: ${out:-<empty>}" >&2
}

cpu_ticks() { awk '{ sub(/.*\) /, ""); print $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo -1; }
peak_rss_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo -1; }
# tcp_retrans: TCP segments retransmitted, system-wide (every tenant of the machine counts): a run whose latency
# tail is made of retransmission timeouts shows up here
tcp_retrans() { awk '$1 == "Tcp:" { n++; if (n == 1) { for (i = 2; i <= NF; i++) if ($i == "RetransSegs") c = i } else print $c }' /proc/net/snmp 2>/dev/null || echo 0; }
# reset_peak PID: writing 5 to clear_refs resets VmHWM to the current RSS (Linux >= 4.0), so peaks are per run
RSS_RESET=1
reset_peak() { echo 5 >"/proc/$1/clear_refs" 2>/dev/null || RSS_RESET=0; }

MEMCACHED_USER=()
[[ $EUID == 0 ]] && MEMCACHED_USER=(-u root)

# ---------------------------------------------------------------------------------------------------------------
log "building the load generator"
(cd "$ROOT" && mvn -B -q -DskipTests package -pl bench -am) >"$RUN_DIR/build.log" 2>&1 || die "build failed, see $RUN_DIR/build.log"
[[ -f $JAR ]] || die "no $JAR after the build"

MC_PORTS=()
MC_PIDS=()
for i in 1 2 3 4; do
  free_port port
  "${PIN_BACKENDS_CMD[@]}" memcached "${MEMCACHED_USER[@]}" -l 127.0.0.1 -p "$port" -U 0 -t 1 -m 256 -c 4096 >"$RUN_DIR/memcached-$i.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  wait_port "$port" "$pid" 10 || die "memcached $i did not start, see $RUN_DIR/memcached-$i.log"
  MC_PORTS+=("$port")
  MC_PIDS+=("$pid")
done
log "memcached backends on ports ${MC_PORTS[*]} (pids ${MC_PIDS[*]})"

# pool_config FILE POOL LISTEN_PORT REDIS(true|false) PORT...: the pool both proxies get, byte for byte
pool_config() {
  local file=$1 pool=$2 listen=$3 redis=$4 i=1
  shift 4
  {
    echo "$pool:"
    echo "  listen: 127.0.0.1:$listen"
    echo "  hash: fnv1a_64"
    echo "  distribution: ketama"
    echo "  redis: $redis"
    echo "  timeout: 5000"
    echo "  backlog: 1024"
    echo "  preconnect: true"
    echo "  auto_eject_hosts: false"
    echo "  server_connections: 1"
    echo "  servers:"
    for p in "$@"; do echo "   - 127.0.0.1:$p:1 server$i"; i=$((i + 1)); done
  } >"$file"
}

# start_nutcracker NAME CONFIG PORT -> sets STARTED_PID
start_nutcracker() {
  local name=$1 conf=$2 port=$3 stats pid
  free_port stats
  "${PIN_PROXY_CMD[@]}" "$NUTCRACKER" -c "$conf" -s "$stats" -a 127.0.0.1 -o "$RUN_DIR/$name.log" >"$RUN_DIR/$name.out" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  wait_port "$port" "$pid" 10 || die "$name did not start, see $RUN_DIR/$name.log"
  STARTED_PID=$pid
}

# start_shardgate NAME CONFIG PORT TRANSPORT [JAR] -> sets STARTED_PID (empty when not available) and SG_WHY
start_shardgate() {
  local name=$1 conf=$2 port=$3 transport=$4 jar=${5:-${SHARDGATE_JAR:-}} stats pid launcher=$SHARDGATE_LAUNCHER
  local extra=${JAVA_OPTS_EXTRA:-}
  [[ -n $transport ]] && extra="-Dshardgate.transport=$transport $extra"
  STARTED_PID=""
  SG_WHY=""
  if [[ ! -x $launcher ]]; then SG_WHY="no executable ${launcher#"$ROOT"/}"; return 0; fi
  free_port stats
  (cd "$ROOT" && SHARDGATE_JAR=$jar JAVA_OPTS_EXTRA=$extra exec "${PIN_PROXY_CMD[@]}" "$launcher" -c "$conf" -s "$stats" \
    -p "$RUN_DIR/$name.pid" --threads "$SG_THREADS") >"$RUN_DIR/$name.log" 2>&1 &
  pid=$!
  PIDS+=("$pid")
  # wait for the port; a launcher that exits with an error is not available at once, one that exits 0 may have
  # left a daemon behind, so the port is still awaited
  local i rc=""
  for i in $(seq 1 $((SG_START_TIMEOUT * 10))); do
    port_open "$port" && break
    if [[ -z $rc ]] && ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null && rc=0 || rc=$?
      if [[ $rc != 0 ]]; then
        SG_WHY="launcher exited with status $rc: $(tail -c 300 "$RUN_DIR/$name.log" | tr '\n' ' ')"
        return 0
      fi
    fi
    sleep 0.1
  done
  if ! port_open "$port"; then
    SG_WHY="port $port not open ${SG_START_TIMEOUT}s after start"
    kill -TERM "$pid" 2>/dev/null || true
    return 0
  fi
  local owner
  owner=$(listener_pid "$port")
  if [[ -n $owner ]]; then
    STARTED_PID=$owner
    if [[ $owner != "$pid" ]]; then PIDS+=("$owner"); fi # the JVM under a launcher script: end it by its PID too
  else
    STARTED_PID=$pid
  fi
}

# NC_PORTS / NC_PIDS: the nutcracker processes (--nc-procs), all on the same backends
NC_PORTS=()
NC_PIDS=()
for i in $(seq 1 "$NC_PROCS"); do
  free_port port
  pool_config "$RUN_DIR/nutcracker-memcache-$i.yml" memcache "$port" false "${MC_PORTS[@]}"
  "$NUTCRACKER" -t -c "$RUN_DIR/nutcracker-memcache-$i.yml" >/dev/null 2>&1 || die "nutcracker rejects $RUN_DIR/nutcracker-memcache-$i.yml"
  start_nutcracker "nutcracker-memcache-$i" "$RUN_DIR/nutcracker-memcache-$i.yml" "$port"
  NC_PORTS+=("$port")
  NC_PIDS+=("$STARTED_PID")
done
log "nutcracker: $NC_PROCS process(es) on port(s) ${NC_PORTS[*]} (pid(s) ${NC_PIDS[*]})"
declare -A SG_PORT SG_PID
SG_STATUS=""
for sg in "${SG_TARGETS[@]}"; do
  free_port port
  pool_config "$RUN_DIR/$sg-memcache.yml" memcache "$port" false "${MC_PORTS[@]}"
  start_shardgate "$sg-memcache" "$RUN_DIR/$sg-memcache.yml" "$port" "${SG_TRANSPORT_OF[$sg]}" "${SG_JAR_OF[$sg]:-}"
  SG_PORT[$sg]=$port
  SG_PID[$sg]=$STARTED_PID
  status="running"
  [[ -z $STARTED_PID ]] && status="not available ($SG_WHY)"
  SG_STATUS+="${SG_STATUS:+; }$sg $status"
  log "$sg: $status${STARTED_PID:+ on port $port (pid $STARTED_PID)}"
done

# target_ports TARGET: the port(s) the generator loads, comma-separated
target_ports() {
  case $1 in
    direct) echo "127.0.0.1:${MC_PORTS[0]}" ;;
    nutcracker) local p out=""; for p in "${NC_PORTS[@]}"; do out+="${out:+,}127.0.0.1:$p"; done; echo "$out" ;;
    *) echo "127.0.0.1:${SG_PORT[$1]}" ;;
  esac
}
# target_pids TARGET: the process(es) whose CPU and RSS a run reports: the proxy, or for direct the memcached backend
target_pids() {
  case $1 in
    direct) echo "${MC_PIDS[0]}" ;;
    nutcracker) echo "${NC_PIDS[*]}" ;;
    *) echo "${SG_PID[$1]}" ;;
  esac
}

# record JSON...: append a result line
record() { jq -c -n "$@" >>"$RESULTS"; }

# run_workload NAME ROUND TARGET ARGS
run_workload() {
  local name=$1 round=$2 target=$3 args=$4 ports pids pid out rc rss ticks_ok watch=()
  ports=$(target_ports "$target")
  pids=$(target_pids "$target")
  pid=${pids%% *}
  for p in $pids; do watch+=(--watch-pid "$p"); done
  if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
    record --arg w "$name" --arg t "$target" --argjson r "$round" '{workload:$w,target:$t,round:$r,available:false}'
    return 0
  fi
  # preload through the same target (not measured): every get must hit
  # shellcheck disable=SC2086
  if ! timeout 600 "${PIN_LOAD_CMD[@]}" java -Xmx1g -jar "$JAR" -t "$ports" $args --preload-only -c 16 \
      --threads "$CLIENT_THREADS" >"$RUN_DIR/$name-$target-$round.preload.txt" 2>&1; then
    log "  $target: preload FAILED, see $RUN_DIR/$name-$target-$round.preload.txt"
    record --arg w "$name" --arg t "$target" --argjson r "$round" '{workload:$w,target:$t,round:$r,available:true,failed:"preload"}'
    return 0
  fi
  for p in $pids; do reset_peak "$p"; done
  local retrans_before retrans
  retrans_before=$(tcp_retrans)
  # shellcheck disable=SC2086
  out=$(timeout $((${DURATION%.*} + ${WARMUP%.*} + 120)) "${PIN_LOAD_CMD[@]}" java -Xmx1g -jar "$JAR" -t "$ports" $args \
      -d "$DURATION" -w "$WARMUP" --threads "$CLIENT_THREADS" "${watch[@]}" --clk-tck "$CLK_TCK" --json \
      2>"$RUN_DIR/$name-$target-$round.err") && rc=0 || rc=$?
  rss=0
  for p in $pids; do rss=$((rss + $(peak_rss_kb "$p"))); done # several nutcracker processes: their sum
  retrans=$(($(tcp_retrans) - retrans_before))
  echo "$out" >"$RUN_DIR/$name-$target-$round.json"
  if ! jq -e . >/dev/null 2>&1 <<<"$out" || [[ -z $out ]]; then
    log "  $target: generator exit $rc, no result; see $RUN_DIR/$name-$target-$round.err"
    record --arg w "$name" --arg t "$target" --argjson r "$round" --argjson rc "$rc" \
      '{workload:$w,target:$t,round:$r,available:true,failed:"generator",exit:$rc}'
    return 0
  fi
  if jq -e 'has("setup_error")' >/dev/null <<<"$out"; then
    log "  $target: $(jq -r .setup_error <<<"$out")"
    record --arg w "$name" --arg t "$target" --argjson r "$round" --argjson g "$out" \
      '{workload:$w,target:$t,round:$r,available:true,failed:"setup",gen:$g}'
    return 0
  fi
  kill -0 "$pid" 2>/dev/null || log "  $target: process $pid died during the run"
  record --arg w "$name" --arg t "$target" --argjson r "$round" --argjson g "$out" --argjson rss "$rss" --argjson rc "$rc" \
    --argjson retrans "$retrans" '{workload:$w,target:$t,round:$r,available:true,exit:$rc,rss_kb:$rss,retrans:$retrans,gen:$g}'
  log "  $target: $(jq -r '"\(.ops_per_s|floor) ops/s  p50 \(.p50_us) us  p99 \(.p99_us) us  p99.9 \(.p999_us) us  errors \(.errors)"' <<<"$out")  tcp retransmits $retrans"
}

START=$(date +%s)
LOAD_START=$(cut -d' ' -f1 /proc/loadavg)
for w in "${SELECTED[@]}"; do
  IFS='|' read -r name what args <<<"$w"
  for round in $(seq 1 "$ROUNDS"); do
    log "$name ($what), round $round/$ROUNDS"
    for target in "${TARGETS[@]}"; do run_workload "$name" "$round" "$target" "$args"; done
  done
done

# ---------------------------------------------------------------------------------------------------------------
# redis-benchmark rows: SET/GET at pipeline 16 and MGET of 100 keys at pipeline 1, 50 connections, 100-byte
# values, 100k random keys (the SET run stores them; every __rand_int__ of the MGET is drawn on its own)
REDIS_ROWS=()
if [[ $REDIS == 1 ]]; then
  RD_PORTS=()
  RD_PIDS=()
  for i in 1 2 3 4; do
    free_port port
    "${PIN_BACKENDS_CMD[@]}" redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no --maxclients 4096 \
      --logfile "$RUN_DIR/redis-$i.log" >/dev/null 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_port "$port" "$pid" 10 || die "redis-server $i did not start, see $RUN_DIR/redis-$i.log"
    RD_PORTS+=("$port")
    RD_PIDS+=("$pid")
  done
  free_port NCR_PORT
  pool_config "$RUN_DIR/nutcracker-redis.yml" redis "$NCR_PORT" true "${RD_PORTS[@]}"
  start_nutcracker nutcracker-redis "$RUN_DIR/nutcracker-redis.yml" "$NCR_PORT"
  NCR_PID=$STARTED_PID
  declare -A SGR_PORT SGR_PID
  SGR_STATUS=""
  for sg in "${SG_TARGETS[@]}"; do
    free_port port
    pool_config "$RUN_DIR/$sg-redis.yml" redis "$port" true "${RD_PORTS[@]}"
    start_shardgate "$sg-redis" "$RUN_DIR/$sg-redis.yml" "$port" "${SG_TRANSPORT_OF[$sg]}" "${SG_JAR_OF[$sg]:-}"
    SGR_PORT[$sg]=$port
    SGR_PID[$sg]=$STARTED_PID
    status="running"
    [[ -z $STARTED_PID ]] && status="not available ($SG_WHY)"
    SGR_STATUS+="${SGR_STATUS:+; }$sg $status"
  done
  log "redis backends on ${RD_PORTS[*]}; nutcracker on $NCR_PORT; $SGR_STATUS"
  REQUESTS=$(awk -v d="$DURATION" 'BEGIN { n = int(d * 100000); if (n < 50000) n = 50000; print n }')
  MGET_KEYS=()
  for _ in $(seq 1 100); do MGET_KEYS+=("key:__rand_int__"); done
  # warm-up, not measured: stores the key space and gives shardgate's JIT the same start the generator's warm-up
  # gives it on the memcached rows (a cold JVM's first run would measure the compiler)
  log "redis warm-up (not measured)"
  warm_ports=("${RD_PORTS[0]}" "$NCR_PORT")
  for sg in "${SG_TARGETS[@]}"; do [[ -n ${SGR_PID[$sg]} ]] && warm_ports+=("${SGR_PORT[$sg]}"); done
  for port in "${warm_ports[@]}"; do
    timeout 300 "${PIN_LOAD_CMD[@]}" redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -P 16 -n 300000 -d 100 -r 100000 -t set,get -q \
      >/dev/null 2>>"$RUN_DIR/redis-benchmark.err" || true
    timeout 300 "${PIN_LOAD_CMD[@]}" redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n 5000 -r 100000 -q MGET "${MGET_KEYS[@]}" \
      >/dev/null 2>>"$RUN_DIR/redis-benchmark.err" || true
  done
  for round in $(seq 1 "$ROUNDS"); do
    for test in set get mget100; do
      case $test in
        mget100) row=redis-mget100; rb_args=(-P 1 -n $((REQUESTS / 20)) MGET "${MGET_KEYS[@]}"); csv_name=MGET; n=$((REQUESTS / 20)) ;;
        *) row=redis-$test-p16; rb_args=(-P 16 -n "$REQUESTS" -t "$test"); csv_name=$test; n=$REQUESTS ;;
      esac
      log "redis-benchmark $row, round $round/$ROUNDS"
      for target in "${TARGETS[@]}"; do
        case $target in
          direct) port=${RD_PORTS[0]}; pid=${RD_PIDS[0]} ;;
          nutcracker) port=$NCR_PORT; pid=$NCR_PID ;;
          *) port=${SGR_PORT[$target]}; pid=${SGR_PID[$target]} ;;
        esac
        if [[ -z $pid ]] || ! kill -0 "$pid" 2>/dev/null; then
          record --arg w "$row" --arg t "$target" --argjson r "$round" '{workload:$w,target:$t,round:$r,available:false}'
          continue
        fi
        reset_peak "$pid"
        retrans_before=$(tcp_retrans)
        before=$(cpu_ticks "$pid")
        csv=$(timeout 300 "${PIN_LOAD_CMD[@]}" redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -d 100 -r 100000 --csv "${rb_args[@]}" \
          2>>"$RUN_DIR/redis-benchmark.err") || true
        after=$(cpu_ticks "$pid")
        rss=$(peak_rss_kb "$pid")
        retrans=$(($(tcp_retrans) - retrans_before))
        line=$(grep -i "^\"$csv_name[\" ]" <<<"$csv" || true)
        if [[ -z $line ]]; then
          log "  $target: redis-benchmark gave no result"
          record --arg w "$row" --arg t "$target" --argjson r "$round" '{workload:$w,target:$t,round:$r,available:true,failed:"redis-benchmark"}'
          continue
        fi
        line=${line#\"*\",} # the test name (MGET's is the whole command line)
        IFS=, read -r rps _ _ p50 _ p99 _ <<<"${line//\"/}"
        cpu=$(awk -v a="$before" -v b="$after" -v t="$CLK_TCK" 'BEGIN { if (a < 0 || b < 0) print -1; else print (b - a) / t }')
        record --arg w "$row" --arg t "$target" --argjson r "$round" --argjson rss "$rss" --argjson retrans "$retrans" \
          --argjson ops "$rps" --argjson p50 "$p50" --argjson p99 "$p99" --argjson n "$n" --argjson cpu "$cpu" \
          '{workload:$w,target:$t,round:$r,available:true,exit:0,rss_kb:$rss,retrans:$retrans,
            gen:{ops_per_s:$ops,keys_per_s:$ops,p50_us:($p50*1000),p99_us:($p99*1000),p999_us:null,requests:$n,
                 errors:null,server_cpu_s:{x:$cpu},ok:true}}'
        log "  $target: $rps ops/s  p50 $p50 ms  p99 $p99 ms"
      done
    done
  done
  REDIS_ROWS=("redis-set-p16|redis-benchmark SET, 100 B, 50 conns, pipeline 16" "redis-get-p16|redis-benchmark GET, 100 B, 50 conns, pipeline 16"
    "redis-mget100|redis-benchmark MGET of 100 random keys, 100 B values, 50 conns, pipeline 1")
fi
ELAPSED=$(($(date +%s) - START))

# ---------------------------------------------------------------------------------------------------------------
# the report: medians over rounds of each (workload, target)
# stats WORKLOAD TARGET -> "ops p50 p99 p999 cpu_per_m rss_mb errors runs idle_closed gen_cores retrans status"
# (medians; "-" when absent)
stats() {
  jq -r -s --arg w "$1" --arg t "$2" '
    def median: sort | if length == 0 then null elif length % 2 == 1 then .[length / 2 | floor]
                       else (.[length / 2 - 1] + .[length / 2]) / 2 end;
    [ .[] | select(.workload == $w and .target == $t) ] as $all
    | [ $all[] | select(.gen != null and .gen.ops_per_s != null) ] as $ok
    | if ($all | length) == 0 then "- - - - - - - 0 0 - 0 none"
      elif ([ $all[] | select(.available) ] | length) == 0 then "- - - - - - - 0 0 - 0 unavailable"
      elif ($ok | length) == 0 then "- - - - - - - 0 0 - 0 failed"
      else
        ([ $ok[] | .gen.ops_per_s ] | median) as $ops
        | ([ $ok[] | .gen.p50_us ] | median) as $p50
        | ([ $ok[] | .gen.p99_us ] | median) as $p99
        | ([ $ok[] | .gen.p999_us | select(. != null) ] | median) as $p999
        | ([ $ok[] | ([.gen.server_cpu_s | to_entries[] | .value]) as $cs
             | select(($cs | length) > 0 and ($cs | all(. != null and . >= 0)) and .gen.requests > 0)
             | ($cs | add) / .gen.requests * 1e6 ] | median) as $cpu
        | ([ $ok[] | .rss_kb | select(. != null and . >= 0) ] | median) as $rss
        | ([ $ok[] | .gen.errors // 0 ] | add) as $err
        | ([ $ok[] | .gen.connections_lost // 0 ] | add) as $lost
        | ([ $ok[] | .gen.idle_closed_by_server // 0 ] | add) as $ic
        | ([ $ok[] | select(.gen.client_cpu_s != null and .gen.window_s > 0) | .gen.client_cpu_s / .gen.window_s ] | median) as $gen
        | ([ $ok[] | .retrans // 0 ] | add) as $rt
        | "\($ops) \($p50) \($p99) \($p999 // "-") \($cpu // "-") \(if $rss then $rss / 1024 else "-" end) \($err + $lost) \($ok | length) \($ic) \($gen // "-") \($rt) ok"
      end' "$RESULTS"
}

fmt_ops() { [[ $1 == - ]] && echo "—" || awk -v v="$1" 'BEGIN { printf "%.0f", v }'; }
fmt_ms() { [[ $1 == - || $1 == null ]] && echo "—" || awk -v v="$1" 'BEGIN { printf "%.3f", v / 1000 }'; }
fmt_num() { [[ $1 == - ]] && echo "—" || awk -v v="$1" -v d="$2" 'BEGIN { printf "%.*f", d, v }'; }
# ops per CPU-second of the proxy (all its threads), from CPU s per million requests: the per-core efficiency
per_cpu_s() { [[ $1 == - ]] && echo "—" || awk -v v="$1" 'BEGIN { if (v <= 0) print "—"; else printf "%.0f", 1e6 / v }'; }
ratio() { [[ $1 == - || $2 == - ]] && echo "n/a" || awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "n/a"; else printf "%.2f", a / b }'; }

REPORT="$RUN_DIR/report.md"
# the medians of the tables, for the plots: workload target ops p50_us p99_us p999_us cpu_s_per_m_req rss_mb status
MEDIANS="$RUN_DIR/medians.tsv"
printf 'workload\ttarget\tops\tp50_us\tp99_us\tp999_us\tcpu_s_per_m_req\trss_mb\tstatus\n' >"$MEDIANS"
{
  echo "## shardgate vs nutcracker vs direct memcached — $(date +%Y-%m-%d)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)."
  echo "Versions: $(memcached -V), $("$NUTCRACKER" -V 2>&1 | head -1 | sed 's/^This is //'), $(java -version 2>&1 | head -1), shardgate $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?') (threads $SG_THREADS; $SG_STATUS), nutcracker × $NC_PROCS."
  echo "Runs: $ROUNDS rounds × ${DURATION} s measured after ${WARMUP} s warm-up, targets interleaved ${TARGETS[*]} each round; load generator with $CLIENT_THREADS event-loop thread(s); $PINNING; wall time ${ELAPSED} s."
  echo "Every reply verified (errors column: failed replies + lost connections, summed over rounds). Medians over rounds."
  [[ $RSS_RESET == 1 ]] || echo "Note: VmHWM could not be reset between runs; peak RSS is the peak since the process started."
  echo
  echo "| workload | target | ops/s | p50 ms | p99 ms | p99.9 ms | CPU s / M req | ops per proxy CPU-s | peak RSS MB | errors | load gen CPU | TCP retrans |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  ROWS=()
  for w in "${SELECTED[@]}"; do IFS='|' read -r name what _ <<<"$w"; ROWS+=("$name|$what"); done
  ROWS+=("${REDIS_ROWS[@]}")
  declare -A S
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name what <<<"$row"
    for target in "${TARGETS[@]}"; do
      read -r ops p50 p99 p999 cpu rss err runs idle_closed gen retrans status <<<"$(stats "$name" "$target")"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$target" "$ops" "$p50" "$p99" "$p999" "$cpu" "$rss" \
        "$status" >>"$MEDIANS"
      [[ $idle_closed != 0 ]] && err="$err ($idle_closed idle conns closed by the server)"
      S[$name,$target]="$ops $p50 $p99 $p999 $cpu $rss"
      printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$target" "$ops" "$p50" "$p99" "$p999" "$cpu" "$rss" >>"$RUN_DIR/summary.tsv"
      label=$target
      [[ $target == direct && $name == redis-* ]] && label="direct redis"
      [[ $target == direct && $name != redis-* ]] && label="direct memcached"
      [[ $target == nutcracker && $NC_PROCS -gt 1 ]] && label="nutcracker × $NC_PROCS"
      case $status in
        ok) [[ $name == redis-* ]] && err="not verified"
            echo "| $name | $label | $(fmt_ops "$ops") | $(fmt_ms "$p50") | $(fmt_ms "$p99") | $(fmt_ms "$p999") | $(fmt_num "$cpu" 2) | $(per_cpu_s "$cpu") | $(fmt_num "$rss" 1) | $err | $(fmt_num "$gen" 2) | $retrans |" ;;
        unavailable|none) echo "| $name | $label | not available | | | | | | | | | |" ;;
        *) echo "| $name | $label | FAILED (see logs) | | | | | | | | | |" ;;
      esac
    done
  done
  echo
  echo "Ratios of medians (shardgate / nutcracker, shardgate / direct, and nutcracker / direct for reference):"
  echo
  echo "| workload | shardgate | ops/s sg/nc | p50 sg/nc | p99 sg/nc | p99.9 sg/nc | CPU sg/nc | RSS sg/nc | ops/s sg/direct | p99 sg/direct | ops/s nc/direct | p99 nc/direct |"
  echo "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"
  for row in "${ROWS[@]}"; do
    IFS='|' read -r name _ <<<"$row"
    read -r d_ops _ d_p99 _ _ _ <<<"${S[$name,direct]}"
    read -r n_ops n_p50 n_p99 n_p999 n_cpu n_rss <<<"${S[$name,nutcracker]}"
    for sg in "${SG_TARGETS[@]}"; do
      read -r s_ops s_p50 s_p99 s_p999 s_cpu s_rss <<<"${S[$name,$sg]}"
      echo "| $name | $sg | $(ratio "$s_ops" "$n_ops") | $(ratio "$s_p50" "$n_p50") | $(ratio "$s_p99" "$n_p99") | $(ratio "$s_p999" "$n_p999") | $(ratio "$s_cpu" "$n_cpu") | $(ratio "$s_rss" "$n_rss") | $(ratio "$s_ops" "$d_ops") | $(ratio "$s_p99" "$d_p99") | $(ratio "$n_ops" "$d_ops") | $(ratio "$n_p99" "$d_p99") |"
    done
  done
  echo
  echo "Workloads:"
  for row in "${ROWS[@]}"; do IFS='|' read -r name what <<<"$row"; echo "- \`$name\`: $what"; done
  echo
  [[ ${#REDIS_ROWS[@]} -gt 0 ]] && echo "redis-benchmark rows: redis-benchmark does not verify replies and reports no p99.9; its CPU is sampled by this script around the whole redis-benchmark run."
  echo "Load gen CPU: cores the load generator itself used during the window (median); near $CLIENT_THREADS (its event-loop threads) it was the bottleneck, not the server."
  echo "TCP retrans: TCP segments retransmitted machine-wide during the runs (sum over rounds; other tenants count too). On loopback a retransmission means a loss-probe or retransmission timer fired before the ACK came back (a receiver not scheduled in time): many flag CPU starvation during that row and explain outliers in its latency tail and ops/s."
  echo "For \"direct\", the CPU and RSS columns are memcached's (redis-server's) own, for reference; for the proxies, the proxy process's. Raw results: \`${RESULTS#"$ROOT"/}\`."
} >"$REPORT"

# ---------------------------------------------------------------------------------------------------------------
# the plots, from the same medians
LOAD_END=$(cut -d' ' -f1 /proc/loadavg)
RUN_ARGS="--rounds $ROUNDS --duration $DURATION --warmup $WARMUP${WORKLOADS:+ --workloads $WORKLOADS}"
[[ $REDIS == 0 ]] && RUN_ARGS+=" --no-redis"
SUBTITLE="scripts/bench.sh $RUN_ARGS on $(date +%Y-%m-%d), shardgate $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?') with $SG_THREADS worker(s); medians. $(nproc) cores shared by the load generator, the proxies and the backends; 1-min load average $LOAD_START at the start, $LOAD_END at the end.${NOTE:+ $NOTE}"
PLOTS=()
if plot_out=$(java -Xmx512m -Djava.awt.headless=true -cp "$JAR" io.shardgate.bench.report.BenchPlots \
    --medians "$MEDIANS" --out-dir "$RUN_DIR" --stem report --subtitle "$SUBTITLE" 2>"$RUN_DIR/plots.err"); then
  mapfile -t PLOTS <<<"$plot_out"
else
  log "plots FAILED, see $RUN_DIR/plots.err"
fi
# plots_section STEM: the markdown that embeds the plots named STEM-*.png
plots_section() {
  [[ ${#PLOTS[@]} -gt 0 ]] || return 0
  echo
  echo "### Plots"
  echo
  echo "The medians above, drawn. ${NOTE:+$NOTE }Load average $LOAD_START at the start, $LOAD_END at the end, on $(nproc) cores."
  echo
  echo "![throughput per workload]($1-throughput.png)"
  echo
  echo "![p99 latency per workload]($1-p99.png)"
  echo
  echo "![CPU per request per workload]($1-cpu-per-request.png)"
}
plots_section report >>"$REPORT"

cat "$REPORT"
[[ -n $SUMMARY ]] && cp "$RUN_DIR/summary.tsv" "$SUMMARY"
if [[ -n $OUT ]]; then
  out_stem=$(basename "$OUT" .md)
  out_dir=$(dirname "$OUT")
  { sed '/^### Plots$/,$d' "$REPORT" | sed '$ { /^$/d }'; plots_section "$out_stem"; } >"$OUT"
  for f in "${PLOTS[@]}"; do
    cp "$f" "$out_dir/$out_stem-${f##*/report-}"
  done
  log "report written to $OUT${PLOTS[0]:+, plots beside it ($out_stem-*.png)}"
fi
log "logs and raw results in $RUN_DIR"
