package io.timberdb.model.shard;

import java.time.Instant;
import java.util.Objects;

/**
 * A place in the order of an entry query: the timestamp and id of the last entry of a page, so
 * that the next page starts strictly after it (see {@link ShardQuery#after()}).
 *
 * @param timestamp the entry's timestamp
 * @param id the entry's id (ties between equal timestamps are broken by id)
 */
public record EntryPosition(Instant timestamp, String id) {

    public EntryPosition {
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(id, "id");
    }
}
