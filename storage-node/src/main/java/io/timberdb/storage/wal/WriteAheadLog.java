package io.timberdb.storage.wal;

import io.timberdb.storage.ShardBusyException;
import io.timberdb.storage.fs.Directories;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import io.timberdb.model.error.TimberException;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write-ahead log of one shard: a directory of segment files ({@link WalFormat}) written by
 * a single writer thread with group commit. {@link #append} encodes the batch on the caller's
 * thread and queues it; the writer takes every waiting batch, writes them, forces the file once
 * and only then hands them to the {@link Listener} and completes their futures. A full queue
 * refuses the batch at once with {@link ShardBusyException}.
 *
 * <p>Opening replays every segment into the listener and truncates a torn tail ({@link WalRecovery}).
 * A write or fsync failure takes the log offline: every waiting and later append fails, since
 * after a failed fsync the state of the written pages is unknown; reopening recovers.
 *
 * <p>Thread-safe: {@link #append} may be called from any thread; the listener is called from one
 * thread at a time (the opening thread during replay, then the writer thread) in sequence order.
 */
public final class WriteAheadLog implements Closeable {

    private static final Logger log = LoggerFactory.getLogger(WriteAheadLog.class);

    /** Receives every batch once it is durable, in sequence order. */
    @FunctionalInterface
    public interface Listener {

        /**
         * Called with a durable batch whose first entry has sequence number {@code baseSequence};
         * the entries stay encoded (the listener may keep the object: it is immutable).
         */
        void onDurable(long baseSequence, EncodedEntries entries);
    }

    /** Tells the writer thread to stop after the batches queued before it. */
    private static final Pending CLOSE = new Pending(EncodedEntries.EMPTY, -1);

    private final Path dir;
    private final String name;
    private final WalOptions options;
    private final Listener listener;
    private final Runnable beforeGroupWrite;
    private final BlockingQueue<Pending> queue;
    private final Thread writer;
    /** Appenders hold the read lock while checking {@link #closed} and queueing; close takes the write lock. */
    private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
    /** Guarded by {@link #lifecycle}. */
    private boolean closed;
    /** Set once by the writer on a write failure; volatile so appenders fail fast without a lock. */
    private volatile TimberException failure;
    /** Written by the writer after each group; volatile for readers on other threads. */
    private volatile long nextSequence;
    /** Written by the writer only; volatile for tests and metrics. */
    private volatile long groupCommits;
    /** Touched by the writer thread only (and by the opening thread before it starts). */
    private WalSegment segment;
    /** Forces of the open segment by the INTERVAL policy; written by the writer only, volatile for tests. */
    private volatile long intervalForces;
    /** INTERVAL policy: nanoTime of the oldest unforced write, 0 when none. Writer thread only. */
    private long unforcedSince;

    /** A queued batch; {@code expectedBase} is the base sequence it must get, or -1 for any. */
    private record Pending(EncodedEntries entries, long expectedBase, CompletableFuture<Long> done) {
        Pending(EncodedEntries entries, long expectedBase) {
            this(entries, expectedBase, new CompletableFuture<>());
        }
    }

    private WriteAheadLog(Path dir, String name, WalOptions options, Listener listener, Runnable beforeGroupWrite) {
        this.dir = dir;
        this.name = name;
        this.options = options;
        this.listener = listener;
        this.beforeGroupWrite = beforeGroupWrite;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.writer = new Thread(this::run, "wal-writer-" + name);
        this.writer.setDaemon(true);
    }

    /**
     * Opens (creating if needed) the log in {@code dir}, replaying every durable batch into
     * {@code listener} before returning.
     *
     * @param name a short label for the writer thread and logs, e.g. the shard id
     * @throws CorruptWalException when a segment is damaged beyond a torn tail
     * @throws UnsupportedWalVersionException when a segment has a format this build does not read
     */
    public static WriteAheadLog open(Path dir, String name, WalOptions options, Listener listener) throws IOException {
        return open(dir, name, options, 0, listener);
    }

    /**
     * As {@link #open(Path, String, WalOptions, Listener)}; a log without segments (new, or
     * emptied by {@link #deleteSegmentsIfSealed}) numbers its first entry {@code startSequence}.
     */
    public static WriteAheadLog open(Path dir, String name, WalOptions options, long startSequence, Listener listener)
            throws IOException {
        return open(dir, name, options, startSequence, listener, () -> { });
    }

    /** For tests: as {@link #open(Path, String, WalOptions, long, Listener, Runnable)} from sequence 0. */
    static WriteAheadLog open(Path dir, String name, WalOptions options, Listener listener, Runnable beforeGroupWrite)
            throws IOException {
        return open(dir, name, options, 0, listener, beforeGroupWrite);
    }

    /** As {@link #open(Path, String, WalOptions, long, Listener)}, running {@code beforeGroupWrite} on the writer before each group. */
    static WriteAheadLog open(Path dir, String name, WalOptions options, long startSequence, Listener listener,
                              Runnable beforeGroupWrite) throws IOException {
        Directories.createDurably(dir);
        WriteAheadLog wal = new WriteAheadLog(dir, name, options, listener, beforeGroupWrite);
        WalRecovery.Result recovered = WalRecovery.recover(dir, startSequence, listener);
        wal.nextSequence = recovered.nextSequence();
        wal.segment = recovered.lastSegment() == null
                ? WalSegment.create(dir, recovered.nextSequence())
                : WalSegment.openForAppend(recovered.lastSegment(), recovered.lastSegmentFirstSequence(),
                        recovered.lastSegmentSize());
        wal.writer.start();
        return wal;
    }

    /**
     * Appends a batch. The future completes with the batch's first sequence number once the batch
     * is durable (per the fsync policy) and the listener has seen it; it fails with a
     * {@link TimberException} when the log is offline or closed.
     *
     * @throws ShardBusyException when the queue is full (nothing was appended)
     * @throws TimberException {@code PAYLOAD_TOO_LARGE} when the batch exceeds the record size limit
     */
    public CompletableFuture<Long> append(List<LogEntry> entries) {
        TimberException failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(nextSequence);
        }
        return enqueue(EncodedEntries.encode(entries), -1);
    }

    /**
     * Appends a batch that is already encoded, at a given base sequence: a follower copying its
     * leader's batches keeps the leader's numbering. The future fails with
     * {@link SequenceMismatchException} (and nothing is written) when the log's next sequence is
     * not {@code expectedBase} by the time the batch is written.
     *
     * @throws ShardBusyException when the queue is full (nothing was appended)
     */
    public CompletableFuture<Long> appendAt(long expectedBase, EncodedEntries entries) {
        if (expectedBase < 0) {
            throw new IllegalArgumentException("negative base sequence " + expectedBase);
        }
        TimberException failed = failure;
        if (failed != null) {
            return CompletableFuture.failedFuture(failed);
        }
        if (entries.isEmpty()) {
            return CompletableFuture.completedFuture(nextSequence);
        }
        return enqueue(entries, expectedBase);
    }

    private CompletableFuture<Long> enqueue(EncodedEntries encoded, long expectedBase) {
        int length = encoded.encodedLength(0, encoded.size());
        if ((long) BatchCodec.ENTRIES_OFFSET + length > WalFormat.MAX_PAYLOAD_LENGTH) {
            throw new TimberException(ErrorCode.PAYLOAD_TOO_LARGE, "the batch encodes to " + length
                    + " bytes; the limit is " + WalFormat.MAX_PAYLOAD_LENGTH);
        }
        Pending pending = new Pending(encoded, expectedBase);
        lifecycle.readLock().lock();
        try {
            if (closed) {
                return CompletableFuture.failedFuture(new TimberException(ErrorCode.UNAVAILABLE,
                        "the WAL of shard " + name + " is closed"));
            }
            if (!queue.offer(pending)) {
                throw new ShardBusyException("shard " + name + " is busy: " + options.queueCapacity()
                        + " batches are waiting to be written; retry shortly");
            }
        } finally {
            lifecycle.readLock().unlock();
        }
        return pending.done();
    }

    /** The sequence number the next appended entry will get (= entries durable so far, from the first segment's start). */
    public long nextSequence() {
        return nextSequence;
    }

    /**
     * Deletes the segments whose every entry has a sequence number below {@code sealed} (they are
     * in durable blocks). The newest segment is kept while the log is open: the writer appends to
     * it. Once the log is closed and everything is sealed, every segment goes, and the next open
     * starts empty at the sealed sequence. Safe to call from any thread.
     *
     * @return how many segment files were deleted
     */
    public int deleteSegmentsIfSealed(long sealed) throws IOException {
        List<Path> segments = WalRecovery.listSegments(dir, false); // the writer may be rolling meanwhile
        boolean allSealed = isClosed() && nextSequence <= sealed;
        int deleted = 0;
        for (int i = 0; i < segments.size(); i++) {
            boolean last = i == segments.size() - 1;
            long nextFirst = last ? nextSequence
                    : WalFormat.parseSegmentName(segments.get(i + 1).getFileName().toString());
            if (last ? allSealed : nextFirst <= sealed) {
                Files.delete(segments.get(i));
                deleted++;
            }
        }
        if (deleted > 0) {
            Directories.sync(dir);
        }
        return deleted;
    }

    private boolean isClosed() {
        lifecycle.readLock().lock();
        try {
            return closed && !writer.isAlive();
        } finally {
            lifecycle.readLock().unlock();
        }
    }

    /** Why the log went offline, or null while it is healthy. */
    public TimberException failure() {
        return failure;
    }

    /** The directory holding the segments. */
    public Path directory() {
        return dir;
    }

    /** Groups forced so far; each acknowledged one or more batches. */
    long groupCommits() {
        return groupCommits;
    }

    /** Stops accepting appends, writes every batch already queued, then closes the files. Idempotent. */
    @Override
    public void close() {
        lifecycle.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
        } finally {
            lifecycle.writeLock().unlock();
        }
        try {
            queue.put(CLOSE); // the writer keeps draining, so this waits at most for one group
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while closing the WAL of shard {}", name);
        }
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                Pending next = unforcedSince == 0 ? queue.take()
                        : queue.poll(options.fsyncInterval().toNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    forceIfDue(true); // idle with unforced records (INTERVAL policy)
                    continue;
                }
                group.add(next);
            } catch (InterruptedException e) {
                continue; // nobody interrupts the writer; CLOSE is the only way out
            } catch (IOException e) {
                offline(e);
                continue;
            }
            queue.drainTo(group);
            stop = group.removeIf(p -> p == CLOSE); // appends after CLOSE are impossible: close() set closed first
            if (!group.isEmpty()) {
                try {
                    writeGroup(group);
                } catch (Throwable t) {
                    fail(group, offline(t));
                }
            }
            group.clear();
        }
        try {
            if (failure == null) {
                forceIfDue(true);
            }
            segment.close();
        } catch (IOException e) {
            log.warn("closing {} failed", segment.file(), e);
        }
    }

    private void writeGroup(List<Pending> group) throws IOException {
        if (failure != null) {
            fail(group, failure);
            return;
        }
        beforeGroupWrite.run();
        dropMisplaced(group);
        if (group.isEmpty()) {
            return;
        }
        long sequence = nextSequence;
        long[] bases = new long[group.size()];
        List<ByteBuffer> buffers = new ArrayList<>(group.size() * 2);
        long buffered = 0;
        for (int i = 0; i < group.size(); i++) {
            Pending p = group.get(i);
            EncodedEntries entries = p.entries();
            int entriesLength = entries.encodedLength(0, entries.size());
            int payloadLength = BatchCodec.ENTRIES_OFFSET + entriesLength;
            long frameLength = WalFormat.FRAME_HEADER_SIZE + (long) payloadLength;
            if (!(segment.isEmpty() && buffered == 0) && segment.size() + buffered + frameLength > options.segmentBytes()) {
                flush(buffers);
                buffered = 0;
                roll(sequence);
            }
            addFrame(buffers, sequence, entries);
            buffered += frameLength;
            bases[i] = sequence;
            sequence += p.entries().size();
        }
        flush(buffers);
        if (options.fsyncPolicy() == FsyncPolicy.PER_BATCH) {
            segment.force();
        } else if (options.fsyncPolicy() == FsyncPolicy.INTERVAL) {
            if (unforcedSince == 0) {
                unforcedSince = System.nanoTime();
            }
            forceIfDue(false);
        }
        groupCommits++;
        for (int i = 0; i < group.size(); i++) {
            listener.onDurable(bases[i], group.get(i).entries());
        }
        nextSequence = sequence;
        for (int i = 0; i < group.size(); i++) {
            group.get(i).done().complete(bases[i]);
        }
    }

    /** Adds the frame of one batch (header, then the encoded entries, unchanged) to {@code buffers}. */
    static void addFrame(List<ByteBuffer> buffers, long baseSequence, EncodedEntries entries) {
        int entriesLength = entries.encodedLength(0, entries.size());
        int payloadLength = BatchCodec.ENTRIES_OFFSET + entriesLength;
        ByteBuffer head = ByteBuffer.allocate(WalFormat.FRAME_HEADER_SIZE + BatchCodec.ENTRIES_OFFSET);
        head.putInt(payloadLength).putInt(0);
        BatchCodec.putHeader(head, baseSequence, entries.size());
        CRC32C crc = new CRC32C();
        crc.update(head.array(), WalFormat.FRAME_HEADER_SIZE, BatchCodec.ENTRIES_OFFSET);
        crc.update(entries.bytes(), entries.start(0), entriesLength);
        head.putInt(WalFormat.CRC_OFFSET, (int) crc.getValue());
        buffers.add(head.flip());
        buffers.add(ByteBuffer.wrap(entries.bytes(), entries.start(0), entriesLength));
    }

    /** Fails and removes the batches that would not get the base sequence they expect. */
    private void dropMisplaced(List<Pending> group) {
        long sequence = nextSequence;
        for (var it = group.iterator(); it.hasNext(); ) {
            Pending p = it.next();
            if (p.expectedBase() >= 0 && p.expectedBase() != sequence) {
                p.done().completeExceptionally(new SequenceMismatchException(name, p.expectedBase(), sequence));
                it.remove();
            } else {
                sequence += p.entries().size();
            }
        }
    }

    /** INTERVAL policy: forces the segment when records have waited an interval, or now when {@code idle}. */
    private void forceIfDue(boolean idle) throws IOException {
        if (unforcedSince != 0 && (idle || System.nanoTime() - unforcedSince >= options.fsyncInterval().toNanos())) {
            segment.force();
            unforcedSince = 0;
            intervalForces++;
        }
    }

    /** How often the INTERVAL policy has forced (tests). */
    long intervalForces() {
        return intervalForces;
    }

    private void flush(List<ByteBuffer> buffers) throws IOException {
        if (!buffers.isEmpty()) {
            segment.write(buffers.toArray(new ByteBuffer[0]));
            buffers.clear();
        }
    }

    private void roll(long firstSequence) throws IOException {
        if (options.fsyncPolicy() != FsyncPolicy.NONE) {
            segment.force(); // an earlier segment never has a torn tail: recovery relies on it
            unforcedSince = 0;
        }
        segment.close();
        segment = WalSegment.create(dir, firstSequence);
        log.debug("WAL of shard {} rolled to {}", name, segment.file());
    }

    private TimberException offline(Throwable cause) {
        boolean full = false;
        for (Throwable t = cause; t != null && !full; t = t.getCause()) {
            full = t instanceof IOException && String.valueOf(t.getMessage()).contains("No space left"); // ENOSPC
        }
        TimberException e = new TimberException(full ? ErrorCode.INSUFFICIENT_STORAGE : ErrorCode.UNAVAILABLE,
                "shard " + name + " is offline: its WAL in " + dir + " failed: " + cause, null, cause);
        if (failure == null) {
            log.error("WAL of shard {} in {} failed; its writes fail until the shard is reopened", name, dir, cause);
            failure = e;
        }
        return failure;
    }

    private static void fail(List<Pending> group, TimberException e) {
        for (Pending p : group) {
            p.done().completeExceptionally(e);
        }
    }
}
