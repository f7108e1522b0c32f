package io.timberdb.storage.manifest;

import io.timberdb.storage.fs.Directories;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A shard's {@code MANIFEST} on disk, replaced atomically: a save writes
 * {@code MANIFEST.<generation>.tmp}, forces it, renames it over {@code MANIFEST} and forces the
 * directory. A crash at any instant leaves either the old manifest or the new one, never a mix;
 * a stray temporary file is removed by the next {@link #load}.
 *
 * <p>Not thread-safe: one shard's sealer saves, one at a time.
 */
public final class ManifestFile {

    static final String NAME = "MANIFEST";
    private static final String TMP_SUFFIX = ".tmp";

    private final Path dir;
    private final CrashPoints crashPoints;

    public ManifestFile(Path dir) {
        this(dir, CrashPoints.NONE);
    }

    /** A manifest file whose saves call {@code crashPoints} before each step (tests inject crashes there). */
    public ManifestFile(Path dir, CrashPoints crashPoints) {
        this.dir = dir;
        this.crashPoints = crashPoints;
    }

    /** Injected crash points, for tests: each named step may throw to simulate a crash right there. */
    @FunctionalInterface
    public interface CrashPoints {
        CrashPoints NONE = step -> { };

        /** Called before {@code step}; throws to crash there. */
        void before(String step);
    }

    /**
     * Reads the manifest; {@link Manifest#EMPTY} when the shard never sealed a block.
     *
     * @throws CorruptManifestException when the file exists but cannot be trusted
     */
    public Manifest load() throws IOException {
        try (DirectoryStream<Path> tmp = Files.newDirectoryStream(dir, NAME + ".*" + TMP_SUFFIX)) {
            for (Path stray : tmp) {
                Files.deleteIfExists(stray); // a save that crashed before its rename
            }
        } catch (NoSuchFileException e) {
            return Manifest.EMPTY;
        }
        try {
            return ManifestFormat.decode(Files.readAllBytes(dir.resolve(NAME)), dir.resolve(NAME).toString());
        } catch (NoSuchFileException e) {
            return Manifest.EMPTY;
        }
    }

    /** Replaces the manifest with {@code manifest}, atomically and durably. */
    public void save(Manifest manifest) throws IOException {
        Directories.createDurably(dir);
        Path tmp = dir.resolve(NAME + "." + manifest.generation() + TMP_SUFFIX);
        crashPoints.before("write-temp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            ByteBuffer bytes = ByteBuffer.wrap(ManifestFormat.encode(manifest));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            crashPoints.before("force-temp");
            ch.force(true);
        }
        crashPoints.before("rename");
        Files.move(tmp, dir.resolve(NAME), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        crashPoints.before("force-directory");
        Directories.sync(dir);
    }
}
