package io.timberdb.ingest.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.push.BodyMutations;
import io.timberdb.ingest.push.PushFixture;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.PartitionCatalog;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.http.MediaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Malformed bodies for the Elasticsearch bulk API: random mutations and truncations of a valid
 * bulk request, and hostile source lines (deep nesting, huge numbers, wrong types, invalid
 * UTF-8). It never answers 500; a refused request (4xx) stores nothing, and a 200 stores exactly
 * the items it reports as created (status 201), with the ids it reports.
 */
class BulkFuzzTest {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final byte[] BULK = """
            {"create":{}}
            {"@timestamp":"2026-11-26T10:30:00Z","message":"one","host":{"name":"web-1"},"log":{"level":"info"}}
            {"index":{"_index":"logs","_id":"x-1"}}
            {"@timestamp":1764150000123,"message":"two","host":"web-2","n":[1,2,{"a":null}]}
            {"create":{"_index":"logs"}}
            {"msg":"three","host.name":"web-3","ok":true}
            """.getBytes(StandardCharsets.UTF_8);

    static PushFixture fixture() {
        var noCatalog = new StaticListableBeanFactory().getBeanProvider(PartitionCatalog.class);
        var noCoordinators = new StaticListableBeanFactory().getBeanProvider(CoordinatorClient.class);
        return new PushFixture(List.of(PushFixture.partition("p-logs", "logs", 2)),
                (router, view) -> new BulkController(router, noCatalog, noCoordinators, ElasticsearchProperties.defaults(),
                        InstantSource.fixed(PushFixture.NOW), JSON), 256 * 1024);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedBulkBodiesNeverFailAndStoreOnlyWhatTheyReport(@ForAll("bulk") byte[] body) {
        check(body);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void hostileSourceLinesNeverFailAndStoreOnlyWhatTheyReport(@ForAll("hostile") String source) {
        check(("{\"create\":{}}\n{\"message\":\"ok\",\"host\":\"h\"}\n{\"create\":{}}\n" + source + "\n")
                .getBytes(StandardCharsets.UTF_8));
    }

    private static void check(byte[] body) {
        PushFixture store = fixture();
        var result = store.post("/logs/_bulk", MediaType.APPLICATION_NDJSON, null, body);
        int status = result.getStatus().value();
        Statistics.collect(status);
        assertThat(status).as("status").isIn(200, 400, 404, 413);
        if (status != 200) {
            assertThat(store.total()).as("entries stored by a refused request").isZero();
            return;
        }
        List<String> created = new ArrayList<>();
        for (JsonNode item : JSON.readTree(result.getResponseBody()).get("items")) {
            JsonNode outcome = item.iterator().next(); // {"<action>": {…}}
            if (outcome.get("status").asInt() == 201) {
                created.add(outcome.get("_id").asString());
            }
        }
        List<String> stored = store.written.values().stream().flatMap(List::stream).map(LogEntry::id).toList();
        assertThat(stored).as("ids stored").containsExactlyInAnyOrderElementsOf(created);
    }

    @Provide
    Arbitrary<byte[]> bulk() {
        return BodyMutations.of(BULK);
    }

    @Provide
    Arbitrary<String> hostile() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(1, 12_000).map(d -> "{\"message\":" + "[".repeat(d) + "]".repeat(d) + "}"),
                Arbitraries.integers().between(1, 12_000).map(d -> "{\"a\":".repeat(d) + "1" + "}".repeat(d)),
                Arbitraries.integers().between(1, 3_000).map(n -> "{\"message\":\"m\",\"@timestamp\":" + "9".repeat(n) + "}"),
                Arbitraries.integers().between(1, 3_000).map(n -> "{\"message\":\"m\",\"n\":1." + "5".repeat(n) + "e999}"),
                Arbitraries.of("{\"message\":{\"a\":1}}", "{\"message\":null}", "{\"message\":\"m\",\"@timestamp\":-1}",
                        "{\"message\":\"m\",\"@timestamp\":\"NaN\"}", "{\"message\":\"m\",\"@timestamp\":true}", "[]", "5",
                        "\"text\"", "{\"message\":\"\\ud800\"}", "{\"message\":\"m\",\"host\":[1,2]}", "", "{", "}"),
                Arbitraries.strings().ofMaxLength(60));
    }
}
