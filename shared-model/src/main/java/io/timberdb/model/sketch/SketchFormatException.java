package io.timberdb.model.sketch;

/**
 * Bytes (or base64 text) that should hold a serialized sketch do not: a wrong magic, precision,
 * form or length, hashes out of order, a register out of range. Immutable; thread-safe.
 */
public class SketchFormatException extends RuntimeException {

    public SketchFormatException(String reason) {
        super("not a HyperLogLog sketch: " + reason);
    }
}
