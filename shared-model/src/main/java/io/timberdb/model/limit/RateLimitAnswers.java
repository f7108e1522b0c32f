package io.timberdb.model.limit;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.limit.TokenBucket.Quota;
import java.util.Map;
import org.springframework.http.HttpHeaders;

/**
 * How every rate limiter answers, so that the ingest and query routes answer alike: the
 * {@code RateLimit-Limit}, {@code RateLimit-Remaining} and {@code RateLimit-Reset} headers (IETF
 * draft {@code draft-ietf-httpapi-ratelimit-headers}: the bucket's capacity, its whole tokens left,
 * the seconds until it is full), {@code Retry-After} on a refusal, and the refusal itself: a
 * {@code RATE_LIMITED} {@link TimberException} (429) whose problem carries {@code tenant},
 * {@code limit} and {@code retry_after_seconds}.
 *
 * <p>Stateless.
 */
public final class RateLimitAnswers {

    /** The bucket's capacity. */
    public static final String LIMIT = "RateLimit-Limit";
    /** The bucket's whole tokens left. */
    public static final String REMAINING = "RateLimit-Remaining";
    /** The seconds until the bucket is full. */
    public static final String RESET = "RateLimit-Reset";

    private RateLimitAnswers() {
    }

    /**
     * Sets the headers of {@code shown}; with {@code Retry-After} (at least 1 s) when it is the
     * quota that refused the request and a wait would admit it.
     */
    public static void headers(HttpHeaders headers, Quota shown, boolean refused) {
        if (refused && !shown.never()) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, shown.retryAfter())));
        }
        headers.set(LIMIT, Long.toString(shown.limit()));
        headers.set(REMAINING, Long.toString(shown.remaining()));
        headers.set(RESET, Long.toString(shown.reset()));
    }

    /**
     * The refusal of a request by {@code quota}.
     *
     * @param who the key as the detail names it ({@link KeyBy#describe})
     * @param limit which bucket refused: {@code requests} or {@code bytes}
     * @param rate the limit in words, e.g. {@code query limit of 60000 requests per minute}
     * @param consequence what became of the request, e.g. {@code nothing was stored}
     */
    public static TimberException refusal(String who, String tenant, String limit, String rate, Quota quota,
                                          String consequence) {
        long wait = Math.max(1, quota.retryAfter());
        return new TimberException(ErrorCode.RATE_LIMITED, who + " is over its " + rate + " (burst "
                + quota.limit() + "); " + consequence + ", retry in " + wait + " s", null,
                Map.of("tenant", tenant, "limit", limit, "retry_after_seconds", wait), null);
    }
}
