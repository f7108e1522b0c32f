package io.timberdb.model.query;

import java.util.Objects;

/**
 * A field of a log entry: {@code time}, {@code id}, {@code source}, {@code message} or a tag
 * {@code tags.<key>}. Used as a select item, a GROUP BY key (source and tags) and the subject of
 * conditions.
 *
 * @param kind which field
 * @param tagKey the tag's key for {@link Kind#TAG}, else null
 */
public record Field(Kind kind, String tagKey) implements SelectItem, GroupKey {

    /** The fields of an entry. */
    public enum Kind { TIME, ID, SOURCE, MESSAGE, TAG }

    public static final Field TIME = new Field(Kind.TIME, null);
    public static final Field ID = new Field(Kind.ID, null);
    public static final Field SOURCE = new Field(Kind.SOURCE, null);
    public static final Field MESSAGE = new Field(Kind.MESSAGE, null);

    public Field {
        Objects.requireNonNull(kind, "kind");
        if ((kind == Kind.TAG) != (tagKey != null) || tagKey != null && tagKey.isEmpty()) {
            throw new IllegalArgumentException("a tag field, and only a tag field, has a non-empty key");
        }
    }

    /** The tag field {@code tags.<key>}. */
    public static Field tag(String key) {
        return new Field(Kind.TAG, key);
    }

    /** Whether this field holds text ({@code id}, {@code source}, {@code message}, tags), i.e. is not {@code time}. */
    public boolean isText() {
        return kind != Kind.TIME;
    }
}
