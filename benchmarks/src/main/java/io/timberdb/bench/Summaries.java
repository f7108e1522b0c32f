package io.timberdb.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What the benchmark tools share at their edges: summary files for the scripts, and loopback-only addresses. */
public final class Summaries {

    private Summaries() {
    }

    /** Writes {@code values} as {@code key=value} lines, in the map's order, for the bench scripts to read. */
    public static void write(Path file, Map<String, String> values) {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Map.Entry<String, String> e : values.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** Refuses anything but an {@code http://} loopback address: the tools send traffic nowhere else. */
    public static void requireLoopback(URI uri) {
        String host = uri.getHost();
        if (!"http".equals(uri.getScheme()) || host == null
                || !(host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]") || host.equals("::1"))) {
            throw new IllegalArgumentException("only http:// loopback addresses are allowed (127.0.0.1, localhost, [::1]), not " + uri);
        }
    }
}
