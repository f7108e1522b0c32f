package io.timberdb.storage.replication;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.springframework.core.io.FileSystemResource;
import org.springframework.core.io.Resource;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The leader's side of replication, called by the followers of the shards this node leads
 * ({@link FollowerReplica}, through {@link PeerClient}):
 * <ul>
 *   <li>{@code POST /internal/v1/replication/{partition}/{shard}/fetch?follower=&epoch=&from=&hw=&max_bytes=&wait_ms=}
 *       → the log from {@code from} on ({@link FetchResponse}'s binary form), held up to
 *       {@code wait_ms} when there is nothing new;</li>
 *   <li>{@code GET …/end-of-epoch?epoch=} → {@code {"leader_epoch", "end"}}: where that epoch ends
 *       in the leader's log;</li>
 *   <li>{@code GET …/blocks} → {@link BlockList}; {@code GET …/blocks/{name}} → a block file.</li>
 * </ul>
 * A node that does not lead the shard answers {@code NOT_LEADER}; a follower with a newer epoch
 * than the leader's gets {@code STALE_EPOCH} (and the leader refreshes its view). Stateless.
 */
@RestController
@RequestMapping("/internal/v1/replication/{partition}/{shard}")
public class ReplicationController {

    private static final MediaType BINARY = MediaType.APPLICATION_OCTET_STREAM;
    private static final long MAX_WAIT_MS = 5_000;

    private final ReplicaManager replicas;

    public ReplicationController(ReplicaManager replicas) {
        this.replicas = replicas;
    }

    @PostMapping(path = "/fetch", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public Mono<byte[]> fetch(@PathVariable String partition, @PathVariable int shard, @RequestParam String follower,
                              @RequestParam long epoch, @RequestParam long from, @RequestParam long hw,
                              @RequestParam("max_bytes") int maxBytes, @RequestParam("wait_ms") long waitMs) {
        LeaderReplica leader = leader(partition, shard);
        if (epoch > leader.epoch()) {
            replicas.refreshView();
            throw new TimberException(ErrorCode.STALE_EPOCH, "the follower is at epoch " + epoch + ", this leader at "
                    + leader.epoch(), null, Map.of("epoch", leader.epoch()), null);
        }
        if (epoch < leader.epoch()) {
            return Mono.just(leader.positions().encode());
        }
        if (from < 0 || maxBytes < 1) {
            throw TimberException.invalidField(from < 0 ? "from" : "max_bytes", "must not be negative");
        }
        FetchResponse now = leader.fetch(follower, from, hw, maxBytes);
        if (now != null) {
            return Mono.just(now.encode());
        }
        Duration wait = Duration.ofMillis(Math.max(0, Math.min(waitMs, MAX_WAIT_MS)));
        return Mono.fromFuture(leader.changed(), true)
                .timeout(wait, Mono.empty())
                .then(Mono.fromSupplier(() -> {
                    FetchResponse later = leader.fetch(follower, from, hw, maxBytes);
                    return (later != null ? later : leader.positions()).encode();
                }));
    }

    @GetMapping(path = "/end-of-epoch", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Long> endOfEpoch(@PathVariable String partition, @PathVariable int shard, @RequestParam long epoch) {
        LeaderReplica leader = leader(partition, shard);
        return Map.of("leader_epoch", leader.epoch(), "end", leader.endOfEpoch(epoch));
    }

    @GetMapping(path = "/blocks", produces = MediaType.APPLICATION_JSON_VALUE)
    public BlockList blocks(@PathVariable String partition, @PathVariable int shard) {
        return leader(partition, shard).blocks();
    }

    @GetMapping(path = "/blocks/{name}", produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
    public Resource block(@PathVariable String partition, @PathVariable int shard, @PathVariable String name) {
        Path file = leader(partition, shard).blockFile(name);
        if (file == null) {
            throw new TimberException(ErrorCode.NOT_FOUND, "shard " + partition + "/" + shard + " has no block " + name);
        }
        return new FileSystemResource(file);
    }

    private LeaderReplica leader(String partition, int shard) {
        ShardId id = new ShardId(partition, shard);
        LeaderReplica leader = replicas.leaderOf(id);
        if (leader == null) {
            throw new TimberException(ErrorCode.NOT_LEADER, "this node does not lead shard " + id);
        }
        return leader;
    }
}
