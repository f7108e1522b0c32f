package io.timberdb.model.limit;

import java.net.InetSocketAddress;
import org.springframework.http.server.reactive.ServerHttpRequest;

/** What a rate limiter's buckets belong to (the spec's {@code api.rate_limiting.rate_limit_by}). */
public enum KeyBy {
    /** The request's tenant. */
    TENANT,
    /** The client's address, as the server sees it (behind a proxy, enable forwarded headers). */
    IP;

    /** The key of a request of {@code tenant}. */
    public String keyOf(String tenant, ServerHttpRequest request) {
        if (this == TENANT) {
            return tenant;
        }
        InetSocketAddress remote = request.getRemoteAddress();
        if (remote == null) {
            return "unknown";
        }
        return remote.getAddress() != null ? remote.getAddress().getHostAddress() : remote.getHostString();
    }

    /** How a refusal names the key: {@code tenant acme} or {@code client 10.0.0.7}. */
    public String describe(String tenant, String key) {
        return this == TENANT ? "tenant " + tenant : "client " + key;
    }
}
