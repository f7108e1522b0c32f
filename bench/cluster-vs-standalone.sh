#!/usr/bin/env bash
# Cluster ingest throughput with replication (TDB-05) as a ratio to the standalone, in one run on
# this machine, with the same entries.
#
#   bench/cluster-vs-standalone.sh                  # 1M entries
#   bench/cluster-vs-standalone.sh --entries 300k --rounds 3
#   bench/cluster-vs-standalone.sh --help
#
# What it does, in order (a progress line for each step; the table comes at the end):
#   1. builds the jars if missing and generates the data set (bench/lib.sh);
#   2. for each round: the standalone (standalone/jvm.options, a fresh data directory, on
#      127.0.0.1:--port) takes the data set as NDJSON into a partition of --shards shards; then a
#      local cluster (./timberdb cluster up: 3 coordinators, 3 storage nodes, ingest, query and
#      gateway, each JVM with --cluster-java-opts, ports shifted by --port-offset, its own
#      directory under the run) takes the same data set through the ingest service into a
#      partition of --shards shards, replication factor 3 and minimum ISR 2, and is stopped;
#   3. checks that each partition holds every entry (count by query), and writes
#      bench/results/cluster-<UTC timestamp>.md with entries/s of each and the median ratio.
#
# Only processes started by this script (or by the launcher it runs, on its own directory) are
# stopped. Traffic stays on loopback.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
ROUNDS=2
SHARDS=3
OFFSET=3000
CLUSTER_JAVA_OPTS="-Xms256m -Xmx512m -XX:+UseParallelGC"

usage() {
  cat <<EOF
usage: bench/cluster-vs-standalone.sh [options]   (default --entries 1M)
$COMMON_USAGE
  --rounds N            standalone-then-cluster rounds; the ratio is the median [$ROUNDS]
  --shards N            shards of each partition [$SHARDS]
  --port-offset N       the local cluster's port offset [$OFFSET]
  --cluster-java-opts S JVM options of every cluster process ["$CLUSTER_JAVA_OPTS"]
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --shards) SHARDS=$2; shift 2 ;;
    --port-offset) OFFSET=$2; shift 2 ;;
    --cluster-java-opts) CLUSTER_JAVA_OPTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) common_option "$@" || { echo "unknown option: $1" >&2; usage >&2; exit 2; }; shift "$SHIFT" ;;
  esac
done

start_run "cluster-"
CLUSTER_RUN_DIR=$RUN/cluster
cluster() { TIMBERDB_CLUSTER_DIR=$CLUSTER_RUN_DIR TIMBERDB_SKIP_BUILD=1 TIMBERDB_CLUSTER_JAVA_OPTS=$CLUSTER_JAVA_OPTS \
  "$REPO/timberdb" cluster "$@"; }
cluster_cleanup() {
  local rc=$?
  [[ -d $CLUSTER_RUN_DIR ]] && cluster down >/dev/null 2>&1 || true
  (exit $rc)
  cleanup
}
trap cluster_cleanup EXIT
prepare_jars
for module in coordinator storage-node ingest-service query-service gateway; do
  [[ -f $REPO/$module/target/$module-0.1.0-SNAPSHOT-exec.jar ]] || die "$module's jar is missing: ./mvnw -DskipTests install"
done
ensure_data
JVM_OPTS=$(jvm_options_file)
TDB_URL=http://127.0.0.1:$PORT
INGEST_URL=http://127.0.0.1:$((7831 + OFFSET))
GATEWAY_URL=http://127.0.0.1:$((7777 + OFFSET))

count_of() { # count_of URL PARTITION: entries the partition holds, by query
  curl -sf --max-time 60 -H 'Content-Type: application/json' \
    -d "{\"query\":\"SELECT count(*) FROM \\\"$2\\\"\"}" "$1/api/v1/query" \
    | grep -o '"matched_entries":[0-9]*' | cut -d: -f2
}

declare -a S_EPS C_EPS RATIOS
for ((round = 1; round <= ROUNDS; round++)); do
  log "round $round/$ROUNDS: standalone"
  TDB_DATA=$RUN/timberdb-standalone-$round
  tdb_start "standalone-$round" || die "the standalone did not start"
  curl -sf --max-time 30 -H 'Content-Type: application/json' \
    -d "{\"name\":\"bench\",\"shard_count\":$SHARDS}" "$TDB_URL/api/v1/partitions" >/dev/null
  summary=$LOGS/standalone-$round.properties
  bench_java io.timberdb.bench.load.IngestLoad --target timberdb --url "$TDB_URL" --partition bench \
    --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" --summary-file "$summary" >"$LOGS/load-standalone-$round.log" 2>&1 \
    || die "the standalone load failed; see $LOGS/load-standalone-$round.log"
  S_EPS[round]=$(prop "$summary" entries_per_s)
  stored=$(count_of "$TDB_URL" bench)
  [[ $stored == "$COUNT" ]] || die "the standalone holds $stored entries, not $COUNT"
  tdb_stop
  log "  standalone: $(thousands "${S_EPS[round]}") entries/s"

  log "round $round/$ROUNDS: local cluster (RF 3, min ISR 2)"
  rm -rf "$CLUSTER_RUN_DIR"
  cluster up --port-offset "$OFFSET" >"$LOGS/cluster-up-$round.log" 2>&1 || die "the cluster did not start; see $LOGS/cluster-up-$round.log"
  for ((i = 0; i < 120; i++)); do
    if curl -sf --max-time 10 -H 'Content-Type: application/json' \
        -d "{\"name\":\"bench\",\"shard_count\":$SHARDS,\"replication_factor\":3,\"min_insync_replicas\":2}" \
        "$GATEWAY_URL/api/v1/partitions" >/dev/null; then break; fi
    sleep 1
  done
  summary=$LOGS/cluster-$round.properties
  bench_java io.timberdb.bench.load.IngestLoad --target timberdb --url "$INGEST_URL" --partition bench \
    --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" --summary-file "$summary" >"$LOGS/load-cluster-$round.log" 2>&1 \
    || die "the cluster load failed; see $LOGS/load-cluster-$round.log"
  C_EPS[round]=$(prop "$summary" entries_per_s)
  stored=$(count_of "$GATEWAY_URL" bench)
  [[ $stored == "$COUNT" ]] || die "the cluster holds $stored entries, not $COUNT"
  cluster down >/dev/null
  RATIOS[round]=$(ratio "${C_EPS[round]}" "${S_EPS[round]}" 3)
  log "  cluster: $(thousands "${C_EPS[round]}") entries/s, ratio ${RATIOS[round]}"
done

MEDIAN=$(printf '%s\n' "${RATIOS[@]}" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
{
  echo "# Cluster (RF 3, min ISR 2) vs standalone ingest, $STAMP"
  echo
  echo "Command: \`bench/cluster-vs-standalone.sh --entries $ENTRIES --rounds $ROUNDS --shards $SHARDS --batch $BATCH --clients $CLIENTS\`;"
  echo "commit $GIT_REV ($GIT_DIRTY changed files); $(nproc) cores; cluster JVM options \`$CLUSTER_JAVA_OPTS\`."
  echo
  echo "| round | standalone entries/s | cluster entries/s | cluster / standalone |"
  echo "|---:|---:|---:|---:|"
  for ((round = 1; round <= ROUNDS; round++)); do
    echo "| $round | $(thousands "${S_EPS[round]}") | $(thousands "${C_EPS[round]}") | ${RATIOS[round]} |"
  done
  echo
  echo "Median ratio: **$MEDIAN**. Both hold all $(thousands "$COUNT") entries of each round (count by query)."
} >"$RESULT"
show_result
