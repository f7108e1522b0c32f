package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.core.bulk.OperationType;
import co.elastic.clients.json.jackson.Jackson3JsonpMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The official Elasticsearch Java client (co.elastic.clients:elasticsearch-java, the version
 * Spring Boot manages) against the standalone on a real port: it accepts the product check and
 * {@code GET /}, and reads the bulk answer with stored and refused items.
 */
@SpringBootTest(classes = StandaloneApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StandaloneElasticsearchClientTest extends StandaloneContext {

    @Value("${local.server.port}")
    int port;

    @Test
    void theOfficialJavaClientReadsTheInfoAndABulkAnswerWithStoredAndRefusedItems() throws Exception {
        awaitHealthy();
        ElasticsearchClient client = ElasticsearchClient.of(b -> b.host("http://127.0.0.1:" + port)
                .jsonMapper(new Jackson3JsonpMapper()));
        try {
            assertThat(client.info().version().number()).isEqualTo("8.11.0");

            BulkResponse response = client.bulk(b -> b.index("client-logs")
                    .operations(op -> op.index(i -> i.document(Map.of("message", "one", "host", Map.of("name", "web-1"),
                            "@timestamp", "2026-11-26T10:00:00Z"))))
                    .operations(op -> op.create(c -> c.index("client-other").id("ignored")
                            .document(Map.of("message", "two", "host", "web-2"))))
                    .operations(op -> op.delete(d -> d.index("client-logs").id("1"))));

            assertThat(response.errors()).isTrue();
            assertThat(response.items()).extracting(BulkResponseItem::operationType)
                    .containsExactly(OperationType.Index, OperationType.Create, OperationType.Delete);
            assertThat(response.items()).extracting(BulkResponseItem::status).containsExactly(201, 201, 400);
            assertThat(response.items()).extracting(BulkResponseItem::index)
                    .containsExactly("client-logs", "client-other", "client-logs");
            assertThat(response.items().get(0).id()).isNotBlank();
            assertThat(response.items().get(2).error().type()).isEqualTo("illegal_argument_exception");
        } finally {
            client._transport().close();
        }
    }
}
