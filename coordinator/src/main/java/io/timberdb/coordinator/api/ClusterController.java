package io.timberdb.coordinator.api;

import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/cluster}: the {@link ClusterView} this voter holds (the leader, voters,
 * storage nodes, partitions and placement at one version), and a watch on its version.
 *
 * <p>The watch, {@code ?after=<version>&wait=<duration>}, is a long poll: it answers 200 with the
 * view at once when this voter's applied view has a version above {@code after}; else it holds
 * the request, without a thread, until such a view is applied or {@code wait} passes, and then
 * answers 304 Not Modified with no body. {@code wait} defaults to {@link #DEFAULT_WAIT}; a longer
 * one than {@link #MAX_WAIT} is cut to it. A voter answers from its own applied state, so a
 * watcher on a follower may see a change a few milliseconds after the leader applied it.
 *
 * <p>Stateless and thread-safe.
 */
@RestController
public class ClusterController {

    /** How long a watch waits when the request does not say. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);
    /** The longest a watch waits: a longer {@code wait} is cut to this. */
    public static final Duration MAX_WAIT = Duration.ofSeconds(60);

    private final ClusterViewSource views;

    public ClusterController(ClusterViewSource views) {
        this.views = views;
    }

    /**
     * The view; with {@code consistent=true}, only once this voter has applied every write
     * committed before the request (a Raft read index), so that a service that has just been told
     * about a new partition by a client finds it. With {@code after}, the watch (see the class
     * comment); it cannot be combined with {@code consistent=true}.
     */
    @GetMapping("/api/v1/cluster")
    public Mono<ResponseEntity<ClusterView>> cluster(@RequestParam(defaultValue = "false") boolean consistent,
                                                     @RequestParam(required = false) String after,
                                                     @RequestParam(required = false) String wait) {
        if (after == null) {
            if (wait != null) {
                return Mono.error(new TimberException(ErrorCode.MISSING_FIELD, "'after' is required with 'wait'", "after"));
            }
            return (consistent ? views.refresh() : Mono.fromSupplier(views::current)).map(ResponseEntity::ok);
        }
        if (consistent) {
            return Mono.error(TimberException.invalidField("consistent",
                    "cannot be combined with 'after': a watch answers from this voter's applied view"));
        }
        long version;
        Duration timeout;
        try {
            version = version(after);
            timeout = waitOf(wait);
        } catch (TimberException e) {
            return Mono.error(e);
        }
        return watch(version, timeout);
    }

    private Mono<ResponseEntity<ClusterView>> watch(long after, Duration wait) {
        ClusterView held = views.current();
        if (held.version() > after) {
            return Mono.just(ResponseEntity.ok(held));
        }
        if (wait.isZero()) {
            return Mono.just(notModified());
        }
        // Cancelled by the timeout (or a client that goes away), the source withdraws the wait.
        return views.newerThan(after).map(ResponseEntity::ok).timeout(wait, Mono.fromSupplier(ClusterController::notModified));
    }

    private static ResponseEntity<ClusterView> notModified() {
        return ResponseEntity.status(HttpStatus.NOT_MODIFIED).build();
    }

    private static long version(String after) {
        try {
            long version = Long.parseLong(after.strip());
            if (version >= 0) {
                return version;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw TimberException.invalidField("after", "must be a cluster view version, a whole number from 0; got '" + after + "'");
    }

    private static Duration waitOf(String wait) {
        if (wait == null) {
            return DEFAULT_WAIT;
        }
        Duration parsed;
        try {
            // "30s", "500ms", "1m", ISO-8601 "PT30S"; a bare number is seconds.
            parsed = DurationStyle.detectAndParse(wait.strip(), ChronoUnit.SECONDS);
        } catch (IllegalArgumentException e) {
            throw TimberException.invalidField("wait", "must be a duration such as 30s or 500ms; got '" + wait + "'");
        }
        if (parsed.isNegative()) {
            throw TimberException.invalidField("wait", "must not be negative; got '" + wait + "'");
        }
        return parsed.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : parsed;
    }
}
