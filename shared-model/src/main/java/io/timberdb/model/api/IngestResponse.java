package io.timberdb.model.api;

import java.util.List;

/**
 * The answer to a write: the ids of the stored entries, in the order they were sent.
 *
 * @param partition the partition's id
 * @param accepted how many entries were stored (all of them, or the request failed as a whole)
 */
public record IngestResponse(String partition, int accepted, List<String> ids) {
}
