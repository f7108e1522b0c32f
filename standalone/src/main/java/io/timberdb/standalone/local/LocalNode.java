package io.timberdb.standalone.local;

import io.timberdb.coordinator.api.NodeRegistry;
import io.timberdb.model.config.NodeProperties;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.NodeIdentity;
import io.timberdb.storage.shard.ShardStore;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * The standalone process's storage node: registers itself with the in-process coordinator once
 * the single voter has elected itself, then prints where TimberDB listens. Until registered,
 * {@code /health} answers DOWN (503), so a launcher or test that waits for health never sends
 * a write that could find no storage node.
 *
 * <p>Thread-safe: {@code registered} is volatile, written once by the registration callback.
 */
@Component
public class LocalNode implements HealthDetails {

    private static final Logger log = LoggerFactory.getLogger(LocalNode.class);

    private final NodeRegistry registry;
    private final ShardStore store;
    private final NodeProperties node;
    private final NodeIdentity identity;
    /** Written by the registration callback, read by health requests. */
    private volatile boolean registered;
    private Disposable registration;

    public LocalNode(NodeRegistry registry, ShardStore store, NodeProperties node,
                     NodeIdentity identity) {
        this.registry = registry;
        this.store = store;
        this.node = node;
        this.identity = identity;
    }

    @EventListener
    void onReady(ApplicationReadyEvent event) {
        String base = baseUrl(event);
        // The recorded address is informational: ingest and query call the shard store in-process.
        // Registered once every shard found on disk has replayed its WAL: "ready" means the data is there.
        registration = Mono.fromFuture(store.opened()).then(registry.register(node.nodeId(), base))
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(100)).maxBackoff(Duration.ofSeconds(1))
                        .filter(e -> !(e instanceof TimberException te) || te.code() == ErrorCode.UNAVAILABLE)
                        .doBeforeRetry(r -> log.debug("waiting for the coordinator: {}", r.failure().toString())))
                .subscribe(n -> {
                    registered = true;
                    System.out.printf("%nTimberDB %s standalone '%s' is ready%n"
                                    + "  API      %s/api/v1%n  health   %s/health%n  metrics  %s/actuator/prometheus%n"
                                    + "  data     %s%n  auth     %s%nPress Ctrl-C to stop.%n",
                            identity.version(), node.nodeId(), base, base, base, node.dataDir().toAbsolutePath().normalize(),
                            authLine(event));
                }, e -> log.error("could not register the local storage node", e));
    }

    /** What the banner says about authentication ({@code timberdb.security.mode}). */
    private String authLine(ApplicationReadyEvent event) {
        String mode = event.getApplicationContext().getEnvironment().getProperty("timberdb.security.mode", "off");
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "local" -> "bearer tokens required; get one with ./timberdb token --data-dir "
                    + node.dataDir() + " --scope logs:read,logs:write --tenant NAME";
            case "jwt" -> "bearer tokens of " + event.getApplicationContext().getEnvironment()
                    .getProperty("timberdb.security.issuer-uri", "the configured issuer") + " required";
            default -> "off (./timberdb up --auth turns it on)";
        };
    }

    private static String baseUrl(ApplicationReadyEvent event) {
        var env = event.getApplicationContext().getEnvironment();
        String host = env.getProperty("server.address", "127.0.0.1");
        int port = event.getApplicationContext() instanceof WebServerApplicationContext web
                ? web.getWebServer().getPort() : env.getProperty("server.port", Integer.class, 7777);
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public Mono<Map<String, Object>> details() {
        return Mono.fromSupplier(() -> {
            Map<String, Object> details = new LinkedHashMap<>();
            // The Raft group's own facts (leader, role) come from the coordinator's RaftHealthDetails.
            details.put("mode", "standalone");
            details.put("storage_registered", registered);
            details.put("storage", store.stats());
            details.put("data_dir", node.dataDir().toAbsolutePath().normalize().toString());
            if (!registered) {
                details.put("status", "DOWN");
            }
            return details;
        });
    }

    /** Stops retrying the registration (on shutdown). */
    @jakarta.annotation.PreDestroy
    void stop() {
        if (registration != null) {
            registration.dispose();
        }
    }
}
