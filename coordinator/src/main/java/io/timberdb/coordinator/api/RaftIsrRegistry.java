package io.timberdb.coordinator.api;

import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.AlterIsrRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.Map;
import reactor.core.publisher.Mono;

/**
 * ISR changes proposed as {@link Command.AlterIsr} on the leader (followers forward them, see
 * {@link LeaderForwarder}). The command is a compare-and-set that answers a repeat as the first
 * time, so a forward retried after the leader committed it is safe.
 *
 * <p>Thread-safe: immutable.
 */
public final class RaftIsrRegistry implements IsrRegistry {

    /** The problem property that holds the shard's current placement on {@code ISR_CONFLICT}. */
    public static final String PLACEMENT_PROPERTY = "placement";

    private final LeaderForwarder forwarder;

    public RaftIsrRegistry(LeaderForwarder forwarder) {
        this.forwarder = forwarder;
    }

    @Override
    public Mono<Partition> alterIsr(String partitionId, int shard, AlterIsrRequest request) {
        return Mono.fromSupplier(request::validated).flatMap(valid -> forwarder.submit(
                new Command.AlterIsr(partitionId, shard, valid.leader(), valid.epoch(), valid.isr(), valid.newIsr()),
                RaftIsrRegistry::answer, path(partitionId, shard), valid, Partition.class));
    }

    /** The route of a shard's ISR. */
    static String path(String partitionId, int shard) {
        return "/internal/v1/partitions/" + partitionId + "/shards/" + shard + "/isr";
    }

    static Partition answer(Result result) {
        if (result instanceof Result.IsrChanged changed) {
            return changed.partition();
        }
        if (result instanceof Result.IsrConflict conflict) {
            throw new TimberException(ErrorCode.ISR_CONFLICT, conflict.reason(), null,
                    Map.of(PLACEMENT_PROPERTY, conflict.current()), null);
        }
        if (result instanceof Result.IsrInvalid invalid) {
            throw TimberException.invalidField("new_isr", invalid.reason());
        }
        if (result instanceof Result.PartitionNotFound notFound) {
            throw TimberException.partitionNotFound(notFound.id());
        }
        if (result instanceof Result.ShardNotFound notFound) {
            throw new TimberException(ErrorCode.PARTITION_NOT_FOUND, "partition " + notFound.partitionId()
                    + " has no shard " + notFound.shard(), "shard");
        }
        throw new TimberException(ErrorCode.INTERNAL, "the metadata group refused the ISR change: " + result);
    }
}
