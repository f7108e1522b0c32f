package io.timberdb.model.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogEntryInputTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    @Test
    void aMissingTimestampMeansTheServersTime() {
        LogEntry e = new LogEntryInput(null, "web-1", Map.of("b", "2", "a", "1"), "hello").toEntry("", "id-1", NOW);
        assertThat(e.timestamp()).isEqualTo(NOW);
        assertThat(e.tags().keySet()).containsExactly("a", "b");
    }

    @Test
    void timestampsAreRfc3339OrEpochMillis() {
        assertThat(new LogEntryInput("2026-01-02T03:04:05.678+01:00", "s", null, "m").toEntry("", "i", NOW).timestamp())
                .isEqualTo(Instant.parse("2026-01-02T02:04:05.678Z"));
        assertThat(new LogEntryInput("1700000000000", "s", null, "m").toEntry("", "i", NOW).timestamp())
                .isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
    }

    @Test
    void errorsNameTheFieldAtFault() {
        assertField(() -> new LogEntryInput(null, null, null, "m").toEntry("[2]", "i", NOW), ErrorCode.MISSING_FIELD, "[2].source");
        assertField(() -> new LogEntryInput(null, "s", null, null).toEntry("", "i", NOW), ErrorCode.MISSING_FIELD, "message");
        assertField(() -> new LogEntryInput("soon", "s", null, "m").toEntry("", "i", NOW), ErrorCode.INVALID_FIELD, "timestamp");
        assertField(() -> new LogEntryInput(null, " ", null, "m").toEntry("", "i", NOW), ErrorCode.INVALID_FIELD, "source");
    }

    @Test
    void theShardOfAStreamIsStableAndInRange() {
        Partition p = new Partition("id", "name", Map.of(), 30, NOW,
                List.of(new Partition.ShardPlacement(0, "n1"), new Partition.ShardPlacement(1, "n2"),
                        new Partition.ShardPlacement(2, "n3")));
        int shard = p.shardOf("web-1", Map.of("level", "info"));
        assertThat(shard).isBetween(0, 2);
        assertThat(p.shardOf("web-1", Map.of("level", "info"))).isEqualTo(shard);
        // String.hashCode is specified, so placement is the same in every JVM: pin one value.
        assertThat(p.shardOf("database-01", Map.of())).isEqualTo(Math.floorMod("database-01".hashCode(), 3));
    }

    private static void assertField(Runnable call, ErrorCode code, String field) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(TimberException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.field()).isEqualTo(field);
        });
    }
}
