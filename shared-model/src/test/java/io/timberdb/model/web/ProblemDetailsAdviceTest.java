package io.timberdb.model.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;

class ProblemDetailsAdviceTest {

    private final MockServerWebExchange exchange =
            MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/query"));

    @Test
    void rendersTheExceptionsPropertiesAsProblemMembers() {
        TimberException e = new TimberException(ErrorCode.QUERY_SYNTAX, "line 1, column 8: expected FROM",
                "query", Map.of("line", 1, "column", 8, "expected", List.of("FROM")), null);

        ResponseEntity<ProblemDetail> answer = new ProblemDetailsAdvice().timber(e, exchange);

        assertThat(answer.getStatusCode().value()).isEqualTo(400);
        ProblemDetail body = answer.getBody();
        assertThat(body.getType().toString()).isEqualTo("https://timberdb.io/problems/query-syntax");
        assertThat(body.getProperties()).containsEntry("code", "QUERY_SYNTAX").containsEntry("field", "query")
                .containsEntry("line", 1).containsEntry("column", 8).containsEntry("expected", List.of("FROM"));
    }

    @Test
    void anExceptionWithoutPropertiesRendersAsBefore() {
        ResponseEntity<ProblemDetail> answer =
                new ProblemDetailsAdvice().timber(TimberException.invalidField("limit", "must be positive"), exchange);

        assertThat(answer.getBody().getProperties()).containsOnlyKeys("code", "field");
    }
}
