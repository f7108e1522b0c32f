package io.timberdb.ingest.loki;

import static io.timberdb.ingest.loki.LokiPushController.PATH;
import static io.timberdb.ingest.loki.LokiPushController.PROTOBUF;

import io.timberdb.ingest.loki.LokiPushes.Entry;
import io.timberdb.ingest.loki.LokiPushes.Stream;
import io.timberdb.ingest.push.BodyMutations;
import io.timberdb.ingest.push.PushFixture;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
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
        PushFixture.postNeverFails(LokiFixture::new, PATH, type, body, 204);
    }

    @Provide
    Arbitrary<byte[]> snappy() {
        return BodyMutations.of(SNAPPY);
    }

    @Provide
    Arbitrary<byte[]> protobuf() {
        return BodyMutations.of(PROTOBUF_MESSAGE);
    }

    @Provide
    Arbitrary<byte[]> json() {
        return BodyMutations.of(JSON);
    }
}
