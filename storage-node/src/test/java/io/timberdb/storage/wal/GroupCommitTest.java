package io.timberdb.storage.wal;

import io.timberdb.storage.ShardBusyException;
import static io.timberdb.storage.wal.TestEntries.batch;
import static io.timberdb.storage.wal.TestEntries.replay;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.error.ErrorCode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One writer per shard drains everything queued, fsyncs once, and refuses work beyond its bounded queue. */
class GroupCommitTest {

    @TempDir
    Path dir;

    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger writerWaiting = new AtomicInteger();

    /** Holds the writer before its first group until {@link #release} opens. */
    private void holdWriter() {
        writerWaiting.incrementAndGet();
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void releaseWriter() {
        release.countDown();
    }

    @Test
    void manyConcurrentAppendsCompleteAndAllAreDurableAfterReopen() throws Exception {
        int threads = 8;
        int appendsPerThread = 100;
        List<Future<List<CompletableFuture<Long>>>> submitted = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long groups;
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", new WalOptions(FsyncPolicy.PER_BATCH, 4096,
                WalOptions.DEFAULTS.segmentBytes()), (b, e) -> { })) {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(pool.submit(() -> {
                    List<CompletableFuture<Long>> acks = new ArrayList<>();
                    for (int i = 0; i < appendsPerThread; i++) {
                        acks.add(wal.append(batch("t" + thread + "-" + i, 1 + i % 3)));
                    }
                    return acks;
                }));
            }
            for (Future<List<CompletableFuture<Long>>> f : submitted) {
                CompletableFuture.allOf(f.get(30, TimeUnit.SECONDS).toArray(new CompletableFuture[0]))
                        .get(60, TimeUnit.SECONDS);
            }
            groups = wal.groupCommits();
        } finally {
            pool.shutdownNow();
        }
        int appends = threads * appendsPerThread;
        assertThat(groups).isBetween(1L, (long) appends);
        List<LogEntry> replayed = replay(dir);
        Set<String> ids = replayed.stream().map(LogEntry::id).collect(Collectors.toSet());
        assertThat(ids).hasSize(replayed.size());
        int expected = 0;
        for (int i = 0; i < appendsPerThread; i++) {
            expected += 1 + i % 3;
        }
        assertThat(replayed).hasSize(threads * expected);
        for (int t = 0; t < threads; t++) {
            assertThat(ids).contains("t" + t + "-0-0", "t" + t + "-" + (appendsPerThread - 1) + "-0");
        }
    }

    @Test
    void batchesQueuedWhileTheWriterIsBusyShareOneFsync() throws Exception {
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { }, this::holdWriterOnce)) {
            CompletableFuture<Long> first = wal.append(batch("first", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> writerWaiting.get() == 1);
            List<CompletableFuture<Long>> queued = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                queued.add(wal.append(batch("q" + i, 2)));
            }
            assertThat(queued).noneMatch(CompletableFuture::isDone);
            release.countDown();
            first.get(10, TimeUnit.SECONDS);
            CompletableFuture.allOf(queued.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            assertThat(wal.groupCommits()).as("the first batch, then the ten queued ones together").isEqualTo(2);
            assertThat(queued.get(9).get()).isEqualTo(1L + 9 * 2);
        }
        assertThat(replay(dir)).hasSize(21);
    }

    private final AtomicInteger groupsSeen = new AtomicInteger();

    private void holdWriterOnce() {
        if (groupsSeen.getAndIncrement() == 0) {
            holdWriter();
        }
    }

    @Test
    void aFullQueueAnswersBusyAtOnceAndLosesNothingAccepted() throws Exception {
        WalOptions tiny = new WalOptions(FsyncPolicy.PER_BATCH, 2, WalOptions.DEFAULTS.segmentBytes());
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", tiny, (b, e) -> { }, this::holdWriterOnce)) {
            CompletableFuture<Long> taken = wal.append(batch("taken", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> writerWaiting.get() == 1);
            CompletableFuture<Long> queued1 = wal.append(batch("queued1", 1));
            CompletableFuture<Long> queued2 = wal.append(batch("queued2", 1));
            assertThatThrownBy(() -> wal.append(batch("refused", 1)))
                    .isInstanceOfSatisfying(ShardBusyException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE))
                    .hasMessageContaining("busy");
            release.countDown();
            CompletableFuture.allOf(taken, queued1, queued2).get(10, TimeUnit.SECONDS);
            assertThat(wal.append(batch("later", 1)).get(10, TimeUnit.SECONDS)).isEqualTo(3L);
        }
        assertThat(replay(dir)).extracting(LogEntry::id)
                .containsExactly("taken-0", "queued1-0", "queued2-0", "later-0");
    }

    @Test
    void aWriteFailureTakesTheLogOfflineAndFailsEveryWaitingAndLaterAppend() throws Exception {
        Runnable failingDisk = () -> {
            holdWriterOnce();
            throw new java.io.UncheckedIOException(new java.io.IOException("No space left on device"));
        };
        try (WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { }, failingDisk)) {
            CompletableFuture<Long> first = wal.append(batch("first", 1));
            await().atMost(Duration.ofSeconds(10)).until(() -> writerWaiting.get() == 1);
            CompletableFuture<Long> waiting = wal.append(batch("waiting", 1));
            release.countDown();
            for (CompletableFuture<Long> f : List.of(first, waiting)) {
                assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).cause()
                        .isInstanceOfSatisfying(io.timberdb.model.error.TimberException.class,
                                e -> assertThat(e.code()).isEqualTo(ErrorCode.INSUFFICIENT_STORAGE));
            }
            assertThat(wal.failure()).isNotNull().hasMessageContaining("offline");
            assertThat(wal.append(batch("later", 1))).isCompletedExceptionally();
        }
        assertThat(replay(dir)).isEmpty();
    }

    @Test
    void closeWritesWhatIsQueuedBeforeStopping() throws Exception {
        List<CompletableFuture<Long>> queued = new ArrayList<>();
        WriteAheadLog wal = WriteAheadLog.open(dir, "t", WalOptions.DEFAULTS, (b, e) -> { }, this::holdWriterOnce);
        queued.add(wal.append(batch("a", 1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> writerWaiting.get() == 1);
        queued.add(wal.append(batch("b", 1)));
        CompletableFuture<Void> closing = CompletableFuture.runAsync(wal::close);
        release.countDown();
        closing.get(10, TimeUnit.SECONDS);
        CompletableFuture.allOf(queued.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
        assertThat(replay(dir)).hasSize(2);
    }
}
