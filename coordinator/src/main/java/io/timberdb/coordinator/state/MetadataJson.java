package io.timberdb.coordinator.state;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The JSON mapper of the metadata formats (commands and snapshots), independent of the web
 * layer's mapper so that a change to HTTP serialization never changes what is on disk.
 * Strict on input: an unknown property means a format this build does not understand.
 * Thread-safe (an immutable mapper).
 */
final class MetadataJson {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private MetadataJson() {
    }
}
