package io.timberdb.security.route;

import java.util.Set;

/** The OAuth2 scopes of the public API. */
public final class Scopes {

    /** Ingest: the native API, Loki, OTLP, the Elasticsearch bulk API. */
    public static final String LOGS_WRITE = "logs:write";
    /** Queries: execute, status, cancel, the running list. */
    public static final String LOGS_READ = "logs:read";
    /** Partition and cluster administration. */
    public static final String ADMIN = "admin";
    /** Every scope the API knows. */
    public static final Set<String> ALL = Set.of(LOGS_WRITE, LOGS_READ, ADMIN);

    private Scopes() {
    }
}
