package io.timberdb.storage.shard;

import static io.timberdb.storage.shard.ShardSealingTest.batch;
import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.QueryFilter;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQuery;
import io.timberdb.model.shard.ShardVersion;
import io.timberdb.storage.block.BlockCache;
import io.timberdb.storage.block.CorruptBlockException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A shard's data version changes with every change a query could see, and never repeats across openings. */
class ShardVersionTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ShardId ID = ShardSealingTest.ID;

    @TempDir
    Path dir;

    final BlockCache cache = new BlockCache(8 << 20, 8 << 20);

    @Test
    void anAcknowledgedAppendASealAnExpiryAndAQuarantineEachChangeTheVersion() throws IOException {
        Shard shard = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache);
        ShardVersion opened = shard.version();
        assertThat(opened.epoch()).isNotEqualTo(ShardVersion.ABSENT.epoch());

        shard.append(batch(0, 10)).join();
        ShardVersion appended = shard.version();
        assertThat(appended).as("bumped before the append is acknowledged").isNotEqualTo(opened);
        assertThat(shard.version()).as("nothing changed: the same version").isEqualTo(appended);

        shard.seal();
        ShardVersion sealed = shard.version();
        assertThat(sealed).isNotEqualTo(appended);
        shard.append(batch(10, 10)).join();
        shard.seal();

        ShardVersion beforeExpiry = shard.version();
        shard.expireBefore(Instant.parse("2026-11-26T00:00:15Z"));
        assertThat(shard.state().blocks()).hasSize(1);
        ShardVersion expired = shard.version();
        assertThat(expired).isNotEqualTo(beforeExpiry);

        shard.quarantine(shard.state().blocks().get(0), new CorruptBlockException(dir, 0, "test: a bad CRC"));
        assertThat(shard.version()).isNotEqualTo(expired);
        shard.close();
    }

    @Test
    void aReopenedShardNeverAnswersAVersionItAnsweredBefore() throws IOException {
        Shard first = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache);
        ShardVersion before = first.version();
        first.close();
        Shard second = Shard.open(dir, ID, ShardSealingTest.COUNT_100, cache);
        assertThat(second.version().changes()).isEqualTo(before.changes());
        assertThat(second.version()).as("a new epoch").isNotEqualTo(before);
        second.close();
    }

    @Test
    void theStoreAnswersEachQueryWithTheVersionItReadAndAbsentForAShardItNeverHeld() {
        try (ShardStore store = new ShardStore(dir)) {
            ShardId absent = new ShardId("p-none", 2);
            assertThat(store.version(absent).block(WAIT)).isEqualTo(ShardVersion.ABSENT);
            assertThat(store.query(absent, new ShardQuery(QueryFilter.ALL, 10)).block(WAIT).version())
                    .isEqualTo(ShardVersion.ABSENT);

            store.append(ID, batch(0, 5)).block(WAIT);
            ShardVersion now = store.version("ignored", ID).block(WAIT);
            assertThat(now).isNotEqualTo(ShardVersion.ABSENT);
            assertThat(store.query(ID, new ShardQuery(QueryFilter.ALL, 10)).block(WAIT).version()).isEqualTo(now);
            store.append(ID, batch(5, 1)).block(WAIT);
            assertThat(store.version(ID).block(WAIT)).isNotEqualTo(now);
        }
    }
}
