package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Decodes a version 4 messages column ({@link PageFormat}, written by {@link MessageTemplates}).
 * Strict: a template id, an index or a number out of range (a number wider than its slot, a sum
 * that overflows) and any byte left over are rejected, and the {@link TemplateTable} rejects bad
 * template syntax, so damage that slipped past the chunk CRC fails rather than decoding to other
 * messages.
 *
 * <p>Not thread-safe: one instance per column decoded.
 */
final class MessageTemplateDecoder {

    /** 10^0 .. 10^19, the last read as unsigned. */
    private static final long[] POWERS_OF_TEN = new long[PageFormat.MAX_NUMBER_DIGITS + 1];
    /** The largest decimal slot, 10^19 − 1, read as unsigned. */
    private static final long MAX_NUMBER;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10; // 10^19 wraps to a negative long: unsigned compares only
        }
        MAX_NUMBER = POWERS_OF_TEN[PageFormat.MAX_NUMBER_DIGITS] - 1;
    }

    private final ByteSource in;
    private final int n;
    private byte[] out = new byte[256];

    private MessageTemplateDecoder(ByteSource in, int n) {
        this.in = in;
        this.n = n;
    }

    /**
     * A page's messages and, from version 4 on, each entry's index among the page's templates.
     *
     * @param templates per entry, its template's index among the page's (0..templateCount−1); null before version 4
     * @param templateCount how many templates the page uses
     */
    record PageMessages(String[] messages, int[] templates, int templateCount) {
    }

    /** The {@code n} messages of the column, whose templates are in {@code table}; reads the column to its end. */
    static PageMessages decode(ByteSource in, int n, TemplateTable table) {
        return new MessageTemplateDecoder(in, n).decode(table);
    }

    private PageMessages decode(TemplateTable table) {
        int k = in.varint(n, "template count");
        if (k == 0) {
            throw new CodecException("no templates for " + n + " messages");
        }
        int[] ids = new int[k];
        long id = -1;
        for (int t = 0; t < k; t++) {
            id += 1 + Integer.toUnsignedLong(in.varint());
            if (id >= table.size()) {
                throw new CodecException("template id " + id + " is not below the block's " + table.size());
            }
            ids[t] = (int) id;
        }
        int width = in.u8();
        if (width != PageFormat.indexBits(k)) {
            throw new CodecException("template indexes of " + width + " bits for " + k + " templates");
        }
        long[] indexes = new long[n];
        BitPacking.unpack(in, indexes, n, width);
        int[] groupSizes = new int[k];
        for (int e = 0; e < n; e++) {
            if (indexes[e] >= k) {
                throw new CodecException("entry " + e + "'s template " + indexes[e] + " is out of range 0.." + (k - 1));
            }
            groupSizes[(int) indexes[e]]++;
        }
        // numbers[t][s][j]: slot s of the j-th entry of the page's template t
        long[][][] numbers = new long[k][][];
        BitPacking.Reader bits = new BitPacking.Reader(in);
        for (int t = 0; t < k; t++) {
            numbers[t] = new long[table.slots(ids[t])][]; // checks the template's syntax too
            for (int s = 0; s < numbers[t].length; s++) {
                numbers[t][s] = slotNumbers(bits, groupSizes[t]);
            }
        }
        bits.finish();
        String[] messages = new String[n];
        int[] templates = new int[n];
        int[] seen = new int[k];
        for (int e = 0; e < n; e++) {
            int t = (int) indexes[e];
            templates[e] = t;
            messages[e] = expand(table.bytes(), table.start(ids[t]), table.end(ids[t]), numbers[t], seen[t]++);
        }
        return new PageMessages(messages, templates, k);
    }

    /** A slot's numbers: 7-bit width w, 1-bit flag, with the flag a 7-bit width and that many bits of min, then the w-bit numbers (less min). */
    private static long[] slotNumbers(BitPacking.Reader bits, int count) {
        int width = width(bits);
        long min = bits.read(1) == 1 ? bits.read(width(bits)) : 0;
        long[] values = new long[count];
        for (int j = 0; j < count; j++) {
            long value = min + bits.read(width);
            if (Long.compareUnsigned(value, min) < 0) {
                throw new CodecException("number " + Long.toUnsignedString(min) + " + offset overflows 64 bits");
            }
            values[j] = value;
        }
        return values;
    }

    private static int width(BitPacking.Reader bits) {
        int width = (int) bits.read(PageFormat.SLOT_WIDTH_BITS);
        if (width > Long.SIZE) {
            throw new CodecException("numbers of " + width + " bits");
        }
        return width;
    }

    /** The message of the template {@code template[from .. to)} with the numbers of its {@code j}-th entry. */
    private String expand(byte[] template, int from, int to, long[][] numbers, int j) {
        int size = 0;
        int s = 0;
        for (int i = from; i < to; i++) {
            byte b = template[i];
            if (b < PageFormat.NUMBER || b > PageFormat.ESCAPE) { // a run of text: copy it whole
                int end = i + 1;
                while (end < to && (template[end] < PageFormat.NUMBER || template[end] > PageFormat.ESCAPE)) {
                    end++;
                }
                ensure(size + end - i);
                System.arraycopy(template, i, out, size, end - i);
                size += end - i;
                i = end - 1;
                continue;
            }
            ensure(size + PageFormat.MAX_NUMBER_DIGITS + 1);
            if (b == PageFormat.NUMBER) {
                long value = numbers[s++][j];
                if (Long.compareUnsigned(value, MAX_NUMBER) > 0) {
                    throw new CodecException("number " + Long.toUnsignedString(value) + " has more than "
                            + PageFormat.MAX_NUMBER_DIGITS + " digits");
                }
                size = decimal(value, 1, size);
            } else if (b == PageFormat.PADDED_NUMBER) {
                int width = template[++i];
                long value = numbers[s++][j];
                if (Long.compareUnsigned(value, POWERS_OF_TEN[width - 1]) >= 0) {
                    throw new CodecException("padded number " + Long.toUnsignedString(value) + " does not start with 0 in "
                            + width + " digits");
                }
                size = decimal(value, width, size);
            } else if (b == PageFormat.HEX_NUMBER) {
                int width = template[++i];
                long value = numbers[s++][j];
                if (width < PageFormat.MAX_HEX_DIGITS && value >>> (4 * width) != 0) {
                    throw new CodecException("hex number " + Long.toHexString(value) + " is wider than " + width + " digits");
                }
                for (int d = width - 1; d >= 0; d--) {
                    out[size++] = (byte) Character.forDigit((int) (value >>> (4 * d)) & 0xF, 16);
                }
            } else {
                out[size++] = b == PageFormat.ESCAPE ? template[++i] : b;
            }
        }
        return new String(out, 0, size, StandardCharsets.UTF_8);
    }

    private void ensure(int capacity) {
        if (out.length < capacity) {
            out = Arrays.copyOf(out, Math.max(capacity, out.length * 2));
        }
    }

    /** Writes {@code value} (unsigned, below 10^19) in decimal, zero-padded to {@code width} digits, at {@code out[size]}. */
    private int decimal(long value, int width, int size) {
        int length = 1;
        while (length < PageFormat.MAX_NUMBER_DIGITS && Long.compareUnsigned(value, POWERS_OF_TEN[length]) >= 0) {
            length++;
        }
        length = Math.max(width, length);
        long rest = value;
        int d = size + length - 1;
        if (rest < 0) { // 2^63 and above: one unsigned division brings it into range
            out[d--] = (byte) ('0' + Long.remainderUnsigned(rest, 10));
            rest = Long.divideUnsigned(rest, 10);
        }
        for (; d >= size; d--) {
            out[d] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return size + length;
    }
}
