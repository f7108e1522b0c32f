package io.timberdb.model.query;

/**
 * One item of the SELECT list: {@code *}, a {@link Field}, a time {@link Bin} or an
 * {@link Aggregate}.
 */
public sealed interface SelectItem permits SelectItem.Star, Field, Bin, Aggregate {

    /** {@code SELECT *}: every field of the matching entries. */
    record Star() implements SelectItem {
    }
}
