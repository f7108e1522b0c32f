package io.timberdb.ingest.limit;

import io.timberdb.model.api.Partition;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.limit.KeyedBuckets;
import io.timberdb.model.limit.RateLimitAnswers;
import io.timberdb.model.limit.ThrottleMetrics;
import io.timberdb.model.limit.TokenBucket;
import io.timberdb.model.limit.TokenBucket.Quota;
import java.nio.ByteBuffer;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.reactive.result.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Limits every ingest route ({@link IngestRoutes}) by two token buckets per key ({@link Buckets}):
 *
 * <ol>
 *   <li>one request is taken from the request bucket as the request arrives;</li>
 *   <li>the payload's bytes (the body as it arrives, with {@code Content-Encoding: gzip} undone
 *       as it streams, {@link GzipSize}, or the uncompressed length of a snappy block on a
 *       {@link SnappyBlockBody} route, {@link SnappyLength}) are taken from the byte bucket when
 *       the body ends, before the route has it all.</li>
 * </ol>
 *
 * A refusal is not written by this filter: the route's body fails with a {@code RATE_LIMITED}
 * {@link TimberException} instead, so that the route answers it as it answers its other errors
 * (its problem handler, Elasticsearch's product header and error shape). Every ingest route reads
 * its whole body before it stores anything (they are all-or-nothing), so a refused request stores
 * nothing; the route-coverage test holds every route to that. A payload larger than the byte
 * bucket's capacity could never be admitted and is refused {@code PAYLOAD_TOO_LARGE} as soon as
 * the count passes it.
 *
 * <p>The {@code RateLimit-*} headers ({@link RateLimitAnswers}) describe the bucket that refused the
 * request, with {@code Retry-After} the seconds until it would admit it; on an admitted request
 * (when {@code enable-rate-limit-headers}) they describe whichever of the two buckets has the
 * smaller share left.
 *
 * <p>Ordered at 0: after the security filter chain (-100), whose principal a {@link TenantResolver}
 * may read. Thread-safe: the buckets are; the per-request state is written by the request's own
 * signals and read when the answer is committed ({@code volatile} between the two threads).
 */
final class RateLimitFilter implements WebFilter, Ordered {

    /** The throttling counter: ingest requests refused, by tenant and bucket. */
    static final String THROTTLED = "timberdb.ingest.throttled";

    /** A key's two buckets. */
    record Buckets(TokenBucket requests, TokenBucket bytes) {
    }

    private final RateLimitProperties props;
    private final KeyedBuckets<Buckets> buckets;
    private final TenantResolver resolver;
    private final ThrottleMetrics metrics;
    private final IngestRoutes routes;

    RateLimitFilter(RateLimitProperties props, KeyedBuckets<Buckets> buckets, TenantResolver resolver,
                    ThrottleMetrics metrics, Supplier<List<RequestMappingHandlerMapping>> mappings) {
        this.props = props;
        this.buckets = buckets;
        this.resolver = resolver;
        this.metrics = metrics;
        this.routes = IngestRoutes.of(mappings);
    }

    /** The buckets of each key, made full with the key's limits ({@link RateLimitProperties#limitsOf}). */
    static KeyedBuckets<Buckets> buckets(RateLimitProperties props, InstantSource clock) {
        return new KeyedBuckets<>(props.maxKeys(), props.idleEviction(), clock, (key, now) -> {
            RateLimitProperties.Limits limits = props.limitsOf(key);
            return new Buckets(TokenBucket.perMinute(limits.burst(), limits.requestsPerMinute(), now),
                    TokenBucket.perSecond(limits.burstBytes().toBytes(), limits.bytesPerSecond().toBytes(), now));
        });
    }

    @Override
    public int getOrder() {
        return 0;
    }

    /** The ingest routes this filter limits. */
    IngestRoutes routes() {
        return routes;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!props.enabled()) {
            return chain.filter(exchange);
        }
        IngestRoutes.Match match = routes().match(exchange);
        if (match == null) {
            return chain.filter(exchange);
        }
        return resolver.tenant(exchange, match.partition()).defaultIfEmpty(Partition.DEFAULT_TENANT)
                .flatMap(tenant -> admit(exchange, chain, match, tenant));
    }

    private Mono<Void> admit(ServerWebExchange exchange, WebFilterChain chain, IngestRoutes.Match match, String tenant) {
        String key = props.keyBy().keyOf(tenant, exchange.getRequest());
        Buckets bucketsOfKey = buckets.of(key);
        Verdict verdict = new Verdict();
        verdict.requests = bucketsOfKey.requests().take(1, buckets.now());
        exchange.getResponse().beforeCommit(() -> {
            headers(exchange.getResponse().getHeaders(), verdict);
            return Mono.empty();
        });
        Flux<DataBuffer> body;
        if (verdict.requests.admitted()) {
            body = metered(exchange.getRequest(), match.snappyBlocks(), tenant, key, bucketsOfKey.bytes(), verdict);
        } else {
            verdict.refused = verdict.requests;
            metrics.throttled(tenant, "requests");
            body = Flux.error(rateLimited(tenant, key, "requests", props.limitsOf(key).requestsPerMinute()
                    + " requests per minute", verdict.requests));
        }
        ServerHttpRequest request = new ServerHttpRequestDecorator(exchange.getRequest()) {
            @Override
            public Flux<DataBuffer> getBody() {
                return body;
            }
        };
        return chain.filter(exchange.mutate().request(request).build());
    }

    /** The body, counted as it passes and charged to {@code bytes} when it ends. */
    private Flux<DataBuffer> metered(ServerHttpRequest request, boolean snappyBlocks, String tenant, String key,
                                     TokenBucket bytes, Verdict verdict) {
        long capacity = props.limitsOf(key).burstBytes().toBytes();
        String encoding = request.getHeaders().getFirst(HttpHeaders.CONTENT_ENCODING);
        boolean gzip = encoding != null && "gzip".equalsIgnoreCase(encoding.trim());
        boolean snappy = !gzip && snappyBlocks && !isJson(request.getHeaders());
        return Flux.defer(() -> {
            PayloadCount count = new PayloadCount(gzip ? new GzipSize(capacity) : null, snappy ? new SnappyLength() : null);
            return request.getBody().<DataBuffer>handle((buffer, sink) -> {
                count.add(buffer);
                if (count.bytes() > capacity) {
                    DataBufferUtils.release(buffer);
                    sink.error(tooLarge(key, capacity));
                } else {
                    sink.next(buffer);
                }
            }).concatWith(Mono.defer(() -> charge(count.bytes(), tenant, key, bytes, verdict)))
                    .doFinally(signal -> count.close());
        });
    }

    private Mono<DataBuffer> charge(long payload, String tenant, String key, TokenBucket bytes, Verdict verdict) {
        Quota quota = bytes.take(payload, buckets.now());
        verdict.bytes = quota;
        if (quota.admitted()) {
            return Mono.empty();
        }
        verdict.refused = quota;
        if (quota.never()) {
            return Mono.error(tooLarge(key, quota.limit()));
        }
        metrics.throttled(tenant, "bytes");
        return Mono.error(rateLimited(tenant, key, "bytes", props.limitsOf(key).bytesPerSecond().toBytes()
                + " payload bytes per second", quota));
    }

    private void headers(HttpHeaders headers, Verdict verdict) {
        Quota shown = verdict.refused;
        if (shown == null) {
            if (!props.enableRateLimitHeaders()) {
                return;
            }
            shown = verdict.bytes == null || verdict.requests.left() <= verdict.bytes.left()
                    ? verdict.requests : verdict.bytes;
        }
        RateLimitAnswers.headers(headers, shown, verdict.refused != null);
    }

    private TimberException rateLimited(String tenant, String key, String limit, String rate, Quota quota) {
        return RateLimitAnswers.refusal(props.keyBy().describe(tenant, key), tenant, limit, "ingestion limit of " + rate,
                quota, "nothing was stored");
    }

    private TimberException tooLarge(String key, long capacity) {
        return new TimberException(ErrorCode.PAYLOAD_TOO_LARGE, "the payload exceeds the " + capacity
                + " bytes that " + key + " may send at once (timberdb.ingest.rate-limit.burst-bytes)");
    }

    private static boolean isJson(HttpHeaders headers) {
        try {
            MediaType type = headers.getContentType();
            return type != null && type.isCompatibleWith(MediaType.APPLICATION_JSON);
        } catch (InvalidMediaTypeException e) {
            return false; // the route refuses it
        }
    }

    /** What the buckets said of one request; read when its answer is committed. */
    private static final class Verdict {
        /** Set before the route runs. */
        volatile Quota requests;
        /** Set when the body ends, on whichever thread delivered its end; null until then. */
        volatile Quota bytes;
        /** The quota that refused the request, or null. */
        volatile Quota refused;
    }

    /**
     * The payload bytes of a body: as sent, inflated when it is gzip, or the length its snappy
     * block announces, and never less than as sent (a body that claims gzip but is not cannot pass
     * for smaller than it is).
     */
    private static final class PayloadCount {
        private final GzipSize gzip;
        private final SnappyLength snappy;
        private long plain;

        PayloadCount(GzipSize gzip, SnappyLength snappy) {
            this.gzip = gzip;
            this.snappy = snappy;
        }

        void add(DataBuffer buffer) {
            plain += buffer.readableByteCount();
            if (gzip == null && snappy == null) {
                return;
            }
            try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
                while (chunks.hasNext()) {
                    ByteBuffer chunk = chunks.next();
                    if (gzip != null) {
                        gzip.add(chunk);
                    } else {
                        snappy.add(chunk);
                    }
                }
            }
        }

        long bytes() {
            long decoded = gzip != null ? gzip.inflated() : snappy != null ? snappy.announced() : 0;
            return Math.max(plain, decoded);
        }

        void close() {
            if (gzip != null) {
                gzip.close();
            }
        }
    }
}
