package io.timberdb.storage.block;

import io.timberdb.model.api.LogEntry;
import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.CompressionSettings;
import java.util.Arrays;
import java.util.List;

/**
 * Encodes a block's messages as templates and numbers (the version 4 messages column, laid out in
 * {@link PageFormat}, and the block's {@link TemplateTable}): each message's runs of ASCII digits,
 * and of lower-case hex digits with both digits and letters, become numbers, the text around them
 * a template; the block stores each distinct template once,
 * a page the ids of the templates its entries use and each entry's index among them, and the
 * numbers of each template's slot in a page bit-packed together. Log lines repeat a few thousand
 * templates and differ in their numbers, which take far fewer bits as integers than as text.
 *
 * <p>Lossless for any string: a run of digits that starts with 0 and a hex run keep their width in
 * the template, a run of more than {@value PageFormat#MAX_NUMBER_DIGITS} digits stays text, and the
 * template's marker bytes are escaped where a message holds them.
 *
 * <p>Not thread-safe: one per block being written ({@link PageEncoder}); it collects the block's templates.
 */
final class MessageTemplates {

    /** The block's templates, back to back; template t is {@code arena[starts[t] .. starts[t+1])}. */
    private byte[] arena = new byte[64 * 1024];
    private int arenaSize;
    private int[] starts = new int[1025];
    private int[] slotCounts = new int[1024];
    private int templateCount;
    /** Open addressing: template id + 1, 0 for empty; at most half full. */
    private int[] table = new int[4096];
    /** Per template: its index among the current page's templates, valid where {@link #localPage} is the page's number. */
    private int[] local = new int[1024];
    private int[] localPage = new int[1024];
    private int page;
    private int pageTemplates;
    /** The numbers of every entry of the page, in entry order; entry e's are {@code numbers[numberStarts[e] ..]}. */
    private long[] numbers = new long[8 * 1024];
    private int numberCount;
    private int[] numberStarts = new int[1025];
    private int[] templates = new int[1024];
    private long[] slot = new long[1024];

    /** Appends the messages column of a page of {@code entries} to {@code column}, adding their new templates to the block's. */
    void encode(List<LogEntry> entries, ByteSink column) {
        int n = entries.size();
        if (templates.length < n) {
            templates = new int[n];
            numberStarts = new int[n + 1];
            slot = new long[n];
        }
        numberCount = 0;
        for (int e = 0; e < n; e++) {
            numberStarts[e] = numberCount;
            templates[e] = add(entries.get(e).message());
        }
        numberStarts[n] = numberCount;
        // the page's templates by ascending id, each entry's index among them
        page++;
        int[] used = new int[n];
        int k = 0;
        for (int e = 0; e < n; e++) {
            int t = templates[e];
            if (localPage[t] != page) {
                localPage[t] = page;
                used[k++] = t;
            }
        }
        Arrays.sort(used, 0, k);
        pageTemplates = k;
        column.varint(k);
        for (int i = 0; i < k; i++) {
            local[used[i]] = i;
            column.varint(used[i] - (i == 0 ? -1 : used[i - 1]) - 1);
        }
        int width = PageFormat.indexBits(k);
        column.u8(width);
        long[] indexes = new long[n];
        for (int e = 0; e < n; e++) {
            indexes[e] = local[templates[e]];
        }
        BitPacking.pack(column, indexes, 0, n, width);
        writeNumbers(column, n, used, k);
    }

    /** How many templates the page last encoded uses. */
    int pageTemplateCount() {
        return pageTemplates;
    }

    /** The index among the last page's templates of entry {@code e}'s template. */
    int pageTemplate(int e) {
        return local[templates[e]];
    }

    /** Appends the block's {@link TemplateTable}. */
    void writeTable(ByteSink sink, CompressionSettings compression) {
        ByteSink content = new ByteSink(arenaSize + templateCount * 2 + 8);
        content.varint(templateCount);
        for (int t = 0; t < templateCount; t++) {
            content.varint(starts[t + 1] - starts[t]).bytes(arena, starts[t], starts[t + 1] - starts[t]);
        }
        TemplateTable.write(sink, content.array(), content.size(), compression);
    }

    /** For each of the page's templates, for each of its slots: the numbers of its entries, in one bit stream. */
    private void writeNumbers(ByteSink column, int n, int[] used, int k) {
        // entries grouped by the page's template index, in entry order within each group (a counting sort)
        int[] groupStarts = new int[k + 1];
        for (int e = 0; e < n; e++) {
            groupStarts[local[templates[e]] + 1]++;
        }
        for (int i = 0; i < k; i++) {
            groupStarts[i + 1] += groupStarts[i];
        }
        int[] order = new int[n];
        int[] fill = Arrays.copyOf(groupStarts, k);
        for (int e = 0; e < n; e++) {
            order[fill[local[templates[e]]]++] = e;
        }
        BitPacking.Writer bits = new BitPacking.Writer(column);
        for (int i = 0; i < k; i++) {
            int count = groupStarts[i + 1] - groupStarts[i];
            for (int s = 0; s < slotCounts[used[i]]; s++) {
                long min = -1; // unsigned, as the numbers are
                long max = 0;
                for (int j = 0; j < count; j++) {
                    long value = numbers[numberStarts[order[groupStarts[i] + j]] + s];
                    slot[j] = value;
                    min = Long.compareUnsigned(value, min) < 0 ? value : min;
                    max = Long.compareUnsigned(value, max) > 0 ? value : max;
                }
                int plain = BitPacking.width(max);
                int framed = BitPacking.width(max - min);
                // a frame of reference pays when the bits it saves outweigh writing min
                boolean withMin = (long) (plain - framed) * count > PageFormat.SLOT_WIDTH_BITS + BitPacking.width(min);
                long base = withMin ? min : 0;
                int width = withMin ? framed : plain;
                bits.write(width, PageFormat.SLOT_WIDTH_BITS);
                bits.write(withMin ? 1 : 0, 1);
                if (withMin) {
                    bits.write(BitPacking.width(min), PageFormat.SLOT_WIDTH_BITS);
                    bits.write(min, BitPacking.width(min));
                }
                for (int j = 0; j < count; j++) {
                    bits.write(slot[j] - base, width);
                }
            }
        }
        bits.finish();
    }

    /** Adds {@code message}'s numbers and returns the index of its template, added when new. */
    private int add(String message) {
        int start = arenaSize;
        int slots = 0;
        int length = message.length();
        ensureArena(length * 3 + 2);
        int i = 0;
        while (i < length) {
            char c = message.charAt(i);
            if (isHexDigit(c)) {
                int end = i;
                boolean letters = false;
                boolean digits = false;
                for (char h; end < length && isHexDigit(h = message.charAt(end)); end++) {
                    letters |= h > '9';
                    digits |= h <= '9';
                }
                if (letters && digits && end - i <= PageFormat.MAX_HEX_DIGITS) {
                    arena[arenaSize++] = PageFormat.HEX_NUMBER;
                    arena[arenaSize++] = (byte) (end - i);
                    addNumber(Long.parseUnsignedLong(message, i, end, 16));
                    slots++;
                } else {
                    slots += digitsOrText(message, i, end);
                }
                i = end;
            } else if (c < 0x80) {
                if (c >= PageFormat.NUMBER && c <= PageFormat.ESCAPE) {
                    arena[arenaSize++] = PageFormat.ESCAPE;
                }
                arena[arenaSize++] = (byte) c;
                i++;
            } else {
                i = utf8(message, i, c);
            }
        }
        return intern(start, slots);
    }

    private static boolean isHexDigit(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** Writes {@code message[from .. to)}, digits and the letters a-f, as text and decimal slots; returns the slots. */
    private int digitsOrText(String message, int from, int to) {
        int slots = 0;
        int i = from;
        while (i < to) {
            char c = message.charAt(i);
            if (c > '9') {
                arena[arenaSize++] = (byte) c;
                i++;
                continue;
            }
            int end = i + 1;
            while (end < to && message.charAt(end) <= '9') {
                end++;
            }
            int digits = end - i;
            if (digits > PageFormat.MAX_NUMBER_DIGITS) {
                for (; i < end; i++) {
                    arena[arenaSize++] = (byte) message.charAt(i);
                }
                continue;
            }
            if (c == '0' && digits > 1) {
                arena[arenaSize++] = PageFormat.PADDED_NUMBER;
                arena[arenaSize++] = (byte) digits;
            } else {
                arena[arenaSize++] = PageFormat.NUMBER;
            }
            long value = 0; // up to 19 digits: below 2^64, read as unsigned
            for (int d = i; d < end; d++) {
                value = value * 10 + (message.charAt(d) - '0');
            }
            addNumber(value);
            slots++;
            i = end;
        }
        return slots;
    }

    /** Writes the non-ASCII char at {@code i} (with its low surrogate) as UTF-8; returns the next index. */
    private int utf8(String message, int i, char c) {
        int codePoint = c;
        int next = i + 1;
        if (Character.isHighSurrogate(c) && next < message.length() && Character.isLowSurrogate(message.charAt(next))) {
            codePoint = Character.toCodePoint(c, message.charAt(next++));
        } else if (Character.isSurrogate(c)) {
            codePoint = '?'; // as String.getBytes(UTF_8) does; SealedEntries has replaced these already
        }
        if (codePoint < 0x80) {
            arena[arenaSize++] = (byte) codePoint;
        } else if (codePoint < 0x800) {
            arena[arenaSize++] = (byte) (0xC0 | codePoint >>> 6);
            arena[arenaSize++] = (byte) (0x80 | codePoint & 0x3F);
        } else if (codePoint < 0x10000) {
            arena[arenaSize++] = (byte) (0xE0 | codePoint >>> 12);
            arena[arenaSize++] = (byte) (0x80 | codePoint >>> 6 & 0x3F);
            arena[arenaSize++] = (byte) (0x80 | codePoint & 0x3F);
        } else {
            arena[arenaSize++] = (byte) (0xF0 | codePoint >>> 18);
            arena[arenaSize++] = (byte) (0x80 | codePoint >>> 12 & 0x3F);
            arena[arenaSize++] = (byte) (0x80 | codePoint >>> 6 & 0x3F);
            arena[arenaSize++] = (byte) (0x80 | codePoint & 0x3F);
        }
        return next;
    }

    /** The index of the template just written at {@code arena[start ..]}: an earlier equal one (dropping this copy) or a new one. */
    private int intern(int start, int slots) {
        if (templateCount + 1 >= starts.length) {
            starts = Arrays.copyOf(starts, starts.length * 2);
            slotCounts = Arrays.copyOf(slotCounts, starts.length);
            local = Arrays.copyOf(local, starts.length);
            localPage = Arrays.copyOf(localPage, starts.length);
        }
        if (templateCount * 2 >= table.length) {
            rehash(table.length * 2);
        }
        int hash = hash(start, arenaSize);
        int mask = table.length - 1;
        for (int h = (hash ^ hash >>> 16) & mask; ; h = (h + 1) & mask) {
            int entry = table[h];
            if (entry == 0) {
                table[h] = templateCount + 1;
                starts[templateCount] = start;
                starts[templateCount + 1] = arenaSize;
                slotCounts[templateCount] = slots;
                return templateCount++;
            }
            int t = entry - 1;
            if (Arrays.equals(arena, starts[t], starts[t + 1], arena, start, arenaSize)) {
                arenaSize = start;
                return t;
            }
        }
    }

    private int hash(int from, int to) {
        int hash = 1;
        for (int b = from; b < to; b++) {
            hash = 31 * hash + arena[b];
        }
        return hash;
    }

    private void rehash(int size) {
        table = new int[size];
        int mask = size - 1;
        for (int t = 0; t < templateCount; t++) {
            int hash = hash(starts[t], starts[t + 1]);
            int h = (hash ^ hash >>> 16) & mask;
            while (table[h] != 0) {
                h = (h + 1) & mask;
            }
            table[h] = t + 1;
        }
    }

    private void addNumber(long value) {
        if (numberCount == numbers.length) {
            numbers = Arrays.copyOf(numbers, numbers.length * 2);
        }
        numbers[numberCount++] = value;
    }

    private void ensureArena(int more) {
        if (arena.length - arenaSize < more) {
            arena = Arrays.copyOf(arena, Math.max(arena.length * 2, arenaSize + more));
        }
    }
}
