package io.timberdb.ingest.loki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProtobufPushDecoderTest {

    final ProtobufPushDecoder decoder = new ProtobufPushDecoder(1 << 20);

    @Test
    void skipsFieldsOfOtherNumbersAsProtobufReadersDo() {
        byte[] message = LokiPushes.message(out -> {
            out.writeString(9, "a newer client's field");
            out.writeByteArray(1, LokiPushes.message(s -> {
                s.writeFixed64(7, 42);
                s.writeString(1, "{job=\"a\"}");
                s.writeByteArray(2, LokiPushes.message(e -> {
                    e.writeInt32(5, 1);
                    e.writeByteArray(1, LokiPushes.message(t -> t.writeInt64(1, 10)));
                    e.writeString(2, "line");
                }));
            }));
        });
        List<PushedStream> streams = decoder.decodeMessage(message);
        assertThat(streams).hasSize(1);
        assertThat(streams.get(0).labels()).containsEntry("job", "a");
        assertThat(streams.get(0).entries()).singleElement().satisfies(entry -> {
            assertThat(entry.timestamp()).isEqualTo(Instant.ofEpochSecond(10));
            assertThat(entry.line()).isEqualTo("line");
            assertThat(entry.path()).isEqualTo("streams[0].entries[0]");
        });
    }

    @Test
    void aKnownFieldOfTheWrongWireTypeOrAMissingTimestampIsRefusedNamingIt() {
        byte[] wrongType = LokiPushes.message(out -> out.writeByteArray(1, LokiPushes.message(s -> s.writeInt32(1, 7))));
        assertThatThrownBy(() -> decoder.decodeMessage(wrongType)).isInstanceOfSatisfying(TimberException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MALFORMED_PROTOBUF);
            assertThat(e.field()).isEqualTo("streams[0].labels");
        });
        byte[] noTimestamp = LokiPushes.message(out -> out.writeByteArray(1, LokiPushes.message(s -> {
            s.writeString(1, "{job=\"a\"}");
            s.writeByteArray(2, LokiPushes.message(e -> e.writeString(2, "line")));
        })));
        assertThatThrownBy(() -> decoder.decodeMessage(noTimestamp)).isInstanceOfSatisfying(TimberException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.MISSING_FIELD);
            assertThat(e.field()).isEqualTo("streams[0].entries[0].timestamp");
        });
    }
}
