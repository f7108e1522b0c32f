package io.timberdb.query.plan;

import io.timberdb.model.api.Partition;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.query.control.QueryMemory;
import io.timberdb.query.control.QueryProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Sends one {@link ShardQuery} to every shard of some partitions, each to one of its in-sync
 * replicas ({@link ReplicaReads}: failover, hedging), and gathers the outcomes: one per shard, from
 * one replica. A shard no in-sync replica answered in time becomes a missing {@link Outcome} (the
 * result is then partial, the shard listed); a query past its memory budget, or one a replica
 * refused as invalid (a 4xx problem), fails whole.
 *
 * <p>Thread-safe: stateless.
 */
final class ShardFanout {

    private ShardFanout() {
    }

    static Mono<List<Outcome>> send(ReplicaReads reads, List<Partition> partitions, ShardQuery query, Duration timeout,
                                    QueryMemory memory, QueryProgress progress) {
        List<Mono<Outcome>> calls = new ArrayList<>();
        for (Partition p : partitions) {
            for (Partition.ShardPlacement placement : p.shards()) {
                ShardId shard = new ShardId(p.id(), placement.shard());
                calls.add(reads.read(shard, placement, query, timeout)
                        .map(answer -> Outcome.ok(shard, answer.node(), answer.result()))
                        .onErrorResume(ReplicaReads.ShardUnavailable.class, e -> Mono.just(Outcome.missing(shard, e.getMessage())))
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

    /**
     * One shard's answer and the replica that gave it, or why there is none.
     *
     * @param node the in-sync replica that answered; null when none did
     * @param result its answer; null when none answered
     * @param failure why no replica answered; null when one did
     */
    record Outcome(ShardId shard, String node, ShardQueryResult result, String failure) {
        long scanned() {
            return result == null ? 0 : result.scanned();
        }

        long matched() {
            return result == null ? 0 : result.matched();
        }

        static Outcome ok(ShardId shard, String node, ShardQueryResult result) {
            return new Outcome(shard, node, result, null);
        }

        static Outcome missing(ShardId shard, String why) {
            return new Outcome(shard, null, null, why);
        }
    }
}
