#!/usr/bin/env bash
# CPU profile of the standalone during the ingest benchmark (TDB-02): runs
# bench/ingest-vs-clickhouse.sh for TimberDB only (LZ4, no recovery test, no ClickHouse) with
# async-profiler loaded into the standalone, then prints where the time went.
#
#   bench/profile.sh                          # 10M entries, itimer every 5 ms
#   bench/profile.sh --entries 1M --event alloc
#   bench/profile.sh --help
#
# async-profiler comes from the local Maven repository (tools.profiler:async-profiler:4.1, a jar
# holding linux-x64/libasyncProfiler.so). JFR cannot be used: SOFAJRaft's SIGUSR2 handler breaks it.
# The JVM options are the lines of standalone/jvm.options plus the agent. Output: WORK/prof/NAME.collapsed
# (one line per stack and its sample count; feed it to a flame graph tool) and a summary on stdout.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ENTRIES=10M
EVENT=itimer
INTERVAL=5ms
PORT=20777
WORK=/tmp/tb-profile
NAME=""
EXTRA_OPTS=""
PROFILER_JAR=${ASYNC_PROFILER_JAR:-$HOME/.m2/repository/tools/profiler/async-profiler/4.1/async-profiler-4.1.jar}

usage() {
  cat <<EOF
usage: bench/profile.sh [options]
  --entries N     data set size, as the benchmark takes it [$ENTRIES]
  --event E       itimer (CPU), cpu, wall or alloc [$EVENT]
  --interval I    sampling interval of time events, e.g. 5ms [$INTERVAL]; alloc samples every 512 KiB
  --port P        the standalone's port on 127.0.0.1 [$PORT]
  --work DIR      scratch directory (data set, runs, profiles) [$WORK]
  --name NAME     profile file name [<event>-<entries>-<UTC time>]
  --java-opts S   more JVM options, after those of standalone/jvm.options (e.g. -Xlog:gc:file=gc.log)
Environment: ASYNC_PROFILER_JAR overrides the profiler jar [$PROFILER_JAR].
EOF
}

while [[ $# -gt 0 ]]; do
  case $1 in
    --entries) ENTRIES=$2; shift 2 ;;
    --event) EVENT=$2; shift 2 ;;
    --interval) INTERVAL=$2; shift 2 ;;
    --port) PORT=$2; shift 2 ;;
    --work) WORK=$2; shift 2 ;;
    --name) NAME=$2; shift 2 ;;
    --java-opts) EXTRA_OPTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

[[ -f $PROFILER_JAR ]] || { echo "async-profiler jar not found: $PROFILER_JAR" >&2; exit 1; }
PROF=$WORK/prof
mkdir -p "$PROF"
LIB=$PROF/linux-x64/libasyncProfiler.so
[[ -f $LIB ]] || (cd "$PROF" && unzip -o -q "$PROFILER_JAR" 'linux-x64/*')
NAME=${NAME:-$EVENT-$ENTRIES-$(date -u +%Y%m%dT%H%M%SZ)}
OUT=$PROF/$NAME.collapsed

case $EVENT in
  alloc) AGENT="start,alloc=512k,threads,file=$OUT,collapsed" ;;
  *) AGENT="start,event=$EVENT,interval=$INTERVAL,threads,file=$OUT,collapsed" ;;
esac
OPTS="$(grep -v '^[[:space:]]*#' "$REPO/standalone/jvm.options" | tr -s '[:space:]' ' ') $EXTRA_OPTS -agentpath:$LIB=$AGENT"

"$REPO/bench/ingest-vs-clickhouse.sh" --entries "$ENTRIES" --recovery-wal-mb 0 --clickhouse-codecs "" \
  --timberdb-codecs LZ4 --port "$PORT" --work "$WORK" --timberdb-java-opts "$OPTS"

[[ -s $OUT ]] || { echo "no profile written to $OUT" >&2; exit 1; }
# Summary: samples by thread kind (first frame) and the hottest leaf frames.
awk -v out="$OUT" '
  { n = $NF; total += n; stack = $0; sub(/ [0-9]+$/, "", stack)
    split(stack, frames, ";"); thread = frames[1]; sub(/ tid=[0-9]+/, "", thread); gsub(/[0-9]+/, "", thread); byThread[thread] += n
    leaf = frames[length(frames)]; byLeaf[leaf] += n }
  END {
    printf "%s: %d samples\n\nby thread\n", out, total
    for (t in byThread) printf "%7.1f%%  %s\n", 100 * byThread[t] / total, t | "sort -rn | head -15"
    close("sort -rn | head -15")
    printf "\nhottest frames (self)\n"
    for (f in byLeaf) printf "%7.1f%%  %s\n", 100 * byLeaf[f] / total, f | "sort -rn | head -30"
  }' "$OUT"
