#!/usr/bin/env bash
# Runs the fuzz targets (proxy/src/test/java/io/shardgate/fuzz) long, one at a time, and prints what each did.
#
#   scripts/fuzz.sh [--duration D] [--runs N] [--keep-going N] [TARGET ...]
#
#   --duration D    how long to fuzz each target, a Jazzer duration such as 30m, 2h (default 1h)
#   --runs N        stop a target after N inputs instead (e.g. 10000000); the duration still bounds it
#   --keep-going N  go on after a finding, until N distinct findings (default 1: stop at the first)
#   TARGET          any of the targets below (default: all of them, in this order)
#
# One target runs at a time (Jazzer fuzzes one target per JVM, and the machine's cores are shared). The
# corpus each run grows is kept in proxy/.cifuzz-corpus/ (git-ignored) and seeds the next run; a finding is
# written by Jazzer into the target's seed directory, proxy/src/test/resources/io/shardgate/fuzz/<Target>Inputs/,
# where `mvn verify` replays it until it is fixed (then turn it into a named test in FuzzFindingsTest).
# Logs go to run/fuzz-<timestamp>/<Target>.log (git-ignored); the summary, one line per target with
# libFuzzer's own figures (inputs run, coverage, features, corpus, exec/s), to run/fuzz-<timestamp>/summary.md.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ALL=(McTextRequestFuzzTest MetaRequestFuzzTest McReplyFuzzTest RespRequestFuzzTest RespReplyFuzzTest ConfigLoaderFuzzTest)
DURATION=1h
RUNS=0
KEEP_GOING=1
TARGETS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --duration) DURATION="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --keep-going) KEEP_GOING="$2"; shift 2 ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) TARGETS+=("$1"); shift ;;
  esac
done
[[ ${#TARGETS[@]} -gt 0 ]] || TARGETS=("${ALL[@]}")
for t in "${TARGETS[@]}"; do
  [[ " ${ALL[*]} " == *" $t "* ]] || { echo "unknown target $t (targets: ${ALL[*]})" >&2; exit 2; }
done

cd "$ROOT"
OUT="run/fuzz-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT"
echo "compiling (mvn -pl proxy test-compile) ..."
mvn -B -ntp -q -pl proxy test-compile

SUMMARY="$OUT/summary.md"
{
  echo "| target | result | inputs run | seconds | exec/s | cov | ft | corpus |"
  echo "|---|---|---:|---:|---:|---:|---:|---|"
} > "$SUMMARY"
status=0
for t in "${TARGETS[@]}"; do
  log="$OUT/$t.log"
  echo "fuzzing $t for $DURATION (log: $log) ..."
  extra=()
  [[ "$RUNS" != 0 ]] && extra+=("-Djazzer.max_executions=$RUNS")
  start=$(date +%s)
  result=passed
  mvn -B -ntp -pl proxy surefire:test@fuzz -Dfuzz.test="$t" -Dfuzz.duration="$DURATION" \
      -Djazzer.keep_going="$KEEP_GOING" "${extra[@]}" > "$log" 2>&1 || { result=FAILED; status=1; }
  seconds=$(( $(date +%s) - start ))
  # libFuzzer's last status line, e.g. "#123456 DONE cov: 611 ft: 1450 corp: 80/3120b lim: 4096 exec/s: 201 rss: 900Mb"
  last=$(grep -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE|INITED)' "$log" | tail -1 || true)
  runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
  done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)
  fuzz_seconds=$(sed -nE 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1/p' <<<"$done_line")
  field() { sed -nE "s|.* $1: ([^ ]+).*|\1|p" <<<"$last"; }
  echo "| $t | $result | ${runs:-?} | ${fuzz_seconds:-?} (wall $seconds) | $(field exec/s) | $(field cov) | $(field ft) | $(field corp) |" >> "$SUMMARY"
  tail -1 "$SUMMARY"
  if [[ $result == FAILED ]]; then
    grep -E '== Java Exception|AssertionError|Exception:|timeout after|crash-|Test unit written' "$log" | head -20 || true
  fi
done
echo
cat "$SUMMARY"
exit $status
