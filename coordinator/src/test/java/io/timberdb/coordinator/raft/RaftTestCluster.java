package io.timberdb.coordinator.raft;

import static org.awaitility.Awaitility.await;

import com.alipay.sofa.jraft.core.NodeImpl;
import com.alipay.sofa.jraft.storage.LogManager;
import io.timberdb.coordinator.state.Command;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An in-JVM metadata group for tests: {@code size} voters on free loopback ports, each with its
 * own directory under {@code root}. Voters can be stopped and restarted on the same address and
 * directory, added and removed at runtime, and cut off from the others and reconnected. The
 * voters' HTTP URLs point at free ports where nothing listens unless the test starts a server
 * there ({@link #httpPort}).
 *
 * <p>Each voter's Raft server listens on a private port behind a {@link TcpProxy} at the voter's
 * address, and each voter reaches each peer through a proxy of its own for that link
 * ({@link PeerLinks}). {@link #cutOff} makes the voter's front proxy and every proxy of its links,
 * both ways, refuse and drop connections: nothing passes between it and the others until
 * {@link #reconnect}.
 *
 * <p>Not thread-safe: drive it from the test thread.
 */
public final class RaftTestCluster implements AutoCloseable {

    /** Shorter than production's 1.5 s to keep tests quick, long enough for a busy 2-core machine. */
    public static final Duration ELECTION_TIMEOUT = Duration.ofMillis(1000);
    /** The timing the voters run with unless a test gives its own. */
    public static final MetadataGroup.Settings SETTINGS = settings(MetadataGroup.DEFAULT_SNAPSHOT_INTERVAL, 0);

    private static final Duration CHANGE_WAIT = Duration.ofSeconds(60);
    private static final Instant STORAGE_REGISTERED_AT = Instant.parse("2025-01-01T00:00:00Z");

    private final Path root;
    private final List<Voter> voters = new ArrayList<>();
    private final MetadataGroup.Settings settings;
    /** Each voter's Raft TLS, by id. */
    private final Function<String, RaftTls> tls;
    private final Map<String, MetadataGroup> running = new LinkedHashMap<>();
    private final Map<String, TcpProxy> proxies = new LinkedHashMap<>();
    /** The proxy of each directed link, by "from id" then "to id". */
    private final Map<String, Map<String, TcpProxy>> links = new LinkedHashMap<>();
    /** Each voter's outgoing address translation, kept across restarts. */
    private final Map<String, PeerLinks> routes = new LinkedHashMap<>();
    /** Each voter's real Raft port, behind its proxy. */
    private final Map<String, Integer> bindPorts = new LinkedHashMap<>();

    private RaftTestCluster(Path root, MetadataGroup.Settings settings, Function<String, RaftTls> tls) {
        this.root = root;
        this.settings = settings;
        this.tls = tls;
    }

    /** Starts {@code size} voters named {@code coordinator-1..size}. */
    public static RaftTestCluster start(int size, Path root) {
        return start(size, root, SETTINGS);
    }

    /** Starts {@code size} voters that snapshot every {@code snapshotInterval}. */
    public static RaftTestCluster start(int size, Path root, Duration snapshotInterval) {
        return start(size, root, settings(snapshotInterval, 0));
    }

    /** Starts {@code size} voters with {@code settings}. */
    public static RaftTestCluster start(int size, Path root, MetadataGroup.Settings settings) {
        return start(size, root, settings, id -> RaftTls.none());
    }

    /**
     * Starts {@code size} voters with {@code settings}, each with the Raft TLS {@code tls} gives
     * for its id (on every start). The proxies pass TLS through as they pass any bytes.
     */
    public static RaftTestCluster start(int size, Path root, MetadataGroup.Settings settings,
                                        Function<String, RaftTls> tls) {
        RaftTestCluster cluster = new RaftTestCluster(root, settings, tls);
        try {
            for (int i = 1; i <= size; i++) {
                cluster.voters.add(cluster.newVoter("coordinator-" + i));
            }
            cluster.voters.forEach(v -> cluster.restart(v.id()));
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The test timing ({@link #ELECTION_TIMEOUT}, heartbeats every tenth of it) with these snapshot triggers. */
    public static MetadataGroup.Settings settings(Duration snapshotInterval, long snapshotThreshold) {
        return new MetadataGroup.Settings(ELECTION_TIMEOUT, ELECTION_TIMEOUT.dividedBy(10), snapshotInterval,
                snapshotThreshold);
    }

    /** The voters of the group as the fixture started and changed it, e.g. to start HTTP servers for them. */
    public List<Voter> voters() {
        return List.copyOf(voters);
    }

    /** The HTTP port of a voter's URL. */
    public int httpPort(String id) {
        return voter(id).httpUrl().getPort();
    }

    /** The port a voter's Raft server listens on, behind the proxy at its voter address. */
    public int raftBindPort(String id) {
        return bindPorts.get(id);
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

    /**
     * Waits until one running voter leads and every running voter that is not cut off and is in
     * its configuration knows it; returns it.
     */
    public MetadataGroup awaitLeader() {
        return await("a leader every running voter agrees on").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(50))
                .until(this::agreedLeader, Objects::nonNull);
    }

    /**
     * Waits for the leader and registers storage nodes {@code storage-1..count} through it, so
     * that partitions can be placed; returns the leader.
     */
    public MetadataGroup awaitLeaderWithStorageNodes(int count) {
        MetadataGroup leader = awaitLeader();
        for (int i = 1; i <= count; i++) {
            try {
                leader.propose(new Command.RegisterNode("storage-" + i, "http://127.0.0.1:1782" + i, STORAGE_REGISTERED_AT))
                        .get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot register storage-" + i, e);
            }
        }
        return leader;
    }

    private MetadataGroup agreedLeader() {
        List<MetadataGroup> leaders = running.values().stream().filter(MetadataGroup::isLeader).toList();
        if (leaders.size() != 1) {
            return null;
        }
        MetadataGroup leader = leaders.get(0);
        String id = leader.self().id();
        List<String> members = leader.voterIds();
        return running.entrySet().stream()
                .filter(e -> !isCut(e.getKey()) && members.contains(e.getKey()))
                .allMatch(e -> id.equals(e.getValue().leaderId())) ? leader : null;
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
            MetadataGroup group = MetadataGroup.start(id, voters, dataDir(id), settings, bindPorts.get(id), tls.apply(id));
            routes.get(id).installOn(group);
            running.put(id, group);
            return group;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Cuts a voter off from the others, both ways: its proxies refuse and drop every connection. */
    public void cutOff(String id) {
        linksOf(id).forEach(TcpProxy::cut);
    }

    /** Links a cut-off voter to the others again. */
    public void reconnect(String id) {
        linksOf(id).forEach(TcpProxy::restore);
    }

    private boolean isCut(String id) {
        return proxies.get(id).isCut();
    }

    /** The front proxy of a voter and the proxies of its links, both ways. */
    private List<TcpProxy> linksOf(String id) {
        List<TcpProxy> all = new ArrayList<>();
        all.add(proxies.get(id));
        all.addAll(links.get(id).values());
        links.forEach((from, to) -> {
            if (to.containsKey(id)) {
                all.add(to.get(id));
            }
        });
        return all;
    }

    /**
     * Starts a new voter {@code id} (its voter list: the current voters and itself) and adds it to
     * the group through the leader; returns once the group's configuration holds it.
     */
    public MetadataGroup addVoter(String id) {
        if (bindPorts.containsKey(id)) {
            throw new IllegalArgumentException(id + " was a voter already");
        }
        Voter voter = newVoter(id);
        voters.add(voter);
        MetadataGroup group = restart(id);
        change(leader -> leader.addVoter(voter), "add " + id);
        return group;
    }

    /** Removes a voter from the group through the leader, then stops it (its directory stays). */
    public void removeVoter(String id) {
        change(leader -> leader.removeVoter(id), "remove " + id);
        stop(id);
        voters.removeIf(v -> v.id().equals(id));
    }

    private void change(java.util.function.Function<MetadataGroup, java.util.concurrent.CompletableFuture<Void>> change,
                        String what) {
        await(what).atMost(CHANGE_WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            try {
                change.apply(awaitLeader()).get(30, TimeUnit.SECONDS);
                return true;
            } catch (ExecutionException e) {
                if (e.getCause() instanceof ProposalException p && p.retryable()) {
                    return false; // a leader change, another change in progress, a voter still catching up
                }
                throw e;
            } catch (TimeoutException e) {
                return false;
            }
        });
    }

    /** How many snapshots a running voter has loaded: from its disk at start, or installed by the leader. */
    public long snapshotsLoaded(String id) {
        return group(id).snapshotsLoaded();
    }

    /** The first index in a running voter's Raft log: 1 until a snapshot has let it truncate the log. */
    public long firstLogIndex(String id) {
        try {
            // jraft keeps the log manager private; the index is only printed by describe().
            Field field = NodeImpl.class.getDeclaredField("logManager");
            field.setAccessible(true);
            return ((LogManager) field.get(group(id).raftNode())).getFirstLogIndex();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("jraft's NodeImpl has no logManager field any more", e);
        }
    }

    private Voter voter(String id) {
        return voters.stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow();
    }

    /**
     * A voter on fresh ports, with its front proxy listening at its Raft address and a proxy for
     * each link between it and the voters there are already.
     */
    private Voter newVoter(String id) {
        Voter voter = new Voter(id, "127.0.0.1", freePort(), URI.create("http://127.0.0.1:" + freePort()));
        int bindPort = freePort();
        bindPorts.put(id, bindPort);
        proxies.put(id, new TcpProxy(id, voter.raftPort(), bindPort));
        links.put(id, new LinkedHashMap<>());
        routes.put(id, new PeerLinks());
        for (Voter other : voters) {
            link(id, other);
            link(other.id(), voter);
        }
        return voter;
    }

    private void link(String from, Voter to) {
        int port = freePort();
        links.get(from).put(to.id(), new TcpProxy(from + "-" + to.id(), port, bindPorts.get(to.id())));
        routes.get(from).route(to.raftAddress(), port);
    }

    @Override
    public void close() {
        new ArrayList<>(running.keySet()).forEach(this::stop);
        proxies.values().forEach(TcpProxy::close);
        links.values().forEach(to -> to.values().forEach(TcpProxy::close));
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
