package io.timberdb.coordinator.api;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.api.PartitionList;
import io.timberdb.model.api.UpdatePartitionRequest;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.audit.AuditLog;
import io.timberdb.security.tenant.CallerTenant;
import java.net.URI;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
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
 *
 * <p>Every route works in the caller's tenant ({@link CallerTenant}): the list holds its
 * partitions only, another tenant's partition answers 404 {@code PARTITION_NOT_FOUND} exactly as a
 * missing one, and a created partition is the caller's (a body {@code tenant} naming another is
 * refused, 400 {@code INVALID_FIELD}). Creations, updates and deletions go to the audit log.
 */
@RestController
@RequestMapping("/api/v1/partitions")
public class PartitionController {

    private final PartitionCatalog catalog;
    private final AuditLog audit;

    public PartitionController(PartitionCatalog catalog, AuditLog audit) {
        this.catalog = catalog;
        this.audit = audit;
    }

    @PostMapping("/create")
    public Mono<Partition> create(@RequestBody(required = false) Mono<CreatePartitionRequest> body,
                                  ServerHttpRequest http) {
        AtomicReference<String> name = new AtomicReference<>();
        return audit.tenantAction("partition.create", name::get, HttpStatus.OK.value(), http,
                owned(body, name).flatMap(catalog::create));
    }

    @PostMapping
    public Mono<ResponseEntity<Partition>> createResource(@RequestBody(required = false) Mono<CreatePartitionRequest> body,
                                                          ServerHttpRequest http) {
        AtomicReference<String> name = new AtomicReference<>();
        return audit.tenantAction("partition.create", name::get, HttpStatus.CREATED.value(), http,
                owned(body, name).flatMap(catalog::create)
                        .map(p -> ResponseEntity.created(URI.create("/api/v1/partitions/" + p.id())).body(p)));
    }

    @GetMapping
    public Mono<PartitionList> list() {
        return CallerTenant.current().flatMap(catalog::list).map(PartitionList::new);
    }

    @GetMapping("/{idOrName}")
    public Mono<Partition> get(@PathVariable String idOrName) {
        return CallerTenant.current().flatMap(tenant -> catalog.get(tenant, idOrName));
    }

    @PatchMapping("/{idOrName}")
    public Mono<Partition> update(@PathVariable String idOrName,
                                  @RequestBody(required = false) Mono<UpdatePartitionRequest> body, ServerHttpRequest http) {
        return audit.tenantAction("partition.update", idOrName, HttpStatus.OK.value(), http,
                body.switchIfEmpty(Mono.error(() -> TimberException.missingField("retention_days")))
                        .map(UpdatePartitionRequest::validated)
                        .zipWith(CallerTenant.current())
                        .flatMap(request -> catalog.update(request.getT2(), idOrName, request.getT1())));
    }

    @DeleteMapping("/{idOrName}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    public Mono<Void> delete(@PathVariable String idOrName, ServerHttpRequest http) {
        return audit.tenantAction("partition.delete", idOrName, HttpStatus.NO_CONTENT.value(), http,
                CallerTenant.current().flatMap(tenant -> catalog.delete(tenant, idOrName)));
    }

    /** The validated request, owned by the caller's tenant; its name in {@code name} for the audit. */
    private static Mono<CreatePartitionRequest> owned(Mono<CreatePartitionRequest> body, AtomicReference<String> name) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("name")))
                .doOnNext(request -> name.set(request.name()))
                .map(CreatePartitionRequest::validated)
                .zipWith(CallerTenant.current(), (request, tenant) -> {
                    if (request.tenant() != null && !request.tenant().equals(tenant)) {
                        throw TimberException.invalidField("tenant", "must be the caller's tenant, or absent");
                    }
                    return request.withTenant(tenant);
                });
    }
}
