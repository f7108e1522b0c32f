package io.timberdb.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * The query result cache in the whole engine, in one process (no HTTP port; the Raft voter on a
 * free loopback port): an entry ingested between two identical queries is in the second answer,
 * and a third identical query, with nothing written meanwhile, is answered from the cache.
 */
class StandaloneResultCacheTest extends StandaloneContext {

    private static final String QUERY = "{\"query\": \"SELECT * FROM webapp WHERE source = 'web-1' ORDER BY time ASC\"}";

    @Autowired
    MeterRegistry metrics;

    @Test
    void anIngestedEntryShowsInTheNextIdenticalQueryAndARepeatIsServedFromTheCache() {
        awaitHealthy();
        String partition = post("/api/v1/partitions/create", "{\"name\": \"webapp\", \"retention_days\": 30}")
                .expectBody(PartitionId.class).returnResult().getResponseBody().id();

        ingest(partition, "first");
        assertThat(messages()).containsExactly("first");
        double hits = lookups("hit");

        ingest(partition, "second");
        assertThat(messages()).as("the write invalidated the cached answer").containsExactly("first", "second");
        assertThat(lookups("stale")).isEqualTo(1);
        assertThat(lookups("hit")).isEqualTo(hits);

        assertThat(messages()).containsExactly("first", "second");
        assertThat(lookups("hit")).as("nothing written since: from the cache").isEqualTo(hits + 1);
    }

    /** The part of a partition this test reads. */
    record PartitionId(String id) {
    }

    /** The part of a query's answer this test reads. */
    record Answer(List<Entry> entries, boolean partial) {
        record Entry(String message) {
        }
    }

    private WebTestClient.ResponseSpec post(String path, String body) {
        return http.post().uri(path).contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange()
                .expectStatus().isOk();
    }

    private void ingest(String partition, String message) {
        post("/api/v1/partitions/" + partition + "/logs", "{\"source\": \"web-1\", \"message\": \"" + message + "\"}");
    }

    /** The messages of the entries the query answers (each entry is named by its message). */
    private List<String> messages() {
        Answer answer = post("/api/v1/query", QUERY).expectBody(Answer.class).returnResult().getResponseBody();
        assertThat(answer.partial()).isFalse();
        return answer.entries().stream().map(Answer.Entry::message).toList();
    }

    private double lookups(String result) {
        return metrics.counter("timberdb.query.result.cache", "result", result).count();
    }
}
