package io.timberdb.model.error;

/**
 * A failure the API reports as an RFC 9457 problem detail: a stable {@link ErrorCode}, a detail
 * for humans and, when one field is at fault, its JSON path (e.g. {@code entries[2].message}).
 */
public class TimberException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    public TimberException(ErrorCode code, String detail) {
        this(code, detail, null, null);
    }

    public TimberException(ErrorCode code, String detail, String field) {
        this(code, detail, field, null);
    }

    public TimberException(ErrorCode code, String detail, String field, Throwable cause) {
        super(detail, cause);
        this.code = code;
        this.field = field;
    }

    public ErrorCode code() {
        return code;
    }

    /** The JSON path of the field at fault, or {@code null}. */
    public String field() {
        return field;
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
