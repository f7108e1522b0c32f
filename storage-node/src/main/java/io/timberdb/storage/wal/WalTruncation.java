package io.timberdb.storage.wal;

import io.timberdb.storage.fs.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cuts a closed WAL back to a sequence: what a follower does to the entries its former leader
 * wrote but never committed, before it copies the new leader's. Segments that start at or after
 * the cut are deleted; in the segment holding the cut, the file is truncated at the start of the
 * record holding it, and when the cut falls inside that record, the record's first entries are
 * written back as a record of their own. Everything is forced before the call returns, so a crash
 * leaves either the old log or a log that ends at the cut (or, between the truncation and the
 * rewrite of a split record, one that ends at that record's start: a shorter log, which the
 * follower's next fetch fills again from its leader).
 *
 * <p>The log must be closed (no writer) while this runs. Stateless.
 */
public final class WalTruncation {

    private static final Logger log = LoggerFactory.getLogger(WalTruncation.class);

    private WalTruncation() {
    }

    /**
     * Cuts the log in {@code dir} so that its next sequence is at most {@code cut}; a log that
     * ends before {@code cut} is left as it is.
     *
     * @return the log's next sequence afterwards
     * @throws CorruptWalException when a segment is damaged before the cut (the log was recovered
     *         when it was last opened, so this means damage since)
     */
    public static long truncate(Path dir, long cut) throws IOException {
        List<Path> segments = WalRecovery.listSegments(dir, true);
        long next = -1;
        boolean changed = false;
        for (int i = segments.size() - 1; i >= 0; i--) {
            Path file = segments.get(i);
            long first = WalFormat.parseSegmentName(file.getFileName().toString());
            if (first >= cut && i > 0) {
                Files.delete(file); // wholly past the cut; the first segment stays to keep the numbering
                changed = true;
                continue;
            }
            next = cutSegment(file, first, cut);
            changed |= next >= 0;
            if (next < 0) {
                next = endOf(file, first);
            }
            break;
        }
        if (changed) {
            Directories.sync(dir);
            log.info("WAL {}: cut back to sequence {}", dir, next);
        }
        return next;
    }

    /** Cuts one segment at {@code cut}; -1 when it ends at or before the cut (nothing to do). */
    private static long cutSegment(Path file, long first, long cut) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = channel.size();
            long position = WalFormat.HEADER_SIZE;
            long sequence = first;
            ByteBuffer frame = ByteBuffer.allocate(WalFormat.FRAME_HEADER_SIZE);
            while (position < size) {
                WalRecovery.readFully(channel, frame.clear(), position);
                int length = frame.getInt(WalFormat.LENGTH_OFFSET);
                if (length < WalFormat.MIN_PAYLOAD_LENGTH || length > size - position - WalFormat.FRAME_HEADER_SIZE) {
                    throw new CorruptWalException(file, position, "invalid record length while cutting the log");
                }
                ByteBuffer payload = ByteBuffer.allocate(length);
                WalRecovery.readFully(channel, payload, position + WalFormat.FRAME_HEADER_SIZE);
                payload.flip();
                BatchCodec.Batch batch = BatchCodec.decode(file, position + WalFormat.FRAME_HEADER_SIZE, payload);
                long end = batch.baseSequence() + batch.entries().size();
                if (end > cut) {
                    channel.truncate(position);
                    long kept = Math.max(0, cut - batch.baseSequence());
                    if (kept > 0) {
                        List<ByteBuffer> buffers = new ArrayList<>(2);
                        WriteAheadLog.addFrame(buffers, batch.baseSequence(), batch.entries().range(0, (int) kept));
                        channel.position(position);
                        for (ByteBuffer b : buffers) {
                            while (b.hasRemaining()) {
                                channel.write(b);
                            }
                        }
                    }
                    channel.force(true);
                    return batch.baseSequence() + kept;
                }
                sequence = end;
                position += WalFormat.FRAME_HEADER_SIZE + length;
            }
            return sequence > cut ? cut : -1;
        }
    }

    /** The next sequence of a segment that the cut does not reach. */
    private static long endOf(Path file, long first) throws IOException {
        long[] end = {first};
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long position = WalFormat.HEADER_SIZE;
            ByteBuffer frame = ByteBuffer.allocate(WalFormat.FRAME_HEADER_SIZE + BatchCodec.ENTRIES_OFFSET);
            while (position + frame.capacity() <= size) {
                WalRecovery.readFully(channel, frame.clear(), position);
                int length = frame.getInt(WalFormat.LENGTH_OFFSET);
                end[0] = frame.getLong(WalFormat.FRAME_HEADER_SIZE + BatchCodec.BASE_SEQUENCE_OFFSET)
                        + frame.getInt(WalFormat.FRAME_HEADER_SIZE + BatchCodec.COUNT_OFFSET);
                position += WalFormat.FRAME_HEADER_SIZE + (long) length;
            }
        }
        return end[0];
    }
}
