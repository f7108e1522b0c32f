package io.timberdb.storage.wal;

/**
 * How a {@link WriteAheadLog} writes.
 *
 * @param fsyncPolicy when records are forced to disk
 * @param queueCapacity the most batches waiting for the writer; one more is refused with
 *        {@link WalBusyException}
 * @param segmentBytes the size at which the log rolls to a new segment file (a single batch
 *        larger than this still goes into one segment)
 */
public record WalOptions(FsyncPolicy fsyncPolicy, int queueCapacity, long segmentBytes) {

    /** Durable per batch, 1024 queued batches, 64 MiB segments. */
    public static final WalOptions DEFAULTS = new WalOptions(FsyncPolicy.PER_BATCH, 1024, 64L * 1024 * 1024);

    public WalOptions {
        if (fsyncPolicy == null) {
            throw new IllegalArgumentException("fsyncPolicy is required");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        if (segmentBytes < WalFormat.HEADER_SIZE + WalFormat.FRAME_HEADER_SIZE + WalFormat.MIN_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("segmentBytes is too small: " + segmentBytes);
        }
    }
}
