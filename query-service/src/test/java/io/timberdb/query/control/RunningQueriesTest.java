package io.timberdb.query.control;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.tenant.CallerTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

class RunningQueriesTest {

    static final InstantSource CLOCK = InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z"));

    static RunningQueries queries(int slots, int kept) {
        return new RunningQueries(new QueryProperties(1000, 100, Duration.ofSeconds(10), Duration.ofSeconds(20),
                slots, kept, Duration.ofSeconds(5), DataSize.ofMegabytes(16), DataSize.ofMegabytes(1), Duration.ofMillis(200)), CLOCK);
    }

    static void assertCode(Throwable e, ErrorCode code) {
        assertThat(e).isInstanceOf(TimberException.class);
        assertThat(((TimberException) e).code()).isEqualTo(code);
    }

    @Test
    void aQueryBeyondTheSlotsIsRefusedAndASlotFreesWhenAQueryEnds() {
        RunningQueries queries = queries(1, 10);
        Sinks.One<String> answer = Sinks.one();
        Disposable first = queries.run("a", "q", admitted -> answer.asMono()).subscribe();
        StepVerifier.create(queries.run(null, "q", admitted -> Mono.just("b")))
                .expectErrorSatisfies(e -> assertCode(e, ErrorCode.TOO_MANY_QUERIES)).verify();

        answer.tryEmitValue("done");
        assertThat(first.isDisposed()).isTrue();
        StepVerifier.create(queries.run(null, "q", admitted -> Mono.just("b"))).expectNext("b").verifyComplete();
        assertThat(queries.running(Partition.DEFAULT_TENANT)).isEmpty();
    }

    @Test
    void aRunningQuerysIdCannotBeTakenAgainNorCanAnIdOutsideTheAlphabet() {
        RunningQueries queries = queries(5, 10);
        queries.run("same", "q", admitted -> Mono.never()).subscribe();
        StepVerifier.create(queries.run("same", "q", admitted -> Mono.just(1)))
                .expectErrorSatisfies(e -> assertCode(e, ErrorCode.QUERY_ID_IN_USE)).verify();
        StepVerifier.create(queries.run("bad id/", "q", admitted -> Mono.just(1)))
                .expectErrorSatisfies(e -> {
                    assertCode(e, ErrorCode.INVALID_FIELD);
                    assertThat(((TimberException) e).field()).isEqualTo(QueryHeaders.QUERY_ID);
                }).verify();
        assertThat(queries.running(Partition.DEFAULT_TENANT)).extracting(QueryStatus::id).containsExactly("same");
    }

    @Test
    void cancellingStopsTheWorkAndAnswersQueryCancelled() {
        RunningQueries queries = queries(5, 10);
        AtomicBoolean workCancelled = new AtomicBoolean();
        Mono<Integer> run = queries.run("slow", "select everything", admitted -> {
            admitted.progress().planned(3);
            admitted.progress().shardDone(40, 2);
            return Mono.<Integer>never().doOnCancel(() -> workCancelled.set(true));
        });
        StepVerifier.create(run)
                .then(() -> {
                    QueryStatus running = queries.status(Partition.DEFAULT_TENANT, "slow").orElseThrow();
                    assertThat(running.state()).isEqualTo("running");
                    assertThat(running.shardsTotal()).isEqualTo(3);
                    assertThat(running.shardsDone()).isEqualTo(1);
                    assertThat(running.scannedEntries()).isEqualTo(40);
                    assertThat(queries.cancel(Partition.DEFAULT_TENANT, "slow")).isPresent();
                })
                .expectErrorSatisfies(e -> assertCode(e, ErrorCode.QUERY_CANCELLED))
                .verify(Duration.ofSeconds(5));
        assertThat(workCancelled).isTrue();
        QueryStatus after = queries.status(Partition.DEFAULT_TENANT, "slow").orElseThrow();
        assertThat(after.state()).isEqualTo("cancelled");
        assertThat(after.query()).isEqualTo("select everything");
        assertThat(queries.running(Partition.DEFAULT_TENANT)).isEmpty();
        // the slot came back: five more fit
        for (int i = 0; i < 5; i++) {
            queries.run(null, "q", admitted -> Mono.never()).subscribe();
        }
        assertThat(queries.running(Partition.DEFAULT_TENANT)).hasSize(5);
    }

    @Test
    void aClientThatGoesAwayCancelsItsQuery() {
        RunningQueries queries = queries(1, 10);
        Disposable client = queries.run("gone", "q", admitted -> Mono.never()).subscribe();
        client.dispose();
        assertThat(queries.status(Partition.DEFAULT_TENANT, "gone").orElseThrow().state()).isEqualTo("cancelled");
        StepVerifier.create(queries.run(null, "q", admitted -> Mono.just(1))).expectNext(1).verifyComplete();
    }

    @Test
    void finishedQueriesAreRememberedUpToTheBoundAndCancellingThemChangesNothing() {
        RunningQueries queries = queries(5, 2);
        StepVerifier.create(queries.run("ok", "q", admitted -> Mono.just(1))).expectNext(1).verifyComplete();
        StepVerifier.create(queries.run("broken", "q", admitted -> Mono.error(new IllegalStateException("disk on fire"))))
                .expectError(IllegalStateException.class).verify();
        assertThat(queries.status(Partition.DEFAULT_TENANT, "ok").orElseThrow().state()).isEqualTo("succeeded");
        QueryStatus failed = queries.cancel(Partition.DEFAULT_TENANT, "broken").orElseThrow();
        assertThat(failed.state()).isEqualTo("failed");
        assertThat(failed.error()).isEqualTo("disk on fire");

        StepVerifier.create(queries.run("third", "q", admitted -> Mono.just(3))).expectNext(3).verifyComplete();
        assertThat(queries.status(Partition.DEFAULT_TENANT, "ok")).as("the oldest of three, beyond the bound of 2").isEmpty();
        assertThat(queries.status(Partition.DEFAULT_TENANT, "broken")).isPresent();
        assertThat(queries.cancel(Partition.DEFAULT_TENANT, "never-ran")).isEmpty();
    }

    @Test
    void aQueryAnswersItsOwnTenantOnly() {
        RunningQueries queries = queries(5, 10);
        queries.run("a-1", "q", admitted -> Mono.never()).contextWrite(c -> CallerTenant.withHeader(c, "team-a")).subscribe();

        assertThat(queries.running("team-a")).extracting(QueryStatus::id).containsExactly("a-1");
        assertThat(queries.running("team-b")).isEmpty();
        assertThat(queries.status("team-b", "a-1")).isEmpty();
        assertThat(queries.cancel("team-b", "a-1")).isEmpty();
        assertThat(queries.status("team-a", "a-1").orElseThrow().state()).isEqualTo("running");

        queries.cancel("team-a", "a-1");
        assertThat(queries.status("team-a", "a-1").orElseThrow().state()).isEqualTo("cancelled");
        assertThat(queries.status("team-b", "a-1")).as("finished, and still not another tenant's").isEmpty();
    }
}
