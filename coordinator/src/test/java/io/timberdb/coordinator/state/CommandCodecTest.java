package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CommandCodecTest {

    static final Command.CreatePartition GOLDEN_CREATE = new Command.CreatePartition(
            "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "my-application-logs",
            Map.of("environment", "development", "application", "web-service"), 30,
            Instant.parse("2024-03-15T10:30:00Z"), 3);
    static final Command.RegisterNode GOLDEN_REGISTER = new Command.RegisterNode(
            "storage-2", "http://127.0.0.1:7822", Instant.parse("2024-03-15T10:29:58.125Z"));

    static final Command.RecordVoter GOLDEN_RECORD_VOTER = new Command.RecordVoter(
            new VoterAddress("coordinator-4", "10.0.0.14:7811", "http://10.0.0.14:7801"));
    static final Command.ForgetVoter GOLDEN_FORGET_VOTER = new Command.ForgetVoter("coordinator-2");

    @Test
    void decodesAndEncodesTheGoldenVersion2VoterCommands() throws IOException {
        assertThat(CommandCodec.decode(ByteBuffer.wrap(golden("record-voter.v2.cmd")))).isEqualTo(GOLDEN_RECORD_VOTER);
        assertThat(CommandCodec.decode(ByteBuffer.wrap(golden("forget-voter.v2.cmd")))).isEqualTo(GOLDEN_FORGET_VOTER);
        assertThat(CommandCodec.encode(GOLDEN_RECORD_VOTER)).isEqualTo(golden("record-voter.v2.cmd"));
        assertThat(CommandCodec.encode(GOLDEN_FORGET_VOTER)).isEqualTo(golden("forget-voter.v2.cmd"));
    }

    @Test
    void aVoterCommandInAVersion1FrameIsRefused() throws IOException {
        byte[] frame = golden("record-voter.v2.cmd");
        frame[CommandCodec.VERSION_OFFSET] = 1;

        assertRejected(frame, "needs format version 2");
    }

    @Test
    void decodesTheGoldenVersion1CreatePartition() throws IOException {
        assertThat(CommandCodec.decode(ByteBuffer.wrap(golden("create-partition.v1.cmd")))).isEqualTo(GOLDEN_CREATE);
    }

    @Test
    void decodesTheGoldenVersion1RegisterNode() throws IOException {
        assertThat(CommandCodec.decode(ByteBuffer.wrap(golden("register-node.v1.cmd")))).isEqualTo(GOLDEN_REGISTER);
    }

    @Test
    void encodesByteForByteAsTheGoldenFrames() throws IOException {
        assertThat(CommandCodec.encode(GOLDEN_CREATE)).isEqualTo(golden("create-partition.v1.cmd"));
        assertThat(CommandCodec.encode(GOLDEN_REGISTER)).isEqualTo(golden("register-node.v1.cmd"));
    }

    @Test
    void frameStartsWithMagicAndTheOldestVersionThatHasTheCommand() {
        byte[] frame = CommandCodec.encode(GOLDEN_REGISTER);

        assertThat(new String(frame, 0, CommandCodec.MAGIC_LENGTH, StandardCharsets.US_ASCII)).isEqualTo("TC");
        assertThat(frame[CommandCodec.VERSION_OFFSET]).isEqualTo((byte) 1);
        assertThat(CommandCodec.encode(GOLDEN_FORGET_VOTER)[CommandCodec.VERSION_OFFSET]).isEqualTo((byte) CommandCodec.CURRENT);
        assertThat((char) frame[CommandCodec.BODY_OFFSET]).isEqualTo('{');
    }

    @Test
    void decodingLeavesTheBufferPositionAlone() {
        ByteBuffer buffer = ByteBuffer.wrap(CommandCodec.encode(GOLDEN_CREATE));

        CommandCodec.decode(buffer);

        assertThat(buffer.position()).isZero();
    }

    @Test
    void rejectsBadMagic() throws IOException {
        byte[] frame = golden("create-partition.v1.cmd");
        frame[0] = 'X';

        assertRejected(frame, "bad magic");
    }

    @Test
    void rejectsUnknownVersions() throws IOException {
        byte[] frame = golden("create-partition.v1.cmd");
        frame[CommandCodec.VERSION_OFFSET] = 3;
        assertRejected(frame, "unsupported format version 3");
        frame[CommandCodec.VERSION_OFFSET] = 0;
        assertRejected(frame, "unsupported format version 0");
    }

    @Test
    void rejectsTruncatedFrames() throws IOException {
        byte[] frame = golden("create-partition.v1.cmd");

        assertRejected(new byte[0], "truncated");
        assertRejected(Arrays.copyOf(frame, 2), "truncated");
        assertRejected(Arrays.copyOf(frame, CommandCodec.BODY_OFFSET), "malformed");
        assertRejected(Arrays.copyOf(frame, frame.length / 2), "malformed");
    }

    @Test
    void rejectsJunkUnknownTypesUnknownFieldsAndInvalidValues() {
        assertRejected(frame("not json at all"), "malformed");
        assertRejected(frame("{\"type\":\"drop_everything\",\"id\":\"x\"}"), "malformed");
        assertRejected(frame("{\"type\":\"register_node\",\"id\":\"s\",\"address\":\"http://a\",\"at\":\"2024-03-15T10:30:00Z\",\"extra\":1}"),
                "malformed");
        assertRejected(frame("{\"type\":\"register_node\",\"id\":\"s\",\"address\":\"http://a\"}"), "malformed");
        assertRejected(frame("{\"type\":\"create_partition\",\"id\":\"p\",\"name\":\"n\",\"tags\":{},\"retention_days\":1,"
                + "\"created_at\":\"2024-03-15T10:30:00Z\",\"shard_count\":0}"), "malformed");
    }

    private static byte[] frame(String json) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        byte[] frame = new byte[3 + body.length];
        frame[0] = 'T';
        frame[1] = 'C';
        frame[2] = 1;
        System.arraycopy(body, 0, frame, 3, body.length);
        return frame;
    }

    private static void assertRejected(byte[] frame, String reason) {
        assertThatThrownBy(() -> CommandCodec.decode(ByteBuffer.wrap(frame)))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageContaining("command")
                .hasMessageContaining(reason);
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = CommandCodecTest.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("no golden file " + name);
            }
            return in.readAllBytes();
        }
    }
}
