package io.timberdb.ingest.loki;

import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
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
 * <p>Thread-safe: the semaphore is the only shared state.
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
    /** Pushes in progress; bounds the memory the route holds. */
    private final Semaphore pushes;

    public LokiPushController(EntryRouter router, ClusterViewSource cluster, LokiProperties props, ObjectMapper json) {
        this.router = router;
        this.cluster = cluster;
        this.props = props;
        this.json = new JsonPushParser(json);
        this.protobuf = new ProtobufPushDecoder(props.maxDecompressedSize().toBytes());
        this.mapper = new PushMapper(props);
        this.pushes = new Semaphore(props.maxConcurrentPushes());
    }

    @PostMapping(PATH)
    public Mono<ResponseEntity<Void>> push(@RequestBody(required = false) Mono<DataBuffer> body,
                                           ServerWebExchange exchange) {
        HttpHeaders headers = exchange.getRequest().getHeaders();
        return Mono.defer(() -> {
            boolean isJson = isJson(headers);
            if (headers.getContentLength() > props.maxBodySize().toBytes()) {
                return Mono.error(tooLarge());
            }
            if (!pushes.tryAcquire()) {
                return Mono.error(new TimberException(ErrorCode.TOO_MANY_REQUESTS, "all "
                        + props.maxConcurrentPushes() + " Loki pushes this node takes at once are in progress"));
            }
            String tenant = header(headers, "X-Scope-OrgID");
            String partition = header(headers, props.partitionHeader());
            boolean gzip = "gzip".equalsIgnoreCase(header(headers, HttpHeaders.CONTENT_ENCODING));
            return body.map(LokiPushController::bytes)
                    .onErrorMap(DataBufferLimitException.class, e -> tooLarge()) // a chunked body past the codecs' limit
                    .defaultIfEmpty(new byte[0])
                    .map(bytes -> decode(bytes, isJson, gzip))
                    .map(streams -> mapper.map(streams, partition, tenant))
                    .flatMap(this::write)
                    .doFinally(signal -> pushes.release());
        }).onErrorMap(TimberException.class, LokiPushController::busyAsTooMany)
                .thenReturn(ResponseEntity.noContent().<Void>build());
    }

    private static boolean isJson(HttpHeaders headers) {
        MediaType type;
        try {
            type = headers.getContentType();
        } catch (InvalidMediaTypeException e) {
            throw unsupported(headers.getFirst(HttpHeaders.CONTENT_TYPE));
        }
        if (type == null || type.isCompatibleWith(PROTOBUF)) {
            return false;
        }
        if (type.isCompatibleWith(MediaType.APPLICATION_JSON)) {
            return true;
        }
        throw unsupported(type.toString());
    }

    private static TimberException unsupported(String type) {
        return new TimberException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + type
                + " is not supported; use application/x-protobuf (snappy-compressed) or application/json");
    }

    private static String header(HttpHeaders headers, String name) {
        String value = headers.getFirst(name);
        return value == null || value.isBlank() ? null : value.trim();
    }

    private static byte[] bytes(DataBuffer buffer) {
        try {
            byte[] bytes = new byte[buffer.readableByteCount()];
            buffer.read(bytes);
            return bytes;
        } finally {
            DataBufferUtils.release(buffer);
        }
    }

    private List<PushedStream> decode(byte[] body, boolean isJson, boolean gzip) {
        if (body.length > props.maxBodySize().toBytes()) {
            throw tooLarge();
        }
        byte[] plain = gzip ? gunzip(body) : body;
        return isJson ? json.parse(plain) : protobuf.decode(plain);
    }

    /** The gunzipped body, refused as too large past the maximum decompressed size. */
    private byte[] gunzip(byte[] body) {
        long max = props.maxDecompressedSize().toBytes();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] plain = in.readNBytes((int) Math.min(max + 1, Integer.MAX_VALUE - 8));
            if (plain.length > max) {
                throw new TimberException(ErrorCode.PAYLOAD_TOO_LARGE, "the body decompresses to more than " + max + " bytes");
            }
            return plain;
        } catch (IOException e) {
            throw new TimberException(ErrorCode.MALFORMED_COMPRESSION, "the body is not valid gzip: " + e.getMessage(),
                    null, e);
        }
    }

    /** Resolves every partition first (an unknown one refuses the push whole), then writes. */
    private Mono<Void> write(Map<String, PushMapper.Batch> batches) {
        return Flux.fromIterable(batches.keySet()).concatMap(cluster::partition).then()
                .thenMany(Flux.fromIterable(batches.entrySet()).concatMap(
                        batch -> router.ingest(batch.getKey(), batch.getValue().entries(), batch.getValue().paths())))
                .then();
    }

    private TimberException tooLarge() {
        return new TimberException(ErrorCode.PAYLOAD_TOO_LARGE,
                "the request body exceeds the maximum size of " + props.maxBodySize().toBytes() + " bytes");
    }

    /** Loki clients retry 429, so a busy write path answers that instead of 503. */
    private static Throwable busyAsTooMany(TimberException e) {
        if (e.code() != ErrorCode.UNAVAILABLE) {
            return e;
        }
        return new TimberException(ErrorCode.TOO_MANY_REQUESTS, e.getMessage(), e.field(), e.properties(), e);
    }
}
