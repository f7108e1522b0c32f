package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.timberdb.model.error.TimberException;
import java.util.HashSet;
import java.util.List;

/**
 * The body of {@code POST /internal/v1/partitions/{id}/shards/{shard}/isr}: a shard's leader asks
 * the coordinator to change the shard's in-sync replicas (TDB-05's AlterIsr). Applied as a
 * compare-and-set: only while {@code leader} leads the shard at {@code epoch} and the ISR is
 * still {@code isr}.
 *
 * @param leader the storage node that proposes the change: the shard's leader as it believes
 * @param epoch the leader epoch it leads in
 * @param isr the ISR it expects the coordinator to hold now
 * @param newIsr the ISR it asks for: not empty, with the leader, distinct
 */
public record AlterIsrRequest(String leader, Long epoch, List<String> isr,
                              @JsonProperty("new_isr") List<String> newIsr) {

    /**
     * Checks what can be checked without the shard's placement: every field present, the epoch
     * at least 1, both ISRs without duplicates, the new one not empty and with the leader.
     *
     * @throws TimberException {@code MISSING_FIELD} or {@code INVALID_FIELD} naming the field
     */
    public AlterIsrRequest validated() {
        if (leader == null || leader.isBlank()) {
            throw TimberException.missingField("leader");
        }
        if (epoch == null) {
            throw TimberException.missingField("epoch");
        }
        if (epoch < 1) {
            throw TimberException.invalidField("epoch", "must be at least 1");
        }
        if (isr == null) {
            throw TimberException.missingField("isr");
        }
        if (newIsr == null) {
            throw TimberException.missingField("new_isr");
        }
        distinct("isr", isr);
        distinct("new_isr", newIsr);
        if (!newIsr.contains(leader)) {
            throw TimberException.invalidField("new_isr", "must contain the leader " + leader);
        }
        return new AlterIsrRequest(leader, epoch, List.copyOf(isr), List.copyOf(newIsr));
    }

    private static void distinct(String field, List<String> nodes) {
        if (nodes.stream().anyMatch(node -> node == null || node.isBlank())) {
            throw TimberException.invalidField(field, "must list node ids");
        }
        if (new HashSet<>(nodes).size() != nodes.size()) {
            throw TimberException.invalidField(field, "must not list a node twice");
        }
    }
}
