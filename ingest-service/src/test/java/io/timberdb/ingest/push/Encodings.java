package io.timberdb.ingest.push;

import com.github.luben.zstd.Zstd;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Request bodies as clients compress them, for the write routes' tests. */
public final class Encodings {

    private Encodings() {
    }

    /** {@code plain} gzipped ({@code Content-Encoding: gzip}). */
    public static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** {@code plain} as one zstd frame ({@code Content-Encoding: zstd}). */
    public static byte[] zstd(byte[] plain) {
        return Zstd.compress(plain, 3);
    }
}
