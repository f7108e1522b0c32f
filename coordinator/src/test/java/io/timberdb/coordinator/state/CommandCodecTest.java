package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.Compression;
import io.timberdb.model.cluster.StorageNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
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

    private static final String PAYMENTS = "0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d";

    static final Map<String, Command> GOLDEN_V3 = Map.of(
            "create-partition.v3.cmd", new Command.CreatePartition(PAYMENTS, "payments", Map.of("team", "billing"), 90,
                    Instant.parse("2024-03-16T08:00:00Z"), 4, new Compression("ZSTD", 3, null), 3, 3, "acme"),
            "register-node.v3.cmd", new Command.RegisterNode("storage-3", "http://10.0.1.3:7821",
                    Instant.parse("2024-03-16T07:59:00Z"), "eu-west-1b", 2_000_000_000_000L),
            "update-partition.v3.cmd", new Command.UpdatePartition(PAYMENTS, 7, Map.of("tier", "hot", "team", "billing")),
            "delete-partition.v3.cmd", new Command.DeletePartition(PAYMENTS),
            "set-node-state.v3.cmd", new Command.SetNodeState("storage-3", StorageNode.State.DEAD,
                    Instant.parse("2024-03-16T09:00:30Z")),
            "apply-moves.v3.cmd", new Command.ApplyMoves(List.of(
                    new ReplicaMove(PAYMENTS, 0, "storage-3", "storage-4", true),
                    new ReplicaMove(PAYMENTS, 2, "storage-3", "storage-1", false))));

    static final Map<String, Command> GOLDEN_V4 = Map.of(
            "alter-isr.v4.cmd", new Command.AlterIsr(PAYMENTS, 1, "storage-1", 3,
                    List.of("storage-1", "storage-2", "storage-3"), List.of("storage-1", "storage-2")),
            "elect-leaders.v4.cmd", new Command.ElectLeaders("storage-3", List.of(
                    new Command.LeaderChange(PAYMENTS, 0, 4, "storage-1", List.of("storage-1", "storage-2")),
                    new Command.LeaderChange(PAYMENTS, 2, 1, "storage-2", List.of("storage-2")))),
            "complete-moves.v4.cmd", new Command.CompleteMoves(List.of(
                    new Command.MoveCompletion(PAYMENTS, 0, 5, List.of("storage-3")))));

    @Test
    void decodesAndEncodesTheGoldenVersion4CommandsAndRefusesThemInAnOlderFrame() throws IOException {
        assertGoldenCommands(GOLDEN_V4, 4);
    }

    @Test
    void replicationCommandsRejectValuesAProposerMustNeverSend() {
        assertThatThrownBy(() -> new Command.AlterIsr("p", 0, "a", 1, List.of("a"), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command.AlterIsr("p", 0, "a", 1, List.of("a"), List.of("b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command.ElectLeaders("a", List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command.LeaderChange("p", 0, 1, "b", List.of("c")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command.CompleteMoves(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Command.MoveCompletion("p", 0, 1, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertRejected(("TC\u0004{\"type\":\"alter_isr\",\"partition_id\":\"p\",\"shard\":0,\"leader\":\"a\","
                + "\"epoch\":1,\"isr\":[\"a\"],\"new_isr\":[\"b\"]}").getBytes(StandardCharsets.UTF_8), "malformed body");
    }

    @Test
    void decodesAndEncodesTheGoldenVersion3CommandsAndRefusesThemInAnOlderFrame() throws IOException {
        assertGoldenCommands(GOLDEN_V3, 3);
    }

    /** Each golden frame decodes to its command and encodes byte for byte; one version older, it is refused. */
    private static void assertGoldenCommands(Map<String, Command> goldens, int version) throws IOException {
        for (Map.Entry<String, Command> golden : goldens.entrySet()) {
            byte[] frame = golden(golden.getKey());
            assertThat(frame[CommandCodec.VERSION_OFFSET]).as(golden.getKey()).isEqualTo((byte) version);
            assertThat(CommandCodec.decode(ByteBuffer.wrap(frame))).as(golden.getKey()).isEqualTo(golden.getValue());
            assertThat(new String(CommandCodec.encode(golden.getValue()), StandardCharsets.UTF_8)).as(golden.getKey())
                    .isEqualTo(new String(frame, StandardCharsets.UTF_8));
            frame[CommandCodec.VERSION_OFFSET] = (byte) (version - 1);
            assertRejected(frame, "needs format version " + version);
        }
    }

    @Test
    void replicaFieldsEqualToTheirDefaultsKeepTheVersion1Encoding() throws IOException {
        Command.CreatePartition explicit = new Command.CreatePartition(GOLDEN_CREATE.id(), GOLDEN_CREATE.name(),
                GOLDEN_CREATE.tags(), 30, GOLDEN_CREATE.createdAt(), 3, null, 1, 1, "default");
        Command.RegisterNode blankZone = new Command.RegisterNode(GOLDEN_REGISTER.id(), GOLDEN_REGISTER.address(),
                GOLDEN_REGISTER.at(), " ", null);

        assertThat(explicit).isEqualTo(GOLDEN_CREATE);
        assertThat(CommandCodec.encode(explicit)).isEqualTo(golden("create-partition.v1.cmd"));
        assertThat(CommandCodec.encode(blankZone)).isEqualTo(golden("register-node.v1.cmd"));
        // Replication factor 3 means a minimum ISR of 2 unless told otherwise.
        Command.CreatePartition rf3 = new Command.CreatePartition("p", "n", null, 1, GOLDEN_CREATE.createdAt(), 1, null,
                3, 2, null);
        assertThat(rf3.minInsyncReplicas()).isNull();
        assertThat(rf3.effectiveMinInsyncReplicas()).isEqualTo(2);
        assertThat(CommandCodec.encode(rf3)[CommandCodec.VERSION_OFFSET]).isEqualTo((byte) 3);
    }

    @Test
    void commandsRejectReplicaValuesOutOfRange() {
        Instant at = GOLDEN_CREATE.createdAt();
        assertThatThrownBy(() -> new Command.CreatePartition("p", "n", null, 1, at, 1, null, 6, null, null))
                .hasMessageContaining("replication_factor");
        assertThatThrownBy(() -> new Command.CreatePartition("p", "n", null, 1, at, 1, null, 2, 3, null))
                .hasMessageContaining("min_insync_replicas");
        assertThatThrownBy(() -> new Command.RegisterNode("s", "http://a", at, null, -1L))
                .hasMessageContaining("capacity_bytes");
        assertThatThrownBy(() -> new Command.SetNodeState("s", StorageNode.State.JOINING, at))
                .hasMessageContaining("joining");
        assertThatThrownBy(() -> new Command.ApplyMoves(List.of())).hasMessageContaining("no moves");
    }

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
        assertThat(CommandCodec.encode(GOLDEN_FORGET_VOTER)[CommandCodec.VERSION_OFFSET]).isEqualTo((byte) 2);
        assertThat(CommandCodec.encode(new Command.DeletePartition("p"))[CommandCodec.VERSION_OFFSET])
                .isEqualTo((byte) 3);
        assertThat(CommandCodec.encode(GOLDEN_V4.get("alter-isr.v4.cmd"))[CommandCodec.VERSION_OFFSET])
                .isEqualTo((byte) CommandCodec.CURRENT);
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
        frame[CommandCodec.VERSION_OFFSET] = 5;
        assertRejected(frame, "unsupported format version 5");
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
