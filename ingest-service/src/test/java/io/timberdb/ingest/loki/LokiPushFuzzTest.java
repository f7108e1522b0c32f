package io.timberdb.ingest.loki;

import static io.timberdb.ingest.loki.LokiPushController.PATH;
import static io.timberdb.ingest.loki.LokiPushController.PROTOBUF;
import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.ingest.loki.LokiPushes.Entry;
import io.timberdb.ingest.loki.LokiPushes.Stream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.springframework.http.MediaType;

/**
 * Random byte mutations and truncations of valid pushes: the route never answers 500, only 204
 * or a 4xx, and a 4xx stores nothing.
 */
class LokiPushFuzzTest {

    static final byte[] PROTOBUF_MESSAGE = LokiPushes.pushRequest(List.of(
            new Stream("{job=\"varlogs\", host=\"node-1\"}", List.of(new Entry(1_764_153_000L, 1, "first line"),
                    new Entry(1_764_153_001L, 2, "second line", Map.of("trace_id", "t-1")))),
            new Stream("{job=\"app\",level=\"error\",partition=\"audit\"}", List.of(new Entry(1_764_153_002L, 3, "boom")))));
    static final byte[] SNAPPY = LokiPushControllerTest.compress(PROTOBUF_MESSAGE);
    static final byte[] JSON = """
            {"streams":[{"stream":{"job":"varlogs","host":"node-1"},
              "values":[["1764153000000000001","first line"],["1764153001000000002","second line",{"trace_id":"t-1"}]]},
             {"stream":{"job":"app","partition":"audit"},"values":[["1764153002000000003","boom"]]}]}
            """.getBytes(StandardCharsets.UTF_8);

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void mutatedSnappyBodiesNeverFail(@ForAll("snappy") byte[] body) {
        check(body, PROTOBUF);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void mutatedProtobufMessagesNeverFail(@ForAll("protobuf") byte[] message) {
        check(LokiPushControllerTest.compress(message), PROTOBUF);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.NONE)
    void mutatedJsonBodiesNeverFail(@ForAll("json") byte[] body) {
        check(body, MediaType.APPLICATION_JSON);
    }

    private static void check(byte[] body, MediaType type) {
        LokiFixture store = new LokiFixture();
        int status = store.http.post().uri(PATH).contentType(type).bodyValue(body).exchange()
                .expectBody().returnResult().getStatus().value();
        Statistics.collect(status);
        assertThat(status).as("status").isIn(204, 400, 404, 413);
        if (status != 204) {
            assertThat(store.total()).as("entries stored by a refused push").isZero();
        }
    }

    @Provide
    Arbitrary<byte[]> snappy() {
        return mutations(SNAPPY);
    }

    @Provide
    Arbitrary<byte[]> protobuf() {
        return mutations(PROTOBUF_MESSAGE);
    }

    @Provide
    Arbitrary<byte[]> json() {
        return mutations(JSON);
    }

    /** {@code valid} truncated, with up to 4 bytes overwritten, inserted or deleted, or both. */
    static Arbitrary<byte[]> mutations(byte[] valid) {
        // a third of the bodies are truncated, the rest keep their length
        Arbitrary<Integer> cut = Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.integers().between(0, valid.length)),
                Tuple.of(2, Arbitraries.just(valid.length)));
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(0, valid.length), Arbitraries.integers().between(0, 255))
                .as((kind, at, value) -> new int[] {kind, at, value}).list().ofMaxSize(4);
        return Combinators.combine(cut, edits).as((length, changes) -> mutate(valid, length, changes));
    }

    private static byte[] mutate(byte[] valid, int length, List<int[]> changes) {
        byte[] bytes = Arrays.copyOf(valid, length);
        for (int[] change : changes) {
            int at = Math.min(change[1], bytes.length);
            byte value = (byte) change[2];
            bytes = switch (change[0]) {
                case 0 -> {
                    if (at < bytes.length) {
                        bytes[at] = value;
                    }
                    yield bytes;
                }
                case 1 -> {
                    byte[] longer = new byte[bytes.length + 1];
                    System.arraycopy(bytes, 0, longer, 0, at);
                    longer[at] = value;
                    System.arraycopy(bytes, at, longer, at + 1, bytes.length - at);
                    yield longer;
                }
                default -> {
                    if (at == bytes.length) {
                        yield bytes;
                    }
                    byte[] shorter = new byte[bytes.length - 1];
                    System.arraycopy(bytes, 0, shorter, 0, at);
                    System.arraycopy(bytes, at + 1, shorter, at, bytes.length - at - 1);
                    yield shorter;
                }
            };
        }
        return bytes;
    }
}
