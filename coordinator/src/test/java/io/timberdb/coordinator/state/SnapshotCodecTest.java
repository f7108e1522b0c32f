package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.Partition;
import io.timberdb.model.api.Partition.ShardPlacement;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {

    private static final ClusterView GOLDEN = new ClusterView(4, ClusterView.EMPTY.coordinator(),
            List.of(new StorageNode("storage-1", "http://127.0.0.1:7821", StorageNode.State.ACTIVE,
                            Instant.parse("2024-03-15T10:29:58.125Z")),
                    new StorageNode("storage-2", "http://127.0.0.1:7822", StorageNode.State.ACTIVE,
                            Instant.parse("2024-03-15T10:29:59Z"))),
            List.of(new Partition("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b", "my-application-logs",
                            Map.of("environment", "development", "application", "web-service"), 30,
                            Instant.parse("2024-03-15T10:30:00Z"),
                            List.of(new ShardPlacement(0, "storage-1"), new ShardPlacement(1, "storage-2"),
                                    new ShardPlacement(2, "storage-1"))),
                    new Partition("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "audit", Map.of(), 365,
                            Instant.parse("2024-03-15T10:31:00Z"), List.of(new ShardPlacement(0, "storage-2")))));

    private static final List<VoterAddress> GOLDEN_VOTERS = List.of(
            new VoterAddress("coordinator-1", "10.0.0.11:7811", "http://10.0.0.11:7801"),
            new VoterAddress("coordinator-4", "10.0.0.14:7811", "http://10.0.0.14:7801"));

    private static final ClusterView GOLDEN_V3 = new ClusterView(12, ClusterView.EMPTY.coordinator(),
            List.of(new StorageNode("storage-1", "http://10.0.1.1:7821", StorageNode.State.ACTIVE,
                            Instant.parse("2024-03-15T10:29:58.125Z"), "eu-west-1a", 2_000_000_000_000L),
                    new StorageNode("storage-2", "http://10.0.1.2:7821", StorageNode.State.DRAINING,
                            Instant.parse("2024-03-15T10:29:59Z"), "eu-west-1b", null),
                    new StorageNode("storage-3", "http://10.0.1.3:7821", StorageNode.State.DEAD,
                            Instant.parse("2024-03-15T10:30:01Z"))),
            List.of(new Partition("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5d", "payments", Map.of("team", "billing"), 90,
                            Instant.parse("2024-03-16T08:00:00Z"),
                            List.of(new ShardPlacement(0, List.of("storage-1", "storage-2"), 1),
                                    new ShardPlacement(1, "storage-2", List.of("storage-2", "storage-1"),
                                            List.of("storage-2"), 3)),
                            "ZSTD", 3, null, "acme", 2, 1),
                    new Partition("0195a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5c", "audit", Map.of(), 365,
                            Instant.parse("2024-03-15T10:31:00Z"), List.of(new ShardPlacement(0, List.of("storage-1"), 2)))));
    private static final MetadataSnapshot GOLDEN_V3_SNAPSHOT = new MetadataSnapshot(GOLDEN_V3,
            List.of(new VoterAddress("coordinator-1", "10.0.0.11:7811", "http://10.0.0.11:7801")), List.of("storage-2"));

    /** The version 3 state with a move in flight: shard 1 of payments drops its replica on storage-1. */
    private static final MetadataSnapshot GOLDEN_V4_SNAPSHOT = new MetadataSnapshot(new ClusterView(12,
            ClusterView.EMPTY.coordinator(), GOLDEN_V3.nodes(), List.of(GOLDEN_V3.partitions().get(0).withShards(List.of(
                    GOLDEN_V3.partitions().get(0).shards().get(0),
                    new ShardPlacement(1, "storage-2", List.of("storage-2", "storage-1"), List.of("storage-2"), 3,
                            List.of("storage-1")))), GOLDEN_V3.partitions().get(1))),
            GOLDEN_V3_SNAPSHOT.voters(), GOLDEN_V3_SNAPSHOT.decommissioning());

    @Test
    void decodesAndEncodesTheGoldenVersion4SnapshotWithAMoveInFlight() throws IOException {
        byte[] golden4 = CommandCodecTest.golden("metadata-snapshot.v4.json");
        assertThat(SnapshotCodec.decode(golden4)).isEqualTo(GOLDEN_V4_SNAPSHOT);
        assertThat(MetadataJson.MAPPER.readTree(SnapshotCodec.encode(GOLDEN_V4_SNAPSHOT)))
                .isEqualTo(MetadataJson.MAPPER.readTree(golden4));
    }

    @Test
    void aStateWithoutMovesInFlightIsStillWrittenAsVersion3AndAnOlderFileMustNotRemove() throws IOException {
        assertThat(new String(SnapshotCodec.encode(GOLDEN_V3_SNAPSHOT), StandardCharsets.UTF_8))
                .contains("\"format_version\" : 3").doesNotContain("removing");
        String v4 = new String(CommandCodecTest.golden("metadata-snapshot.v4.json"), StandardCharsets.UTF_8);
        assertRejected(v4.replace("\"format_version\" : 4", "\"format_version\" : 3").getBytes(StandardCharsets.UTF_8),
                "has no removing");
        assertRejected(v4.replace("\"removing\" : [ \"storage-1\" ]", "\"removing\" : [ \"storage-9\" ]")
                .getBytes(StandardCharsets.UTF_8), "malformed");
    }

    @Test
    void decodesTheGoldenVersion3Snapshot() throws IOException {
        assertThat(SnapshotCodec.decode(golden3())).isEqualTo(GOLDEN_V3_SNAPSHOT);
    }

    @Test
    void encodesTheGoldenVersion3Content() throws IOException {
        assertThat(MetadataJson.MAPPER.readTree(SnapshotCodec.encode(GOLDEN_V3_SNAPSHOT)))
                .isEqualTo(MetadataJson.MAPPER.readTree(golden3()));
    }

    @Test
    void olderSnapshotsReadAsOneReplicaAShardInSyncAtEpochOneOfTheDefaultTenant() throws IOException {
        Partition partition = SnapshotCodec.decode(golden2()).view().partitions().get(0);

        assertThat(partition.tenant()).isEqualTo(Partition.DEFAULT_TENANT);
        assertThat(partition.replicationFactor()).isEqualTo(1);
        assertThat(partition.minInsyncReplicas()).isEqualTo(1);
        assertThat(partition.shards().get(1)).isEqualTo(new ShardPlacement(1, "storage-2", List.of("storage-2"),
                List.of("storage-2"), 1));
    }

    @Test
    void versionsAndShardShapesMustAgree() throws IOException {
        String v3 = new String(golden3(), StandardCharsets.UTF_8);
        assertRejected(v3.replace("\"format_version\" : 3", "\"format_version\" : 2").getBytes(StandardCharsets.UTF_8),
                "malformed: a version 2");
        assertRejected(v3.replaceFirst("\"shard\" : 0,", "\"shard\" : 0, \"node\" : \"storage-1\",")
                .getBytes(StandardCharsets.UTF_8), "a version 3 shard is {shard, replicas, isr, epoch}");
        assertRejected(v3.replaceFirst("\"tenant\" : \"acme\",\\s*", "").getBytes(StandardCharsets.UTF_8),
                "a version 3 partition needs tenant");
        assertRejected(v3.replaceFirst("\"isr\" : \\[ \"storage-2\" \\]", "\"isr\" : [ \"storage-3\" ]")
                .getBytes(StandardCharsets.UTF_8), "malformed");
        String v2 = new String(golden2(), StandardCharsets.UTF_8);
        assertRejected(v2.replaceFirst("\"node\" : \"storage-1\"", "\"replicas\" : [ \"storage-1\" ]")
                .getBytes(StandardCharsets.UTF_8), "a version 2 shard is {shard, node}");
    }

    @Test
    void roundTripsTheStateOfAMetadataStateWithReplicasAndPendingDecommissions() {
        MetadataState state = new MetadataState();
        state.restore(GOLDEN_V3_SNAPSHOT);

        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(state.snapshot()))).isEqualTo(GOLDEN_V3_SNAPSHOT);
    }

    @Test
    void decodesTheGoldenVersion1SnapshotWithAnEmptyVoterDirectory() throws IOException {
        assertThat(SnapshotCodec.decode(golden())).isEqualTo(new MetadataSnapshot(GOLDEN, List.of()));
    }

    @Test
    void decodesTheGoldenVersion2Snapshot() throws IOException {
        assertThat(SnapshotCodec.decode(golden2())).isEqualTo(new MetadataSnapshot(GOLDEN, GOLDEN_VOTERS));
    }

    @Test
    void theGoldenVersion2StateEncodesAsVersion3AndReadsBackTheSame() throws IOException {
        MetadataSnapshot v2 = SnapshotCodec.decode(golden2());

        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(v2))).isEqualTo(v2);
    }

    @Test
    void fileOpensWithItsMagicAndVersion() {
        String text = new String(SnapshotCodec.encode(new MetadataSnapshot(GOLDEN, List.of())), StandardCharsets.UTF_8);

        assertThat(text).containsPattern("^\\{\\s*\"format\" : \"timberdb-metadata-snapshot\",\\s*\"format_version\" : 3,");
    }

    @Test
    void roundTripsAnEmptyState() {
        assertThat(SnapshotCodec.decode(SnapshotCodec.encode(MetadataSnapshot.EMPTY))).isEqualTo(MetadataSnapshot.EMPTY);
    }

    @Test
    void aVersion1SnapshotWithVotersIsRefused() throws IOException {
        String text = new String(golden2(), StandardCharsets.UTF_8).replace("\"format_version\" : 2", "\"format_version\" : 1");

        assertRejected(text.getBytes(StandardCharsets.UTF_8), "has no voters field");
    }

    @Test
    void rejectsAnUnknownFormatVersion() throws IOException {
        assertRejected(replace("\"format_version\" : 1", "\"format_version\" : 5"), "unsupported format version 5");
        assertRejected(replace("\"format_version\" : 1", "\"format_version\" : \"1\""), "unsupported format version");
        assertRejected(replace("\"format_version\" : 1,", ""), "unsupported format version");
    }

    @Test
    void rejectsOtherDocumentsAndJunk() throws IOException {
        assertRejected(replace("timberdb-metadata-snapshot", "something-else"), "not a TimberDB metadata snapshot");
        assertRejected("[1, 2, 3]".getBytes(StandardCharsets.UTF_8), "not a TimberDB metadata snapshot");
        assertRejected(new byte[] {(byte) 0xff, 0x00, 0x13, 0x37}, "malformed");
        assertRejected(new byte[0], "");
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        byte[] content = golden();

        assertRejected(Arrays.copyOf(content, content.length / 2), "malformed");
        assertRejected(Arrays.copyOf(content, content.length - 1), "malformed");
    }

    @Test
    void rejectsUnknownNodeStatesAndFields() throws IOException {
        assertRejected(replace("\"state\" : \"ACTIVE\"", "\"state\" : \"HIBERNATING\""), "malformed");
        assertRejected(replace("\"version\" : 4,", "\"version\" : 4, \"surprise\" : true,"), "malformed");
    }

    private static byte[] replace(String from, String to) throws IOException {
        String text = new String(golden(), StandardCharsets.UTF_8);
        assertThat(text).contains(from);
        return text.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.UTF_8);
    }

    private static void assertRejected(byte[] content, String reason) {
        assertThatThrownBy(() -> SnapshotCodec.decode(content))
                .isInstanceOf(MetadataFormatException.class)
                .hasMessageStartingWith("snapshot")
                .hasMessageContaining(reason);
    }

    private static byte[] golden() throws IOException {
        return CommandCodecTest.golden("metadata-snapshot.v1.json");
    }

    private static byte[] golden2() throws IOException {
        return CommandCodecTest.golden("metadata-snapshot.v2.json");
    }

    private static byte[] golden3() throws IOException {
        return CommandCodecTest.golden("metadata-snapshot.v3.json");
    }
}
