package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped format versions stay readable, and the writer's bytes do not drift. */
class WalGoldenFixtureTest {

    @TempDir
    Path dir;

    @Test
    void readsTheVersion1GoldenSegment() throws Exception {
        WalFixtures.copyV1Segment(dir);
        List<LogEntry> replayed = new ArrayList<>();
        List<Long> bases = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "golden", WalOptions.DEFAULTS, (base, entries) -> {
            bases.add(base);
            replayed.addAll(entries);
        })) {
            assertThat(wal.nextSequence()).isEqualTo(4);
        }
        assertThat(replayed).containsExactlyElementsOf(WalFixtures.entries());
        assertThat(bases).containsExactly(0L, 1L, 3L);
        assertThat(replayed.get(1).tags().keySet()).containsExactly("env", "region");
    }

    @Test
    void writerOutputForFixedInputMatchesTheGoldenSegmentByteForByte() throws Exception {
        WalFixtures.writeBatches(dir);
        byte[] written = Files.readAllBytes(dir.resolve(WalFormat.segmentName(0)));
        byte[] golden;
        try (InputStream in = WalFixtures.class.getResourceAsStream(WalFixtures.V1_SEGMENT)) {
            golden = in.readAllBytes();
        }
        assertThat(WalFormat.CURRENT_VERSION)
                .as("a new format version needs its own golden fixture; keep the old ones")
                .isEqualTo(1);
        assertThat(written).as("the v1 writer's output changed; v1 files on disk would no longer match")
                .isEqualTo(golden);
    }

    @Test
    void goldenSegmentStartsWithMagicAndVersion() throws Exception {
        byte[] golden;
        try (InputStream in = WalFixtures.class.getResourceAsStream(WalFixtures.V1_SEGMENT)) {
            golden = in.readAllBytes();
        }
        assertThat(new String(golden, 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("TWAL");
        assertThat(golden[4]).isZero();
        assertThat(golden[5]).isEqualTo((byte) 1);
    }
}
