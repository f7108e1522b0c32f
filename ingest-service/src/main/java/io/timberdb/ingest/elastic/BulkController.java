package io.timberdb.ingest.elastic;

import io.timberdb.ingest.api.IngestProblems;
import io.timberdb.ingest.push.PushGate;
import io.timberdb.ingest.route.EntryRouter;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.cluster.PartitionCatalog;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ProblemDetailsAdvice;
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
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.node.ArrayNode;
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

    private final BulkRequestReader reader;
    private final BulkWriter writer;
    private final ObjectMapper json;

    BulkController(EntryRouter router, ClusterViewSource cluster, ObjectProvider<PartitionCatalog> catalog,
                   ElasticsearchProperties props, InstantSource clock, ObjectMapper json) {
        this.reader = new BulkRequestReader(json);
        this.writer = new BulkWriter(router, cluster, catalog.getIfAvailable(), props, clock);
        this.json = json;
    }

    @RequestMapping(path = "/_bulk", method = {RequestMethod.POST, RequestMethod.PUT})
    public Mono<ResponseEntity<ObjectNode>> bulk(@RequestBody(required = false) Mono<DataBuffer> body) {
        return bulk(null, body);
    }

    @RequestMapping(path = "/{index}/_bulk", method = {RequestMethod.POST, RequestMethod.PUT})
    public Mono<ResponseEntity<ObjectNode>> bulk(@PathVariable String index,
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

    private ResponseEntity<ObjectNode> answer(List<BulkItem> items, List<BulkWriter.Outcome> outcomes, long started) {
        ObjectNode answer = json.createObjectNode();
        answer.put("took", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        boolean errors = false;
        ArrayNode list = answer.putArray("items");
        for (int i = 0; i < items.size(); i++) {
            BulkItem item = items.get(i);
            BulkWriter.Outcome outcome = outcomes.get(i);
            ObjectNode result = list.addObject().putObject(item.action());
            result.put("_index", item.index());
            if (outcome.error() == null) {
                result.put("_id", outcome.id());
                result.put("_version", 1);
                result.put("result", "created");
                result.putObject("_shards").put("total", 1).put("successful", 1).put("failed", 0);
                result.put("_seq_no", 0);
                result.put("_primary_term", 1);
                result.put("status", 201);
            } else {
                errors = true;
                result.put("_id", item.id());
                result.put("status", outcome.error().status());
                ObjectNode error = result.putObject("error");
                error.put("type", outcome.error().type());
                error.put("reason", outcome.error().reason());
                if (item.index() != null) {
                    error.put("index", item.index());
                }
            }
        }
        answer.put("errors", errors);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(answer);
    }
}
