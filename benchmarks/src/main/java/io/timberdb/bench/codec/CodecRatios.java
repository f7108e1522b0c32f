package io.timberdb.bench.codec;

import io.timberdb.bench.Args;
import io.timberdb.bench.jmh.BenchData;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Compression ratios, block at a time, of (a) generated loghub text and (b) optionally the files
 * under a directory (e.g. a TimberDB WAL, to estimate what block compression could save).
 * Prints a markdown table. Each block is compressed on its own, as a block format would.
 *
 * <pre>
 * CodecRatios [--text-mb 32] [--blocks 65536,1048576] [--codecs LZ4,ZSTD_3,…] [--files DIR]
 * </pre>
 */
public final class CodecRatios {

    private CodecRatios() {
    }

    public static void main(String[] argv) {
        Args args = Args.parse(argv, List.of());
        int textMb = (int) args.longValue("text-mb", 32);
        List<Integer> blocks = new ArrayList<>();
        for (String b : args.get("blocks", "65536,1048576").split(",")) {
            blocks.add(Integer.parseInt(b.trim()));
        }
        List<Codec> codecs = new ArrayList<>();
        for (String c : args.get("codecs", String.join(",", Stream.of(Codec.values()).map(Enum::name).toList())).split(",")) {
            codecs.add(Codec.valueOf(c.trim().toUpperCase(Locale.ROOT)));
        }
        String files = args.get("files", null);
        args.rejectUnknown();

        if (files == null) {
            System.out.println("| text | block | codec | ratio (uncompressed / compressed) | compressed B per 100 B |");
            System.out.println("|---|---:|---|---:|---:|");
            for (BenchData.Text kind : BenchData.Text.values()) {
                byte[] text = BenchData.text(kind, textMb * 1_000_000);
                for (int block : blocks) {
                    for (Codec codec : codecs) {
                        long compressed = compressAll(codec, List.of(text), block);
                        System.out.printf(Locale.ROOT, "| %s (%d MB) | %s | %s | %.2f | %.1f |%n", kind.name().toLowerCase(Locale.ROOT),
                                textMb, human(block), codec, (double) text.length / compressed, 100.0 * compressed / text.length);
                    }
                }
            }
        } else {
            List<Path> paths;
            try (Stream<Path> walk = Files.walk(Path.of(files))) {
                paths = walk.filter(Files::isRegularFile).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            long total = 0;
            for (Path p : paths) {
                try {
                    total += Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            System.out.printf(Locale.ROOT, "files under %s: %d, %,d bytes%n", files, paths.size(), total);
            System.out.println("| block | codec | compressed bytes | ratio |");
            System.out.println("|---:|---|---:|---:|");
            for (int block : blocks) {
                for (Codec codec : codecs) {
                    long compressed = compressFiles(codec, paths, block);
                    System.out.printf(Locale.ROOT, "| %s | %s | %d | %.2f |%n", human(block), codec, compressed,
                            (double) total / compressed);
                    System.out.printf(Locale.ROOT, "RATIO codec=%s block=%d input=%d compressed=%d%n", codec, block, total, compressed);
                }
            }
        }
    }

    private static long compressAll(Codec codec, List<byte[]> inputs, int block) {
        Codec.Engine engine = codec.engine();
        byte[] src = new byte[block];
        byte[] dst = new byte[engine.maxCompressedLength(block)];
        long out = 0;
        for (byte[] input : inputs) {
            for (int from = 0; from < input.length; from += block) {
                int n = Math.min(block, input.length - from);
                System.arraycopy(input, from, src, 0, n);
                out += engine.compress(src, n, dst);
            }
        }
        return out;
    }

    private static long compressFiles(Codec codec, List<Path> paths, int block) {
        Codec.Engine engine = codec.engine();
        byte[] src = new byte[block];
        byte[] dst = new byte[engine.maxCompressedLength(block)];
        long out = 0;
        for (Path p : paths) {
            try (InputStream in = Files.newInputStream(p)) {
                while (true) { // bounded by the file's length
                    int n = in.readNBytes(src, 0, block);
                    if (n == 0) {
                        break;
                    }
                    out += engine.compress(src, n, dst);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    private static String human(int bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes % 1024 == 0 ? (bytes >> 10) + " KiB" : bytes + " B";
    }
}
