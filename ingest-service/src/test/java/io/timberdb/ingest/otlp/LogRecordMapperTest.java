package io.timberdb.ingest.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntryInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class LogRecordMapperTest {

    final LogRecordMapper mapper = new LogRecordMapper(OtlpProperties.defaults(), JsonMapper.builder().build());

    static OtlpLog record(OtlpLog.Resource resource, Map<String, String> attributes, String severityText) {
        return new OtlpLog("resourceLogs[0].scopeLogs[0].logRecords[0]", resource, "scope", null,
                1_764_153_000_123_456_789L, 0, 0, severityText, "body", attributes, null, null);
    }

    List<LogEntryInput> entries(List<OtlpLog> logs) {
        return mapper.map(logs, null).byPartition().values().iterator().next().entries();
    }

    @Test
    void laterTagsReplaceEarlierOnesInTheirPlaceAndEqualSetsShareOneMap() {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < 20; i++) { // more than the linear search's tags
            attributes.put("k" + i, "resource " + i);
        }
        attributes.put("host.name", "web-1");
        OtlpLog.Resource resource = new OtlpLog.Resource("resourceLogs[0].resource", attributes);
        Map<String, String> own = new LinkedHashMap<>();
        own.put("k3", "record");
        own.put("k19", "record");
        own.put("extra", "x");
        List<LogEntryInput> entries = entries(List.of(record(resource, own, "WARN"), record(resource, new LinkedHashMap<>(own), "WARN"),
                record(resource, Map.of(), null)));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add("k" + i + "=" + (i == 3 || i == 19 ? "record" : "resource " + i));
        }
        expected.addAll(List.of("host.name=web-1", "otel.scope.name=scope", "extra=x", "level=warn"));
        assertThat(entries.get(0).tags().entrySet()).extracting(Object::toString).containsExactlyElementsOf(expected);
        assertThat(entries.get(1).tags()).isSameAs(entries.get(0).tags());
        assertThat(entries.get(2).tags()).hasSize(22).containsEntry("k3", "resource 3").doesNotContainKey("level");
        assertThat(entries.get(0).source()).isEqualTo("web-1");
        assertThat(entries.get(0).timestamp()).isEqualTo("2025-11-26T10:30:00.123456789Z");
    }
}
