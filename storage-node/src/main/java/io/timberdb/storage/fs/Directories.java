package io.timberdb.storage.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Durable directory operations: a new file or directory is only durable once the directory
 * that names it has been fsynced. Stateless; thread-safe.
 */
public final class Directories {

    private static final boolean CAN_SYNC_DIRECTORIES =
            !System.getProperty("os.name", "").toLowerCase().startsWith("windows");

    private Directories() {
    }

    /** Creates {@code dir} and any missing parents, fsyncing the parent of each one created. */
    public static void createDurably(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        for (Path p = absolute; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.push(p);
        }
        while (!missing.isEmpty()) {
            Path created = missing.pop();
            Files.createDirectories(created);
            sync(created.getParent());
        }
    }

    /** Forces a directory's entries (names of created, renamed or deleted files) to disk. */
    public static void sync(Path dir) throws IOException {
        if (!CAN_SYNC_DIRECTORIES || dir == null) {
            return; // Windows cannot open a directory as a channel; NTFS journals metadata itself
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /**
     * Replaces {@code file} with {@code content} so that a crash leaves the old or the new content,
     * never a mix: written to a temporary sibling, forced, renamed over the file, and the directory
     * synced.
     */
    public static void replaceDurably(Path file, byte[] content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(temp,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                java.nio.file.StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        }
        java.nio.file.Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        sync(file.getParent());
    }
}
