package io.timberdb.coordinator.api;

import io.timberdb.model.api.AddVoterRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.TimberException;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /internal/v1/voters} {@code {id, raft_address, http_url}} and
 * {@code DELETE /internal/v1/voters/{id}}, both → {@code {leader, voters}}: coordinator voters
 * added to or removed from the metadata group at runtime. Stateless and thread-safe.
 */
@RestController
public class VoterController {

    private final VoterRegistry voters;

    public VoterController(VoterRegistry voters) {
        this.voters = voters;
    }

    @PostMapping("/internal/v1/voters")
    public Mono<ClusterView.Coordinator> add(@RequestBody(required = false) Mono<AddVoterRequest> body) {
        return body.switchIfEmpty(Mono.error(() -> TimberException.missingField("id"))).flatMap(voters::add);
    }

    @DeleteMapping("/internal/v1/voters/{id}")
    public Mono<ClusterView.Coordinator> remove(@PathVariable String id) {
        return voters.remove(id);
    }
}
