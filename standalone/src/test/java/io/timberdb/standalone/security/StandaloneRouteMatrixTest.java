package io.timberdb.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.security.route.Access;
import io.timberdb.security.route.ApiRoutes;
import io.timberdb.security.route.Scopes;
import io.timberdb.standalone.token.TokenCommandAccess;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.reactive.function.server.support.RouterFunctionMapping;
import org.springframework.web.reactive.result.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;

/**
 * The route matrix: every route the running standalone serves (its handler mappings enumerated,
 * so a new route cannot escape) is classified by {@link ApiRoutes}, and every public route
 * refuses each kind of bad token. The standalone serves the controllers of the coordinator, the
 * ingest service and the query service, the same classes with the same mappings as in a
 * cluster, under the same filter chain ({@code SecurityConfiguration}), so this covers their
 * public routes too; the storage node serves internal routes only.
 */
class StandaloneRouteMatrixTest extends SecuredStandalone {

    /** One route: a method and a concrete path standing for its pattern. */
    record Route(HttpMethod method, String pattern, String path) {
    }

    @Autowired
    ApplicationContext context;

    TestTokens tokens;

    @BeforeEach
    void tokens() throws Exception {
        awaitHealthy();
        tokens = new TestTokens(signingKey());
    }

    @Test
    void everyRouteIsClassifiedAndEveryPublicRouteRefusesEveryBadToken() {
        List<Route> routes = routes();
        assertThat(routes).extracting(Route::pattern)
                .contains("/api/v1/partitions/{partition}/logs", "/api/v1/query/execute", "/api/v1/cluster", "/_bulk",
                        "/loki/api/v1/push", "/v1/logs", "/health", "/actuator/prometheus");
        List<Route> unclassified = routes.stream().filter(r -> ApiRoutes.classify(r.method(), r.path()).isEmpty()).toList();
        assertThat(unclassified).as("routes that ApiRoutes does not classify").isEmpty();

        int cases = 0;
        int scopedRoutes = 0;
        for (Route route : routes) {
            Access access = ApiRoutes.classify(route.method(), route.path()).orElseThrow();
            switch (access.kind()) {
                case INTERNAL -> {
                }
                case OPEN -> {
                    assertNeither401Nor403(route, null);
                    assertNeither401Nor403(route, "not-a-token");
                    cases += 2;
                }
                case SCOPED -> {
                    scopedRoutes++;
                    String right = access.scopes().iterator().next();
                    Set<String> others = new TreeSet<>(Scopes.ALL);
                    others.removeAll(access.scopes());
                    String wrong = others.isEmpty() ? "openid" : String.join(" ", others);
                    assertProblem(route, null, 401, "AUTHENTICATION_REQUIRED");
                    assertProblem(route, tokens.signedByAnotherKey(right), 401, "INVALID_TOKEN");
                    assertProblem(route, tokens.expired(right), 401, "INVALID_TOKEN");
                    assertProblem(route, tokens.notYetValid(right), 401, "INVALID_TOKEN");
                    assertProblem(route, tokens.wrongIssuer(right), 401, "INVALID_TOKEN");
                    assertProblem(route, tokens.wrongAudience(right), 401, "INVALID_TOKEN");
                    assertProblem(route, tokens.unsigned(right), 401, "INVALID_TOKEN");
                    assertProblem(route, tokens.valid(wrong), 403, "INSUFFICIENT_SCOPE");
                    assertNeither401Nor403(route, tokens.valid(right));
                    cases += 9;
                }
            }
        }
        System.out.printf("route matrix: %d routes (%d public), %d cases%n", routes.size(), scopedRoutes, cases);
        assertThat(scopedRoutes).isGreaterThanOrEqualTo(20);
    }

    @Test
    void theProblemsSayWhatIsWrongWithTheToken() {
        http.get().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.expired("admin"))
                .exchange().expectStatus().isUnauthorized()
                .expectHeader().valueMatches(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"timberdb\", error=\"invalid_token\".*expired.*")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.detail").isEqualTo("the token has expired")
                .jsonPath("$.instance").isEqualTo("/api/v1/partitions");
        http.get().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.wrongAudience("admin"))
                .exchange().expectStatus().isUnauthorized()
                .expectBody().jsonPath("$.detail").isEqualTo("the token is not meant for this server (aud)");
        http.post().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.valid("logs:read"))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"denied\"}")
                .exchange().expectStatus().isForbidden()
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"timberdb\", error=\"insufficient_scope\", "
                        + "error_description=\"the token carries none of the scopes this route needs: admin\", scope=\"admin\"")
                .expectBody().jsonPath("$.code").isEqualTo("INSUFFICIENT_SCOPE").jsonPath("$.scope").isEqualTo("admin");
        http.get().uri("/api/v1/partitions/denied").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.valid("logs:read"))
                .exchange().expectStatus().isNotFound();
        // an unknown path needs a caller too: it does not reveal which routes exist
        http.get().uri("/no/such/route").exchange().expectStatus().isUnauthorized();
        http.get().uri("/no/such/route").header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.valid("logs:read"))
                .exchange().expectStatus().isNotFound().expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
    }

    @Test
    void aUserTokenGivesNoPowerOnInternalRoutesAndIsNotNeededOnOpenOnes() {
        // internal routes are outside the chain: a token is not read, so a bad one is not refused
        // and a good one changes nothing (part 2 puts a cluster credential here)
        String body = "[]";
        int withoutToken = http.post().uri("/internal/v1/shards/p/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(body).exchange().returnResult(String.class).getStatus().value();
        int withAdmin = http.post().uri("/internal/v1/shards/p/0/entries").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + tokens.valid("admin logs:read logs:write"))
                .bodyValue(body).exchange().returnResult(String.class).getStatus().value();
        int withJunk = http.post().uri("/internal/v1/shards/p/0/entries").contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.AUTHORIZATION, "Bearer junk").bodyValue(body).exchange()
                .returnResult(String.class).getStatus().value();
        assertThat(withAdmin).isEqualTo(withoutToken).isNotEqualTo(401);
        assertThat(withJunk).isEqualTo(withoutToken);
        http.get().uri("/actuator/prometheus").exchange().expectStatus().isOk();
        http.get().uri("/actuator/health/liveness").header(HttpHeaders.AUTHORIZATION, "Bearer junk").exchange().expectStatus().isOk();
        http.get().uri("/actuator/info").exchange().expectStatus().isUnauthorized();
    }

    @Test
    void theTokenCommandPrintsATokenThisServerAccepts() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TokenCommandAccess.run(new String[] {"--data-dir", dataDir.toString(), "--scope", "logs:read,logs:write",
                "--tenant", "acme", "--ttl", "10m"}, new PrintStream(out, true), new PrintStream(err, true));
        assertThat(status).as(err.toString()).isZero();
        String token = out.toString().strip();
        http.get().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isOk();
        http.post().uri("/api/v1/query/execute").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"partitions\":[\"nope\"]}")
                .exchange().expectStatus().value(s -> assertThat(s).isNotIn(401, 403));
        http.get().uri("/api/v1/cluster").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange().expectStatus().isForbidden();
    }

    private void assertProblem(Route route, String token, int status, String code) {
        EntityExchangeResult<byte[]> result = send(route, token);
        assertThat(result.getStatus().value()).as("%s %s with %s", route.method(), route.path(), code).isEqualTo(status);
        String body = new String(result.getResponseBody() == null ? new byte[0] : result.getResponseBody());
        assertThat(body).as("%s %s", route.method(), route.path()).contains("\"code\":\"" + code + "\"");
        assertThat(result.getResponseHeaders().getFirst(HttpHeaders.WWW_AUTHENTICATE)).startsWith("Bearer");
        if (token != null) {
            assertThat(body).doesNotContain(token);
        }
    }

    private void assertNeither401Nor403(Route route, String token) {
        int status = send(route, token).getStatus().value();
        assertThat(status).as("%s %s with %s", route.method(), route.path(), token == null ? "no token" : "a token")
                .isNotIn(401, 403).isLessThan(500);
    }

    private EntityExchangeResult<byte[]> send(Route route, String token) {
        var request = http.method(route.method()).uri(route.path());
        if (token != null) {
            request = request.header(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        }
        if (route.method() == HttpMethod.POST || route.method() == HttpMethod.PUT || route.method() == HttpMethod.PATCH) {
            return request.contentType(MediaType.APPLICATION_JSON).bodyValue("{}").exchange().expectBody().returnResult();
        }
        return request.exchange().expectBody().returnResult();
    }

    /** Every (method, pattern) of every handler mapping of the running application. */
    private List<Route> routes() {
        assertThat(context.getBeansOfType(RouterFunctionMapping.class).values())
                .as("router functions: this test enumerates annotated controllers only; teach it to visit them")
                .allMatch(mapping -> mapping.getRouterFunction() == null);
        List<Route> routes = new ArrayList<>();
        Map<String, RequestMappingInfoHandlerMapping> mappings = context.getBeansOfType(RequestMappingInfoHandlerMapping.class);
        mappings.values().forEach(mapping -> mapping.getHandlerMethods().keySet().forEach(info -> {
            Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
            List<HttpMethod> httpMethods = methods.isEmpty() ? List.of(HttpMethod.GET, HttpMethod.POST)
                    : methods.stream().map(RequestMethod::asHttpMethod).toList();
            for (PathPattern pattern : info.getPatternsCondition().getPatterns()) {
                for (HttpMethod method : httpMethods) {
                    routes.add(new Route(method, pattern.getPatternString(), concrete(pattern.getPatternString())));
                }
            }
        }));
        return routes;
    }

    /** A path the pattern matches: variables become {@code x1}, wildcards {@code a/b}. */
    private static String concrete(String pattern) {
        return pattern.replaceAll("\\{\\*[^}]+}", "a/b").replaceAll("\\{[^}]+}", "x1").replace("**", "a/b").replace("*", "x1");
    }

}
