package io.timberdb.coordinator.api;

import io.timberdb.model.api.CreatePartitionRequest;
import io.timberdb.model.api.Partition;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.audit.AuditLog;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Partitions that the cluster's own processes create for their callers: an internal route, behind
 * the cluster credential ({@code ClusterCredentialFilter}). Stateless and thread-safe.
 *
 * <ul>
 *   <li>{@code POST /internal/v1/partitions} {@link CreatePartitionRequest} → 200 {@link Partition},
 *       owned by the tenant the body's {@code tenant} names ({@value Partition#DEFAULT_TENANT} when
 *       absent); 409 {@code PARTITION_EXISTS} on a name that tenant has taken, 400 on a bad name or
 *       tenant, 503 while no leader takes the write. A follower forwards it to the leader's same
 *       route ({@link RaftPartitionCatalog#createForService}).</li>
 * </ul>
 *
 * <p>The caller is the ingest service creating the partition an Elasticsearch bulk names
 * ({@code auto-create-partitions}), in the tenant of its own caller, whom it authenticated and
 * whose {@code logs:write} scope it checked. The public {@code POST /api/v1/partitions} cannot
 * serve it: it wants an {@code admin} token and takes the tenant from that token, and the bulk's
 * caller has neither. The cluster credential is the trust here, as on every internal route: its
 * holder may name any tenant. The creation is audited as {@code partition.create} of that tenant,
 * by the subject {@code cluster}.
 */
@RestController
public class InternalPartitionController {

    private final RaftPartitionCatalog catalog;
    private final AuditLog audit;

    public InternalPartitionController(RaftPartitionCatalog catalog, AuditLog audit) {
        this.catalog = catalog;
        this.audit = audit;
    }

    @PostMapping(CoordinatorClient.CREATE_PARTITION_PATH)
    public Mono<Partition> create(@RequestBody(required = false) Mono<CreatePartitionRequest> body,
                                  ServerHttpRequest http) {
        AtomicReference<CreatePartitionRequest> sent = new AtomicReference<>();
        return audit.tenantAction("partition.create", () -> tenantOf(sent.get()),
                () -> sent.get() == null ? null : sent.get().name(), HttpStatus.OK.value(), http,
                body.switchIfEmpty(Mono.error(() -> TimberException.missingField("name")))
                        .doOnNext(sent::set)
                        .flatMap(catalog::createForService));
    }

    /** The tenant a request names; null before the body was read. */
    private static String tenantOf(CreatePartitionRequest request) {
        if (request == null) {
            return null;
        }
        return request.tenant() == null ? Partition.DEFAULT_TENANT : request.tenant();
    }
}
