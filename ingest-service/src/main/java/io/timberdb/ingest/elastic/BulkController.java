package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.push.PushGate;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ProblemDetailsAdvice;
import java.io.ByteArrayOutputStream;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Elasticsearch's bulk API: {@code POST|PUT /_bulk} and {@code POST|PUT /{index}/_bulk}, with the
 * {@code index} and {@code create} actions ({@link BulkRequestReader}, {@link BulkWriter}). The
 * body is read as NDJSON whatever its Content-Type ({@code application/x-ndjson},
 * {@code application/json} and Elasticsearch's vendor types alike), within the codecs'
 * in-memory limit ({@code spring.http.codecs.max-in-memory-size}, 16 MB: beyond it, 413). Query
 * parameters ({@code refresh}, {@code pipeline}, {@code filter_path}, …) are ignored: the answer
 * always has every item, which is what {@code filter_path} would have kept and more.
 *
 * <p>The answer is Elasticsearch's: {@code {"took", "errors", "items": [{"<action>": {"_index",
 * "_id", "status", "result"} | {…, "status", "error": {"type", "reason"}}}]}} in request order,
 * with status 201 and the TimberDB id as {@code _id} for each stored item. A failure of the
 * storage itself answers the whole request with its problem detail instead (see {@link BulkWriter}).
 */
@RestController
class BulkController {

    private static final IngestProblems PROBLEMS = new IngestProblems();
    /** The error type Elasticsearch answers when a node's write queue is full. */
    private static final String REJECTED = "es_rejected_execution_exception";
    /** The members after {@code _id} of every stored item's answer, the same for all. */
    private static final String CREATED = ",\"_version\":1,\"result\":\"created\","
            + "\"_shards\":{\"total\":1,\"successful\":1,\"failed\":0},\"_seq_no\":0,\"_primary_term\":1,\"status\":201";
    /** What follows a stored item's id, to the end of its item. */
    private static final String CREATED_END = "\"" + CREATED + "}}";
    /** About the size of one stored item's answer, to size the answer's buffer. */
    private static final int ITEM_BYTES = 200;

    private final BulkRequestReader reader;
    private final BulkWriter writer;
    private final ObjectMapper json;

    BulkController(EntryRouter router, ObjectProvider<PartitionCatalog> catalog,
                   ElasticsearchProperties props, InstantSource clock, ObjectMapper json) {
        this.reader = new BulkRequestReader(json, DocumentMapper.uniqueFields(props));
        this.writer = new BulkWriter(router, catalog.getIfAvailable(), props, clock);
        this.json = json;
    }

    @RequestMapping(path = "/_bulk", method = {RequestMethod.POST, RequestMethod.PUT})
    public Mono<ResponseEntity<byte[]>> bulk(@RequestBody(required = false) Mono<DataBuffer> body) {
        return bulk(null, body);
    }

    @RequestMapping(path = "/{index}/_bulk", method = {RequestMethod.POST, RequestMethod.PUT})
    public Mono<ResponseEntity<byte[]>> bulk(@PathVariable String index,
                                                 @RequestBody(required = false) Mono<DataBuffer> body) {
        long started = System.nanoTime();
        return body.map(PushGate::bytes)
                .filter(bytes -> bytes.length > 0)
                .switchIfEmpty(Mono.error(() -> new TimberException(ErrorCode.MISSING_FIELD,
                        "the bulk request has no body: send NDJSON action and source lines", "body")))
                .map(bytes -> reader.read(bytes, index))
                .flatMap(items -> items.isEmpty()
                        ? Mono.error(new TimberException(ErrorCode.MISSING_FIELD, "the bulk request has no action", "body"))
                        : writer.write(items).map(outcomes -> answer(items, outcomes, started)));
    }

    /**
     * Answers a failure as the service's problem handler does, except a rate-limit refusal, which
     * is answered as Elasticsearch answers its own overload: {@code {"error": {"type":
     * "es_rejected_execution_exception", "reason", "root_cause", …}, "status": 429}} as
     * {@code application/json}, the problem's {@code code} and members inside {@code error}. The
     * official clients decode an error body only with a JSON content type and only with objects
     * beside {@code error} and {@code status} (a problem detail's string members fail them), and
     * then raise it as an {@code ElasticsearchException} of status 429, which Filebeat, Logstash
     * and the clients' bulk helpers retry with backoff.
     */
    @ExceptionHandler(TimberException.class)
    ResponseEntity<?> failed(TimberException e, ServerWebExchange exchange) {
        if (e.code() != ErrorCode.RATE_LIMITED) {
            return PROBLEMS.timber(e, exchange);
        }
        ObjectNode answer = json.createObjectNode();
        ObjectNode error = answer.putObject("error");
        error.put("type", REJECTED);
        error.put("reason", e.getMessage());
        error.putArray("root_cause").addObject().put("type", REJECTED).put("reason", e.getMessage());
        error.put("code", e.code().code());
        e.properties().forEach((name, value) -> error.set(name, json.valueToTree(value)));
        answer.put("status", e.code().status());
        return ResponseEntity.status(e.code().status()).contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(ProblemDetailsAdvice.RETRY_AFTER_SECONDS))
                .body(answer);
    }

    /** Elasticsearch's answer, written as it goes: a tree of it would cost more than the write itself. */
    private ResponseEntity<byte[]> answer(List<BulkItem> items, List<BulkWriter.Outcome> outcomes, long started) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * ITEM_BYTES);
        boolean errors = false;
        StoredItems stored = new StoredItems();
        try (JsonGenerator answer = json.createGenerator(out)) {
            answer.writeStartObject();
            answer.writeNumberProperty("took", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
            answer.writeArrayPropertyStart("items");
            for (int i = 0; i < items.size(); i++) {
                BulkItem item = items.get(i);
                BulkWriter.Outcome outcome = outcomes.get(i);
                if (outcome.error() != null) {
                    writeError(answer, item, outcome.error());
                    errors = true;
                } else if (!stored.write(answer, item, outcome.id())) {
                    writeStored(answer, item, outcome.id());
                }
            }
            answer.writeEndArray();
            answer.writeBooleanProperty("errors", errors);
            answer.writeEndObject();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(out.toByteArray());
    }

    /** Writes {@code {"<action>": {…}}} for a stored item. */
    private static void writeStored(JsonGenerator answer, BulkItem item, String id) {
        answer.writeStartObject();
        answer.writeObjectPropertyStart(item.action());
        writeString(answer, "_index", item.index());
        answer.writeStringProperty("_id", id);
        answer.writeRaw(CREATED);
        answer.writeEndObject();
        answer.writeEndObject();
    }

    /** Writes {@code {"<action>": {…}}} for a refused item. */
    private static void writeError(JsonGenerator answer, BulkItem item, BulkItem.Error error) {
        answer.writeStartObject();
        answer.writeObjectPropertyStart(item.action());
        writeString(answer, "_index", item.index());
        writeString(answer, "_id", item.id());
        answer.writeNumberProperty("status", error.status());
        answer.writeObjectPropertyStart("error");
        answer.writeStringProperty("type", error.type());
        answer.writeStringProperty("reason", error.reason());
        if (item.index() != null) {
            answer.writeStringProperty("index", item.index());
        }
        answer.writeEndObject();
        answer.writeEndObject();
        answer.writeEndObject();
    }

    /**
     * The stored items' answers as raw text, {@code {"<action>":{"_index":"<index>","_id":"} + id
     * + {@link #CREATED_END}, the text before the id kept while the action and index stay the
     * same: what {@link #writeStored} writes, without its work per member. It takes only an index
     * and id that JSON writes as they are (printable ASCII but {@code "} and {@code \}).
     * Not thread-safe: one per answer.
     */
    private static final class StoredItems {

        private char[] text = new char[ITEM_BYTES];
        private int length;
        /** The length of the text before the id, for {@link #action} and {@link #index}. */
        private int prefix;
        private String action;
        private String index;

        /** Writes the item's answer and answers true, or answers false when its index or id needs escaping. */
        boolean write(JsonGenerator answer, BulkItem item, String id) {
            if (!item.index().equals(index) || !item.action().equals(action)) {
                if (!verbatim(item.index())) {
                    return false;
                }
                action = item.action();
                index = item.index();
                length = 0;
                append("{\"" + action + "\":{\"_index\":\"" + index + "\",\"_id\":\"");
                prefix = length;
            }
            if (!verbatim(id)) {
                return false;
            }
            length = prefix;
            append(id);
            append(CREATED_END);
            answer.writeRawValue(text, 0, length);
            return true;
        }

        private void append(String part) {
            if (length + part.length() > text.length) {
                text = Arrays.copyOf(text, 2 * (length + part.length()));
            }
            part.getChars(0, part.length(), text, length);
            length += part.length();
        }

        private static boolean verbatim(String value) {
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
                    return false;
                }
            }
            return true;
        }
    }

    /** A string member, or a JSON null for a null value. */
    private static void writeString(JsonGenerator answer, String name, String value) {
        if (value == null) {
            answer.writeNullProperty(name);
        } else {
            answer.writeStringProperty(name, value);
        }
    }
}
