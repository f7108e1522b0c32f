package io.timberdb.storage.wal;

import io.timberdb.storage.fs.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a WAL directory on open. Every record of every segment is decoded and handed to the
 * listener in sequence order. In the last segment the first invalid record (a short frame, an
 * impossible length, a CRC mismatch) marks a torn tail: it and everything after it is cut off,
 * since no acknowledged batch can lie past it (acknowledgement waits for the fsync of every
 * byte before it). When a valid record follows the invalid one, the cause is either damage in
 * place (a bit flip: the records after it may have been acknowledged) or a torn write whose
 * pages reached the disk out of order (they were not): recovery cannot tell, so it cuts the
 * tail as for a torn write, so that the shard serves, but first keeps the cut bytes in a
 * {@value #DAMAGED_SUFFIX}{@code <offset>} file beside the segment and logs an error naming it.
 * The same damage in an earlier segment cannot come from a crash (a segment is forced before the
 * next one starts): it fails with {@link CorruptWalException} and nothing is truncated.
 *
 * <p>Stateless; thread-safe (one call works on one directory, which nothing else may use meanwhile).
 */
final class WalRecovery {

    private static final Logger log = LoggerFactory.getLogger(WalRecovery.class);
    /** Suffix (then the offset) of the copy of a damaged tail cut from the last segment. */
    static final String DAMAGED_SUFFIX = ".damaged-";

    private WalRecovery() {
    }

    /**
     * What recovery found.
     *
     * @param nextSequence the sequence number the next appended entry gets
     * @param lastSegment the last segment, to append to, or null when the directory had none
     * @param lastSegmentFirstSequence the first sequence of {@code lastSegment}
     * @param lastSegmentSize the valid length of {@code lastSegment} after truncation
     */
    record Result(long nextSequence, Path lastSegment, long lastSegmentFirstSequence, long lastSegmentSize,
                  int segments, long records, long entries, long droppedBytes) {
    }

    static Result recover(Path dir, long startSequence, WriteAheadLog.Listener listener) throws IOException {
        List<Path> segments = listSegments(dir, true);
        long expected = segments.isEmpty() ? startSequence
                : WalFormat.parseSegmentName(segments.get(0).getFileName().toString());
        long records = 0;
        long entries = 0;
        long dropped = 0;
        long lastSize = 0;
        for (int i = 0; i < segments.size(); i++) {
            Path file = segments.get(i);
            boolean last = i == segments.size() - 1;
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                long fileSize = channel.size();
                ByteBuffer header = ByteBuffer.allocate(WalFormat.HEADER_SIZE);
                readFully(channel, header, 0);
                long first = WalFormat.decodeHeader(file, header.flip());
                long named = WalFormat.parseSegmentName(file.getFileName().toString());
                if (first != named || first != expected) {
                    throw new CorruptWalException(file, WalFormat.FIRST_SEQUENCE_OFFSET, "first sequence " + first
                            + " does not match the file name (" + named + ") or the previous segment (" + expected + ")");
                }
                long position = WalFormat.HEADER_SIZE;
                ByteBuffer frame = ByteBuffer.allocate(WalFormat.FRAME_HEADER_SIZE);
                while (position < fileSize) {
                    String invalid = null;
                    long available = fileSize - position - WalFormat.FRAME_HEADER_SIZE;
                    int length = 0;
                    if (available < 0) {
                        invalid = "torn frame header";
                    } else {
                        readFully(channel, frame.clear(), position);
                        length = frame.getInt(WalFormat.LENGTH_OFFSET);
                        if (length < WalFormat.MIN_PAYLOAD_LENGTH || length > WalFormat.MAX_PAYLOAD_LENGTH
                                || length > available) {
                            invalid = "invalid or torn record length " + Integer.toUnsignedString(length);
                        }
                    }
                    ByteBuffer payload = null;
                    if (invalid == null) {
                        payload = ByteBuffer.allocate(length);
                        readFully(channel, payload, position + WalFormat.FRAME_HEADER_SIZE);
                        payload.flip();
                        if (WalFormat.crc(payload, 0, length) != frame.getInt(WalFormat.CRC_OFFSET)) {
                            invalid = "record CRC mismatch";
                        }
                    }
                    if (invalid != null) {
                        if (!last) {
                            throw new CorruptWalException(file, position, invalid + " before the last segment");
                        }
                        long next = validRecordAfter(channel, position, fileSize, expected);
                        if (next >= 0) {
                            Path kept = keepDamagedTail(channel, file, position, fileSize);
                            log.error("WAL {}: {} at offset {}, and a valid record follows at offset {}: damage in place "
                                    + "(a bit flip) or a torn write whose pages reached the disk out of order. The entries "
                                    + "from offset {} on are cut; their bytes are kept in {}", file, invalid, position, next,
                                    position, kept);
                        }
                        dropped = fileSize - position;
                        channel.truncate(position);
                        channel.force(true);
                        log.warn("WAL {}: {} at offset {}; truncated the torn tail, dropping {} bytes",
                                file, invalid, position, dropped);
                        fileSize = position;
                        break;
                    }
                    BatchCodec.Batch batch = BatchCodec.decode(file, position + WalFormat.FRAME_HEADER_SIZE, payload);
                    if (batch.baseSequence() != expected) {
                        throw new CorruptWalException(file, position, "record starts at sequence "
                                + batch.baseSequence() + ", expected " + expected);
                    }
                    listener.onDurable(batch.baseSequence(), batch.entries());
                    expected += batch.entries().size();
                    entries += batch.entries().size();
                    records++;
                    position += WalFormat.FRAME_HEADER_SIZE + length;
                }
                lastSize = fileSize;
            }
        }
        Path last = segments.isEmpty() ? null : segments.get(segments.size() - 1);
        Result result = new Result(expected, last,
                last == null ? 0 : WalFormat.parseSegmentName(last.getFileName().toString()), lastSize,
                segments.size(), records, entries, dropped);
        log.info("WAL {}: replayed {} segment(s), {} record(s), {} entries; next sequence {}{}", dir,
                result.segments(), records, entries, expected, dropped > 0 ? "; dropped " + dropped + " bytes" : "");
        return result;
    }

    /**
     * Where a valid record starts after the invalid one at {@code invalidAt}, or -1. A torn write
     * whose pages reached the disk in order leaves nothing valid after it, so a valid record
     * further on means damage in place, or pages written out of order before a power loss. A
     * candidate must carry this format's batch version and a base sequence past {@code expected},
     * and then its CRC must match; the tail is read into memory once (it is at most one segment).
     */
    private static long validRecordAfter(FileChannel channel, long invalidAt, long fileSize, long expected)
            throws IOException {
        long tailLength = fileSize - invalidAt;
        if (tailLength <= WalFormat.FRAME_HEADER_SIZE + WalFormat.MIN_PAYLOAD_LENGTH || tailLength > Integer.MAX_VALUE) {
            return -1;
        }
        ByteBuffer tail = ByteBuffer.allocate((int) tailLength);
        readFully(channel, tail, invalidAt);
        int size = tail.position();
        for (int at = 1; at + WalFormat.FRAME_HEADER_SIZE + WalFormat.MIN_PAYLOAD_LENGTH <= size; at++) {
            int length = tail.getInt(at + WalFormat.LENGTH_OFFSET);
            int payload = at + WalFormat.FRAME_HEADER_SIZE;
            if (length < WalFormat.MIN_PAYLOAD_LENGTH || length > size - payload
                    || tail.get(payload + BatchCodec.VERSION_OFFSET) != BatchCodec.BATCH_VERSION) {
                continue;
            }
            long base = tail.getLong(payload + BatchCodec.BASE_SEQUENCE_OFFSET);
            if (base > expected && base - expected <= tailLength
                    && WalFormat.crc(tail, payload, length) == tail.getInt(at + WalFormat.CRC_OFFSET)) {
                return invalidAt + at;
            }
        }
        return -1;
    }

    /** Copies the segment's bytes from {@code from} on to a sibling file (fsynced), before they are truncated. */
    private static Path keepDamagedTail(FileChannel channel, Path file, long from, long size) throws IOException {
        Path kept = file.resolveSibling(file.getFileName() + DAMAGED_SUFFIX + from);
        try (FileChannel out = FileChannel.open(kept, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            long at = from;
            while (at < size) {
                at += channel.transferTo(at, size - at, out);
            }
            out.force(true);
        }
        Directories.sync(file.getParent());
        return kept;
    }

    /**
     * The segment files sorted by first sequence.
     *
     * @param recovering true when the log is being opened: temporaries of interrupted segment
     *        creations are then removed, and odd files reported. False on a live log, whose writer
     *        may be creating a segment through a temporary at this very moment: it must be left alone.
     */
    static List<Path> listSegments(Path dir, boolean recovering) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (WalFormat.parseSegmentName(name) >= 0) {
                    segments.add(file);
                } else if (!recovering) {
                    continue;
                } else if (name.endsWith(WalFormat.SEGMENT_SUFFIX + WalSegment.TEMP_SUFFIX)) {
                    log.info("WAL {}: removing {} left by an interrupted segment roll", dir, name);
                    Files.delete(file);
                } else if (name.contains(DAMAGED_SUFFIX)) {
                    log.warn("WAL {}: {} holds a damaged tail cut from a segment; inspect it, then delete it", dir, name);
                } else {
                    log.warn("WAL {}: ignoring {}, not a segment file", dir, name);
                }
            }
        }
        segments.sort(Comparator.comparingLong(f -> WalFormat.parseSegmentName(f.getFileName().toString())));
        return segments;
    }

    static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
        long at = position;
        while (dst.hasRemaining()) {
            int n = channel.read(dst, at);
            if (n < 0) {
                return; // callers check sizes first; a short header is reported by decodeHeader
            }
            at += n;
        }
    }
}
