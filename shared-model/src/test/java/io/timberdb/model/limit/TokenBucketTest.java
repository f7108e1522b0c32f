package io.timberdb.model.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.limit.TokenBucket.Quota;
import java.math.BigInteger;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    static final long SECOND = 1_000_000_000L;

    /** A step of a run: wait {@code waitNanos}, then ask for {@code tokens}. */
    record Take(long waitNanos, long tokens) {
    }

    @Provide
    Arbitrary<List<Take>> takes() {
        Arbitrary<Long> waits = Arbitraries.oneOf(Arbitraries.just(0L), Arbitraries.longs().between(1, 1_000),
                Arbitraries.longs().between(1, 5 * SECOND), Arbitraries.longs().between(1, 600 * SECOND));
        return Combinators.combine(waits, Arbitraries.longs().between(0, 5_000)).as(Take::new).list().ofMaxSize(200);
    }

    @Property
    void neverAdmitsMoreThanTheBurstPlusTheRateTimesTheElapsedTime(
            @ForAll @LongRange(min = 1, max = 4_096) long capacity, @ForAll @LongRange(min = 1, max = 100_000) long amount,
            @ForAll @LongRange(min = 1, max = 60 * SECOND) long period, @ForAll("takes") List<Take> takes) {
        long start = 1_764_000_000L * SECOND;
        TokenBucket bucket = new TokenBucket(capacity, amount, period, start);
        long now = start;
        long admitted = 0;
        for (Take take : takes) {
            now += take.waitNanos();
            Quota quota = bucket.take(take.tokens(), now);
            if (quota.admitted()) {
                admitted += take.tokens();
            }
            // admitted <= capacity + amount * elapsed / period, exactly: admitted * period <= capacity * period + amount * elapsed
            BigInteger allowed = BigInteger.valueOf(capacity).multiply(BigInteger.valueOf(period))
                    .add(BigInteger.valueOf(amount).multiply(BigInteger.valueOf(now - start)));
            assertThat(BigInteger.valueOf(admitted).multiply(BigInteger.valueOf(period))).isLessThanOrEqualTo(allowed);
            assertThat(quota.remaining()).isBetween(0L, capacity);
            assertThat(quota.never()).isEqualTo(take.tokens() > capacity);
        }
    }

    @Property
    void aRefusedTakeIsAdmittedOnceItsRetryAfterHasPassed(@ForAll @IntRange(min = 1, max = 1_000) int burst,
                                                         @ForAll @IntRange(min = 1, max = 10_000) int perMinute,
                                                         @ForAll @Size(max = 50) List<@IntRange(min = 0, max = 1_000) Integer> spend) {
        long now = 0;
        TokenBucket bucket = TokenBucket.perMinute(burst, perMinute, now);
        for (int tokens : spend) {
            Quota quota = bucket.take(Math.min(tokens, burst), now);
            if (!quota.admitted()) {
                assertThat(quota.retryAfter()).isPositive();
                assertThat(bucket.take(Math.min(tokens, burst), now + quota.retryAfter() * SECOND).admitted())
                        .as("admitted after Retry-After").isTrue();
                now += quota.retryAfter() * SECOND;
            }
        }
    }

    @Test
    void reportsTheHeadersOfABurstThenRefillsAtTheRate() {
        TokenBucket bucket = TokenBucket.perMinute(3, 6, 0); // a token every 10 s
        assertThat(bucket.take(1, 0)).isEqualTo(new Quota(true, false, 3, 2, 10, 0));
        assertThat(bucket.take(2, 0)).isEqualTo(new Quota(true, false, 3, 0, 30, 0));
        assertThat(bucket.take(1, 0)).isEqualTo(new Quota(false, false, 3, 0, 30, 10));
        assertThat(bucket.take(1, 9 * SECOND).admitted()).isFalse();
        assertThat(bucket.take(1, 10 * SECOND)).isEqualTo(new Quota(true, false, 3, 0, 30, 0));
        assertThat(bucket.take(4, 10 * SECOND)).isEqualTo(new Quota(false, true, 3, 0, 30, 0));
        assertThat(bucket.available(1_000 * SECOND)).as("never above the burst").isEqualTo(3);
    }

    @Test
    void aClockSteppingBackIsNoTimeAndALongIdleSpellDoesNotOverflow() {
        long gigabytes = 8L << 30;
        TokenBucket bucket = TokenBucket.perSecond(gigabytes, gigabytes, 100 * SECOND);
        assertThat(bucket.take(gigabytes, 100 * SECOND).admitted()).isTrue();
        assertThat(bucket.take(1, 50 * SECOND).admitted()).as("the clock went back").isFalse();
        assertThat(bucket.available(Long.MAX_VALUE)).isEqualTo(gigabytes);
    }
}
