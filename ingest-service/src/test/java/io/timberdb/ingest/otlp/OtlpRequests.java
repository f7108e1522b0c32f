package io.timberdb.ingest.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Builds OTLP protobuf messages field by field with {@link CodedOutputStream}, for tests; each
 * method answers a message's bytes, which the enclosing message writes as a length-delimited field.
 */
final class OtlpRequests {

    /** Writes some fields of a message. */
    interface Fields {
        void write(CodedOutputStream out) throws IOException;
    }

    private OtlpRequests() {
    }

    static byte[] message(Fields fields) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            fields.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code repeated} message field {@code number}: each of {@code messages}. */
    static Fields each(int number, byte[]... messages) {
        return out -> {
            for (byte[] message : messages) {
                out.writeByteArray(number, message);
            }
        };
    }

    static byte[] request(byte[]... resourceLogs) {
        return message(each(1, resourceLogs));
    }

    static byte[] resourceLogs(byte[] resource, byte[]... scopeLogs) {
        return message(out -> {
            if (resource != null) {
                out.writeByteArray(1, resource);
            }
            each(2, scopeLogs).write(out);
            out.writeString(3, "https://opentelemetry.io/schemas/1.26.0");
        });
    }

    static byte[] resource(byte[]... attributes) {
        return message(each(1, attributes));
    }

    static byte[] scopeLogs(String name, String version, byte[]... records) {
        return message(out -> {
            out.writeByteArray(1, message(scope -> {
                scope.writeString(1, name);
                scope.writeString(2, version);
                scope.writeByteArray(3, keyValue("ignored", string("scope attribute")));
            }));
            each(2, records).write(out);
        });
    }

    /** A log record; {@code attributes} are {@link #keyValue}s, {@code body} an AnyValue or null. */
    static byte[] record(long time, long observed, int severity, String severityText, byte[] body, byte[] traceId,
                         byte[] spanId, byte[]... attributes) {
        return message(out -> {
            if (time != 0) {
                out.writeFixed64(1, time);
            }
            if (severity != 0) {
                out.writeEnum(2, severity);
            }
            if (severityText != null) {
                out.writeString(3, severityText);
            }
            if (body != null) {
                out.writeByteArray(5, body);
            }
            each(6, attributes).write(out);
            out.writeUInt32(7, 0);
            out.writeFixed32(8, 1);
            if (traceId != null) {
                out.writeByteArray(9, traceId);
            }
            if (spanId != null) {
                out.writeByteArray(10, spanId);
            }
            if (observed != 0) {
                out.writeFixed64(11, observed);
            }
        });
    }

    static byte[] keyValue(String key, byte[] value) {
        return message(out -> {
            out.writeString(1, key);
            out.writeByteArray(2, value);
        });
    }

    static byte[] string(String value) {
        return message(out -> out.writeString(1, value));
    }

    static byte[] bool(boolean value) {
        return message(out -> out.writeBool(2, value));
    }

    static byte[] integer(long value) {
        return message(out -> out.writeInt64(3, value));
    }

    static byte[] dbl(double value) {
        return message(out -> out.writeDouble(4, value));
    }

    static byte[] array(byte[]... values) {
        return message(out -> out.writeByteArray(5, message(each(1, values))));
    }

    static byte[] kvlist(byte[]... keyValues) {
        return message(out -> out.writeByteArray(6, message(each(1, keyValues))));
    }

    static byte[] bytes(byte[] value) {
        return message(out -> out.writeBytes(7, ByteString.copyFrom(value)));
    }
}
