package io.timberdb.storage.replication;

import io.timberdb.model.shard.ShardId;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Proposes a shard's new in-sync replicas to the coordinator, as the shard's leader. */
@FunctionalInterface
public interface IsrProposer {

    /**
     * Completes with true once the coordinator committed {@code newIsr}, false when it refused
     * (the shard's leader, epoch or ISR changed meanwhile) or could not be reached.
     */
    CompletableFuture<Boolean> propose(ShardId shard, String leader, long epoch, List<String> isr, List<String> newIsr);
}
