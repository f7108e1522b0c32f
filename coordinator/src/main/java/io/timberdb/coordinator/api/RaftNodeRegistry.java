package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.net.URI;
import java.time.InstantSource;
import java.util.Objects;
import java.util.regex.Pattern;
import reactor.core.publisher.Mono;

/**
 * Storage node registration through the metadata Raft group. A heartbeat from a node that is
 * already known with the same address, zone and capacity, in a state registration keeps, is
 * answered from the local state without a Raft write, so periodic re-registration does not grow
 * the log.
 *
 * <p>Thread-safe: immutable.
 */
public final class RaftNodeRegistry implements NodeRegistry {

    /** The route a follower forwards registrations to. */
    static final String REGISTER_PATH = "/internal/v1/nodes";

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final MetadataGroup group;
    private final LeaderForwarder forwarder;
    private final InstantSource clock;

    public RaftNodeRegistry(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock) {
        this.group = group;
        this.forwarder = forwarder;
        this.clock = clock;
    }

    @Override
    public Mono<StorageNode> register(RegisterNodeRequest request) {
        return Mono.defer(() -> {
            String id = request.id();
            String address = request.address();
            validate(id, address);
            if (request.capacityBytes() != null && request.capacityBytes() < 0) {
                throw TimberException.invalidField("capacity_bytes", "must not be negative");
            }
            String zone = request.zone() == null || request.zone().isBlank() ? null : request.zone();
            StorageNode known = group.view().node(id).orElse(null);
            if (known != null && known.address().equals(address) && Objects.equals(known.zone(), zone)
                    && Objects.equals(known.capacityBytes(), request.capacityBytes()) && keepsState(known.state())) {
                return Mono.just(known);
            }
            return forwarder.submit(new Command.RegisterNode(id, address, clock.instant(), zone, request.capacityBytes()),
                    RaftNodeRegistry::registered, REGISTER_PATH, new RegisterNodeRequest(id, address, zone,
                            request.capacityBytes()), StorageNode.class);
        });
    }

    /** Whether registering a node in this state leaves the state as it is (see {@link Command.RegisterNode}). */
    private static boolean keepsState(StorageNode.State state) {
        return state == StorageNode.State.ACTIVE || state == StorageNode.State.DRAINING
                || state == StorageNode.State.DECOMMISSIONED;
    }

    private static void validate(String id, String address) {
        if (id == null) {
            throw TimberException.missingField("id");
        }
        if (!ID.matcher(id).matches()) {
            throw TimberException.invalidField("id", "must be 1-128 letters, digits, '.', '_' or '-'");
        }
        if (address == null) {
            throw TimberException.missingField("address");
        }
        URI uri;
        try {
            uri = URI.create(address);
        } catch (IllegalArgumentException e) {
            throw TimberException.invalidField("address", "is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw TimberException.invalidField("address", "must be an http(s) URL, e.g. http://127.0.0.1:7821");
        }
    }

    private static StorageNode registered(Result result) {
        if (result instanceof Result.NodeRegistered registered) {
            return registered.node();
        }
        throw new TimberException(ErrorCode.INTERNAL, "the metadata group refused the registration: " + result);
    }
}
