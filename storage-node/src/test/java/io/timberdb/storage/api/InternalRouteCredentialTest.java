package io.timberdb.storage.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.web.ClusterCredential;
import io.timberdb.storage.StorageNodeApplication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.DefaultUriBuilderFactory;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The storage node's internal routes behind the cluster credential, enumerated from the running
 * node's handler mappings: without it 401, with a user's bearer token 401 (it is no credential
 * here), with another token 403, with the cluster's token answered; health stays open.
 */
@SpringBootTest(classes = StorageNodeApplication.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@AutoConfigureWebTestClient
class InternalRouteCredentialTest {

    private static final String TOKEN = "test-cluster-token-0123456789";
    /** A well-formed JWT a user might hold: no power on internal routes. */
    private static final String USER_JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsInNjb3BlIjoiYWRtaW4ifQ.c2ln";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("timberdb.data-dir", () -> dataDir.toString());
        registry.add("timberdb.coordinators", () -> "http://127.0.0.1:9");
        registry.add("timberdb.security.cluster-token", () -> TOKEN);
    }

    @Autowired
    WebTestClient http;

    @Autowired
    ApplicationContext context;

    /** One route: a method and a concrete path standing for its pattern. */
    record Route(HttpMethod method, String path) {
    }

    @Test
    void everyInternalRouteNeedsTheClusterCredential() {
        List<Route> routes = internalRoutes();
        assertThat(routes).extracting(Route::path).contains("/internal/v1/shards/x1/1/entries",
                "/internal/v1/shards/x1/1/query", "/internal/v1/shards/x1/1/version");
        for (Route route : routes) {
            assertProblem(route, null, null, 401, "AUTHENTICATION_REQUIRED");
            assertProblem(route, "Bearer " + USER_JWT, null, 401, "AUTHENTICATION_REQUIRED");
            assertProblem(route, null, USER_JWT, 403, "INVALID_CLUSTER_CREDENTIAL");
            assertProblem(route, null, TOKEN + "x", 403, "INVALID_CLUSTER_CREDENTIAL");
            assertThat(send(route, null, TOKEN).getStatus().value()).as("%s %s", route.method(), route.path())
                    .isNotIn(401, 403);
        }
    }

    @Test
    void anEncodedPathIsNoWayAroundAndHealthStaysOpen() {
        // sent as is, not encoded again: the handler mappings decode %69 to i
        DefaultUriBuilderFactory raw = new DefaultUriBuilderFactory();
        raw.setEncodingMode(DefaultUriBuilderFactory.EncodingMode.NONE);
        http.mutate().uriBuilderFactory(raw).build().get().uri("/%69nternal/v1/shards/p/0/version").exchange()
                .expectStatus().isUnauthorized();
        http.get().uri("/internal/v1/shards/p/0/version").header(ClusterCredential.HEADER, TOKEN).exchange()
                .expectStatus().isOk();
        http.get().uri("/health").exchange().expectStatus().value(status -> assertThat(status).isNotIn(401, 403));
    }

    private void assertProblem(Route route, String authorization, String clusterToken, int status, String code) {
        EntityExchangeResult<byte[]> result = send(route, authorization, clusterToken);
        String body = new String(result.getResponseBody() == null ? new byte[0] : result.getResponseBody());
        assertThat(result.getStatus().value()).as("%s %s: %s", route.method(), route.path(), body).isEqualTo(status);
        assertThat(body).contains("\"code\":\"" + code + "\"").doesNotContain(TOKEN).doesNotContain(USER_JWT);
    }

    private EntityExchangeResult<byte[]> send(Route route, String authorization, String clusterToken) {
        var request = http.method(route.method()).uri(route.path());
        if (authorization != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, authorization);
        }
        if (clusterToken != null) {
            request = request.header(ClusterCredential.HEADER, clusterToken);
        }
        if (route.method() == HttpMethod.POST) {
            return request.contentType(MediaType.APPLICATION_JSON).bodyValue("[]").exchange().expectBody().returnResult();
        }
        return request.exchange().expectBody().returnResult();
    }

    /** Every internal (method, pattern) of the running node's handler mappings. */
    private List<Route> internalRoutes() {
        List<Route> routes = new ArrayList<>();
        context.getBeansOfType(RequestMappingInfoHandlerMapping.class).values().forEach(mapping ->
                mapping.getHandlerMethods().keySet().forEach(info -> {
                    Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                    for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                        if (!pattern.getPatternString().startsWith("/internal/")) {
                            continue;
                        }
                        for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET) : methods) {
                            routes.add(new Route(method.asHttpMethod(), pattern.getPatternString()
                                    .replace("{shard}", "1").replaceAll("\\{[^}]+}", "x1")));
                        }
                    }
                }));
        return routes;
    }
}
