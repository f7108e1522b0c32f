# The image of every TimberDB service: coordinator, storage-node, ingest-service, query-service,
# gateway, standalone and auth-server differ only in their jar and their default HTTP port.
#
#   module          HTTP port (PORT)   other ports, state
#   coordinator     7801 (..7803)      raft 7811..7813; raft log under /data
#   storage-node    7821 (..7823)      WAL and blocks under /data
#   ingest-service  7831               stateless
#   query-service   7841               stateless
#   gateway         7777               stateless; the one public address of a cluster
#   standalone      7777               all roles in one process (raft 7778 stays on loopback); data under /data
#   auth-server     7790               stateless (its signing key lives in memory); docker-compose.auth.yml
#
# Build after `./mvnw package`, with the module's directory as the context (its .dockerignore sends
# only the runnable jar):
#   docker build -f docker/service.Dockerfile --build-arg PORT=7801 -t timberdb/coordinator:dev coordinator
#   docker build -f docker/service.Dockerfile --build-arg PORT=7801 \
#       --build-arg BASE_IMAGE=timberdb/base-jre:17 -t timberdb/coordinator:dev coordinator   # local base
# docker/build-images.sh does the latter for every service; docker-compose.yml and the e2e suite
# ContainerClusterIT build from this file too.
#
# The base may be an image made with `docker import` (docker/prepare-docker.sh), which carries no
# config of its own: PATH is set here, and nothing but bash, coreutils and a JRE is assumed.
ARG BASE_IMAGE=eclipse-temurin:17-jre
FROM ${BASE_IMAGE}

# The HTTP port the service listens on unless SERVER_PORT is set when the container runs; the
# health check follows SERVER_PORT.
ARG PORT=7777

# /opt/java/openjdk/bin: eclipse-temurin; /usr/bin/java: Debian's openjdk-17-jre-headless.
ENV PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 \
    SERVER_ADDRESS=0.0.0.0 \
    SERVER_PORT=${PORT} \
    TIMBERDB_DATA_DIR=/data

# Unprivileged user with a fixed numeric id; /data belongs to it (a named volume mounted there
# takes over this ownership when it is first created).
RUN groupadd --gid 10001 timberdb \
 && useradd --uid 10001 --gid 10001 --home-dir /data --no-create-home --shell /usr/sbin/nologin timberdb \
 && mkdir -p /app /data \
 && chown 10001:10001 /data \
 && chmod 0750 /data

# The context holds exactly one runnable jar: target/<module>-<version>-exec.jar.
COPY target/*-exec.jar /app/app.jar

USER 10001:10001
WORKDIR /data
EXPOSE ${PORT}

# No curl/wget in the base images: a raw HTTP GET over bash's /dev/tcp, healthy on status 200.
HEALTHCHECK --interval=10s --timeout=5s --start-period=120s --retries=3 \
  CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/${SERVER_PORT} && printf 'GET /actuator/health/readiness HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && read -r -t 4 _ code _ <&3 && [ \"$code\" = 200 ]"]

# Heap sized from the container's memory limit; extra JVM flags go in JAVA_TOOL_OPTIONS.
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", "-Djava.io.tmpdir=/tmp", "-jar", "/app/app.jar"]
