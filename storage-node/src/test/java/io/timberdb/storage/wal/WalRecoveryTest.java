package io.timberdb.storage.wal;

import static io.timberdb.storage.wal.TestEntries.batch;
import static io.timberdb.storage.wal.TestEntries.replay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery keeps every complete record, cuts a torn tail, and refuses what a crash cannot explain. */
class WalRecoveryTest {

    @TempDir
    Path dir;

    /** Writes three batches (1, 2, 3 entries); returns the segment and the end offset of each record. */
    private long[] writeThreeBatches() throws Exception {
        long[] ends = new long[3];
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            for (int i = 0; i < 3; i++) {
                wal.append(batch("b" + i, i + 1)).get(10, TimeUnit.SECONDS);
                ends[i] = Files.size(segment0());
            }
        }
        return ends;
    }

    private Path segment0() {
        return dir.resolve(WalFormat.segmentName(0));
    }

    private static void truncate(Path file, long size) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(size);
        }
    }

    @Test
    void recoversToLastValidRecordAfterTornWriteAtEveryCutPoint() throws Exception {
        long[] ends = writeThreeBatches();
        byte[] original = Files.readAllBytes(segment0());
        for (long cut = ends[1] + 1; cut < ends[2]; cut++) {
            Files.write(segment0(), original);
            truncate(segment0(), cut);
            List<LogEntry> replayed = replay(dir);
            assertThat(replayed).as("cut at %d", cut).hasSize(3);
            assertThat(Files.size(segment0())).as("tail truncated at the last complete record").isEqualTo(ends[1]);
        }
    }

    @Test
    void appendsContinueAfterTheTruncatedTail() throws Exception {
        long[] ends = writeThreeBatches();
        truncate(segment0(), ends[2] - 3);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { })) {
            assertThat(wal.nextSequence()).isEqualTo(3);
            assertThat(wal.append(batch("again", 2)).get(10, TimeUnit.SECONDS)).isEqualTo(3L);
        }
        List<LogEntry> replayed = replay(dir);
        assertThat(replayed).extracting(LogEntry::id).containsExactly("b0-0", "b1-0", "b1-1", "again-0", "again-1");
    }

    @Test
    void truncatesJunkAppendedAfterTheLastRecord() throws Exception {
        long[] ends = writeThreeBatches();
        byte[] junk = new byte[777];
        new Random(42).nextBytes(junk);
        Files.write(segment0(), junk, StandardOpenOption.APPEND);
        assertThat(replay(dir)).hasSize(6);
        assertThat(Files.size(segment0())).isEqualTo(ends[2]);
    }

    @Test
    void truncatesAZeroFilledTail() throws Exception {
        long[] ends = writeThreeBatches();
        Files.write(segment0(), new byte[4096], StandardOpenOption.APPEND);
        assertThat(replay(dir)).hasSize(6);
        assertThat(Files.size(segment0())).isEqualTo(ends[2]);
    }

    @Test
    void aCorruptedLastRecordIsDroppedByItsCrc() throws Exception {
        long[] ends = writeThreeBatches();
        flipByte(segment0(), ends[2] - 5);
        assertThat(replay(dir)).extracting(LogEntry::id).containsExactly("b0-0", "b1-0", "b1-1");
        assertThat(Files.size(segment0())).isEqualTo(ends[1]);
    }

    @Test
    void rejectsAnAllJunkFileAndLeavesItUntouched() throws Exception {
        byte[] junk = new byte[4096];
        new Random(7).nextBytes(junk);
        Files.write(segment0(), junk);
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("bad magic");
        assertThat(Files.readAllBytes(segment0())).isEqualTo(junk);
    }

    @Test
    void rejectsAFileShorterThanTheHeader() throws Exception {
        Files.write(segment0(), new byte[] {'T', 'W', 'A'});
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptWalException.class)
                .satisfies(e -> assertThat(((CorruptWalException) e).file()).isEqualTo(segment0()));
    }

    @Test
    void rejectsABadMagic() throws Exception {
        writeThreeBatches();
        flipByte(segment0(), 0);
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptWalException.class).hasMessageContaining("magic");
    }

    @Test
    void rejectsADamagedHeader() throws Exception {
        writeThreeBatches();
        flipByte(segment0(), WalFormat.FLAGS_OFFSET);
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptWalException.class).hasMessageContaining("header CRC");
    }

    @Test
    void rejectsAnUnknownFormatVersion() throws Exception {
        ByteBuffer header = WalFormat.encodeHeader(0);
        header.putShort(WalFormat.VERSION_OFFSET, (short) 99);
        header.putInt(WalFormat.HEADER_CRC_OFFSET, WalFormat.crc(header, 0, WalFormat.HEADER_CRC_OFFSET));
        Files.write(segment0(), header.array());
        assertThatThrownBy(() -> replay(dir)).isInstanceOfSatisfying(UnsupportedWalVersionException.class,
                e -> assertThat(e.version()).isEqualTo(99));
    }

    @Test
    void rejectsARecordOfAnUnknownBatchVersionInsteadOfTruncatingIt() throws Exception {
        long[] ends = writeThreeBatches();
        // rewrite the last record's batch version to 2 and fix its CRC: a newer writer's record
        try (FileChannel channel = FileChannel.open(segment0(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            int length = (int) (ends[2] - ends[1] - WalFormat.FRAME_HEADER_SIZE);
            ByteBuffer payload = ByteBuffer.allocate(length);
            channel.read(payload, ends[1] + WalFormat.FRAME_HEADER_SIZE);
            payload.put(0, (byte) 2);
            ByteBuffer crc = ByteBuffer.allocate(4).putInt(0, WalFormat.crc(payload, 0, length));
            channel.write(payload.rewind(), ends[1] + WalFormat.FRAME_HEADER_SIZE);
            channel.write(crc, ends[1] + WalFormat.CRC_OFFSET);
        }
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(UnsupportedWalVersionException.class);
        assertThat(Files.size(segment0())).isEqualTo(ends[2]);
    }

    @Test
    void rejectsDamageBeforeTheLastSegmentWithoutTruncatingAnything() throws Exception {
        WalOptions small = new WalOptions(FsyncPolicy.PER_BATCH, 16, 300);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", small, (b, e) -> { })) {
            for (int i = 0; i < 10; i++) {
                wal.append(batch("s" + i, 2)).get(10, TimeUnit.SECONDS);
            }
        }
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(1);
        long size = Files.size(segments.get(0));
        flipByte(segments.get(0), size - 2);
        assertThatThrownBy(() -> replay(dir)).isInstanceOfSatisfying(CorruptWalException.class,
                e -> assertThat(e.file()).isEqualTo(segments.get(0)));
        assertThat(Files.size(segments.get(0))).isEqualTo(size);
        assertThat(segments()).isEqualTo(segments);
    }

    @Test
    void rejectsAMissingSegmentInTheMiddle() throws Exception {
        WalOptions small = new WalOptions(FsyncPolicy.PER_BATCH, 16, 300);
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", small, (b, e) -> { })) {
            for (int i = 0; i < 10; i++) {
                wal.append(batch("s" + i, 2)).get(10, TimeUnit.SECONDS);
            }
        }
        List<Path> segments = segments();
        assertThat(segments).hasSizeGreaterThan(2);
        Files.delete(segments.get(1));
        assertThatThrownBy(() -> replay(dir)).isInstanceOf(CorruptWalException.class)
                .hasMessageContaining("first sequence");
    }

    @Test
    void removesTheTemporaryFileOfAnInterruptedRoll() throws Exception {
        writeThreeBatches();
        Path temp = dir.resolve(WalFormat.segmentName(6) + WalSegment.TEMP_SUFFIX);
        Files.write(temp, new byte[5]);
        assertThat(replay(dir)).hasSize(6);
        assertThat(temp).doesNotExist();
    }

    private List<Path> segments() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return new ArrayList<>(files.sorted().toList());
        }
    }

    private static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) (one.get(0) ^ 0x5A));
            channel.write(one.rewind(), offset);
        }
    }
}
