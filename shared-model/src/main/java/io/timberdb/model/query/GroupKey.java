package io.timberdb.model.query;

/** One key of GROUP BY: a time {@link Bin}, {@code source} or a tag ({@link Field}). */
public sealed interface GroupKey permits Field, Bin {
}
