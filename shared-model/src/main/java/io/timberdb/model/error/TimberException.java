package io.timberdb.model.error;

import java.util.Map;

/**
 * A failure the API reports as an RFC 9457 problem detail: a stable {@link ErrorCode}, a detail
 * for humans and, when one field is at fault, its JSON path (e.g. {@code entries[2].message}).
 * Extra {@link #properties()} (e.g. a query error's {@code line} and {@code column}) become
 * members of the problem detail.
 */
public class TimberException extends RuntimeException {

    private final ErrorCode code;
    private final String field;
    private final Map<String, Object> properties;

    public TimberException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public TimberException(ErrorCode code, String detail, String field) {
        this(code, detail, field, null);
    }

    public TimberException(ErrorCode code, String detail, String field, Throwable cause) {
        this(code, detail, field, Map.of(), cause);
    }

    /**
     * @param properties extra members of the problem detail, rendered as they are; they must not
     *        use the standard names ({@code type}, {@code title}, {@code status}, {@code detail},
     *        {@code instance}, {@code code}, {@code field})
     */
    public TimberException(ErrorCode code, String detail, String field, Map<String, Object> properties,
                           Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.field = field;
        this.properties = Map.copyOf(properties);
    }

    public ErrorCode code() {
        return code;
    }

    /** The JSON path of the field at fault, or {@code null}. */
    public String field() {
        return field;
    }

    /** Extra members of the problem detail, in no particular order; empty for most errors. */
    public Map<String, Object> properties() {
        return properties;
    }

    public static TimberException missingField(String field) {
        return new TimberException(ErrorCode.MISSING_FIELD, "'" + field + "' is required", field);
    }

    public static TimberException invalidField(String field, String why) {
        return new TimberException(ErrorCode.INVALID_FIELD, "'" + field + "' " + why, field);
    }

    public static TimberException partitionNotFound(String idOrName) {
        return new TimberException(ErrorCode.PARTITION_NOT_FOUND,
                "no partition has the id or name '" + idOrName + "'");
    }
}
