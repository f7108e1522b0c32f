package io.timberdb.coordinator.state;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.timberdb.model.api.Compression;
import java.time.Instant;
import java.util.Collections;
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
        @JsonSubTypes.Type(value = Command.ForgetVoter.class, name = "forget_voter")})
public sealed interface Command {

    /** The most shards one partition may have. */
    int MAX_SHARDS = 1024;

    /**
     * Creates a partition and places its shards on the active storage nodes.
     *
     * @param id the new partition's id, chosen by the proposer
     * @param createdAt the creation time, read by the proposer from its clock
     * @param shardCount how many shards to place ({@code timberdb.coordinator.default-shard-count})
     * @param compression the partition's codec settings, or null for the storage nodes' default
     *        (absent from the JSON then, so commands written before it existed decode alike)
     */
    @JsonPropertyOrder({"id", "name", "tags", "retention_days", "created_at", "shard_count", "compression"})
    record CreatePartition(
            String id,
            String name,
            Map<String, String> tags,
            @JsonProperty("retention_days") int retentionDays,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("shard_count") int shardCount,
            @JsonInclude(JsonInclude.Include.NON_NULL) Compression compression) implements Command {

        /** A partition with the storage nodes' default compression (and the encoding of format v1 without it). */
        public CreatePartition(String id, String name, Map<String, String> tags, int retentionDays, Instant createdAt,
                               int shardCount) {
            this(id, name, tags, retentionDays, createdAt, shardCount, null);
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
        }
    }

    /**
     * Registers a storage node, or re-announces it (a heartbeat). Changes nothing, and does not
     * advance the metadata version, when the node is already active at this address.
     *
     * @param at when the proposer received the registration; kept as {@code registered_at} of a new node
     */
    @JsonPropertyOrder({"id", "address", "at"})
    record RegisterNode(String id, String address, Instant at) implements Command {

        public RegisterNode {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(at, "at");
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
}
