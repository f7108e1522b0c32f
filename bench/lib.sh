#!/usr/bin/env bash
# What the end-to-end benchmarks (bench/ingest-vs-clickhouse.sh, bench/query-vs-clickhouse.sh) share:
# arithmetic and formatting helpers, CPU accounting, stopping only the processes they started,
# building and copying the jars, installing Debian's clickhouse-server, generating the data set,
# and starting and stopping ClickHouse and the TimberDB standalone. Sourced, not run.
#
# The sourcing script sets REPO before sourcing, its own defaults after, parses its options with
# common_option for the shared ones, calls start_run, and sets TDB_DATA and JVM_OPTS before tdb_start.

# shared defaults, which the options below change
ENTRIES=1M
SEED=42
BATCH=10000
CLIENTS=2
PORT=18777
CH_HTTP_PORT=8123
CH_TCP_PORT=19000
CH_INTERSERVER_PORT=19009
WORK=${TIMBERDB_BENCH_WORK:-/tmp/timberdb-bench}
SAMPLES=${LOGHUB_DIR:-$REPO/data/loghub}
REBUILD=0
KEEP=0

COMMON_USAGE="  --entries N           data set size: 1M, 10M, or any count [the script's default]
  --seed S              generator seed [$SEED]
  --batch N             entries per ingest request [$BATCH]
  --clients N           concurrent ingest clients [$CLIENTS]
  --port P              TimberDB standalone HTTP port on 127.0.0.1 [$PORT]
  --work DIR            scratch directory for data sets, data dirs and logs [$WORK]
  --samples DIR         loghub samples [$SAMPLES]
  --rebuild             rebuild the jars even when they exist
  --keep                keep the TimberDB and ClickHouse data directories of the run"

common_option() { # common_option "$@": takes one shared option; sets SHIFT; returns 1 if $1 is not one
  SHIFT=2
  case "$1" in
    --entries) ENTRIES=$2 ;;
    --seed) SEED=$2 ;;
    --batch) BATCH=$2 ;;
    --clients) CLIENTS=$2 ;;
    --port) PORT=$2 ;;
    --work) WORK=$2 ;;
    --samples) SAMPLES=$2 ;;
    --rebuild) REBUILD=1; SHIFT=1 ;;
    --keep) KEEP=1; SHIFT=1 ;;
    *) return 1 ;;
  esac
  if [[ $SHIFT -eq 2 && $# -lt 2 ]]; then
    echo "$1 needs a value" >&2
    exit 2
  fi
}

start_run() { # start_run NAME-PREFIX: the run's directories and result file, named by the UTC time
  STAMP=$(date -u +%Y%m%dT%H%M%SZ)
  RUN=$WORK/runs/$1$STAMP
  BIN=$RUN/bin
  LOGS=$RUN/logs
  RESULTS_DIR=$REPO/bench/results
  RESULT=$RESULTS_DIR/$1$STAMP.md
  mkdir -p "$BIN" "$LOGS" "$RESULTS_DIR"
  trap cleanup EXIT
  trap 'exit 130' INT TERM
}

show_result() { echo; cat "$RESULT"; log "results written to $RESULT"; }

jvm_options_file() { # the lines of standalone/jvm.options as one line of options (comments dropped)
  grep -v '^[[:space:]]*#' "$REPO/standalone/jvm.options" | tr -s '[:space:]' ' ' | sed 's/^ //; s/ $//'
}

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[%s] ERROR: %s\n' "$(date +%H:%M:%S)" "$*" >&2; exit 1; }
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
# awk arithmetic: calc '<expr>' (variables passed as a=1 b=2 ...)
calc() { local expr=$1; shift; awk "$@" "BEGIN { v = ($expr); if (v == int(v) && v < 1e15 && v > -1e15) printf \"%.0f\", v; else printf \"%.3f\", v }" </dev/null; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "" || v == "n/a") print "n/a"; else printf("%." d "f", v) }' </dev/null; }
thousands() { awk -v v="$1" 'BEGIN { if (v == "" || v == "n/a") { print "n/a"; exit } s = sprintf("%.0f", v); n = length(s); o = ""; for (i = 1; i <= n; i++) { o = o substr(s, i, 1); if ((n - i) % 3 == 0 && i < n) o = o "," } print o }' </dev/null; }
# ratio A B [DIGITS]: A/B with DIGITS decimals (2); compare targets at a precision that cannot round a miss into a hit
ratio() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (a == "" || b == "" || a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%." d "f", a / b }' </dev/null; }
port_busy() { # true when something still accepts connections on 127.0.0.1:PORT after up to 10 s
  local i
  for ((i = 0; i < 50; i++)); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null || return 1
    sleep 0.2 # a socket of a process that just ended can linger a moment
  done
  return 0
}
vm_hwm_bytes() { awk '/^VmHWM:/ { printf "%.0f\n", $2 * 1024 }' "/proc/$1/status" 2>/dev/null || echo "n/a"; }
du_apparent() { du -sb "$1" 2>/dev/null | awk '{ printf "%.0f\n", $1 }'; }
du_allocated() { du -sk "$1" 2>/dev/null | awk '{ printf "%.0f\n", $1 * 1024 }'; }
# summary-file value: prop FILE KEY
mib() { if [[ -z $1 || $1 == n/a ]]; then echo n/a; else fmt "$(calc 'v / 1048576' -v v="$1")" "${2:-0}"; fi; }
prop() { [[ -f $1 ]] && awk -F= -v k="$2" '$1 == k { sub(/^[^=]*=/, ""); print; exit }' "$1" 2>/dev/null || true; }

# CPU accounting, to tell how much else ran on the machine during a load: jiffies busy in all
# (/proc/stat: user nice system irq softirq steal) and of one process (utime + stime)
HZ=$(getconf CLK_TCK)
busy_jiffies() { awk '$1 == "cpu" { printf "%.0f\n", $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat; }
pid_jiffies() { awk '{ sub(/^.*\) /, ""); printf "%.0f\n", $12 + $13 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
# other_cpu B0 B1 S0 S1 DRIVER_S: CPU seconds used by everything but the server and the load driver
other_cpu() { calc '(b1 - b0 - (s1 - s0)) / hz - d' -v b0="$1" -v b1="$2" -v s0="$3" -v s1="$4" -v hz="$HZ" -v d="${5:-0}"; }

# pids of processes this script started; only these are ever stopped
TDB_PID=""
CH_PID=""
SAMPLER_PID=""

stop_pid() { # stop_pid PID NAME SECONDS: SIGTERM, wait, SIGKILL as a last resort
  local pid=$1 name=$2 limit=${3:-60} i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < limit * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
    sleep 0.1
  done
  log "$name (pid $pid) did not stop within ${limit}s; killing it"
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

cleanup() { # the sourcing script's EXIT trap: stops what it started, drops the run's data unless --keep
  local rc=$?
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  [[ -n $TDB_PID ]] && stop_pid "$TDB_PID" "TimberDB" 60
  [[ -n $CH_PID ]] && stop_pid "$CH_PID" "clickhouse-server" 60
  if [[ $KEEP -eq 0 ]]; then
    rm -rf "$RUN"/timberdb-* "$RUN"/clickhouse-*/data "$BIN"
  fi
  exit $rc
}

# ---------------------------------------------------------------------------------------------
# jars, ClickHouse package, data set

prepare_jars() { # builds the jars if missing (or --rebuild) and copies them to $BIN; sets GIT_REV, GIT_DIRTY
  STANDALONE_JAR=$REPO/standalone/target/standalone-0.1.0-SNAPSHOT-exec.jar
  BENCH_JAR=$REPO/benchmarks/target/benchmarks.jar
  if [[ $REBUILD -eq 1 || ! -f $STANDALONE_JAR || ! -f $BENCH_JAR ]]; then
    log "building the jars (./mvnw -q -DskipTests install; log $LOGS/build.log)"
    (cd "$REPO" && ./mvnw -q -DskipTests install) >"$LOGS/build.log" 2>&1 || die "build failed; see $LOGS/build.log"
  fi
  cp "$STANDALONE_JAR" "$BIN/standalone.jar"
  cp "$BENCH_JAR" "$BIN/benchmarks.jar"
  # BENCH_GIT_REV / BENCH_GIT_DIRTY: for a copy without .git (e.g. from git archive)
  GIT_REV=${BENCH_GIT_REV:-$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)}
  GIT_DIRTY=${BENCH_GIT_DIRTY:-$(git -C "$REPO" status --porcelain 2>/dev/null | wc -l | tr -d ' ')}
  log "jars from $REPO at $GIT_REV ($GIT_DIRTY changed file(s) in the work tree) copied to $BIN"
}
bench_java() { java -cp "$BIN/benchmarks.jar" "$@"; }

ensure_clickhouse() { # installs Debian's clickhouse-server when it is missing; sets CH_SERVER, CH_VERSION
  CH_SERVER=/usr/sbin/clickhouse-server
  if [[ ! -x $CH_SERVER ]]; then
    command -v apt-cache >/dev/null || die "clickhouse-server is missing and this is not a Debian machine (no apt-cache)"
    candidate=$(apt-cache policy clickhouse-server 2>/dev/null | awk '/Candidate:/ { print $2 }')
    [[ -n $candidate && $candidate != "(none)" ]] || die "no clickhouse-server package in the apt sources (Debian bookworm has 18.16); run apt-get update?"
    SUDO=""
    [[ $(id -u) -eq 0 ]] || SUDO=sudo
    log "installing clickhouse-server $candidate from Debian (apt-get install clickhouse-server clickhouse-client)"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y clickhouse-server clickhouse-client >"$LOGS/apt.log" 2>&1 \
      || die "apt-get install failed; see $LOGS/apt.log"
  fi
  CH_VERSION=$(dpkg-query -W -f='${Version}' clickhouse-server 2>/dev/null || echo unknown)
  log "clickhouse-server $CH_VERSION"
}

ensure_data() { # generates the data set (skipped when it exists); sets DATA and COUNT
  DATA=$WORK/data-$ENTRIES-seed$SEED
  log "data set: $DATA"
  bench_java io.timberdb.bench.data.LoghubGenerator --samples "$SAMPLES" --out "$DATA" --count "$ENTRIES" --seed "$SEED" \
    | tee "$LOGS/generate.log"
  COUNT=$(prop "$DATA/manifest.properties" count)
  [[ -n $COUNT ]] || die "no data set in $DATA"
}

# ---------------------------------------------------------------------------------------------
# ClickHouse server

ch_query() { # ch_query SQL: prints the answer (TSV); fails on a non-200 answer
  curl -sS --fail-with-body --max-time 3600 "http://127.0.0.1:$CH_HTTP_PORT/" --data-binary "$1"
}

ch_start() { # ch_start DIR CODEC
  local dir=$1 codec=$2 i
  rm -rf "$dir"
  mkdir -p "$dir/data" "$dir/log" "$dir/config.d"
  sed -e "s#/var/lib/clickhouse/#$dir/data/#g" -e "s#/var/log/clickhouse-server/#$dir/log/#g" \
      -e 's#<listen_host>::1</listen_host>##' /etc/clickhouse-server/config.xml >"$dir/config.xml"
  cp /etc/clickhouse-server/users.xml "$dir/users.xml"
  cat >"$dir/config.d/bench.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <timezone>UTC</timezone>
  <http_port>$CH_HTTP_PORT</http_port>
  <tcp_port>$CH_TCP_PORT</tcp_port>
  <interserver_http_port>$CH_INTERSERVER_PORT</interserver_http_port>
  <compression replace="replace">
    <case>
      <min_part_size>0</min_part_size>
      <min_part_size_ratio>0</min_part_size_ratio>
      <method>$codec</method>
    </case>
  </compression>
</yandex>
EOF
  for p in $CH_HTTP_PORT $CH_TCP_PORT $CH_INTERSERVER_PORT; do
    port_busy "$p" && die "port $p on 127.0.0.1 is in use by a process this script did not start; stop it or change the port"
  done
  "$CH_SERVER" --config-file="$dir/config.xml" >"$dir/stdout.log" 2>&1 &
  CH_PID=$!
  for ((i = 0; i < 600; i++)); do
    curl -sf --max-time 1 "http://127.0.0.1:$CH_HTTP_PORT/ping" >/dev/null 2>&1 && return 0
    kill -0 "$CH_PID" 2>/dev/null || die "clickhouse-server exited during start; see $dir/log/"
    sleep 0.1
  done
  die "clickhouse-server did not answer /ping within 60 s; see $dir/log/"
}

ch_wait_merges() { # waits (up to 10 minutes) until no merge of the table runs
  local i
  for ((i = 0; i < 1200; i++)); do
    [[ $(ch_query "SELECT count() FROM system.merges WHERE database = 'bench' AND table = 'logs'") == 0 ]] && return 0
    sleep 0.5
  done
  log "ClickHouse: merges still running after 10 minutes"
}

# ---------------------------------------------------------------------------------------------
# TimberDB standalone

tdb_start() { # tdb_start LOGNAME [extra args…]: starts the standalone on $TDB_DATA with the JVM options
              # $JVM_OPTS, waits for /health 200, sets STARTUP_S; returns 1 if it exits or does not
              # answer within 10 minutes
  local name=$1 t0 i
  shift
  STARTUP_S=n/a
  port_busy "$PORT" && die "port $PORT on 127.0.0.1 is in use; choose another with --port"
  t0=$(now_ms)
  # shellcheck disable=SC2086 # JVM_OPTS is a list of JVM options
  java $JVM_OPTS -jar "$BIN/standalone.jar" --data-dir "$TDB_DATA" --listen "127.0.0.1:$PORT" "$@" >"$LOGS/timberdb-$name.log" 2>&1 &
  TDB_PID=$!
  for ((i = 0; i < 6000; i++)); do
    if curl -sf --max-time 2 -o /dev/null "$TDB_URL/health" 2>/dev/null; then
      STARTUP_S=$(calc '(b - a) / 1000' -v a="$t0" -v b="$(now_ms)")
      return 0
    fi
    if ! kill -0 "$TDB_PID" 2>/dev/null; then
      log "TimberDB exited during start; see $LOGS/timberdb-$name.log"
      wait "$TDB_PID" 2>/dev/null || true
      TDB_PID=""
      return 1
    fi
    sleep 0.1
  done
  log "TimberDB did not answer /health within 10 minutes; see $LOGS/timberdb-$name.log"
  stop_pid "$TDB_PID" "TimberDB" 60
  TDB_PID=""
  return 1
}

tdb_stop() { # graceful stop of TDB_PID; sets STOP_S
  local t0
  t0=$(now_ms)
  stop_pid "$TDB_PID" "TimberDB" 300
  STOP_S=$(calc '(b - a) / 1000' -v a="$t0" -v b="$(now_ms)")
  TDB_PID=""
  [[ -n $SAMPLER_PID ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  SAMPLER_PID=""
}

tdb_entries() { curl -sf --max-time 10 "$TDB_URL/health" | grep -o '"entries":[0-9]*' | head -1 | cut -d: -f2; }
