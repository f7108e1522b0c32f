package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Compression;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A partition's compression travels through the Raft command, the state and the snapshot. */
class PartitionCompressionTest {

    static final Instant T0 = Instant.parse("2026-11-26T00:00:00Z");

    @Test
    void theCommandStateAndSnapshotKeepThePartitionsCompression() {
        Command.CreatePartition create = new Command.CreatePartition("p-1", "zstd-logs", Map.of(), 7, T0, 2,
                new Compression("Zstd", 9, 1024));
        Command decoded = CommandCodec.decode(ByteBuffer.wrap(CommandCodec.encode(create)));
        assertThat(decoded).isEqualTo(create);

        MetadataState state = new MetadataState();
        state.apply(new Command.RegisterNode("storage-1", "http://127.0.0.1:1", T0));
        Partition partition = ((Result.PartitionCreated) state.apply(decoded)).partition();
        assertThat(partition.compression()).isEqualTo("Zstd");
        assertThat(partition.compressionLevel()).isEqualTo(9);
        assertThat(partition.compressionThreshold()).isEqualTo(1024);

        ClusterView restored = SnapshotCodec.decode(SnapshotCodec.encode(state.snapshot())).view();
        assertThat(restored.partition("zstd-logs")).contains(partition);
    }

    @Test
    void aPartitionWithoutCompressionEncodesAsInVersion1() {
        Command.CreatePartition plain = new Command.CreatePartition("p-1", "plain", Map.of(), 7, T0, 2);
        String json = new String(CommandCodec.encode(plain), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("compression");
    }
}
