package io.timberdb.ingest.loki;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Builds Loki push bodies the way Promtail does (protobuf, snappy block), written field by field
 * with {@link CodedOutputStream} so that the decoder is tested against an independent encoder.
 */
public final class LokiPushes {

    /** One entry: seconds and nanos of its timestamp, its line and structured metadata. */
    public record Entry(long seconds, int nanos, String line, Map<String, String> metadata) {
        public Entry(long seconds, int nanos, String line) {
            this(seconds, nanos, line, Map.of());
        }
    }

    /** One stream: its Prometheus label text and entries. */
    public record Stream(String labels, List<Entry> entries) {
    }

    private LokiPushes() {
    }

    /** The snappy-compressed PushRequest of {@code streams}. */
    public static byte[] snappy(List<Stream> streams) {
        try {
            return Snappy.compress(pushRequest(streams));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The uncompressed PushRequest of {@code streams}. */
    public static byte[] pushRequest(List<Stream> streams) {
        return message(out -> {
            for (Stream stream : streams) {
                out.writeByteArray(1, message(s -> {
                    s.writeString(1, stream.labels());
                    for (Entry entry : stream.entries()) {
                        s.writeByteArray(2, message(e -> {
                            e.writeByteArray(1, message(t -> {
                                t.writeInt64(1, entry.seconds());
                                t.writeInt32(2, entry.nanos());
                            }));
                            e.writeString(2, entry.line());
                            for (var pair : entry.metadata().entrySet()) {
                                e.writeByteArray(3, message(p -> {
                                    p.writeString(1, pair.getKey());
                                    p.writeString(2, pair.getValue());
                                }));
                            }
                        }));
                    }
                    s.writeUInt64(3, stream.labels().hashCode() & 0xffffffffL);
                }));
            }
        });
    }

    interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    static byte[] message(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
