#!/usr/bin/env bash
# Builds timberdb/<module>:<tag> for every service module from the jars of `./mvnw package`, each
# from docker/service.Dockerfile with the module's directory as the context.
#
#   docker/build-images.sh [module...]        # default: all service modules
#
# Environment knobs:
#   BASE_IMAGE   base of every image (default timberdb/base-jre:17, made by docker/prepare-docker.sh;
#                set BASE_IMAGE=eclipse-temurin:17-jre where a registry is reachable)
#   IMAGE_TAG    default dev
#   VERSION      project version in the jar names (default 0.1.0-SNAPSHOT)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BASE_IMAGE="${BASE_IMAGE:-timberdb/base-jre:17}"
IMAGE_TAG="${IMAGE_TAG:-dev}"
VERSION="${VERSION:-0.1.0-SNAPSHOT}"
# Each module's default HTTP port (the image's SERVER_PORT; the table in docker/service.Dockerfile).
declare -A PORTS=([coordinator]=7801 [storage-node]=7821 [ingest-service]=7831 [query-service]=7841
                  [gateway]=7777 [standalone]=7777 [auth-server]=7790)
ALL_MODULES=(coordinator storage-node ingest-service query-service gateway standalone auth-server)
MODULES=("$@")
((${#MODULES[@]})) || MODULES=("${ALL_MODULES[@]}")

# The classic builder: no buildx plugin here, and BuildKit would try to pull its frontend.
export DOCKER_BUILDKIT=0

log() { printf '[build-images] %s\n' "$*"; }
die() { printf '[build-images] ERROR: %s\n' "$*" >&2; exit 1; }

docker info >/dev/null 2>&1 || die "no Docker engine answers; run docker/prepare-docker.sh (as root) first"
docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 \
  || die "base image $BASE_IMAGE not found; run docker/prepare-docker.sh first (or pick BASE_IMAGE=...)"

missing=()
for m in "${MODULES[@]}"; do
  [[ -n "${PORTS[$m]:-}" ]] || die "unknown module $m (one of: ${ALL_MODULES[*]})"
  jar="$m/target/$m-$VERSION-exec.jar"
  [[ -f "$ROOT/$jar" ]] || missing+=("$jar")
done
if ((${#missing[@]})); then
  printf '[build-images] ERROR: runnable jar(s) missing:\n' >&2
  printf '    %s\n' "${missing[@]}" >&2
  die "build them first: ./mvnw -DskipTests package"
fi

declare -a SUMMARY=()
t_all=$SECONDS
for m in "${MODULES[@]}"; do
  image="timberdb/$m:$IMAGE_TAG"
  log "building $image (base $BASE_IMAGE)"
  t0=$SECONDS
  # docker 28's client warns that the classic builder is deprecated: show its output on failure only.
  if ! out="$(docker build -f "$ROOT/docker/service.Dockerfile" \
    --build-arg "BASE_IMAGE=$BASE_IMAGE" \
    --build-arg "PORT=${PORTS[$m]}" \
    -t "$image" "$ROOT/$m" 2>&1)"; then
    printf '%s\n' "$out" >&2
    die "docker build of $image failed"
  fi
  size="$(docker image inspect -f '{{.Size}}' "$image" | awk '{printf "%.0f MB", $1/1e6}')"
  SUMMARY+=("$image: $((SECONDS - t0)) s, $size")
done

echo "[build-images] summary ($((SECONDS - t_all)) s in all):"
printf '  - %s\n' "${SUMMARY[@]}"
