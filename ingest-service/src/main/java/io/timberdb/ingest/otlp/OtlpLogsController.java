package io.timberdb.ingest.otlp;

import io.timberdb.ingest.push.PushGate;
import io.timberdb.ingest.route.EntryRouter;
import java.nio.charset.StandardCharsets;
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
 * The OTLP/HTTP logs endpoint, {@code POST /v1/logs}, for OpenTelemetry SDK exporters and the
 * OpenTelemetry Collector's {@code otlphttp} exporter:
 *
 * <ul>
 *   <li>{@code Content-Type: application/x-protobuf} (or none): an {@code ExportLogsServiceRequest}
 *       ({@link ProtobufLogsDecoder});</li>
 *   <li>{@code Content-Type: application/json}: OTLP/JSON ({@link JsonLogsParser});</li>
 *   <li>either may be gzipped ({@code Content-Encoding: gzip}).</li>
 * </ul>
 *
 * Records are mapped as {@link LogRecordMapper} says. A request is all or nothing: every record is
 * decoded and checked, and every partition it names resolved, before anything is written; one bad
 * record refuses the whole request with a 400 problem detail naming its path (e.g.
 * {@code resourceLogs[0].scopeLogs[1].logRecords[3].timeUnixNano}) and nothing of it is stored. (OTLP's
 * partial success, a 200 that counts rejected records, is never answered: a client sees either all
 * stored or an error.) Success is {@code 200} with an empty {@code ExportLogsServiceResponse} in the
 * request's encoding (no bytes for protobuf, {@code {}} for JSON) once every record is durable. The
 * limits, the 429 answers (with {@code Retry-After}, which OTLP exporters retry) and the
 * partition-by-partition write are the Loki route's ({@link PushGate}).
 *
 * <p>Thread-safe: the {@link PushGate} is the only shared state.
 */
@RestController
public class OtlpLogsController {

    static final String PATH = "/v1/logs";
    static final MediaType PROTOBUF = MediaType.parseMediaType("application/x-protobuf");
    private static final MediaType PROTOBUF_ALIAS = MediaType.parseMediaType("application/protobuf");
    private static final byte[] EMPTY_JSON_RESPONSE = "{}".getBytes(StandardCharsets.UTF_8);

    private final EntryRouter router;
    private final OtlpProperties props;
    private final JsonLogsParser json;
    private final ProtobufLogsDecoder protobuf;
    private final LogRecordMapper mapper;
    private final PushGate gate;

    public OtlpLogsController(EntryRouter router, OtlpProperties props, ObjectMapper json) {
        this.router = router;
        this.props = props;
        this.json = new JsonLogsParser(json);
        this.protobuf = new ProtobufLogsDecoder(json);
        this.mapper = new LogRecordMapper(props, json);
        this.gate = new PushGate("OTLP", props.maxBodySize().toBytes(), props.maxDecompressedSize().toBytes(),
                props.maxConcurrentPushes());
    }

    @PostMapping(PATH)
    public Mono<ResponseEntity<byte[]>> export(@RequestBody(required = false) Mono<DataBuffer> body,
                                               ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return Mono.defer(() -> {
            boolean isJson = PushGate.isJson(headers, "application/x-protobuf", PROTOBUF, PROTOBUF_ALIAS);
            String partition = PushGate.header(headers, props.partitionHeader());
            return gate.receive(body, headers, bytes -> mapper.map(isJson ? json.parse(bytes) : protobuf.decode(bytes),
                    partition).write(router)).then(Mono.fromSupplier(() -> isJson
                    ? ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(EMPTY_JSON_RESPONSE)
                    : ResponseEntity.ok().contentType(PROTOBUF).body(new byte[0])));
        });
    }
}
