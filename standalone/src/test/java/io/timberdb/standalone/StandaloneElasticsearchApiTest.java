package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;

/**
 * The standalone serves the Elasticsearch bulk API and probes on its own port: an index a log
 * shipper names becomes a partition (auto-create is on in its {@code application.yml}), and the
 * stored documents answer queries like entries of the native API.
 */
class StandaloneElasticsearchApiTest extends StandaloneContext {

    @Test
    void aBulkRequestToANewIndexCreatesItsPartitionAndTheEntriesAnswerQueries() {
        awaitHealthy();
        http.get().uri("/").exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectBody().jsonPath("$.version.number").isEqualTo("8.11.0");

        http.post().uri("/_bulk").contentType(MediaType.parseMediaType("application/x-ndjson"))
                .bodyValue("""
                        {"create":{"_index":"shipper"}}
                        {"@timestamp":"2026-11-26T10:00:00Z","log":"from fluent bit","host":"web-1","kubernetes":{"pod_name":"api-0"}}
                        {"index":{"_index":"shipper"}}
                        {"@timestamp":"2026-11-26T10:00:01Z","message":"from filebeat","host":{"name":"web-1"}}
                        {"delete":{"_index":"shipper","_id":"1"}}
                        """)
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals("X-Elastic-Product", "Elasticsearch")
                .expectBody()
                .jsonPath("$.errors").isEqualTo(true)
                .jsonPath("$.items[0].create.status").isEqualTo(201)
                .jsonPath("$.items[1].index.status").isEqualTo(201)
                .jsonPath("$.items[2].delete.status").isEqualTo(400);

        http.get().uri("/api/v1/partitions/shipper").exchange().expectStatus().isOk();
        Answer answer = http.post().uri("/api/v1/query").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"query\": \"SELECT * FROM shipper WHERE source = 'web-1' ORDER BY time ASC\"}")
                .exchange().expectStatus().isOk()
                .expectBody(Answer.class).returnResult().getResponseBody();
        assertThat(answer.entries()).extracting(Answer.Entry::message).containsExactly("from fluent bit", "from filebeat");
    }

    /** The part of a query's answer this test reads. */
    record Answer(List<Entry> entries) {
        record Entry(String message) {
        }
    }
}
