#!/usr/bin/env bash
# JMH benchmarks of TimberDB's hot paths (benchmarks module, io.timberdb.bench.jmh), with short
# settings, and the codec ratio table. Results: bench/results/jmh-<UTC timestamp>.{txt,csv,md}.
#
#   bench/jmh.sh                        # every benchmark, -f 1 -wi 2 -i 3
#   bench/jmh.sh CodecBenchmark         # a regex of benchmarks, as JMH takes it
#   JMH_OPTS="-f 2 -wi 5 -i 10" bench/jmh.sh WalAppend
#   bench/jmh.sh -l                     # list them
#
# The iteration times are set on each benchmark class (1-3 s); JMH_OPTS may override them (-w, -r).
# Build first if the jar is missing: ./mvnw -q -DskipTests install (benchmarks/target/benchmarks.jar).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
JAR=$REPO/benchmarks/target/benchmarks.jar
JMH_OPTS=${JMH_OPTS:--f 1 -wi 2 -i 3}
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$REPO/bench/results/jmh-$STAMP
mkdir -p "$REPO/bench/results"
# BENCH_GIT_REV / BENCH_GIT_DIRTY: for a copy without .git (e.g. from git archive)
GIT_REV=${BENCH_GIT_REV:-$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)}
GIT_DIRTY=${BENCH_GIT_DIRTY:-$(git -C "$REPO" status --porcelain 2>/dev/null | wc -l | tr -d ' ')}

if [[ ! -f $JAR || ${REBUILD:-0} == 1 ]]; then
  echo "building $JAR (./mvnw -q -DskipTests install -pl benchmarks -am)"
  (cd "$REPO" && ./mvnw -q -DskipTests install -pl benchmarks -am)
fi
# a private copy, so that a rebuild during the run cannot swap the jar
COPY=$(mktemp -d)/benchmarks.jar
trap 'rm -rf "$(dirname "$COPY")"' EXIT
cp "$JAR" "$COPY"

if [[ ${1:-} == -l ]]; then
  exec java -jar "$COPY" -l
fi

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "JMH: java -jar benchmarks.jar $* $JMH_OPTS -rf csv  (results in $OUT.*); load average $LOAD_BEFORE"
# shellcheck disable=SC2086 # JMH_OPTS is a list of words
java -jar "$COPY" "$@" $JMH_OPTS -rf csv -rff "$OUT.csv" | tee "$OUT.txt"

{
  echo "# JMH, $STAMP"
  echo
  echo "$(nproc) cores, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(java -version 2>&1 | head -1),"
  echo "TimberDB $GIT_REV ($GIT_DIRTY uncommitted file(s)). Load average (1, 5, 15 min) before: $LOAD_BEFORE;"
  echo "after: $(cut -d' ' -f1-3 /proc/loadavg) (the benchmarks themselves keep about 1-2 of the $(nproc) cores busy)."
  echo
  echo "Command: \`bench/jmh.sh $*\` (JMH options: \`$JMH_OPTS\`)"
  echo
  java -cp "$COPY" io.timberdb.bench.jmh.JmhReport "$OUT.csv"
  if [[ -z ${1:-} || $* == *Codec* ]]; then
    echo
    echo "Compression ratios of the same generated text (io.timberdb.bench.codec.CodecRatios, 32 MB per kind):"
    echo
    java -cp "$COPY" io.timberdb.bench.codec.CodecRatios --text-mb 32
  fi
} >"$OUT.md"
echo
cat "$OUT.md"
echo
echo "results: $OUT.md ($OUT.csv, $OUT.txt)"
