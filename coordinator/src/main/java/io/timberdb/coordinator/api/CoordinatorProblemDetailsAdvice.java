package io.timberdb.coordinator.api;

import io.timberdb.model.web.ProblemDetailsAdvice;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The coordinator's problem-detail advice: the shared mapping of errors to RFC 9457 bodies with
 * a stable {@code code}. Ordered first so that it, not Boot's generic problem-details handler,
 * answers 404/405/415. Stateless and thread-safe.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CoordinatorProblemDetailsAdvice extends ProblemDetailsAdvice {
}
