package io.timberdb.e2e;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The checker of the set workload: reads every entry id that each replica of each shard of a
 * partition holds (straight from the storage nodes' internal query route, so that nothing merges
 * or hides a difference), and compares them with the acknowledged ids.
 *
 * <ul>
 *   <li><b>lost</b>: acknowledged ids that are not on every in-sync replica of some shard;</li>
 *   <li><b>duplicated</b>: ids a replica holds more than once, or that two shards both hold;</li>
 *   <li><b>divergent</b>: shards whose in-sync replicas do not hold the same ids.</li>
 * </ul>
 */
final class ReplicaCheck {

    /** What the checker found. */
    record Result(int acknowledged, int stored, int lost, int duplicated, int divergent, int shards, int replicas) {

        @Override
        public String toString() {
            return String.format("acknowledged=%d stored=%d lost=%d duplicated=%d divergent_in_sync_replicas=%d "
                    + "(shards=%d, replicas read=%d)", acknowledged, stored, lost, duplicated, divergent, shards, replicas);
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ReplicaCheck() {
    }

    /**
     * Checks partition {@code partitionId} as the cluster view {@code view} places it against the
     * acknowledged ids.
     */
    static Result check(JsonNode view, String partitionId, Set<String> acknowledged, String clusterToken)
            throws Exception {
        Map<String, String> addresses = new HashMap<>();
        for (JsonNode node : view.path("nodes")) {
            addresses.put(node.path("id").asString(), node.path("address").asString());
        }
        JsonNode partition = null;
        for (JsonNode p : view.path("partitions")) {
            if (p.path("id").asString().equals(partitionId)) {
                partition = p;
            }
        }
        if (partition == null) {
            throw new AssertionError("the view has no partition " + partitionId);
        }
        Set<String> committedEverywhere = new HashSet<>();
        Set<String> seenInShards = new HashSet<>();
        int duplicated = 0;
        int divergent = 0;
        int replicasRead = 0;
        for (JsonNode shard : partition.path("shards")) {
            int n = shard.path("shard").asInt();
            Set<String> common = null;
            Set<String> first = null;
            boolean differ = false;
            for (JsonNode member : shard.path("isr")) {
                List<String> ids = ids(addresses.get(member.asString()), partitionId, n, clusterToken);
                replicasRead++;
                Set<String> distinct = new HashSet<>(ids);
                duplicated += ids.size() - distinct.size();
                if (first == null) {
                    first = distinct;
                    common = new HashSet<>(distinct);
                } else {
                    differ |= !first.equals(distinct);
                    common.retainAll(distinct);
                }
            }
            if (differ) {
                divergent++;
            }
            if (first != null) {
                for (String id : first) {
                    if (!seenInShards.add(id)) {
                        duplicated++;
                    }
                }
                committedEverywhere.addAll(common);
            }
        }
        int lost = 0;
        for (String id : acknowledged) {
            if (!committedEverywhere.contains(id)) {
                lost++;
            }
        }
        return new Result(acknowledged.size(), seenInShards.size(), lost, duplicated, divergent,
                partition.path("shards").size(), replicasRead);
    }

    /**
     * Every entry id a replica holds, read from the storage node's own shard query route, an
     * internal route: the call presents the cluster credential.
     */
    private static List<String> ids(String address, String partition, int shard, String clusterToken)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(address + "/internal/v1/shards/" + partition + "/"
                        + shard + "/query"))
                .header("X-TimberDB-Cluster-Token", clusterToken)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"filter\":{},\"limit\":10000000}"))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(address + " answered " + response.statusCode() + ": " + response.body());
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode entry : QuickStart.JSON.readTree(response.body()).path("entries")) {
            ids.add(entry.path("id").asString());
        }
        return ids;
    }
}
