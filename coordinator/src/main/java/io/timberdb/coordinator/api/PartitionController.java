package io.timberdb.coordinator.api;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.PartitionList;
import io.timberdb.model.api.UpdatePartitionRequest;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.TimberException;
import java.net.URI;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The public partition API over any {@link PartitionCatalog} (the Raft one here, the same in
 * standalone). Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code POST /api/v1/partitions/create} → 200 {@link Partition}</li>
 *   <li>{@code POST /api/v1/partitions} → 201 {@link Partition}, {@code Location: /api/v1/partitions/{id}}</li>
 *   <li>{@code GET /api/v1/partitions} → {@code {"partitions": [...]}}, oldest first</li>
 *   <li>{@code GET /api/v1/partitions/{idOrName}} → {@link Partition} or 404 {@code PARTITION_NOT_FOUND}</li>
 *   <li>{@code PATCH /api/v1/partitions/{idOrName}} {@code {retention_days?, tags?}} → the updated
 *       {@link Partition} or 404 {@code PARTITION_NOT_FOUND}</li>
 *   <li>{@code DELETE /api/v1/partitions/{idOrName}} → 204 or 404 {@code PARTITION_NOT_FOUND}</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/partitions")
public class PartitionController {

    private final PartitionCatalog catalog;

    public PartitionController(PartitionCatalog catalog) {
        this.catalog = catalog;
    }

    @PostMapping("/create")
    public Mono<Partition> create(@RequestBody(required = false) Mono<CreatePartitionRequest> body) {
        return validated(body).flatMap(catalog::create);
    }

    @PostMapping
    public Mono<ResponseEntity<Partition>> createResource(@RequestBody(required = false) Mono<CreatePartitionRequest> body) {
        return validated(body).flatMap(catalog::create)
                .map(p -> ResponseEntity.created(URI.create("/api/v1/partitions/" + p.id())).body(p));
    }

    @GetMapping
    public Mono<PartitionList> list() {
        return catalog.list().map(PartitionList::new);
    }

    @GetMapping("/{idOrName}")
    public Mono<Partition> get(@PathVariable String idOrName) {
        return catalog.get(idOrName);
    }

    @PatchMapping("/{idOrName}")
    public Mono<Partition> update(@PathVariable String idOrName,
                                  @RequestBody(required = false) Mono<UpdatePartitionRequest> body) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("retention_days")))
                .map(UpdatePartitionRequest::validated)
                .flatMap(request -> catalog.update(idOrName, request));
    }

    @DeleteMapping("/{idOrName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@PathVariable String idOrName) {
        return catalog.delete(idOrName);
    }

    private static Mono<CreatePartitionRequest> validated(Mono<CreatePartitionRequest> body) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("name")))
                .map(CreatePartitionRequest::validated);
    }
}
