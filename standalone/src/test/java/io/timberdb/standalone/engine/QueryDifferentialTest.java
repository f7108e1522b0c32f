package io.timberdb.standalone.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.timberdb.model.api.LanguageQueryRequest;
import io.timberdb.model.api.LanguageQueryResponse;
import io.timberdb.model.api.LogEntry;
import io.timberdb.model.api.Partition;
import io.timberdb.model.cluster.ClusterView;
import io.timberdb.model.cluster.ClusterViewSource;
import io.timberdb.model.error.TimberException;
import io.timberdb.model.query.Query;
import io.timberdb.model.query.QueryParser;
import io.timberdb.model.query.QueryPrinter;
import io.timberdb.model.query.QueryResult;
import io.timberdb.model.query.ReferenceEvaluator;
import io.timberdb.model.shard.ShardId;
import io.timberdb.model.shard.ShardPlan;
import io.timberdb.query.control.QueryProgress;
import io.timberdb.query.control.QueryProperties;
import io.timberdb.query.plan.QueryExecutor;
import io.timberdb.storage.block.BlockOptions;
import io.timberdb.storage.shard.BlockRotation;
import io.timberdb.storage.shard.ShardStore;
import io.timberdb.storage.shard.StoreOptions;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine against the oracle: thousands of random queries ({@link RandomQueries}) run through
 * the query service's executor over a real {@link ShardStore} — two partitions, five shards, small
 * sealed blocks of many pages with their indexes, and active blocks — and through the
 * {@link ReferenceEvaluator} over the same entries held in memory. Entries, their order, the
 * projected rows, matched counts, and the rows of aggregating queries must be identical (numbers
 * compared by value: {@code 7.50} = {@code 7.5}).
 */
class QueryDifferentialTest {

    private static final long SEED = 20261126L;
    private static final int QUERIES = 3000;
    private static final String NODE = "local";
    private static final int ROTATION = 150;
    private static final int BATCH = 40;

    @TempDir
    static Path dataDir;

    private static ShardStore store;
    private static QueryExecutor executor;
    private static final Map<String, List<LogEntry>> PARTITIONS = new LinkedHashMap<>();
    private static final Partition GEN = partition("p-gen", "gen", 3);
    private static final ReferenceEvaluator ORACLE =
            new ReferenceEvaluator(InstantSource.fixed(DifferentialData.NOW), Duration.ofMinutes(1));

    @BeforeAll
    static void load() throws java.io.IOException {
        StoreOptions options = StoreOptions.DEFAULTS
                .withRotation(new BlockRotation(BlockRotation.Type.COUNT, ROTATION))
                .withBlocks(BlockOptions.DEFAULTS.withPageEntries(16));
        store = new ShardStore(dataDir, options);
        Random random = new Random(SEED);
        Partition gen = GEN;
        Partition hub = partition("p-hub", "hub", 2);
        PARTITIONS.put("gen", DifferentialData.generated(random, 1500, "g"));
        List<LogEntry> hubEntries = new ArrayList<>(DifferentialData.loghub(random, 900, "h"));
        hubEntries.addAll(DifferentialData.loghubLines(random, 900, "r"));
        PARTITIONS.put("hub", hubEntries);
        append(gen, PARTITIONS.get("gen"));
        append(hub, PARTITIONS.get("hub"));
        ClusterView view = new ClusterView(1, null, List.of(), List.of(gen, hub));
        executor = new QueryExecutor(ClusterViewSource.fixed(view), store, InstantSource.fixed(DifferentialData.NOW),
                QueryProperties.DEFAULTS);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static Partition partition(String id, String name, int shards) {
        List<Partition.ShardPlacement> placements = new ArrayList<>();
        for (int s = 0; s < shards; s++) {
            placements.add(new Partition.ShardPlacement(s, NODE));
        }
        return new Partition(id, name, Map.of(), 30, DifferentialData.NOW, placements);
    }

    /**
     * Appends in small batches, each entry to its stream's shard, as ingest does; waits for the
     * seal each time a shard's rotation is due, so that blocks stay small and many.
     */
    private static void append(Partition p, List<LogEntry> entries) {
        Map<Integer, List<LogEntry>> byShard = new HashMap<>();
        for (LogEntry e : entries) {
            byShard.computeIfAbsent(p.shardOf(e.source(), e.tags()), s -> new ArrayList<>()).add(e);
        }
        byShard.forEach((shard, list) -> {
            int unsealed = 0;
            for (int from = 0; from < list.size(); from += BATCH) {
                int blocks = store.stats().blocks();
                List<LogEntry> batch = list.subList(from, Math.min(list.size(), from + BATCH));
                store.append(new ShardId(p.id(), shard), batch).block(Duration.ofSeconds(10));
                unsealed += batch.size();
                if (unsealed >= ROTATION) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> store.stats().blocks() > blocks);
                    unsealed = 0;
                }
            }
        });
    }

    private static LanguageQueryResponse run(String text) {
        return run(text, null);
    }

    private static LanguageQueryResponse run(String text, String cursor) {
        return executor.execute(new LanguageQueryRequest(text, null, cursor), "q", QueryProgress.untracked())
                .block(Duration.ofSeconds(30));
    }

    /** Every page of an entry query, followed by its cursors. */
    private static List<LogEntry> allPages(String text) {
        List<LogEntry> entries = new ArrayList<>();
        LanguageQueryResponse page = run(text);
        entries.addAll(page.entries());
        for (int pages = 1; page.nextCursor() != null; pages++) {
            assertThat(pages).as("pages of " + text).isLessThan(1000);
            page = run(text, page.nextCursor());
            entries.addAll(page.entries());
        }
        return entries;
    }

    private static ShardPlan plan(String text) {
        return run("EXPLAIN " + text).plan().total();
    }

    @Test
    void randomQueriesAnswerWhatTheReferenceEvaluatorAnswers() {
        List<java.time.Instant> times = PARTITIONS.values().stream().flatMap(List::stream).map(LogEntry::timestamp).toList();
        RandomQueries queries = new RandomQueries(new Random(SEED + 1), times);
        int aggregating = 0;
        int nonEmpty = 0;
        int paged = 0;
        for (int i = 0; i < QUERIES; i++) {
            String text = queries.next();
            Query query = QueryParser.parse(text);
            QueryResult expected = ORACLE.evaluate(query, PARTITIONS);
            LanguageQueryResponse actual = run(text);
            assertThat(actual.partial()).as(text).isFalse();
            assertThat(actual.matchedEntries()).as(text).isEqualTo(expected.matched());
            if (query.isAggregating()) {
                aggregating++;
                assertThat(actual.columns()).as(text).isEqualTo(expected.columns());
                assertThat(normalized(actual.rows())).as(text).isEqualTo(normalized(expected.rows()));
            } else {
                assertThat(actual.entries()).as(text).isEqualTo(expected.entries());
                if (!query.selectsAll()) {
                    assertThat(actual.rows()).as(text).isEqualTo(expected.rows());
                }
            }
            nonEmpty += expected.matched() > 0 ? 1 : 0;
            if (!query.isAggregating() && i % 5 == 0) {
                paged++;
                assertPagesListEveryMatch(query);
            }
        }
        assertThat(paged).isPositive();
        assertThat(aggregating).as("aggregating queries").isGreaterThan(QUERIES / 4);
        assertThat(nonEmpty).as("queries that matched something").isGreaterThan(QUERIES / 2);
    }

    /** Pages of about a quarter of the matches, followed by cursor, list exactly what one unlimited answer does. */
    private static void assertPagesListEveryMatch(Query query) {
        Query unlimited = new Query(false, query.select(), query.from(), query.where(), query.groupBy(), query.orderBy(),
                Query.MAX_LIMIT);
        List<LogEntry> expected = ORACLE.evaluate(unlimited, PARTITIONS).entries();
        Query paged = new Query(false, query.select(), query.from(), query.where(), query.groupBy(), query.orderBy(),
                1 + expected.size() / 4);
        String text = QueryPrinter.print(paged);
        assertThat(allPages(text)).as(text).isEqualTo(expected);
    }

    @Test
    void aCursorContinuesWhereThePageEndedWhileNewerEntriesArrive() {
        String text = "SELECT * FROM gen WHERE time > now() - 1h LIMIT 25";
        Query query = QueryParser.parse(text);
        List<LogEntry> expected = ORACLE.evaluate(new Query(false, query.select(), query.from(), query.where(),
                List.of(), null, 50), PARTITIONS).entries();
        LanguageQueryResponse first = run(text);
        assertThat(first.entries()).isEqualTo(expected.subList(0, 25));
        LogEntry newer = new LogEntry("g999999", DifferentialData.NOW.minusMillis(1), "web-01", Map.of(), "late arrival");
        append(GEN, List.of(newer));
        PARTITIONS.get("gen").add(newer);
        LanguageQueryResponse second = run(text, first.nextCursor());
        assertThat(second.entries()).as("the newer entry is before the cursor: not listed again, nothing shifts")
                .isEqualTo(expected.subList(25, 50));
        assertThat(run(text).entries().get(0)).as("a new first page sees it").isEqualTo(newer);
    }

    @Test
    void aCursorOfAnotherQueryIsRefused() {
        String cursor = run("SELECT * FROM gen LIMIT 1").nextCursor();
        assertThatThrownBy(() -> run("SELECT * FROM hub LIMIT 1", cursor)).isInstanceOf(TimberException.class)
                .hasMessageContaining("another query");
        assertThatThrownBy(() -> run("SELECT * FROM gen LIMIT 1", "bm90IGEgY3Vyc29y")).isInstanceOf(TimberException.class)
                .hasMessageContaining("cursor");
    }

    @Test
    void explainCountsBlocksAndPagesPrunedByTheImpliedFilter() {
        ShardPlan all = plan("SELECT * FROM *");
        assertThat(all.blocks()).isGreaterThanOrEqualTo(15);
        assertThat(all.pagesPruned()).isZero();
        assertThat(all.pagesScanned()).isEqualTo(all.pages());
        ShardPlan narrow = plan("SELECT count(*) FROM hub WHERE source = 'sshd-web' AND time > now() - 10m");
        assertThat(narrow.pages()).isEqualTo(run("EXPLAIN SELECT * FROM hub").plan().total().pages());
        assertThat(narrow.pagesPruned()).isPositive();
        assertThat(narrow.pagesScanned()).isEqualTo(narrow.pages() - narrow.pagesPruned());
        ShardPlan.PrunedBy by = narrow.pagesPrunedBy();
        assertThat(by.time() + by.postings() + by.tokenFilters()).as("each pruned page counted against one index")
                .isEqualTo(narrow.pagesPruned());
        assertThat(by.time()).as("pages older than 10 minutes").isPositive();
        assertThat(by.postings()).as("pages of other sources").isPositive();
        assertThat(by.tokenFilters()).isZero();
        ShardPlan none = plan("SELECT * FROM hub WHERE level = 'DEBUG' AND message MATCHES 'block'");
        assertThat(none.blocksPruned()).as("no hub entry has level DEBUG: the tag postings rule out every block")
                .isEqualTo(none.blocks()).isPositive();
        assertThat(none.pagesScanned()).isZero();
        assertThat(none.pagesPrunedBy().postings()).isEqualTo(none.pages());
        assertThat(none.activeEntries()).as("the active blocks have no page index").isPositive();
        ShardPlan words = plan("SELECT * FROM hub WHERE message MATCHES 'oracle AND invalid' AND NOT source = 'x'");
        assertThat(words.pagesPruned()).as("pages whose token filters lack 'oracle'").isPositive();
        assertThat(words.pagesPrunedBy()).isEqualTo(new ShardPlan.PrunedBy(0, 0, words.pagesPruned()));
        assertThat(words.impliedFilter()).isEqualTo("tokens [invalid, oracle]");
        assertThat(narrow.impliedFilter()).isEqualTo("time >= 2026-11-26T11:50:00.000000001Z AND source = 'sshd-web'");
    }

    /** Rows with numbers stripped of trailing zeros, so that 7.50 and 7.5 compare equal. */
    private static List<List<Object>> normalized(List<List<Object>> rows) {
        List<List<Object>> out = new ArrayList<>();
        for (List<Object> row : rows) {
            List<Object> cells = new ArrayList<>();
            for (Object cell : row) {
                cells.add(cell instanceof BigDecimal d ? d.stripTrailingZeros() : cell);
            }
            out.add(cells);
        }
        return out;
    }
}
