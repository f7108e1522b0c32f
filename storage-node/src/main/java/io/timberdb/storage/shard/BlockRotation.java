package io.timberdb.storage.shard;

import java.time.Duration;
import java.util.Locale;

/**
 * When the active block of a shard is sealed into a block file: the spec's {@code block_rotation}
 * of type {@code time} (seconds since the block's first entry), {@code size} (bytes of entry
 * data held) or {@code count} (entries). Whatever the type, a block is also sealed when it
 * holds {@link #MAX_ACTIVE_BYTES}: the active block lives in memory, and this bounds it.
 *
 * @param type what {@code value} measures
 * @param value seconds, bytes or entries
 */
public record BlockRotation(Type type, long value) {

    /** The memory bound of one active block, whatever the rotation. */
    public static final long MAX_ACTIVE_BYTES = 64L << 20;

    /** The default: seal every 32 MiB of entry data. */
    public static final BlockRotation DEFAULT = new BlockRotation(Type.SIZE, 32L << 20);

    /** What a rotation counts. */
    public enum Type { TIME, SIZE, COUNT }

    public BlockRotation {
        if (type == null || value < 1) {
            throw new IllegalArgumentException("block rotation needs a type (time, size, count) and a value ≥ 1");
        }
    }

    /** Parses the spec's form: type {@code time|size|count} and its value. */
    public static BlockRotation of(String type, long value) {
        return new BlockRotation(Type.valueOf(type.trim().toUpperCase(Locale.ROOT)), value);
    }

    /** Whether an active block with these figures is due to be sealed. */
    boolean due(int entries, long bytes, Duration age) {
        if (entries == 0) {
            return false;
        }
        if (bytes >= MAX_ACTIVE_BYTES) {
            return true;
        }
        return switch (type) {
            case TIME -> age.toSeconds() >= value;
            case SIZE -> bytes >= value;
            case COUNT -> entries >= value;
        };
    }
}
