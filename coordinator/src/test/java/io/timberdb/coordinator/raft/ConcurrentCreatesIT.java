package io.timberdb.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.Partition;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Partitions created concurrently through every voter of the group, distinct names and the same
 * names, while the leader is stopped half-way: a voter that is not the leader names it and the
 * proposer sends the very same command there (as the HTTP forwarding does), retrying across the
 * election. Nothing is lost, no name is created twice.
 */
class ConcurrentCreatesIT {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final int THREADS = 6;
    private static final int DISTINCT_PER_THREAD = 6;
    private static final int SHARED = 6;

    @TempDir
    Path dir;

    @Test
    void concurrentCreatesThroughEveryVoterAcrossALeaderChangeLoseNothingAndDuplicateNothing() throws Exception {
        try (RaftTestCluster cluster = RaftTestCluster.start(3, dir)) {
            MetadataGroup leader = cluster.awaitLeaderWithStorageNodes(1);
            Map<String, MetadataGroup> voters = new ConcurrentHashMap<>();
            cluster.running().forEach(g -> voters.put(g.self().id(), g));
            List<String> entries = List.copyOf(voters.keySet());
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            // Every thread does half of its creations, then waits for the leader to be stopped.
            CountDownLatch halfway = new CountDownLatch(THREADS);
            CountDownLatch leaderStopped = new CountDownLatch(1);
            List<Future<List<Result>>> answers = new ArrayList<>();
            try {
                for (int t = 0; t < THREADS; t++) {
                    String entry = entries.get(t % entries.size());
                    int thread = t;
                    answers.add(pool.submit(() -> {
                        List<Result> results = new ArrayList<>();
                        for (int i = 0; i < Math.max(SHARED, DISTINCT_PER_THREAD); i++) {
                            if (i == SHARED / 2) {
                                halfway.countDown();
                                leaderStopped.await();
                            }
                            if (i < SHARED) {
                                results.add(submit(voters, entry, create(thread, "shared-" + i)));
                            }
                            if (i < DISTINCT_PER_THREAD) {
                                results.add(submit(voters, entry, create(thread, "t" + thread + "-" + i)));
                            }
                        }
                        return results;
                    }));
                }
                assertThat(halfway.await(2, TimeUnit.MINUTES)).isTrue();
                voters.remove(leader.self().id());
                cluster.stop(leader.self().id());
                leaderStopped.countDown();

                List<Result> results = new ArrayList<>();
                for (Future<List<Result>> answer : answers) {
                    results.addAll(answer.get(5, TimeUnit.MINUTES));
                }

                MetadataGroup successor = cluster.awaitLeader();
                List<Partition> partitions = successor.view().partitions();
                assertThat(partitions).extracting(Partition::name).doesNotHaveDuplicates()
                        .hasSize(SHARED + THREADS * DISTINCT_PER_THREAD);
                for (Result result : results) {
                    Partition answered = result instanceof Result.PartitionCreated created ? created.partition()
                            : ((Result.PartitionExists) result).existing();
                    assertThat(partitions).as("every answer names a partition that exists").contains(answered);
                }
                for (int i = 0; i < SHARED; i++) {
                    String name = "shared-" + i;
                    assertThat(results.stream().filter(r -> r instanceof Result.PartitionCreated c
                            && c.partition().name().equals(name)).map(r -> ((Result.PartitionCreated) r).partition().id())
                            .distinct()).as("one creation of " + name).hasSize(1);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> cluster.running().stream()
                        .allMatch(g -> g.view().equals(successor.view())));
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** A creation whose id is unique to the thread and name, so that a retry is the same command. */
    private static Command create(int thread, String name) {
        return new Command.CreatePartition(name + "-by-" + thread, name, Map.of(), 7, T0, 1);
    }

    /**
     * Proposes through {@code entry}; a voter that is not the leader sends the proposer to the
     * leader it names, and failures while the leader changes are retried, with the same command.
     */
    private static Result submit(Map<String, MetadataGroup> voters, String entry, Command command) {
        AtomicReference<String> target = new AtomicReference<>(entry);
        AtomicReference<Result> result = new AtomicReference<>();
        await("committing " + command).atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).until(() -> {
                    MetadataGroup group = voters.get(target.get());
                    if (group == null) { // stopped: any other voter will do
                        target.set(voters.keySet().iterator().next());
                        return false;
                    }
                    try {
                        result.set(group.propose(command).get(10, TimeUnit.SECONDS));
                        return true;
                    } catch (ExecutionException e) {
                        if (e.getCause() instanceof NotLeaderException notLeader && notLeader.leaderId() != null
                                && voters.containsKey(notLeader.leaderId())) {
                            target.set(notLeader.leaderId());
                            return false;
                        }
                        if (e.getCause() instanceof ProposalException p && (p.retryable() || !voters.containsKey(target.get()))) {
                            return false;
                        }
                        throw e;
                    } catch (TimeoutException e) {
                        return false;
                    }
                });
        return result.get();
    }
}
