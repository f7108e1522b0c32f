package io.timberdb.coordinator.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.AddVoterRequest;
import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.ClusterCredentialFilter;
import io.timberdb.security.audit.AuditLog;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import reactor.core.publisher.Mono;

/**
 * The coordinator's internal routes (node membership, voters) behind the cluster credential,
 * enumerated from the controllers' mappings: a user's bearer token is no credential (401), another
 * cluster token 403, the cluster's token reaches the controller.
 */
class InternalRouteCredentialTest {

    private static final String TOKEN = "coordinator-test-token";
    private static final String USER_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoiYWRtaW4ifQ.c2ln";

    private final WebTestClient web = WebTestClient
            .bindToController(new NodeController(new NoNodes(), AuditLog.disabled()),
                    new VoterController(new NoVoters(), AuditLog.disabled()))
            .controllerAdvice(new CoordinatorProblemDetailsAdvice())
            .webFilter(new ClusterCredentialFilter(ClusterCredential.of(TOKEN)))
            .build();

    record Route(HttpMethod method, String path) {
    }

    @Test
    void everyInternalRouteRefusesAUserTokenAndAnotherClustersToken() {
        List<Route> routes = routes(NodeController.class, VoterController.class);
        assertThat(routes).hasSize(6);
        for (Route route : routes) {
            assertThat(send(route, HttpHeaders.AUTHORIZATION, "Bearer " + USER_JWT))
                    .satisfies(r -> assertThat(r.getStatus().value()).isEqualTo(401))
                    .satisfies(r -> assertThat(new String(r.getResponseBody())).contains("AUTHENTICATION_REQUIRED"));
            assertThat(send(route, ClusterCredential.HEADER, "not-" + TOKEN))
                    .satisfies(r -> assertThat(r.getStatus().value()).isEqualTo(403))
                    .satisfies(r -> assertThat(new String(r.getResponseBody())).contains("INVALID_CLUSTER_CREDENTIAL")
                            .doesNotContain(TOKEN));
            // the controller answers: here 404, as the registries know nothing
            assertThat(send(route, ClusterCredential.HEADER, TOKEN).getStatus().value())
                    .as("%s %s", route.method(), route.path()).isNotIn(401, 403);
        }
    }

    private EntityExchangeResult<byte[]> send(Route route, String header, String value) {
        var request = web.method(route.method()).uri(route.path()).header(header, value);
        if (route.method() == HttpMethod.POST) {
            return request.contentType(MediaType.APPLICATION_JSON).bodyValue("{\"id\":\"n\"}").exchange()
                    .expectBody().returnResult();
        }
        return request.exchange().expectBody().returnResult();
    }

    /** The POST and DELETE mappings of the controllers, variables made concrete. */
    private static List<Route> routes(Class<?>... controllers) {
        List<Route> routes = new ArrayList<>();
        for (Class<?> controller : controllers) {
            for (Method method : controller.getDeclaredMethods()) {
                PostMapping post = method.getAnnotation(PostMapping.class);
                DeleteMapping delete = method.getAnnotation(DeleteMapping.class);
                for (String path : post != null ? post.value() : delete != null ? delete.value() : new String[0]) {
                    routes.add(new Route(post != null ? HttpMethod.POST : HttpMethod.DELETE, path.replaceAll("\\{[^}]+}", "x1")));
                }
            }
        }
        return routes;
    }

    private static <T> Mono<T> unknown(ErrorCode code) {
        return Mono.error(new TimberException(code, "none"));
    }

    private static final class NoNodes implements NodeRegistry {
        @Override
        public Mono<StorageNode> register(RegisterNodeRequest request) {
            return unknown(ErrorCode.NODE_NOT_FOUND);
        }

        @Override
        public Mono<StorageNode> drain(String id) {
            return unknown(ErrorCode.NODE_NOT_FOUND);
        }

        @Override
        public Mono<StorageNode> decommission(String id) {
            return unknown(ErrorCode.NODE_NOT_FOUND);
        }

        @Override
        public Mono<StorageNode> activate(String id) {
            return unknown(ErrorCode.NODE_NOT_FOUND);
        }
    }

    private static final class NoVoters implements VoterRegistry {
        @Override
        public Mono<ClusterView.Coordinator> add(AddVoterRequest request) {
            return unknown(ErrorCode.VOTER_NOT_FOUND);
        }

        @Override
        public Mono<ClusterView.Coordinator> remove(String id) {
            return unknown(ErrorCode.VOTER_NOT_FOUND);
        }
    }
}
