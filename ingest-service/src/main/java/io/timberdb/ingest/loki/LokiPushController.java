package io.timberdb.ingest.loki;

import io.timberdb.ingest.limit.SnappyBlockBody;
import io.timberdb.ingest.push.PushGate;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.cluster.ClusterViewSource;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The Loki push API, {@code POST /loki/api/v1/push}, for Promtail, Grafana Alloy, the Loki
 * Logback/Log4j appenders and other Loki clients:
 *
 * <ul>
 *   <li>{@code Content-Type: application/x-protobuf} (or none): a snappy block holding a
 *       {@code logproto.PushRequest} ({@link ProtobufPushDecoder});</li>
 *   <li>{@code Content-Type: application/json}: {@code {"streams": [...]}} ({@link JsonPushParser});</li>
 *   <li>either may be gzipped ({@code Content-Encoding: gzip}).</li>
 * </ul>
 *
 * Entries are mapped as {@link PushMapper} says. Like Loki, a push is all or nothing: every
 * stream and entry is decoded and checked, and every partition it names resolved, before
 * anything is written; one bad entry refuses the whole push with a 400 problem detail naming
 * its path, and nothing of it is stored. Success is {@code 204 No Content} once every entry is
 * durable. A busy write path ({@code UNAVAILABLE}, 503 on the native API) is answered
 * {@code 429 TOO_MANY_REQUESTS} with {@code Retry-After}, which Loki clients retry; so are
 * pushes beyond {@link LokiProperties#maxConcurrentPushes()}. A push that spans partitions is
 * written partition by partition: if a later partition's write fails after an earlier one's
 * succeeded, the client's retry stores the earlier partition's entries again (at least once,
 * never half of one partition's batch acknowledged as the whole).
 *
 * <p>Thread-safe: the {@link PushGate} is the only shared state.
 */
@RestController
public class LokiPushController {

    static final String PATH = "/loki/api/v1/push";
    static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");

    private final EntryRouter router;
    private final ClusterViewSource cluster;
    private final LokiProperties props;
    private final JsonPushParser json;
    private final ProtobufPushDecoder protobuf;
    private final PushMapper mapper;
    private final PushGate gate;

    public LokiPushController(EntryRouter router, ClusterViewSource cluster, LokiProperties props, ObjectMapper json) {
        this.router = router;
        this.cluster = cluster;
        this.props = props;
        this.json = new JsonPushParser(json);
        this.gate = new PushGate("Loki", props.maxBodySize().toBytes(), props.maxDecompressedSize().toBytes(),
                props.maxConcurrentPushes());
        this.protobuf = new ProtobufPushDecoder(props.maxDecompressedSize().toBytes());
        this.mapper = new PushMapper(props);
    }

    @PostMapping(PATH)
    @SnappyBlockBody
    public Mono<ResponseEntity<Void>> push(@RequestBody(required = false) Mono<DataBuffer> body,
                                           ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return Mono.defer(() -> {
            boolean isJson = PushGate.isJson(headers, "application/x-protobuf (snappy-compressed)", PROTOBUF);
            String tenant = PushGate.header(headers, "X-Scope-OrgID");
            String partition = PushGate.header(headers, props.partitionHeader());
            return gate.receive(body, headers, bytes -> mapper.map(isJson ? json.parse(bytes) : protobuf.decode(bytes),
                    partition, tenant).write(router, cluster));
        }).thenReturn(ResponseEntity.noContent().<Void>build());
    }
}
