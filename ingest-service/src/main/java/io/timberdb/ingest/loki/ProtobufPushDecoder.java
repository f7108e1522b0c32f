package io.timberdb.ingest.loki;

import com.google.protobuf.CodedInputStream;
import io.timberdb.ingest.push.ProtobufReader;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.xerial.snappy.Snappy;

/**
 * Decodes the protobuf body of a Loki push, as Promtail, Alloy and most Loki clients send it: a
 * snappy <em>block</em> (not the framed stream format) holding a {@code logproto.PushRequest}.
 * The wire format is read by hand with {@link CodedInputStream}: no {@code .proto} file, no
 * generated code, no protoc step. The messages and the field numbers read:
 *
 * <pre>
 * PushRequest      { repeated StreamAdapter streams = 1; }
 * StreamAdapter    { string labels = 1;                 // Prometheus text: {job="x", level="info"}
 *                    repeated EntryAdapter entries = 2;
 *                    uint64 hash = 3; }                 // ignored
 * EntryAdapter     { Timestamp timestamp = 1;           // google.protobuf.Timestamp, required
 *                    string line = 2;
 *                    repeated LabelPairAdapter structuredMetadata = 3; }
 * LabelPairAdapter { string name = 1; string value = 2; }
 * Timestamp        { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 *
 * <p>Fields of other numbers are skipped, as protobuf readers do; a known field with the wrong
 * wire type, a truncated message, a string that is not UTF-8 or a malformed varint is refused
 * with {@code MALFORMED_PROTOBUF} naming the innermost field being read, e.g.
 * {@code streams[1].entries[4].line}. A body that is not a valid snappy block is
 * {@code MALFORMED_COMPRESSION}; one whose snappy header announces more than the configured
 * maximum is {@code PAYLOAD_TOO_LARGE}, refused before anything is allocated for it.
 *
 * <p>Thread-safe: immutable; each call decodes with state of its own.
 */
final class ProtobufPushDecoder {

    private static final int PUSH_STREAMS = 1;
    private static final int STREAM_LABELS = 1;
    private static final int STREAM_ENTRIES = 2;
    private static final int ENTRY_TIMESTAMP = 1;
    private static final int ENTRY_LINE = 2;
    private static final int ENTRY_METADATA = 3;
    private static final int PAIR_NAME = 1;
    private static final int PAIR_VALUE = 2;
    private static final int TIMESTAMP_SECONDS = 1;
    private static final int TIMESTAMP_NANOS = 2;

    private final long maxDecompressedSize;

    ProtobufPushDecoder(long maxDecompressedSize) {
        this.maxDecompressedSize = maxDecompressedSize;
    }

    /** The streams of a snappy-compressed {@code PushRequest}. */
    List<PushedStream> decode(byte[] snappy) {
        return decodeMessage(uncompress(snappy));
    }

    byte[] uncompress(byte[] snappy) {
        if (snappy.length == 0) {
            return snappy; // an empty PushRequest; snappy itself would compress it to one byte
        }
        int length;
        try {
            length = Snappy.uncompressedLength(snappy);
        } catch (IOException e) {
            throw brokenSnappy(e);
        }
        if (length < 0 || length > maxDecompressedSize) {
            throw new TimberException(ErrorCode.PAYLOAD_TOO_LARGE, "the body decompresses to more than "
                    + maxDecompressedSize + " bytes");
        }
        try {
            if (!Snappy.isValidCompressedBuffer(snappy)) {
                throw brokenSnappy(null);
            }
            byte[] out = new byte[length];
            int written = Snappy.uncompress(snappy, 0, snappy.length, out, 0);
            if (written != length) {
                throw brokenSnappy(null);
            }
            return out;
        } catch (IOException e) {
            throw brokenSnappy(e);
        }
    }

    private static TimberException brokenSnappy(IOException e) {
        return new TimberException(ErrorCode.MALFORMED_COMPRESSION,
                "the body is not a snappy block (application/x-protobuf bodies are snappy-compressed protobuf)"
                        + (e == null ? "" : ": " + e.getMessage()), null, e);
    }

    /** The streams of an uncompressed {@code PushRequest}. */
    List<PushedStream> decodeMessage(byte[] message) {
        return ProtobufReader.decode(message, "streams", in -> new Reader(in).pushRequest());
    }

    /** One message's decoding. Not thread-safe: one per call. */
    private static final class Reader {

        private final ProtobufReader in;

        Reader(ProtobufReader in) {
            this.in = in;
        }

        List<PushedStream> pushRequest() throws IOException {
            List<PushedStream> streams = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                if (ProtobufReader.number(tag) == PUSH_STREAMS) {
                    String path = "streams[" + streams.size() + "]";
                    int limit = in.enter(tag, path);
                    streams.add(stream(path));
                    in.leave(limit);
                } else {
                    in.skip(tag);
                }
            }
            return streams;
        }

        private PushedStream stream(String path) throws IOException {
            String labels = null;
            List<PushedStream.Entry> entries = new ArrayList<>();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case STREAM_LABELS -> labels = in.string(tag, path + ".labels");
                    case STREAM_ENTRIES -> {
                        String entryPath = path + ".entries[" + entries.size() + "]";
                        int limit = in.enter(tag, entryPath);
                        entries.add(entry(entryPath));
                        in.leave(limit);
                    }
                    default -> in.skip(tag);
                }
            }
            String labelsPath = path + ".labels";
            if (labels == null) {
                throw TimberException.missingField(labelsPath);
            }
            return new PushedStream(labelsPath, false, LabelText.parse(labels, labelsPath), entries);
        }

        private PushedStream.Entry entry(String path) throws IOException {
            Instant timestamp = null;
            String line = "";
            Map<String, String> metadata = Map.of();
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case ENTRY_TIMESTAMP -> {
                        int limit = in.enter(tag, path + ".timestamp");
                        timestamp = timestamp(path + ".timestamp");
                        in.leave(limit);
                    }
                    case ENTRY_LINE -> line = in.string(tag, path + ".line");
                    case ENTRY_METADATA -> {
                        if (metadata.isEmpty()) {
                            metadata = new LinkedHashMap<>();
                        }
                        String pairPath = path + ".structuredMetadata[" + metadata.size() + "]";
                        int limit = in.enter(tag, pairPath);
                        pair(pairPath, metadata);
                        in.leave(limit);
                    }
                    default -> in.skip(tag);
                }
            }
            if (timestamp == null) {
                throw TimberException.missingField(path + ".timestamp");
            }
            return new PushedStream.Entry(path, timestamp, line, metadata);
        }

        private void pair(String path, Map<String, String> into) throws IOException {
            String name = "";
            String value = "";
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case PAIR_NAME -> name = in.string(tag, path + ".name");
                    case PAIR_VALUE -> value = in.string(tag, path + ".value");
                    default -> in.skip(tag);
                }
            }
            if (name.isBlank()) {
                throw TimberException.invalidField(path + ".name", "must not be blank");
            }
            into.put(name, value);
        }

        private Instant timestamp(String path) throws IOException {
            long seconds = 0;
            int nanos = 0;
            for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
                switch (ProtobufReader.number(tag)) {
                    case TIMESTAMP_SECONDS -> seconds = in.int64(tag, path + ".seconds");
                    case TIMESTAMP_NANOS -> nanos = in.int32(tag, path + ".nanos");
                    default -> in.skip(tag);
                }
            }
            return EntryTime.fromSeconds(seconds, nanos, path);
        }
    }
}
