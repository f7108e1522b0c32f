package io.timberdb.storage.wal;

/** When the WAL forces written records to the disk. */
public enum FsyncPolicy {

    /**
     * {@code fdatasync} after every group of batches, before any of them is acknowledged: an
     * acknowledged entry survives a process kill, an OS crash and a power loss. The default.
     */
    PER_BATCH,

    /**
     * Acknowledge once the bytes are written (in the OS page cache); force at most every
     * {@code fsync-interval}, and when the writer goes idle. An acknowledged entry survives a
     * process kill; an OS crash or power loss may lose up to one interval of them.
     */
    INTERVAL,

    /**
     * Never force; acknowledge once the bytes are in the OS page cache. An acknowledged entry
     * survives a process kill but not an OS crash or power loss. For tests and benchmarks only.
     */
    NONE
}
