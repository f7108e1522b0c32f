package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SegmentDeletionTest {

    @TempDir
    Path dir;

    static List<LogEntry> batch(int from, int n) {
        List<LogEntry> entries = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            entries.add(new LogEntry(String.format("00000000-0000-7000-8000-%012d", i), Instant.ofEpochSecond(i), "s",
                    Map.of(), "message " + "x".repeat(200)));
        }
        return entries;
    }

    private long segments() throws Exception {
        try (var files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".wal")).count();
        }
    }

    @Test
    void deletesOnlyClosedSegmentsWhoseEntriesAreAllSealed() throws Exception {
        WalOptions small = new WalOptions(FsyncPolicy.PER_BATCH, 64, 4096);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", small, (b, e) -> { })) {
            for (int i = 0; i < 20; i++) {
                wal.append(batch(i * 10, 10)).join();
            }
            long before = segments();
            assertThat(before).isGreaterThan(3);
            assertThat(wal.deleteSegmentsIfSealed(0)).isZero();
            int deleted = wal.deleteSegmentsIfSealed(100);
            assertThat(deleted).isPositive();
            assertThat(segments()).isEqualTo(before - deleted);
            long remaining = segments();
            assertThat(wal.deleteSegmentsIfSealed(Long.MAX_VALUE)).as("the open segment stays").isEqualTo(remaining - 1);
            assertThat(segments()).isEqualTo(1);
        }
        List<Long> replayed = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", small, (b, e) -> replayed.add(b))) {
            assertThat(replayed).isNotEmpty().allMatch(b -> b >= 100);
            assertThat(wal.nextSequence()).isEqualTo(200);
        }
    }

    @Test
    void deletingSealedSegmentsLeavesASegmentBeingCreatedAlone() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            wal.append(batch(0, 10)).join();
            // what the writer's roll to a new segment holds for a moment, while the sealer deletes
            Path rolling = Files.createFile(dir.resolve(WalFormat.segmentName(10) + WalSegment.TEMP_SUFFIX));
            wal.deleteSegmentsIfSealed(10);
            assertThat(rolling).exists();
        }
    }

    @Test
    void aClosedFullySealedLogIsEmptiedAndReopensAtTheSealedSequence() throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { });
        wal.append(batch(0, 50)).join();
        wal.close();
        assertThat(wal.deleteSegmentsIfSealed(49)).as("entry 49 is not sealed yet").isZero();
        assertThat(wal.deleteSegmentsIfSealed(50)).isEqualTo(1);
        assertThat(segments()).isZero();

        List<Long> replayed = new ArrayList<>();
        try (WriteAheadLog reopened = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, 50, (b, e) -> replayed.add(b))) {
            assertThat(replayed).as("nothing to replay").isEmpty();
            assertThat(reopened.append(batch(50, 1)).join()).isEqualTo(50L);
        }
    }
}
