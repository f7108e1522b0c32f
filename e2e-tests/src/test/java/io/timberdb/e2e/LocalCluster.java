package io.timberdb.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of separate processes started by the launcher ({@code ./timberdb cluster …}) in a
 * directory of its own, with its ports shifted by an offset so that clusters of different test
 * classes, and one a developer runs, do not meet. Runs the jars the build made.
 *
 * @param env variables added to the launcher's environment, which the processes it starts inherit:
 *        Spring properties as environment variables ({@code TIMBERDB_INGEST_…})
 */
record LocalCluster(Path dir, int offset, Map<String, String> env) {

    /** A cluster whose processes run with the launcher's defaults. */
    LocalCluster(Path dir, int offset) {
        this(dir, offset, Map.of());
    }

    /** The gateway's URL. */
    String gateway() {
        return "http://127.0.0.1:" + (7777 + offset);
    }

    /** A service's URL by its default port (7801 a coordinator, 7821 a storage node, …). */
    String url(int defaultPort) {
        return "http://127.0.0.1:" + (defaultPort + offset);
    }

    /** Stops what an interrupted run left, clears the directory, and starts the cluster. */
    void start(String... extraArgs) throws IOException, InterruptedException {
        launcher("cluster", "down");
        if (Files.exists(dir)) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        assertThat(up(extraArgs)).contains("TimberDB cluster is up");
    }

    /** {@code cluster up} again: starts whatever is not running (and added storage nodes). */
    String up(String... extraArgs) throws IOException, InterruptedException {
        String[] args = new String[4 + extraArgs.length];
        args[0] = "cluster";
        args[1] = "up";
        args[2] = "--port-offset";
        args[3] = String.valueOf(offset);
        System.arraycopy(extraArgs, 0, args, 4, extraArgs.length);
        return launcher(args);
    }

    /** The pid of a process of the cluster, by node id ({@code storage-2}). */
    long pid(String nodeId) throws IOException {
        return Long.parseLong(Files.readString(dir.resolve(nodeId + ".pid")).trim());
    }

    /** Runs {@code ./timberdb args…} against this cluster's directory; fails unless it exits 0. */
    String launcher(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = ServiceProcess.ROOT.resolve("timberdb").toString();
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(ServiceProcess.ROOT.toFile());
        pb.environment().put("TIMBERDB_CLUSTER_DIR", dir.toString());
        pb.environment().put("TIMBERDB_SKIP_BUILD", "1");
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("./timberdb %s printed:%n%s", String.join(" ", args), out).isZero();
        return out;
    }
}
