package io.timberdb.storage.block;

import io.timberdb.storage.codec.CompressionSettings;
import io.timberdb.storage.index.Tokenizer;
import java.util.Objects;

/**
 * How {@link BlockWriter} lays out a block. Only the writer uses them: everything a reader needs
 * (codec, tokenizer word lengths) is recorded in the block.
 *
 * @param compression codec, level and threshold of the column chunks
 * @param pageEntries the most entries in a page (default {@value #DEFAULT_PAGE_ENTRIES}: on the
 *        benchmark's 10M loghub entries, 4096-entry pages (3,363 on average, the char limit closing
 *        many) took 15.2 bytes/entry with LZ4 against 15.9 for 1024-entry pages, and ran its six
 *        queries as fast or faster — a third of the page reads, cache lookups and token filter
 *        probes; a false-positive page costs more to scan, but the share of entries such pages hold
 *        is the filters' rate either way)
 * @param pageMessageBytes a page is closed once its messages reach this many bytes of UTF-8, so pages
 *        of long messages stay small (default {@value #DEFAULT_PAGE_MESSAGE_BYTES})
 * @param bloomFalsePositiveRate the false-positive rate of each page's token filter (default 2%: a word
 *        a page does not hold still has that page read 2 times in 100; the filter takes about 8.1
 *        bits per distinct word of the page, 1% would take 9.6, 15% more of the block)
 * @param tokenizer the word rules of the token filters (spec {@code min_word_length} /
 *        {@code max_word_length}, default 3 and 50)
 */
public record BlockOptions(CompressionSettings compression, int pageEntries, int pageMessageBytes,
        double bloomFalsePositiveRate, Tokenizer tokenizer) {

    public static final int DEFAULT_PAGE_ENTRIES = 4096;
    public static final int DEFAULT_PAGE_MESSAGE_BYTES = 256 * 1024;
    public static final double DEFAULT_BLOOM_FALSE_POSITIVE_RATE = 0.02;

    /** LZ4 level 3 with a 4096-byte threshold, 4096 entries or 256 KiB of messages a page, 2% filters, words of 3..50. */
    public static final BlockOptions DEFAULTS = new BlockOptions(CompressionSettings.DEFAULTS, DEFAULT_PAGE_ENTRIES,
            DEFAULT_PAGE_MESSAGE_BYTES, DEFAULT_BLOOM_FALSE_POSITIVE_RATE, Tokenizer.DEFAULT);

    public BlockOptions {
        Objects.requireNonNull(compression, "compression");
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (pageEntries < 1 || pageMessageBytes < 1) {
            throw new IllegalArgumentException("page limits must be positive: " + pageEntries + " entries, " + pageMessageBytes + " message bytes");
        }
        if (!(bloomFalsePositiveRate > 0 && bloomFalsePositiveRate < 1)) {
            throw new IllegalArgumentException("bloom false-positive rate must be in (0, 1): " + bloomFalsePositiveRate);
        }
    }

    public BlockOptions withCompression(CompressionSettings settings) {
        return new BlockOptions(settings, pageEntries, pageMessageBytes, bloomFalsePositiveRate, tokenizer);
    }

    public BlockOptions withPageEntries(int entries) {
        return new BlockOptions(compression, entries, pageMessageBytes, bloomFalsePositiveRate, tokenizer);
    }

    public BlockOptions withTokenizer(Tokenizer words) {
        return new BlockOptions(compression, pageEntries, pageMessageBytes, bloomFalsePositiveRate, words);
    }
}
