package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.RepeatedValues;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

class DocumentFieldsTest {

    final ObjectMapper json = JsonMapper.builder().build();

    DocumentFields read(String document) {
        byte[] bytes = document.getBytes(StandardCharsets.UTF_8);
        try (JsonParser parser = json.reader().with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .createParser(bytes, 0, bytes.length)) {
            return DocumentFields.read(parser, new RepeatedValues(), Set.of("message"));
        }
    }

    /** Every field as {@code key=text} and whether it is a scalar, in order. */
    static List<String> described(DocumentFields fields) {
        List<String> described = new ArrayList<>();
        for (int place = 0; place < fields.places(); place++) {
            String key = fields.key(place);
            if (key != null) {
                described.add(key + "=" + fields.text(place) + (fields.scalar(key) ? "" : " (array)"));
            }
        }
        return described;
    }

    @Test
    void readsTokenByTokenWhatTheTreeReads() {
        List<String> documents = List.of(
                "{\"message\":\"m\",\"host\":{\"name\":\"web-1\",\"os\":{\"family\":\"debian\"}},\"empty\":{}}",
                "{\"n\":42,\"big\":123456789012345678901234567890,\"f\":1.5e3,\"b\":true,\"nothing\":null}",
                "{\"tags\":[\"a\",\"b\",1,null],\"spans\":[{\"id\":1}],\"nested\":[[1]],\"none\":[]}",
                "{\"a.b\":\"literal\",\"a\":{\"b\":\"nested\",\"c\":\"x\",\"d\":null},\"a.d\":\"kept\","
                        + "\"s\":\"\\u00e9\\n\"}");
        for (String document : documents) {
            DocumentFields streamed = read(document);
            assertThat(streamed).as(document).isNotNull();
            assertThat(described(streamed)).as(document).isEqualTo(described(DocumentFields.of(json.readTree(document))));
        }
        assertThat(described(read(documents.get(3)))).containsExactly("a.b=nested", "a.c=x", "a.d=kept", "s=é\n");
        assertThat(described(read(documents.get(1)))).containsExactly("n=42", "big=123456789012345678901234567890",
                "f=1500.0", "b=true");
        assertThat(described(read(documents.get(2)))).containsExactly("tags=a,b,1,null (array)",
                "spans=[{\"id\":1}] (array)", "nested=[[1]] (array)", "none= (array)");
    }

    @Test
    void holdsManyFieldsInOrder() {
        StringBuilder document = new StringBuilder("{");
        for (int i = 0; i < 40; i++) {
            document.append(i == 0 ? "" : ",").append("\"f").append(i).append("\":{\"v\":\"").append(i).append("\"}");
        }
        document.append(",\"f7.v\":\"again\"}");
        DocumentFields fields = read(document.toString());
        assertThat(described(fields)).hasSize(40).startsWith("f0.v=0", "f1.v=1").contains("f7.v=again").endsWith("f39.v=39");
        assertThat(described(fields)).isEqualTo(described(DocumentFields.of(json.readTree(document.toString()))));
    }

    @Test
    void declinesWhatOnlyTheTreeCanDecideARepeatedKeyAmongThem() {
        assertThat(read("{\"message\":\"a\",\"message\":\"b\"}")).isNull();
        assertThat(read("{\"a\":{\"b\":\"1\"},\"a\":{\"c\":\"2\"}}")).isNull();
        assertThat(read("{\"a\":\"1\",\"a\":null}")).isNull();
        assertThat(read("{\"message\":\"a\"} {\"x\":1}")).isNull();
        assertThat(read("[1,2]")).isNull();
        assertThat(read("\"text\"")).isNull();
        assertThat(read("{\"message\": oops")).isNull();
        assertThat(read("")).isNull();
        JsonNode repeated = json.readTree("{\"a\":{\"b\":\"1\"},\"a\":{\"c\":\"2\"},\"x\":\"1\",\"x\":null}");
        assertThat(described(DocumentFields.of(repeated))).containsExactly("a.c=2");
    }

    @Test
    void aKeyThatTurnsIntoAnArrayIsNoLongerAScalarAndBack() {
        DocumentFields fields = DocumentFields.of(json.readTree("{\"a.b\":[1],\"a\":{\"b\":\"s\"},\"c.d\":\"s\",\"c\":{\"d\":[2]}}"));
        assertThat(fields.scalar("a.b")).isTrue();
        assertThat(fields.get("a.b")).isEqualTo("s");
        assertThat(fields.scalar("c.d")).isFalse();
        assertThat(fields.scalar("missing")).isFalse();
        assertThat(fields.takeScalar("c.d")).isNull();
        assertThat(fields.takeScalar("a.b")).isEqualTo("s");
        assertThat(fields.get("a.b")).isNull();
        assertThat(described(fields)).containsExactly("c.d=2 (array)");
    }
}
