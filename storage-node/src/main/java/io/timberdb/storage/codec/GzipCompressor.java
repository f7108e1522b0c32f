package io.timberdb.storage.codec;

import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * {@link Codec#GZIP}: one RFC 1952 gzip member, so any gzip tool can read a page's stored bytes.
 * The header is written by hand (no name, mtime 0, OS 255) around a raw deflate stream from a
 * pooled {@link Deflater}, because {@code GZIPOutputStream} would allocate a new zlib stream per
 * page. On read the optional header fields are skipped, and the trailer's CRC-32 and size are
 * checked.
 *
 * <p>Thread-safe: deflaters and inflaters come from bounded pools.
 */
final class GzipCompressor implements Compressor {

    private static final int ID1 = 0x1F;
    private static final int ID2 = 0x8B;
    private static final int CM_DEFLATE = 8;
    private static final int FHCRC = 0x02;
    private static final int FEXTRA = 0x04;
    private static final int FNAME = 0x08;
    private static final int FCOMMENT = 0x10;
    private static final int OS_UNKNOWN = 0xFF;
    private static final int HEADER_SIZE = 10;
    private static final int TRAILER_SIZE = 8;

    private static final ResourcePool<Deflater> DEFLATERS =
            ResourcePool.perProcessor(() -> new Deflater(Deflater.DEFAULT_COMPRESSION, true), Deflater::end);
    private static final ResourcePool<Inflater> INFLATERS =
            ResourcePool.perProcessor(() -> new Inflater(true), Inflater::end);

    @Override
    public byte[] compress(byte[] in, int offset, int length, int level) {
        // zlib's compressBound plus the gzip framing; the loop below grows the array if needed
        byte[] out = new byte[HEADER_SIZE + length + (length >> 12) + (length >> 14) + 64 + TRAILER_SIZE];
        out[0] = (byte) ID1;
        out[1] = (byte) ID2;
        out[2] = (byte) CM_DEFLATE;
        out[9] = (byte) OS_UNKNOWN;
        int size = HEADER_SIZE;
        Deflater deflater = DEFLATERS.take();
        try {
            deflater.reset();
            deflater.setLevel(level);
            deflater.setInput(in, offset, length);
            deflater.finish();
            while (!deflater.finished()) {
                if (size == out.length - TRAILER_SIZE) {
                    out = Arrays.copyOf(out, out.length * 2);
                }
                size += deflater.deflate(out, size, out.length - TRAILER_SIZE - size);
            }
            DEFLATERS.give(deflater);
        } catch (RuntimeException e) {
            DEFLATERS.discard(deflater);
            throw e;
        }
        CRC32 crc = new CRC32();
        crc.update(in, offset, length);
        putIntLittleEndian(out, size, (int) crc.getValue());
        putIntLittleEndian(out, size + 4, length);
        return Arrays.copyOf(out, size + TRAILER_SIZE);
    }

    @Override
    public byte[] decompress(byte[] in, int offset, int length, int uncompressedLength) {
        int end = offset + length;
        int position = skipHeader(in, offset, end);
        if (end - position < TRAILER_SIZE) {
            throw new CodecException("gzip member truncated");
        }
        byte[] out = new byte[uncompressedLength];
        Inflater inflater = INFLATERS.take();
        boolean reusable = false;
        try {
            inflater.reset();
            inflater.setInput(in, position, end - position);
            int produced = 0;
            while (!inflater.finished()) {
                int n;
                if (produced < uncompressedLength) {
                    n = inflater.inflate(out, produced, uncompressedLength - produced);
                } else {
                    n = inflater.inflate(new byte[1]); // only to learn whether the stream ends here
                    if (n > 0) {
                        throw new CodecException("gzip member longer than " + uncompressedLength + " bytes");
                    }
                }
                produced += n;
                if (n == 0 && !inflater.finished() && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new CodecException("gzip member truncated after " + produced + " bytes");
                }
            }
            if (produced != uncompressedLength) {
                throw new CodecException("gzip member decompressed to " + produced + " bytes, expected " + uncompressedLength);
            }
            if (inflater.getRemaining() != TRAILER_SIZE) {
                throw new CodecException("gzip member followed by " + (inflater.getRemaining() - TRAILER_SIZE) + " unexpected bytes");
            }
            reusable = true;
        } catch (DataFormatException e) {
            throw new CodecException("malformed deflate stream: " + e.getMessage(), e);
        } finally {
            if (reusable) {
                INFLATERS.give(inflater);
            } else {
                INFLATERS.discard(inflater);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out);
        int trailer = end - TRAILER_SIZE;
        if (getIntLittleEndian(in, trailer) != (int) crc.getValue()) {
            throw new CodecException("gzip CRC-32 mismatch");
        }
        if (getIntLittleEndian(in, trailer + 4) != uncompressedLength) {
            throw new CodecException("gzip ISIZE mismatch");
        }
        return out;
    }

    /** Checks the fixed header, skips the optional fields, and returns where the deflate stream starts. */
    private static int skipHeader(byte[] in, int offset, int end) {
        if (end - offset < HEADER_SIZE + TRAILER_SIZE) {
            throw new CodecException("gzip member shorter than its header and trailer");
        }
        if ((in[offset] & 0xFF) != ID1 || (in[offset + 1] & 0xFF) != ID2 || in[offset + 2] != CM_DEFLATE) {
            throw new CodecException("not a gzip member with deflate compression");
        }
        int flags = in[offset + 3] & 0xFF;
        int position = offset + HEADER_SIZE;
        if ((flags & FEXTRA) != 0) {
            requireBytes(position, 2, end);
            position += 2 + ((in[position] & 0xFF) | (in[position + 1] & 0xFF) << 8);
        }
        if ((flags & FNAME) != 0) {
            position = skipZeroTerminated(in, position, end);
        }
        if ((flags & FCOMMENT) != 0) {
            position = skipZeroTerminated(in, position, end);
        }
        if ((flags & FHCRC) != 0) {
            position += 2;
        }
        requireBytes(position, 0, end);
        return position;
    }

    private static int skipZeroTerminated(byte[] in, int position, int end) {
        while (position < end && in[position] != 0) {
            position++;
        }
        requireBytes(position, 1, end);
        return position + 1;
    }

    private static void requireBytes(int position, int count, int end) {
        if (position + count > end) {
            throw new CodecException("gzip header truncated");
        }
    }

    private static void putIntLittleEndian(byte[] out, int at, int value) {
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        out[at + 2] = (byte) (value >>> 16);
        out[at + 3] = (byte) (value >>> 24);
    }

    private static int getIntLittleEndian(byte[] in, int at) {
        return (in[at] & 0xFF) | (in[at + 1] & 0xFF) << 8 | (in[at + 2] & 0xFF) << 16 | (in[at + 3] & 0xFF) << 24;
    }
}
