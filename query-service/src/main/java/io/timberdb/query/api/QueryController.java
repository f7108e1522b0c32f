package io.timberdb.query.api;

import io.timberdb.model.api.LanguageQueryRequest;
import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.api.QueryResponse;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.query.control.QueryHeaders;
import io.timberdb.query.control.QueryStatus;
import io.timberdb.query.control.RunningQueries;
import io.timberdb.query.plan.QueryExecutor;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * The query API: the query language ({@code POST /api/v1/query}), the spec's JSON query
 * ({@code POST /api/v1/query/execute}), and the control of
 * running queries — their status, cancellation and the list of those running.
 */
@RestController
public class QueryController {

    private final QueryExecutor executor;
    private final RunningQueries queries;

    public QueryController(QueryExecutor executor, RunningQueries queries) {
        this.executor = executor;
        this.queries = queries;
    }

    /** Runs the JSON form under the client's {@code X-Query-Id}, or a new id; the answer carries it. */
    @PostMapping("/api/v1/query/execute")
    public Mono<ResponseEntity<QueryResponse>> execute(@RequestBody QueryRequest request,
            @RequestHeader(name = QueryHeaders.QUERY_ID, required = false) String queryId) {
        String description = request.filter() == null ? "{}" : request.filter().toString();
        return queries.run(queryId, description, admitted -> executor.execute(request, admitted.id(), admitted.progress()))
                .map(response -> ResponseEntity.ok().header(QueryHeaders.QUERY_ID, response.id()).body(response));
    }

    /**
     * Runs a query of the language (docs/query-language.md) under the client's {@code X-Query-Id},
     * or a new id, admitted like the JSON form; {@code EXPLAIN} answers the plan.
     */
    @PostMapping("/api/v1/query")
    public Mono<ResponseEntity<LanguageQueryResponse>> query(@RequestBody LanguageQueryRequest request,
            @RequestHeader(name = QueryHeaders.QUERY_ID, required = false) String queryId) {
        String description = request.query() == null ? "" : request.query();
        return queries.run(queryId, description, admitted -> executor.execute(request, admitted.id(), admitted.progress()))
                .map(response -> ResponseEntity.ok().header(QueryHeaders.QUERY_ID, response.id()).body(response));
    }

    @GetMapping("/api/v1/query/{id}/status")
    public QueryStatus status(@PathVariable String id) {
        return queries.status(id).orElseThrow(() -> notFound(id));
    }

    /**
     * Cancels a query: 200 with its status afterwards — {@code cancelled}, since cancelling
     * abandons its shard requests at once, or how it ended if it had already finished — or 202
     * with {@code running} in the moment a query is still winding down.
     */
    @PostMapping("/api/v1/query/{id}/cancel")
    public ResponseEntity<QueryStatus> cancel(@PathVariable String id) {
        QueryStatus status = queries.cancel(id).orElseThrow(() -> notFound(id));
        return ResponseEntity.status("running".equals(status.state()) ? HttpStatus.ACCEPTED : HttpStatus.OK).body(status);
    }

    @GetMapping("/api/v1/query/running")
    public List<QueryStatus> running() {
        return queries.running();
    }

    private static TimberException notFound(String id) {
        return new TimberException(ErrorCode.QUERY_NOT_FOUND, "no query with the id '" + id
                + "' is running or finished recently (timberdb.query.finished-queries-kept)");
    }
}
