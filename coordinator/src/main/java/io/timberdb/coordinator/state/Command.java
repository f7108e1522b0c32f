package io.timberdb.coordinator.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.timberdb.model.api.Compression;
import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.StorageNode;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A change to the cluster metadata, proposed through the Raft log and applied by every voter's
 * {@link MetadataState} in log order. A command carries every input its application needs
 * (ids, timestamps, the shard count): applying it reads no clock, no configuration and no
 * randomness, so all voters reach the same state. {@link CommandCodec} defines its encoding.
 *
 * <p>Commands are immutable values; their constructors reject values a proposer must never send.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Command.CreatePartition.class, name = "create_partition"),
        @JsonSubTypes.Type(value = Command.RegisterNode.class, name = "register_node"),
        @JsonSubTypes.Type(value = Command.RecordVoter.class, name = "record_voter"),
        @JsonSubTypes.Type(value = Command.ForgetVoter.class, name = "forget_voter"),
        @JsonSubTypes.Type(value = Command.UpdatePartition.class, name = "update_partition"),
        @JsonSubTypes.Type(value = Command.DeletePartition.class, name = "delete_partition"),
        @JsonSubTypes.Type(value = Command.SetNodeState.class, name = "set_node_state"),
        @JsonSubTypes.Type(value = Command.ApplyMoves.class, name = "apply_moves"),
        @JsonSubTypes.Type(value = Command.AlterIsr.class, name = "alter_isr"),
        @JsonSubTypes.Type(value = Command.ElectLeaders.class, name = "elect_leaders"),
        @JsonSubTypes.Type(value = Command.CompleteMoves.class, name = "complete_moves")})
public sealed interface Command {

    /** The most shards one partition may have. */
    int MAX_SHARDS = 1024;

    /**
     * Creates a partition and places its shards' replicas on the active storage nodes
     * ({@link ReplicaPlacement}).
     *
     * <p>The fields added with replicas are canonical: a value equal to what a command without
     * the field means is stored as null and left out of the JSON (replication factor 1, minimum
     * ISR {@link CreatePartitionRequest#defaultMinInsyncReplicas} of the replication factor,
     * tenant {@value Partition#DEFAULT_TENANT}), so such a command encodes byte for byte as in
     * format version 1, and two commands that mean the same are equal.
     *
     * @param id the new partition's id, chosen by the proposer
     * @param createdAt the creation time, read by the proposer from its clock
     * @param shardCount how many shards to place (the request's, or {@code timberdb.coordinator.default-shard-count})
     * @param compression the partition's codec settings, or null for the storage nodes' default
     *        (absent from the JSON then, so commands written before it existed decode alike)
     * @param replicationFactor replicas a shard, 1 to {@value CreatePartitionRequest#MAX_REPLICATION_FACTOR}; null for 1
     * @param minInsyncReplicas the minimum ISR, 1 to the replication factor; null for the default
     * @param tenant the owning tenant; null for {@value Partition#DEFAULT_TENANT}
     */
    @JsonPropertyOrder({"id", "name", "tags", "retention_days", "created_at", "shard_count", "compression",
            "replication_factor", "min_insync_replicas", "tenant"})
    record CreatePartition(
            String id,
            String name,
            Map<String, String> tags,
            @JsonProperty("retention_days") int retentionDays,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("shard_count") int shardCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) Compression compression,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("replication_factor") Integer replicationFactor,
            @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("min_insync_replicas") Integer minInsyncReplicas,
            @JsonInclude(JsonInclude.Include.NON_NULL) String tenant) implements Command {

        /** A partition with the storage nodes' default compression (and the encoding of format v1 without it). */
        public CreatePartition(String id, String name, Map<String, String> tags, int retentionDays, Instant createdAt,
                               int shardCount) {
            this(id, name, tags, retentionDays, createdAt, shardCount, null);
        }

        /** A partition of the default tenant with one replica a shard. */
        public CreatePartition(String id, String name, Map<String, String> tags, int retentionDays, Instant createdAt,
                               int shardCount, Compression compression) {
            this(id, name, tags, retentionDays, createdAt, shardCount, compression, null, null, null);
        }

        public CreatePartition {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(createdAt, "created_at");
            // Sorted, so that the encoded command lists tags in one order on every run.
            tags = tags == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(tags));
            if (retentionDays < 1) {
                throw new IllegalArgumentException("retention_days must be at least 1: " + retentionDays);
            }
            if (shardCount < 1 || shardCount > MAX_SHARDS) {
                throw new IllegalArgumentException("shard_count must be 1.." + MAX_SHARDS + ": " + shardCount);
            }
            int rf = replicationFactor == null ? 1 : replicationFactor;
            if (rf < 1 || rf > CreatePartitionRequest.MAX_REPLICATION_FACTOR) {
                throw new IllegalArgumentException("replication_factor must be 1.."
                        + CreatePartitionRequest.MAX_REPLICATION_FACTOR + ": " + rf);
            }
            int defaultIsr = CreatePartitionRequest.defaultMinInsyncReplicas(rf);
            int isr = minInsyncReplicas == null ? defaultIsr : minInsyncReplicas;
            if (isr < 1 || isr > rf) {
                throw new IllegalArgumentException("min_insync_replicas must be 1.." + rf + ": " + isr);
            }
            replicationFactor = rf == 1 ? null : rf;
            minInsyncReplicas = isr == defaultIsr ? null : isr;
            tenant = tenant == null || tenant.equals(Partition.DEFAULT_TENANT) ? null : tenant;
        }

        /** The replication factor, 1 when the command gives none. */
        public int effectiveReplicationFactor() {
            return replicationFactor == null ? 1 : replicationFactor;
        }

        /** The minimum ISR, the default for the replication factor when the command gives none. */
        public int effectiveMinInsyncReplicas() {
            return minInsyncReplicas == null
                    ? CreatePartitionRequest.defaultMinInsyncReplicas(effectiveReplicationFactor()) : minInsyncReplicas;
        }

        /** Whether the command has a field of format version 3. */
        boolean hasReplicaFields() {
            return replicationFactor != null || minInsyncReplicas != null || tenant != null;
        }
    }

    /**
     * Registers a storage node, or re-announces it. A new node, and a dead or joining one, becomes
     * active; a draining or decommissioned node keeps its state (a restart must not undo a drain),
     * as does an active one. Changes nothing, and does not advance the metadata version, when the
     * node is known with the same address, zone and capacity and keeps its state.
     *
     * @param at when the proposer received the registration; kept as {@code registered_at} of a new node
     * @param zone the node's failure zone, or null (absent from the JSON, as in format version 1)
     * @param capacityBytes the bytes the node offers, or null (absent from the JSON)
     */
    @JsonPropertyOrder({"id", "address", "at", "zone", "capacity_bytes"})
    record RegisterNode(String id, String address, Instant at,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String zone,
                        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("capacity_bytes") Long capacityBytes)
            implements Command {

        /** A node of unknown zone and capacity (the encoding of format version 1). */
        public RegisterNode(String id, String address, Instant at) {
            this(id, address, at, null, null);
        }

        public RegisterNode {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(at, "at");
            zone = zone == null || zone.isBlank() ? null : zone;
            if (capacityBytes != null && capacityBytes < 0) {
                throw new IllegalArgumentException("capacity_bytes must not be negative: " + capacityBytes);
            }
        }
    }

    /**
     * Records in the voter directory where a coordinator voter is reached (its Raft address and
     * HTTP URL), replacing what was recorded for that id and any other id at that Raft address.
     * Proposed before the voter joins jraft's configuration, so that every voter can forward
     * writes to it once it leads. Changes nothing when the same entry is recorded already.
     */
    @JsonPropertyOrder({"voter"})
    record RecordVoter(VoterAddress voter) implements Command {

        public RecordVoter {
            Objects.requireNonNull(voter, "voter");
        }
    }

    /**
     * Drops a voter from the voter directory, after it left jraft's configuration. Changes
     * nothing when the id is not recorded.
     */
    @JsonPropertyOrder({"id"})
    record ForgetVoter(String id) implements Command {

        public ForgetVoter {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Changes a partition's retention and tags; a null field keeps the partition's value.
     * Answers {@link Result.PartitionNotFound} when no partition has the id.
     */
    @JsonPropertyOrder({"id", "retention_days", "tags"})
    record UpdatePartition(String id,
                           @JsonInclude(JsonInclude.Include.NON_NULL) @JsonProperty("retention_days") Integer retentionDays,
                           @JsonInclude(JsonInclude.Include.NON_NULL) Map<String, String> tags) implements Command {

        public UpdatePartition {
            Objects.requireNonNull(id, "id");
            if (retentionDays != null && retentionDays < 1) {
                throw new IllegalArgumentException("retention_days must be at least 1: " + retentionDays);
            }
            tags = tags == null ? null : Collections.unmodifiableMap(new TreeMap<>(tags));
        }
    }

    /** Deletes a partition from the metadata. Answers {@link Result.PartitionNotFound} when no partition has the id. */
    @JsonPropertyOrder({"id"})
    record DeletePartition(String id) implements Command {

        public DeletePartition {
            Objects.requireNonNull(id, "id");
        }
    }

    /**
     * Moves a storage node to another membership state ({@link MetadataState} lists the allowed
     * transitions). {@code DECOMMISSIONED} asks for a decommission: the node drains and becomes
     * decommissioned once it holds no replica.
     *
     * @param state {@code ACTIVE}, {@code DRAINING}, {@code DEAD} or {@code DECOMMISSIONED}
     * @param at when the proposer decided (the reaper's clock, or the request's arrival); for the log only
     */
    @JsonPropertyOrder({"id", "state", "at"})
    record SetNodeState(String id, StorageNode.State state, Instant at) implements Command {

        public SetNodeState {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(at, "at");
            if (state == StorageNode.State.JOINING) {
                throw new IllegalArgumentException("a node cannot be set joining");
            }
        }
    }

    /**
     * Starts one round of a {@link Rebalancer} plan, all or nothing: every move must fit the
     * state when the command is applied (a plan made against an older state, or a move of a shard
     * that has one in flight, is refused with {@link Result.Rejected}, and the leader plans
     * again). A move copies before it cuts: the shard gains the new replica (out of the ISR, last
     * in {@code replicas}) and lists the old one in {@code removing}; {@link CompleteMoves}
     * drops it once the shard's staying replicas are in sync. The epoch of every shard that gains
     * a replica goes up by one.
     */
    @JsonPropertyOrder({"moves"})
    record ApplyMoves(List<ReplicaMove> moves) implements Command {

        public ApplyMoves {
            moves = List.copyOf(moves);
            if (moves.isEmpty()) {
                throw new IllegalArgumentException("no moves");
            }
        }
    }

    /**
     * Changes a shard's in-sync replicas on its leader's request (TDB-05's AlterIsr), as a
     * compare-and-set: applied only while {@code leader} leads the shard at {@code epoch} and the
     * ISR is {@code isr}; {@code newIsr} must hold the leader and only replicas. Answers
     * {@link Result.IsrChanged} (also when the ISR is {@code newIsr} already at that leader and
     * epoch: a retried request), {@link Result.IsrConflict}, {@link Result.IsrInvalid},
     * {@link Result.PartitionNotFound} or {@link Result.ShardNotFound}. The epoch stays.
     */
    @JsonPropertyOrder({"partition_id", "shard", "leader", "epoch", "isr", "new_isr"})
    record AlterIsr(@JsonProperty("partition_id") String partitionId, int shard, String leader, long epoch,
                    List<String> isr, @JsonProperty("new_isr") List<String> newIsr) implements Command {

        public AlterIsr {
            Objects.requireNonNull(partitionId, "partition_id");
            Objects.requireNonNull(leader, "leader");
            isr = List.copyOf(isr);
            newIsr = List.copyOf(newIsr);
            if (newIsr.isEmpty() || !newIsr.contains(leader)) {
                throw new IllegalArgumentException("new_isr " + newIsr + " must contain the leader " + leader);
            }
        }
    }

    /**
     * Moves the leadership of shards off one storage node, all or nothing (the leader's failover
     * of a silent node, or a drain): each change must still hold when applied: the shard led by
     * {@code node} at the change's epoch, the new leader a replica other than {@code node}, and
     * either in the ISR with the new ISR a subset of the current one (clean), or the new ISR
     * just the new leader (an unclean election, which the proposer allows or not). Each shard
     * gets the next epoch and the new leader first in its replicas; anything else is
     * {@link Result.Rejected}.
     *
     * @param node the node that loses leadership
     * @param changes one per shard, at least one
     */
    @JsonPropertyOrder({"node", "changes"})
    record ElectLeaders(String node, List<LeaderChange> changes) implements Command {

        public ElectLeaders {
            Objects.requireNonNull(node, "node");
            changes = List.copyOf(changes);
            if (changes.isEmpty()) {
                throw new IllegalArgumentException("no leader changes");
            }
        }
    }

    /**
     * A shard's new leader and ISR in an {@link ElectLeaders}.
     *
     * @param epoch the shard's epoch the change was planned at (the change makes it epoch + 1)
     */
    @JsonPropertyOrder({"partition_id", "shard", "epoch", "leader", "isr"})
    record LeaderChange(@JsonProperty("partition_id") String partitionId, int shard, long epoch, String leader,
                        List<String> isr) {

        public LeaderChange {
            Objects.requireNonNull(partitionId, "partition_id");
            Objects.requireNonNull(leader, "leader");
            isr = List.copyOf(isr);
            if (!isr.contains(leader)) {
                throw new IllegalArgumentException("isr " + isr + " must contain the leader " + leader);
            }
        }
    }

    /**
     * Completes moves in flight, all or nothing: each shard must still be at the listed epoch,
     * removing the listed replicas, with every staying replica on a live node in the ISR
     * ({@link ShardTransitions#completable}). The removed replicas leave replicas and ISR; when
     * the leader leaves, the first staying ISR member leads; the epoch goes up by one.
     */
    @JsonPropertyOrder({"moves"})
    record CompleteMoves(List<MoveCompletion> moves) implements Command {

        public CompleteMoves {
            moves = List.copyOf(moves);
            if (moves.isEmpty()) {
                throw new IllegalArgumentException("no moves to complete");
            }
        }
    }

    /** One shard's moves to complete in a {@link CompleteMoves}: the replicas that leave. */
    @JsonPropertyOrder({"partition_id", "shard", "epoch", "removed"})
    record MoveCompletion(@JsonProperty("partition_id") String partitionId, int shard, long epoch,
                          List<String> removed) {

        public MoveCompletion {
            Objects.requireNonNull(partitionId, "partition_id");
            removed = List.copyOf(removed);
            if (removed.isEmpty()) {
                throw new IllegalArgumentException("no replica to remove");
            }
        }
    }
}
