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

    @Test
    void decodesTheGoldenVersion1SnapshotWithAnEmptyVoterDirectory() throws IOException {
        assertThat(SnapshotCodec.decode(golden())).isEqualTo(new MetadataSnapshot(GOLDEN, List.of()));
    }

    @Test
    void decodesTheGoldenVersion2Snapshot() throws IOException {
        assertThat(SnapshotCodec.decode(golden2())).isEqualTo(new MetadataSnapshot(GOLDEN, GOLDEN_VOTERS));
    }

    @Test
    void encodesTheGoldenVersion2Content() throws IOException {
        assertThat(MetadataJson.MAPPER.readTree(SnapshotCodec.encode(new MetadataSnapshot(GOLDEN, GOLDEN_VOTERS))))
                .isEqualTo(MetadataJson.MAPPER.readTree(golden2()));
    }

    @Test
    void fileOpensWithItsMagicAndVersion() {
        String text = new String(SnapshotCodec.encode(new MetadataSnapshot(GOLDEN, List.of())), StandardCharsets.UTF_8);

        assertThat(text).containsPattern("^\\{\\s*\"format\" : \"timberdb-metadata-snapshot\",\\s*\"format_version\" : 2,");
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
        assertRejected(replace("\"format_version\" : 1", "\"format_version\" : 3"), "unsupported format version 3");
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
}
