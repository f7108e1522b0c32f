#!/usr/bin/env bash
# End-to-end ingest benchmark (TDB-02): TimberDB standalone against ClickHouse on this machine, in
# one run, with the same entries.
#
#   bench/ingest-vs-clickhouse.sh                 # 1M entries
#   bench/ingest-vs-clickhouse.sh --entries 10M   # 10M entries (long)
#   bench/ingest-vs-clickhouse.sh --help
#
# What it does, in order (each step prints a progress line; the table comes at the end):
#   1. builds the jars if missing (./mvnw -DskipTests install) and copies them into the run's
#      directory, so that a rebuild during the run cannot swap them;
#   2. installs Debian's clickhouse-server if it is missing (apt-get; bookworm has 18.16);
#   3. generates the data set with io.timberdb.bench.data.LoghubGenerator (skipped when the
#      same data set exists);
#   4. ClickHouse, twice (compression lz4, then zstd; a fresh server and data directory each time,
#      started by this script on 127.0.0.1:8123): MergeTree ORDER BY (system, source, ts),
#      JSONEachRow over HTTP, same batches and clients; rows, parts and bytes_on_disk from
#      system.parts after the inserts and again after OPTIMIZE TABLE … FINAL; the server's VmHWM;
#   5. TimberDB standalone, once per codec (LZ4, then Zstd: the partition's `compression`; java
#      -jar with the default settings: the JVM options of standalone/jvm.options, as ./timberdb up
#      uses them, and no other; a fresh data directory each time): NDJSON over HTTP; VmHWM;
#      graceful stop (SIGTERM: the active block is sealed, the WAL emptied) and the size of the
#      storage directory; the restart time after that stop (LZ4 run);
#   6. recovery: a standalone whose partition has --recovery-shards shards (the active block of
#      one shard never holds more than 64 MiB, so 1 GB of un-sealed WAL needs many shards) gets
#      passes of the data set until its WAL holds --recovery-wal-mb, is killed with kill -9, and
#      restarted: the time from the restart to GET /health 200, and that every acknowledged
#      entry is back (JVM without options: 1 GiB of active blocks does not fit the default heap);
#   7. writes bench/results/<UTC timestamp>.md and prints the tables with TimberDB/ClickHouse ratios.
#
# Only processes started by this script are stopped, by their pid. Traffic stays on loopback.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=bench/lib.sh
source "$REPO/bench/lib.sh"
ENTRIES=1M
RECOVERY_WAL_MB=1024
RECOVERY_SHARDS=32
TDB_CODECS="LZ4 Zstd"
TDB_MAX_SECONDS=0
TDB_JAVA_OPTS="unset"
RECOVERY_JAVA_OPTS=""
CODECS="lz4 zstd"

usage() {
  cat <<EOF
usage: bench/ingest-vs-clickhouse.sh [options]   (default --entries 1M)
$COMMON_USAGE
  --recovery-wal-mb N   un-sealed WAL to reach before the kill -9 recovery test; 0 skips the
                        restart and recovery measurements [$RECOVERY_WAL_MB]
  --recovery-shards N   shards of the recovery test's partition [$RECOVERY_SHARDS]
  --timberdb-codecs L   TimberDB runs, partition codecs among None LZ4 Zstd Snappy Gzip [$TDB_CODECS]
  --clickhouse-codecs L ClickHouse runs, a subset of "lz4 zstd" [$CODECS]
  --timberdb-java-opts S  JVM options of the standalone's ingest runs ["" for none; by default the
                        lines of standalone/jvm.options, the options ./timberdb up uses]
  --recovery-java-opts S  JVM options of the recovery test's standalone [none: the JVM's default
                        heap, since 1 GiB of un-sealed WAL is held in memory as active blocks]
  --timberdb-max-seconds N  stop sending to TimberDB after N seconds (the table then says how
                        many entries it took); 0: no limit [$TDB_MAX_SECONDS]
EOF
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --recovery-wal-mb) RECOVERY_WAL_MB=$2; shift 2 ;;
    --clickhouse-codecs) CODECS=$2; shift 2 ;;
    --timberdb-codecs) TDB_CODECS=$2; shift 2 ;;
    --recovery-shards) RECOVERY_SHARDS=$2; shift 2 ;;
    --timberdb-max-seconds) TDB_MAX_SECONDS=$2; shift 2 ;;
    --timberdb-java-opts) TDB_JAVA_OPTS=$2; shift 2 ;;
    --recovery-java-opts) RECOVERY_JAVA_OPTS=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) common_option "$@" || { echo "unknown option: $1" >&2; usage >&2; exit 2; }; shift "$SHIFT" ;;
  esac
done

if [[ $TDB_JAVA_OPTS == unset ]]; then
  TDB_JAVA_OPTS=""
  TDB_JAVA_OPTS_FROM="no JVM options"
  if [[ -f $REPO/standalone/jvm.options ]]; then
    TDB_JAVA_OPTS=$(jvm_options_file)
    TDB_JAVA_OPTS_FROM="standalone/jvm.options"
  fi
else
  TDB_JAVA_OPTS_FROM="--timberdb-java-opts"
fi

start_run ""

# 1.-3. (bench/lib.sh)
prepare_jars
ensure_clickhouse
ensure_data

# ---------------------------------------------------------------------------------------------
# 4. ClickHouse runs

parts_tsv() {
  ch_query "SELECT count(), sum(rows), sum(bytes_on_disk), sum(data_compressed_bytes), sum(data_uncompressed_bytes) \
FROM system.parts WHERE active AND database = 'bench' AND table = 'logs' FORMAT TSV"
}

declare -A CH
for codec in $CODECS; do
  dir=$RUN/clickhouse-$codec
  log "ClickHouse ($codec): starting a server in $dir on 127.0.0.1:$CH_HTTP_PORT"
  ch_start "$dir" "$codec"
  log "ClickHouse ($codec): pid $CH_PID, version $(ch_query 'SELECT version()'), ingesting $COUNT entries"
  summary=$LOGS/clickhouse-$codec.properties
  b0=$(busy_jiffies); s0=$(pid_jiffies "$CH_PID")
  if bench_java io.timberdb.bench.load.IngestLoad --target clickhouse --url "http://127.0.0.1:$CH_HTTP_PORT" \
      --create-table --table bench.logs --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" --summary-file "$summary" \
      2>&1 | tee "$LOGS/clickhouse-$codec-load.log"; then
    b1=$(busy_jiffies); s1=$(pid_jiffies "$CH_PID")
    CH[$codec.server_cpu]=$(calc '(s1 - s0) / hz' -v s0="$s0" -v s1="$s1" -v hz="$HZ")
    CH[$codec.other_cpu]=$(other_cpu "$b0" "$b1" "$s0" "$s1" "$(prop "$summary" driver_cpu_s)")
    rows=$(ch_query "SELECT count() FROM bench.logs")
    ch_wait_merges
    read -r p_parts _ p_bytes _ _ <<<"$(parts_tsv)"
    log "ClickHouse ($codec): $rows rows; after the inserts and their background merges: $p_parts part(s), $p_bytes bytes on disk"
    t0=$(now_ms)
    # OPTIMIZE does nothing (silently) while a merge of those parts runs: wait, retry, a few times
    for ((try = 0; try < 5; try++)); do
      ch_query "OPTIMIZE TABLE bench.logs FINAL" >/dev/null
      ch_wait_merges
      read -r o_parts _ o_bytes _ o_uncomp <<<"$(parts_tsv)"
      [[ $o_parts -le 1 ]] && break
    done
    opt_s=$(calc '(b - a) / 1000' -v a="$t0" -v b="$(now_ms)")
    log "ClickHouse ($codec): after OPTIMIZE FINAL (${opt_s}s): $o_parts part(s), $o_bytes bytes on disk"
    CH[$codec.ok]=1
    CH[$codec.rows]=$rows
    CH[$codec.eps]=$(prop "$summary" entries_per_s)
    CH[$codec.mbps]=$(prop "$summary" mb_per_s)
    CH[$codec.seconds]=$(prop "$summary" seconds)
    CH[$codec.p50]=$(prop "$summary" latency_p50_ms)
    CH[$codec.p99]=$(prop "$summary" latency_p99_ms)
    CH[$codec.payload_mb]=$(prop "$summary" payload_mb)
    CH[$codec.parts_insert]=$p_parts
    CH[$codec.bytes_insert]=$p_bytes
    CH[$codec.parts_opt]=$o_parts
    CH[$codec.bytes_opt]=$o_bytes
    CH[$codec.uncomp]=$o_uncomp
    CH[$codec.opt_s]=$opt_s
  else
    log "ClickHouse ($codec): the load FAILED (see $LOGS/clickhouse-$codec-load.log)"
    CH[$codec.ok]=0
  fi
  CH[$codec.hwm]=$(vm_hwm_bytes "$CH_PID")
  stop_pid "$CH_PID" "clickhouse-server" 120
  CH_PID=""
  CH[$codec.dir_bytes]=$(du_apparent "$dir/data")
  log "ClickHouse ($codec): stopped; peak RSS $(mib "${CH[$codec.hwm]}") MiB; data dir ${CH[$codec.dir_bytes]} bytes (with merged-away parts not yet deleted)"
  [[ $KEEP -eq 1 ]] || rm -rf "$dir/data"
done


# ---------------------------------------------------------------------------------------------
# 5. TimberDB standalone, per codec

TDB_URL=http://127.0.0.1:$PORT
TDB_DATA=""

files_bytes() { # files_bytes FIND-PATH-PATTERN: total size of the files under $TDB_DATA/storage matching it
  find "$TDB_DATA/storage" -path "$1" -type f -printf '%s\n' 2>/dev/null | awk '{ s += $1 } END { printf "%.0f\n", s }'
}
files_count() { find "$TDB_DATA/storage" -path "$1" -type f 2>/dev/null | wc -l | tr -d ' '; }
wal_bytes() { files_bytes '*/wal/*'; }

start_sampler() { # samples VmRSS of TDB_PID and the WAL's size once a second into FILE, while the process lives
  local file=$1 pid=$TDB_PID
  (for ((i = 0; i < 86400; i++)); do
     kill -0 "$pid" 2>/dev/null || break
     rss=$(awk '/^VmRSS:/ { printf "%.0f", $2 * 1024 }' "/proc/$pid/status" 2>/dev/null) || break
     echo "$(date +%s) $rss $(wal_bytes)"
     sleep 1
   done) >"$file" &
  SAMPLER_PID=$!
}

declare -A T
JVM_OPTS=$TDB_JAVA_OPTS
first_codec=""
for codec in $TDB_CODECS; do
  [[ -z $first_codec ]] && first_codec=$codec
  TDB_DATA=$RUN/timberdb-$codec
  rm -rf "$TDB_DATA"
  log "TimberDB ($codec): starting the standalone (empty data dir $TDB_DATA, 127.0.0.1:$PORT, JVM options: ${TDB_JAVA_OPTS:-none} ($TDB_JAVA_OPTS_FROM))"
  tdb_start "$codec" || die "TimberDB did not start on an empty data dir"
  T[$codec.startup_empty_s]=$STARTUP_S
  log "TimberDB ($codec): pid $TDB_PID, ready after ${STARTUP_S}s; ingesting $COUNT entries into partition bench (compression $codec)"
  start_sampler "$LOGS/timberdb-$codec-rss.txt"
  summary=$LOGS/timberdb-$codec.properties
  limit=()
  [[ $TDB_MAX_SECONDS -gt 0 ]] && limit=(--max-seconds "$TDB_MAX_SECONDS")
  b0=$(busy_jiffies); s0=$(pid_jiffies "$TDB_PID")
  if bench_java io.timberdb.bench.load.IngestLoad --target timberdb --url "$TDB_URL" --create-partition --partition bench \
      --compression "$codec" --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" --summary-file "$summary" "${limit[@]}" \
      2>&1 | tee "$LOGS/timberdb-$codec-load.log"; then
    T[$codec.ok]=1
    if [[ $(prop "$summary" complete) == false ]]; then
      T[$codec.ok]=0
      log "TimberDB ($codec): --timberdb-max-seconds $TDB_MAX_SECONDS stopped the load after $(prop "$summary" entries) entries"
    fi
  else
    T[$codec.ok]=0
    log "TimberDB ($codec): the load FAILED (see $LOGS/timberdb-$codec-load.log and $LOGS/timberdb-$codec.log)"
  fi
  b1=$(busy_jiffies); s1=$(pid_jiffies "$TDB_PID")
  for k in entries complete entries_per_s mb_per_s seconds latency_p50_ms latency_p99_ms payload_mb; do
    T[$codec.$k]=$(prop "$summary" "$k")
  done
  T[$codec.max_wal]=$(awk '$3 + 0 > m { m = $3 + 0 } END { printf "%.0f\n", m }' "$LOGS/timberdb-$codec-rss.txt")
  T[$codec.died]=""
  if kill -0 "$TDB_PID" 2>/dev/null; then
    T[$codec.server_cpu]=$(calc '(s1 - s0) / hz' -v s0="$s0" -v s1="$s1" -v hz="$HZ")
    T[$codec.other_cpu]=$(other_cpu "$b0" "$b1" "$s0" "$s1" "$(prop "$summary" driver_cpu_s)")
    T[$codec.held]=$(tdb_entries || echo n/a)
    T[$codec.hwm]=$(vm_hwm_bytes "$TDB_PID")
    [[ -n ${T[$codec.hwm]} ]] || T[$codec.hwm]=n/a
  else # the server ended during the load: say why, and keep the largest RSS sampled before
    T[$codec.died]=$(grep -m1 -o 'OutOfMemoryError[^"]*' "$LOGS/timberdb-$codec.log" 2>/dev/null || echo "exited")
    T[$codec.sent_before_death]=$(grep -o '[0-9,]* entries sent' "$LOGS/timberdb-$codec-load.log" | tail -1 | cut -d' ' -f1)
    T[$codec.server_cpu]=n/a
    T[$codec.other_cpu]=n/a
    T[$codec.held]=n/a
    T[$codec.hwm]=$(awk '$2 + 0 > m { m = $2 + 0 } END { printf "%.0f\n", m }' "$LOGS/timberdb-$codec-rss.txt")
    log "TimberDB ($codec): the server ended during the load (${T[$codec.died]}) after ${T[$codec.sent_before_death]:-?} acknowledged entries"
  fi
  log "TimberDB ($codec): holds ${T[$codec.held]} entries; peak RSS $(mib "${T[$codec.hwm]}") MiB; stopping it (SIGTERM)"
  tdb_stop
  T[$codec.stop_s]=$STOP_S
  T[$codec.storage_bytes]=$(du_apparent "$TDB_DATA/storage")
  T[$codec.wal_bytes]=$(wal_bytes)
  T[$codec.block_bytes]=$(files_bytes '*/blocks/*')
  T[$codec.blocks]=$(files_count '*/blocks/*')
  T[$codec.data_bytes]=$(du_apparent "$TDB_DATA")
  T[$codec.data_alloc]=$(du_allocated "$TDB_DATA")
  log "TimberDB ($codec): stopped in ${STOP_S}s; storage ${T[$codec.storage_bytes]} bytes (${T[$codec.blocks]} block file(s) ${T[$codec.block_bytes]} bytes, WAL ${T[$codec.wal_bytes]}); data dir ${T[$codec.data_bytes]} bytes"

  if [[ $codec == "$first_codec" && ${T[$codec.ok]} -eq 1 && $RECOVERY_WAL_MB -gt 0 ]]; then
    log "TimberDB ($codec): restart after the graceful stop"
    if tdb_start "$codec-restart"; then
      T[restart_graceful_s]=$STARTUP_S
      T[restart_graceful_entries]=$(tdb_entries || echo n/a)
      log "TimberDB ($codec): ready after ${STARTUP_S}s with ${T[restart_graceful_entries]} entries"
      tdb_stop
    else
      T[restart_graceful_s]=failed
    fi
  fi
  [[ $KEEP -eq 1 ]] || rm -rf "$TDB_DATA"
done

# ---------------------------------------------------------------------------------------------
# 6. recovery after kill -9 with RECOVERY_WAL_MB of un-sealed WAL

T[recovery_s]=n/a
if [[ $RECOVERY_WAL_MB -gt 0 ]]; then
  TDB_DATA=$RUN/timberdb-recovery
  rm -rf "$TDB_DATA"
  target=$((RECOVERY_WAL_MB * 1048576))
  # the active block of a shard is sealed at 64 MiB whatever the rotation: spread the WAL over
  # many shards and keep each under that (rotation by size, 1 GiB, so only the cap applies);
  # the node holds 2 GiB of un-sealed entries before it seals under memory pressure (default 192 MiB)
  RECOVERY_ARGS=(--timberdb.standalone.shard-count="$RECOVERY_SHARDS" --timberdb.storage.block-rotation.type=size
                 --timberdb.storage.block-rotation.value=1073741824 --timberdb.storage.max-unsealed-size=2GB)
  JVM_OPTS=$RECOVERY_JAVA_OPTS
  log "TimberDB recovery: standalone with ${RECOVERY_ARGS[*]}, JVM options: ${JVM_OPTS:-none}, on an empty data dir"
  tdb_start recovery-fill "${RECOVERY_ARGS[@]}" || die "TimberDB did not start for the recovery test"
  payload=$(prop "$DATA/manifest.properties" bytes.timberdb)
  passes=$(calc 'int(t / (p * 0.8)) + 1' -v t="$target" -v p="$payload")
  [[ $passes -lt 1 ]] && passes=1
  created=0
  for ((round = 0; round < 4; round++)); do
    create=()
    [[ $created -eq 0 ]] && create=(--create-partition)
    log "TimberDB recovery: WAL $(wal_bytes) bytes; sending the data set $passes time(s) (target ${RECOVERY_WAL_MB} MiB of WAL)"
    bench_java io.timberdb.bench.load.IngestLoad --target timberdb --url "$TDB_URL" --partition recovery "${create[@]}" \
      --data "$DATA" --batch "$BATCH" --clients "$CLIENTS" --passes "$passes" --progress-seconds 10 \
      >"$LOGS/timberdb-recovery-fill-$round.log" 2>&1 || die "filling the WAL failed; see $LOGS/timberdb-recovery-fill-$round.log"
    created=1
    [[ $(wal_bytes) -ge $target ]] && break
    passes=1
  done
  T[kill_wal_bytes]=$(wal_bytes)
  T[kill_wal_files]=$(files_count '*/wal/*')
  T[kill_block_bytes]=$(files_bytes '*/blocks/*')
  T[kill_entries]=$(tdb_entries || echo n/a)
  T[hwm_filled]=$(vm_hwm_bytes "$TDB_PID")
  log "TimberDB recovery: un-sealed WAL ${T[kill_wal_bytes]} bytes in ${T[kill_wal_files]} segment(s) (blocks ${T[kill_block_bytes]} bytes), ${T[kill_entries]} entries, peak RSS $(mib "${T[hwm_filled]}") MiB; kill -9 $TDB_PID"
  kill -KILL "$TDB_PID"
  wait "$TDB_PID" 2>/dev/null || true
  TDB_PID=""
  if tdb_start recovery "${RECOVERY_ARGS[@]}"; then
    T[recovery_s]=$STARTUP_S
    T[recovered_entries]=$(tdb_entries || echo n/a)
    T[hwm_recovery]=$(vm_hwm_bytes "$TDB_PID")
    log "TimberDB recovery: ready after kill -9 in ${STARTUP_S}s with ${T[recovered_entries]} entries (before the kill: ${T[kill_entries]})"
    tdb_stop
  else
    T[recovery_s]=failed
  fi
  [[ $KEEP -eq 1 ]] || rm -rf "$TDB_DATA"
fi

# ---------------------------------------------------------------------------------------------
# 7. report

per_entry() { if [[ -z $1 || $1 == n/a ]]; then echo n/a; else fmt "$(calc 'b / n' -v b="$1" -v n="$COUNT")" 1; fi; }
yes_no() { awk -v r="$1" -v limit="$2" -v op="$3" 'BEGIN { if (r == "n/a" || r == "") print "n/a"; else if (op == "ge") print (r >= limit ? "yes" : "no"); else print (r <= limit ? "yes" : "no") }' </dev/null; }
ch_ok() { [[ ${CH[$1.ok]:-0} -eq 1 ]]; }
ch_codec() { case "${1,,}" in lz4) echo lz4 ;; zstd) echo zstd ;; *) echo "" ;; esac; }
JAVA_VERSION=$(java -version 2>&1 | head -1)
MEM_TOTAL=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
FS=$(df -hT "$WORK" | awk 'NR == 2 { print $2 " on " $1 }')
ref=${first_codec:-LZ4}

{
  echo "# Ingest benchmark, $STAMP"
  echo
  echo "TimberDB $GIT_REV ($GIT_DIRTY uncommitted file(s)) against ClickHouse $CH_VERSION, one run on this machine:"
  echo "$(nproc) cores, $MEM_TOTAL RAM, $(uname -r), $JAVA_VERSION, scratch on $FS."
  echo "Data set: $(thousands "$COUNT") loghub entries, seed $SEED ($DATA; TimberDB payload $(prop "$DATA/manifest.properties" bytes.timberdb) bytes, fingerprint $(prop "$DATA/manifest.properties" fingerprint.timberdb))."
  echo "Load: batches of $(thousands "$BATCH") entries, $CLIENTS concurrent clients, HTTP/1.1 on loopback."
  echo
  echo "Command: \`bench/ingest-vs-clickhouse.sh --entries $ENTRIES --seed $SEED --batch $BATCH --clients $CLIENTS --recovery-wal-mb $RECOVERY_WAL_MB --recovery-shards $RECOVERY_SHARDS --clickhouse-codecs \"$CODECS\" --timberdb-codecs \"$TDB_CODECS\" --timberdb-max-seconds $TDB_MAX_SECONDS$([[ $TDB_JAVA_OPTS_FROM == --timberdb-java-opts ]] && printf ' --timberdb-java-opts "%s"' "$TDB_JAVA_OPTS")${RECOVERY_JAVA_OPTS:+ --recovery-java-opts \"$RECOVERY_JAVA_OPTS\"}\`"
  echo
  echo "JVM options of the TimberDB ingest runs ($TDB_JAVA_OPTS_FROM): \`${TDB_JAVA_OPTS:-none}\`; of the recovery test: \`${RECOVERY_JAVA_OPTS:-none}\`."
  echo
  echo "## Ingest"
  echo
  echo "| system | entries | seconds | entries/s | payload MB/s | batch p50 / p99 ms | peak RSS (VmHWM) | server CPU-s | other CPU-s |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for c in $TDB_CODECS; do
    label="TimberDB standalone ($c), NDJSON, fsync per batch"
    [[ ${T[$c.complete]:-} == false ]] && label="$label (stopped after ${TDB_MAX_SECONDS}s: $(thousands "${T[$c.entries]}") of $(thousands "$COUNT") entries)"
    [[ -z ${T[$c.complete]:-} && -n ${T[$c.died]:-} ]] && label="$label (**the server ended after ${T[$c.sent_before_death]:-?} acknowledged entries: ${T[$c.died]}**; RSS: largest sample)"
    [[ -z ${T[$c.complete]:-} && -z ${T[$c.died]:-} ]] && label="$label (load failed after $(thousands "${T[$c.held]:-n/a}") acknowledged entries: see timberdb-$c-load.log)"
    grep -q OutOfMemoryError "$LOGS/timberdb-$c.log" 2>/dev/null && label="$label (**OutOfMemoryError in the server's log**)"
    echo "| $label | $(thousands "${T[$c.entries]:-n/a}") | ${T[$c.seconds]:-n/a} | $(thousands "${T[$c.entries_per_s]:-n/a}") | ${T[$c.mb_per_s]:-n/a} | ${T[$c.latency_p50_ms]:-n/a} / ${T[$c.latency_p99_ms]:-n/a} | $(mib "${T[$c.hwm]}") MiB | ${T[$c.server_cpu]:-n/a} | ${T[$c.other_cpu]:-n/a} |"
  done
  for c in $CODECS; do
    if ch_ok "$c"; then
      echo "| ClickHouse ($c), JSONEachRow | $(thousands "${CH[$c.rows]}") | ${CH[$c.seconds]} | $(thousands "${CH[$c.eps]}") | ${CH[$c.mbps]} | ${CH[$c.p50]} / ${CH[$c.p99]} | $(mib "${CH[$c.hwm]}") MiB | ${CH[$c.server_cpu]:-n/a} | ${CH[$c.other_cpu]:-n/a} |"
    else
      echo "| ClickHouse ($c) | failed | | | | | | | |"
    fi
  done
  echo
  for c in $TDB_CODECS; do
    echo "TimberDB ($c): largest WAL sampled during the load (once a second; entries not yet sealed, plus sealed ones whose segment is not yet deleted): $(thousands "${T[$c.max_wal]:-n/a}") bytes."
  done
  echo
  echo "Server CPU-s: CPU time of the server process during the load. Other CPU-s: CPU time of everything else on the"
  echo "machine meanwhile (/proc/stat busy time less the server and the load driver): near 0 on a quiet machine; seconds"
  echo "of it mean another process competed for the $(nproc) cores during that load."
  echo
  echo "## Bytes on disk"
  echo
  echo "| what | bytes | bytes/entry |"
  echo "|---|---:|---:|"
  for c in $TDB_CODECS; do
    if [[ ${T[$c.ok]:-0} -ne 1 ]]; then
      echo "| TimberDB ($c), storage dir after an incomplete load (not comparable): ${T[$c.blocks]:-?} block file(s), WAL ${T[$c.wal_bytes]:-?} bytes | $(thousands "${T[$c.storage_bytes]}") | |"
      continue
    fi
    echo "| TimberDB ($c), storage dir after graceful stop: ${T[$c.blocks]:-?} block file(s), WAL ${T[$c.wal_bytes]:-?} bytes | $(thousands "${T[$c.storage_bytes]}") | $(per_entry "${T[$c.storage_bytes]}") |"
    echo "| TimberDB ($c), whole data dir (storage, Raft log, logs), apparent / allocated | $(thousands "${T[$c.data_bytes]}") / $(thousands "${T[$c.data_alloc]}") | $(per_entry "${T[$c.data_bytes]}") |"
  done
  for c in $CODECS; do
    if ch_ok "$c"; then
      echo "| ClickHouse ($c), bytes_on_disk after the inserts and their merges (${CH[$c.parts_insert]} parts) | $(thousands "${CH[$c.bytes_insert]}") | $(per_entry "${CH[$c.bytes_insert]}") |"
      echo "| ClickHouse ($c), bytes_on_disk after OPTIMIZE FINAL (${CH[$c.parts_opt]} part) | $(thousands "${CH[$c.bytes_opt]}") | $(per_entry "${CH[$c.bytes_opt]}") |"
    fi
  done
  echo
  echo "## Restart and recovery"
  echo
  echo "| what | seconds to /health 200 | entries | un-sealed WAL bytes |"
  echo "|---|---:|---:|---:|"
  echo "| start on an empty data dir (JVM + Spring + Raft), $ref run | ${T[$ref.startup_empty_s]:-n/a} | 0 | 0 |"
  echo "| restart after graceful stop, $ref run | ${T[restart_graceful_s]:-n/a} | $(thousands "${T[restart_graceful_entries]:-n/a}") | 0 |"
  echo "| restart after kill -9, $RECOVERY_SHARDS-shard partition | ${T[recovery_s]:-n/a} | $(thousands "${T[recovered_entries]:-n/a}") (before the kill: $(thousands "${T[kill_entries]:-n/a}")) | $(thousands "${T[kill_wal_bytes]:-n/a}") in ${T[kill_wal_files]:-?} segment(s) |"
  echo
  echo "Peak RSS of the recovery test's standalone before the kill: $(mib "${T[hwm_filled]:-n/a}") MiB; after recovering: $(mib "${T[hwm_recovery]:-n/a}") MiB."
  echo
  echo "## Against the TDB-02 targets (ratios TimberDB / ClickHouse, same run)"
  echo
  echo "| target | TimberDB | ClickHouse | ratio | met |"
  echo "|---|---:|---:|---:|---|"
  r=n/a
  [[ ${T[$ref.ok]:-0} -eq 1 ]] && r=$(ratio "${T[$ref.entries_per_s]:-}" "${CH[lz4.eps]:-}" 3)
  echo "| ingest ≥ 0.5× ClickHouse (TimberDB $ref vs ClickHouse lz4) | $(thousands "${T[$ref.entries_per_s]:-n/a}") /s | $(thousands "${CH[lz4.eps]:-n/a}") /s | $r | $(yes_no "$r" 0.5 ge) |"
  for c in $TDB_CODECS; do
    cc=$(ch_codec "$c")
    [[ -n $cc ]] || continue
    bound=1.0
    [[ $cc == zstd ]] && bound=0.7
    r=n/a
    [[ ${T[$c.ok]:-0} -eq 1 ]] && r=$(ratio "${T[$c.storage_bytes]:-}" "${CH[$cc.bytes_opt]:-}" 4)
    echo "| bytes on disk after graceful stop ≤ $bound× ClickHouse ($c vs $cc) | $(thousands "${T[$c.storage_bytes]:-n/a}") | $(thousands "${CH[$cc.bytes_opt]:-n/a}") | $r | $(yes_no "$r" "$bound" le) |"
  done
  echo "| recovery after kill -9 with 1 GB of un-sealed WAL < 10 s | ${T[recovery_s]} s with $(mib "${T[kill_wal_bytes]:-n/a}") MiB | | | $(awk -v s="${T[recovery_s]}" -v w="${T[kill_wal_bytes]:-0}" 'BEGIN { if (s == "n/a") print "n/a"; else if (s == "failed") print "no (restart failed)"; else if (w < 1000000000) print "not measured at 1 GB"; else print (s < 10 ? "yes" : "no") }') |"
  max_hwm=0
  for c in $TDB_CODECS; do
    [[ ${T[$c.hwm]:-n/a} != n/a ]] && max_hwm=$(awk -v a="$max_hwm" -v b="${T[$c.hwm]}" 'BEGIN { printf "%.0f", (b > a ? b : a) }')
  done
  rss_what="ingesting $(thousands "$COUNT") entries"
  for c in $TDB_CODECS; do
    [[ ${T[$c.ok]:-0} -eq 1 ]] || rss_what="(a load did not complete: see above)"
  done
  echo "| peak RSS ≤ 1 GiB ingesting 10M entries (default settings; JVM options: $TDB_JAVA_OPTS_FROM) | $(mib "$max_hwm") MiB $rss_what | $(mib "${CH[lz4.hwm]:-n/a}") MiB | $(ratio "$max_hwm" "${CH[lz4.hwm]:-}") | $(awk -v h="$max_hwm" -v n="$COUNT" -v done="$([[ $rss_what == ingesting* ]] && echo 1 || echo 0)" 'BEGIN { if (h == 0) print "n/a"; else if (h > 1073741824) print "no"; else if (done == 0) print "no (the load did not complete)"; else if (n < 10000000) print "yes at this size; the target is at 10M"; else print "yes" }') |"
  echo
  echo "Notes: ClickHouse 18.16 has no DateTime64 and no Map: its table stores ts as DateTime (seconds, UTC) plus ts_nanos UInt32,"
  echo "system/source/level as String columns, other tags in a Nested(key, value) column; its codec is the server-wide"
  echo "<compression> method (zstd at ClickHouse's default level 1; TimberDB's Zstd runs at its default level 3). ClickHouse"
  echo "does not fsync inserted parts; TimberDB fsyncs every batch before answering. The ClickHouse bytes compared are"
  echo "bytes_on_disk (sum of the part files) after OPTIMIZE FINAL; TimberDB's are the storage directory's apparent size after"
  echo "SIGTERM (blocks, manifest, what is left of the WAL); its Raft log is listed apart."
  echo
  echo "Logs of this run: $LOGS"
} >"$RESULT"
show_result
