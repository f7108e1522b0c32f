package io.timberdb.coordinator.state;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.Partition;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Placement invariants over random clusters and partition sequences. */
class PlacementPropertiesTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

    @Property(tries = 200)
    void everyShardLandsOnAnActiveNodeAndOnePartitionSpreadsOverAllNodesFirst(
            @ForAll @IntRange(min = 1, max = 7) int nodes,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 9) Integer> shardCounts) {
        MetadataState state = withNodes(nodes);

        for (int i = 0; i < shardCounts.size(); i++) {
            Partition p = ((Result.PartitionCreated) state.apply(
                    new Command.CreatePartition("p-" + i, "n-" + i, Map.of(), 1, T0, shardCounts.get(i)))).partition();

            assertThat(p.shards()).extracting(Partition.ShardPlacement::shard)
                    .containsExactlyElementsOf(IntStream.range(0, shardCounts.get(i)).boxed().toList());
            Map<String, Long> perNode = p.shards().stream()
                    .collect(Collectors.groupingBy(Partition.ShardPlacement::node, Collectors.counting()));
            assertThat(state.view().nodes()).extracting(n -> n.id()).containsAll(perNode.keySet());
            // Never a second shard of one partition on a node while another node has fewer of it.
            long most = Collections.max(perNode.values());
            long least = perNode.size() < nodes ? 0 : Collections.min(perNode.values());
            assertThat(most - least).isLessThanOrEqualTo(1);
        }
    }

    @Property(tries = 200)
    void whenAllNodesExistFromTheStartTheClusterStaysBalanced(
            @ForAll @IntRange(min = 1, max = 7) int nodes,
            @ForAll @Size(min = 1, max = 12) List<@IntRange(min = 1, max = 9) Integer> shardCounts) {
        MetadataState state = withNodes(nodes);
        for (int i = 0; i < shardCounts.size(); i++) {
            state.apply(new Command.CreatePartition("p-" + i, "n-" + i, Map.of(), 1, T0, shardCounts.get(i)));

            Map<String, Long> load = MetadataStateTest.load(state.view());
            long most = Collections.max(load.values());
            long least = load.size() < nodes ? 0 : Collections.min(load.values());
            assertThat(most - least).isLessThanOrEqualTo(1);
        }
    }

    private static MetadataState withNodes(int nodes) {
        MetadataState state = new MetadataState();
        for (int n = 1; n <= nodes; n++) {
            state.apply(new Command.RegisterNode("storage-" + n, "http://n" + n, T0));
        }
        return state;
    }
}
