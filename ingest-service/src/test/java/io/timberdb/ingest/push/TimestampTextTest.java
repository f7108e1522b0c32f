package io.timberdb.ingest.push;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntryInput;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TimestampTextTest {

    /** The instant the write path reads from {@code text}. */
    static Instant parsed(String text) {
        return new LogEntryInput(text, "s", null, "m").toEntry("", "id", Instant.EPOCH).timestamp();
    }

    @Test
    void writesNineFractionDigitsInUtc() {
        assertThat(TimestampText.of(1_764_153_000L, 123_456_789)).isEqualTo("2025-11-26T10:30:00.123456789Z");
        assertThat(TimestampText.of(0, 0)).isEqualTo("1970-01-01T00:00:00.000000000Z");
        assertThat(TimestampText.of(-1, 999_999_999)).isEqualTo("1969-12-31T23:59:59.999999999Z");
    }

    @Test
    void theWritePathReadsBackTheSameInstantAcrossTheYears() {
        Instant min = Instant.parse("0000-01-01T00:00:00Z");
        Instant max = Instant.parse("9999-12-31T23:59:59.999999999Z");
        assertThat(TimestampText.of(min.getEpochSecond(), 0)).isEqualTo("0000-01-01T00:00:00.000000000Z");
        assertThat(parsed(TimestampText.of(max.getEpochSecond(), max.getNano()))).isEqualTo(max);
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            long second = min.getEpochSecond() + (long) (random.nextDouble() * (max.getEpochSecond() - min.getEpochSecond()));
            int nanos = random.nextInt(1_000_000_000);
            String text = TimestampText.of(second, nanos);
            assertThat(Instant.parse(text)).as(text).isEqualTo(Instant.ofEpochSecond(second, nanos));
            assertThat(parsed(text)).as(text).isEqualTo(Instant.ofEpochSecond(second, nanos));
        }
    }

    @Test
    void anInstantBeyondTheYear9999TakesInstantsOwnForm() {
        Instant later = Instant.parse("+10000-01-01T00:00:00Z");
        assertThat(TimestampText.of(later.getEpochSecond(), 5)).isEqualTo(later.plusNanos(5).toString());
        Instant earlier = Instant.parse("-0001-12-31T23:59:59Z");
        assertThat(TimestampText.of(earlier.getEpochSecond(), 0)).isEqualTo(earlier.toString());
    }
}
