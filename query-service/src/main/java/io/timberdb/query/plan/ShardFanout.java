package io.timberdb.query.plan;

import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.query.control.QueryMemory;
import io.timberdb.query.control.QueryProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends one {@link ShardQuery} to every shard of some partitions and gathers the outcomes. A
 * shard that fails or times out becomes a failed {@link Outcome} (the result is then partial);
 * a query past its memory budget fails whole.
 *
 * <p>Thread-safe: stateless.
 */
final class ShardFanout {

    private ShardFanout() {
    }

    static Mono<List<Outcome>> send(ShardReader reader, List<Partition> partitions, ShardQuery query, Duration timeout,
                                    QueryMemory memory, QueryProgress progress) {
        List<Mono<Outcome>> calls = new ArrayList<>();
        for (Partition p : partitions) {
            for (Partition.ShardPlacement placement : p.shards()) {
                ShardId shard = new ShardId(p.id(), placement.shard());
                calls.add(reader.query(placement.node(), shard, query)
                        .timeout(timeout)
                        .map(result -> Outcome.ok(shard, result))
                        .onErrorResume(e -> !isMemoryExceeded(e), e -> Mono.just(Outcome.failed(shard, placement.node(), e)))
                        .doOnNext(outcome -> {
                            if (outcome.result() != null) {
                                memory.reserve(outcome.result().entries());
                                memory.reserveGroups(outcome.result().groups());
                            }
                            progress.shardDone(outcome.scanned(), outcome.matched());
                        }));
            }
        }
        progress.planned(calls.size());
        return Flux.merge(calls).collectList();
    }

    private static boolean isMemoryExceeded(Throwable e) {
        return e instanceof TimberException te && te.code() == ErrorCode.QUERY_MEMORY_EXCEEDED;
    }

    /** One shard's answer, or why there is none. */
    record Outcome(ShardId shard, ShardQueryResult result, String failure) {
        long scanned() {
            return result == null ? 0 : result.scanned();
        }

        long matched() {
            return result == null ? 0 : result.matched();
        }

        static Outcome ok(ShardId shard, ShardQueryResult result) {
            return new Outcome(shard, result, null);
        }

        static Outcome failed(ShardId shard, String node, Throwable e) {
            String why = e instanceof TimeoutException ? "timed out"
                    : e instanceof TimberException te && te.code() != ErrorCode.INTERNAL ? te.getMessage() : e.toString();
            return new Outcome(shard, null, "shard " + shard + " on " + node + " did not answer: " + why);
        }
    }
}
