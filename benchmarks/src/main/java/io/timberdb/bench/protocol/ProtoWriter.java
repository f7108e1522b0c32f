package io.timberdb.bench.protocol;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes one protobuf message by hand with {@link CodedOutputStream}: fields in the order called,
 * a nested message as the bytes of another writer (length-delimited, wire type 2). Enough for the
 * Loki and OTLP request bodies; no generated code.
 *
 * <p>Not thread-safe: one per message.
 */
final class ProtoWriter {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final CodedOutputStream out = CodedOutputStream.newInstance(bytes);

    ProtoWriter string(int field, String value) {
        return write(() -> out.writeString(field, value));
    }

    ProtoWriter message(int field, ProtoWriter message) {
        return bytes(field, message.toByteArray());
    }

    ProtoWriter bytes(int field, byte[] value) {
        return write(() -> out.writeByteArray(field, value));
    }

    ProtoWriter int64(int field, long value) {
        return write(() -> out.writeInt64(field, value));
    }

    ProtoWriter int32(int field, int value) {
        return write(() -> out.writeInt32(field, value));
    }

    ProtoWriter fixed64(int field, long value) {
        return write(() -> out.writeFixed64(field, value));
    }

    byte[] toByteArray() {
        write(out::flush);
        return bytes.toByteArray();
    }

    /** One write into the in-memory stream, which does not fail. */
    private interface Write {
        void run() throws IOException;
    }

    private ProtoWriter write(Write write) {
        try {
            write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }
}
