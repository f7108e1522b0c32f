package io.timberdb.coordinator.api;

import io.timberdb.model.api.AddVoterRequest;
import io.timberdb.model.cluster.ClusterView;
import reactor.core.publisher.Mono;

/**
 * The coordinator voters of the metadata group, changed at runtime: {@code POST /internal/v1/voters}
 * adds one, {@code DELETE /internal/v1/voters/{id}} removes one. Implementations:
 * {@link RaftVoterRegistry}. Implementations must be thread-safe: requests call them concurrently.
 */
public interface VoterRegistry {

    /**
     * Adds a voter (its process already running); idempotent for a current voter at the same address.
     *
     * @return the group's leader and voters afterwards; fails with {@code MISSING_FIELD}/{@code INVALID_FIELD}
     *         on bad input, {@code VOTER_CONFLICT} when the id or address is another voter's, and
     *         {@code UNAVAILABLE} when no leader takes the change or the new voter does not catch up
     */
    Mono<ClusterView.Coordinator> add(AddVoterRequest request);

    /**
     * Removes a voter.
     *
     * @return the group's leader and voters afterwards; fails with {@code VOTER_NOT_FOUND} for an
     *         unknown id, {@code VOTER_CONFLICT} for the last voter and {@code UNAVAILABLE} when no
     *         leader takes the change
     */
    Mono<ClusterView.Coordinator> remove(String id);
}
