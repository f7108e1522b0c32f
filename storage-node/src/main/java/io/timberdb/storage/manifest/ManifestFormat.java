package io.timberdb.storage.manifest;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of a shard's {@code MANIFEST} file. Big-endian throughout.
 *
 * <h2>File</h2>
 * <pre>
 *  offset  width  type  field
 *  0       4      u32   magic 0x544D414E ("TMAN")
 *  4       2      u16   format version ({@link #CURRENT_VERSION})
 *  6       2      u16   flags, reserved, always 0
 *  8       8      u64   generation
 *  16      8      u64   sealed-through sequence
 *  24      4      u32   block count n
 *  28      ...          n block records (below)
 *  end-4   4      u32   CRC32C of every byte before it
 * </pre>
 *
 * <h2>Block record</h2>
 * <pre>
 *  width  type  field
 *  2      u16   name length L (bytes of UTF-8)
 *  L      utf8  file name
 *  8      u64   first sequence
 *  8      u64   end sequence (exclusive)
 *  8      i64   min timestamp, epoch seconds
 *  4      u32   min timestamp, nano adjustment
 *  8      i64   max timestamp, epoch seconds
 *  4      u32   max timestamp, nano adjustment
 *  4      u32   entry count
 *  8      u64   file size in bytes
 *  1      u8    codec id
 *  1      u8    state: 0 readable, 1 quarantined
 * </pre>
 *
 * <h2>Version history</h2>
 * <ul>
 *   <li>1 — initial format.</li>
 * </ul>
 *
 * <p>Stateless; thread-safe.
 */
final class ManifestFormat {

    static final int MAGIC = 0x544D414E;
    static final int MIN_SUPPORTED_VERSION = 1;
    static final int CURRENT_VERSION = 1;

    static final int MAGIC_OFFSET = 0;
    static final int VERSION_OFFSET = MAGIC_OFFSET + 4;
    static final int FLAGS_OFFSET = VERSION_OFFSET + 2;
    static final int GENERATION_OFFSET = FLAGS_OFFSET + 2;
    static final int SEALED_THROUGH_OFFSET = GENERATION_OFFSET + 8;
    static final int BLOCK_COUNT_OFFSET = SEALED_THROUGH_OFFSET + 8;
    static final int BLOCKS_OFFSET = BLOCK_COUNT_OFFSET + 4;
    static final int CRC_LENGTH = 4;
    /** Fixed bytes of a block record besides its name. */
    static final int BLOCK_FIXED_LENGTH = 2 + 8 + 8 + 8 + 4 + 8 + 4 + 4 + 8 + 1 + 1;

    private ManifestFormat() {
    }

    static byte[] encode(Manifest manifest) {
        List<byte[]> names = manifest.blocks().stream().map(b -> b.name().getBytes(StandardCharsets.UTF_8)).toList();
        int size = BLOCKS_OFFSET + CRC_LENGTH;
        for (byte[] name : names) {
            size += BLOCK_FIXED_LENGTH + name.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(MAGIC).putShort((short) CURRENT_VERSION).putShort((short) 0)
                .putLong(manifest.generation()).putLong(manifest.sealedThrough()).putInt(manifest.blocks().size());
        for (int i = 0; i < names.size(); i++) {
            BlockRef b = manifest.blocks().get(i);
            out.putShort((short) names.get(i).length).put(names.get(i))
                    .putLong(b.firstSequence()).putLong(b.endSequence())
                    .putLong(b.minTimestamp().getEpochSecond()).putInt(b.minTimestamp().getNano())
                    .putLong(b.maxTimestamp().getEpochSecond()).putInt(b.maxTimestamp().getNano())
                    .putInt(b.entries()).putLong(b.bytes()).put((byte) b.codec()).put((byte) (b.quarantined() ? 1 : 0));
        }
        CRC32C crc = new CRC32C();
        crc.update(out.array(), 0, out.position());
        out.putInt((int) crc.getValue());
        return out.array();
    }

    /**
     * Decodes a manifest file's bytes.
     *
     * @throws CorruptManifestException when the bytes are not a whole, intact manifest
     */
    static Manifest decode(byte[] bytes, String where) {
        if (bytes.length < BLOCKS_OFFSET + CRC_LENGTH) {
            throw new CorruptManifestException(where, "only " + bytes.length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        if (in.getInt(MAGIC_OFFSET) != MAGIC) {
            throw new CorruptManifestException(where, "bad magic 0x" + Integer.toHexString(in.getInt(MAGIC_OFFSET)));
        }
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length - CRC_LENGTH);
        if ((int) crc.getValue() != in.getInt(bytes.length - CRC_LENGTH)) {
            throw new CorruptManifestException(where, "CRC mismatch");
        }
        int version = Short.toUnsignedInt(in.getShort(VERSION_OFFSET));
        if (version < MIN_SUPPORTED_VERSION || version > CURRENT_VERSION) {
            throw new CorruptManifestException(where, "format version " + version + " is not one this build reads ("
                    + MIN_SUPPORTED_VERSION + ".." + CURRENT_VERSION + ")");
        }
        try {
            in.position(GENERATION_OFFSET);
            long generation = in.getLong();
            long sealedThrough = in.getLong();
            int count = in.getInt();
            List<BlockRef> blocks = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                byte[] name = new byte[Short.toUnsignedInt(in.getShort())];
                in.get(name);
                blocks.add(new BlockRef(new String(name, StandardCharsets.UTF_8), in.getLong(), in.getLong(),
                        Instant.ofEpochSecond(in.getLong(), in.getInt()), Instant.ofEpochSecond(in.getLong(), in.getInt()),
                        in.getInt(), in.getLong(), Byte.toUnsignedInt(in.get()), in.get() == 1));
            }
            if (in.position() != bytes.length - CRC_LENGTH) {
                throw new CorruptManifestException(where, (bytes.length - CRC_LENGTH - in.position()) + " trailing bytes");
            }
            return new Manifest(generation, sealedThrough, blocks);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptManifestException(where, "truncated or inconsistent block records: " + e.getMessage());
        }
    }
}
