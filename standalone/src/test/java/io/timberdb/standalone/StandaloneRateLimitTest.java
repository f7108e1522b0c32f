package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;

/**
 * The standalone with its rate limits turned on (they are off by default), a burst of one
 * request: the official Elasticsearch Java client reads the refusal as Elasticsearch's own
 * overload error with status 429, and nothing of the refused bulk is stored.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"timberdb.ingest.rate-limit.enabled=true", "timberdb.ingest.rate-limit.burst=1",
                "timberdb.ingest.rate-limit.requests-per-minute=1"})
class StandaloneRateLimitTest extends StandaloneContext {

    @Value("${local.server.port}")
    int port;

    @Test
    void theElasticsearchClientReadsARefusedBulkAsA429Rejection() throws Exception {
        awaitHealthy();
        ElasticsearchClient client = ElasticsearchClient.of(b -> b.host("http://127.0.0.1:" + port)
                .jsonMapper(new Jackson3JsonpMapper()));
        try {
            assertThat(client.bulk(b -> b.index("limited").operations(op -> op.index(i -> i.document(
                    Map.of("message", "admitted", "host", "web-1"))))).errors()).isFalse();

            ElasticsearchException refused = catchThrowableOfType(ElasticsearchException.class,
                    () -> client.bulk(b -> b.index("limited").operations(op -> op.index(i -> i.document(
                            Map.of("message", "refused", "host", "web-1"))))));
            assertThat(refused.status()).isEqualTo(429);
            assertThat(refused.error().type()).isEqualTo("es_rejected_execution_exception");
            assertThat(refused.error().reason()).contains("tenant default");
            assertThat(refused.error().metadata().get("code").to(String.class)).isEqualTo("RATE_LIMITED");
        } finally {
            client._transport().close();
        }
        http.post().uri("/api/v1/query/execute").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"filter\":{},\"partitions\":[\"limited\"]}").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.matched_entries").isEqualTo(1)
                .jsonPath("$.entries[0].message").isEqualTo("admitted");
    }
}
