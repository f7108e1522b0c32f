package io.timberdb.ingest.otlp;

import java.util.Map;

/**
 * One decoded OTLP log record, as either encoding sends it, with the context it was sent in.
 *
 * @param path the record's request path, {@code resourceLogs[i].scopeLogs[j].logRecords[k]}
 * @param resource the resource it was sent under
 * @param scopeName the instrumentation scope's name, or null
 * @param scopeVersion the instrumentation scope's version, or null
 * @param timeUnixNano {@code time_unix_nano}, an unsigned 64-bit count held in a long; 0 when unset
 * @param observedTimeUnixNano {@code observed_time_unix_nano}, as {@code timeUnixNano}
 * @param severityNumber the {@code SeverityNumber} enum value; 0 when unset
 * @param severityText the severity text, or null
 * @param body the body as an {@link AnyValues} tree, or null when unset
 * @param attributes the record's attributes, flattened ({@link AnyValues#flatten})
 * @param traceId the trace id in lower-case hex, or null when empty
 * @param spanId the span id in lower-case hex, or null when empty
 */
record OtlpLog(String path, Resource resource, String scopeName, String scopeVersion, long timeUnixNano,
               long observedTimeUnixNano, int severityNumber, String severityText, Object body,
               Map<String, String> attributes, String traceId, String spanId) {

    /** This record sent under {@code resource} and scope {@code scopeName} {@code scopeVersion}. */
    OtlpLog in(Resource resource, String scopeName, String scopeVersion) {
        return new OtlpLog(path, resource, scopeName, scopeVersion, timeUnixNano, observedTimeUnixNano, severityNumber,
                severityText, body, attributes, traceId, spanId);
    }

    /**
     * A resource: its path ({@code resourceLogs[i].resource}) and its attributes, flattened; one
     * instance is shared by all the records sent under it.
     */
    record Resource(String path, Map<String, String> attributes) {
    }
}
