package io.timberdb.model.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The fast path agrees with {@code OffsetDateTime.parse} wherever it answers, and leaves the rest to it. */
class Rfc3339Test {

    @Test
    void agreesWithTheFullParserOnRandomTimestamps() {
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < 20_000; i++) {
            long seconds = random.nextLong(-62_000_000_000L, 253_000_000_000L); // years 0005..9987
            int nanos = random.nextInt(4) == 0 ? 0 : random.nextInt(1_000_000_000);
            ZoneOffset offset = random.nextBoolean() ? ZoneOffset.UTC
                    : ZoneOffset.ofTotalSeconds(random.nextInt(-18 * 3600, 18 * 3600 + 1) / 60 * 60);
            String text = OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), offset).toString();
            Instant fast = Rfc3339.parse(text);
            if (text.length() >= 20 && text.charAt(4) == '-' && text.charAt(16) == ':' && text.length() <= 35) {
                assertThat(fast).as(text).isNotNull();
            }
            if (fast != null) {
                assertThat(fast).as(text).isEqualTo(OffsetDateTime.parse(text).toInstant());
            }
        }
    }

    @Test
    void leavesEverythingElseToTheFullParser() {
        for (String odd : List.of("2026-02-30T00:00:00Z", "2026-11-26T24:00:00Z", "2026-11-26T10:30:60Z",
                "2026-11-26t10:30:00z", "2026-11-26T10:30:00", "2026-11-26T10:30:00.Z", "2026-11-26T10:30:00.1234567890Z",
                "2026-11-26T10:30:00+0100", "2026-11-26T10:30:00+19:00", "2026-11-26 10:30:00Z", "+12026-11-26T10:30:00Z",
                "2026-11-26T10:30:00+01:00:30", "2026-1a-26T10:30:00Z", "2026-11-26T10:30:00+18:30",
                "2026-11-26T10:30:00-18:01", "2026-11-26T10:30:00.\u0663Z")) {
            Instant fast = Rfc3339.parse(odd);
            if (fast != null) { // never accepts what the full parser refuses
                assertThat(fast).as(odd).isEqualTo(OffsetDateTime.parse(odd).toInstant());
            }
        }
        assertThat(Rfc3339.parse("2026-11-26T10:30:00.5+01:00")).isEqualTo(Instant.parse("2026-11-26T09:30:00.500Z"));
        assertThat(Rfc3339.parse("2026-02-30T00:00:00Z")).isNull();
        assertThat(Rfc3339.parse("2026-11-26T10:30:00")).isNull();
        // past ZoneOffset's ±18:00, and a non-ASCII digit in the fraction: both refused by the full parser
        assertThat(Rfc3339.parse("2026-11-26T10:30:00+18:30")).isNull();
        assertThat(Rfc3339.parse("2026-11-26T10:30:00.\u0663Z")).isNull();
        assertThat(Rfc3339.parse("2026-11-26T10:30:00-18:00")).isEqualTo(Instant.parse("2026-11-27T04:30:00Z"));
    }
}
