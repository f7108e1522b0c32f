package io.timberdb.gateway.health;

import io.timberdb.gateway.GatewayConfiguration.GatewayProperties;
import io.timberdb.model.client.CoordinatorClient;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.web.ClusterCredential;
import io.timberdb.model.web.HealthDetails;
import io.timberdb.model.web.InternalTls;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The gateway's {@code /health} speaks for the cluster: UP only when the coordinator group has
 * a leader and the ingest and query services are ready. Details name the leader, the storage
 * nodes and their states. Its probes go over the internal TLS when one is configured.
 *
 * <p>The view is read from the coordinators with the cluster credential
 * ({@code timberdb.security.cluster-token[-file]}), which coordinators in {@code jwt} mode require
 * of a caller without an {@code admin} token. Only this client sends it: the credential is not a
 * bean of the gateway, so neither its security chain nor its routes ever accept or relay it.
 */
@Component
public class ClusterHealth implements HealthDetails {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final CoordinatorClient coordinators;
    private final WebClient http;
    private final GatewayProperties props;

    public ClusterHealth(WebClient.Builder builder, GatewayProperties props, InternalTls tls, Environment env) {
        builder = tls.applyTo(builder);
        this.coordinators = new CoordinatorClient(ClusterCredential.from(env).applyTo(builder.clone()), props.coordinators());
        this.http = builder.build();
        this.props = props;
    }

    @Override
    public Mono<Map<String, Object>> details() {
        Mono<ClusterView> view = coordinators.view().onErrorResume(e -> Mono.just(ClusterView.EMPTY));
        return Mono.zip(view, ready(props.ingestUrl()), ready(props.queryUrl())).map(t -> {
            ClusterView v = t.getT1();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("mode", "cluster");
            details.put("coordinator_leader", v.coordinator().leader());
            details.put("coordinator_voters", v.coordinator().voters());
            Map<String, String> nodes = new LinkedHashMap<>();
            for (StorageNode n : v.nodes()) {
                nodes.put(n.id(), n.state().name());
            }
            details.put("storage_nodes", nodes);
            details.put("ingest", t.getT2() ? "UP" : "DOWN");
            details.put("query", t.getT3() ? "UP" : "DOWN");
            boolean up = v.coordinator().leader() != null && t.getT2() && t.getT3();
            details.put("status", up ? "UP" : "DOWN");
            return details;
        });
    }

    private Mono<Boolean> ready(URI base) {
        return http.get().uri(base.resolve("/actuator/health/readiness")).retrieve().toBodilessEntity()
                .map(r -> r.getStatusCode().is2xxSuccessful())
                .timeout(PROBE_TIMEOUT)
                .onErrorReturn(false);
    }
}
