package io.timberdb.storage.block;

/**
 * The decoded footer of a block: where each section is and its CRC ({@link BlockFormat}).
 * Lengths are unsigned 32-bit on disk; a block's index sections stay far below 2 GiB.
 */
record BlockFooter(
        long pagesOffset, long pagesLength,
        long directoryOffset, int directoryLength, int directoryCrc,
        long dictionariesOffset, int dictionariesLength, int dictionariesCrc,
        long postingsOffset, int postingsLength, int postingsCrc,
        long bloomsOffset, int bloomsLength,
        int fileCrc) {

    /** Where the footer starts: the end of the last section. */
    long footerOffset() {
        return bloomsOffset + Integer.toUnsignedLong(bloomsLength);
    }
}
