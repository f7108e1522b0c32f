package io.timberdb.storage.api;

import io.timberdb.model.web.ProblemDetailsAdvice;
import io.timberdb.storage.ShardBusyException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebExchange;

/**
 * The storage node's problem-detail mapping: the shared {@link ProblemDetailsAdvice}, plus
 * {@code Retry-After} on a busy shard. Ordered first so that it, not Spring's generic
 * problem-details handler, answers the exceptions both handle. Stateless; thread-safe.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StorageProblemDetailsAdvice extends ProblemDetailsAdvice {

    @ExceptionHandler(ShardBusyException.class)
    public ResponseEntity<ProblemDetail> busy(ShardBusyException e, ServerWebExchange exchange) {
        ResponseEntity<ProblemDetail> answer = timber(e, exchange);
        return ResponseEntity.status(answer.getStatusCode())
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(ShardBusyException.RETRY_AFTER_SECONDS))
                .body(answer.getBody());
    }
}
