package io.timberdb.ingest.api;

import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.api.IngestResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.springframework.core.io.buffer.DataBuffer;
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

    /**
     * The body arrives as one buffer joined from the request's chunks (within the codecs'
     * in-memory limit) and is parsed from there, released as soon as it is read: no copy of it
     * into a byte array of its own.
     */
    @PostMapping(path = "/api/v1/partitions/{partition}/logs",
            consumes = {MediaType.APPLICATION_JSON_VALUE, NDJSON})
    public Mono<IngestResponse> append(@PathVariable String partition, @RequestBody Mono<DataBuffer> body,
                                       @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType type) {
        boolean ndjson = type.isCompatibleWith(MediaType.APPLICATION_NDJSON);
        return body.map(buffer -> parse(buffer, ndjson))
                .flatMap(parsed -> router.ingest(partition, parsed.entries(), parsed.paths()));
    }

    private EntryParser.Parsed parse(DataBuffer buffer, boolean ndjson) {
        try (InputStream in = buffer.asInputStream(true)) {
            return ndjson ? parser.parseNdjson(in) : parser.parseJson(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // closing an in-memory buffer does not fail
        }
    }
}
