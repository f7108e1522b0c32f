package io.timberdb.model.query;

import java.util.Objects;

/**
 * ORDER BY: by {@code time} (of entries, or of the time bins of a grouped query) or by an
 * aggregate the query selects.
 *
 * @param key {@link Field#TIME} or an {@link Aggregate}
 * @param descending DESC; ASC when false (the default when the query names no direction)
 */
public record OrderBy(SelectItem key, boolean descending) {

    public OrderBy {
        Objects.requireNonNull(key, "key");
        if (!(key.equals(Field.TIME) || key instanceof Aggregate)) {
            throw new IllegalArgumentException("ORDER BY takes time or an aggregate, not " + key);
        }
    }
}
