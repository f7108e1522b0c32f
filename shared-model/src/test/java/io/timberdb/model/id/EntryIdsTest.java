package io.timberdb.model.id;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EntryIdsTest {

    @Test
    void idsIncreaseAsStringsEvenWithinOneMillisecond() {
        EntryIds ids = new EntryIds(InstantSource.fixed(Instant.parse("2026-11-26T00:00:00Z")), 42L);
        List<String> generated = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) { // more than the 4096 sequence values of one millisecond
            generated.add(ids.next());
        }
        assertThat(generated).isSorted();
        assertThat(new HashSet<>(generated)).hasSize(generated.size());
    }

    @Test
    void idsAreVersion7UuidsCarryingTheirTime() {
        Instant at = Instant.parse("2026-11-26T10:30:00.123Z");
        String id = new EntryIds(InstantSource.fixed(at)).next();
        UUID uuid = UUID.fromString(id);
        assertThat(uuid.version()).isEqualTo(7);
        assertThat(uuid.variant()).isEqualTo(2);
        assertThat(EntryIds.millisOf(id)).isEqualTo(at.toEpochMilli());
    }

    @Test
    void generatorsWithDifferentRandomBitsNeverCollide() {
        InstantSource clock = InstantSource.fixed(Instant.EPOCH.plusSeconds(1));
        assertThat(new EntryIds(clock, 1).next()).isNotEqualTo(new EntryIds(clock, 2).next());
    }
}
