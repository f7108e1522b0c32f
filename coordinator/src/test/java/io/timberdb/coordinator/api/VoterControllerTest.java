package io.timberdb.coordinator.api;

import io.timberdb.model.api.AddVoterRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.security.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;
import static org.assertj.core.api.Assertions.assertThat;

/** The voter routes' answers and error shapes, over an in-memory registry. */
class VoterControllerTest {

    private final InMemoryVoters voters = new InMemoryVoters();
    private final WebTestClient web = WebTestClient.bindToController(new VoterController(voters, AuditLog.disabled()))
            .controllerAdvice(new CoordinatorProblemDetailsAdvice())
            .build();

    @Test
    void addingAVoterAnswersTheLeaderAndVoters() {
        web.post().uri("/internal/v1/voters").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("id", "coordinator-4", "raft_address", "127.0.0.1:7814", "http_url", "http://127.0.0.1:7804"))
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.leader").isEqualTo("coordinator-1")
                .jsonPath("$.voters.length()").isEqualTo(2)
                .jsonPath("$.voters[1]").isEqualTo("coordinator-4");
        assertThat(voters.requests).containsExactly(
                new AddVoterRequest("coordinator-4", "127.0.0.1:7814", "http://127.0.0.1:7804"));
    }

    @Test
    void removingAVoterByIdAnswersTheRest() {
        voters.ids.add("coordinator-2");

        web.delete().uri("/internal/v1/voters/coordinator-2").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.voters.length()").isEqualTo(1).jsonPath("$.voters[0]").isEqualTo("coordinator-1");
    }

    @Test
    void unknownVoterIs404AndConflictsAre409WithTheirCodes() {
        web.delete().uri("/internal/v1/voters/coordinator-9").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.code").isEqualTo("VOTER_NOT_FOUND").jsonPath("$.field").isEqualTo("id");
        web.delete().uri("/internal/v1/voters/coordinator-1").exchange()
                .expectStatus().isEqualTo(409)
                .expectBody().jsonPath("$.code").isEqualTo("VOTER_CONFLICT");
    }

    @Test
    void aMissingBodyIs400MissingFieldAndMalformedJson400() {
        web.post().uri("/internal/v1/voters").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MISSING_FIELD").jsonPath("$.field").isEqualTo("id");
        web.post().uri("/internal/v1/voters").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\": ").exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.code").isEqualTo("MALFORMED_JSON");
    }

    /** Voters in a list led by coordinator-1, which cannot be removed (the last voter). Test-thread confined. */
    private static final class InMemoryVoters implements VoterRegistry {
        final List<String> ids = new ArrayList<>(List.of("coordinator-1"));
        final List<AddVoterRequest> requests = new ArrayList<>();

        @Override
        public Mono<ClusterView.Coordinator> add(AddVoterRequest request) {
            requests.add(request);
            ids.add(request.id());
            return Mono.just(new ClusterView.Coordinator("coordinator-1", ids));
        }

        @Override
        public Mono<ClusterView.Coordinator> remove(String id) {
            if (id.equals("coordinator-1")) {
                return Mono.error(new TimberException(ErrorCode.VOTER_CONFLICT, "the last voter", "id"));
            }
            if (!ids.remove(id)) {
                return Mono.error(new TimberException(ErrorCode.VOTER_NOT_FOUND, "no voter " + id, "id"));
            }
            return Mono.just(new ClusterView.Coordinator("coordinator-1", ids));
        }
    }
}
