package io.timberdb.model.error;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A failure the API reports as an RFC 9457 problem detail: a stable {@link ErrorCode}, a detail
 * for humans and, when one field is at fault, its JSON path (e.g. {@code entries[2].message}).
 * Extra {@link #properties()} (e.g. a query error's {@code line} and {@code column}) become
 * members of the problem detail.
 */
public class TimberException extends RuntimeException {

    /** The members every problem detail has; the others are a code's extra properties. */
    private static final Set<String> STANDARD_MEMBERS = Set.of("type", "title", "status", "detail", "instance", "code",
            "field");

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

    /**
     * Another TimberDB process's problem detail as an exception this process's advice renders
     * alike: its code, detail, field and extra members. A problem without a code (an answer that
     * is no problem detail) is {@code UNAVAILABLE} for a 503, {@code INTERNAL} for another 5xx and
     * {@code INVALID_FIELD} for a 4xx.
     *
     * @param status the answer's HTTP status
     * @param problem the answer's body as a JSON object, empty when it was none
     * @param who the process, for the detail of an answer without one ({@code "storage node s-1"})
     */
    public static TimberException relayed(int status, Map<String, ?> problem, String who) {
        ErrorCode code = problem.get("code") instanceof String s ? ErrorCode.fromCode(s)
                : status == 503 ? ErrorCode.UNAVAILABLE
                : status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_FIELD;
        String detail = problem.get("detail") instanceof String s ? s : who + " answered " + status;
        Map<String, Object> properties = new HashMap<>();
        problem.forEach((name, value) -> {
            if (!STANDARD_MEMBERS.contains(name) && value != null) {
                properties.put(name, value);
            }
        });
        return new TimberException(code, detail, problem.get("field") instanceof String f ? f : null, properties, null);
    }
}
