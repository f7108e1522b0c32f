package io.timberdb.query.api;

import io.timberdb.model.web.ProblemDetailsAdvice;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for every failure of this service. */
@RestControllerAdvice
public class QueryProblems extends ProblemDetailsAdvice {
}
