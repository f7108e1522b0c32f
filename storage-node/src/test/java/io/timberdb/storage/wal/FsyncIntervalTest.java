package io.timberdb.storage.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FsyncIntervalTest {

    @TempDir
    Path dir;

    @Test
    void acknowledgesWithoutForcingAndForcesOncePerIntervalAndOnClose() throws Exception {
        WalOptions hourly = new WalOptions(FsyncPolicy.INTERVAL, 64, WalOptions.DEFAULTS.segmentBytes(), Duration.ofHours(1));
        WriteAheadLog wal = WriteAheadLog.open(dir, "t", hourly, (b, e) -> { });
        for (int i = 0; i < 10; i++) {
            wal.append(SegmentDeletionTest.batch(i * 5, 5)).join();
        }
        assertThat(wal.intervalForces()).as("acknowledged before any force").isZero();
        wal.close();
        assertThat(wal.intervalForces()).as("forced once when closing").isEqualTo(1);

        List<Long> replayed = new ArrayList<>();
        try (WriteAheadLog reopened = WriteAheadLog.open(dir, "t", hourly, (b, e) -> replayed.add(b))) {
            assertThat(replayed).hasSize(10);
        }
    }

    @Test
    void anIdleWriterForcesWhatItWrote() throws Exception {
        WalOptions quick = new WalOptions(FsyncPolicy.INTERVAL, 64, WalOptions.DEFAULTS.segmentBytes(), Duration.ofMillis(20));
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", quick, (b, e) -> { })) {
            wal.append(SegmentDeletionTest.batch(0, 5)).join();
            await().atMost(Duration.ofSeconds(5)).until(() -> wal.intervalForces() >= 1);
        }
    }
}
