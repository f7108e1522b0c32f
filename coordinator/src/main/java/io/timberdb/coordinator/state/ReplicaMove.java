package io.timberdb.coordinator.state;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;

/**
 * One step of a rebalance plan: the replica of a shard on {@code from} is replaced by a new
 * replica on {@code to}. Immutable.
 *
 * <p>Applying a move removes {@code from} from the replica list and appends {@code to} as a
 * follower; the leader is then the first replica that is not on a leaving or unknown node
 * (see {@link Rebalancer#apply}). So when the leader's replica moves, leadership passes to the
 * next surviving replica rather than to the empty new one, which has data to copy first.
 *
 * @param partitionId the partition id
 * @param shard the shard number within the partition
 * @param from the node that gives up its replica
 * @param to the node that receives a new replica; never already a replica of the shard
 * @param movesLeadership whether the shard's leader changes with this move
 *
 * <p>Also the JSON of {@link Command.ApplyMoves}: {@code {partition_id, shard, from, to, moves_leadership}}.
 */
@JsonPropertyOrder({"partition_id", "shard", "from", "to", "moves_leadership"})
public record ReplicaMove(@JsonProperty("partition_id") String partitionId, int shard, String from, String to,
                          @JsonProperty("moves_leadership") boolean movesLeadership) {

    public ReplicaMove {
        Objects.requireNonNull(partitionId, "partition_id");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
    }

    ShardKey key() {
        return new ShardKey(partitionId, shard);
    }
}
