package io.timberdb.coordinator.api;

import io.timberdb.coordinator.raft.MembershipException;
import io.timberdb.coordinator.raft.MetadataGroup;
import io.timberdb.coordinator.raft.Voter;
import io.timberdb.model.api.AddVoterRequest;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.springframework.http.HttpMethod;
import org.springframework.web.util.UriUtils;
import reactor.core.publisher.Mono;

/**
 * Voter changes through the metadata group's leader ({@link MetadataGroup#addVoter},
 * {@link MetadataGroup#removeVoter}); a follower forwards them to the leader's same route.
 *
 * <p>Thread-safe: immutable.
 */
public final class RaftVoterRegistry implements VoterRegistry {

    /** The routes a follower forwards voter changes to. */
    static final String VOTERS_PATH = "/internal/v1/voters";
    /** One attempt may wait for a new voter to catch up, by snapshot install and log replication. */
    private static final Duration CHANGE_TIMEOUT = Duration.ofSeconds(30);

    private final MetadataGroup group;
    private final LeaderForwarder forwarder;

    public RaftVoterRegistry(MetadataGroup group, LeaderForwarder forwarder) {
        this.group = group;
        this.forwarder = forwarder;
    }

    @Override
    public Mono<ClusterView.Coordinator> add(AddVoterRequest request) {
        return Mono.fromSupplier(() -> voter(request)).flatMap(voter -> forwarder.submit(
                () -> Mono.fromFuture(() -> group.addVoter(voter)).then(Mono.fromSupplier(this::coordinator)),
                HttpMethod.POST, VOTERS_PATH, request, ClusterView.Coordinator.class, CHANGE_TIMEOUT))
                .onErrorMap(MembershipException.class, RaftVoterRegistry::refused);
    }

    @Override
    public Mono<ClusterView.Coordinator> remove(String id) {
        return forwarder.submit(
                () -> Mono.fromFuture(() -> group.removeVoter(id)).then(Mono.fromSupplier(this::coordinator)),
                HttpMethod.DELETE, VOTERS_PATH + "/" + UriUtils.encodePathSegment(id, StandardCharsets.UTF_8), null, ClusterView.Coordinator.class, CHANGE_TIMEOUT)
                .onErrorMap(MembershipException.class, RaftVoterRegistry::refused);
    }

    private ClusterView.Coordinator coordinator() {
        return new ClusterView.Coordinator(group.leaderId(), group.voterIds());
    }

    private static Voter voter(AddVoterRequest request) {
        if (request.id() == null) {
            throw TimberException.missingField("id");
        }
        if (request.raftAddress() == null) {
            throw TimberException.missingField("raft_address");
        }
        if (request.httpUrl() == null) {
            throw TimberException.missingField("http_url");
        }
        try {
            return Voter.valueOf(request.id() + "@" + request.raftAddress() + "@" + request.httpUrl());
        } catch (IllegalArgumentException e) {
            throw TimberException.invalidField(field(e.getMessage()), e.getMessage());
        }
    }

    /** The request field a {@link Voter} parse error is about. */
    private static String field(String message) {
        if (message.contains("raft") || message.contains("port")) {
            return "raft_address";
        }
        if (message.contains("http")) {
            return "http_url";
        }
        return "id";
    }

    private static TimberException refused(MembershipException e) {
        return switch (e.reason()) {
            case UNKNOWN_VOTER -> new TimberException(ErrorCode.VOTER_NOT_FOUND, e.getMessage(), "id");
            case CONFLICT, LAST_VOTER -> new TimberException(ErrorCode.VOTER_CONFLICT, e.getMessage(), "id");
        };
    }
}
