package io.timberdb.coordinator.api;

import io.timberdb.coordinator.membership.NodeLiveness;
import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.state.Command;
import io.timberdb.coordinator.state.Result;
import io.timberdb.model.api.RegisterNodeRequest;
import io.timberdb.model.cluster.StorageNode;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.net.URI;
import java.time.InstantSource;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.springframework.http.HttpMethod;
import reactor.core.publisher.Mono;

/**
 * Storage node registration, drain and decommission through the metadata Raft group. Every
 * registration and heartbeat is answered by the leader (followers forward it), which records it
 * in its {@link NodeLiveness}; one from a node already known with the same address, zone and
 * capacity, in a state registration keeps, is answered from the leader's state without a Raft
 * write, so periodic re-registration does not grow the log.
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
    private final NodeLiveness liveness;

    /** A registry with liveness of its own (nobody reads it: tests). */
    public RaftNodeRegistry(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock) {
        this(group, forwarder, clock, new NodeLiveness(clock));
    }

    /**
     * @param liveness where the leader records each registration and heartbeat it answers
     */
    public RaftNodeRegistry(MetadataGroup group, LeaderForwarder forwarder, InstantSource clock, NodeLiveness liveness) {
        this.group = group;
        this.forwarder = forwarder;
        this.clock = clock;
        this.liveness = liveness;
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
            for (Map.Entry<String, Long> shard : request.shardBytes().entrySet()) {
                if (shard.getValue() == null || shard.getValue() < 0) {
                    throw TimberException.invalidField("shard_bytes", "the bytes of shard " + shard.getKey()
                            + " must be a number of at least 0");
                }
            }
            String zone = request.zone() == null || request.zone().isBlank() ? null : request.zone();
            RegisterNodeRequest valid = new RegisterNodeRequest(id, address, zone, request.capacityBytes(),
                    request.shardBytes());
            // Every heartbeat goes to the leader, which keeps liveness; followers forward it.
            return forwarder.submit(() -> onLeader(valid), HttpMethod.POST, REGISTER_PATH, valid, StorageNode.class,
                    LeaderForwarder.CALL_TIMEOUT);
        });
    }

    private Mono<StorageNode> onLeader(RegisterNodeRequest request) {
        liveness.heard(request.id(), request.shardBytes());
        StorageNode known = group.view().node(request.id()).orElse(null);
        if (known != null && known.address().equals(request.address()) && Objects.equals(known.zone(), request.zone())
                && Objects.equals(known.capacityBytes(), request.capacityBytes()) && keepsState(known.state())) {
            return Mono.just(known);
        }
        Command command = new Command.RegisterNode(request.id(), request.address(), clock.instant(), request.zone(),
                request.capacityBytes());
        return Mono.fromFuture(() -> group.propose(command)).map(RaftNodeRegistry::registered);
    }

    @Override
    public Mono<StorageNode> drain(String id) {
        return setState(id, StorageNode.State.DRAINING, "drain");
    }

    @Override
    public Mono<StorageNode> decommission(String id) {
        return setState(id, StorageNode.State.DECOMMISSIONED, "decommission");
    }

    @Override
    public Mono<StorageNode> activate(String id) {
        return setState(id, StorageNode.State.ACTIVE, "activate");
    }

    private Mono<StorageNode> setState(String id, StorageNode.State state, String action) {
        return Mono.defer(() -> {
            if (id == null || !ID.matcher(id).matches()) {
                throw TimberException.invalidField("id", "must be 1-128 letters, digits, '.', '_' or '-'");
            }
            return forwarder.submit(new Command.SetNodeState(id, state, clock.instant()), RaftNodeRegistry::stateSet,
                    REGISTER_PATH + "/" + id + "/" + action, null, StorageNode.class);
        });
    }

    private static StorageNode stateSet(Result result) {
        if (result instanceof Result.NodeStateChanged changed) {
            return changed.node();
        }
        if (result instanceof Result.NodeNotFound notFound) {
            throw new TimberException(ErrorCode.NODE_NOT_FOUND, "no storage node has the id '" + notFound.id() + "'", "id");
        }
        if (result instanceof Result.Rejected rejected) {
            throw TimberException.invalidField("id", rejected.reason());
        }
        throw new TimberException(ErrorCode.INTERNAL, "the metadata group refused the state change: " + result);
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
