package io.timberdb.coordinator.membership;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.MetadataState;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's membership duties, run every {@link Settings#checkInterval}: it marks storage
 * nodes dead that it has not heard from for {@link Settings#nodeTimeout}, then plans one round
 * of at most {@link Settings#maxMoves} replica moves ({@link MetadataState#rebalance}) and
 * proposes it as a {@link Command.ApplyMoves}. Followers do nothing.
 *
 * <p>Liveness lives in memory on the leader ({@link NodeLiveness}); only the resulting state
 * change goes through Raft. A voter that has just become leader has heard from nobody, so a
 * node counts as heard at the start of the leader's term at the latest: every node has a whole
 * timeout to find the new leader (the grace period) before it can be marked dead. A dead node
 * that heartbeats again becomes active through its registration.
 *
 * <p>Until TDB-05 replicates, a move only changes the assignment: the new replica receives
 * future writes once it leads, but no data is copied to it, and the entries the shard held stay
 * on its former node, which queries no longer read. So moves are off unless
 * {@link Settings#moveReplicas} is set ({@code timberdb.coordinator.move-replicas}, false by
 * default): a dead node is still marked dead (its shards' writes fail and queries say they are
 * partial until it returns, with every entry it held), and a draining node takes no new replicas.
 * TDB-05 turns moves on by default, once a move copies the data first.
 *
 * <p>Thread-safety: {@link #tick} runs on the keeper's single thread (or a test's), and its
 * fields are confined to it; {@link #start} and {@link #close} may be called from any thread.
 */
public final class MembershipKeeper implements AutoCloseable {

    /**
     * @param nodeTimeout how long a node may stay silent before it is marked dead; zero to never
     *        mark nodes dead (the standalone, whose only node is in-process)
     * @param maxMoves the most replica moves a round, at least 1
     * @param checkInterval how often the keeper checks
     * @param moveReplicas whether rounds of moves are planned and proposed (off: nodes are only
     *        marked dead)
     */
    public record Settings(Duration nodeTimeout, int maxMoves, Duration checkInterval, boolean moveReplicas) {

        public Settings {
            if (nodeTimeout.isNegative()) {
                throw new IllegalArgumentException("node timeout must not be negative: " + nodeTimeout);
            }
            if (maxMoves < 1) {
                throw new IllegalArgumentException("max moves must be at least 1: " + maxMoves);
            }
            if (checkInterval.toMillis() < 1) {
                throw new IllegalArgumentException("check interval must be at least 1 ms: " + checkInterval);
            }
        }

        /** Checks ten times a timeout, between every 100 ms and every second. */
        public Settings(Duration nodeTimeout, int maxMoves, boolean moveReplicas) {
            this(nodeTimeout, maxMoves, nodeTimeout.isZero() ? Duration.ofSeconds(1)
                    : clamp(nodeTimeout.dividedBy(10), Duration.ofMillis(100), Duration.ofSeconds(1)), moveReplicas);
        }

        private static Duration clamp(Duration value, Duration min, Duration max) {
            return value.compareTo(min) < 0 ? min : value.compareTo(max) > 0 ? max : value;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(MembershipKeeper.class);
    /** How long the keeper waits for one of its proposals to commit. */
    private static final Duration PROPOSAL_WAIT = Duration.ofSeconds(5);

    private final MetadataGroup group;
    private final NodeLiveness liveness;
    private final InstantSource clock;
    private final Settings settings;
    private final ScheduledExecutorService thread;
    /** The term this voter leads in as of the last tick, or -1. */
    private long term = -1;
    /** When this voter was first seen leading in {@link #term}. */
    private Instant leaderSince;

    public MembershipKeeper(MetadataGroup group, NodeLiveness liveness, InstantSource clock, Settings settings) {
        this.group = group;
        this.liveness = liveness;
        this.clock = clock;
        this.settings = settings;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "timberdb-membership-" + group.self().id());
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
            log.warn("{}: membership check failed: {}", group.self().id(), e.toString());
        }
    }

    /** One check: dead nodes, then one round of moves. Does nothing unless this voter leads. */
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
        if (!settings.moveReplicas()) {
            return;
        }
        Optional<Command.ApplyMoves> moves = MetadataState.rebalance(group.view(), settings.maxMoves(),
                liveness::shardBytes);
        if (moves.isPresent()) {
            Result result = propose(moves.get());
            if (result instanceof Result.MovesApplied applied) {
                log.info("{}: moved {} replicas of {} shards{}", group.self().id(), applied.moves(), applied.shards(),
                        changed ? " after a node state change" : "");
            } else {
                log.info("{}: a round of moves was not applied: {}", group.self().id(), result);
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
            Instant heard = liveness.lastHeard(node.id()).filter(last -> last.isAfter(leaderSince)).orElse(leaderSince);
            if (Duration.between(heard, at).compareTo(settings.nodeTimeout()) > 0) {
                Result result = propose(new Command.SetNodeState(node.id(), StorageNode.State.DEAD, at));
                log.warn("{}: storage node {} silent since {} (timeout {}): {}", group.self().id(), node.id(), heard,
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
