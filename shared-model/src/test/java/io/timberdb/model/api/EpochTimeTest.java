package io.timberdb.model.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class EpochTimeTest {

    static final Instant AT = Instant.parse("2025-11-26T09:40:00.123456789Z");

    static Instant entryTime(String timestamp) {
        return new LogEntryInput(timestamp, "s", null, "m").toEntry("[3]", "i", Instant.EPOCH).timestamp();
    }

    @Test
    void theUnitIsToldByMagnitude() {
        assertThat(entryTime("1764150000")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L));
        assertThat(entryTime("1764150000123")).isEqualTo(Instant.ofEpochMilli(1_764_150_000_123L));
        assertThat(entryTime("1764150000123456")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L, 123_456_000));
        assertThat(entryTime("1764150000123456789")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L, 123_456_789));
    }

    @Test
    void theThresholdsAreTheDocumentedOnes() {
        assertThat(entryTime("99999999999")).isEqualTo(Instant.ofEpochSecond(99_999_999_999L));
        assertThat(entryTime("100000000000")).isEqualTo(Instant.ofEpochMilli(100_000_000_000L));
        assertThat(entryTime("99999999999999")).isEqualTo(Instant.ofEpochMilli(99_999_999_999_999L));
        assertThat(entryTime("100000000000000")).isEqualTo(Instant.ofEpochMilli(100_000_000_000L));
        assertThat(entryTime("100000000000000000")).isEqualTo(Instant.ofEpochMilli(100_000_000_000L));
        assertThat(entryTime("9999999999999999999")).isEqualTo(Instant.ofEpochSecond(9_999_999_999L, 999_999_999));
        assertThat(entryTime("0")).isEqualTo(Instant.EPOCH);
    }

    @Test
    void fractionsExponentsAndStringsOfNumbersAreTaken() {
        assertThat(entryTime("1764150000.25")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L, 250_000_000));
        assertThat(entryTime("1764150000123.5")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L, 123_500_000));
        assertThat(entryTime("1.76415e18")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L));
        assertThat(entryTime(" 1764150000 ")).isEqualTo(Instant.ofEpochSecond(1_764_150_000L));
    }

    @Test
    void rfc3339KeepsNanoseconds() {
        assertThat(entryTime("2025-11-26T09:40:00.123456789Z")).isEqualTo(AT);
        assertThat(entryTime("2025-11-26T10:40:00.123456789+01:00")).isEqualTo(AT);
    }

    @Test
    void negativeHugeOrMalformedNumbersNameTheField() {
        for (String bad : new String[] {"-1", "-1764150000", "10000000000000000000", "1e19", "1e400", "1e-400",
                "123456789012345678901234567890123456789012", "NaN", "Infinity", "2025-13-01T00:00:00Z", "12:00"}) {
            assertThatThrownBy(() -> entryTime(bad)).as(bad).isInstanceOfSatisfying(TimberException.class, e -> {
                assertThat(e.code()).isEqualTo(ErrorCode.INVALID_FIELD);
                assertThat(e.field()).isEqualTo("[3].timestamp");
            });
        }
    }
}
