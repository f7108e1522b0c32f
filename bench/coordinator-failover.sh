#!/usr/bin/env bash
# TDB-04's failover figure: kill -9 the coordinator leader of a local cluster (./timberdb cluster up)
# N times, and time each failover from the kill to the first partition creation a surviving voter
# accepts. Between kills the killed voter is restarted (cluster up) and the group is waited for.
# While the leader is down it also sends an ingest request and a query through the gateway, which
# work on the services' cached cluster views. Writes bench/results/failover-<UTC time>.md.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
KILLS=10
OFFSET=3000
KEEP=0
usage() {
  cat <<USAGE
usage: bench/coordinator-failover.sh [options]
  --kills N         leader kills [${KILLS}]
  --port-offset N   the cluster's port offset (./timberdb cluster up --port-offset) [${OFFSET}]
  --keep            leave the cluster running at the end
Needs the service jars (./timberdb builds them when missing). Uses its own cluster directory
under /tmp, so a cluster started from the repository is not touched.
USAGE
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --kills) KILLS=$2; shift 2 ;;
    --port-offset) OFFSET=$2; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "unknown option $1" >&2; usage >&2; exit 2 ;;
  esac
done

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
export TIMBERDB_CLUSTER_DIR=/tmp/timberdb-failover-$STAMP
RESULT=$REPO/bench/results/failover-$STAMP.md
GATEWAY=http://127.0.0.1:$((7777 + OFFSET))
coordinator_url() { echo "http://127.0.0.1:$((7800 + $1 + OFFSET))"; }
now_ms() { date +%s%3N; }

cleanup() {
  if [[ $KEEP -eq 0 ]]; then
    "$REPO/timberdb" cluster down >/dev/null 2>&1 || true
    rm -rf "$TIMBERDB_CLUSTER_DIR"
  fi
}
trap cleanup EXIT

# The leader as the voters see it: the first answer naming one.
leader() {
  local i out
  for i in 1 2 3; do
    out=$(curl -s -m 2 "$(coordinator_url "$i")/api/v1/cluster" 2>/dev/null | grep -oE '"leader":"coordinator-[0-9]"' || true)
    if [[ -n $out ]]; then echo "${out:10:13}"; return 0; fi
  done
  return 1
}

# Creates partition $1 through any coordinator but $2 (the killed one); prints the HTTP status.
create_through_survivors() {
  local name=$1 dead=$2 i code
  for i in 1 2 3; do
    [[ coordinator-$i == "$dead" ]] && continue
    code=$(curl -s -m 3 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
      -d "{\"name\":\"$name\"}" "$(coordinator_url "$i")/api/v1/partitions" 2>/dev/null || true)
    if [[ $code == 201 ]]; then echo 201; return 0; fi
  done
  echo "${code:-000}"
}

echo "starting a local cluster (port offset $OFFSET) in $TIMBERDB_CLUSTER_DIR"
"$REPO/timberdb" cluster up --port-offset "$OFFSET" | tail -1
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"name":"failover-logs"}' "$GATEWAY/api/v1/partitions"
# the ingest and query services learn of the partition through their cluster views: wait for that
for _ in $(seq 1 100); do
  [[ $(curl -s -m 5 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"source":"failover","message":"before the first kill"}' "$GATEWAY/api/v1/partitions/failover-logs/logs") == 200 ]] && break
  sleep 0.1
done

declare -a TIMES=()
ROWS=""
for k in $(seq 1 "$KILLS"); do
  old=$(leader) || { echo "no leader before kill $k" >&2; exit 1; }
  pid=$(cat "$TIMBERDB_CLUSTER_DIR/$old.pid")
  kill -9 "$pid"
  killed=$(now_ms)
  # ingest and a query while the leader is gone, on the services' cached views
  ingest=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d "{\"source\":\"failover\",\"tags\":{\"kill\":\"$k\"},\"message\":\"written while $old is down\"}" \
    "$GATEWAY/api/v1/partitions/failover-logs/logs" || true)
  query=$(curl -s -m 10 -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    -d '{"query":"SELECT count(*) FROM \"failover-logs\""}' "$GATEWAY/api/v1/query" || true)
  code=000
  attempts=0
  while [[ $code != 201 ]]; do
    attempts=$((attempts + 1))
    (( $(now_ms) - killed < 120000 )) || { echo "no creation accepted 120 s after kill $k" >&2; exit 1; }
    code=$(create_through_survivors "after-kill-$k" "$old")
    [[ $code == 201 ]] || sleep 0.05
  done
  took=$(( $(now_ms) - killed ))
  new=$(leader || echo "?")
  TIMES+=("$took")
  ROWS+="| $k | $old | $new | $took | $attempts | $ingest | $query |"$'\n'
  printf '  kill %2d/%d: %s killed, %s leads; a creation accepted after %5d ms (ingest %s, query %s while down)\n' \
    "$k" "$KILLS" "$old" "$new" "$took" "$ingest" "$query"
  "$REPO/timberdb" cluster up --port-offset "$OFFSET" >/dev/null
  # the restarted voter has caught up when it names the leader and knows the partition just created
  for _ in $(seq 1 240); do
    view=$(curl -s -m 2 "$(coordinator_url "${old: -1}")/api/v1/cluster" || true)
    if [[ $view == *"\"leader\":\"$new\""* && $view == *"\"after-kill-$k\""* ]]; then break; fi
    sleep 0.5
  done
done

sorted=$(printf '%s\n' "${TIMES[@]}" | sort -n)
median=$(printf '%s\n' "$sorted" | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}')
min=$(printf '%s\n' "$sorted" | head -1)
max=$(printf '%s\n' "$sorted" | tail -1)
mkdir -p "$REPO/bench/results"
{
  echo "# Coordinator failover, $STAMP"
  echo
  echo "TimberDB $(git -C "$REPO" rev-parse --short HEAD), \`bench/coordinator-failover.sh --kills $KILLS\`: a local cluster"
  echo "(\`./timberdb cluster up\`, 9 processes, default coordinator timeouts: election 1.5 s, heartbeat 150 ms) on"
  echo "$(nproc) cores. Each kill: \`kill -9\` of the leader's pid file, then partition creations through the surviving"
  echo "voters every 50 ms until one answers 201; one ingest request and one query through the gateway right after"
  echo "the kill; then \`cluster up\` restarts the killed voter and the run waits until it has caught up."
  echo
  echo "| kill | killed leader | new leader | ms to the first creation accepted | attempts | ingest while down | query while down |"
  echo "|---:|---|---|---:|---:|---:|---:|"
  printf '%s' "$ROWS"
  echo
  echo "**Median $median ms** (min $min, max $max) over $KILLS kills; target < 5000 ms."
} >"$RESULT"
echo
echo "failover over $KILLS kills: median $median ms, min $min ms, max $max ms -> $RESULT"
