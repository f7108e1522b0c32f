package io.timberdb.storage.replication;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.InternalTls;
import io.timberdb.storage.shard.ReplicatedShard;
import io.timberdb.storage.shard.ShardStore;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Gives each shard replica this storage node holds the role the cluster view assigns it: a
 * {@link LeaderReplica} for the shards it leads, a {@link FollowerReplica} for the others, at the
 * view's epoch. Every {@link ReplicationProperties#checkInterval()} it compares the roles with the
 * view (a new epoch replaces the role; a shard this node no longer holds a replica of is stopped
 * and its files deleted once the view shows the shard placed elsewhere), lets the leaders check
 * their followers, and, every {@link ReplicationProperties#checkpointInterval()}, writes each
 * replica's committed point to disk.
 *
 * <p>Appends reach a shard through {@link #append}: only the leader of the shard's current epoch
 * takes them (else {@code NOT_LEADER}), and only while the ISR is big enough.
 *
 * <p>Thread-safety: roles change on the manager's single thread; {@link #append} and
 * {@link #leader} read a concurrent map from any thread.
 */
public final class ReplicaManager implements ShardWriter, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplicaManager.class);

    private final String nodeId;
    private final ShardStore store;
    private final ClusterViewSource view;
    private final IsrProposer proposer;
    private final PeerClient peers;
    private final BlockCopier copier;
    private final ReplicationProperties settings;
    private final Map<ShardId, LeaderReplica> leaders = new ConcurrentHashMap<>();
    private final Map<ShardId, FollowerReplica> followers = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private long lastVersion = -1;
    /** The partitions the views of this process have shown; manager thread only. */
    private final Set<String> seenPartitions = new HashSet<>();
    private long lastCheckpoint = System.nanoTime();
    private volatile boolean closed;

    public ReplicaManager(String nodeId, ShardStore store, ClusterViewSource view, IsrProposer proposer,
                          ReplicationProperties settings) {
        this(nodeId, store, view, proposer, ClusterCredential.none(), InternalTls.none(), settings);
    }

    /**
     * As above, the calls to other storage nodes presenting the cluster credential, over the
     * internal TLS when one is configured.
     */
    public ReplicaManager(String nodeId, ShardStore store, ClusterViewSource view, IsrProposer proposer,
                          ClusterCredential credential, InternalTls tls, ReplicationProperties settings) {
        this(nodeId, store, view, proposer, new PeerClient(credential, tls), settings);
    }

    ReplicaManager(String nodeId, ShardStore store, ClusterViewSource view, IsrProposer proposer,
                   PeerClient peers, ReplicationProperties settings) {
        this.nodeId = nodeId;
        this.store = store;
        this.view = view;
        this.proposer = proposer;
        this.peers = peers;
        this.copier = new BlockCopier(peers, settings.copyBytesPerSecond());
        this.settings = settings;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "replica-manager");
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts checking the view. */
    public void start() {
        long every = settings.checkInterval().toMillis();
        loop.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    }

    /**
     * Appends to a shard this node leads; completes once the entries are committed (durable on
     * every in-sync replica, at least {@code min_insync_replicas} of them). When the view does not
     * know the shard yet (a partition just created), it is refreshed once first.
     */
    public Mono<Void> append(ShardId shard, List<LogEntry> entries) {
        return Mono.defer(() -> {
            ShardStore.validate(shard);
            return leader(shard);
        }).flatMap(leader -> {
            leader.checkAppend();
            return store.append(shard, entries);
        });
    }

    /** As {@link #append(ShardId, List)}; {@code node} is this node. */
    @Override
    public Mono<Void> append(String node, ShardId shard, List<LogEntry> entries) {
        return append(shard, entries);
    }

    /** The leader role of a shard, after one view refresh and check when it is not known here. */
    private Mono<LeaderReplica> leader(ShardId shard) {
        LeaderReplica known = leaders.get(shard);
        if (known != null) {
            return Mono.just(known);
        }
        return view.refresh().onErrorResume(e -> Mono.just(view.current()))
                .flatMap(fresh -> Mono.fromFuture(CompletableFuture.runAsync(this::check, loop)))
                .then(Mono.defer(() -> {
                    LeaderReplica now = leaders.get(shard);
                    return now != null ? Mono.just(now) : Mono.error(notLeader(shard));
                }));
    }

    /** The leader role of a shard, or null when this node does not lead it. */
    LeaderReplica leaderOf(ShardId shard) {
        return leaders.get(shard);
    }

    private TimberException notLeader(ShardId shard) {
        Partition.ShardPlacement placement = placement(view.current(), shard);
        Map<String, Object> props = new HashMap<>();
        if (placement != null) {
            props.put("leader", placement.node());
            props.put("epoch", placement.epoch());
        }
        return new TimberException(ErrorCode.NOT_LEADER, "node " + nodeId + " does not lead shard " + shard
                + (placement == null ? " (the shard is not in its cluster view)" : "; " + placement.node() + " does"),
                null, props, null);
    }

    /** Asks for a fresh view (at most one refresh at a time); the next check applies it. */
    void refreshView() {
        if (refreshing.compareAndSet(false, true)) {
            view.refresh().doFinally(s -> refreshing.set(false)).subscribe(v -> { }, e -> { });
        }
    }

    /** One round: roles against the view, the leaders' follower checks, the checkpoints. */
    private void check() {
        if (closed) {
            return;
        }
        try {
            ClusterView current = view.current();
            if (current.version() != lastVersion) {
                apply(current);
                lastVersion = current.version();
            }
            for (LeaderReplica leader : leaders.values()) {
                leader.tick();
            }
            long now = System.nanoTime();
            if (now - lastCheckpoint >= settings.checkpointInterval().toNanos()) {
                lastCheckpoint = now;
                checkpointAll();
            }
        } catch (RuntimeException e) {
            log.warn("replica check failed; the next one tries again", e);
        }
    }

    private void apply(ClusterView current) {
        Map<ShardId, Partition.ShardPlacement> mine = new HashMap<>();
        Map<ShardId, Integer> minInsync = new HashMap<>();
        Set<String> partitions = new HashSet<>();
        for (Partition partition : current.partitions()) {
            partitions.add(partition.id());
            for (Partition.ShardPlacement placement : partition.shards()) {
                if (placement.replicas().contains(nodeId)) {
                    ShardId id = new ShardId(partition.id(), placement.shard());
                    mine.put(id, placement);
                    minInsync.put(id, Math.min(partition.minInsyncReplicas(), placement.replicas().size()));
                }
            }
        }
        for (Map.Entry<ShardId, Partition.ShardPlacement> e : mine.entrySet()) {
            try {
                assign(e.getKey(), e.getValue(), minInsync.get(e.getKey()), current);
            } catch (RuntimeException ex) {
                log.warn("shard {}: could not take its role at epoch {}; the next check tries again", e.getKey(),
                        e.getValue().epoch(), ex);
                lastVersion = -1; // try again
            }
        }
        Set<ShardId> gone = new HashSet<>(leaders.keySet());
        gone.addAll(followers.keySet());
        gone.removeAll(mine.keySet());
        for (ShardId id : gone) {
            stopRole(id);
        }
        seenPartitions.addAll(partitions);
        for (ShardId id : store.shardIds()) {
            // a partition this process never saw in a view is left alone: a coordinator group
            // that lost its state must not make the storage nodes delete their data
            if (!mine.containsKey(id) && seenPartitions.contains(id.partition())) {
                dropIfPlacedElsewhere(id, current);
            }
        }
    }

    private void assign(ShardId id, Partition.ShardPlacement placement, int minInsync, ClusterView current) {
        boolean lead = placement.node().equals(nodeId);
        LeaderReplica leader = leaders.get(id);
        FollowerReplica follower = followers.get(id);
        if (lead && leader != null && leader.epoch() == placement.epoch()) {
            leader.update(placement, minInsync);
            return;
        }
        if (!lead && follower != null && follower.epoch() == placement.epoch()
                && follower.leader().equals(placement.node())) {
            return;
        }
        if (lead && leader != null && leader.epoch() < placement.epoch()) {
            leaders.remove(id);
            leader.handOver(); // same leader, newer epoch: the appends waiting go on to the successor
        }
        stopRole(id);
        ReplicatedShard shard = store.replicated(id);
        if (lead) {
            leaders.put(id, new LeaderReplica(id, nodeId, shard, placement, minInsync, proposer, settings,
                    System::nanoTime));
        } else {
            String leaderId = placement.node();
            FollowerReplica next = new FollowerReplica(id, nodeId, placement.epoch(), leaderId,
                    () -> view.current().node(leaderId).map(StorageNode::address).orElse(null), shard, peers, copier,
                    settings, this::refreshView);
            followers.put(id, next);
            next.start();
        }
    }

    private void stopRole(ShardId id) {
        LeaderReplica leader = leaders.remove(id);
        if (leader != null) {
            leader.stop();
            log.info("shard {}: no longer leading epoch {}", id, leader.epoch());
        }
        FollowerReplica follower = followers.remove(id);
        if (follower != null) {
            follower.stop();
        }
    }

    /**
     * Deletes this node's copy of a shard once the view places the shard elsewhere with every
     * replica of it in sync (so its replacement holds what it held), or once the partition is gone.
     */
    private void dropIfPlacedElsewhere(ShardId id, ClusterView current) {
        Partition partition = current.partition(id.partition()).orElse(null);
        boolean deleted = partition == null;
        boolean replaced = false;
        if (partition != null && id.shard() < partition.shards().size()) {
            Partition.ShardPlacement placement = partition.shards().get(id.shard());
            replaced = !placement.replicas().contains(nodeId) && !placement.isr().isEmpty()
                    && placement.isr().size() >= Math.min(partition.minInsyncReplicas(), placement.replicas().size());
        }
        if (!deleted && !replaced) {
            return;
        }
        try {
            store.replicated(id).drop();
            store.forget(id);
            log.info("shard {}: deleted this node's copy ({})", id, deleted ? "its partition was deleted"
                    : "the view places it on " + partition.shards().get(id.shard()).replicas());
        } catch (Exception e) {
            log.warn("shard {}: could not delete this node's copy; the next check tries again", id, e);
        }
    }

    private void checkpointAll() {
        for (ShardId id : store.shardIds()) {
            if (leaders.containsKey(id) || followers.containsKey(id)) {
                try {
                    store.replicated(id).checkpoint();
                } catch (Exception e) {
                    log.debug("shard {}: checkpoint failed: {}", id, e.toString());
                }
            }
        }
    }

    private static Partition.ShardPlacement placement(ClusterView view, ShardId shard) {
        return view.partition(shard.partition())
                .filter(p -> shard.shard() < p.shards().size())
                .map(p -> p.shards().get(shard.shard()))
                .orElse(null);
    }

    /** Stops every role; the shards stay open in the store, which closes them. */
    @Override
    public void close() {
        closed = true;
        loop.shutdown();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ShardId id : Set.copyOf(leaders.keySet())) {
            stopRole(id);
        }
        for (ShardId id : Set.copyOf(followers.keySet())) {
            stopRole(id);
        }
    }

    /**
     * Registers the replication gauges: shards this node leads and follows, and the led shards
     * whose ISR is smaller than their replica set (under-replicated).
     */
    public void bindTo(io.micrometer.core.instrument.MeterRegistry registry) {
        io.micrometer.core.instrument.Gauge.builder("timberdb.replication.leaders", leaders, Map::size)
                .description("shard replicas this storage node leads").register(registry);
        io.micrometer.core.instrument.Gauge.builder("timberdb.replication.followers", followers, Map::size)
                .description("shard replicas this storage node follows").register(registry);
        io.micrometer.core.instrument.Gauge.builder("timberdb.replication.under_replicated", this,
                        ReplicaManager::underReplicated)
                .description("shards this node leads whose in-sync replicas are fewer than their replicas")
                .register(registry);
    }

    /** Led shards whose ISR is smaller than their replica set. */
    public int underReplicated() {
        int count = 0;
        for (LeaderReplica leader : leaders.values()) {
            Partition.ShardPlacement placement = leader.placement();
            count += placement.isr().size() < placement.replicas().size() ? 1 : 0;
        }
        return count;
    }

    /** Shards this node leads and follows now, for health. */
    public Map<String, Integer> roles() {
        return Map.of("leading", leaders.size(), "following", followers.size(), "under_replicated", underReplicated());
    }
}
