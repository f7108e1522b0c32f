package io.timberdb.query.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.QueryParser;
import io.timberdb.model.shard.EntryPosition;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardQueryResult;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanguageMergeTest {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    static LogEntry entry(String id, int second) {
        return new LogEntry(id, NOW.minusSeconds(3600).plusSeconds(second), "s", Map.of(), "m");
    }

    static ShardFanout.Outcome shard(int shard, long matched, LogEntry... entries) {
        return ShardFanout.Outcome.ok(new ShardId("p-1", shard), "storage-1", new ShardQueryResult(List.of(entries), matched, matched));
    }

    static LanguageQueryResponse merge(String text, ShardFanout.Outcome... outcomes) {
        return LanguageMerge.merge("q-1", QueryParser.parse(text), text, NOW, List.of(outcomes), 0);
    }

    @Test
    void theCursorPointsAtTheLastEntryReturnedNewestFirst() {
        String text = "SELECT * FROM logs LIMIT 3";
        LanguageQueryResponse r = merge(text,
                shard(0, 10, entry("e", 50), entry("c", 30), entry("a", 10)),
                shard(1, 10, entry("e", 50), entry("d", 40), entry("b", 20)));
        assertThat(r.entries()).extracting(LogEntry::id).containsExactly("e", "d", "c");
        assertThat(r.matchedEntries()).isEqualTo(20);
        PageCursor next = PageCursor.decode(r.nextCursor(), QueryParser.parse(text));
        assertThat(next.after()).isEqualTo(new EntryPosition(entry("c", 30).timestamp(), "c"));
        assertThat(next.now()).isEqualTo(NOW);
    }

    @Test
    void theCursorPointsAtTheLastEntryReturnedOldestFirst() {
        String text = "SELECT * FROM logs ORDER BY time ASC LIMIT 2";
        LanguageQueryResponse r = merge(text,
                shard(0, 2, entry("b", 10), entry("c", 30)),
                shard(1, 5, entry("a", 10), entry("d", 20)));
        assertThat(r.entries()).extracting(LogEntry::id).containsExactly("a", "b");
        PageCursor next = PageCursor.decode(r.nextCursor(), QueryParser.parse(text));
        assertThat(next.after()).isEqualTo(new EntryPosition(entry("b", 10).timestamp(), "b"));
    }

    @Test
    void noCursorWhenThePageHoldsEveryMatch() {
        LanguageQueryResponse r = merge("SELECT * FROM logs LIMIT 5",
                shard(0, 1, entry("b", 20)), shard(1, 0), shard(2, 1, entry("a", 10)));
        assertThat(r.entries()).extracting(LogEntry::id).containsExactly("b", "a");
        assertThat(r.nextCursor()).isNull();
    }

    @Test
    void aMissingShardAddsNoEntriesMakesTheAnswerPartialAndIsListed() {
        LanguageQueryResponse r = merge("SELECT * FROM logs LIMIT 5",
                ShardFanout.Outcome.missing(new ShardId("p-1", 10), "shard p-1/10: no in-sync replica answered"),
                shard(0, 1, entry("a", 10)),
                ShardFanout.Outcome.missing(new ShardId("p-1", 2), "shard p-1/2: no in-sync replica answered (storage-2: down)"));
        assertThat(r.entries()).extracting(LogEntry::id).containsExactly("a");
        assertThat(r.partial()).isTrue();
        assertThat(r.missingShards()).containsExactly("p-1/2", "p-1/10");
        assertThat(r.error()).contains("storage-2: down");
    }

    @Test
    void aCompleteAnswerListsNoMissingShards() {
        LanguageQueryResponse r = merge("SELECT * FROM logs LIMIT 5", shard(0, 1, entry("a", 10)), shard(1, 0));
        assertThat(r.partial()).isFalse();
        assertThat(r.missingShards()).isNull();
    }
}
