package io.timberdb.bench.load;

import io.timberdb.bench.data.GenerateCommand.Format;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/**
 * Cuts a data set's chunk files into batches of N lines, pass after pass, ahead of the clients:
 * it fills a bounded queue, and ends it with one {@link Batch#END} per client. It stops early when
 * a client reports a failure, or at a deadline (the batches already queued are still sent).
 *
 * <p>Runs on one thread ({@link #run()}); {@link #timedOut()} is read after joining it.
 */
final class BatchReader implements Runnable {

    private final List<Path> files;
    private final int batchSize;
    private final long maxEntries;
    private final int passes;
    private final int clients;
    private final BlockingQueue<Batch> queue;
    private final AtomicReference<String> failure;
    /** System.nanoTime() after which no new batch is read; 0: none. */
    private final long deadline;
    /** Whether the deadline cut the run short; written by the reader thread. */
    private volatile boolean timedOut;

    BatchReader(List<Path> files, int batchSize, long maxEntries, int passes, int clients, BlockingQueue<Batch> queue,
                AtomicReference<String> failure, long deadline) {
        this.files = files;
        this.batchSize = batchSize;
        this.maxEntries = maxEntries;
        this.passes = passes;
        this.clients = clients;
        this.queue = queue;
        this.failure = failure;
        this.deadline = deadline;
    }

    /** The chunk files of {@code format} in {@code dir}, in order (none when {@code dir} is missing). */
    static List<Path> chunkFiles(Path dir, Format format) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith("chunk-") && name.endsWith(format.suffix);
            }).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Whether the deadline stopped the reading before every batch was queued. */
    boolean timedOut() {
        return timedOut;
    }

    @Override
    public void run() {
        try {
            for (int pass = 0; pass < passes && failure.get() == null; pass++) {
                long taken = 0;
                for (Path file : files) {
                    if (taken >= maxEntries || failure.get() != null) {
                        break;
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    int start = 0;
                    int lines = 0;
                    for (int i = 0; i < bytes.length && taken < maxEntries; i++) {
                        if (bytes[i] != '\n') {
                            continue;
                        }
                        if (lines == 0 && deadline != 0 && System.nanoTime() - deadline > 0) {
                            timedOut = true;
                            return; // the finally block tells the clients to stop
                        }
                        lines++;
                        taken++;
                        if (lines == batchSize || taken == maxEntries) {
                            put(new Batch(Arrays.copyOfRange(bytes, start, i + 1), lines));
                            start = i + 1;
                            lines = 0;
                        }
                    }
                    if (lines > 0) { // a partial batch at the end of a file is sent on its own
                        put(new Batch(Arrays.copyOfRange(bytes, start, bytes.length), lines));
                    }
                }
            }
        } catch (IOException e) {
            failure.compareAndSet(null, "reading the data set failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, "interrupted");
        } finally {
            for (int c = 0; c < clients; c++) {
                try {
                    queue.put(Batch.END); // the clients drain the queue, so this cannot wait forever
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void put(Batch batch) throws InterruptedException {
        while (!queue.offer(batch, 1, TimeUnit.SECONDS)) {
            if (failure.get() != null) {
                return; // the clients stopped sending; drop the rest
            }
        }
    }
}
