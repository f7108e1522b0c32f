package io.timberdb.ingest.api;

import io.timberdb.ingest.push.PushGate;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.IngestResponse;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The native write API: {@code POST /api/v1/partitions/{partition}/logs} with one entry, a JSON
 * array of entries, or NDJSON, sent as is or with {@code Content-Encoding: gzip} or {@code zstd}.
 * {@code partition} is the partition's id or its name. Answers with the ids of the stored entries
 * once all of them are durable.
 *
 * <p>The body is parsed as it streams in ({@link PushGate#stream}, {@link EntryStream}): each
 * chunk is decoded, parsed into entries and released, so the raw body is never held whole. It is
 * still all or nothing: entries are written only once the whole body has been read and every
 * entry checked, and a body refused at any point (400, 413, 415) stores nothing. Limits are
 * {@link NativeApiProperties}'.
 *
 * <p>Thread-safe: the {@link PushGate} is the only shared state.
 */
@RestController
public class LogsController {

    private static final String NDJSON = "application/x-ndjson";

    private final EntryRouter router;
    private final EntryParser parser;
    private final PushGate gate;

    public LogsController(EntryRouter router, ObjectMapper json, NativeApiProperties props) {
        this.router = router;
        this.parser = new EntryParser(json);
        long max = props.maxRequestSize().toBytes();
        this.gate = new PushGate("native API", max, max, props.maxConcurrentRequests());
    }

    @PostMapping(path = "/api/v1/partitions/{partition}/logs",
            consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    public Mono<IngestResponse> append(@PathVariable String partition,
                                       @RequestBody(required = false) Flux<DataBuffer> body,
                                       @RequestHeader HttpHeaders headers) {
        boolean ndjson = headers.getContentType() != null && headers.getContentType().isCompatibleWith(MediaType.APPLICATION_NDJSON);
        return gate.admit(headers, () -> {
            EntryStream entries = parser.open(ndjson);
            return gate.stream(body == null ? Flux.empty() : body, headers, entries::feed)
                    .then(Mono.fromCallable(entries::finish))
                    .flatMap(parsed -> router.ingest(partition, parsed.entries(), parsed.paths()));
        });
    }
}
