package io.timberdb.model.api;

import java.util.List;

/** The body of {@code GET /api/v1/partitions}: {@code {"partitions": [...]}}, oldest first. */
public record PartitionList(List<Partition> partitions) {
}
