#!/usr/bin/env bash
# End-to-end query benchmark (TDB-03): TimberDB standalone against ClickHouse on this machine, in one
# run, over the same entries, with the queries of bench/queries.tsv.
#
#   bench/query-vs-clickhouse.sh                  # 10M entries (the issue's size)
#   bench/query-vs-clickhouse.sh --entries 1M --runs 3
#   bench/query-vs-clickhouse.sh --help
#
# What it does, in order (each step prints a progress line; the table comes at the end):
#   1. builds the jars if missing and copies them into the run's directory; installs Debian's
#      clickhouse-server if it is missing; generates the data set (all as bench/ingest-vs-clickhouse.sh);
#   2. picks the rare-token needle with io.timberdb.bench.query.NeedleFinder: a 7-digit number that
#      stands as a whole word in 3 to 6 entries and nowhere else;
#   3. ClickHouse (lz4): a fresh server on 127.0.0.1:8123, MergeTree ORDER BY (system, source, ts),
#      the data set inserted as JSONEachRow, OPTIMIZE TABLE … FINAL (one part: its best case); then
#      QueryBench runs each ClickHouse query of the file: --warmup untimed runs, --runs timed ones;
#   4. TimberDB standalone (LZ4, the JVM options of standalone/jvm.options): the data set ingested
#      as NDJSON, a graceful stop (every block sealed) and a restart with the result cache off (so
#      that every timed run scans, as ClickHouse's do); then QueryBench runs each
#      TimberDB query of the file the same way;
#   5. writes bench/results/query-<UTC timestamp>.md with each query's median, min and max, the
#      answers' sizes (checked against each other), and the TimberDB / ClickHouse ratio of medians
#      against the TDB-03 targets.
#
# Only processes started by this script are stopped, by their pid. Traffic stays on loopback.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
ENTRIES=10M
QUERIES=$REPO/bench/queries.tsv
RUNS=11
WARMUP=10

usage() {
  cat <<EOF2
usage: bench/query-vs-clickhouse.sh [options]   (default --entries 10M)
$COMMON_USAGE
  --runs N              timed runs per query; the median is compared [$RUNS]
  --warmup N            untimed runs per query first [$WARMUP]
  --queries FILE        the queries [$QUERIES]
EOF2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --warmup) WARMUP=$2; shift 2 ;;
    --queries) QUERIES=$(cd "$(dirname "$2")" && pwd)/$(basename "$2"); shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) common_option "$@" || { echo "unknown option: $1" >&2; usage >&2; exit 2; }; shift "$SHIFT" ;;
  esac
done

start_run "query-"

# 1. jars, ClickHouse, data set
prepare_jars
ensure_clickhouse
ensure_data

# 2. the needle
log "finding the rare-token needle in the data set"
if ! bench_java io.timberdb.bench.query.NeedleFinder --samples "$SAMPLES" --count "$COUNT" --seed "$SEED" >"$LOGS/needle.properties"; then
  log "no 7-digit number stands alone in 3 to 6 entries (a small data set?): taking one found in 1 to 10"
  bench_java io.timberdb.bench.query.NeedleFinder --samples "$SAMPLES" --count "$COUNT" --seed "$SEED" --min 1 --max 10 \
    >"$LOGS/needle.properties" || die "no needle in this data set"
fi
NEEDLE=$(prop "$LOGS/needle.properties" needle)
NEEDLE_MATCHES=$(prop "$LOGS/needle.properties" matches)
log "needle $NEEDLE: a whole word in $NEEDLE_MATCHES entries"

query_bench() { # query_bench TARGET URL SUMMARY-FILE
  bench_java io.timberdb.bench.query.QueryBench --target "$1" --url "$2" --queries "$QUERIES" --partition bench \
    --var "needle=$NEEDLE" --warmup "$WARMUP" --runs "$RUNS" --summary-file "$3" 2>&1 | tee "$LOGS/$1-queries.log" || true
}

# 3. ClickHouse
dir=$RUN/clickhouse-lz4
log "ClickHouse: starting a server in $dir on 127.0.0.1:$CH_HTTP_PORT"
ch_start "$dir" lz4
log "ClickHouse: pid $CH_PID, ingesting $COUNT entries"
bench_java io.timberdb.bench.load.IngestLoad --target clickhouse --url "http://127.0.0.1:$CH_HTTP_PORT" --create-table \
  --table bench.logs --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" >"$LOGS/clickhouse-load.log" 2>&1 \
  || die "the ClickHouse load failed; see $LOGS/clickhouse-load.log"
ch_wait_merges
ch_query "OPTIMIZE TABLE bench.logs FINAL" >/dev/null
ch_wait_merges
CH_ROWS=$(ch_query "SELECT count() FROM bench.logs")
CH_PARTS=$(ch_query "SELECT count() FROM system.parts WHERE active AND database = 'bench' AND table = 'logs'")
log "ClickHouse: $CH_ROWS rows in $CH_PARTS part(s); running the queries"
query_bench clickhouse "http://127.0.0.1:$CH_HTTP_PORT" "$LOGS/clickhouse-queries.properties"
stop_pid "$CH_PID" "clickhouse-server" 120
CH_PID=""

# 4. TimberDB
TDB_URL=http://127.0.0.1:$PORT
TDB_DATA=$RUN/timberdb
JVM_OPTS=$(jvm_options_file)
log "TimberDB: starting the standalone ($TDB_DATA, 127.0.0.1:$PORT, JVM options: $JVM_OPTS)"
tdb_start load || die "TimberDB did not start"
log "TimberDB: pid $TDB_PID, ingesting $COUNT entries"
bench_java io.timberdb.bench.load.IngestLoad --target timberdb --url "$TDB_URL" --create-partition --partition bench \
  --compression LZ4 --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" >"$LOGS/timberdb-load.log" 2>&1 \
  || die "the TimberDB load failed; see $LOGS/timberdb-load.log"
log "TimberDB: graceful stop (seals every block) and restart"
tdb_stop
# the result cache off: every timed run is a scan, as ClickHouse's are (18.16 has no query cache)
tdb_start queries --timberdb.query.result-cache-size=0 || die "TimberDB did not restart"
TDB_ROWS=$(tdb_entries || echo n/a)
log "TimberDB: $TDB_ROWS entries after the restart (${STARTUP_S}s); running the queries"
query_bench timberdb "$TDB_URL" "$LOGS/timberdb-queries.properties"
tdb_stop

# 5. the table
CHQ=$LOGS/clickhouse-queries.properties
TQ=$LOGS/timberdb-queries.properties
declare -A TARGET=([needle]=0.2 [tag_newest_100]=1 [count_by_level]=2 [count_by_5m_level]=2 [icontains_phrase]=1 [substring]=3)
ORDER=(needle tag_newest_100 count_by_level count_by_5m_level icontains_phrase substring)
{
  echo "# Query benchmark $STAMP: TimberDB $GIT_REV vs ClickHouse $CH_VERSION"
  echo
  echo "Command: \`bench/query-vs-clickhouse.sh --entries $ENTRIES --runs $RUNS --warmup $WARMUP\` (data set $DATA, seed $SEED,"
  echo "$COUNT entries; needle \`$NEEDLE\`, a whole word in $NEEDLE_MATCHES entries). ClickHouse: $CH_ROWS rows in $CH_PARTS"
  echo "part(s) after OPTIMIZE FINAL, lz4. TimberDB: $TDB_ROWS entries, LZ4, restarted after a graceful stop (every"
  echo "block sealed), result cache off (\`--timberdb.query.result-cache-size=0\`: every run scans), JVM options"
  echo "\`$JVM_OPTS\`. Times are wall milliseconds from the request to the whole answer"
  echo "(loopback HTTP), median of $RUNS runs after $WARMUP warm-up run(s); the queries are in \`bench/queries.tsv\`."
  echo
  echo "| query | TimberDB median (min–max) ms | form | ClickHouse median (min–max) ms | ratio | target | met | answers |"
  echo "|---|---:|---|---:|---:|---:|---|---|"
  for q in "${ORDER[@]}"; do
    form=language; tq=$q
    if [[ $(prop "$TQ" "q.$q.status") != ok && $(prop "$TQ" "q.${q}_json.status") == ok ]]; then
      form=JSON; tq=${q}_json
    fi
    t_ok=$(prop "$TQ" "q.$tq.status"); c_ok=$(prop "$CHQ" "q.$q.status")
    t_med=$(prop "$TQ" "q.$tq.median_ms"); c_med=$(prop "$CHQ" "q.$q.median_ms")
    t_cell=n/a; c_cell=n/a; r=n/a; met=n/a
    [[ $t_ok == ok ]] && t_cell="$t_med ($(prop "$TQ" "q.$tq.min_ms")–$(prop "$TQ" "q.$tq.max_ms"))"
    [[ $t_ok != ok && -n $t_ok ]] && { form="$t_ok"; }
    [[ $c_ok == ok ]] && c_cell="$c_med ($(prop "$CHQ" "q.$q.min_ms")–$(prop "$CHQ" "q.$q.max_ms"))"
    if [[ $t_ok == ok && $c_ok == ok ]]; then
      r=$(awk -v a="$t_med" -v b="$c_med" 'BEGIN { if (b == 0) b = 1; printf "%.2f", a / b }')
      met=$(awk -v r="$r" -v t="${TARGET[$q]}" 'BEGIN { print (r <= t ? "yes" : "no") }')
    fi
    t_m=$(prop "$TQ" "q.$tq.matched"); c_m=$(prop "$CHQ" "q.$q.matched")
    answers="rows $(prop "$TQ" "q.$tq.rows")/$(prop "$CHQ" "q.$q.rows")"
    [[ -n $t_m && $t_m != -1 && -n $c_m && $c_m != -1 ]] && answers="$answers, matched $t_m/$c_m $([[ $t_m == "$c_m" ]] && echo same || echo DIFFERENT)"
    echo "| $q | $t_cell | $form | $c_cell | $r | ≤ ${TARGET[$q]} | $met | $answers |"
  done
  echo
  echo "\"answers\": rows returned by TimberDB / ClickHouse, and for counts the number each found. A query TimberDB"
  echo "does not answer yet says so in \"form\" (unsupported: the server's answer is in the run's logs)."
  echo
  echo "Logs of this run: $LOGS"
} >"$RESULT"
cat "$RESULT"
log "results written to $RESULT"
