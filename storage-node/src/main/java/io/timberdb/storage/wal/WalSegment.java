package io.timberdb.storage.wal;

import io.timberdb.storage.fs.Directories;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * One segment file open for appending. Created complete: the header is written and forced to a
 * temporary file that is then renamed into place, so a segment file with its final name always
 * has a whole header and a crash can only leave a torn record tail, never a torn header.
 *
 * <p>Not thread-safe: only the log's writer thread uses an open segment.
 */
final class WalSegment implements Closeable {

    static final String TEMP_SUFFIX = ".tmp";

    private final Path file;
    private final long firstSequence;
    private final FileChannel channel;
    private long size;

    private WalSegment(Path file, long firstSequence, FileChannel channel, long size) {
        this.file = file;
        this.firstSequence = firstSequence;
        this.channel = channel;
        this.size = size;
    }

    /** Creates a new, empty segment whose first entry will be {@code firstSequence}. */
    static WalSegment create(Path dir, long firstSequence) throws IOException {
        Path file = dir.resolve(WalFormat.segmentName(firstSequence));
        Path temp = dir.resolve(file.getFileName() + TEMP_SUFFIX);
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer header = WalFormat.encodeHeader(firstSequence);
            while (header.hasRemaining()) {
                out.write(header);
            }
            out.force(true);
        }
        Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        Directories.sync(dir);
        return openForAppend(file, firstSequence, WalFormat.HEADER_SIZE);
    }

    /** Opens an existing, recovered segment to append after its first {@code validSize} bytes. */
    static WalSegment openForAppend(Path file, long firstSequence, long validSize) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE);
        try {
            channel.position(validSize);
            return new WalSegment(file, firstSequence, channel, validSize);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Appends the buffers' remaining bytes in order. */
    void write(ByteBuffer[] buffers) throws IOException {
        long expected = 0;
        for (ByteBuffer b : buffers) {
            expected += b.remaining();
        }
        long written = 0;
        while (written < expected) {
            written += channel.write(buffers);
        }
        size += written;
    }

    /** Forces the written bytes (and the file length) to disk: {@code fdatasync}. */
    void force() throws IOException {
        channel.force(false);
    }

    Path file() {
        return file;
    }

    long firstSequence() {
        return firstSequence;
    }

    /** Bytes in the file, header included. */
    long size() {
        return size;
    }

    /** Whether no record has been written to this segment yet. */
    boolean isEmpty() {
        return size <= WalFormat.HEADER_SIZE;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
