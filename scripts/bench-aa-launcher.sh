#!/bin/sh
# A/A check of scripts/bench.sh: stands in for bin/shardgate by running nutcracker with the pool file it is given,
# so the "shardgate" column is a second nutcracker and every sg/nc ratio should come out near 1.00.
#   SHARDGATE_LAUNCHER=scripts/bench-aa-launcher.sh scripts/bench.sh --quick
conf=""
stats=""
while [ $# -gt 0 ]; do
  case "$1" in
    -c) conf=$2; shift 2 ;;
    -s) stats=$2; shift 2 ;;
    *) shift ;;
  esac
done
exec "$(command -v nutcracker || echo /usr/sbin/nutcracker)" -c "$conf" -s "$stats" -a 127.0.0.1
