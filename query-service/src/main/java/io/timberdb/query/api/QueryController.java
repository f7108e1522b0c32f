package io.timberdb.query.api;

import io.timberdb.model.api.QueryRequest;
import io.timberdb.model.api.QueryResponse;
import io.timberdb.query.plan.QueryExecutor;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** The spec's JSON query API: {@code POST /api/v1/query/execute}. */
@RestController
public class QueryController {

    private final QueryExecutor executor;

    public QueryController(QueryExecutor executor) {
        this.executor = executor;
    }

    @PostMapping("/api/v1/query/execute")
    public Mono<QueryResponse> execute(@RequestBody QueryRequest request) {
        return Mono.defer(() -> executor.execute(request));
    }
}
