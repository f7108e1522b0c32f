package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardQuery;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A shard scan stops with TIMEOUT once its time budget has run out, and never without one. */
class ShardScanBudgetTest {

    private static final Instant NOW = Instant.parse("2026-11-26T00:00:00Z");
    private static final String REGEX = "SELECT count(*) FROM p WHERE message ~ '(a|b)*c'";

    @Test
    void aScanPastItsBudgetFailsWithTimeout() {
        AtomicLong clock = new AtomicLong(-5); // nanoTime may be negative
        ShardScan scan = new ShardScan(new ShardQuery(null, 10, REGEX, NOW, null, 50L), clock::get);
        for (int i = 0; i < 10_000; i++) {
            scan.accept(entry(i)); // within the budget: the clock stands still
        }
        clock.addAndGet(50_000_001L); // 50 ms and a nanosecond later
        assertThatThrownBy(() -> {
            for (int i = 0; i < 5_000; i++) {
                scan.accept(entry(i));
            }
        }).isInstanceOfSatisfying(TimberException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.TIMEOUT);
            assertThat(e.getMessage()).contains("budget of 50 ms");
        });
    }

    @Test
    void aScanWithoutABudgetNeverTimesOut() {
        AtomicLong clock = new AtomicLong(Long.MAX_VALUE - 10);
        ShardScan scan = new ShardScan(new ShardQuery(null, 10, REGEX, NOW, null, 0L), clock::get);
        for (int i = 0; i < 10_000; i++) {
            clock.addAndGet(1_000_000_000L); // wraps: must not matter
            scan.accept(entry(i));
        }
        assertThat(scan.result(java.util.List.of()).scanned()).isEqualTo(10_000);
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> new ShardScan(new ShardQuery(null, 10, REGEX, NOW, null, -1L)))
                .isInstanceOfSatisfying(TimberException.class, e -> assertThat(e.field()).isEqualTo("budget_ms"));
    }

    private static LogEntry entry(int i) {
        return new LogEntry("id-" + i, NOW.minusSeconds(i), "s", Map.of(), "aababab" + i);
    }
}
