package io.timberdb.storage.replication;

import io.timberdb.model.shard.ShardId;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.InternalTls;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A follower's calls to its leader ({@link ReplicationController}'s routes), blocking, on the
 * follower's own thread, over the internal TLS when one is configured ({@link InternalTls}).
 * Thread-safe (the JDK client is; the client is swapped whole when the TLS bundle is reloaded).
 */
class PeerClient {

    private final ClusterCredential credential;
    private final InternalTls tls;
    /** Replaced when the TLS bundle is reloaded; volatile so the followers' threads see the new one. */
    private volatile HttpClient http;

    /** Calls that present no cluster credential (tests, clusters without one). */
    PeerClient() {
        this(ClusterCredential.none(), InternalTls.none());
    }

    /** Calls that present {@code credential} on the leader's internal routes, over {@code tls}. */
    PeerClient(ClusterCredential credential, InternalTls tls) {
        this.credential = credential;
        this.tls = tls;
        this.http = newClient();
        // new calls then handshake with the reloaded key pair and trust; calls under way finish on the old client
        tls.onUpdate(() -> http = newClient());
    }

    private HttpClient newClient() {
        return tls.applyTo(HttpClient.newBuilder())
                .connectTimeout(Duration.ofSeconds(2))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    private static final tools.jackson.databind.ObjectMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
    private static final Pattern END = Pattern.compile("\"end\"\\s*:\\s*(-?\\d+)");

    /** A call the leader refused, with its status and problem body. */
    static final class RefusedException extends IOException {
        private final int status;

        RefusedException(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Fetches the leader's log from {@code from} on; the leader holds the call up to {@code wait}
     * when it has nothing new and the follower knows its high watermark.
     */
    FetchResponse fetch(String leaderAddress, ShardId shard, String follower, long epoch, long from,
                        long knownHighWatermark, int maxBytes, Duration wait) throws IOException, InterruptedException {
        URI uri = URI.create(leaderAddress + base(shard) + "/fetch?follower=" + encode(follower) + "&epoch=" + epoch
                + "&from=" + from + "&hw=" + knownHighWatermark + "&max_bytes=" + maxBytes + "&wait_ms=" + wait.toMillis());
        HttpRequest request = credential.applyTo(HttpRequest.newBuilder(uri))
                .timeout(wait.plusSeconds(5))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new RefusedException(response.statusCode(), new String(body.readNBytes(4096), StandardCharsets.UTF_8));
            }
            return FetchResponse.decode(body);
        }
    }

    /** Where epoch {@code epoch} ends in the leader's log. */
    long endOfEpoch(String leaderAddress, ShardId shard, long epoch) throws IOException, InterruptedException {
        URI uri = URI.create(leaderAddress + base(shard) + "/end-of-epoch?epoch=" + epoch);
        HttpRequest request = credential.applyTo(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(5)).GET().build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new RefusedException(response.statusCode(), response.body());
        }
        Matcher m = END.matcher(response.body());
        if (!m.find()) {
            throw new IOException("end-of-epoch answer without an end: " + response.body());
        }
        return Long.parseLong(m.group(1));
    }

    /** The leader's sealed blocks and the sequence they reach. */
    BlockList blocks(String leaderAddress, ShardId shard) throws IOException, InterruptedException {
        URI uri = URI.create(leaderAddress + base(shard) + "/blocks");
        HttpResponse<byte[]> response = http.send(credential.applyTo(HttpRequest.newBuilder(uri)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new RefusedException(response.statusCode(), new String(response.body(), StandardCharsets.UTF_8));
        }
        return JSON.readValue(response.body(), BlockList.class);
    }

    /** Writes one of the leader's block files to {@code target}, at most {@code bytesPerSecond}. */
    void downloadBlock(String leaderAddress, ShardId shard, String name, java.nio.file.Path target, long bytesPerSecond)
            throws IOException, InterruptedException {
        URI uri = URI.create(leaderAddress + base(shard) + "/blocks/" + encode(name));
        HttpResponse<InputStream> response = http.send(credential.applyTo(HttpRequest.newBuilder(uri)).GET().build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body();
             var out = java.nio.file.Files.newOutputStream(target)) {
            if (response.statusCode() != 200) {
                throw new RefusedException(response.statusCode(), new String(in.readNBytes(4096), StandardCharsets.UTF_8));
            }
            byte[] buffer = new byte[64 * 1024];
            long started = System.nanoTime();
            long copied = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                out.write(buffer, 0, n);
                copied += n;
                long due = started + copied * 1_000_000_000L / bytesPerSecond; // throttle: never ahead of the rate
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
    }

    private static String base(ShardId shard) {
        return "/internal/v1/replication/" + encode(shard.partition()) + "/" + shard.shard();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
