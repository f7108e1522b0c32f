package io.timberdb.standalone.security;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.timberdb.security.audit.AuditLog;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit log of the running standalone: one JSON line per administrative action and per query,
 * with who, tenant, action, target, result and client, and never the token.
 */
class StandaloneAuditLogTest extends SecuredStandalone {

    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private TestTokens tokens;

    @BeforeEach
    void capture() throws Exception {
        awaitHealthy();
        tokens = new TestTokens(signingKey());
        lines.start();
        audit.addAppender(lines);
    }

    @AfterEach
    void release() {
        audit.detachAppender(lines);
    }

    @Test
    void aCreationARefusedDeletionAndAQueryAreEachOneLineWithTheirFields() {
        String token = tokens.valid("admin logs:read");
        Instant before = Instant.now();
        http.post().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"name\":\"audited\"}").exchange()
                .expectStatus().isCreated();
        http.delete().uri("/api/v1/partitions/no-such-partition").header(HttpHeaders.AUTHORIZATION, "Bearer " + token)
                .exchange().expectStatus().isNotFound();
        http.post().uri("/api/v1/query").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).header("X-Query-Id", "audit-q1")
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"query\":\"SELECT * FROM audited\"}").exchange()
                .expectStatus().isOk();
        // reads are not administrative actions: no line
        http.get().uri("/api/v1/partitions").header(HttpHeaders.AUTHORIZATION, "Bearer " + token).exchange()
                .expectStatus().isOk();

        List<String> messages = lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(messages).hasSize(3).allSatisfy(line -> assertThat(line).doesNotContain(token)
                .doesNotContain(token.split("\\.")[1]).doesNotContain(token.split("\\.")[2]));
        JsonMapper json = JsonMapper.builder().build();
        List<JsonNode> entries = messages.stream().map(json::readTree).toList();

        JsonNode created = entries.get(0);
        assertThat(created.get("action").asString()).isEqualTo("partition.create");
        assertThat(created.get("target").asString()).isEqualTo("audited");
        assertThat(created.get("subject").asString()).isEqualTo("test");
        assertThat(created.get("tenant").asString()).isEqualTo("acme");
        assertThat(created.get("result").get("status").asInt()).isEqualTo(201);
        assertThat(created.get("result").has("code")).isFalse();
        assertThat(Instant.parse(created.get("time").asString())).isAfterOrEqualTo(before.minusSeconds(1));
        assertThat(created.has("client")).isTrue();

        JsonNode refused = entries.get(1);
        assertThat(refused.get("action").asString()).isEqualTo("partition.delete");
        assertThat(refused.get("target").asString()).isEqualTo("no-such-partition");
        assertThat(refused.get("tenant").asString()).isEqualTo("acme");
        assertThat(refused.get("result").get("status").asInt()).isEqualTo(404);
        assertThat(refused.get("result").get("code").asString()).isEqualTo("PARTITION_NOT_FOUND");

        JsonNode query = entries.get(2);
        assertThat(query.get("action").asString()).isEqualTo("query");
        assertThat(query.get("target").asString()).isEqualTo("audit-q1");
        assertThat(query.get("subject").asString()).isEqualTo("test");
        assertThat(query.get("result").get("status").asInt()).isEqualTo(200);
    }
}
