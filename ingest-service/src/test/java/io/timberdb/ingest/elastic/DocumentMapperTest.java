package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.timberdb.model.api.LogEntryInput;
import io.timberdb.model.error.TimberException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class DocumentMapperTest {

    final ObjectMapper json = JsonMapper.builder().build();
    final DocumentMapper mapper = new DocumentMapper(ElasticsearchProperties.defaults());

    LogEntryInput map(DocumentMapper with, String document) {
        return with.map(json.readTree(document));
    }

    @Test
    void mapsAFilebeatDocumentToMessageTimeSourceAndDottedTags() {
        LogEntryInput entry = map(mapper, """
                {"@timestamp":"2026-11-26T10:30:00.123Z","message":"GET /index.html 200",
                 "host":{"name":"web-1","os":{"family":"debian"}},
                 "log":{"file":{"path":"/var/log/nginx/access.log"},"offset":1234},
                 "agent":{"type":"filebeat","version":"8.11.0"},
                 "input":{"type":"filestream"},"tags":["beats_input","nginx"],"ecs":{"version":"8.0.0"},
                 "event":{"dataset":null,"ok":true,"took":1.5}}
                """);
        assertThat(entry.message()).isEqualTo("GET /index.html 200");
        assertThat(entry.timestamp()).isEqualTo("2026-11-26T10:30:00.123Z");
        assertThat(entry.source()).isEqualTo("web-1");
        assertThat(entry.tags()).containsExactly(
                Map.entry("host.os.family", "debian"),
                Map.entry("log.file.path", "/var/log/nginx/access.log"),
                Map.entry("log.offset", "1234"),
                Map.entry("agent.type", "filebeat"),
                Map.entry("agent.version", "8.11.0"),
                Map.entry("input.type", "filestream"),
                Map.entry("tags", "beats_input,nginx"),
                Map.entry("ecs.version", "8.0.0"),
                Map.entry("event.ok", "true"),
                Map.entry("event.took", "1.5"));
    }

    @Test
    void takesTheFirstMessageAndSourceFieldPresentAndKeepsTheOthersAsTags() {
        LogEntryInput entry = map(mapper, "{\"log\":\"from docker\\n\",\"msg\":\"second\",\"host\":\"db-2\",\"@timestamp\":1700000000000}");
        assertThat(entry.message()).isEqualTo("from docker\n");
        assertThat(entry.source()).isEqualTo("db-2");
        assertThat(entry.timestamp()).isEqualTo("1700000000000");
        assertThat(entry.tags()).containsExactly(Map.entry("msg", "second"));
    }

    @Test
    void anArrayOfObjectsIsKeptAsItsJsonTextAndIgnoredFieldsAreLeftOut() {
        DocumentMapper ignoring = new DocumentMapper(new ElasticsearchProperties(List.of("message"), "@timestamp",
                List.of("host.name"), "unknown", List.of("log.offset", "agent"), false, "8.11.0"));
        LogEntryInput entry = map(ignoring, """
                {"message":"m","spans":[{"id":1},{"id":2}],"log":{"offset":9,"level":"warn"},"agent":{"type":"x"},"agentx":"y"}
                """);
        assertThat(entry.source()).isEqualTo("unknown");
        assertThat(entry.timestamp()).isNull();
        assertThat(entry.tags()).containsExactly(Map.entry("spans", "[{\"id\":1},{\"id\":2}]"),
                Map.entry("log.level", "warn"), Map.entry("agentx", "y"));
    }

    @Test
    void aDocumentWithoutAMessageOrWithoutASourceAndNoDefaultIsRefused() {
        assertThatThrownBy(() -> map(mapper, "{\"log\":{\"file\":{\"path\":\"/x\"}},\"host\":\"h\"}"))
                .isInstanceOf(TimberException.class).hasMessageContaining("no message");
        DocumentMapper strict = new DocumentMapper(new ElasticsearchProperties(List.of("message"), "@timestamp",
                List.of("host.name", "host"), "", List.of(), false, "8.11.0"));
        assertThatThrownBy(() -> map(strict, "{\"message\":\"m\"}"))
                .isInstanceOf(TimberException.class).hasMessageContaining("no source");
    }
}
