package io.timberdb.coordinator.state;

import io.timberdb.model.api.Partition.ShardPlacement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the storage node of each shard of a new partition, deterministically: shard by
 * shard, the active node that holds the fewest shards of this partition so far, then the
 * fewest shards in total (counting the ones just assigned), then the smallest node id.
 *
 * <p>The first key spreads one partition over as many nodes as there are (a lagging node with
 * a low total would otherwise take every shard of a new partition); the second balances the
 * cluster; the third makes ties deterministic. Stateless.
 */
final class Placement {

    private Placement() {
    }

    /**
     * @param shardCount how many shards to place, at least 1
     * @param activeNodes the ids of the nodes that accept shards; not empty
     * @param load how many shards each node holds now (absent = none); not modified
     */
    static List<ShardPlacement> place(int shardCount, List<String> activeNodes, Map<String, Integer> load) {
        if (activeNodes.isEmpty()) {
            throw new IllegalArgumentException("no active node to place shards on");
        }
        Map<String, Integer> total = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        for (String node : activeNodes) {
            total.put(node, load.getOrDefault(node, 0));
            own.put(node, 0);
        }
        Comparator<String> preference = Comparator.<String>comparingInt(own::get)
                .thenComparingInt(total::get)
                .thenComparing(Comparator.naturalOrder());
        List<ShardPlacement> placements = new ArrayList<>(shardCount);
        for (int shard = 0; shard < shardCount; shard++) {
            String chosen = activeNodes.stream().min(preference).orElseThrow();
            own.merge(chosen, 1, Integer::sum);
            total.merge(chosen, 1, Integer::sum);
            placements.add(new ShardPlacement(shard, chosen));
        }
        return placements;
    }
}
