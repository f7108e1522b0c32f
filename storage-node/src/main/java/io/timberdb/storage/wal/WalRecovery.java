package io.timberdb.storage.wal;

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
 * byte before it). The same damage in an earlier segment cannot come from a crash, so it fails
 * with {@link CorruptWalException} and nothing is truncated.
 *
 * <p>Stateless; thread-safe (one call works on one directory, which nothing else may use meanwhile).
 */
final class WalRecovery {

    private static final Logger log = LoggerFactory.getLogger(WalRecovery.class);

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
        List<Path> segments = listSegments(dir);
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

    /** The segment files sorted by first sequence; removes temporaries of interrupted segment creations. */
    static List<Path> listSegments(Path dir) throws IOException {
        List<Path> segments = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(WalFormat.SEGMENT_SUFFIX + WalSegment.TEMP_SUFFIX)) {
                    log.info("WAL {}: removing {} left by an interrupted segment roll", dir, name);
                    Files.delete(file);
                } else if (WalFormat.parseSegmentName(name) >= 0) {
                    segments.add(file);
                } else {
                    log.warn("WAL {}: ignoring {}, not a segment file", dir, name);
                }
            }
        }
        segments.sort(Comparator.comparingLong(f -> WalFormat.parseSegmentName(f.getFileName().toString())));
        return segments;
    }

    private static void readFully(FileChannel channel, ByteBuffer dst, long position) throws IOException {
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
