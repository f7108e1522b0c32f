package io.timberdb.coordinator.api;

import io.timberdb.model.api.AlterIsrRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.error.TimberException;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The storage leaders' ISR changes (TDB-05). Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code POST /internal/v1/partitions/{id}/shards/{shard}/isr}
 *       {@code {leader, epoch, isr, new_isr}} → 200 {@link Partition}; 409 {@code ISR_CONFLICT}
 *       with the shard's current placement in the problem's {@code placement}; 404
 *       {@code PARTITION_NOT_FOUND} for an unknown partition or shard; 400 on bad input</li>
 * </ul>
 */
@RestController
public class IsrController {

    private final IsrRegistry registry;

    public IsrController(IsrRegistry registry) {
        this.registry = registry;
    }

    @PostMapping("/internal/v1/partitions/{id}/shards/{shard}/isr")
    public Mono<Partition> alterIsr(@PathVariable String id, @PathVariable int shard,
                                    @RequestBody(required = false) Mono<AlterIsrRequest> body) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("leader")))
                .flatMap(request -> registry.alterIsr(id, shard, request));
    }
}
