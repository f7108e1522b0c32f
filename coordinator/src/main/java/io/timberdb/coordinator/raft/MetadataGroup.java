package io.timberdb.coordinator.raft;

import com.alipay.sofa.jraft.Node;
import com.alipay.sofa.jraft.NodeManager;
import com.alipay.sofa.jraft.RaftGroupService;
import com.alipay.sofa.jraft.Status;
import com.alipay.sofa.jraft.closure.ReadIndexClosure;
import com.alipay.sofa.jraft.entity.PeerId;
import com.alipay.sofa.jraft.entity.Task;
import com.alipay.sofa.jraft.option.NodeOptions;
import com.alipay.sofa.jraft.util.BytesUtil;
import com.alipay.sofa.jraft.util.NamedThreadFactory;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.CommandCodec;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.cluster.ClusterView;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One voter of the coordinators' metadata Raft group (SOFAJRaft): it replicates {@link Command}s
 * and applies them to a {@link MetadataState}. Plain Java, no Spring: the coordinator service
 * and the standalone process both build it with {@link #start}.
 *
 * <p>On disk, {@code dataDir} holds {@code log/} (RocksDB), {@code meta/} and {@code snapshot/}.
 * The Raft RPC server (Bolt) binds the voter's configured host, never the wildcard address; with a
 * {@link RaftTls} its connections, and those the voter opens to its peers, run over TLS.
 * The leader's heartbeat interval divides the election timeout a whole number of times (SOFAJRaft's
 * election heartbeat factor), by default ten.
 *
 * <p>Voters: the configured list only seeds jraft's {@code initialConf}, which jraft ignores once
 * the log holds a configuration. {@link #voters()}, {@link #leaderId()} and the leader's URL come
 * from jraft's current configuration and the voter directory in the replicated state (see
 * {@link Membership}); {@link #addVoter} and {@link #removeVoter} change the group at runtime
 * (jraft's {@code addPeer}/{@code removePeer} on the leader). A new voter is started with its own
 * id and a voter list that holds itself and the current voters; it waits, without disturbing the
 * group (its pre-votes are refused while the leader lives), until the leader adds it, then
 * catches up by snapshot install and log replication.
 *
 * <p>Thread-safety: all methods may be called from any thread. {@link #propose} never blocks:
 * it fails fast on followers and when the apply queue is full. Futures complete on Raft
 * threads, so dependent stages must not block.
 */
public final class MetadataGroup implements AutoCloseable {

    /** The Raft group id shared by every voter. */
    public static final String GROUP_ID = "timberdb-metadata";
    /** The default election timeout (the spec's {@code election_timeout}). */
    public static final Duration DEFAULT_ELECTION_TIMEOUT = Duration.ofMillis(1500);
    /** The default heartbeat interval (the spec's {@code heartbeat_interval}): a tenth of the default election timeout. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMillis(150);
    /** The default interval between snapshots. */
    public static final Duration DEFAULT_SNAPSHOT_INTERVAL = Duration.ofMinutes(30);
    /** The default number of entries applied after which a snapshot is taken (the spec's {@code snapshot_threshold}). */
    public static final long DEFAULT_SNAPSHOT_THRESHOLD = 10_000;

    /**
     * The Raft timing of a voter.
     *
     * @param electionTimeout how long followers wait for a heartbeat before electing (the spec's {@code election_timeout})
     * @param heartbeatInterval how often the leader sends heartbeats (the spec's {@code heartbeat_interval}); the
     *        election timeout must hold at least two, and is divided by it rounding down (SOFAJRaft takes the
     *        ratio as a whole number: 1500 ms and 400 ms give heartbeats every 500 ms)
     * @param snapshotInterval how often the state is snapshotted and the log truncated
     * @param snapshotThreshold entries applied after which a snapshot is taken besides (the spec's
     *        {@code snapshot_threshold}); 0 for the interval alone
     */
    public record Settings(Duration electionTimeout, Duration heartbeatInterval, Duration snapshotInterval,
                           long snapshotThreshold) {

        /** The spec's defaults: 1500 ms, 150 ms, 30 minutes, 10,000 entries. */
        public static final Settings DEFAULTS = new Settings(DEFAULT_ELECTION_TIMEOUT, DEFAULT_HEARTBEAT_INTERVAL,
                DEFAULT_SNAPSHOT_INTERVAL, DEFAULT_SNAPSHOT_THRESHOLD);

        /**
         * @throws IllegalArgumentException when the timeout is too short, the interval not at most
         *         half of it, or the threshold negative
         */
        public Settings {
            if (electionTimeout.toMillis() < 2L * HEARTBEATS_PER_ELECTION_TIMEOUT) {
                throw new IllegalArgumentException("election timeout " + electionTimeout + " is too short");
            }
            if (heartbeatInterval.toMillis() < 1
                    || electionTimeout.toMillis() / heartbeatInterval.toMillis() < MIN_HEARTBEATS_PER_ELECTION_TIMEOUT) {
                throw new IllegalArgumentException("heartbeat interval " + heartbeatInterval.toMillis()
                        + " ms must be at least 1 ms and at most half the election timeout (" + electionTimeout.toMillis() + " ms)");
            }
            if (snapshotThreshold < 0) {
                throw new IllegalArgumentException("snapshot threshold must not be negative: " + snapshotThreshold);
            }
        }

        int heartbeatsPerElectionTimeout() {
            return Math.toIntExact(electionTimeout.toMillis() / heartbeatInterval.toMillis());
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MetadataGroup.class);
    private static final int HEARTBEATS_PER_ELECTION_TIMEOUT = 10;
    /** At least two heartbeats per election timeout, or one lost heartbeat starts an election. */
    private static final int MIN_HEARTBEATS_PER_ELECTION_TIMEOUT = 2;
    /** The system property sofa-common-tools reads for the directory of Bolt's log files. */
    private static final String BOLT_LOG_PATH = "logging.path";

    private final Voter self;
    private final MetadataState state = new MetadataState();
    private final Membership membership;
    private final MetadataStateMachine fsm;
    /** The cluster view watches waiting on this voter's applied state. */
    private final ViewWatchers watchers = new ViewWatchers();
    private final ExecutorService raftExecutor;
    private final ExecutorService cliExecutor;
    private final RaftGroupService service;
    /** Asks for the snapshots the applied-entry threshold calls for, off the state-machine thread. */
    private final ExecutorService snapshots;
    /** Volatile: set once started; a threshold reached while replaying the log at start waits for the next one. */
    private volatile Node node;
    /** Volatile: set once by {@link #close}, read by proposers. */
    private volatile boolean closed;

    private MetadataGroup(Voter self, List<Voter> voters, Path dataDir, Settings settings, int bindPort, RaftTls tls)
            throws IOException {
        this.self = self;
        this.membership = new Membership(voters, state, () -> node, this::propose, this::notLeader);
        this.snapshots = java.util.concurrent.Executors.newSingleThreadExecutor(
                new NamedThreadFactory("timberdb-raft-snapshot-" + self.id() + "-", true));
        this.fsm = new MetadataStateMachine(self.id(), state, settings.snapshotThreshold(), this::requestSnapshot);
        fsm.onViewChanged(() -> watchers.publish(state.view()));
        for (String sub : List.of("log", "meta", "snapshot")) {
            // RocksDB and the meta storage do not create missing parents.
            Files.createDirectories(dataDir.resolve(sub));
        }
        NodeOptions options = VoterSetup.nodeOptions(fsm, membership.initialConf(), dataDir, settings, tls);
        this.raftExecutor = VoterSetup.executor("timberdb-raft-rpc-" + self.id(), Math.max(4, Runtime.getRuntime().availableProcessors() * 2));
        this.cliExecutor = VoterSetup.executor("timberdb-raft-cli-" + self.id(), 2);
        PeerId serverId = new PeerId(self.host(), self.raftPort());
        this.service = new RaftGroupService(GROUP_ID, serverId, options, VoterSetup.rpcServer(self.host(), bindPort, raftExecutor, cliExecutor, tls));
        Node started;
        try {
            started = service.start();
        } catch (RuntimeException e) {
            shutdownQuietly();
            throw new IOException("cannot start metadata voter " + self + ": " + e.getMessage(), e);
        }
        if (started == null || !service.getRpcServer().isStarted()) {
            shutdownQuietly();
            throw new IOException("cannot start metadata voter " + self + " (is " + self.raftAddress() + " in use?)");
        }
        this.node = started;
        log.info("metadata voter {} started at {} ({}) with configured voters {}", self.id(), self.raftAddress(),
                tls.enabled() ? "TLS" : "plain TCP", voters);
    }

    /**
     * Starts this process's voter, with heartbeats every tenth of the election timeout and no
     * snapshot threshold (the interval alone).
     *
     * @param selfId the id of this voter; must be one of {@code voters}
     * @param voters every voter of the group, this one included
     * @param dataDir this voter's own directory (created if missing)
     * @param electionTimeout how long followers wait for a heartbeat before electing
     * @param snapshotInterval how often the state is snapshotted (and the log truncated)
     * @throws IOException when the directories cannot be created or the voter cannot start
     */
    public static MetadataGroup start(String selfId, List<Voter> voters, Path dataDir, Duration electionTimeout,
                                      Duration snapshotInterval) throws IOException {
        return start(selfId, voters, dataDir, new Settings(electionTimeout,
                electionTimeout.dividedBy(HEARTBEATS_PER_ELECTION_TIMEOUT), snapshotInterval, 0));
    }

    /**
     * Starts this process's voter with {@code settings}.
     *
     * @throws IllegalArgumentException when {@code selfId} is not a voter or voters repeat an id or address
     * @see #start(String, List, Path, Duration, Duration)
     */
    public static MetadataGroup start(String selfId, List<Voter> voters, Path dataDir, Settings settings)
            throws IOException {
        return start(selfId, voters, dataDir, settings, 0);
    }

    /**
     * Starts this process's voter with its Raft server bound to {@code bindPort} on its host,
     * while peers reach it at its voter address (through a port forward or a proxy in front).
     *
     * @param bindPort the port the Raft server listens on; 0 for the voter's own port
     * @see #start(String, List, Path, Settings)
     */
    public static MetadataGroup start(String selfId, List<Voter> voters, Path dataDir, Settings settings, int bindPort)
            throws IOException {
        return start(selfId, voters, dataDir, settings, bindPort, RaftTls.none());
    }

    /**
     * Starts this process's voter with its Raft connections, to and from its peers, over
     * {@code tls} (see {@link RaftTls}). Every voter of a group must use TLS, or none: a plain peer
     * and a TLS one fail each other's handshakes.
     *
     * @param tls {@link RaftTls#none()} for plain TCP
     * @throws IllegalStateException when TLS is enabled but jraft's RPC factory is not {@link TlsRaftRpcFactory}
     * @see #start(String, List, Path, Settings, int)
     */
    public static MetadataGroup start(String selfId, List<Voter> voters, Path dataDir, Settings settings, int bindPort,
                                      RaftTls tls) throws IOException {
        VoterSetup.requireTlsClients(tls);
        if (bindPort < 0 || bindPort > 65534) {
            throw new IllegalArgumentException("bind port " + bindPort + " is out of range");
        }
        Voter self = voters.stream().filter(v -> v.id().equals(selfId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("node id '" + selfId + "' is not among the voters " + voters));
        if (new HashSet<>(voters.stream().map(Voter::id).toList()).size() != voters.size()
                || new HashSet<>(voters.stream().map(Voter::raftAddress).toList()).size() != voters.size()) {
            throw new IllegalArgumentException("voter ids and raft addresses must be unique: " + voters);
        }
        return new MetadataGroup(self, voters, dataDir, settings, bindPort == 0 ? self.raftPort() : bindPort, tls);
    }

    /** Asks jraft for a snapshot, from the snapshot thread; the state machine calls it past the threshold. */
    private void requestSnapshot() {
        Node started = node;
        if (started == null || closed) {
            return;
        }
        try {
            snapshots.execute(() -> started.snapshot(status -> {
                if (!status.isOk()) {
                    log.debug("metadata voter {}: snapshot after the threshold not taken: {}", self.id(), status);
                    fsm.snapshotNotTaken();
                }
            }));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing
        }
    }

    /** Starts this process's voter with the spec's default timing ({@link Settings#DEFAULTS}). */
    public static MetadataGroup start(String selfId, List<Voter> voters, Path dataDir) throws IOException {
        return start(selfId, voters, dataDir, Settings.DEFAULTS);
    }

    /**
     * Starts a single-voter group on the loopback address (standalone mode). Its Raft port is
     * kept in {@code dataDir} ({@link RaftPortFile}), so restarts find the same address.
     *
     * @param preferredRaftPort the port to use on first start if free (else any free port); 0 for any
     */
    public static MetadataGroup startSingle(String id, Path dataDir, URI httpUrl, int preferredRaftPort)
            throws IOException {
        int port = RaftPortFile.resolve(dataDir, "127.0.0.1", preferredRaftPort);
        return start(id, List.of(new Voter(id, "127.0.0.1", port, httpUrl)), dataDir);
    }

    /**
     * Keeps the log files of Bolt (the Raft RPC layer, which logs through its own appenders, by
     * default under {@code ~/logs}) in {@code dir}. Process-wide: call it before the first voter
     * starts; it does nothing when {@code -Dlogging.path} is set.
     */
    public static void useRpcLogDirectory(Path dir) {
        if (System.getProperty(BOLT_LOG_PATH) == null) {
            System.setProperty(BOLT_LOG_PATH, dir.toAbsolutePath().toString());
        }
    }

    /**
     * Proposes a command. Completes with what applying it did, once it is committed and applied
     * here; fails with {@link NotLeaderException} at once when this voter is not the leader,
     * or with a {@link ProposalException} when the group cannot commit it.
     */
    public CompletableFuture<Result> propose(Command command) {
        if (closed) {
            return CompletableFuture.failedFuture(new ProposalException("the metadata voter is closed", false));
        }
        long term = fsm.leaderTerm();
        if (term < 0 || !node.isLeader()) {
            return CompletableFuture.failedFuture(notLeader());
        }
        ProposalClosure done = new ProposalClosure(this::notLeader);
        // The expected term makes jraft refuse the entry if leadership changed since the check above.
        node.apply(new Task(ByteBuffer.wrap(CommandCodec.encode(command)), done, term));
        return done.future();
    }

    /**
     * The state once this voter has applied every entry committed before the call (a Raft read
     * index): a read that follows a write elsewhere sees it. Fails when no leader confirms.
     */
    public CompletableFuture<ClusterView> syncedView() {
        CompletableFuture<ClusterView> future = new CompletableFuture<>();
        if (closed) {
            future.completeExceptionally(new ProposalException("the metadata voter is closed", false));
            return future;
        }
        node.readIndex(BytesUtil.EMPTY_BYTES, new ReadIndexClosure() {
            @Override
            public void run(Status status, long index, byte[] context) {
                if (status.isOk()) {
                    future.complete(state.view());
                } else {
                    future.completeExceptionally(new ProposalException("read index failed: " + status, true));
                }
            }
        });
        return future;
    }

    /**
     * The state as applied on this voter, possibly behind the leader's; immutable. Its
     * coordinator part is empty: see {@link #leaderId()} and {@link #voterIds()}.
     */
    public ClusterView view() {
        return state.view();
    }

    /**
     * The first view applied on this voter with a version above {@code version}: completes at
     * once when the applied view already is one, else when the state machine applies one (on
     * its thread, so dependent stages must not block). Cancelling the future stops the wait.
     * Answers from this voter's applied state, which may trail the leader's by a few
     * milliseconds; fails with {@code UNAVAILABLE} when too many watches wait, and with a
     * {@link ProposalException} once the voter is closed.
     */
    public CompletableFuture<ClusterView> viewNewerThan(long version) {
        if (closed) {
            return CompletableFuture.failedFuture(new ProposalException("the metadata voter is closed", false));
        }
        return watchers.newerThan(version, state::view);
    }

    /** Whether this voter leads the group and has applied every earlier entry. */
    public boolean isLeader() {
        return !closed && fsm.leaderTerm() >= 0 && node.isLeader();
    }

    /**
     * The term in which this voter leads and has applied every earlier entry, or -1 when it does
     * not lead: a change tells a caller that leadership was lost and won again in between.
     */
    public long leaderTerm() {
        return isLeader() ? fsm.leaderTerm() : -1;
    }

    /** The node id of the current leader as this voter knows it, or null during an election. */
    public String leaderId() {
        Voter leader = leader();
        return leader == null ? null : leader.id();
    }

    /** The HTTP base URL of the current leader, or null during an election. */
    public URI leaderHttpUrl() {
        Voter leader = leader();
        return leader == null ? null : leader.httpUrl();
    }

    /** This voter's Raft role: {@code leader}, {@code follower}, {@code candidate}, ... */
    public String role() {
        if (closed) {
            return "shutdown";
        }
        return node.getNodeState().name().replace("STATE_", "").toLowerCase(Locale.ROOT);
    }

    /** This voter. */
    public Voter self() {
        return self;
    }

    /**
     * The voters of jraft's current configuration on this voter (the latest in its log, committed
     * or not; the configured voters before the log holds one), in configuration order, with their
     * addresses from the voter directory or the configuration. A peer whose HTTP URL no voter
     * knows is left out (see {@link #voterIds()}).
     */
    public List<Voter> voters() {
        return membership.voters();
    }

    /** The node ids of the current voters, in configuration order; an unnamed peer appears as its Raft address. */
    public List<String> voterIds() {
        return membership.voterIds();
    }

    /**
     * Adds a voter to the group, on the leader: records where it is reached in the replicated
     * voter directory, then adds it to jraft's configuration once it has caught up. The voter's
     * process must be running (started with a voter list that holds it). Adding a current voter
     * at the same address only records its HTTP URL again.
     *
     * @return completes when the new configuration is committed; fails with
     *         {@link NotLeaderException} on a follower, {@link MembershipException} when the id or
     *         address belongs to another voter, and a retryable {@link ProposalException} when
     *         another change is in progress or the voter did not catch up
     */
    public CompletableFuture<Void> addVoter(Voter voter) {
        return membershipChange(() -> membership.add(voter));
    }

    /**
     * Removes a voter from the group, on the leader (the leader itself included: it steps down
     * once the change commits). The removed voter's process keeps running until stopped; its
     * pre-votes are refused while the group has a leader.
     *
     * @return completes when the new configuration is committed; fails with
     *         {@link NotLeaderException} on a follower and {@link MembershipException} for an
     *         unknown id or the last voter
     */
    public CompletableFuture<Void> removeVoter(String id) {
        return membershipChange(() -> membership.remove(id));
    }

    private CompletableFuture<Void> membershipChange(Supplier<CompletableFuture<Void>> change) {
        if (closed) {
            return CompletableFuture.failedFuture(new ProposalException("the metadata voter is closed", false));
        }
        if (!isLeader()) {
            return CompletableFuture.failedFuture(notLeader());
        }
        try {
            return change.get();
        } catch (MembershipException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** How many snapshots this voter has loaded (at start, or installed from the leader). */
    long snapshotsLoaded() {
        return fsm.snapshotsLoaded();
    }

    /** This voter's jraft node, for the test fixture's diagnostics. */
    Node raftNode() {
        return node;
    }

    /** Stops the voter and waits until its log is closed; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        shutdownQuietly();
        watchers.failAll(new ProposalException("the metadata voter is closed", false));
        log.info("metadata voter {} stopped", self.id());
    }

    private Voter leader() {
        if (closed) {
            return null;
        }
        PeerId leader = node.getLeaderId();
        return leader == null || leader.isEmpty() ? null : membership.byAddress(leader.getEndpoint().toString());
    }

    private NotLeaderException notLeader() {
        return new NotLeaderException(self.id(), leaderId(), leaderHttpUrl());
    }

    private void shutdownQuietly() {
        try {
            if (service.isStarted()) {
                service.shutdown();
                service.join();
            } else if (service.getRaftNode() != null) {
                // start() failed after creating the node (e.g. the RPC port was taken): stop the node alone.
                service.getRaftNode().shutdown();
                service.getRaftNode().join();
                service.getRpcServer().shutdown();
                NodeManager.getInstance().removeAddress(service.getServerId().getEndpoint());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("metadata voter {}: error while stopping", self.id(), e);
        } finally {
            raftExecutor.shutdown();
            cliExecutor.shutdown();
            snapshots.shutdownNow();
        }
    }
}
