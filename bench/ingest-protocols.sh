#!/usr/bin/env bash
# Ingest protocol benchmark (TDB-06): the same entries through each of TimberDB's HTTP ingest
# protocols, each protocol's rate as a ratio to native NDJSON (target: ≥ 0.7× for every protocol).
#
#   bench/ingest-protocols.sh                               # 1M entries, 3 rounds
#   bench/ingest-protocols.sh --entries 200k --rounds 2     # a quick check
#   bench/ingest-protocols.sh --help
#
# What it does, in order (each step prints a progress line; the table comes at the end):
#   1. builds the jars if missing (lib.sh: ./mvnw -DskipTests install) and copies them into the
#      run's directory, so that a rebuild during the run cannot swap them;
#   2. starts ONE TimberDB standalone on a fresh data directory, on 127.0.0.1:$PORT, with the JVM
#      options of standalone/jvm.options (as ./timberdb up uses them) and no other; with syslog in
#      --protocols, also its syslog TCP listener on 127.0.0.1:$SYSLOG_PORT (a free port), writing to
#      pb-syslog (--timberdb.ingest.syslog.tcp.enabled=true, ...tcp.port, ...partition; the rest default);
#   3. runs io.timberdb.bench.load.ProtocolLoad against it: it generates N loghub entries and
#      encodes every protocol's request bodies before anything is timed (same batches for all),
#      creates a partition per protocol (pb-<protocol>) and pb-warmup, sends a warm-up pass of each
#      protocol to pb-warmup (syslog's to pb-syslog, its listener's one partition), then R rounds of
#      all N entries per protocol, in the order ndjson, es-bulk, loki-protobuf, loki-json,
#      otlp-protobuf, otlp-json, syslog in odd rounds and the reverse in even ones; entries/s per
#      protocol is the median over the rounds. Syslog (RFC 5424, octet-counted frames over
#      --clients TCP connections) has no acknowledgement: its time runs until a count(*) of
#      pb-syslog, polled every 20 ms after the last write, shows every entry stored;
#   4. checks with a count(*) query that each partition holds exactly N × R entries (pb-warmup:
#      the warm-up's entries; pb-syslog: its warm-up's too): a run whose counts do not match FAILS
#      (exit 1, the table says so);
#   5. stops the standalone it started (by its pid), writes bench/results/protocols-<UTC>.md and
#      prints the table.
#
# The protocols and their mappings are in io.timberdb.bench.protocol.Protocol (syslog's in SyslogEncoder).
# Only the process this script started is stopped, by its pid. Traffic stays on 127.0.0.1.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
ENTRIES=1M
ROUNDS=3
WARMUP=""
ALL_PROTOCOLS="ndjson,es-bulk,loki-protobuf,loki-json,otlp-protobuf,otlp-json,syslog"
PROTOCOLS=$ALL_PROTOCOLS
TARGET_RATIO=0.7
EXTRA_JAVA_OPTS=""
SYSLOG_PORT=""

usage() {
  cat <<USAGE
usage: bench/ingest-protocols.sh [options]
  --rounds R            timed rounds; entries/s is the median over them [$ROUNDS]
  --warmup-entries N    entries per protocol sent to pb-warmup before the rounds [min(entries, 200k)]
  --protocols LIST      comma-separated, ndjson first [$PROTOCOLS]
  --java-opts S         more JVM options for the standalone, after standalone/jvm.options (e.g. a profiler agent)
  --syslog-port P       the standalone's syslog TCP port on 127.0.0.1 [the first free one after --port]
$COMMON_USAGE
  (--entries defaults to $ENTRIES here; --seed, --batch, --clients, --port as listed)
USAGE
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --rounds) ROUNDS=$2; shift 2 ;;
    --warmup-entries) WARMUP=$2; shift 2 ;;
    --protocols) PROTOCOLS=$2; shift 2 ;;
    --java-opts) EXTRA_JAVA_OPTS=$2; shift 2 ;;
    --syslog-port) SYSLOG_PORT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *)
      common_option "$@" || { echo "unknown option $1" >&2; usage >&2; exit 2; }
      shift "$SHIFT" ;;
  esac
done

start_run protocols-
TDB_URL=http://127.0.0.1:$PORT
log "run directory $RUN"
prepare_jars

# ---------------------------------------------------------------------------------------------
# 1. one standalone, fresh data directory

TDB_DATA=$RUN/timberdb-protocols
rm -rf "$TDB_DATA"
JVM_OPTS="$(jvm_options_file)${EXTRA_JAVA_OPTS:+ $EXTRA_JAVA_OPTS}"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
syslog_args=()
load_syslog_args=()
if [[ ,$PROTOCOLS, == *,syslog,* ]]; then
  if [[ -z $SYSLOG_PORT ]]; then
    SYSLOG_PORT=$((PORT + 1))
    while ! port_free "$SYSLOG_PORT"; do
      SYSLOG_PORT=$((SYSLOG_PORT + 1))
      [[ $SYSLOG_PORT -le $((PORT + 100)) ]] || die "no free port for syslog in $((PORT + 1))-$((PORT + 100)); give --syslog-port"
    done
  fi
  port_free "$SYSLOG_PORT" || die "port $SYSLOG_PORT on 127.0.0.1 is in use; choose another with --syslog-port"
  syslog_args=(--timberdb.ingest.syslog.tcp.enabled=true "--timberdb.ingest.syslog.tcp.port=$SYSLOG_PORT"
    --timberdb.ingest.syslog.partition=pb-syslog)
  load_syslog_args=(--syslog-port "$SYSLOG_PORT")
fi
log "starting the TimberDB standalone on $TDB_URL (JVM options from standalone/jvm.options: $JVM_OPTS)${SYSLOG_PORT:+; syslog TCP on 127.0.0.1:$SYSLOG_PORT to pb-syslog}"
tdb_start protocols "${syslog_args[@]}" || die "TimberDB did not start; see $LOGS/timberdb-protocols.log"
log "TimberDB ready after ${STARTUP_S}s (pid $TDB_PID)"

# ---------------------------------------------------------------------------------------------
# 2. the load: warm-up and rounds

SUMMARY=$RUN/protocols.properties
warmup_args=()
[[ -n $WARMUP ]] && warmup_args=(--warmup-entries "$WARMUP")
log "loading $ENTRIES entries per protocol and round, $ROUNDS round(s), batches of $BATCH, $CLIENTS client(s): $PROTOCOLS (log $LOGS/load.log)"
b0=$(busy_jiffies); s0=$(pid_jiffies "$TDB_PID")
set +e
bench_java io.timberdb.bench.load.ProtocolLoad --url "$TDB_URL" --samples "$SAMPLES" --entries "$ENTRIES" \
  --seed "$SEED" --batch "$BATCH" --clients "$CLIENTS" --rounds "$ROUNDS" --protocols "$PROTOCOLS" \
  "${warmup_args[@]}" "${load_syslog_args[@]}" --server-pid "$TDB_PID" --summary-file "$SUMMARY" 2>&1 | while IFS= read -r line; do log "$line"; done | tee "$LOGS/load.log"
load_rc=${PIPESTATUS[0]}
set -e
b1=$(busy_jiffies); s1=$(pid_jiffies "$TDB_PID")
[[ $load_rc -eq 0 && -f $SUMMARY ]] || die "the load failed (exit $load_rc); see $LOGS/load.log and $LOGS/timberdb-protocols.log"
SERVER_CPU=$(calc '(s1 - s0) / hz' -v s0="$s0" -v s1="$s1" -v hz="$HZ")
OTHER_CPU=$(calc '(b1 - b0 - (s1 - s0)) / hz' -v b0="$b0" -v b1="$b1" -v s0="$s0" -v s1="$s1" -v hz="$HZ")

# ---------------------------------------------------------------------------------------------
# 3. what each partition holds, by query

tdb_count() { # tdb_count PARTITION: count(*) of the partition, or n/a
  curl -sS --max-time 600 -H 'Content-Type: application/json' \
    -d "{\"query\":\"SELECT count(*) FROM \\\"$1\\\"\"}" "$TDB_URL/api/v1/query" 2>/dev/null \
    | grep -o '"rows":\[\[[0-9]*' | grep -o '[0-9]*$' || echo n/a
}
COUNTS_OK=1
declare -A HELD
for p in ${PROTOCOLS//,/ } warmup; do
  if [[ $p == warmup ]]; then
    partition=$(prop "$SUMMARY" warmup.partition); expected=$(prop "$SUMMARY" warmup.expected)
  else
    partition=$(prop "$SUMMARY" "$p.partition"); expected=$(prop "$SUMMARY" "$p.expected")
  fi
  HELD[$p]=$(tdb_count "$partition")
  if [[ ${HELD[$p]} == "$expected" ]]; then
    log "count: $partition holds ${HELD[$p]} entries, as expected"
  else
    COUNTS_OK=0
    log "count: $partition holds ${HELD[$p]} entries, expected $expected: MISMATCH"
  fi
done
HWM=$(vm_hwm_bytes "$TDB_PID")
log "TimberDB peak RSS $(mib "$HWM") MiB; stopping it (SIGTERM, pid $TDB_PID)"
tdb_stop

# ---------------------------------------------------------------------------------------------
# 4. report

JAVA_VERSION=$(java -version 2>&1 | head -1)
MEM_TOTAL=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
met() { awk -v r="$1" -v t="$TARGET_RATIO" 'BEGIN { if (r == "" || r == "n/a") print "n/a"; else print (r >= t ? "yes" : "**no**") }' </dev/null; }
{
  echo "# Ingest protocol benchmark, $STAMP"
  echo
  echo "TimberDB $GIT_REV ($GIT_DIRTY uncommitted file(s)), one standalone on this machine: $(nproc) cores, $MEM_TOTAL RAM,"
  echo "$(uname -r), $JAVA_VERSION; JVM options of the standalone: \`$JVM_OPTS\`."
  echo "Entries: $(thousands "$(prop "$SUMMARY" entries)") loghub entries (seed $SEED) per protocol and round, the same for every"
  echo "protocol, in batches of $(thousands "$BATCH") entries, pre-encoded before timing; $CLIENTS concurrent clients, HTTP/1.1 on loopback;"
  echo "$ROUNDS round(s), protocol order reversed every other round, after a warm-up pass of each protocol."
  echo
  echo "Command: \`bench/ingest-protocols.sh --entries $ENTRIES --rounds $ROUNDS --batch $BATCH --clients $CLIENTS --seed $SEED${WARMUP:+ --warmup-entries $WARMUP}$([[ $PROTOCOLS != "$ALL_PROTOCOLS" ]] && printf ' --protocols %s' "$PROTOCOLS")${EXTRA_JAVA_OPTS:+ --java-opts \"$EXTRA_JAVA_OPTS\"}\`"
  echo
  [[ $COUNTS_OK -eq 1 ]] || { echo "**FAILED: a partition does not hold what was sent (see the held column); the rates below are not valid.**"; echo; }
  echo "| protocol | entries/s (median) | ratio to NDJSON | ≥ $TARGET_RATIO× | entries/s per round | server CPU µs/entry (median) | CPU ratio | body bytes/entry | partition holds (expected) |"
  echo "|---|---:|---:|---|---|---:|---:|---:|---:|"
  for p in ${PROTOCOLS//,/ }; do
    r=$(prop "$SUMMARY" "$p.ratio")
    target=$(met "$r")
    [[ $p == ndjson ]] && target="(reference)"
    echo "| $p | $(thousands "$(prop "$SUMMARY" "$p.median")") | $r | $target | $(prop "$SUMMARY" "$p.rounds") | $(prop "$SUMMARY" "$p.cpu_us_per_entry") | $(prop "$SUMMARY" "$p.cpu_ratio") | $(prop "$SUMMARY" "$p.bytes_per_entry") | $(thousands "${HELD[$p]}") ($(thousands "$(prop "$SUMMARY" "$p.expected")")) |"
  done
  echo
  echo "CPU ratio: NDJSON's server CPU time per entry over this protocol's (the server's /proc CPU time during each"
  echo "round, median over rounds): the same reading as the rate ratio, less disturbed by other work on the machine."
  echo "Warm-up partition $(prop "$SUMMARY" warmup.partition): holds $(thousands "${HELD[warmup]}") (expected $(thousands "$(prop "$SUMMARY" warmup.expected)"))."
  echo "Server CPU during the load: ${SERVER_CPU} s; everything else on the machine (load driver included): ${OTHER_CPU} s;"
  echo "server peak RSS $(mib "$HWM") MiB."
  echo
  echo "Stored entries: each HTTP protocol stores the native entry (timestamp to the ns, source, tags system, level,"
  echo "component, message); Loki and OTLP also keep their source label / attribute as a tag (host, host.name), as"
  echo "their mappings say. Bodies: see io.timberdb.bench.protocol.Protocol."
  if [[ ,$PROTOCOLS, == *,syslog,* ]]; then
    echo
    echo "Syslog: RFC 5424 with octet-counting framing over $CLIENTS TCP connection(s) to the standalone's listener"
    echo "(127.0.0.1:$SYSLOG_PORT, partition pb-syslog, batch-size and linger at their defaults, 500 and 200 ms). It has no"
    echo "acknowledgement, so its time runs from the first connection until a count(*) of pb-syslog, polled every 20 ms"
    echo "after the last write, shows every entry stored; its warm-up went to pb-syslog too (its listener has one partition)."
    echo "Its entries differ as its mapping must: timestamps to the microsecond (RFC 5424), the system as tag app, the"
    echo "component as tag sd.loghub@32473.component, tags facility and severity added, levels notice and trace stored"
    echo "as info and debug (io.timberdb.bench.protocol.SyslogEncoder)."
  fi
  echo
  echo "Logs of this run: $LOGS"
} >"$RESULT"
show_result
[[ $COUNTS_OK -eq 1 ]] || die "a partition's count does not match what was sent"
