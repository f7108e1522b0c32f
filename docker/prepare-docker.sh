#!/usr/bin/env bash
# Prepares a local Docker engine and the TimberDB base JRE image on a Debian (bookworm) machine
# where no image registry is reachable.
#
#   sudo docker/prepare-docker.sh
#
# Idempotent; every step is skipped when its result is already there:
#   1. apt-get install docker.io debootstrap docker-compose (only the missing ones);
#   2. start dockerd in the background (log: $DOCKERD_LOG) unless `docker info` already works;
#   3. build timberdb/base-jre:17 from Debian packages with debootstrap + `docker import`.
#
# Environment knobs:
#   BASE_IMAGE           image to build (default timberdb/base-jre:17)
#   DEBIAN_MIRROR        mirror for debootstrap (default: read off the machine's apt sources)
#   DEBIAN_SUITE         default bookworm
#   DOCKERD_LOG          default /var/log/timberdb-dockerd.log
#   DOCKERD_FLAGS        extra flags for dockerd (default none)
#   DOCKERD_WAIT_SECONDS how long to wait for dockerd to answer (default 60)
#   FORCE_BASE_IMAGE=1   rebuild the base image even if it exists
set -euo pipefail

BASE_IMAGE="${BASE_IMAGE:-timberdb/base-jre:17}"
DEBIAN_SUITE="${DEBIAN_SUITE:-bookworm}"
DOCKERD_LOG="${DOCKERD_LOG:-/var/log/timberdb-dockerd.log}"
DOCKERD_PIDFILE="${DOCKERD_PIDFILE:-/var/run/timberdb-dockerd.pid}"
DOCKERD_FLAGS="${DOCKERD_FLAGS:-}"
DOCKERD_WAIT_SECONDS="${DOCKERD_WAIT_SECONDS:-60}"
ROOTFS="${ROOTFS:-/var/tmp/timberdb-base-jre-rootfs}"

declare -a SUMMARY=()
log() { printf '[prepare-docker] %s\n' "$*"; }
note() { SUMMARY+=("$*"); log "$*"; }
die() { printf '[prepare-docker] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ "$(id -u)" -ne 0 ]]; then
  die "must run as root (apt-get, dockerd, debootstrap)"
fi

# Prefer Debian's docker client (/usr/bin) if /usr/local/bin/docker is missing; either works.
export PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:${PATH}"

# ---------------------------------------------------------------------------------------------
# 1. packages
# ---------------------------------------------------------------------------------------------
pkg_installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for p in docker.io debootstrap docker-compose; do
  if pkg_installed "$p"; then
    log "package $p already installed"
  else
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  log "installing: ${missing[*]}"
  t0=$SECONDS
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null || apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  note "installed ${missing[*]} in $((SECONDS - t0)) s"
else
  note "packages docker.io, debootstrap, docker-compose already installed"
fi
command -v dockerd >/dev/null || die "dockerd not found after installing docker.io"
command -v docker >/dev/null || die "docker client not found"

# ---------------------------------------------------------------------------------------------
# 2. dockerd
# ---------------------------------------------------------------------------------------------
if docker info >/dev/null 2>&1; then
  note "dockerd already running ($(docker info --format '{{.ServerVersion}}' 2>/dev/null))"
else
  log "starting dockerd in the background (log: $DOCKERD_LOG, flags: ${DOCKERD_FLAGS:-none})"
  mkdir -p "$(dirname "$DOCKERD_LOG")"
  # A pid file left by a dockerd that died keeps a new one from starting.
  if [[ -f /var/run/docker.pid ]] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    log "removing stale /var/run/docker.pid"
    rm -f /var/run/docker.pid
  fi
  # shellcheck disable=SC2086 # DOCKERD_FLAGS is a list of flags
  nohup dockerd $DOCKERD_FLAGS >>"$DOCKERD_LOG" 2>&1 </dev/null &
  echo $! >"$DOCKERD_PIDFILE"
  t0=$SECONDS
  until docker info >/dev/null 2>&1; do
    if ! kill -0 "$(cat "$DOCKERD_PIDFILE")" 2>/dev/null; then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd exited; see $DOCKERD_LOG"
    fi
    if ((SECONDS - t0 >= DOCKERD_WAIT_SECONDS)); then
      tail -n 30 "$DOCKERD_LOG" >&2 || true
      die "dockerd did not answer within ${DOCKERD_WAIT_SECONDS} s; see $DOCKERD_LOG"
    fi
    sleep 1
  done
  note "dockerd started (pid $(cat "$DOCKERD_PIDFILE"), $(docker info --format '{{.ServerVersion}}'), ready after $((SECONDS - t0)) s)"
fi

# ---------------------------------------------------------------------------------------------
# 3. base JRE image from Debian packages
# ---------------------------------------------------------------------------------------------
debian_mirror() {
  if [[ -n "${DEBIAN_MIRROR:-}" ]]; then
    echo "$DEBIAN_MIRROR"
    return
  fi
  local f uri
  # deb822 *.sources: the URIs of the stanza whose Suites carry the plain suite name.
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v suite="$DEBIAN_SUITE" '
      function flush() { if (isdeb && hassuite && uris != "") { print uris; found = 1; exit } }
      /^[ \t]*$/ { flush(); isdeb = 0; hassuite = 0; uris = ""; next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:" { for (i = 2; i <= NF; i++) if ($i == "deb") isdeb = 1 }
      tolower($1) == "uris:" { uris = $2 }
      tolower($1) == "suites:" { for (i = 2; i <= NF; i++) if ($i == suite) hassuite = 1 }
      END { if (!found) flush() }' "$f")"
    if [[ -n "$uri" ]]; then echo "$uri"; return; fi
  done
  # one-line format: deb [options] URI suite components...
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f "$f" ]] || continue
    uri="$(awk -v suite="$DEBIAN_SUITE" '
      $1 == "deb" {
        i = 2
        if ($i ~ /^\[/) { while (i <= NF && $i !~ /\]$/) i++; i++ }
        if ($(i + 1) == suite) { print $i; exit }
      }' "$f")"
    if [[ -n "$uri" ]]; then echo "$uri"; return; fi
  done
  echo "http://deb.debian.org/debian"
}

if [[ "${FORCE_BASE_IMAGE:-0}" != 1 ]] && docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
  note "base image $BASE_IMAGE already exists"
else
  MIRROR="$(debian_mirror)"
  log "building $BASE_IMAGE: debootstrap --variant=minbase $DEBIAN_SUITE from $MIRROR"
  rm -rf "$ROOTFS"
  t0=$SECONDS
  debootstrap --variant=minbase --include=openjdk-17-jre-headless,ca-certificates \
    "$DEBIAN_SUITE" "$ROOTFS" "$MIRROR" >"$ROOTFS.debootstrap.log" 2>&1 \
    || { tail -n 30 "$ROOTFS.debootstrap.log" >&2; die "debootstrap failed; see $ROOTFS.debootstrap.log"; }
  t_deb=$((SECONDS - t0))
  [[ -x "$ROOTFS/usr/bin/java" ]] || die "no /usr/bin/java in $ROOTFS"
  # Slim down: package caches and docs are of no use in the image.
  rm -rf "$ROOTFS"/var/cache/apt/archives/*.deb "$ROOTFS"/var/lib/apt/lists/* \
    "$ROOTFS"/usr/share/doc/* "$ROOTFS"/usr/share/man/* "$ROOTFS"/usr/share/info/*
  t1=$SECONDS
  tar --numeric-owner -C "$ROOTFS" -c . | docker import \
    -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    -c "ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-$(dpkg --print-architecture)" \
    -c 'ENV LANG=C.UTF-8' \
    -m "debootstrap --variant=minbase $DEBIAN_SUITE + openjdk-17-jre-headless" \
    - "$BASE_IMAGE" >/dev/null
  t_imp=$((SECONDS - t1))
  rm -rf "$ROOTFS"
  note "built $BASE_IMAGE: debootstrap ${t_deb} s, import ${t_imp} s, size $(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | awk '{printf "%.0f MB", $1/1e6}')"
fi

# Whole output first: `| head -n 1` could close the pipe early and fail the script (SIGPIPE, pipefail).
java_version="$(docker run --rm "$BASE_IMAGE" /usr/bin/java -version 2>&1)" || die "java does not run in $BASE_IMAGE"
log "base image java: ${java_version%%$'\n'*}"

echo
echo "[prepare-docker] summary:"
for s in "${SUMMARY[@]}"; do echo "  - $s"; done
echo "  - docker: $(docker version --format 'client {{.Client.Version}}, server {{.Server.Version}}')"
echo "  - docker-compose: $(docker-compose version --short 2>/dev/null || echo missing)"
echo "  - next: docker/build-images.sh (after ./mvnw package)"
