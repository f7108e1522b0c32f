package io.timberdb.coordinator.api;

import io.timberdb.model.api.AddVoterRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.audit.AuditLog;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /internal/v1/voters} {@code {id, raft_address, http_url}} and
 * {@code DELETE /internal/v1/voters/{id}}, both → {@code {leader, voters}}: coordinator voters
 * added to or removed from the metadata group at runtime, each recorded in the audit log.
 * Stateless and thread-safe.
 */
@RestController
public class VoterController {

    private final VoterRegistry voters;
    private final AuditLog audit;

    public VoterController(VoterRegistry voters, AuditLog audit) {
        this.voters = voters;
        this.audit = audit;
    }

    @PostMapping("/internal/v1/voters")
    public Mono<ClusterView.Coordinator> add(@RequestBody(required = false) Mono<AddVoterRequest> body,
                                             ServerHttpRequest http) {
        AtomicReference<String> id = new AtomicReference<>();
        return audit.clusterAction("voter.add", id::get, HttpStatus.OK.value(), http,
                body.switchIfEmpty(Mono.error(() -> TimberException.missingField("id")))
                        .doOnNext(request -> id.set(request.id())).flatMap(voters::add));
    }

    @DeleteMapping("/internal/v1/voters/{id}")
    public Mono<ClusterView.Coordinator> remove(@PathVariable String id, ServerHttpRequest http) {
        return audit.clusterAction("voter.remove", id, HttpStatus.OK.value(), http, voters.remove(id));
    }
}
