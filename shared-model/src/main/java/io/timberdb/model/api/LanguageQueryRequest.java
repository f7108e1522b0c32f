package io.timberdb.model.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code POST /api/v1/query}: a query of the language (docs/query-language.md).
 *
 * @param query the query text, e.g. {@code SELECT * FROM hdfs WHERE level = 'WARN' LIMIT 50}
 * @param timeoutSeconds how long the query may run; the server's default when null
 * @param cursor the {@code next_cursor} of an earlier answer to the same query, to continue after it;
 *        null for the first page
 */
public record LanguageQueryRequest(String query, @JsonProperty("timeout_seconds") Integer timeoutSeconds,
                                   String cursor) {
}
