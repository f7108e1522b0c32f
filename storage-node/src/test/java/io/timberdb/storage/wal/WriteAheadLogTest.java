package io.timberdb.storage.wal;

import static io.timberdb.storage.wal.TestEntries.batch;
import static io.timberdb.storage.wal.TestEntries.replay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteAheadLogTest {

    @TempDir
    Path dir;

    @Test
    void appendedBatchesAreReplayedInOrderAfterReopen() throws Exception {
        List<LogEntry> written = new ArrayList<>();
        List<LogEntry> seenLive = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> seenLive.addAll(e))) {
            for (int i = 0; i < 5; i++) {
                List<LogEntry> batch = batch("b" + i, i + 1);
                assertThat(wal.append(batch).get(10, TimeUnit.SECONDS)).isEqualTo(written.size());
                written.addAll(batch);
            }
            assertThat(wal.nextSequence()).isEqualTo(15);
        }
        assertThat(seenLive).containsExactlyElementsOf(written);
        assertThat(replay(dir)).containsExactlyElementsOf(written);
    }

    @Test
    void sequenceNumbersContinueAfterReopen() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            wal.append(batch("a", 3)).get(10, TimeUnit.SECONDS);
        }
        List<Long> bases = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> bases.add(b))) {
            assertThat(wal.nextSequence()).isEqualTo(3);
            assertThat(wal.append(batch("b", 2)).get(10, TimeUnit.SECONDS)).isEqualTo(3L);
        }
        assertThat(bases).containsExactly(0L, 3L);
        assertThat(replay(dir)).hasSize(5);
    }

    @Test
    void rollsToANewSegmentNamedByItsFirstSequenceAtTheConfiguredSize() throws Exception {
        WalOptions small = new WalOptions(FsyncPolicy.PER_BATCH, 16, 512);
        List<LogEntry> written = new ArrayList<>();
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", small, (b, e) -> { })) {
            for (int i = 0; i < 20; i++) {
                List<LogEntry> batch = batch("r" + i, 2);
                wal.append(batch).get(10, TimeUnit.SECONDS);
                written.addAll(batch);
            }
        }
        List<String> segments;
        try (Stream<Path> files = Files.list(dir)) {
            segments = files.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(segments).hasSizeGreaterThan(3).allMatch(name -> name.matches("\\d{20}\\.wal"));
        assertThat(segments.get(0)).isEqualTo("00000000000000000000.wal");
        for (String segment : segments) {
            long first = Long.parseLong(segment.substring(0, 20));
            assertThat(first % 2).as("segments start at batch boundaries").isZero();
            assertThat(Files.size(dir.resolve(segment))).isLessThanOrEqualTo(512);
        }
        assertThat(replay(dir)).containsExactlyElementsOf(written);
    }

    @Test
    void aBatchLargerThanASegmentGetsASegmentOfItsOwn() throws Exception {
        WalOptions small = new WalOptions(FsyncPolicy.PER_BATCH, 16, 256);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", small, (b, e) -> { })) {
            wal.append(batch("small", 1)).get(10, TimeUnit.SECONDS);
            wal.append(batch("big", 20)).get(10, TimeUnit.SECONDS);
            wal.append(batch("after", 1)).get(10, TimeUnit.SECONDS);
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly(WalFormat.segmentName(0), WalFormat.segmentName(1), WalFormat.segmentName(21));
        }
        assertThat(replay(dir)).hasSize(22);
    }

    @Test
    void emptyBatchCompletesWithoutWritingARecord() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            assertThat(wal.append(List.of()).get(10, TimeUnit.SECONDS)).isZero();
        }
        assertThat(Files.size(dir.resolve(WalFormat.segmentName(0)))).isEqualTo(WalFormat.HEADER_SIZE);
    }

    @Test
    void appendAfterCloseFailsAsUnavailable() throws Exception {
        WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { });
        wal.close();
        wal.close();
        assertThatThrownBy(() -> wal.append(batch("late", 1)).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(TimberException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
    }

    @Test
    void fsyncPolicyNeverStillWritesEveryBatch() throws Exception {
        WalOptions never = new WalOptions(FsyncPolicy.NONE, 16, WalOptions.DEFAULTS.segmentBytes());
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", never, (b, e) -> { })) {
            wal.append(batch("n", 3)).get(10, TimeUnit.SECONDS);
        }
        assertThat(replay(dir)).hasSize(3);
    }

    @Test
    void createsMissingParentDirectories() throws Exception {
        Path nested = dir.resolve("shards/p/0/wal");
        WriteAheadLog.open(nested, "t", WalOptions.DEFAULTS, (b, e) -> { }).close();
        assertThat(nested.resolve(WalFormat.segmentName(0))).isRegularFile();
    }
}
