package io.timberdb.ingest.otlp;

import static io.timberdb.ingest.otlp.OtlpLogsController.PATH;
import static io.timberdb.ingest.otlp.OtlpLogsController.PROTOBUF;

import io.timberdb.ingest.push.BodyMutations;
import io.timberdb.ingest.push.PushFixture;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.springframework.http.MediaType;

/**
 * Random byte mutations and truncations of valid OTLP requests: the route never answers 500, only
 * 200 or a 4xx, and a 4xx stores nothing.
 */
class OtlpLogsFuzzTest {

    static final byte[] PROTOBUF_MESSAGE = OtlpLogsControllerTest.twoResources();
    static final byte[] JSON = """
            {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"checkout"}},
                {"key":"k8s","value":{"kvlistValue":{"values":[{"key":"pod","value":{"stringValue":"p-1"}}]}}}]},
              "scopeLogs":[{"scope":{"name":"io.example","version":"2"},
                "logRecords":[{"timeUnixNano":"1764153000123456789","severityNumber":13,"body":{"stringValue":"slow"},
                  "traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
                  "attributes":[{"key":"n","value":{"intValue":"9"}},{"key":"d","value":{"doubleValue":1.5}},
                                {"key":"a","value":{"arrayValue":{"values":[{"boolValue":true},{"bytesValue":"AQID"}]}}}]},
                  {"observedTimeUnixNano":1764153000000000000,"severityText":"DEBUG","body":{"intValue":3}}]}]},
             {"resource":{"attributes":[{"key":"timberdb.partition","value":{"stringValue":"audit"}}]},
              "scopeLogs":[{"logRecords":[{"body":{"stringValue":"audited"}}]}]}]}
            """.getBytes(StandardCharsets.UTF_8);

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedProtobufBodiesNeverFail(@ForAll("protobuf") byte[] body) {
        check(body, PROTOBUF);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void mutatedJsonBodiesNeverFail(@ForAll("json") byte[] body) {
        check(body, MediaType.APPLICATION_JSON);
    }

    private static void check(byte[] body, MediaType type) {
        PushFixture.postNeverFails(OtlpFixture::new, PATH, type, body, 200);
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
