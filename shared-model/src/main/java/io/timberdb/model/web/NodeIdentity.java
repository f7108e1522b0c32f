package io.timberdb.model.web;

import java.time.Instant;

/**
 * Who this process is, for {@code /health} and logs.
 *
 * @param nodeId e.g. {@code storage-2}, {@code development}
 * @param role {@code standalone}, {@code coordinator}, {@code storage}, {@code ingest}, {@code query}, {@code gateway}
 * @param version the TimberDB version
 * @param startedAt when the process started
 */
public record NodeIdentity(String nodeId, String role, String version, Instant startedAt) {

    /** The version of the running build, from the jar manifest ("dev" when run from classes). */
    public static String buildVersion() {
        String v = NodeIdentity.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
