package io.timberdb.storage.codec;

/**
 * Bytes that should hold compressed or encoded data do not decode: a malformed compressed
 * stream, a wrong length, a truncated varint. Callers that know where the bytes came from (a
 * block reader) translate it into their own corruption exception with the file and offset.
 * Immutable; thread-safe.
 */
public class CodecException extends RuntimeException {

    public CodecException(String message) {
        super(message);
    }

    public CodecException(String message, Throwable cause) {
        super(message, cause);
    }
}
