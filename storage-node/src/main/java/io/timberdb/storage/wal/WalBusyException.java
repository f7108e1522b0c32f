package io.timberdb.storage.wal;

import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;

/**
 * The shard's append queue is full: the writer is behind, so the batch is refused at once
 * rather than queued without bound. Answered as {@code 503 UNAVAILABLE} with {@code Retry-After};
 * the caller may retry the same batch. Immutable; thread-safe.
 */
public class WalBusyException extends TimberException {

    /** The suggested wait before retrying, in seconds. */
    public static final int RETRY_AFTER_SECONDS = 1;

    public WalBusyException(String detail) {
        super(ErrorCode.UNAVAILABLE, detail);
    }
}
