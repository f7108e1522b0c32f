package io.timberdb.coordinator.raft;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An in-JVM metadata group for tests: {@code size} voters on free loopback ports, each with its
 * own directory under {@code root}. Voters can be stopped and restarted on the same address and
 * directory. The voters' HTTP URLs point at free ports where nothing listens unless the test
 * starts a server there ({@link #httpPort}).
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
public final class RaftTestCluster implements AutoCloseable {

    /** Shorter than production's 1.5 s to keep tests quick, long enough for a busy 2-core machine. */
    public static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);

    private final Path root;
    private final List<Voter> voters;
    private final Duration snapshotInterval;
    private final Map<String, MetadataGroup> running = new LinkedHashMap<>();

    private RaftTestCluster(Path root, List<Voter> voters, Duration snapshotInterval) {
        this.root = root;
        this.voters = voters;
        this.snapshotInterval = snapshotInterval;
    }

    /** Starts {@code size} voters named {@code coordinator-1..size}. */
    public static RaftTestCluster start(int size, Path root) {
        return start(size, root, MetadataGroup.DEFAULT_SNAPSHOT_INTERVAL);
    }

    /** Starts {@code size} voters that snapshot every {@code snapshotInterval}. */
    public static RaftTestCluster start(int size, Path root, Duration snapshotInterval) {
        List<Voter> voters = new ArrayList<>();
        for (int i = 1; i <= size; i++) {
            voters.add(new Voter("coordinator-" + i, "127.0.0.1", freePort(),
                    URI.create("http://127.0.0.1:" + freePort())));
        }
        RaftTestCluster cluster = new RaftTestCluster(root, List.copyOf(voters), snapshotInterval);
        try {
            voters.forEach(v -> cluster.restart(v.id()));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The voters' configuration, e.g. to start HTTP servers for them. */
    public List<Voter> voters() {
        return voters;
    }

    /** The HTTP port of a voter's URL. */
    public int httpPort(String id) {
        return voter(id).httpUrl().getPort();
    }

    /** The directory of a voter. */
    public Path dataDir(String id) {
        return root.resolve(id);
    }

    /** A running voter. */
    public MetadataGroup group(String id) {
        return Objects.requireNonNull(running.get(id), id + " is not running");
    }

    /** The running voters. */
    public Collection<MetadataGroup> running() {
        return List.copyOf(running.values());
    }

    /** The running voters other than the leader. */
    public List<MetadataGroup> followers() {
        MetadataGroup leader = awaitLeader();
        return running.values().stream().filter(g -> g != leader).toList();
    }

    /** Waits until one running voter leads and every running voter knows it; returns it. */
    public MetadataGroup awaitLeader() {
        return await("a leader every running voter agrees on").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(this::agreedLeader, Objects::nonNull);
    }

    private MetadataGroup agreedLeader() {
        List<MetadataGroup> leaders = running.values().stream().filter(MetadataGroup::isLeader).toList();
        if (leaders.size() != 1) {
            return null;
        }
        String id = leaders.get(0).self().id();
        return running.values().stream().allMatch(g -> id.equals(g.leaderId())) ? leaders.get(0) : null;
    }

    /** Stops a voter (its directory stays). */
    public void stop(String id) {
        MetadataGroup group = running.remove(id);
        if (group != null) {
            group.close();
        }
    }

    /** Starts a stopped voter again on its address and directory. */
    public MetadataGroup restart(String id) {
        if (running.containsKey(id)) {
            throw new IllegalStateException(id + " is running");
        }
        try {
            MetadataGroup group = MetadataGroup.start(id, voters, dataDir(id), ELECTION_TIMEOUT, snapshotInterval);
            running.put(id, group);
            return group;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Voter voter(String id) {
        return voters.stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
    }

    /** A free TCP port on the loopback address (ephemeral range, off the services' 7777-7900). */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
