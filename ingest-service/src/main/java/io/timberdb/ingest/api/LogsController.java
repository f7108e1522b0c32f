package io.timberdb.ingest.api;

import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.IngestResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import tools.jackson.databind.ObjectMapper;

/**
 * The native write API: {@code POST /api/v1/partitions/{partition}/logs} with one entry, a JSON
 * array of entries, or NDJSON. {@code partition} is the partition's id or its name. Answers
 * with the ids of the stored entries once all of them are durable.
 */
@RestController
public class LogsController {

    private static final String NDJSON = "application/x-ndjson";

    private final EntryRouter router;
    private final EntryParser parser;

    public LogsController(EntryRouter router, ObjectMapper json) {
        this.router = router;
        this.parser = new EntryParser(json);
    }

    @PostMapping(path = "/api/v1/partitions/{partition}/logs",
            consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    public Mono<IngestResponse> append(@PathVariable String partition, @RequestBody byte[] body,
                                       @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType type) {
        return Mono.fromCallable(() -> type.isCompatibleWith(MediaType.APPLICATION_NDJSON)
                        ? parser.parseNdjson(body) : parser.parseJson(body))
                .flatMap(parsed -> router.ingest(partition, parsed.entries(), parsed.paths()));
    }
}
