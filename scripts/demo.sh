#!/usr/bin/env bash
# A working sharded setup on this machine: three local memcached servers (127.0.0.1:11211-11213) and
# shardgate in front of them on 127.0.0.1:22121 with the bundled conf/shardgate.yml, its live status page on
# http://127.0.0.1:22223/. Ctrl-C stops it all.
# Try it from another terminal (bash only, no extra tools):
#   exec 3<>/dev/tcp/127.0.0.1/22121; printf 'set a 0 0 1\r\n1\r\nget a b\r\n' >&3; timeout 1 cat <&3
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh

if [ ! -f proxy/target/shardgate.jar ]; then
    echo "building shardgate (mvn -DskipTests package)"
    mvn -B -q -ntp -DskipTests package
fi

user_args=()
[ "$(id -u)" -eq 0 ] && user_args=(-u root) # memcached refuses to run as root otherwise
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM
for port in 11211 11212 11213; do
    memcached -l 127.0.0.1 -p "$port" -U 0 -m 64 "${user_args[@]}" &
    pids+=($!)
done
echo "memcached on 127.0.0.1:11211, 11212, 11213 (pids ${pids[*]}); shardgate on 127.0.0.1:22121"
echo "status page: http://127.0.0.1:22223/"
bin/shardgate -c conf/shardgate.yml -v 6 --admin-port 22223 &
pids+=($!)
wait "${pids[-1]}"
