package io.timberdb.storage.api;

import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.shard.ShardQueryResult;
import io.timberdb.model.shard.ShardReader;
import io.timberdb.model.shard.ShardWriter;
import io.timberdb.storage.ShardBusyException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

/** A busy shard answers 503 UNAVAILABLE with Retry-After, so that callers back off and retry. */
class BusyAnswerTest {

    @Test
    void aFullQueueIsA503WithRetryAfter() {
        ShardWriter busy = (node, shard, entries) -> Mono.error(new ShardBusyException("shard p/0 is busy"));
        ShardReader empty = (node, shard, query) -> Mono.just(new ShardQueryResult(List.of(), 0, 0));
        WebTestClient http = WebTestClient
                .bindToController(new ShardController(busy, empty, new NodeProperties("storage-1", Path.of("."), List.of(), java.time.Duration.ofSeconds(1))))
                .controllerAdvice(new StorageProblemDetailsAdvice())
                .build();
        http.post().uri("/internal/v1/shards/p/0/entries").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("[]").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals(HttpHeaders.RETRY_AFTER, "1")
                .expectBody().jsonPath("$.code").isEqualTo("UNAVAILABLE")
                .jsonPath("$.detail").isEqualTo("shard p/0 is busy");
    }
}
