package io.timberdb.bench.data;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One generated log entry, with its two wire forms: TimberDB's NDJSON line and a ClickHouse
 * {@code JSONEachRow} row of the benchmark table (see {@link #CLICKHOUSE_TABLE_DDL}).
 *
 * @param index the entry's position in the data set (0-based)
 * @param epochSecond the timestamp's seconds since the epoch
 * @param nano the timestamp's nanoseconds within the second
 * @param system the loghub system, e.g. {@code HDFS}; tag {@code system}
 * @param source a host of the system's pool, e.g. {@code hdfs-node-07}
 * @param level trace, debug, info, notice, warn, error or fatal; tag {@code level}
 * @param component the component the line names, or null; tag {@code component}
 * @param message the sample's message with its digits re-randomised
 */
public record GeneratedEntry(long index, long epochSecond, int nano, String system, String source, String level,
                             String component, String message) {

    /**
     * The ClickHouse table the rows fit, for ClickHouse 18.16 (Debian bookworm's package), which
     * has neither {@code DateTime64} nor {@code Map}: the timestamp is a {@code DateTime} (seconds,
     * UTC) plus a {@code UInt32} of nanoseconds; {@code system} and {@code level} are columns of
     * their own; any other tag goes into the {@code tags} Nested column (two parallel arrays).
     * Use {@code %s} for the database-qualified table name.
     */
    public static final String CLICKHOUSE_TABLE_DDL = """
            CREATE TABLE IF NOT EXISTS %s (
              ts DateTime,
              ts_nanos UInt32,
              system String,
              source String,
              level String,
              tags Nested(key String, value String),
              message String
            ) ENGINE = MergeTree() ORDER BY (system, source, ts)""";

    /** The timestamp as an instant. */
    public Instant timestamp() {
        return Instant.ofEpochSecond(epochSecond, nano);
    }

    /** The tags as TimberDB stores them: system, level and (when present) component. */
    public Map<String, String> tags() {
        Map<String, String> tags = new LinkedHashMap<>();
        tags.put("system", system);
        tags.put("level", level);
        if (component != null) {
            tags.put("component", component);
        }
        return tags;
    }

    /**
     * Appends the entry as one NDJSON line of TimberDB's ingest API, newline included:
     * {@code {"timestamp":"…Z","source":…,"tags":{"system":…,"level":…,"component":…},"message":…}}
     * with the timestamp in RFC 3339, always nine fraction digits.
     */
    public StringBuilder appendNdjson(StringBuilder out) {
        out.append("{\"timestamp\":\"");
        appendTimestamp(out);
        out.append("\",\"source\":");
        Json.appendString(out, source);
        out.append(",\"tags\":{\"system\":");
        Json.appendString(out, system);
        out.append(",\"level\":");
        Json.appendString(out, level);
        if (component != null) {
            out.append(",\"component\":");
            Json.appendString(out, component);
        }
        out.append("},\"message\":");
        Json.appendString(out, message);
        return out.append("}\n");
    }

    /** Appends the timestamp in RFC 3339, UTC, with nine fraction digits: {@code 2026-10-31T07:12:00.123456789Z}. */
    public StringBuilder appendTimestamp(StringBuilder out) {
        return appendTimestamp(out, 9);
    }

    /**
     * Appends the timestamp in RFC 3339, UTC, with {@code fractionDigits} (1-9) fraction digits, the
     * rest truncated: {@code 2026-10-31T07:12:00.123456Z} for 6 (syslog's RFC 5424 allows at most 6).
     */
    public StringBuilder appendTimestamp(StringBuilder out, int fractionDigits) {
        if (fractionDigits < 1 || fractionDigits > 9) {
            throw new IllegalArgumentException("fraction digits must be 1 to 9, not " + fractionDigits);
        }
        appendDateTime(out, epochSecond, 'T');
        out.append('.');
        int fraction = nano;
        for (int i = fractionDigits; i < 9; i++) {
            fraction /= 10;
        }
        appendPadded(out, fraction, fractionDigits);
        return out.append('Z');
    }

    /** The timestamp as nanoseconds since the epoch (the generator's instants fit a long). */
    public long epochNanos() {
        return Math.addExact(Math.multiplyExact(epochSecond, 1_000_000_000L), nano);
    }

    /**
     * Appends the entry as one {@code JSONEachRow} row of {@link #CLICKHOUSE_TABLE_DDL}, newline
     * included: {@code {"ts":"YYYY-MM-DD hh:mm:ss","ts_nanos":…,"system":…,"source":…,"level":…,
     * "tags.key":[…],"tags.value":[…],"message":…}} (ts in UTC: the server runs with timezone UTC).
     */
    public StringBuilder appendClickHouseRow(StringBuilder out) {
        out.append("{\"ts\":\"");
        appendDateTime(out, epochSecond, ' ');
        out.append("\",\"ts_nanos\":").append(nano);
        out.append(",\"system\":");
        Json.appendString(out, system);
        out.append(",\"source\":");
        Json.appendString(out, source);
        out.append(",\"level\":");
        Json.appendString(out, level);
        if (component != null) {
            out.append(",\"tags.key\":[\"component\"],\"tags.value\":[");
            Json.appendString(out, component);
            out.append(']');
        } else {
            out.append(",\"tags.key\":[],\"tags.value\":[]");
        }
        out.append(",\"message\":");
        Json.appendString(out, message);
        return out.append("}\n");
    }

    private static void appendDateTime(StringBuilder out, long epochSecond, char separator) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        appendPadded(out, t.getYear(), 4);
        out.append('-');
        appendPadded(out, t.getMonthValue(), 2);
        out.append('-');
        appendPadded(out, t.getDayOfMonth(), 2);
        out.append(separator);
        appendPadded(out, t.getHour(), 2);
        out.append(':');
        appendPadded(out, t.getMinute(), 2);
        out.append(':');
        appendPadded(out, t.getSecond(), 2);
    }

    private static void appendPadded(StringBuilder out, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            out.append('0');
        }
        out.append(digits);
    }
}
