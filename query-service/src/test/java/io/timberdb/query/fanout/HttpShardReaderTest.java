package io.timberdb.query.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardVersion;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The storage node's query and version routes as the query service calls them, over a stub exchange (no server). */
class HttpShardReaderTest {

    static final ClusterViewSource VIEW = ClusterViewSource.fixed(new ClusterView(1, null,
            List.of(new StorageNode("storage-1", "http://10.0.0.1:7821", StorageNode.State.ACTIVE, Instant.EPOCH)),
            List.of()));

    final AtomicReference<HttpMethod> method = new AtomicReference<>();
    final AtomicReference<URI> uri = new AtomicReference<>();

    HttpShardReader answering(HttpStatus status, String body) {
        WebClient.Builder builder = WebClient.builder().exchangeFunction(request -> {
            method.set(request.method());
            uri.set(request.url());
            return Mono.just(ClientResponse.create(status)
                    .header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE).body(body).build());
        });
        return new HttpShardReader(builder, VIEW, 1 << 20);
    }

    @Test
    void asksTheShardsNodeForItsVersion() {
        StepVerifier.create(answering(HttpStatus.OK, "{\"epoch\": -7, \"changes\": 12}").version("storage-1", new ShardId("p-1", 2)))
                .expectNext(new ShardVersion(-7, 12)).verifyComplete();
        assertThat(method.get()).isEqualTo(HttpMethod.GET);
        assertThat(uri.get()).hasToString("http://10.0.0.1:7821/internal/v1/shards/p-1/2/version");
    }

    @Test
    void aNodeWithoutTheRouteOrOutsideTheViewFails() {
        StepVerifier.create(answering(HttpStatus.NOT_FOUND, "{}").version("storage-1", new ShardId("p-1", 0)))
                .expectError().verify();
        StepVerifier.create(answering(HttpStatus.OK, "{}").version("storage-9", new ShardId("p-1", 0)))
                .expectError(TimberException.class).verify();
    }

    static final ShardQuery QUERY = new ShardQuery(null, 10, "SELECT * FROM logs LIMIT 10", Instant.EPOCH, null, 1000L);

    @Test
    void aProblemTheNodeAnswersIsTheTimberExceptionItStandsForWithItsMembers() {
        String problem = """
                {"type": "about:blank", "title": "Query syntax error", "status": 400, "code": "QUERY_SYNTAX",
                 "detail": "line 1, column 8: expected a field", "field": "query", "line": 1, "column": 8}""";
        StepVerifier.create(answering(HttpStatus.BAD_REQUEST, problem).query("storage-1", new ShardId("p-1", 0), QUERY))
                .expectErrorSatisfies(e -> {
                    TimberException te = (TimberException) e;
                    assertThat(te.code()).isEqualTo(ErrorCode.QUERY_SYNTAX);
                    assertThat(te).hasMessage("line 1, column 8: expected a field");
                    assertThat(te.field()).isEqualTo("query");
                    assertThat(te.properties()).containsOnly(Map.entry("line", 1), Map.entry("column", 8));
                })
                .verify();
        assertThat(uri.get()).hasToString("http://10.0.0.1:7821/internal/v1/shards/p-1/0/query");
    }

    @Test
    void anErrorAnswerThatIsNoProblemStaysTheResponsesException() {
        StepVerifier.create(answering(HttpStatus.BAD_GATEWAY, "[1, 2]").query("storage-1", new ShardId("p-1", 0), QUERY))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(WebClientResponseException.class)
                        .satisfies(w -> assertThat(((WebClientResponseException) w).getStatusCode().value()).isEqualTo(502)))
                .verify();
    }

    @Test
    void cancellingAQueryCancelsItsExchange() {
        AtomicBoolean cancelled = new AtomicBoolean();
        WebClient.Builder hanging = WebClient.builder().exchangeFunction(request -> Mono.<ClientResponse>never()
                .doOnCancel(() -> cancelled.set(true)));
        StepVerifier.create(new HttpShardReader(hanging, VIEW, 1 << 20).query("storage-1", new ShardId("p-1", 0), QUERY))
                .expectSubscription()
                .thenCancel()
                .verify();
        assertThat(cancelled).isTrue();
    }
}
