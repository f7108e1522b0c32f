package io.timberdb.storage;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;

/**
 * A shard cannot take a batch now, and nothing of it was stored: its WAL's append queue is full
 * (the writer is behind), or the entries waiting to be sealed fill the memory set aside for them
 * and the seals did not catch up within the wait. Answered as {@code 503 UNAVAILABLE} with
 * {@code Retry-After}; the caller may retry the same batch. Immutable; thread-safe.
 */
public class ShardBusyException extends TimberException {

    public ShardBusyException(String detail) {
        super(ErrorCode.UNAVAILABLE, detail);
    }
}
