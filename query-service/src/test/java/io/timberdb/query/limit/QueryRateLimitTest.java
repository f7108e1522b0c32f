package io.timberdb.query.limit;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.limit.RateLimitAnswers;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.query.api.QueryController;
import io.timberdb.query.api.QueryProblems;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.control.RunningQueries;
import io.timberdb.query.plan.QueryExecutor;
import io.timberdb.security.tenant.CallerTenant;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestComponent;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import reactor.core.publisher.Mono;

/**
 * The query routes' per-tenant request rate, as the query service wires it, over a shard reader
 * that counts its calls and a clock the test moves: a burst of 3, one request every 10 s, and a
 * tenant {@code big} with a burst of 5. Each test spends the budget of tenants of its own.
 */
@SpringBootTest(classes = QueryRateLimitTest.Context.class, webEnvironment = SpringBootTest.WebEnvironment.MOCK, properties = {
        "timberdb.query.rate-limit.burst=3",
        "timberdb.query.rate-limit.requests-per-minute=6",
        "timberdb.query.rate-limit.overrides.big.burst=5"})
@AutoConfigureWebTestClient
class QueryRateLimitTest {

    static final String TENANT = CallerTenant.HEADER;
    static final String QUERY = "/api/v1/query/execute";

    /** The query routes over one partition per tenant, the rate limit, a reader that counts its calls. */
    @SpringBootConfiguration
    @TestComponent
    @EnableAutoConfiguration
    @EnableConfigurationProperties(QueryProperties.class)
    @Import({QueryController.class, QueryProblems.class, QueryRateLimitConfiguration.class})
    static class Context {

        final AtomicInteger shardCalls = new AtomicInteger();
        final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-11-26T12:00:00Z"));

        @Bean
        InstantSource clock() {
            return now::get;
        }

        @Bean
        MeterRegistry meters() {
            return new SimpleMeterRegistry();
        }

        @Bean
        QueryExecutor queryExecutor(QueryProperties limits, InstantSource clock) {
            List<Partition> partitions = List.of("team-a", "team-b", "team-c", "big", "team-d", "team-e").stream()
                    .map(tenant -> new Partition("p-" + tenant, "logs", Map.of(), 30, Instant.EPOCH,
                            List.of(new Partition.ShardPlacement(0, "storage-1")), null, null, null, tenant, 1, 1))
                    .toList();
            ShardReader reader = (node, shard, query) -> {
                shardCalls.incrementAndGet();
                return Mono.just(new ShardQueryResult(List.of(), 0, 0));
            };
            return new QueryExecutor(ClusterViewSource.fixed(new ClusterView(1, null, List.of(), partitions)), reader,
                    clock, limits);
        }

        @Bean
        RunningQueries runningQueries(QueryProperties limits, InstantSource clock) {
            return new RunningQueries(limits, clock);
        }
    }

    @Autowired
    WebTestClient http;
    @Autowired
    Context context;
    @Autowired
    MeterRegistry meters;
    @Autowired
    List<RequestMappingHandlerMapping> mappings;

    WebTestClient.ResponseSpec query(String tenant) {
        return http.post().uri(QUERY).header(TENANT, tenant).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"partitions\":[\"logs\"],\"filter\":{}}").exchange();
    }

    @Test
    void underTheRateQueriesRunAndCarryTheHeaders() {
        for (int sent = 1; sent <= 3; sent++) {
            query("team-a").expectStatus().isOk()
                    .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "3")
                    .expectHeader().valueEquals(RateLimitAnswers.REMAINING, Integer.toString(3 - sent))
                    .expectHeader().valueEquals(RateLimitAnswers.RESET, Integer.toString(10 * sent))
                    .expectHeader().doesNotExist(HttpHeaders.RETRY_AFTER);
        }
    }

    @Test
    void overTheRateIsRefused429WithTheHeadersAndNothingRuns() {
        for (int sent = 0; sent < 3; sent++) {
            query("team-b").expectStatus().isOk();
        }
        int calls = context.shardCalls.get();
        query("team-b").expectStatus().isEqualTo(429)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "10")
                .expectHeader().valueEquals(RateLimitAnswers.LIMIT, "3")
                .expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0")
                .expectHeader().valueEquals(RateLimitAnswers.RESET, "30")
                .expectBody()
                .jsonPath("$.status").isEqualTo(429)
                .jsonPath("$.code").isEqualTo("RATE_LIMITED")
                .jsonPath("$.tenant").isEqualTo("team-b")
                .jsonPath("$.limit").isEqualTo("requests")
                .jsonPath("$.retry_after_seconds").isEqualTo(10)
                .jsonPath("$.instance").isEqualTo(QUERY)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail)
                        .startsWith("tenant team-b is over its query limit of 6 requests per minute (burst 3)"));
        assertThat(context.shardCalls).as("the refused query read no shard").hasValue(calls);
        http.get().uri("/api/v1/query/running").header(TENANT, "team-b").exchange().expectStatus().isEqualTo(429);
        assertThat(meters.get(QueryRateLimitFilter.THROTTLED).tag("tenant", "team-b").tag("limit", "requests")
                .counter().count()).isEqualTo(2);

        // a token comes back every 10 s
        context.now.updateAndGet(t -> t.plusSeconds(10));
        query("team-b").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.REMAINING, "0");
        assertThat(context.shardCalls).hasValue(calls + 1);
    }

    @Test
    void tenantsHaveBudgetsOfTheirOwn() {
        for (int sent = 0; sent < 3; sent++) {
            query("team-c").expectStatus().isOk();
        }
        query("team-c").expectStatus().isEqualTo(429);
        query("team-d").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.REMAINING, "2");
        for (int sent = 0; sent < 5; sent++) {
            query("big").expectStatus().isOk().expectHeader().valueEquals(RateLimitAnswers.LIMIT, "5");
        }
        query("big").expectStatus().isEqualTo(429);
    }

    @Test
    void everyQueryRouteIsLimited() {
        for (int sent = 0; sent < 3; sent++) {
            query("team-e").expectStatus().isOk();
        }
        List<Map.Entry<HttpMethod, String>> routes = mappings.stream()
                .flatMap(mapping -> mapping.getHandlerMethods().entrySet().stream())
                .filter(e -> e.getValue().getBeanType().getName().startsWith(QueryRateLimitFilter.PACKAGE + "."))
                .flatMap(e -> e.getKey().getMethodsCondition().getMethods().stream().flatMap(method ->
                        e.getKey().getPatternsCondition().getPatterns().stream().map(pattern -> Map.entry(
                                method.asHttpMethod(), pattern.getPatternString().replace("{id}", "some-query")))))
                .toList();
        assertThat(routes).hasSizeGreaterThanOrEqualTo(5);
        int calls = context.shardCalls.get();
        for (Map.Entry<HttpMethod, String> route : routes) {
            http.method(route.getKey()).uri(route.getValue()).header(TENANT, "team-e")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":\"SELECT * FROM logs\"}").exchange()
                    .expectStatus().isEqualTo(429)
                    .expectBody().jsonPath("$.code").isEqualTo("RATE_LIMITED");
        }
        assertThat(context.shardCalls).hasValue(calls);
    }

    @Test
    void aTenantHeaderThatIsNoNameIsLeftToTheRoute() {
        http.post().uri(QUERY).header(TENANT, "no name!").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{}}").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().doesNotExist(RateLimitAnswers.LIMIT)
                .expectBody().jsonPath("$.code").isEqualTo("INVALID_FIELD").jsonPath("$.field").isEqualTo(TENANT);
    }
}
