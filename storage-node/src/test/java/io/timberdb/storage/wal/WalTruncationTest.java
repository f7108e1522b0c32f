package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cutting a WAL back (a follower dropping an uncommitted tail), and appends at a given sequence. */
class WalTruncationTest {

    @TempDir
    Path dir;

    @Test
    void aCutInsideABatchKeepsItsFirstEntriesAndTheLogAppendsOnFromTheCut() throws Exception {
        write(dir, WalOptions.DEFAULTS, 5, 5, 5); // sequences 0-4, 5-9, 10-14
        assertThat(WalTruncation.truncate(dir, 7)).isEqualTo(7);
        assertThat(ids(TestEntries.replay(dir))).containsExactly("b0-0", "b0-1", "b0-2", "b0-3", "b0-4", "b1-0", "b1-1");
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            assertThat(wal.nextSequence()).isEqualTo(7);
            assertThat(wal.append(TestEntries.batch("new", 2)).get()).isEqualTo(7);
        }
        assertThat(TestEntries.replay(dir)).hasSize(9);
    }

    @Test
    void aCutAtOrPastTheEndChangesNothing() throws Exception {
        write(dir, WalOptions.DEFAULTS, 3, 3);
        assertThat(WalTruncation.truncate(dir, 6)).isEqualTo(6);
        assertThat(WalTruncation.truncate(dir, 100)).isEqualTo(6);
        assertThat(TestEntries.replay(dir)).hasSize(6);
    }

    /** Whatever the segment size and the cut, the log afterwards is exactly the entries below the cut. */
    @Property(tries = 60)
    void theLogAfterACutIsItsPrefix(@ForAll @IntRange(min = 1, max = 8) int batches,
                                    @ForAll @IntRange(min = 1, max = 6) int perBatch,
                                    @ForAll @IntRange(min = 0, max = 60) int cut,
                                    @ForAll @IntRange(min = 200, max = 2000) int segmentBytes) throws Exception {
        Path log = java.nio.file.Files.createTempDirectory("wal-cut");
        try {
            WalOptions options = new WalOptions(FsyncPolicy.PER_BATCH, 16, segmentBytes);
            int[] sizes = new int[batches];
            java.util.Arrays.fill(sizes, perBatch);
            List<String> all = ids(write(log, options, sizes));
            long end = WalTruncation.truncate(log, cut);
            int kept = Math.min(cut, all.size());
            assertThat(end).isEqualTo(kept);
            assertThat(ids(TestEntries.replay(log))).isEqualTo(all.subList(0, kept));
        } finally {
            try (var paths = java.nio.file.Files.walk(log)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    void anAppendAtTheWrongSequenceFailsAndWritesNothing() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            EncodedEntries batch = EncodedEntries.encode(TestEntries.batch("a", 3));
            assertThat(wal.appendAt(0, batch).get()).isEqualTo(0);
            assertThatThrownBy(() -> wal.appendAt(7, batch).get())
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SequenceMismatchException.class)
                    .hasMessageContaining("at sequence 3, not 7");
            assertThat(wal.appendAt(3, batch).get()).isEqualTo(3);
            assertThat(wal.nextSequence()).isEqualTo(6);
        }
        assertThat(TestEntries.replay(dir)).hasSize(6);
    }

    @Test
    void entriesSentOverTheWireParseBackAndGarbageIsRefused() throws Exception {
        EncodedEntries batch = EncodedEntries.encode(TestEntries.batch("w", 4));
        var out = new java.io.ByteArrayOutputStream();
        batch.writeTo(out, 1, 3);
        byte[] bytes = out.toByteArray();
        EncodedEntries back = EncodedEntries.fromWire(bytes, 0, bytes.length, 2);
        assertThat(ids(back)).containsExactly("w-1", "w-2");
        assertThatThrownBy(() -> EncodedEntries.fromWire(bytes, 0, bytes.length - 1, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EncodedEntries.fromWire(bytes, 0, bytes.length, 3))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<LogEntry> write(Path dir, WalOptions options, int... sizes) throws IOException,
            InterruptedException, ExecutionException {
        List<LogEntry> written = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", options, (b, e) -> { })) {
            for (int i = 0; i < sizes.length; i++) {
                List<LogEntry> batch = TestEntries.batch("b" + i, sizes[i]);
                wal.append(batch).get();
                written.addAll(batch);
            }
        }
        return written;
    }

    private static List<String> ids(List<LogEntry> entries) {
        return entries.stream().map(LogEntry::id).toList();
    }
}
