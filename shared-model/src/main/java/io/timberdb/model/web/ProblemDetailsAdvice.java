package io.timberdb.model.web;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DatabindException;

/**
 * Maps every failure to an RFC 9457 problem detail with a stable {@code code} (an
 * {@link ErrorCode}) and, when one field is at fault, its JSON path in {@code field}.
 * Each service registers it once as its {@code @RestControllerAdvice} (see the services'
 * {@code *Configuration} classes), so all of them answer errors alike.
 */
public class ProblemDetailsAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);

    /** The problem {@code type} URIs are {@code https://timberdb.io/problems/<code>}. */
    static final String TYPE_BASE = "https://timberdb.io/problems/";

    /**
     * The wait suggested to a client refused with 503 UNAVAILABLE, 429 TOO_MANY_QUERIES, 429
     * TOO_MANY_REQUESTS or 429 RATE_LIMITED, in seconds: every such refusal is transient. (The
     * ingest service's rate limiter replaces it with the wait its token bucket computes.)
     */
    public static final int RETRY_AFTER_SECONDS = 1;

    @ExceptionHandler(TimberException.class)
    public ResponseEntity<ProblemDetail> timber(TimberException e, ServerWebExchange exchange) {
        if (e.code() == ErrorCode.INTERNAL) {
            log.error("internal error on {}", exchange.getRequest().getPath(), e);
        }
        ResponseEntity<ProblemDetail> answer = problem(e.code(), e.getMessage(), e.field(), exchange);
        e.properties().forEach(answer.getBody()::setProperty);
        if (e.code() != ErrorCode.UNAVAILABLE && e.code() != ErrorCode.TOO_MANY_QUERIES
                && e.code() != ErrorCode.TOO_MANY_REQUESTS && e.code() != ErrorCode.RATE_LIMITED) {
            return answer;
        }
        // a busy shard, a node still starting, no coordinator leader yet, every query slot taken:
        // the same request may succeed shortly
        return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
                .header(HttpHeaders.RETRY_AFTER, Integer.toString(RETRY_AFTER_SECONDS)).body(answer.getBody());
    }

    @ExceptionHandler(ServerWebInputException.class)
    public ResponseEntity<ProblemDetail> input(ServerWebInputException e, ServerWebExchange exchange) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataBufferLimitException) {
                return problem(ErrorCode.PAYLOAD_TOO_LARGE, "the request body exceeds the maximum size", null, exchange);
            }
            if (t instanceof TimberException te) {
                return timber(te, exchange);
            }
            if (t instanceof JacksonException je) {
                return problem(ErrorCode.MALFORMED_JSON, "the body is not valid JSON: " + je.getOriginalMessage(),
                        fieldPath(je), exchange);
            }
        }
        if (e.getCause() instanceof DecodingException || e.getReason() != null && e.getReason().contains("body")) {
            return problem(ErrorCode.MALFORMED_JSON, "the body could not be read: " + e.getReason(), null, exchange);
        }
        return problem(ErrorCode.INVALID_FIELD, e.getReason(), e.getMethodParameter() == null ? null
                : e.getMethodParameter().getParameterName(), exchange);
    }

    @ExceptionHandler(MethodNotAllowedException.class)
    public ResponseEntity<ProblemDetail> method(MethodNotAllowedException e, ServerWebExchange exchange) {
        ResponseEntity<ProblemDetail> answer = problem(ErrorCode.METHOD_NOT_ALLOWED,
                e.getHttpMethod() + " is not allowed here; allowed: " + e.getSupportedMethods(), null, exchange);
        return ResponseEntity.status(answer.getStatusCode()).allow(e.getSupportedMethods().toArray(new org.springframework.http.HttpMethod[0]))
                .body(answer.getBody());
    }

    @ExceptionHandler(UnsupportedMediaTypeStatusException.class)
    public ResponseEntity<ProblemDetail> mediaType(UnsupportedMediaTypeStatusException e, ServerWebExchange exchange) {
        return problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type " + e.getContentType()
                + " is not supported; use one of " + e.getSupportedMediaTypes(), null, exchange);
    }

    @ExceptionHandler(ResponseStatusException.class)
    public ResponseEntity<ProblemDetail> status(ResponseStatusException e, ServerWebExchange exchange) {
        int status = e.getStatusCode().value();
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.UNAVAILABLE;
            case 504 -> ErrorCode.TIMEOUT;
            default -> status < 500 ? ErrorCode.INVALID_FIELD : ErrorCode.INTERNAL;
        };
        String detail = switch (code) {
            case NOT_FOUND -> "no route for " + exchange.getRequest().getMethod() + " " + exchange.getRequest().getPath();
            case PAYLOAD_TOO_LARGE -> "the request body exceeds the maximum size";
            default -> e.getReason() != null ? e.getReason() : code.title();
        };
        return problem(code, detail, null, exchange);
    }

    @ExceptionHandler(Exception.class)
    public ResponseEntity<ProblemDetail> unexpected(Exception e, ServerWebExchange exchange) {
        log.error("unexpected failure on {} {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(), e);
        return problem(ErrorCode.INTERNAL, e.getClass().getSimpleName() + ": " + e.getMessage(), null, exchange);
    }

    /** Builds the problem detail for a code; public so that non-controller code answers alike. */
    public static ResponseEntity<ProblemDetail> problem(ErrorCode code, String detail, String field,
                                                        ServerWebExchange exchange) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail);
        body.setType(URI.create(TYPE_BASE + code.code().toLowerCase().replace('_', '-')));
        body.setTitle(code.title());
        body.setInstance(URI.create(exchange.getRequest().getPath().value()));
        body.setProperty("code", code.code());
        if (field != null) {
            body.setProperty("field", field);
        }
        return ResponseEntity.status(code.status()).body(body);
    }

    private static String fieldPath(JacksonException e) {
        if (!(e instanceof DatabindException de) || de.getPath().isEmpty()) {
            return null;
        }
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference ref : de.getPath()) {
            if (ref.getPropertyName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getPropertyName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? null : path.toString();
    }
}
