package io.timberdb.ingest.loki;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One stream of a decoded push, as either protocol sends it, with the request paths of its parts
 * for error messages.
 *
 * @param labelsPath the path of the labels: {@code streams[i].stream} (JSON, an object: a label's
 *        own path is {@code streams[i].stream.<name>}) or {@code streams[i].labels} (protobuf, one
 *        text: every label's path is the text's)
 * @param labelObject whether a label has a path of its own under {@code labelsPath}
 * @param labels the stream labels, in the order sent
 * @param entries the stream's entries, in the order sent
 */
record PushedStream(String labelsPath, boolean labelObject, Map<String, String> labels, List<Entry> entries) {

    /** The path of label {@code name} of this stream. */
    String labelPath(String name) {
        return labelObject ? labelsPath + "." + name : labelsPath;
    }

    /**
     * One log line.
     *
     * @param path {@code streams[i].values[j]} (JSON) or {@code streams[i].entries[j]} (protobuf)
     * @param metadata the structured metadata, empty when there is none
     */
    record Entry(String path, Instant timestamp, String line, Map<String, String> metadata) {
    }
}
