package io.timberdb.security.limits;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.ProblemDetailsAdvice;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies {@link ApiLimitsProperties} to every public API request, ahead of authentication (it
 * runs right after the CORS filter, so a refusal is cheap and a browser can still read it):
 *
 * <ul>
 *   <li><b>Concurrency.</b> Requests in progress are counted from their arrival until their
 *       answer completes, errs or is cancelled; past {@code max-concurrent-requests} a request is
 *       answered 429 {@code TOO_MANY_REQUESTS} with {@code Retry-After}, and reaches nothing.
 *       {@code /health} and {@code /actuator/**} are neither counted nor refused.</li>
 *   <li><b>Body deadline.</b> The body must have arrived {@code request-timeout} after the request
 *       did; past it the body fails with a {@code REQUEST_TIMEOUT} {@link TimberException}, which
 *       the route answers as its other errors (408). Routes read their whole body before they store
 *       anything, so nothing of it is stored. The route's work after its body is not limited.</li>
 * </ul>
 *
 * Meters: {@code timberdb.api.requests.in_flight} (gauge) and
 * {@code timberdb.api.requests.refused{reason=concurrency|request_timeout}}.
 *
 * <p>Thread-safe: the count is atomic; {@code doFinally} releases each request's slot once.
 */
public final class ApiLimitsFilter implements WebFilter, Ordered {

    /** Right after the CORS filter ({@code ApiCorsFilter.ORDER}), before Spring Security's chain (-100). */
    public static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

    private final ApiLimitsProperties props;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Counter refusedConcurrency;
    private final Counter refusedTimeout;

    public ApiLimitsFilter(ApiLimitsProperties props, MeterRegistry metrics) {
        this.props = props;
        Gauge.builder("timberdb.api.requests.in_flight", inFlight, AtomicInteger::get)
                .description("public API requests in progress").register(metrics);
        this.refusedConcurrency = refused(metrics, "concurrency");
        this.refusedTimeout = refused(metrics, "request_timeout");
    }

    private static Counter refused(MeterRegistry metrics, String reason) {
        return Counter.builder("timberdb.api.requests.refused").tag("reason", reason)
                .description("public API requests refused by the request limits").register(metrics);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        if (path.equals("/health") || path.startsWith("/health/") || path.startsWith("/actuator/")) {
            return chain.filter(exchange);
        }
        if (inFlight.incrementAndGet() > props.maxConcurrentRequests()) {
            inFlight.decrementAndGet();
            refusedConcurrency.increment();
            exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER,
                    Integer.toString(ProblemDetailsAdvice.RETRY_AFTER_SECONDS));
            return ProblemDetailsAdvice.write(exchange, ErrorCode.TOO_MANY_REQUESTS,
                    "the server is handling " + props.maxConcurrentRequests() + " requests, its maximum; retry later",
                    Map.of());
        }
        long deadline = System.nanoTime() + props.requestTimeout().toNanos();
        ServerWebExchange limited = exchange.mutate().request(new DeadlineRequest(exchange.getRequest(), deadline)).build();
        return chain.filter(limited).doFinally(signal -> inFlight.decrementAndGet()); // once, whatever the end
    }

    @Override
    public int getOrder() {
        return ORDER;
    }

    /** The request, its body failing once {@code deadline} (a {@link System#nanoTime} reading) passes. */
    private final class DeadlineRequest extends ServerHttpRequestDecorator {

        private final long deadline;

        DeadlineRequest(ServerHttpRequest request, long deadline) {
            super(request);
            this.deadline = deadline;
        }

        /**
         * The body, ended by one timer per request (not one per chunk): if it fires first, the
         * body is cut there and fails with {@code REQUEST_TIMEOUT} instead of completing.
         */
        @Override
        public Flux<DataBuffer> getBody() {
            return Flux.defer(() -> {
                AtomicBoolean expired = new AtomicBoolean();
                Mono<Long> deadlinePassed = Mono.delay(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))
                        .doOnNext(tick -> expired.set(true));
                return super.getBody()
                        .takeUntilOther(deadlinePassed)
                        .concatWith(Mono.defer(() -> expired.get() ? Mono.error(timedOut()) : Mono.empty()));
            });
        }

        private TimberException timedOut() {
            refusedTimeout.increment();
            return new TimberException(ErrorCode.REQUEST_TIMEOUT, "the request's body did not arrive within "
                    + props.requestTimeout().toMillis() + " ms (timberdb.api.request-timeout); nothing was stored");
        }
    }
}
