package io.timberdb.standalone.local;

import io.timberdb.model.web.ProblemDetailsAdvice;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** RFC 9457 problem details for every failure of the standalone process. */
@RestControllerAdvice
public class StandaloneProblems extends ProblemDetailsAdvice {
}
