package io.timberdb.storage.shard;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.storage.ShardBusyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Un-sealed entries live in memory, so the store bounds them: appends wait for seals past the
 * bound, and are refused as busy (nothing stored) when seals cannot make room.
 */
class ShardStoreBackpressureTest {

    /** Rotation that never falls due by itself: only memory pressure seals. */
    static final StoreOptions NEVER_DUE = StoreOptions.DEFAULTS
            .withRotation(new BlockRotation(BlockRotation.Type.COUNT, Long.MAX_VALUE))
            .withMaxUnsealedBytes(BlockRotation.MAX_ACTIVE_BYTES);
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /** A batch's bytes are about 5 MB: the slack allowed over the bound is one batch. */
    static final long ONE_BATCH = 6_000_000L;

    /** {@code n} entries of about 10 KB each, so that a few batches fill an active block. */
    static List<LogEntry> bigBatch(int from, int n) {
        String filler = "x".repeat(10_000);
        List<LogEntry> entries = new ArrayList<>();
        for (int i = from; i < from + n; i++) {
            entries.add(new LogEntry(String.format("00000000-0000-7000-8000-%012d", i),
                    Instant.parse("2026-11-26T00:00:00Z").plusMillis(i), "host-" + (i % 3), Map.of("n", "" + (i % 5)),
                    "entry " + i + " " + filler));
        }
        return entries;
    }

    @Test
    void appendsPastTheBoundWaitForSealsAndMemoryStaysBounded() {
        ShardId shard = new ShardId("p", 0);
        try (ShardStore store = new ShardStore(dir, NEVER_DUE)) {
            long peak = 0;
            for (int b = 0; b < 16; b++) { // 16 x 500 x 10 KB = 80 MB, more than the 64 MiB bound
                store.append(shard, bigBatch(b * 500, 500)).block(WAIT);
                peak = Math.max(peak, store.unsealedBytes());
            }
            assertThat(store.stats().blocks()).as("memory pressure sealed blocks though no rotation was due")
                    .isPositive();
            assertThat(peak).as("un-sealed bytes stay within the bound plus one batch")
                    .isLessThanOrEqualTo(NEVER_DUE.maxUnsealedBytes() + ONE_BATCH);
            assertThat(store.query(shard, new ShardQuery(QueryFilter.ALL, 10_000)).block(WAIT).entries())
                    .as("every acknowledged entry is served once").extracting(LogEntry::id)
                    .doesNotHaveDuplicates().hasSize(16 * 500);
        }
    }

    @Test
    void whenSealsCannotMakeRoomAppendsAreRefusedAsBusyAndStoreNothing() throws Exception {
        ShardId shard = new ShardId("p", 0);
        try (ShardStore store = new ShardStore(dir, NEVER_DUE)) {
            store.roomWait(Duration.ofMillis(500));
            store.append(shard, bigBatch(0, 1)).block(WAIT);
            // a file where the blocks directory belongs: every seal fails, root or not
            Path blocks = dir.resolve("shards/p/0").resolve(ShardFiles.BLOCKS_DIR);
            Files.deleteIfExists(blocks);
            Files.writeString(blocks, "not a directory");
            int accepted = 1;
            Throwable refused = null;
            for (int b = 1; b < 30 && refused == null; b++) {
                try {
                    store.append(shard, bigBatch(b * 500, 500)).block(WAIT);
                    accepted += 500;
                } catch (ShardBusyException e) {
                    refused = e;
                }
            }
            assertThat(refused).as("an append past the bound is refused once seals fail")
                    .isInstanceOf(ShardBusyException.class)
                    .hasMessageContaining("timberdb.storage.max-unsealed-size");
            assertThat(store.unsealedBytes()).isLessThanOrEqualTo(NEVER_DUE.maxUnsealedBytes() + ONE_BATCH);
            assertThat(store.query(shard, new ShardQuery(QueryFilter.ALL, 20_000)).block(WAIT).entries())
                    .as("what was acknowledged, and nothing of the refused batch").hasSize(accepted);

            Files.delete(blocks); // space, so to speak, returns: seals succeed and appends resume
            store.roomWait(WAIT);
            store.append(shard, bigBatch(100_000, 10)).block(WAIT);
            assertThat(store.query(shard, new ShardQuery(QueryFilter.ALL, 20_000)).block(WAIT).entries())
                    .hasSize(accepted + 10);
        }
    }
}
