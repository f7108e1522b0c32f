package io.timberdb.storage.wal;

import io.timberdb.storage.ShardBusyException;
import java.time.Duration;

/**
 * How a {@link WriteAheadLog} writes.
 *
 * @param fsyncPolicy when records are forced to disk
 * @param queueCapacity the most batches waiting for the writer; one more is refused with
 *        {@link ShardBusyException}
 * @param segmentBytes the size at which the log rolls to a new segment file (a single batch
 *        larger than this still goes into one segment)
 * @param fsyncInterval with {@link FsyncPolicy#INTERVAL}: the longest time written records stay unforced
 */
public record WalOptions(FsyncPolicy fsyncPolicy, int queueCapacity, long segmentBytes, Duration fsyncInterval) {

    /** The spec's {@code fsync_interval} default. */
    public static final Duration DEFAULT_FSYNC_INTERVAL = Duration.ofMillis(1000);

    /** Durable per batch, 1024 queued batches, 64 MiB segments. */
    public static final WalOptions DEFAULTS = new WalOptions(FsyncPolicy.PER_BATCH, 1024, 64L * 1024 * 1024);

    /** Options with the default fsync interval. */
    public WalOptions(FsyncPolicy fsyncPolicy, int queueCapacity, long segmentBytes) {
        this(fsyncPolicy, queueCapacity, segmentBytes, DEFAULT_FSYNC_INTERVAL);
    }

    public WalOptions {
        if (fsyncPolicy == null) {
            throw new IllegalArgumentException("fsyncPolicy is required");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queueCapacity must be at least 1, was " + queueCapacity);
        }
        if (fsyncInterval == null || fsyncInterval.isNegative() || fsyncInterval.isZero()) {
            throw new IllegalArgumentException("fsyncInterval must be positive, was " + fsyncInterval);
        }
        if (segmentBytes < WalFormat.HEADER_SIZE + WalFormat.FRAME_HEADER_SIZE + WalFormat.MIN_PAYLOAD_LENGTH) {
            throw new IllegalArgumentException("segmentBytes is too small: " + segmentBytes);
        }
    }
}
