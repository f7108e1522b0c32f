package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bit flipped anywhere in a WAL is never returned as data. A damaged segment header is refused.
 * A damaged record is cut with everything after it, so exactly the entries before it replay; when
 * valid records follow it (not a plain torn tail), the cut bytes are kept beside the segment.
 */
class WalBitFlipTest {

    @TempDir
    Path dir;

    @Test
    void aFlippedBitIsDetectedNeverReturned() throws Exception {
        Path original = dir.resolve("original");
        List<LogEntry> written = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(original, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            for (int i = 0; i < 20; i++) {
                List<LogEntry> batch = TestEntries.batch("b" + i, 1 + i % 3);
                wal.append(batch).join();
                written.addAll(batch);
            }
        }
        Path segment = original.resolve(WalFormat.segmentName(0));
        byte[] bytes = Files.readAllBytes(segment);
        long lastRecord = lastRecordOffset(bytes);
        Random random = new Random(42);
        int refused = 0;
        int cut = 0;
        for (int trial = 0; trial < 300; trial++) {
            int bit = random.nextInt(bytes.length * 8);
            Path copy = Files.createDirectories(dir.resolve("trial-" + trial));
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(copy.resolve(WalFormat.segmentName(0)), flipped);
            int damaged = recordAt(bytes, bit / 8);
            try {
                List<LogEntry> replayed = TestEntries.replay(copy);
                assertThat(damaged).as("bit %d: a damaged header is refused", bit).isNotNegative();
                assertThat(replayed).as("bit %d: every entry before the damaged record, nothing after", bit)
                        .isEqualTo(written.subList(0, entriesBefore(damaged)));
                boolean last = bit / 8 >= lastRecord;
                try (var files = Files.list(copy)) {
                    assertThat(files.anyMatch(f -> f.getFileName().toString().contains(WalRecovery.DAMAGED_SUFFIX)))
                            .as("bit %d: the cut bytes are kept when valid records followed", bit).isEqualTo(!last);
                }
                cut++;
            } catch (CorruptWalException e) {
                assertThat(damaged).as("bit %d: only a damaged header is refused", bit).isNegative();
                refused++;
            }
        }
        assertThat(refused).as("trials refused (damaged header)").isPositive();
        assertThat(cut).as("trials cut").isPositive();
    }

    /** Which record (0-based) holds byte {@code offset}, or -1 for the segment header. */
    private static int recordAt(byte[] segment, int offset) {
        ByteBuffer in = ByteBuffer.wrap(segment);
        int at = WalFormat.HEADER_SIZE;
        for (int record = 0; at < segment.length; record++) {
            int next = at + WalFormat.FRAME_HEADER_SIZE + in.getInt(at + WalFormat.LENGTH_OFFSET);
            if (offset < next) {
                return offset < at ? -1 : record;
            }
            at = next;
        }
        return offset < WalFormat.HEADER_SIZE ? -1 : Integer.MAX_VALUE;
    }

    /** Entries in batches 0..record-1 of the test's log (batch i holds 1 + i % 3 entries). */
    private static int entriesBefore(int record) {
        int n = 0;
        for (int i = 0; i < record; i++) {
            n += 1 + i % 3;
        }
        return n;
    }

    /** Where the segment's last record starts (frames: u32 length, u32 CRC, payload). */
    private static long lastRecordOffset(byte[] segment) {
        ByteBuffer in = ByteBuffer.wrap(segment);
        int at = WalFormat.HEADER_SIZE;
        int last = at;
        while (at < segment.length) {
            last = at;
            at += WalFormat.FRAME_HEADER_SIZE + in.getInt(at + WalFormat.LENGTH_OFFSET);
        }
        return last;
    }
}
