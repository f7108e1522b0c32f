package io.timberdb.model.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import org.junit.jupiter.api.Test;

/** The buckets' memory bound and the throttling metric's tag cap. */
class KeyedBucketsTest {

    /** A clock the test moves. */
    static final class TestClock implements InstantSource {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }
    }

    final TestClock clock = new TestClock();

    @Test
    void keepsAtMostMaxKeysAndDropsIdleOnesWhichComeBackFull() {
        KeyedBuckets<TokenBucket> buckets = new KeyedBuckets<>(100, Duration.ofMinutes(10), clock,
                (key, now) -> TokenBucket.perMinute(5, 60, now));
        for (int i = 0; i < 10_000; i++) {
            buckets.of("made-up-" + i).take(1, buckets.now());
        }
        assertThat(buckets.size()).isLessThanOrEqualTo(100);

        buckets.of("acme").take(5, buckets.now());
        assertThat(buckets.of("acme").available(buckets.now())).isZero();
        clock.advance(Duration.ofMinutes(11));
        assertThat(buckets.size()).as("every key idle past idle-eviction is dropped").isZero();
        assertThat(buckets.of("acme").available(buckets.now())).isEqualTo(5);
    }

    @Test
    void theBucketsOfAKeyAreMadeOnceWithItsNameAndTheClocksTime() {
        KeyedBuckets<String> buckets = new KeyedBuckets<>(10, Duration.ofMinutes(10), clock, (key, now) -> key + "@" + now);
        String first = buckets.of("acme");
        clock.advance(Duration.ofSeconds(1));
        assertThat(buckets.of("acme")).isSameAs(first).isEqualTo("acme@" + 1_767_225_600_000_000_000L);
    }

    @Test
    void theThrottlingMetricNamesAtMostMaxTenantTagsTenants() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ThrottleMetrics metrics = new ThrottleMetrics(registry, "test.throttled", "refusals", 3);
        for (int i = 0; i < 50; i++) {
            metrics.throttled("tenant-" + i, "requests");
        }
        metrics.throttled("tenant-1", "bytes");
        assertThat(registry.find("test.throttled").counters()).hasSize(5); // three named, other, tenant-1's bytes
        assertThat(registry.get("test.throttled").tag("tenant", ThrottleMetrics.OTHER).counter().count()).isEqualTo(47);
        assertThat(registry.get("test.throttled").tag("tenant", "tenant-1").tag("limit", "bytes").counter().count())
                .isEqualTo(1);
    }
}
