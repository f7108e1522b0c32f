#!/usr/bin/env bash
# Brings up the compose stacks for real (images from the jars of the last build), checks them
# through the gateway on 127.0.0.1:7777, and takes each down again (volumes too):
#
#   docker/compose-smoke.sh              # both stacks, one after the other
#   docker/compose-smoke.sh auth         # only docker-compose.auth.yml (or: default)
#
#   default  docker-compose.yml: a write and a query through the gateway.
#   auth     docker-compose.yml + docker-compose.auth.yml, with client secrets this script draws at
#            random (exported to docker-compose only, never printed): tokens of the auth-server's
#            token endpoint (client-credentials grant, the client's id and secret as HTTP basic
#            credentials, handed to curl on stdin as its `user` option, which is -u, so that no
#            secret or token shows in a process list), then no token is 401 at the gateway, the
#            admin token creates a partition, the writer's writes, the reader's finds the entry and
#            cannot write (403), and a coordinator, reached from the gateway's container on the
#            compose network (no coordinator port is published), refuses partition administration
#            without a token (401) and answers its cluster view to the admin token.
#
# Run after ./mvnw package and docker/prepare-docker.sh. Prints a progress line while a stack starts
# and a summary line per stack; exits non-zero when a step fails. The compose projects are
# "timberdb-smoke" and "timberdb-smoke-auth", so a developer's own stack is not touched; the stack
# that is up is taken down on any exit. TIMBERDB_GATEWAY_PORT and TIMBERDB_AUTH_PORT move the
# published ports (7777, 7790), as they do for docker-compose.
set -euo pipefail
cd "$(dirname "$0")/.."
GATEWAY="http://127.0.0.1:${TIMBERDB_GATEWAY_PORT:-7777}"
TOKEN_ENDPOINT="http://127.0.0.1:${TIMBERDB_AUTH_PORT:-7790}/oauth2/token"
started=$SECONDS
stacks=("$@")
((${#stacks[@]})) || stacks=(default auth)

log() { printf '[compose-smoke] %s\n' "$*"; }
fail() { log "FAILED: $*"; exit 1; }

project=""   # the compose project that is up, taken down on exit
files=()
compose() { docker-compose -p "$project" "${files[@]}" "$@"; }
answer="$(mktemp)"
cleanup() {
  if [ -n "$project" ]; then
    log "taking $project down"
    compose down -v >/dev/null 2>&1 || true
  fi
  rm -f "$answer"
}
trap cleanup EXIT

# up PROJECT CONTAINERS FILE...: starts a stack and waits for the gateway's /health (which needs
# the coordinators, ingest and query: the cluster works), with a progress line.
up() {
  project="$1"
  local containers="$2" deadline=$((SECONDS + 420))
  shift 2
  files=()
  for f in "$@"; do files+=(-f "$f"); done
  compose config -q
  log "$project: docker-compose up ($containers containers; each tier waits for the previous one to be healthy)"
  # `up -d` returns once the last tier started, so it runs in the background under the progress line
  compose up -d >/dev/null 2>&1 &
  local up_pid=$! n
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$GATEWAY/health")" = 200 ]; do
    if ! kill -0 "$up_pid" 2>/dev/null && ! wait "$up_pid"; then
      printf '\n'; compose ps; compose logs --tail 30; fail "$project: docker-compose up"
    fi
    [ $SECONDS -lt $deadline ] || { printf '\n'; compose ps; fail "$project: the gateway was not healthy within 420s"; }
    n="$(compose ps 2>/dev/null | grep -c '(healthy)' || true)"
    printf '\r[compose-smoke] %s: %2s/%s containers healthy, waiting for %s/health ... %3ss' \
      "$project" "$n" "$containers" "$GATEWAY" "$((SECONDS - started))"
    sleep 2
  done
  wait "$up_pid" || fail "$project: docker-compose up"
  printf '\n'
}

# healthy COUNT: waits until COUNT containers report healthy (the gateway's own healthcheck may not
# have run yet: nothing waits on it during `up`) and prints how many do.
healthy() {
  local n deadline=$((SECONDS + 120))
  until n="$(compose ps | grep -c '(healthy)' || true)"; [ "$n" -eq "$1" ] || [ $SECONDS -ge $deadline ]; do
    sleep 2
  done
  echo "$n"
}

down() {
  compose down -v >/dev/null 2>&1 || true
  project=""
}

# request METHOD URL [TOKEN] [JSON]: the status into $status, the body into $body. The token goes to
# curl on stdin (a config line), not on its command line.
request() {
  local args=(-s -K - -o "$answer" -w '%{http_code}' -X "$1" "$2")
  [ -z "${4:-}" ] || args+=(-H 'Content-Type: application/json' -d "$4")
  status="$(printf '%s\n' ${3:+"header = \"Authorization: Bearer $3\""} | curl "${args[@]}")" || status=000
  body="$(cat "$answer")"
}

# expect STATUS WHAT: fails unless the last request answered STATUS.
expect() {
  [ "$status" = "$1" ] || fail "$2: expected $1, got $status ${body:0:300}"
}

smoke_default() {
  up timberdb-smoke 9 docker-compose.yml
  request POST "$GATEWAY/api/v1/partitions/create" "" '{"name":"compose-smoke"}'
  expect 200 "partition creation"
  request POST "$GATEWAY/api/v1/partitions/compose-smoke/logs" "" \
    '[{"source":"a","tags":{"level":"error"},"message":"disk full"},{"source":"b","message":"ok"}]'
  expect 200 "write"
  request POST "$GATEWAY/api/v1/query/execute" "" '{"partitions":["compose-smoke"],"filter":{"tags":{"level":"error"}}}'
  expect 200 "query"
  case "$body" in
    *'"matched_entries":1'*'"message":"disk full"'*) ;;
    *) fail "unexpected query answer: $body" ;;
  esac
  local n
  n="$(healthy 9)"
  log "summary: timberdb-smoke: $n/9 containers healthy; write and query through the gateway answered as expected ($((SECONDS - started))s)"
  [ "$n" -eq 9 ] || fail "timberdb-smoke: $n/9 containers healthy"
  down
}

# token CLIENT: an access token of the client-credentials grant, into $token.
token() {
  local secret_var="TIMBERDB_AUTH_${1^^}_SECRET"
  status="$(printf 'user = "%s:%s"\n' "$1" "${!secret_var}" \
    | curl -s -K - -o "$answer" -w '%{http_code}' -d grant_type=client_credentials "$TOKEN_ENDPOINT")" || status=000
  body="$(cat "$answer")"
  expect 200 "a token for $1"
  token="$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' <<<"$body")"
  [ -n "$token" ] || fail "no access_token in the token endpoint's answer for $1"
}

# coordinator TOKEN METHOD PATH [JSON]: the status of a request to coordinator-1:7801 sent from the
# gateway's container over the compose network (bash's /dev/tcp: the images carry no curl); the
# token and body go on stdin.
coordinator() {
  # shellcheck disable=SC2016 # the single-quoted script is expanded by the container's bash
  status="$(printf '%s\n%s\n' "$1" "${4:-}" | compose exec -T gateway bash -c '
    read -r token; read -r body
    exec 3<>/dev/tcp/coordinator-1/7801
    printf "%s %s HTTP/1.1\r\nHost: coordinator-1\r\nConnection: close\r\n" "$0" "$1" >&3
    [ -z "$token" ] || printf "Authorization: Bearer %s\r\n" "$token" >&3
    [ -z "$body" ] || printf "Content-Type: application/json\r\nContent-Length: %d\r\n" "${#body}" >&3
    printf "\r\n%s" "$body" >&3
    read -r -t 30 _ code _ <&3 && echo "$code"' "$2" "$3")" || status=000
  body=""
}

smoke_auth() {
  local client
  # random secrets, in the environment docker-compose interpolates from; never printed
  for client in ADMIN WRITER READER; do
    export "TIMBERDB_AUTH_${client}_SECRET=$(head -c 24 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  up timberdb-smoke-auth 10 docker-compose.yml docker-compose.auth.yml

  request POST "$GATEWAY/api/v1/partitions/create" "" '{"name":"compose-auth"}'
  expect 401 "partition creation without a token at the gateway"
  case "$body" in *'"code":"AUTHENTICATION_REQUIRED"'*) ;; *) fail "no AUTHENTICATION_REQUIRED in: $body" ;; esac

  token admin; local admin="$token"
  token writer; local writer="$token"
  token reader; local reader="$token"
  request POST "$GATEWAY/api/v1/partitions/create" "$admin" '{"name":"compose-auth"}'
  expect 200 "partition creation with the admin token"
  request POST "$GATEWAY/api/v1/partitions/compose-auth/logs" "$writer" \
    '{"source":"compose","tags":{"level":"error"},"message":"written with the writer token"}'
  expect 200 "a write with the writer token"
  request POST "$GATEWAY/api/v1/query/execute" "$reader" '{"partitions":["compose-auth"],"filter":{"tags":{"level":"error"}}}'
  expect 200 "a query with the reader token"
  case "$body" in
    *'"matched_entries":1'*'"message":"written with the writer token"'*) ;;
    *) fail "the reader's query did not find the entry: $body" ;;
  esac
  request POST "$GATEWAY/api/v1/partitions/compose-auth/logs" "$reader" '{"source":"compose","message":"refused"}'
  expect 403 "a write with the reader token"

  coordinator "" POST /api/v1/partitions/create '{"name":"past-the-gateway"}'
  expect 401 "partition creation on coordinator-1 without a token"
  coordinator "$admin" GET /api/v1/cluster
  expect 200 "coordinator-1's cluster view with the admin token"

  local n
  n="$(healthy 10)"
  log "summary: timberdb-smoke-auth: $n/10 containers healthy; gateway: no token 401, admin created, writer wrote, reader found it and was refused a write (403); coordinator-1 (not published; from the compose network): no token 401, admin 200 ($((SECONDS - started))s)"
  [ "$n" -eq 10 ] || fail "timberdb-smoke-auth: $n/10 containers healthy"
  down
}

docker/build-images.sh >/dev/null
for stack in "${stacks[@]}"; do
  case "$stack" in
    default) smoke_default ;;
    auth) smoke_auth ;;
    *) fail "unknown stack $stack (default or auth)" ;;
  esac
done
log "summary: every check passed (stacks: ${stacks[*]}; $((SECONDS - started))s)"
