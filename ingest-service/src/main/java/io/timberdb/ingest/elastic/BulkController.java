package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.push.PushGate;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ProblemDetailsAdvice;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
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

    /**
     * @param catalog the partition catalog where it is in-process (the standalone)
     * @param coordinators the coordinators' client where there is no catalog (a cluster's ingest
     *        service): auto-created partitions are created through it
     */
    BulkController(EntryRouter router, ObjectProvider<PartitionCatalog> catalog,
                   ObjectProvider<CoordinatorClient> coordinators, ElasticsearchProperties props, InstantSource clock,
                   ObjectMapper json) {
        this.reader = new BulkRequestReader(json, DocumentMapper.uniqueFields(props));
        PartitionCatalog local = catalog.getIfAvailable();
        CoordinatorClient remote = coordinators.getIfAvailable();
        BulkWriter.Creator creator = local != null ? local::create : remote != null ? remote::createPartition : null;
        this.writer = new BulkWriter(router, creator, props, clock);
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
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        byte[] stored = StoredAnswer.of(items, outcomes, took);
        if (stored != null) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(stored);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(items.size() * ITEM_BYTES);
        boolean errors = false;
        try (JsonGenerator answer = json.createGenerator(out)) {
            answer.writeStartObject();
            answer.writeNumberProperty("took", took);
            answer.writeArrayPropertyStart("items");
            for (int i = 0; i < items.size(); i++) {
                BulkItem item = items.get(i);
                BulkWriter.Outcome outcome = outcomes.get(i);
                if (outcome.error() != null) {
                    writeError(answer, item, outcome.error());
                    errors = true;
                } else {
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
     * The answer of a request whose every item was stored, as the generator would write it, from
     * byte templates: {@code {"<action>":{"_index":"<index>","_id":"} (one per action and index
     * in a row), the id, {@link #CREATED_END}. It takes only indexes and ids that JSON writes as
     * they are (printable ASCII but {@code "} and {@code \}), so each character is one byte.
     * Not thread-safe: one per answer.
     */
    private static final class StoredAnswer {

        private static final byte[] HEAD = "{\"took\":".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] ITEMS = ",\"items\":[".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] TAIL = "],\"errors\":false}".getBytes(StandardCharsets.US_ASCII);
        private static final byte[] END = CREATED_END.getBytes(StandardCharsets.US_ASCII);

        private String action;
        private String index;
        private byte[] prefix;

        /** The answer's bytes, or null when an item was refused or its index or id needs escaping. */
        static byte[] of(List<BulkItem> items, List<BulkWriter.Outcome> outcomes, long took) {
            byte[] tookText = Long.toString(took).getBytes(StandardCharsets.US_ASCII);
            int size = HEAD.length + tookText.length + ITEMS.length + TAIL.length + Math.max(0, items.size() - 1);
            StoredAnswer templates = new StoredAnswer();
            for (int i = 0; i < items.size(); i++) {
                BulkWriter.Outcome outcome = outcomes.get(i);
                if (outcome.error() != null) {
                    return null;
                }
                byte[] prefix = templates.prefix(items.get(i));
                if (prefix == null || !verbatim(outcome.id())) {
                    return null;
                }
                size += prefix.length + outcome.id().length() + END.length;
            }
            byte[] answer = new byte[size];
            int at = put(answer, 0, HEAD);
            at = put(answer, at, tookText);
            at = put(answer, at, ITEMS);
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    answer[at++] = ',';
                }
                at = put(answer, at, templates.prefix(items.get(i)));
                String id = outcomes.get(i).id();
                for (int k = 0; k < id.length(); k++) {
                    answer[at++] = (byte) id.charAt(k);
                }
                at = put(answer, at, END);
            }
            put(answer, at, TAIL);
            return answer;
        }

        /** The text before the item's id, or null when its index needs escaping. */
        private byte[] prefix(BulkItem item) {
            if (!item.index().equals(index) || !item.action().equals(action)) {
                if (!verbatim(item.index())) {
                    return null;
                }
                action = item.action();
                index = item.index();
                prefix = ("{\"" + action + "\":{\"_index\":\"" + index + "\",\"_id\":\"").getBytes(StandardCharsets.US_ASCII);
            }
            return prefix;
        }

        private static int put(byte[] into, int at, byte[] part) {
            System.arraycopy(part, 0, into, at, part.length);
            return at + part.length;
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
