package io.timberdb.gateway.route;

import io.timberdb.model.web.ProblemDetailsAdvice;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for the gateway's own answers (unknown routes, its /health). */
@RestControllerAdvice
public class GatewayProblems extends ProblemDetailsAdvice {
}
