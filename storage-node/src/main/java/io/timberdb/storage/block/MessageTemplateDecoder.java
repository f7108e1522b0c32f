package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.CodecException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Decodes a version 4 messages column ({@link PageFormat}, written by {@link MessageTemplates}).
 * Strict: a template id, an index or a number out of range (a number wider than its slot, a sum
 * that overflows) and any byte left over are rejected, and the {@link TemplateTable} rejects bad
 * template syntax, so damage that slipped past the chunk CRC fails rather than decoding to other
 * messages.
 *
 * <p>Stateless; thread-safe.
 */
final class MessageTemplateDecoder {

    /** 10^0 .. 10^19, the last read as unsigned. */
    static final long[] POWERS_OF_TEN = new long[PageFormat.MAX_NUMBER_DIGITS + 1];
    /** The largest decimal slot, 10^19 − 1, read as unsigned. */
    private static final long MAX_NUMBER;

    static {
        POWERS_OF_TEN[0] = 1;
        for (int i = 1; i < POWERS_OF_TEN.length; i++) {
            POWERS_OF_TEN[i] = POWERS_OF_TEN[i - 1] * 10; // 10^19 wraps to a negative long: unsigned compares only
        }
        MAX_NUMBER = POWERS_OF_TEN[PageFormat.MAX_NUMBER_DIGITS] - 1;
    }

    private MessageTemplateDecoder() {
    }

    /**
     * A page's messages, decoded as far as their templates and numbers; each message is built when
     * it is asked for ({@link #message}). Before version 4 the messages are stored whole.
     *
     * <p>Immutable once decoded; thread-safe.
     */
    static final class PageMessages {
        private final String[] whole;
        private final TemplateTable table;
        /** Per entry, its template's index among the page's; null before version 4. */
        private final int[] templates;
        /** Per page template, its id in the block's table. */
        private final int[] ids;
        /** The rest of the column, the numbers, until {@link #layout} has read where each template's are. */
        private ByteSource numbersIn;
        /** Where each template's numbers are, and each entry's rank; found on first use. */
        private volatile Layout layout;
        /** Per page template, numbers[s][j]: slot s of its j-th entry; each read on first use. */
        private final AtomicReferenceArray<long[][]> numbers;

        /**
         * The numbers part of the column, walked once: a copy of its bytes, the bit at which each
         * template's slots start, and each entry's rank among the entries of its template.
         */
        private record Layout(byte[] bytes, long[] starts, int[] groupSizes, int[] ranks) {
        }

        private PageMessages(String[] whole, TemplateTable table, int[] templates, int[] ids, ByteSource numbersIn) {
            this.whole = whole;
            this.table = table;
            this.templates = templates;
            this.ids = ids;
            this.numbersIn = numbersIn;
            this.numbers = ids == null ? null : new AtomicReferenceArray<>(ids.length);
        }

        /** Messages stored whole (before version 4). */
        static PageMessages of(String[] messages) {
            return new PageMessages(messages, TemplateTable.EMPTY, null, null, null);
        }

        /**
         * The numbers part's layout: on first use, walks the slot headers of every template
         * (checking each template's syntax and that the column ends with its numbers) without
         * reading the numbers themselves.
         *
         * @throws CodecException when the headers do not decode or the column does not end with them
         */
        private Layout layout() {
            Layout read = layout;
            if (read == null) {
                synchronized (this) {
                    read = layout;
                    if (read == null) {
                        read = walk(numbersIn.bytes(numbersIn.remaining()));
                        layout = read;
                        numbersIn = null;
                    }
                }
            }
            return read;
        }

        private Layout walk(byte[] bytes) {
            int[] groupSizes = new int[ids.length];
            int[] ranks = new int[templates.length];
            for (int e = 0; e < templates.length; e++) {
                ranks[e] = groupSizes[templates[e]]++;
            }
            long[] starts = new long[ids.length];
            ByteSource in = new ByteSource(bytes);
            BitPacking.Reader bits = new BitPacking.Reader(in);
            long position = 0;
            for (int t = 0; t < ids.length; t++) {
                starts[t] = position;
                for (int s = table.slots(ids[t]); s > 0; s--) { // checks the template's syntax too
                    int width = width(bits);
                    position += PageFormat.SLOT_WIDTH_BITS + 1;
                    if (bits.read(1) == 1) {
                        int minWidth = width(bits);
                        bits.skip(minWidth);
                        position += PageFormat.SLOT_WIDTH_BITS + minWidth;
                    }
                    long valueBits = (long) width * groupSizes[t];
                    bits.skip(valueBits);
                    position += valueBits;
                }
            }
            bits.finish();
            in.expectEnd("messages");
            return new Layout(bytes, starts, groupSizes, ranks);
        }

        /**
         * The numbers of the page's template {@code t}, read and checked against its slots on
         * first use.
         *
         * @throws CodecException when they do not decode or do not fit their slots
         */
        private long[][] numbers(int t) {
            long[][] read = numbers.get(t);
            if (read == null) { // a race reads them twice, to equal arrays
                Layout at = layout();
                int start = (int) (at.starts()[t] / Byte.SIZE);
                BitPacking.Reader bits = new BitPacking.Reader(new ByteSource(at.bytes(), start, at.bytes().length - start));
                bits.read((int) (at.starts()[t] % Byte.SIZE));
                read = new long[table.slots(ids[t])][];
                for (int s = 0; s < read.length; s++) {
                    read[s] = slotNumbers(bits, at.groupSizes()[t]);
                }
                checkNumbers(table, ids[t], read);
                numbers.set(t, read);
            }
            return read;
        }

        /** Entry {@code e}'s rank among the entries of its template. */
        private int rank(int e) {
            return layout().ranks()[e];
        }

        /**
         * Reads the numbers now, so that a damaged column fails here rather than when a message
         * is built; a no-op before version 4.
         *
         * @throws CodecException when they do not decode or do not fit their slots
         */
        void check() {
            if (templates != null) {
                for (int t = 0; t < ids.length; t++) {
                    numbers(t);
                }
            }
        }

        /** Whether the messages have templates (version 4 on). */
        boolean templated() {
            return templates != null;
        }

        /** Per entry, its template's index among the page's (0..templateCount−1); null before version 4. */
        int[] templates() {
            return templates;
        }

        int templateCount() {
            return ids == null ? 0 : ids.length;
        }

        /** Entry {@code e}'s template id in the block's table; only for {@link #templated()} messages. */
        int blockTemplate(int e) {
            return ids[templates[e]];
        }

        TemplateTable table() {
            return table;
        }

        /** Entry {@code e}'s message. */
        String message(int e) {
            if (whole != null) {
                return whole[e];
            }
            int id = blockTemplate(e);
            return expand(table.bytes(), table.start(id), table.end(id), numbers(templates[e]), rank(e));
        }

        /**
         * Whether entry {@code e}'s message contains {@code needle} (UTF-8; with
         * {@code ignoreCase} ASCII lower-case, and compared with the message ASCII-lower-cased),
         * found in its bytes as built into {@code buffer} without making a string; returns the
         * buffer used, {@code buffer} or a larger one, in {@code found[0]} the answer.
         */
        byte[] contains(int e, byte[] needle, boolean ignoreCase, byte[] buffer, boolean[] found) {
            int id = blockTemplate(e);
            long[][] slots = numbers(templates[e]);
            int capacity = table.end(id) - table.start(id) + slots.length * PageFormat.MAX_NUMBER_DIGITS;
            byte[] out = buffer.length >= capacity ? buffer : new byte[Math.max(capacity, 2 * buffer.length)];
            int length = expand(table.bytes(), table.start(id), table.end(id), slots, rank(e), out);
            found[0] = indexOf(out, length, needle, ignoreCase);
            return out;
        }

        /**
         * Whether entry {@code e}'s message holds {@code search}'s text when that is a number
         * ({@link TemplateTable.Search#digits()}) and the entry's template keeps its numbers apart
         * ({@link TemplateTable.Search#slotWidths}), looking at the numbers alone: 1 yes, 0 no,
         * −1 when it cannot tell this way. Only for templates whose literal text does not hold
         * the number (their verdict is not {@code ALWAYS}).
         */
        int holdsNumber(int e, TemplateTable.Search search, int length) {
            int[] widths = search.slotWidths(blockTemplate(e));
            if (search.digits() < 0 || widths.length == 0) {
                return -1;
            }
            long[][] slots = numbers(templates[e]);
            int j = rank(e);
            for (int s = 0; s < widths.length; s++) {
                if (TemplateSearch.decimalHolds(slots[s][j], widths[s], search.digits(), length)) {
                    return 1;
                }
            }
            return 0;
        }

        /** Every message, in entry order. */
        String[] messages() {
            if (whole != null) {
                return whole.clone();
            }
            String[] messages = new String[templates.length];
            for (int e = 0; e < messages.length; e++) {
                messages[e] = message(e);
            }
            return messages;
        }
    }

    /**
     * The {@code n} messages of the column, whose templates are in {@code table}: reads each
     * entry's template now; the numbers, which are most of the column, later — their slot headers
     * (and that the column ends with them) when a message is first built, searched or
     * {@linkplain PageMessages#check() checked}, and each template's numbers (and that they fit its
     * slots) when a message of that template first is. A search that settles most templates
     * from their text never reads their numbers.
     */
    static PageMessages decode(ByteSource in, int n, TemplateTable table) {
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
        int[] templates = new int[n];
        for (int e = 0; e < n; e++) {
            if (indexes[e] >= k) {
                throw new CodecException("entry " + e + "'s template " + indexes[e] + " is out of range 0.." + (k - 1));
            }
            templates[e] = (int) indexes[e];
        }
        return new PageMessages(null, table, templates, ids, in);
    }

    /** Checks that every number fits its slot of template {@code id}: digits, zero padding, hex width. */
    private static void checkNumbers(TemplateTable table, int id, long[][] numbers) {
        byte[] template = table.bytes();
        int s = 0;
        for (int i = table.start(id); i < table.end(id); i++) {
            byte b = template[i];
            if (b == PageFormat.ESCAPE) {
                i++;
            } else if (b == PageFormat.NUMBER || b == PageFormat.PADDED_NUMBER || b == PageFormat.HEX_NUMBER) {
                int width = b == PageFormat.NUMBER ? 0 : template[++i];
                for (long value : numbers[s++]) {
                    checkNumber(b, width, value);
                }
            }
        }
    }

    private static void checkNumber(byte slot, int width, long value) {
        if (slot == PageFormat.NUMBER && Long.compareUnsigned(value, MAX_NUMBER) > 0) {
            throw new CodecException("number " + Long.toUnsignedString(value) + " has more than "
                    + PageFormat.MAX_NUMBER_DIGITS + " digits");
        }
        if (slot == PageFormat.PADDED_NUMBER && Long.compareUnsigned(value, POWERS_OF_TEN[width - 1]) >= 0) {
            throw new CodecException("padded number " + Long.toUnsignedString(value) + " does not start with 0 in "
                    + width + " digits");
        }
        if (slot == PageFormat.HEX_NUMBER && width < PageFormat.MAX_HEX_DIGITS && value >>> (4 * width) != 0) {
            throw new CodecException("hex number " + Long.toHexString(value) + " is wider than " + width + " digits");
        }
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

    /**
     * The message of the template {@code template[from .. to)} with the numbers of its {@code j}-th
     * entry (checked by {@link #decode}: they fit their slots).
     */
    private static String expand(byte[] template, int from, int to, long[][] numbers, int j) {
        // text is copied byte for byte; a slot is at most 19 digits
        byte[] out = new byte[to - from + numbers.length * PageFormat.MAX_NUMBER_DIGITS];
        return new String(out, 0, expand(template, from, to, numbers, j, out), StandardCharsets.UTF_8);
    }

    /** Whether {@code needle} occurs in {@code bytes[0 .. length)}, comparing ASCII-lower-cased bytes if {@code ignoreCase}. */
    private static boolean indexOf(byte[] bytes, int length, byte[] needle, boolean ignoreCase) {
        if (needle.length == 0) {
            return true;
        }
        int last = length - needle.length;
        byte first = needle[0];
        for (int i = 0; i <= last; i++) {
            if (bytes[i] != first && (!ignoreCase || lower(bytes[i], true) != first)) {
                continue;
            }
            int k = 1;
            while (k < needle.length && (bytes[i + k] == needle[k] || ignoreCase && lower(bytes[i + k], true) == needle[k])) {
                k++;
            }
            if (k == needle.length) {
                return true;
            }
        }
        return false;
    }

    private static byte lower(byte b, boolean ignoreCase) {
        return ignoreCase && b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
    }

    /** Writes the message into {@code out} (large enough) and returns its length in bytes. */
    private static int expand(byte[] template, int from, int to, long[][] numbers, int j, byte[] out) {
        int size = 0;
        int s = 0;
        for (int i = from; i < to; i++) {
            byte b = template[i];
            if (b < PageFormat.NUMBER || b > PageFormat.ESCAPE) { // a run of text: copy it whole
                int end = i + 1;
                while (end < to && (template[end] < PageFormat.NUMBER || template[end] > PageFormat.ESCAPE)) {
                    end++;
                }
                System.arraycopy(template, i, out, size, end - i);
                size += end - i;
                i = end - 1;
            } else if (b == PageFormat.NUMBER) {
                size = decimal(out, numbers[s++][j], 1, size);
            } else if (b == PageFormat.PADDED_NUMBER) {
                size = decimal(out, numbers[s++][j], template[++i], size);
            } else if (b == PageFormat.HEX_NUMBER) {
                int width = template[++i];
                long value = numbers[s++][j];
                for (int d = width - 1; d >= 0; d--) {
                    out[size++] = (byte) Character.forDigit((int) (value >>> (4 * d)) & 0xF, 16);
                }
            } else {
                out[size++] = template[++i]; // an escaped byte
            }
        }
        return size;
    }

    /** The digits of {@code value} (unsigned, below 10^19) in decimal, zero-padded to {@code width}. */
    static int decimalLength(long value, int width) {
        int length = 1;
        while (length < PageFormat.MAX_NUMBER_DIGITS && Long.compareUnsigned(value, POWERS_OF_TEN[length]) >= 0) {
            length++;
        }
        return Math.max(width, length);
    }

    /** Writes {@code value} (unsigned, below 10^19) in decimal, zero-padded to {@code width} digits, at {@code out[size]}. */
    private static int decimal(byte[] out, long value, int width, int size) {
        int length = decimalLength(value, width);
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
