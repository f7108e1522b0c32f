package io.timberdb.model.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The cluster's service token: what the processes of one cluster present to each other's internal
 * routes ({@code /internal/**} on coordinators and storage nodes, and the services' watch of
 * {@code GET /api/v1/cluster}) in the header {@value #HEADER}. Configured by
 * {@code timberdb.security.cluster-token} ({@code TIMBERDB_SECURITY_CLUSTER_TOKEN}) or, to keep it
 * out of the environment, {@code timberdb.security.cluster-token-file} (the file's content, trimmed).
 * Not configured: internal routes stay open, as before TDB-07 part 2.
 *
 * <p>The token is compared in constant time (SHA-256 digests of both sides through
 * {@link MessageDigest#isEqual}, so neither the content nor the length leaks through timing) and
 * never printed: {@link #toString()} says only whether one is configured.
 *
 * <p>Thread-safety: immutable.
 */
public final class ClusterCredential {

    /** The request header that carries the token. */
    public static final String HEADER = "X-TimberDB-Cluster-Token";

    private static final ClusterCredential NONE = new ClusterCredential(null);

    private final String token;
    private final byte[] digest;

    private ClusterCredential(String token) {
        this.token = token;
        this.digest = token == null ? null : sha256(token);
    }

    /** No credential: internal routes open, clients send nothing. */
    public static ClusterCredential none() {
        return NONE;
    }

    /** A credential with this token; blank means none. */
    public static ClusterCredential of(String token) {
        return token == null || token.isBlank() ? NONE : new ClusterCredential(token.strip());
    }

    /**
     * The credential configured in {@code env}: {@code timberdb.security.cluster-token}, else the
     * content of {@code timberdb.security.cluster-token-file}, else none.
     *
     * @throws UncheckedIOException when the file is named but cannot be read (the process must not
     *         start with its internal routes open by mistake)
     */
    public static ClusterCredential from(Environment env) {
        String token = env.getProperty("timberdb.security.cluster-token");
        if (token != null && !token.isBlank()) {
            return of(token);
        }
        String file = env.getProperty("timberdb.security.cluster-token-file");
        if (file == null || file.isBlank()) {
            return NONE;
        }
        try {
            String content = Files.readString(Path.of(file), StandardCharsets.UTF_8);
            if (content.isBlank()) {
                throw new IllegalStateException("timberdb.security.cluster-token-file " + file + " is empty");
            }
            return of(content);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read timberdb.security.cluster-token-file " + file, e);
        }
    }

    /** Whether a token is configured (internal routes then require it). */
    public boolean configured() {
        return token != null;
    }

    /** Whether {@code presented} is this cluster's token, in time independent of both. */
    public boolean matches(String presented) {
        return token != null && presented != null && MessageDigest.isEqual(digest, sha256(presented));
    }

    /** {@code builder} sending the token on every request, when one is configured (internal clients). */
    public WebClient.Builder applyTo(WebClient.Builder builder) {
        return token == null ? builder : builder.defaultHeader(HEADER, token);
    }

    /** {@code request} presenting the credential, when one is configured (a JDK HTTP client's call). */
    public java.net.http.HttpRequest.Builder applyTo(java.net.http.HttpRequest.Builder request) {
        return token == null ? request : request.header(HEADER, token);
    }

    private static byte[] sha256(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return token == null ? "ClusterCredential[none]" : "ClusterCredential[configured]";
    }
}
