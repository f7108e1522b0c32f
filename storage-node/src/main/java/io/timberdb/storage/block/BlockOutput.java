package io.timberdb.storage.block;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A buffered, position-tracking writer of a new block file that keeps a running CRC32C of every
 * byte written (the footer's whole-file CRC).
 *
 * <p>Not thread-safe: one block writer owns it.
 */
final class BlockOutput implements Closeable {

    private static final int BUFFER_SIZE = 256 * 1024;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
    private final CRC32C crc = new CRC32C();
    private long position;

    private BlockOutput(FileChannel channel) {
        this.channel = channel;
    }

    /** Creates (or truncates a leftover) {@code file}. */
    static BlockOutput create(Path file) throws IOException {
        return new BlockOutput(FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE));
    }

    void write(byte[] bytes) throws IOException {
        write(bytes, 0, bytes.length);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        crc.update(bytes, offset, length);
        position += length;
        if (length > buffer.remaining()) {
            flush();
            if (length >= BUFFER_SIZE) {
                writeFully(ByteBuffer.wrap(bytes, offset, length));
                return;
            }
        }
        buffer.put(bytes, offset, length);
    }

    /** Bytes written so far: the offset the next byte will have. */
    long position() {
        return position;
    }

    /** CRC32C of everything written so far. */
    int crc() {
        return (int) crc.getValue();
    }

    /** Writes out the buffer and forces the file's content and metadata to the device. */
    void force() throws IOException {
        flush();
        channel.force(true);
    }

    private void flush() throws IOException {
        buffer.flip();
        writeFully(buffer);
        buffer.clear();
    }

    private void writeFully(ByteBuffer source) throws IOException {
        while (source.hasRemaining()) {
            channel.write(source);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
