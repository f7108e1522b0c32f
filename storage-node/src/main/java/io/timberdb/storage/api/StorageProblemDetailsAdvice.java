package io.timberdb.storage.api;

import io.timberdb.model.web.ProblemDetailsAdvice;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The storage node's problem-detail mapping: the shared {@link ProblemDetailsAdvice} (which also
 * answers a busy shard's 503 with {@code Retry-After}). Ordered first so that it, not Spring's
 * generic problem-details handler, answers the exceptions both handle. Stateless; thread-safe.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class StorageProblemDetailsAdvice extends ProblemDetailsAdvice {
}
