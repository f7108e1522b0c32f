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
import io.timberdb.security.audit.AuditLog;
import io.timberdb.security.tenant.CallerTenant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
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
 * running queries — their status, cancellation and the list of those running. A query spans only
 * the caller's tenant's partitions (see {@code QueryExecutor}), and its control answers only its
 * tenant (see {@link RunningQueries}); each one run goes to the audit log, its target the query id.
 */
@RestController
public class QueryController {

    private final QueryExecutor executor;
    private final RunningQueries queries;
    private final AuditLog audit;

    public QueryController(QueryExecutor executor, RunningQueries queries, AuditLog audit) {
        this.executor = executor;
        this.queries = queries;
        this.audit = audit;
    }

    /** Runs the JSON form under the client's {@code X-Query-Id}, or a new id; the answer carries it. */
    @PostMapping("/api/v1/query/execute")
    public Mono<ResponseEntity<QueryResponse>> execute(@RequestBody QueryRequest request,
            @RequestHeader(name = QueryHeaders.QUERY_ID, required = false) String queryId, ServerHttpRequest http) {
        String description = request.filter() == null ? "{}" : request.filter().toString();
        AtomicReference<String> id = new AtomicReference<>(queryId);
        return audit.tenantAction("query", id::get, HttpStatus.OK.value(), http, queries.run(queryId, description,
                        admitted -> executor.execute(request, admitted(admitted, id), admitted.progress()))
                .map(response -> ResponseEntity.ok().header(QueryHeaders.QUERY_ID, response.id()).body(response)));
    }

    /**
     * Runs a query of the language (docs/query-language.md) under the client's {@code X-Query-Id},
     * or a new id, admitted like the JSON form; {@code EXPLAIN} answers the plan.
     */
    @PostMapping("/api/v1/query")
    public Mono<ResponseEntity<LanguageQueryResponse>> query(@RequestBody LanguageQueryRequest request,
            @RequestHeader(name = QueryHeaders.QUERY_ID, required = false) String queryId, ServerHttpRequest http) {
        String description = request.query() == null ? "" : request.query();
        AtomicReference<String> id = new AtomicReference<>(queryId);
        return audit.tenantAction("query", id::get, HttpStatus.OK.value(), http, queries.run(queryId, description,
                        admitted -> executor.execute(request, admitted(admitted, id), admitted.progress()))
                .map(response -> ResponseEntity.ok().header(QueryHeaders.QUERY_ID, response.id()).body(response)));
    }

    @GetMapping("/api/v1/query/{id}/status")
    public Mono<QueryStatus> status(@PathVariable String id) {
        return CallerTenant.current().map(tenant -> queries.status(tenant, id).orElseThrow(() -> notFound(id)));
    }

    /**
     * Cancels a query: 200 with its status afterwards — {@code cancelled}, since cancelling
     * abandons its shard requests at once, or how it ended if it had already finished — or 202
     * with {@code running} in the moment a query is still winding down.
     */
    @PostMapping("/api/v1/query/{id}/cancel")
    public Mono<ResponseEntity<QueryStatus>> cancel(@PathVariable String id) {
        return CallerTenant.current().map(tenant -> {
            QueryStatus status = queries.cancel(tenant, id).orElseThrow(() -> notFound(id));
            return ResponseEntity.status("running".equals(status.state()) ? HttpStatus.ACCEPTED : HttpStatus.OK).body(status);
        });
    }

    @GetMapping("/api/v1/query/running")
    public Mono<List<QueryStatus>> running() {
        return CallerTenant.current().map(queries::running);
    }

    /** The admitted query's id, kept in {@code id} for the audit line. */
    private static String admitted(RunningQueries.Admitted admitted, AtomicReference<String> id) {
        id.set(admitted.id());
        return admitted.id();
    }

    private static TimberException notFound(String id) {
        return new TimberException(ErrorCode.QUERY_NOT_FOUND, "no query with the id '" + id
                + "' is running or finished recently (timberdb.query.finished-queries-kept)");
    }
}
