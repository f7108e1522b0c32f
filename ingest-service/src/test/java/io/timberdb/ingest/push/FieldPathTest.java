package io.timberdb.ingest.push;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FieldPathTest {

    @Test
    void writesFieldsAndElementsAsTheRequestNamesThem() {
        FieldPath record = FieldPath.element("resourceLogs", 0).at("scopeLogs", 12).at("logRecords", 3);
        assertThat(record).hasToString("resourceLogs[0].scopeLogs[12].logRecords[3]");
        assertThat(record.field("body").field("stringValue"))
                .hasToString("resourceLogs[0].scopeLogs[12].logRecords[3].body.stringValue");
        assertThat(record.at("attributes", 0).field("key")).hasToString("resourceLogs[0].scopeLogs[12].logRecords[3].attributes[0].key");
        assertThat(FieldPath.element("streams", 7)).hasToString("streams[7]");
    }

    @Test
    void sharesItsParentsText() {
        FieldPath scope = FieldPath.element("resourceLogs", 1).at("scopeLogs", 0);
        String text = scope.toString();
        assertThat(scope.at("logRecords", 0)).hasToString(text + ".logRecords[0]");
        assertThat(scope.toString()).isSameAs(text);
    }
}
