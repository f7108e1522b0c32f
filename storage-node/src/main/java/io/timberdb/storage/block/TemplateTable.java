package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSink;
import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import io.timberdb.storage.codec.CodecException;
import io.timberdb.storage.codec.CompressionSettings;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A version 4 block's message templates, the last part of its dictionaries section
 * ({@link BlockIndex}); a template's id is its position. Pages refer to them by id
 * ({@link PageFormat}, messages column), so a template is stored once per block, not once per page.
 *
 * <h2>Layout</h2>
 * <pre>
 *  u8      encoding: 0 = stored as is, 1 = compressed with the block's codec
 *  varint  uncompressed length, at most {@link PageFormat#MAX_COLUMN_LENGTH}
 *  varint  stored length
 *  bytes   stored bytes; uncompressed: varint K (templates), then K × (varint length, template bytes),
 *          in order of first appearance in the block
 * </pre>
 * The template syntax is in {@link PageFormat}; the templates a page uses are checked against it when
 * the page is decoded ({@link #slots}), so a block's table is not scanned whole for every page read.
 *
 * <p>Immutable; thread-safe.
 */
final class TemplateTable {

    /** The table of blocks before version 4, which have none. */
    static final TemplateTable EMPTY = new TemplateTable(new byte[0], new int[0], new int[0]);

    /** The table's uncompressed content; template t is {@code bytes[starts[t] .. ends[t])}. */
    private final byte[] bytes;
    private final int[] starts;
    private final int[] ends;
    /** Per searched text (see {@link #search}), the verdict of each template, 0 until computed. */
    private final ConcurrentHashMap<String, Search> searches = new ConcurrentHashMap<>();

    /** The texts remembered per table; past it the table forgets them all. */
    private static final int MAX_SEARCHES = 64;

    /**
     * A text searched for in the messages of a table's templates: its UTF-8 bytes (ASCII
     * lower-case for a case-insensitive search; null when it has no faithful UTF-8 form) and each
     * template's verdict ({@link TemplateSearch}), computed on first use. Thread-safe: a race
     * computes a verdict twice, to the same value.
     */
    final class Search {
        private final byte[] needle;
        private final boolean ignoreCase;
        /** Whether a byte search must fold case: ignoring case, and the text has an ASCII letter. */
        private final boolean foldCase;
        private final byte[] verdicts = new byte[size()];
        /** The text as a number when it is 1 to 18 ASCII digits, else −1. */
        private final long digits;
        /** Per template, the widths of its slots when each stands alone among non-digits ({@link TemplateSearch#isolatedSlots}); computed on first use. */
        private final int[][] slotWidths = new int[size()][];

        private Search(String text, boolean ignoreCase) {
            this.needle = TemplateSearch.utf8(text);
            this.ignoreCase = ignoreCase;
            boolean letters = false;
            long number = needle == null || needle.length == 0 || needle.length > 18 ? -1 : 0;
            for (int i = 0; needle != null && i < needle.length; i++) {
                letters |= needle[i] >= 'a' && needle[i] <= 'z';
                number = number >= 0 && needle[i] >= '0' && needle[i] <= '9' ? number * 10 + (needle[i] - '0') : -1;
            }
            this.foldCase = ignoreCase && letters;
            this.digits = number;
        }

        /** The text as a number, when it is 1 to 18 ASCII digits; else −1. */
        long digits() {
            return digits;
        }

        /**
         * The widths of template {@code id}'s slots (1 for a plain number, the width of a
         * zero-padded one) when every slot is a decimal one with no digit next to it, so that each
         * run of digits a message of it holds is one slot's number or literal text; else an empty
         * array. Only then can a digit text be looked for in the numbers alone.
         */
        int[] slotWidths(int id) {
            int[] widths = slotWidths[id];
            if (widths == null) { // a race computes it twice, to equal arrays
                widths = TemplateSearch.isolatedSlots(bytes, starts[id], ends[id]);
                slotWidths[id] = widths;
            }
            return widths;
        }

        /**
         * Whether searching a message's bytes for {@link #needle()} must fold ASCII case: only
         * when the search ignores case and the (lower-case) text has a letter — a digit or
         * symbol matches itself alone either way.
         */
        boolean foldCase() {
            return foldCase;
        }

        /** The text's UTF-8 bytes, or null when it has none that decode back to it. */
        byte[] needle() {
            return needle;
        }

        boolean ignoreCase() {
            return ignoreCase;
        }

        /** Whether the messages of template {@code id} contain the text: {@code ALWAYS}, {@code NEVER} or {@code MAYBE}. */
        byte verdict(int id) {
            byte verdict = verdicts[id];
            if (verdict == 0) {
                verdict = TemplateSearch.verdict(bytes, starts[id], ends[id], needle, ignoreCase);
                verdicts[id] = verdict;
            }
            return verdict;
        }
    }

    private TemplateTable(byte[] bytes, int[] starts, int[] ends) {
        this.bytes = bytes;
        this.starts = starts;
        this.ends = ends;
    }

    int size() {
        return starts.length;
    }

    /** The bytes that hold the templates; not to be modified. */
    byte[] bytes() {
        return bytes;
    }

    /** Where template {@code id} starts in {@link #bytes()}; the caller has checked that {@code id} is below {@link #size()}. */
    int start(int id) {
        return starts[id];
    }

    /** Where template {@code id} ends in {@link #bytes()}. */
    int end(int id) {
        return ends[id];
    }

    /**
     * The search for {@code text} in this table's messages ({@code text} ASCII lower-case when
     * {@code ignoreCase}), remembered per text so that each template is looked at once per block.
     */
    Search search(String text, boolean ignoreCase) {
        if (searches.size() > MAX_SEARCHES) {
            searches.clear();
        }
        return searches.computeIfAbsent((ignoreCase ? "i:" : "c:") + text, key -> new Search(text, ignoreCase));
    }

    /** Shorthand for {@code search(text, ignoreCase).verdict(id)}. */
    byte containsVerdict(int id, String text, boolean ignoreCase) {
        return search(text, ignoreCase).verdict(id);
    }

    long estimatedBytes() {
        return 64L + bytes.length + starts.length * 8L;
    }

    /** Appends the table of {@code content} (K and the templates), compressed when that pays. */
    static void write(ByteSink sink, byte[] content, int length, CompressionSettings compression) {
        byte[] compressed = compression.shouldCompress(length) ? compression.compress(content, 0, length) : null;
        if (compressed != null && compressed.length < length) {
            sink.u8(PageFormat.ENCODING_COMPRESSED).varint(length).varint(compressed.length).bytes(compressed);
        } else {
            sink.u8(PageFormat.ENCODING_RAW).varint(length).varint(length).bytes(content, 0, length);
        }
    }

    /**
     * Reads a table written by {@link #write}.
     *
     * @throws CodecException when it does not decode, or a template breaks the syntax
     */
    static TemplateTable read(ByteSource in, Codec codec) {
        int encoding = in.u8();
        int length = in.varint(PageFormat.MAX_COLUMN_LENGTH, "template table length");
        int stored = in.varint(in.remaining(), "template table stored length");
        byte[] raw;
        if (encoding == PageFormat.ENCODING_RAW && stored == length) {
            raw = in.bytes(stored);
        } else if (encoding == PageFormat.ENCODING_COMPRESSED && codec != Codec.NONE) {
            raw = codec.decompress(in.bytes(stored), length);
        } else {
            throw new CodecException("template table encoding " + encoding + " with lengths " + stored + "/" + length
                    + " is invalid for codec " + codec.specName());
        }
        ByteSource content = new ByteSource(raw);
        int count = content.varint(content.remaining(), "template count");
        // where each template is, nothing more: a page's decoder checks the ones it uses
        int[] starts = new int[count];
        int[] ends = new int[count];
        for (int t = 0; t < count; t++) {
            int templateLength = content.varint(content.remaining(), "template length");
            starts[t] = content.position();
            content.skip(templateLength);
            ends[t] = content.position();
        }
        content.expectEnd("template table");
        return new TemplateTable(raw, starts, ends);
    }

    /**
     * Checks template {@code id}'s syntax (slot widths, escapes) and counts its slots.
     *
     * @throws CodecException when the template breaks the syntax
     */
    int slots(int id) {
        int slots = 0;
        int end = ends[id];
        byte[] template = bytes;
        for (int i = starts[id]; i < end; i++) {
            byte b = template[i];
            if (b == PageFormat.NUMBER) {
                slots++;
            } else if (b == PageFormat.PADDED_NUMBER || b == PageFormat.HEX_NUMBER) {
                int width = ++i < end ? template[i] : -1;
                int max = b == PageFormat.PADDED_NUMBER ? PageFormat.MAX_NUMBER_DIGITS : PageFormat.MAX_HEX_DIGITS;
                if (width < 2 || width > max) {
                    throw new CodecException("slot " + b + " of width " + width + " in a template");
                }
                slots++;
            } else if (b == PageFormat.ESCAPE) {
                int escaped = ++i < end ? template[i] : -1;
                if (escaped < PageFormat.NUMBER || escaped > PageFormat.ESCAPE) {
                    throw new CodecException("escape of byte " + escaped + " in a template");
                }
            }
        }
        return slots;
    }
}
