package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bit flipped anywhere in a WAL is never returned as data: recovery either refuses the log
 * ({@link CorruptWalException} or {@link UnsupportedWalVersionException}) or replays a prefix of
 * exactly the entries that were written (the damaged record and what follows it are cut as a
 * torn tail).
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
        Random random = new Random(42);
        for (int trial = 0; trial < 300; trial++) {
            int bit = random.nextInt(bytes.length * 8);
            Path copy = Files.createDirectories(dir.resolve("trial-" + trial));
            byte[] flipped = bytes.clone();
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            Files.write(copy.resolve(WalFormat.segmentName(0)), flipped);
            List<LogEntry> replayed;
            try {
                replayed = TestEntries.replay(copy);
            } catch (CorruptWalException | UnsupportedWalVersionException e) {
                continue; // refused: detected
            } catch (IOException e) {
                throw new AssertionError("bit " + bit + ": unexpected I/O failure", e);
            }
            assertThat(replayed).as("bit %d: a prefix of what was written", bit)
                    .isEqualTo(written.subList(0, replayed.size()));
            assertThat(replayed.size()).as("bit %d: the damaged record is cut", bit).isLessThan(written.size());
        }
    }
}
