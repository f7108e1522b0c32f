package io.timberdb.storage.block;

import io.timberdb.storage.codec.ByteSource;
import io.timberdb.storage.codec.Codec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * A block's logical content, independent of the exact bytes its codec produced: the header, each
 * page's directory fields and decompressed columns, and the index sections, but no offsets or
 * CRCs that depend on compressed sizes. Two blocks with equal dumps hold the same data in the same
 * layout. Compression libraries may legitimately change their output between versions (and
 * lz4-java's native and Java compressors differ), so golden tests compare dumps for compressed
 * codecs and raw bytes only for {@link Codec#NONE}.
 */
final class BlockDump {

    private static final HexFormat HEX = HexFormat.of();

    private BlockDump() {
    }

    static List<String> of(byte[] file) {
        Path path = Path.of("dump");
        List<String> lines = new ArrayList<>();
        BlockHeader header = BlockFormat.decodeHeader(path, Arrays.copyOf(file, BlockFormat.HEADER_SIZE));
        lines.add("header " + HEX.formatHex(file, 0, BlockFormat.HEADER_SIZE));
        int footerOffset = file.length - BlockFormat.FOOTER_SIZE;
        BlockFooter footer = BlockFormat.decodeFooter(path, Arrays.copyOfRange(file, footerOffset, file.length),
                footerOffset, header);
        List<PageFormat.PageEntry> pages = PageFormat.readDirectory(path, slice(file, footer.directoryOffset(),
                footer.directoryLength()), header, footer);
        for (int p = 0; p < pages.size(); p++) {
            PageFormat.PageEntry page = pages.get(p);
            lines.add("page " + p + " entries=" + page.entryCount() + " min=" + page.minTimestamp() + " max="
                    + page.maxTimestamp() + " bloom@" + page.bloomOffset() + "+" + page.bloomLength());
            ByteSource in = new ByteSource(file, (int) page.offset(), page.length());
            for (int c = 0; c < PageFormat.COLUMN_COUNT; c++) {
                in.skip(PageFormat.CHUNK_CRC_LENGTH);
                int encoding = in.u8();
                int uncompressed = in.getInt();
                byte[] stored = in.bytes(in.getInt());
                byte[] content = encoding == PageFormat.ENCODING_RAW ? stored
                        : header.codec().decompress(stored, uncompressed);
                lines.add("  " + PageFormat.COLUMN_NAMES[c] + " encoding=" + encoding + " " + HEX.formatHex(content));
            }
        }
        lines.add("dictionaries " + HEX.formatHex(slice(file, footer.dictionariesOffset(), footer.dictionariesLength())));
        lines.add("postings " + HEX.formatHex(slice(file, footer.postingsOffset(), footer.postingsLength())));
        lines.add("blooms " + HEX.formatHex(slice(file, footer.bloomsOffset(), footer.bloomsLength())));
        return lines;
    }

    private static byte[] slice(byte[] file, long offset, int length) {
        return Arrays.copyOfRange(file, (int) offset, (int) offset + length);
    }
}
