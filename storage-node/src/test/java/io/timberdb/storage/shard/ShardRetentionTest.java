package io.timberdb.storage.shard;

import static io.timberdb.storage.shard.ShardSealingTest.batch;
import static io.timberdb.storage.shard.ShardSealingTest.ids;
import static io.timberdb.storage.shard.ShardSealingTest.query;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.manifest.BlockRef;
import io.timberdb.storage.manifest.ManifestFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Retention: sealed blocks past their partition's retention are deleted, crash-safely, and stay deleted. */
class ShardRetentionTest {

    static final ShardId ID = new ShardId("p", 0);
    /** Entry i of {@link ShardSealingTest#batch} is at 2026-11-26T00:00:00Z + i s; one day later, less 150 s. */
    static final Instant NOW = Instant.parse("2026-11-27T00:02:30Z");
    static final RetentionPolicy ONE_DAY = partition -> partition.equals("p") ? Optional.of(Duration.ofDays(1)) : Optional.empty();

    @TempDir
    Path dir;

    final BlockCache cache = new BlockCache(8 << 20, 8 << 20);

    /** Three sealed blocks (entries 0-99, 100-199, 200-299) and 20 entries in the active block. */
    Shard threeBlocks() throws IOException {
        Shard shard = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache);
        for (int i = 0; i < 3; i++) {
            shard.append(batch(i * 100, 100)).join();
            shard.seal();
        }
        shard.append(batch(300, 20)).join();
        return shard;
    }

    List<String> blockFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve(ShardFiles.BLOCKS_DIR))) {
            return files.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void blocksWhoseNewestEntryIsPastRetentionGoAndStayGone() throws IOException {
        Shard shard = threeBlocks();
        ShardStore.Expired gone = shard.expireBefore(NOW.minus(Duration.ofDays(1)));

        assertThat(gone.blocks()).as("only 0-99 is wholly older than entry 150").isEqualTo(1);
        assertThat(gone.entries()).isEqualTo(100);
        assertThat(gone.bytes()).isPositive();
        assertThat(ids(query(shard, QueryFilter.ALL))).hasSize(220).doesNotContain(batch(99, 1).get(0).id())
                .contains(batch(100, 1).get(0).id());
        assertThat(shard.state().blocks()).extracting(b -> b.ref().firstSequence()).containsExactly(100L, 200L);
        assertThat(blockFiles()).containsExactly(ShardFiles.blockName(100), ShardFiles.blockName(200));
        assertThat(shard.expireBefore(NOW.minus(Duration.ofDays(1))).blocks()).as("idempotent").isZero();
        shard.close();

        Shard reopened = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache);
        assertThat(ids(query(reopened, QueryFilter.ALL))).as("nothing comes back from the WAL").hasSize(220);
        assertThat(new ManifestFile(dir, ManifestFile.CrashPoints.NONE).load().blocks()).extracting(BlockRef::firstSequence)
                .containsExactly(100L, 200L, 300L);
        reopened.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"save-expired-manifest", "write-temp", "force-temp", "rename", "force-directory",
        "delete-expired-blocks"})
    void aCrashAtAnyStepOfAnExpiryLeavesEitherAllOrNoneOfTheBlock(String step) throws IOException {
        threeBlocks().close();
        Shard crashing = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache, s -> {
            if (s.equals(step)) {
                throw new UncheckedIOException(new IOException("crash before " + s));
            }
        });
        assertThatThrownBy(() -> crashing.expireBefore(NOW.minus(Duration.ofDays(1)))).isInstanceOf(UncheckedIOException.class);
        crashing.abandon();

        Shard recovered = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache);
        int held = ids(query(recovered, QueryFilter.ALL)).size();
        assertThat(held).as("the expired block is wholly there or wholly gone").isIn(320, 220);
        assertThat(blockFiles()).hasSize(held == 320 ? 4 : 3);
        assertThat(recovered.expireBefore(NOW.minus(Duration.ofDays(1))).entries()).isEqualTo(320L - held == 0 ? 100 : 0);
        assertThat(ids(query(recovered, QueryFilter.ALL))).hasSize(220);
        assertThat(blockFiles()).hasSize(3);
        recovered.close();
    }

    @Test
    void theStoreExpiresEachPartitionByItsOwnRetentionAndLeavesUnknownPartitionsAlone() throws IOException {
        try (ShardStore store = new ShardStore(dir, ShardSealingTest.COUNT_100)) {
            int sealed = 0;
            for (String partition : List.of("p", "unknown")) {
                for (int i = 0; i < 3; i++) {
                    store.append(new ShardId(partition, 0), batch(i * 100, 100)).block();
                    int blocks = ++sealed;
                    // one block per batch: wait for the background seal before the next batch
                    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().blocks() == blocks);
                }
            }
            ShardStore.Expired gone = store.expire(ONE_DAY, NOW);
            assertThat(gone.entries()).isEqualTo(100);
            assertThat(store.query(new ShardId("p", 0), new ShardQuery(QueryFilter.ALL, 1000)).block().matched())
                    .isEqualTo(200);
            assertThat(store.query(new ShardId("unknown", 0), new ShardQuery(QueryFilter.ALL, 1000)).block().matched())
                    .as("a partition the policy does not know keeps everything").isEqualTo(300);
            assertThat(store.expire(partition -> Optional.of(Duration.ofDays(30)), NOW).blocks()).isZero();
        }
    }
}
