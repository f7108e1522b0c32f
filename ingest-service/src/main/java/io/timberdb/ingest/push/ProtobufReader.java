package io.timberdb.ingest.push;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.IOException;

/**
 * A protobuf wire-format reader over {@link CodedInputStream} for the hand-written decoders of
 * agent protocols (Loki, OTLP): each read names the field's request path, checks the field's wire
 * type and remembers the path, so that {@link #decode} can refuse a malformed message with
 * {@code MALFORMED_PROTOBUF} naming the innermost field being read. A path is a {@link String}
 * or anything whose {@code toString} is the path, such as a {@link FieldPath}, which is made into
 * text only for that error. Wire types:
 *
 * <pre>
 * 0 VARINT            int32, int64, bool, enum        {@link #int32}, {@link #int64}, {@link #bool}
 * 1 FIXED64           fixed64, double                 {@link #fixed64}, {@link #float64}
 * 2 LENGTH_DELIMITED  string, bytes, embedded message {@link #string}, {@link #bytes}, {@link #enter}
 * </pre>
 *
 * Fields a decoder does not read are {@link #skip}ped, as protobuf readers do.
 *
 * <p>Not thread-safe: one per message decoded.
 */
public final class ProtobufReader {

    /** Reads a whole message. */
    public interface Body<T> {
        T read(ProtobufReader in) throws IOException;
    }

    private final CodedInputStream in;
    /** The path of the field being read, for errors. */
    private Object where;

    private ProtobufReader(CodedInputStream in, Object where) {
        this.in = in;
        this.where = where;
    }

    /**
     * Reads {@code message} with {@code body}; a malformed message is {@code MALFORMED_PROTOBUF}.
     *
     * @param root the path errors name before any field is read
     */
    public static <T> T decode(byte[] message, String root, Body<T> body) {
        ProtobufReader reader = new ProtobufReader(CodedInputStream.newInstance(message), root);
        try {
            return body.read(reader);
        } catch (InvalidProtocolBufferException e) {
            String where = reader.where.toString();
            throw new TimberException(ErrorCode.MALFORMED_PROTOBUF, "'" + where + "' is not valid protobuf: "
                    + e.getMessage(), where, e);
        } catch (IOException e) {
            throw new TimberException(ErrorCode.MALFORMED_PROTOBUF, "the body cannot be read: " + e.getMessage(),
                    reader.where.toString(), e);
        }
    }

    /** The next field's tag, 0 at the end of the message (or of the embedded message entered). */
    public int readTag() throws IOException {
        return in.readTag();
    }

    /** The field number of {@code tag}. */
    public static int number(int tag) {
        return WireFormat.getTagFieldNumber(tag);
    }

    /** A UTF-8 string field. */
    public String string(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
        return in.readStringRequireUtf8();
    }

    public byte[] bytes(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
        return in.readByteArray();
    }

    public long int64(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT, path);
        return in.readInt64();
    }

    /** An int32 or an enum. */
    public int int32(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT, path);
        return in.readInt32();
    }

    public boolean bool(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_VARINT, path);
        return in.readBool();
    }

    public long fixed64(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_FIXED64, path);
        return in.readFixed64();
    }

    public double float64(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_FIXED64, path);
        return in.readDouble();
    }

    /** Enters an embedded message: reads its length and limits reading to it; answers the limit to {@link #leave}. */
    public int enter(int tag, Object path) throws IOException {
        expect(tag, WireFormat.WIRETYPE_LENGTH_DELIMITED, path);
        return in.pushLimit(in.readRawVarint32());
    }

    /** Leaves the embedded message entered by the {@link #enter} that answered {@code limit}. */
    public void leave(int limit) {
        in.popLimit(limit);
    }

    /** Skips a field of a number the decoder does not read. */
    public void skip(int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new InvalidProtocolBufferException("an end-group tag outside a group");
        }
    }

    /** Checks that {@code tag} has wire type {@code expected}, after remembering {@code path}. */
    private void expect(int tag, int expected, Object path) throws IOException {
        where = path;
        if (WireFormat.getTagWireType(tag) != expected) {
            throw new InvalidProtocolBufferException("field " + number(tag) + " has wire type "
                    + WireFormat.getTagWireType(tag) + ", expected " + expected);
        }
    }
}
