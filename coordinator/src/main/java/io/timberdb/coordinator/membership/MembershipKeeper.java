package io.timberdb.coordinator.membership;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.coordinator.state.Result;
import io.timberdb.coordinator.state.ShardTransitions;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's membership duties, run every {@link Settings#checkInterval}, in this order:
 * <ol>
 *   <li><b>Dead nodes.</b> A storage node not heard from for {@link Settings#nodeTimeout} is
 *       marked dead ({@link Command.SetNodeState}).</li>
 *   <li><b>Leader failover (TDB-05).</b> A node not heard from for
 *       {@link Settings#leaderFailoverTimeout} (3 s by default, storage nodes heartbeat every
 *       second) loses the leadership of every shard it leads: one {@link Command.ElectLeaders}
 *       per node, planned by {@link ShardTransitions#failover} with the nodes heard within that
 *       timeout as live (unclean elections only if {@link Settings#uncleanLeaderElection}). The
 *       node stays active until the node timeout; when it heartbeats again it is a follower
 *       of its shards, and their leaders put it back in the ISR once it has caught up.</li>
 *   <li><b>Drains.</b> A draining node that leads shards hands their leadership to in-sync
 *       replicas on active nodes ({@link ShardTransitions#handOver}).</li>
 *   <li><b>Moves.</b> Moves in flight whose staying replicas are in sync complete
 *       ({@link Command.CompleteMoves}); then, if {@link Settings#moveReplicas}, one round of
 *       at most {@link Settings#maxMoves} moves (counting those in flight) is planned
 *       ({@link MetadataState#rebalance}) and proposed as a {@link Command.ApplyMoves}.</li>
 * </ol>
 * Followers do nothing.
 *
 * <p>Liveness lives in memory on the leader ({@link NodeLiveness}); only the resulting state
 * changes go through Raft. A voter that has just become leader has heard from nobody, so a
 * node counts as heard at the start of the leader's term at the latest: every node has a whole
 * timeout to find the new leader (the grace period) before it can be marked dead or lose a
 * leadership. A dead node that heartbeats again becomes active through its registration.
 *
 * <p>A move copies before it cuts: the new replica is added first, and the old one dropped only
 * once the new one is in the ISR, which its storage leader decides once it holds the data. So
 * moves are on by default in a cluster; the standalone (one in-process node) never moves.
 *
 * <p>Thread-safety: {@link #tick} runs on the keeper's single thread (or a test's), and its
 * fields are confined to it; {@link #start} and {@link #close} may be called from any thread.
 */
public final class MembershipKeeper implements AutoCloseable {

    /**
     * @param nodeTimeout how long a node may stay silent before it is marked dead; zero to never
     *        mark nodes dead (the standalone, whose only node is in-process)
     * @param maxMoves the most replica moves in flight, at least 1
     * @param checkInterval how often the keeper checks
     * @param moveReplicas whether rounds of moves are planned and proposed (off: nodes are only
     *        marked dead, and leaderships fail over)
     * @param leaderFailoverTimeout how long a node may stay silent before the shards it leads
     *        get other leaders; zero never to fail over (the standalone)
     * @param uncleanLeaderElection whether a shard with no live in-sync replica may be led by a
     *        live out-of-sync one (it may lack acknowledged entries)
     */
    public record Settings(Duration nodeTimeout, int maxMoves, Duration checkInterval, boolean moveReplicas,
                           Duration leaderFailoverTimeout, boolean uncleanLeaderElection) {

        /** The default {@link #leaderFailoverTimeout}. */
        public static final Duration DEFAULT_LEADER_FAILOVER_TIMEOUT = Duration.ofSeconds(3);

        public Settings {
            if (nodeTimeout.isNegative() || leaderFailoverTimeout.isNegative()) {
                throw new IllegalArgumentException("timeouts must not be negative: " + nodeTimeout + ", "
                        + leaderFailoverTimeout);
            }
            if (maxMoves < 1) {
                throw new IllegalArgumentException("max moves must be at least 1: " + maxMoves);
            }
            if (checkInterval.toMillis() < 1) {
                throw new IllegalArgumentException("check interval must be at least 1 ms: " + checkInterval);
            }
        }

        /** Without leader failover (as before TDB-05; tests of node deaths alone). */
        public Settings(Duration nodeTimeout, int maxMoves, Duration checkInterval, boolean moveReplicas) {
            this(nodeTimeout, maxMoves, checkInterval, moveReplicas, Duration.ZERO, false);
        }

        /** Checks ten times the shorter timeout, between every 100 ms and every second. */
        public Settings(Duration nodeTimeout, int maxMoves, boolean moveReplicas, Duration leaderFailoverTimeout,
                        boolean uncleanLeaderElection) {
            this(nodeTimeout, maxMoves, checkInterval(nodeTimeout, leaderFailoverTimeout), moveReplicas,
                    leaderFailoverTimeout, uncleanLeaderElection);
        }

        /** Without leader failover, checking ten times the node timeout. */
        public Settings(Duration nodeTimeout, int maxMoves, boolean moveReplicas) {
            this(nodeTimeout, maxMoves, moveReplicas, Duration.ZERO, false);
        }

        private static Duration checkInterval(Duration nodeTimeout, Duration failoverTimeout) {
            Duration shortest = nodeTimeout.isZero() ? failoverTimeout
                    : failoverTimeout.isZero() || nodeTimeout.compareTo(failoverTimeout) < 0 ? nodeTimeout
                    : failoverTimeout;
            return shortest.isZero() ? Duration.ofSeconds(1)
                    : clamp(shortest.dividedBy(10), Duration.ofMillis(100), Duration.ofSeconds(1));
        }

        private static Duration clamp(Duration value, Duration min, Duration max) {
            return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
        }
    }

    /**
     * What the keeper needs of the metadata group: its term as leader, its view, proposals and
     * its id. {@link MetadataGroup} in production; tests give an in-memory one.
     */
    public interface Group {

        /** The term this voter leads in, or a negative number when it does not lead. */
        long leaderTerm();

        ClusterView view();

        CompletableFuture<Result> propose(Command command);

        String selfId();

        /** The keeper's view of a running group. */
        static Group of(MetadataGroup group) {
            return new Group() {
                @Override
                public long leaderTerm() {
                    return group.leaderTerm();
                }

                @Override
                public ClusterView view() {
                    return group.view();
                }

                @Override
                public CompletableFuture<Result> propose(Command command) {
                    return group.propose(command);
                }

                @Override
                public String selfId() {
                    return group.self().id();
                }
            };
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MembershipKeeper.class);
    /** How long the keeper waits for one of its proposals to commit. */
    private static final Duration PROPOSAL_WAIT = Duration.ofSeconds(5);

    private final Group group;
    private final NodeLiveness liveness;
    private final InstantSource clock;
    private final Settings settings;
    private final ScheduledExecutorService thread;
    /** The term this voter leads in as of the last tick, or -1. */
    private long term = -1;
    /** When this voter was first seen leading in {@link #term}. */
    private Instant leaderSince;

    public MembershipKeeper(MetadataGroup group, NodeLiveness liveness, InstantSource clock, Settings settings) {
        this(Group.of(group), liveness, clock, settings);
    }

    /** A keeper over any {@link Group} (tests: an in-memory state and a fake clock). */
    public MembershipKeeper(Group group, NodeLiveness liveness, InstantSource clock, Settings settings) {
        this.group = group;
        this.liveness = liveness;
        this.clock = clock;
        this.settings = settings;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "timberdb-membership-" + group.selfId());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking every {@link Settings#checkInterval}. */
    public void start() {
        long every = settings.checkInterval().toMillis();
        thread.scheduleWithFixedDelay(this::tickQuietly, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void tickQuietly() {
        try {
            tick();
        } catch (RuntimeException e) {
            log.warn("{}: membership check failed: {}", group.selfId(), e.toString());
        }
    }

    /**
     * One check: dead nodes, leader failovers, drains' hand-overs, move completions, then one
     * round of moves. Does nothing unless this voter leads.
     */
    void tick() {
        long now = group.leaderTerm();
        if (now < 0) {
            term = -1;
            return;
        }
        if (now != term) {
            term = now;
            leaderSince = clock.instant();
        }
        boolean changed = markSilentNodesDead();
        failOverSilentLeaders();
        handOverDrainingLeaders();
        ShardTransitions.completions(group.view()).ifPresent(complete -> {
            Result result = propose(complete);
            log.info("{}: completing {} moves: {}", group.selfId(), complete.moves().size(), result);
        });
        if (!settings.moveReplicas()) {
            return;
        }
        Optional<Command.ApplyMoves> moves = MetadataState.rebalance(group.view(), settings.maxMoves(),
                liveness::shardBytes);
        if (moves.isPresent()) {
            Result result = propose(moves.get());
            if (result instanceof Result.MovesApplied applied) {
                log.info("{}: started moving {} replicas of {} shards{}", group.selfId(), applied.moves(),
                        applied.shards(), changed ? " after a node state change" : "");
            } else {
                log.info("{}: a round of moves was not applied: {}", group.selfId(), result);
            }
        }
    }

    /** When the node was last heard from, counting the start of this leader's term as heard (the grace period). */
    private Instant heard(String node) {
        return liveness.lastHeard(node).filter(last -> last.isAfter(leaderSince)).orElse(leaderSince);
    }

    /** Whether the node was heard from within the leader failover timeout. */
    private boolean heardRecently(String node, Instant at) {
        return Duration.between(heard(node), at).compareTo(settings.leaderFailoverTimeout()) <= 0;
    }

    private void failOverSilentLeaders() {
        if (settings.leaderFailoverTimeout().isZero()) {
            return;
        }
        Instant at = clock.instant();
        for (StorageNode node : group.view().nodes()) {
            ClusterView view = group.view();
            if (heardRecently(node.id(), at) || !ShardTransitions.leadsAny(view, node.id())) {
                continue;
            }
            Optional<Command.ElectLeaders> elect = ShardTransitions.failover(view, node.id(),
                    other -> view.node(other).isPresent() && heardRecently(other, at), settings.uncleanLeaderElection());
            if (elect.isPresent()) {
                Result result = propose(elect.get());
                log.warn("{}: storage node {} silent since {} (failover timeout {}): new leaders for {} shards: {}",
                        group.selfId(), node.id(), heard(node.id()), settings.leaderFailoverTimeout(),
                        elect.get().changes().size(), result);
            }
        }
    }

    private void handOverDrainingLeaders() {
        Instant at = clock.instant();
        for (StorageNode node : group.view().nodes()) {
            ClusterView view = group.view();
            if (node.state() != StorageNode.State.DRAINING || !ShardTransitions.leadsAny(view, node.id())) {
                continue;
            }
            Optional<Command.ElectLeaders> elect = ShardTransitions.handOver(view, node.id(),
                    other -> settings.leaderFailoverTimeout().isZero() || heardRecently(other, at));
            if (elect.isPresent()) {
                Result result = propose(elect.get());
                log.info("{}: draining node {} hands over the leadership of {} shards: {}", group.selfId(), node.id(),
                        elect.get().changes().size(), result);
            }
        }
    }

    private boolean markSilentNodesDead() {
        if (settings.nodeTimeout().isZero()) {
            return false;
        }
        Instant at = clock.instant();
        boolean changed = false;
        ClusterView view = group.view();
        for (StorageNode node : view.nodes()) {
            if (node.state() != StorageNode.State.ACTIVE && node.state() != StorageNode.State.JOINING) {
                continue;
            }
            Instant heard = heard(node.id());
            if (Duration.between(heard, at).compareTo(settings.nodeTimeout()) > 0) {
                Result result = propose(new Command.SetNodeState(node.id(), StorageNode.State.DEAD, at));
                log.warn("{}: storage node {} silent since {} (timeout {}): {}", group.selfId(), node.id(), heard,
                        settings.nodeTimeout(), result);
                changed = true;
            }
        }
        return changed;
    }

    private Result propose(Command command) {
        try {
            return group.propose(command).get(PROPOSAL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while proposing " + command, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not commit " + command.getClass().getSimpleName() + ": " + e, e);
        }
    }
}
